// 公示 (no login): open notices with masked rows; anyone may file an objection (异议) against a row while a
// notice is open. 公示档案: the notices whose period has ended, searchable by class, institution, occupation,
// district and the day published (never by a trainee).
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { endpoints, type Notice, type NoticeRow } from '../api';
import { Money } from '../components/Money';
import { PublicFrame } from '../components/PublicFrame';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable, usePhone } from '../components/ResponsiveTable';
import { dateTime } from '../format';
import { useApiError, useCursorList, validated } from '../hooks';
import { useI18n } from '../i18n';
import { LEVEL_NAMES, LINE_KIND_NAMES, TIER_NAMES } from '../names';

type Target = { notice: Notice; row: NoticeRow } | null;

function ObjectionModal({ target, onClose }: { target: Target; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ reason: string; contact?: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await validated(form);
    if (!v) return; // the form shows what is missing
    if (!target) return;
    setBusy(true);
    try {
      const { objectionId } = await endpoints.object(target.notice.id, {
        lineId: target.row.lineId,
        reason: v.reason.trim(),
        contact: v.contact?.trim() || undefined,
      });
      message.success(t('objection.sent', { id: objectionId }));
      onClose();
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={`${t('objection.raise')} · ${target?.row.trainee ?? ''}`}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('objection.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="contact" label={t('objection.contact')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function NoticeCard({ notice, onObject }: { notice: Notice; onObject(row: NoticeRow): void }) {
  const { t, name } = useI18n();
  const total = notice.rows.reduce((s, r) => s + r.amountFen, 0);
  const phone = usePhone();
  const closed = notice.status === 'CLOSED';
  const period = (
    <Typography.Text type="secondary">
      {[notice.institutionName, notice.district].filter(Boolean).join(' · ')}
      {notice.institutionName || notice.district ? ' · ' : ''}
      {t('notices.published')} {dateTime(notice.publishedAt)} · {t('notices.closes')}{' '}
      {dateTime(notice.closesAt)}
    </Typography.Text>
  );
  return (
    <Card
      className="sf-block"
      data-testid="notice-card"
      title={
        <Space wrap>
          <span>{notice.title || notice.classId}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {notice.classId}
          </Typography.Text>
          <Tag color="gold">{t('notices.round', { n: notice.round })}</Tag>
          {closed && <Tag data-testid="notice-closed">{t('notices.closed')}</Tag>}
        </Space>
      }
      extra={phone ? undefined : period}
    >
      {phone && <div style={{ marginBottom: 8 }}>{period}</div>}
      <ResponsiveTable<NoticeRow>
        rowKey="lineId"
        size="small"
        pagination={false}
        dataSource={notice.rows}
        scroll={{ x: 1000 }}
        columns={[
          { title: t('notices.institution'), dataIndex: 'institution' },
          {
            title: t('notices.occupation'),
            key: 'occ',
            render: (_, r) =>
              `${r.occupation} · ${name(LEVEL_NAMES[r.level as keyof typeof LEVEL_NAMES], r.level)}`,
          },
          { title: t('notices.hours'), dataIndex: 'classHours', align: 'right' },
          { title: t('notices.trainee'), dataIndex: 'trainee' },
          {
            title: t('notices.idNumber'),
            dataIndex: 'idNumber',
            render: (v: string) => <span className="sf-money">{v}</span>,
          },
          { title: t('line.kind'), dataIndex: 'kind', render: (k: string) => name(LINE_KIND_NAMES[k], k) },
          {
            title: t('line.tier'),
            dataIndex: 'tier',
            render: (tier: string | null) =>
              tier ? name(TIER_NAMES[tier as keyof typeof TIER_NAMES], tier) : '—',
          },
          {
            title: t('line.amount'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (f: number) => <Money fen={f} />,
          },
          { title: t('line.remark'), dataIndex: 'remark', render: (v: string | null) => v ?? '' },
          {
            title: t('common.actions'),
            key: 'actions',
            // objections only while the notice is open
            hidden: closed,
            render: (_, r) => (
              <Button size="small" onClick={() => onObject(r)} data-testid="object-button">
                {t('objection.raise')}
              </Button>
            ),
          },
        ]}
        phoneSummary={
          <span>
            {t('common.total')} <Money fen={total} />
          </span>
        }
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={7}>
              <strong>{t('common.total')}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">
              <strong>
                <Money fen={total} />
              </strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={8} colSpan={closed ? 1 : 2} />
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

type Status = 'OPEN' | 'CLOSED';
interface Search {
  q?: string;
  period?: [Dayjs | null, Dayjs | null] | null;
}

export function PublicNoticesPage({ embedded = false }: { embedded?: boolean }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>('OPEN');
  const [search, setSearch] = useState<Search>({});
  const [form] = Form.useForm<Search>();
  const list = useCursorList(
    (cursor) =>
      endpoints.notices({
        status,
        q: search.q?.trim() || undefined,
        from: search.period?.[0]?.format('YYYY-MM-DD'),
        to: search.period?.[1]?.format('YYYY-MM-DD'),
        limit: 10,
        cursor,
      }),
    [status, search],
  );
  const [target, setTarget] = useState<Target>(null);
  const searching = Boolean(search.q?.trim() || search.period?.[0] || search.period?.[1]);

  const body = (
    <>
      <PageHeader title={t('notices.title')}>
        <Typography.Text type="secondary">{t('notices.subtitle')}</Typography.Text>
      </PageHeader>
      <Card className="sf-block">
        <Segmented<Status>
          data-testid="notice-status"
          value={status}
          onChange={setStatus}
          options={[
            { value: 'OPEN', label: t('notices.open') },
            { value: 'CLOSED', label: t('notices.archive') },
          ]}
          style={{ marginBottom: 12 }}
        />
        <Form form={form} layout="vertical" onFinish={(v) => setSearch({ ...v })}>
          <Row gutter={16} align="bottom">
            <Col xs={24} md={10}>
              <Form.Item name="q" label={t('notices.q')}>
                <Input allowClear maxLength={60} placeholder={t('notices.qHint')} data-testid="notice-q" />
              </Form.Item>
            </Col>
            <Col xs={24} md={9}>
              <Form.Item name="period" label={t('notices.period')}>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={5}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" data-testid="notice-search">
                    {t('common.search')}
                  </Button>
                  <Button
                    onClick={() => {
                      form.resetFields();
                      setSearch({});
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {list.loading && list.items.length === 0 ? (
        <Skeleton active />
      ) : list.items.length === 0 ? (
        <Card>
          <Empty
            description={
              searching
                ? t('notices.noneFound')
                : status === 'OPEN'
                  ? t('notices.empty')
                  : t('notices.archiveEmpty')
            }
          />
        </Card>
      ) : (
        list.items.map((n) => (
          <NoticeCard key={n.id} notice={n} onObject={(row) => setTarget({ notice: n, row })} />
        ))
      )}
      {list.hasMore && (
        <div style={{ textAlign: 'center', marginBottom: 16 }}>
          <Button onClick={list.more} loading={list.loading} data-testid="notice-more">
            {t('common.more')}
          </Button>
        </div>
      )}
      <ObjectionModal target={target} onClose={() => setTarget(null)} />
    </>
  );
  if (embedded) return body;
  return <PublicFrame title={t('notices.title')}>{body}</PublicFrame>;
}
