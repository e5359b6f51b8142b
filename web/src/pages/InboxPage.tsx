// 待办: the day's work of a caseworker or a finance officer. The most used filters in view and the rest behind
// 筛选; team views (待办视图); a table that says what each task is about, sorts by due date, arrival, kind and
// class, and pages with the total (共 N 条); a side panel to act on a task and go on to the next; bulk actions
// where the rule allows one decision per item (verify evidence, approve batches). On a phone the rows are cards.
import { CheckOutlined, FilterOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { endpoints, type SavedView, type Task } from '../api';
import { ClassCell } from '../components/ClassCell';
import { DueDate } from '../components/DueDate';
import { FilterButtons, useOverdueOptions, useStageOptions } from '../components/ListFilters';
import { OverdueReason } from '../components/OverdueReason';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable, usePhone } from '../components/ResponsiveTable';
import { BulkActModal, type BulkMode } from '../components/inbox/BulkActModal';
import { SavedViews } from '../components/inbox/SavedViews';
import { TaskDrawer } from '../components/inbox/TaskDrawer';
import { TaskSubject } from '../components/inbox/TaskSubject';
import { useTaskPages, type InboxQuery } from '../components/inbox/useTaskPages';
import { dateTime } from '../format';
import { useApiError, useReloadUntilSettled } from '../hooks';
import { useI18n } from '../i18n';
import { OCCUPATION_CATALOGUE, TASK_KIND_NAMES } from '../names';
import { useLocation } from '../router';
import { useSession } from '../session';

interface Filters {
  kind?: string;
  overdue?: 'true' | 'false';
  assignee?: 'me' | 'none';
  stage?: string;
  dueBefore?: Dayjs | null;
  institutionId?: string;
  occupationCode?: string;
  district?: string;
}

/** Filters kept behind the 筛选 toggle (kind, overdue and assignee stay in view: the ones used all day). */
const MORE: (keyof Filters)[] = ['stage', 'dueBefore', 'institutionId', 'occupationCode', 'district'];
const FILTER_KEYS: (keyof Filters)[] = ['kind', 'overdue', 'assignee', ...MORE];
const DEFAULT_SORT = 'dueAt';
/** The table's sortable columns and the API's sort field for each (api/routes/tasks.ts SORTABLE). */
type SortKey = 'class' | 'kind' | 'dueAt' | 'createdAt';

function toQuery(f: Filters): InboxQuery {
  const q: InboxQuery = {};
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v === undefined || v === null || v === '') continue;
    q[k] = k === 'dueBefore' ? (v as Dayjs).format('YYYY-MM-DD') : String(v).trim();
  }
  return q;
}

function toFilters(q: InboxQuery): Filters {
  const f: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) if (q[k]) f[k] = k === 'dueBefore' ? dayjs(q[k]) : q[k];
  return f as Filters;
}

/** The filters a link carries: the form's, and `role` / `escalated`, which only links set. */
const LINK_KEYS = [...FILTER_KEYS, 'role', 'escalated'];
function fromLink(query: URLSearchParams): InboxQuery {
  const q: InboxQuery = {};
  for (const k of LINK_KEYS) {
    const v = query.get(k);
    if (v) q[k] = v;
  }
  return q;
}

export function InboxPage() {
  const { t, name } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const showError = useApiError();
  const phone = usePhone();
  const [form] = Form.useForm<Filters>();
  const stageOptions = useStageOptions();
  const overdueOptions = useOverdueOptions();
  // A link from the dashboard opens the inbox filtered (#/inbox?role=ALL&overdue=true&assignee=…).
  const { query: linked } = useLocation();
  const [filters, setFilters] = useState<InboxQuery>(() => fromLink(linked));
  const [sort, setSort] = useState(DEFAULT_SORT);
  const [viewId, setViewId] = useState<string>();
  const [showMore, setShowMore] = useState(() => MORE.some((k) => linked.get(k)));
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [panel, setPanel] = useState<{ task: Task; index: number } | null>(null);
  const [done, setDone] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<BulkMode | null>(null);
  // Another link while the inbox is open (or back and forward between two) filters it anew.
  const link = linked.toString();
  useEffect(() => {
    const q = fromLink(new URLSearchParams(link));
    form.resetFields();
    form.setFieldsValue(toFilters(q));
    setFilters(q);
    if (MORE.some((k) => q[k])) setShowMore(true);
  }, [link, form]);

  const query = useMemo(() => ({ ...filters, sort }), [filters, sort]);
  const list = useTaskPages(query);
  const settle = useReloadUntilSettled(list.reload);
  const moreActive = MORE.filter((k) => filters[k]).length;
  // A link for one person's tasks (the dashboard's overdue by caseworker) names them in the assignee filter.
  const someone = useMemo(() => {
    const id = filters.assignee;
    if (!id || id === 'me' || id === 'none') return undefined;
    const name = list.items.find((task) => task.assignee === id)?.assigneeName;
    return { value: id, label: name ?? id };
  }, [filters.assignee, list.items]);

  useEffect(() => setSelected([]), [query, list.page]);

  const search = (values: Filters) => {
    setFilters(toQuery(values));
    setViewId(undefined);
  };
  const applyView = (view: SavedView | undefined) => {
    setViewId(view?.id);
    const q = view?.query ?? {};
    form.resetFields();
    form.setFieldsValue(toFilters(q));
    setFilters(toQuery(toFilters(q)));
    setSort(q.sort ?? DEFAULT_SORT);
    if (MORE.some((k) => q[k])) setShowMore(true);
  };

  const selectedTasks = list.items.filter((x) => selected.includes(x.id));
  const bulkTasks = bulk ? selectedTasks.filter((x) => x.kind === bulk) : [];
  const verifiable = selectedTasks.filter((x) => x.kind === 'VERIFY_EMPLOYMENT').length;
  const approvable = selectedTasks.filter((x) => x.kind === 'APPROVE_PAYMENT').length;

  const claim = async (action: 'claim' | 'release') => {
    setBusy(true);
    const call = action === 'claim' ? endpoints.claimTask : endpoints.unclaimTask;
    const results = await Promise.allSettled(selected.map((id) => call(id)));
    setBusy(false);
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (ok) message.success(t(action === 'claim' ? 'inbox.claimed' : 'inbox.released', { n: ok }));
    if (failed) showError(failed.reason);
    setSelected([]);
    list.reload();
  };

  /** The task after the one in the panel, in the list's order, that is not done yet. */
  const nextTask = (): { task: Task; index: number } | null => {
    if (!panel) return null;
    const open = (x: Task) => x.id !== panel.task.id && !done.has(x.id);
    const at = list.items.findIndex((x) => x.id === panel.task.id);
    const from = at >= 0 ? at + 1 : panel.index;
    const after = list.items.slice(from).find(open) ?? list.items.slice(0, from).find(open);
    return after ? { task: after, index: list.items.indexOf(after) } : null;
  };

  const sortOrder = (key: SortKey) =>
    sort === key ? ('ascend' as const) : sort === `-${key}` ? ('descend' as const) : null;
  const sortable = (key: SortKey) => ({
    key,
    sorter: true,
    sortOrder: sortOrder(key),
    sortDirections: ['ascend' as const, 'descend' as const, 'ascend' as const],
  });

  const openButton = (task: Task, index: number) => (
    <Button
      type="primary"
      size="small"
      onClick={() => setPanel({ task, index })}
      data-testid="task-open"
      disabled={done.has(task.id)}
    >
      {done.has(task.id) ? t('inbox.done') : t('inbox.open')}
    </Button>
  );

  // A long name (English "Record assessment") wraps inside its tag instead of running into the next column.
  const kindTag = (task: Task) => (
    <Tag color="blue" style={{ whiteSpace: 'normal', maxWidth: '100%', marginInlineEnd: 0 }}>
      {name(TASK_KIND_NAMES[task.kind], task.kind)}
    </Tag>
  );

  // On a phone a task is a card headed by its kind and subject (the two columns left off the card's lines).
  const columns: ColumnsType<Task> = [
    {
      title: t('inbox.subject'),
      key: 'subject',
      width: 180,
      responsive: ['md'],
      render: (_, task) => <TaskSubject task={task} />,
    },
    {
      title: t('inbox.kind'),
      dataIndex: 'kind',
      width: 110,
      responsive: ['md'],
      ...sortable('kind'),
      render: (_, task) => kindTag(task),
    },
    {
      title: t('inbox.class'),
      ...sortable('class'),
      render: (_, task) => (
        <ClassCell
          id={task.classId}
          title={task.classTitle}
          detail={task.institutionName ?? task.institutionId}
          testId="task-class-link"
        />
      ),
    },
    {
      title: t('inbox.due'),
      width: 210,
      ...sortable('dueAt'),
      render: (_, task) => (
        <div>
          <DueDate dueAt={task.dueAt} overdue={task.overdue} escalated={task.escalated} />
          {task.overdueReason && <OverdueReason reason={task.overdueReason} inline />}
        </div>
      ),
    },
    {
      title: t('inbox.created'),
      width: 150,
      responsive: ['md'],
      ...sortable('createdAt'),
      render: (_, task) => <span style={{ whiteSpace: 'nowrap' }}>{dateTime(task.createdAt)}</span>,
    },
    {
      title: t('inbox.assignee'),
      dataIndex: 'assignee',
      width: 100,
      render: (assignee: string | null, task) =>
        !assignee ? (
          <Typography.Text type="secondary">{t('inbox.assigneeNone')}</Typography.Text>
        ) : assignee === user?.id || assignee === user?.username ? (
          <Tag color="blue">{user?.displayName}</Tag>
        ) : (
          (task.assigneeName ?? assignee)
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, task, index) => openButton(task, index),
    },
  ];

  const total = (
    <Typography.Text type="secondary" data-testid="inbox-total">
      {t('inbox.total', { n: list.total })}
    </Typography.Text>
  );

  // Sorting starts again from page 1: antd calls onChange(1, size) for it too.
  const pagination = {
    current: list.page,
    pageSize: list.pageSize,
    total: list.total,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, 100],
    showTotal: (n: number) => t('inbox.total', { n }),
    size: 'small' as const,
    onChange: (page: number, size: number) => list.setPage(page, size),
  };

  const phoneSort = (
    <Select
      size="small"
      aria-label={t('inbox.sort')}
      value={sort}
      onChange={setSort}
      style={{ minWidth: 150 }}
      data-testid="phone-sort"
      options={(['dueAt', 'createdAt', 'kind', 'class'] as SortKey[]).flatMap((k) => {
        const label = {
          dueAt: t('inbox.due'),
          createdAt: t('inbox.created'),
          kind: t('inbox.kind'),
          class: t('inbox.class'),
        }[k];
        return [
          { value: k, label: `${label} ↑` },
          { value: `-${k}`, label: `${label} ↓` },
        ];
      })}
    />
  );

  return (
    <>
      <PageHeader title={t('inbox.title')} />
      <Card className="sf-block" size="small">
        <Form
          form={form}
          onFinish={search}
          layout="vertical"
          data-testid="inbox-filters"
          initialValues={toFilters(filters)}
        >
          <Row gutter={[12, 0]} align="bottom">
            <Col xs={24} sm={8} lg={5}>
              <Form.Item name="kind" label={t('inbox.kind')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  data-testid="filter-kind"
                  options={Object.entries(TASK_KIND_NAMES).map(([value, n]) => ({ value, label: name(n) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8} lg={4} style={phone && !showMore ? { display: 'none' } : undefined}>
              <Form.Item name="overdue" label={t('inbox.overdue')}>
                <Select allowClear placeholder={t('common.all')} options={overdueOptions} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8} lg={4} style={phone && !showMore ? { display: 'none' } : undefined}>
              <Form.Item name="assignee" label={t('inbox.assignee')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={[
                    { value: 'me', label: t('inbox.assigneeMe') },
                    { value: 'none', label: t('inbox.assigneeNone') },
                    ...(someone ? [someone] : []),
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={11}>
              <Form.Item>
                <FilterButtons
                  onReset={() => {
                    form.resetFields();
                    search({});
                  }}
                  exportLoad={() => endpoints.tasksExport(query)}
                  exportFilename="tasks.xlsx"
                  exportTestId="tasks-export"
                  searchTestId="filter-search"
                >
                  <Badge count={moreActive} size="small">
                    <Button
                      icon={<FilterOutlined />}
                      onClick={() => setShowMore((s) => !s)}
                      aria-expanded={showMore}
                      data-testid="filter-toggle"
                    >
                      {t('inbox.filters')}
                    </Button>
                  </Badge>
                </FilterButtons>
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={[12, 0]} style={showMore ? undefined : { display: 'none' }} data-testid="more-filters">
            <Col xs={24} sm={12} lg={5}>
              <Form.Item name="stage" label={t('inbox.stage')}>
                <Select allowClear placeholder={t('common.all')} options={stageOptions} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={4}>
              <Form.Item name="dueBefore" label={t('inbox.dueBefore')}>
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
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
            <Col xs={24} sm={12} lg={5}>
              <Form.Item name="institutionId" label={t('inbox.institution')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item name="district" label={t('inbox.district')}>
                <Input allowClear />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <SavedViews query={query} selected={viewId} onApply={applyView} />
      </Card>
      <Card
        title={
          <Space size={8} wrap>
            <span>{t('inbox.title')}</span>
            {total}
          </Space>
        }
        extra={
          <Space size={8}>
            {phone && phoneSort}
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('common.refresh')}>
              {phone ? null : t('common.refresh')}
            </Button>
          </Space>
        }
      >
        {selected.length > 0 && (
          <div className="sf-bulk-bar" data-testid="bulk-bar">
            <span>{t('inbox.selected', { n: selected.length })}</span>
            <Space wrap>
              {user?.role === 'CASEWORKER' && verifiable > 0 && (
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => setBulk('VERIFY_EMPLOYMENT')}
                  data-testid="bulk-verify"
                >
                  {t('inbox.bulkVerify', { n: verifiable })}
                </Button>
              )}
              {user?.role === 'FINANCE' && approvable > 0 && (
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() => setBulk('APPROVE_PAYMENT')}
                  data-testid="bulk-approve"
                >
                  {t('inbox.bulkApprove', { n: approvable })}
                </Button>
              )}
              <Button loading={busy} onClick={() => void claim('claim')}>
                {t('inbox.claim')}
              </Button>
              <Button loading={busy} onClick={() => void claim('release')}>
                {t('inbox.release')}
              </Button>
            </Space>
          </div>
        )}
        <ResponsiveTable<Task>
          rowKey="id"
          data-testid="inbox-table"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          size="middle"
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('inbox.empty') }}
          phoneTitle={(task) => (
            <Space size={4} wrap>
              {kindTag(task)}
              <TaskSubject task={task} />
            </Space>
          )}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
          rowClassName={(task) => (panel?.task.id === task.id ? 'ant-table-row-selected' : '')}
          pagination={pagination}
          onChange={(_p, _f, sorter, extra) => {
            if (extra.action !== 'sort') return;
            const s = sorter as SorterResult<Task>;
            const key = s.columnKey as SortKey | undefined;
            setSort(key && s.order ? `${s.order === 'descend' ? '-' : ''}${key}` : DEFAULT_SORT);
            setViewId(undefined);
          }}
        />
      </Card>
      <TaskDrawer
        task={panel?.task ?? null}
        hasNext={nextTask() !== null}
        onClose={() => setPanel(null)}
        onDone={(task) => {
          setDone((d) => new Set(d).add(task.id));
          settle();
        }}
        onNext={() => setPanel(nextTask())}
      />
      <BulkActModal
        mode={bulk}
        tasks={bulkTasks}
        skipped={selectedTasks.length - bulkTasks.length}
        onClose={(changed) => {
          setBulk(null);
          if (changed) {
            setSelected([]);
            settle();
          }
        }}
      />
    </>
  );
}
