// 监控: stage counts, open / overdue / escalated tasks, stuck cases, ageing, performance rates and money, the
// monthly trends, each institution's rates and who is overdue — filtered by district, institution and period,
// every number and bar opening the list behind it (the cases list, or the inbox for tasks).
import { ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Input,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import type { ChartProps } from '../components/dashboard/Chart';

/** ECharts is loaded when the dashboard opens, not with every page (its own chunk: web/vite.config.ts). */
const LazyChart = lazy(() => import('../components/dashboard/Chart').then((m) => ({ default: m.Chart })));
function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: props.height ?? 280 }} />}>
      <LazyChart {...props} />
    </Suspense>
  );
}
import { endpoints, type DashboardSummary, type Stage } from '../api';
import { OverdueReason } from '../components/OverdueReason';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { StageTag } from '../components/StageTag';
import { dateTime, deadline, percent } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { actionLabel, STAGE_NAMES } from '../names';
import { href, navigate } from '../router';

/** the category of tasks nobody has claimed, in the per-caseworker chart */
const NOBODY = '\u0000';
import { Money } from '../components/Money';

type Stuck = DashboardSummary['stuck'][number];

/** The stage counts as a bar made of divs, in process order. */
function StageBars({ stages, filter }: { stages: DashboardSummary['stages']; filter: Filter }) {
  const { name } = useI18n();
  const order = Object.keys(STAGE_NAMES) as Stage[];
  const max = Math.max(1, ...order.map((s) => stages[s] ?? 0));
  return (
    <div className="sf-bars" data-testid="stage-bars">
      {order.map((s) => {
        const n = stages[s] ?? 0;
        return (
          <a className="sf-bar-row" key={s} href={casesHref(filter, { stage: s })} data-testid={`stage-${s}`}>
            <span>{name(STAGE_NAMES[s])}</span>
            <div className="sf-bar-track">
              <div className="sf-bar-fill" style={{ width: `${(n / max) * 100}%`, opacity: n ? 1 : 0.25 }} />
            </div>
            <span className="sf-bar-value">{n}</span>
          </a>
        );
      })}
    </div>
  );
}

/** What the dashboard is filtered by (the API's query). */
interface Filter {
  district?: string;
  institutionId?: string;
  from?: string;
  to?: string;
}

const queryOf = (q: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};
/** The cases list behind a number: the dashboard's place filters and the number's own. */
const casesHref = (f: Filter, more: Record<string, string>) =>
  href(`/cases${queryOf({ district: f.district, institutionId: f.institutionId, ...more })}`);
/** The inbox behind a task number: every role's tasks, with the place filters. */
const inboxHref = (f: Filter, more: Record<string, string>) =>
  href(`/inbox${queryOf({ role: 'ALL', district: f.district, institutionId: f.institutionId, ...more })}`);

/** A yuan amount on a chart's axis: 1.5万 / 15k, never a long fraction. */
function compactYuan(v: number, lang: string): string {
  const round = (x: number) => String(Math.round(x * 100) / 100);
  if (lang === 'en') return v >= 1_000 ? `${round(v / 1_000)}k` : round(v);
  return v >= 10_000 ? `${round(v / 10_000)}万` : round(v);
}

/** The API's ageing buckets ('<1d', '1-3d', '>30d') in the reader's language. */
function bucketLabel(bucket: string, lang: string): string {
  return bucket.replace(/(\d)\s*d\b/g, lang === 'en' ? '$1 days' : '$1天').replace(/^(\d+)-(\d+)/, '$1–$2');
}

export function DashboardPage() {
  const { t, lang, name } = useI18n();
  const [filter, setFilter] = useState<Filter>({});
  const [district, setDistrict] = useState('');
  const { data, loading, reload } = useLoad(
    () => endpoints.dashboard({ ...filter }),
    [JSON.stringify(filter)],
  );

  if (!data) return loading ? <Skeleton active paragraph={{ rows: 10 }} /> : <Empty />;
  const ageingMax = Math.max(1, ...data.ageing.map((a) => a.count));
  const institutionName = (id: string) => data.institutions.find((i) => i.institutionId === id)?.name ?? id;
  const period: [Dayjs, Dayjs] | null =
    filter.from && filter.to ? [dayjs(`${filter.from}-01`), dayjs(`${filter.to}-01`)] : null;

  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        extra={
          <Space wrap>
            <Typography.Text type="secondary" data-testid="as-of">
              {t('dashboard.asOf', { at: dateTime(data.generatedAt) })}
            </Typography.Text>
            <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
      />
      <Card className="sf-block" size="small">
        <Space wrap data-testid="dashboard-filter">
          <Input.Search
            allowClear
            aria-label={t('inbox.district')}
            placeholder={t('inbox.district')}
            value={district}
            onChange={(e) => setDistrict(e.target.value)}
            onSearch={(v) => setFilter({ ...filter, district: v.trim() || undefined })}
            style={{ width: 180 }}
            data-testid="filter-district"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('dashboard.institution')}
            placeholder={t('dashboard.institution')}
            value={filter.institutionId}
            onChange={(v?: string) => setFilter({ ...filter, institutionId: v || undefined })}
            options={data.institutions.map((i) => ({
              value: i.institutionId,
              label: i.name ?? i.institutionId,
            }))}
            style={{ width: 240 }}
            data-testid="filter-institution"
          />
          <DatePicker.RangePicker
            picker="month"
            aria-label={t('dashboard.period')}
            value={period}
            onChange={(v) =>
              setFilter({
                ...filter,
                from: v?.[0]?.format('YYYY-MM') ?? undefined,
                to: v?.[1]?.format('YYYY-MM') ?? undefined,
              })
            }
            data-testid="filter-period"
          />
          {(filter.district || filter.institutionId || filter.from) && (
            <Button
              onClick={() => {
                setDistrict('');
                setFilter({});
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </Space>
      </Card>
      <Row gutter={[16, 16]} className="sf-block">
        <Col xs={24} sm={8}>
          <Card>
            <a href={inboxHref(filter, {})} data-testid="open-tasks">
              <Statistic title={t('dashboard.openTasks')} value={data.openTasks} />
            </a>
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <a href={inboxHref(filter, { overdue: 'true' })} data-testid="overdue-tasks">
              <Statistic
                title={t('dashboard.overdueTasks')}
                value={data.overdueTasks}
                styles={{ content: { color: data.overdueTasks ? '#cf1322' : undefined } }}
              />
            </a>
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <a href={inboxHref(filter, { escalated: 'true' })} data-testid="escalated-tasks">
              <Statistic
                title={t('dashboard.escalatedTasks')}
                value={data.escalatedTasks}
                styles={{ content: { color: data.escalatedTasks ? '#d46b08' : undefined } }}
              />
            </a>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="sf-block">
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.stages')} style={{ height: '100%' }}>
            <StageBars stages={data.stages} filter={filter} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.rates')} className="sf-block">
            <Row gutter={16}>
              <Col xs={12} sm={8}>
                <Statistic title={t('dashboard.rate.pass')} value={percent(data.rates.pass)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('dashboard.rate.certificate')} value={percent(data.rates.certificate)} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('dashboard.rate.employment')} value={percent(data.rates.employment)} />
              </Col>
            </Row>
          </Card>
          <Card title={t('dashboard.money')} className="sf-block">
            <Row gutter={16}>
              <Col xs={12} sm={8}>
                <Statistic
                  title={t('money.advanced')}
                  valueRender={() => <Money fen={data.money.advancedFen} />}
                />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic title={t('money.paid')} valueRender={() => <Money fen={data.money.paidFen} />} />
              </Col>
              <Col xs={12} sm={8}>
                <Statistic
                  title={t('money.recovered')}
                  valueRender={() => <Money fen={data.money.recoveredFen} />}
                />
              </Col>
            </Row>
          </Card>
          <Card title={t('dashboard.ageing')}>
            <div className="sf-bars">
              {data.ageing.map((a) => (
                <div className="sf-bar-row" key={a.bucket}>
                  <span>{bucketLabel(a.bucket, lang)}</span>
                  <div className="sf-bar-track">
                    <div
                      className="sf-bar-fill"
                      style={{
                        width: `${(a.count / ageingMax) * 100}%`,
                        background: '#fa8c16',
                        opacity: a.count ? 1 : 0.25,
                      }}
                    />
                  </div>
                  <span className="sf-bar-value">{a.count}</span>
                </div>
              ))}
            </div>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="sf-block">
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.trends')}>
            <Chart
              testId="trend-chart"
              label={t('dashboard.trends')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 48, right: 64, top: 36, bottom: 56 },
                xAxis: { type: 'category', data: data.trends.map((m) => m.month) },
                yAxis: [
                  { type: 'value', minInterval: 1, name: t('dashboard.cases') },
                  {
                    type: 'value',
                    name: t('dashboard.yuan'),
                    min: 0,
                    // an empty year still shows a readable scale (not 0.00001万)
                    max: (v: { max: number }) => Math.max(v.max, 10_000),
                    axisLabel: { formatter: (v: number) => compactYuan(v, lang) },
                  },
                ],
                series: [
                  { name: t('dashboard.opened'), type: 'bar', data: data.trends.map((m) => m.opened) },
                  { name: t('dashboard.closed'), type: 'bar', data: data.trends.map((m) => m.closed) },
                  {
                    name: t('money.paid'),
                    type: 'line',
                    yAxisIndex: 1,
                    data: data.trends.map((m) => m.paidFen / 100),
                  },
                ],
              }}
              // a month picked: the whole dashboard for that month
              onPick={(month) => setFilter({ ...filter, from: month, to: month })}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.byInstitution')}>
            <Chart
              testId="institution-chart"
              label={t('dashboard.byInstitution')}
              height={Math.max(200, 60 + data.institutions.length * 56)}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v) => `${Number(v).toFixed(1)}%` },
                legend: { top: 0 },
                grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
                yAxis: {
                  type: 'category',
                  inverse: true,
                  data: data.institutions.map((i) => i.institutionId),
                  axisLabel: { formatter: (id: string) => institutionName(id).slice(0, 14) },
                },
                xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                series: (['pass', 'certificate', 'employment'] as const).map((k) => ({
                  name: t(`dashboard.rate.${k}`),
                  type: 'bar' as const,
                  data: data.institutions.map((i) =>
                    i.rates[k] === null ? 0 : Math.round(i.rates[k]! * 1000) / 10,
                  ),
                })),
              }}
              onPick={(id) => navigate(casesHref(filter, { institutionId: id }).slice(1))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.overdueByStage')}>
            {data.overdueByStage.length === 0 ? (
              <Empty description={t('dashboard.noneOverdue')} />
            ) : (
              <Chart
                testId="overdue-stage-chart"
                label={t('dashboard.overdueByStage')}
                height={220}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
                  xAxis: {
                    type: 'category',
                    data: data.overdueByStage.map((r) => r.stage),
                    axisLabel: { formatter: (s: string) => name(STAGE_NAMES[s as Stage]) },
                  },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [
                    {
                      name: t('tag.overdue'),
                      type: 'bar',
                      data: data.overdueByStage.map((r) => r.overdue),
                      color: '#cf1322',
                    },
                    {
                      name: t('dashboard.escalatedTasks'),
                      type: 'bar',
                      data: data.overdueByStage.map((r) => r.escalated),
                      color: '#d46b08',
                    },
                  ],
                }}
                onPick={(stage) => navigate(casesHref(filter, { stage, overdue: 'true' }).slice(1))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.overdueByAssignee')}>
            {data.overdueByAssignee.length === 0 ? (
              <Empty description={t('dashboard.noneOverdue')} />
            ) : (
              <Chart
                testId="overdue-assignee-chart"
                label={t('dashboard.overdueByAssignee')}
                height={Math.max(160, 40 + data.overdueByAssignee.length * 32)}
                option={{
                  tooltip: { trigger: 'axis' },
                  grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
                  yAxis: {
                    type: 'category',
                    inverse: true,
                    data: data.overdueByAssignee.map((r) => r.assignee ?? NOBODY),
                    axisLabel: {
                      formatter: (a: string) =>
                        a === NOBODY
                          ? t('inbox.assigneeNone')
                          : (data.overdueByAssignee.find((r) => r.assignee === a)?.name ?? a),
                    },
                  },
                  xAxis: { type: 'value', minInterval: 1 },
                  series: [
                    {
                      name: t('tag.overdue'),
                      type: 'bar',
                      data: data.overdueByAssignee.map((r) => r.overdue),
                      color: '#cf1322',
                    },
                  ],
                }}
                onPick={(a) =>
                  navigate(
                    inboxHref(filter, { overdue: 'true', assignee: a === NOBODY ? 'none' : a }).slice(1),
                  )
                }
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card title={t('dashboard.byInstitution')} className="sf-block">
        <ResponsiveTable<DashboardSummary['institutions'][number]>
          rowKey="institutionId"
          size="small"
          pagination={false}
          dataSource={data.institutions}
          data-testid="institution-table"
          columns={[
            {
              title: t('dashboard.institution'),
              key: 'name',
              render: (_, i) => (
                <a href={casesHref(filter, { institutionId: i.institutionId })}>
                  {i.name ?? i.institutionId}
                </a>
              ),
            },
            { title: t('dashboard.opened'), dataIndex: 'opened', align: 'right' },
            { title: t('dashboard.assessed'), dataIndex: 'assessed', align: 'right' },
            {
              title: t('dashboard.rate.pass'),
              key: 'pass',
              align: 'right',
              render: (_, i) => percent(i.rates.pass),
            },
            {
              title: t('dashboard.rate.certificate'),
              key: 'cert',
              align: 'right',
              render: (_, i) => percent(i.rates.certificate),
            },
            {
              title: t('dashboard.rate.employment'),
              key: 'emp',
              align: 'right',
              render: (_, i) => percent(i.rates.employment),
            },
          ]}
        />
      </Card>
      <Card title={t('dashboard.stuck')}>
        <ResponsiveTable<Stuck>
          rowKey="classId"
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={data.stuck}
          data-testid="stuck-table"
          scroll={{ x: 1000 }}
          columns={[
            {
              title: t('inbox.class'),
              key: 'class',
              render: (_, s) => (
                <div>
                  <a href={href(`/cases/${encodeURIComponent(s.classId)}`)}>{s.title || s.classId}</a>
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {s.classId}
                  </div>
                </div>
              ),
            },
            { title: t('inbox.stage'), dataIndex: 'stage', render: (st: string) => <StageTag stage={st} /> },
            {
              title: t('dashboard.reason'),
              key: 'reason',
              // Who has not acted and since when; the code's label when the API could not say (no open task).
              render: (_, s) =>
                s.overdueReason ? (
                  <OverdueReason reason={s.overdueReason} testId="stuck-reason" />
                ) : (
                  actionLabel(s.reason, name)
                ),
            },
            { title: t('dashboard.since'), dataIndex: 'since', render: (v: string) => dateTime(v) },
            { title: t('case.due'), dataIndex: 'dueAt', render: (v: string | null) => deadline(v) },
          ]}
        />
      </Card>
    </>
  );
}
