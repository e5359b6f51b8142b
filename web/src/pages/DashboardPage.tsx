// 监控: stage counts, open / overdue / escalated tasks, stuck cases, ageing, performance rates and money.
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Skeleton, Statistic } from 'antd';
import { endpoints, type DashboardSummary, type Stage } from '../api';
import { OverdueReason } from '../components/OverdueReason';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { StageTag } from '../components/StageTag';
import { dateTime, deadline, percent } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { actionLabel, STAGE_NAMES } from '../names';
import { href } from '../router';
import { Money } from '../components/Money';

type Stuck = DashboardSummary['stuck'][number];

/** The stage counts as a bar made of divs, in process order. */
function StageBars({ stages }: { stages: DashboardSummary['stages'] }) {
  const { name } = useI18n();
  const order = Object.keys(STAGE_NAMES) as Stage[];
  const max = Math.max(1, ...order.map((s) => stages[s] ?? 0));
  return (
    <div className="sf-bars" data-testid="stage-bars">
      {order.map((s) => {
        const n = stages[s] ?? 0;
        return (
          <div className="sf-bar-row" key={s}>
            <span>{name(STAGE_NAMES[s])}</span>
            <div className="sf-bar-track">
              <div className="sf-bar-fill" style={{ width: `${(n / max) * 100}%`, opacity: n ? 1 : 0.25 }} />
            </div>
            <span className="sf-bar-value">{n}</span>
          </div>
        );
      })}
    </div>
  );
}

/** The API's ageing buckets ('<1d', '1-3d', '>30d') in the reader's language. */
function bucketLabel(bucket: string, lang: string): string {
  return bucket.replace(/(\d)\s*d\b/g, lang === 'en' ? '$1 days' : '$1天').replace(/^(\d+)-(\d+)/, '$1–$2');
}

export function DashboardPage() {
  const { t, lang, name } = useI18n();
  const { data, loading, reload } = useLoad(() => endpoints.dashboard(), []);

  if (!data) return loading ? <Skeleton active paragraph={{ rows: 10 }} /> : <Empty />;
  const ageingMax = Math.max(1, ...data.ageing.map((a) => a.count));

  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Row gutter={[16, 16]} className="sf-block">
        <Col xs={24} sm={8}>
          <Card>
            <Statistic title={t('dashboard.openTasks')} value={data.openTasks} />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <Statistic
              title={t('dashboard.overdueTasks')}
              value={data.overdueTasks}
              styles={{ content: { color: data.overdueTasks ? '#cf1322' : undefined } }}
            />
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card>
            <Statistic
              title={t('dashboard.escalatedTasks')}
              value={data.escalatedTasks}
              styles={{ content: { color: data.escalatedTasks ? '#d46b08' : undefined } }}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="sf-block">
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.stages')} style={{ height: '100%' }}>
            <StageBars stages={data.stages} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.rates')} className="sf-block">
            <Row gutter={16}>
              <Col span={8}>
                <Statistic title={t('dashboard.rate.pass')} value={percent(data.rates.pass)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('dashboard.rate.certificate')} value={percent(data.rates.certificate)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('dashboard.rate.employment')} value={percent(data.rates.employment)} />
              </Col>
            </Row>
          </Card>
          <Card title={t('dashboard.money')} className="sf-block">
            <Row gutter={16}>
              <Col span={8}>
                <Statistic
                  title={t('money.advanced')}
                  valueRender={() => <Money fen={data.money.advancedFen} />}
                />
              </Col>
              <Col span={8}>
                <Statistic title={t('money.paid')} valueRender={() => <Money fen={data.money.paidFen} />} />
              </Col>
              <Col span={8}>
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
