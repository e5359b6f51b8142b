// 待办: filter form + task table + bulk bar (claim / release), cursor pagination with "load more".
import { ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { endpoints, type Task } from '../api';
import { DueDate } from '../components/DueDate';
import { OverdueReason } from '../components/OverdueReason';
import { PageHeader } from '../components/PageHeader';
import { StageTag } from '../components/StageTag';
import { useApiError, useCursorList } from '../hooks';
import { useI18n } from '../i18n';
import { OCCUPATION_CATALOGUE, occupationNamed, STAGE_NAMES, TASK_KIND_NAMES } from '../names';
import { href } from '../router';
import { useSession } from '../session';

interface Filters {
  kind?: string;
  stage?: string;
  overdue?: 'true' | 'false';
  dueBefore?: Dayjs | null;
  institutionId?: string;
  occupationCode?: string;
  district?: string;
  assignee?: 'me' | 'none';
}

const PAGE_SIZE = 20;

function toQuery(f: Filters) {
  return {
    kind: f.kind,
    stage: f.stage,
    overdue: f.overdue,
    dueBefore: f.dueBefore ? f.dueBefore.format('YYYY-MM-DD') : undefined,
    institutionId: f.institutionId?.trim(),
    occupationCode: f.occupationCode,
    district: f.district?.trim(),
    assignee: f.assignee,
    limit: PAGE_SIZE,
  };
}

export function InboxPage() {
  const { t, name } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const list = useCursorList((cursor) => endpoints.tasks({ ...toQuery(filters), cursor }), [filters]);

  useEffect(() => setSelected([]), [filters]);

  const bulk = async (action: 'claim' | 'release') => {
    setBusy(true);
    const call = action === 'claim' ? endpoints.claimTask : endpoints.unclaimTask;
    const results = await Promise.allSettled(selected.map((id) => call(id)));
    setBusy(false);
    const done = results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (done) message.success(t(action === 'claim' ? 'inbox.claimed' : 'inbox.released', { n: done }));
    if (failed) showError(failed.reason);
    setSelected([]);
    list.reload();
  };

  const columns: ColumnsType<Task> = [
    {
      title: t('inbox.class'),
      key: 'class',
      render: (_, task) => (
        <div>
          <a href={href(`/cases/${encodeURIComponent(task.classId)}`)} data-testid="task-class-link">
            {task.classTitle || task.classId}
          </a>
          <div className="sf-muted" style={{ fontSize: 12 }}>
            {task.classId}
          </div>
        </div>
      ),
    },
    {
      title: t('inbox.kind'),
      dataIndex: 'kind',
      render: (kind: string) => name(TASK_KIND_NAMES[kind], kind),
    },
    { title: t('inbox.stage'), dataIndex: 'stage', render: (stage: string) => <StageTag stage={stage} /> },
    {
      title: t('case.institution'),
      key: 'institution',
      render: (_, task) => task.institutionName ?? task.institutionId,
    },
    {
      title: t('inbox.occupation'),
      key: 'occupation',
      render: (_, task) =>
        name(occupationNamed(task.occupationCode), task.occupationName ?? task.occupationCode),
    },
    { title: t('inbox.district'), dataIndex: 'district' },
    {
      title: t('inbox.due'),
      key: 'due',
      width: 260,
      render: (_, task) => (
        <div>
          <DueDate dueAt={task.dueAt} overdue={task.overdue} escalated={task.escalated} />
          {task.overdueReason && <OverdueReason reason={task.overdueReason} inline />}
        </div>
      ),
    },
    {
      title: t('inbox.assignee'),
      dataIndex: 'assignee',
      render: (assignee: string | null) =>
        !assignee ? (
          <Typography.Text type="secondary">{t('inbox.assigneeNone')}</Typography.Text>
        ) : assignee === user?.id || assignee === user?.username ? (
          <Tag color="blue">{user?.displayName}</Tag>
        ) : (
          assignee
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('inbox.title')} />
      <Card className="sf-block">
        <Form form={form} onFinish={(values) => setFilters({ ...values })} layout="vertical">
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="kind" label={t('inbox.kind')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={Object.entries(TASK_KIND_NAMES).map(([value, n]) => ({ value, label: name(n) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="stage" label={t('inbox.stage')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={Object.entries(STAGE_NAMES).map(([value, n]) => ({ value, label: name(n) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="overdue" label={t('inbox.overdue')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={[
                    { value: 'true', label: t('tag.overdue') },
                    { value: 'false', label: t('common.no') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="dueBefore" label={t('inbox.dueBefore')}>
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="institutionId" label={t('inbox.institution')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="occupationCode" label={t('inbox.occupation')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('common.all')}
                  options={OCCUPATION_CATALOGUE.map((o) => ({
                    value: o.code,
                    label: `${o.code} ${name(o.name)}`,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="district" label={t('inbox.district')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="assignee" label={t('inbox.assignee')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={[
                    { value: 'me', label: t('inbox.assigneeMe') },
                    { value: 'none', label: t('inbox.assigneeNone') },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form>
      </Card>
      <Card
        title={t('inbox.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {t('common.refresh')}
          </Button>
        }
      >
        {selected.length > 0 && (
          <div className="sf-bulk-bar" data-testid="bulk-bar">
            <span>{t('inbox.selected', { n: selected.length })}</span>
            <Space>
              <Button type="primary" loading={busy} onClick={() => void bulk('claim')}>
                {t('inbox.claim')}
              </Button>
              <Button loading={busy} onClick={() => void bulk('release')}>
                {t('inbox.release')}
              </Button>
            </Space>
          </div>
        )}
        <Table<Task>
          rowKey="id"
          data-testid="inbox-table"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          size="middle"
          scroll={{ x: 1060 }}
          locale={{ emptyText: t('inbox.empty') }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
        />
        {list.hasMore && (
          <div style={{ textAlign: 'center', marginTop: 16 }}>
            <Button onClick={list.more} loading={list.loading} data-testid="load-more">
              {t('common.more')}
            </Button>
          </div>
        )}
      </Card>
    </>
  );
}
