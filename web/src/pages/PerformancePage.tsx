// 培训绩效评估 (issue 16 point 4): the institutions ranked for a period by the policy's formula — pass, certificate and
// employment rates and the trainees' satisfaction, less penalties for late steps, upheld objections and money
// recovered — with the warnings that start the fraud signals; exported as a spreadsheet for the bureau's report.
import { WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Card,
  Col,
  DatePicker,
  Empty,
  Input,
  List,
  Row,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { endpoints, type PerformanceReport } from '../api';
import { ExportButton } from '../components/ExportButton';
import { Money } from '../components/Money';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { dateTime, percent } from '../format';
import { useLoad } from '../hooks';
import { useI18n } from '../i18n';
import { href } from '../router';

type Scored = PerformanceReport['institutions'][number];
interface Filter {
  from?: string;
  to?: string;
  district?: string;
}

const caseLink = (classId: string) => (
  <a href={href(`/cases/${encodeURIComponent(classId)}`)} data-testid={`case-${classId}`}>
    {classId}
  </a>
);

/** One kind of warning: its title and count, one line per case, 未发现 when there is none. */
function SignalList<T>(props: { title: string; testId: string; items: T[]; render(item: T): ReactNode }) {
  const { t } = useI18n();
  return (
    <Col xs={24} lg={8}>
      <List
        header={<Typography.Text strong>{props.title}</Typography.Text>}
        bordered
        size="small"
        data-testid={props.testId}
        dataSource={props.items}
        locale={{ emptyText: <Typography.Text>{t('performance.none')}</Typography.Text> }}
        renderItem={(item) => <List.Item>{props.render(item)}</List.Item>}
      />
    </Col>
  );
}

export function PerformancePage() {
  const { t, name } = useI18n();
  const [filter, setFilter] = useState<Filter>({});
  const [district, setDistrict] = useState('');
  const { data, loading } = useLoad(() => endpoints.performance({ ...filter }), [JSON.stringify(filter)]);

  if (!data) return loading ? <Skeleton active paragraph={{ rows: 10 }} /> : <Empty />;
  const w = data.formula.weights;
  const warningsOf = (id: string) =>
    data.warnings.rateOutliers.filter((o) => o.institutionId === id).length +
    data.warnings.overlappingClasses.shown.filter(
      (o) => o.first.institutionId === id || o.second.institutionId === id,
    ).length;
  const institutionName = (id: string, shown: string | null) => shown ?? id;

  return (
    <>
      <PageHeader
        title={t('performance.title')}
        extra={
          <Space wrap>
            <Typography.Text type="secondary" data-testid="as-of">
              {t('dashboard.asOf', { at: dateTime(data.generatedAt) })}
            </Typography.Text>
            <ExportButton
              load={() => endpoints.performanceExport({ ...filter })}
              filename="performance.xlsx"
              testId="performance-export"
            />
          </Space>
        }
      />
      <Card className="sf-block" size="small">
        <Space wrap data-testid="performance-filter">
          <DatePicker.RangePicker
            aria-label={t('performance.period')}
            allowClear={false}
            value={[dayjs(data.period.from), dayjs(data.period.to)]}
            onChange={(v) =>
              setFilter({
                ...filter,
                from: v?.[0]?.format('YYYY-MM-DD') ?? undefined,
                to: v?.[1]?.format('YYYY-MM-DD') ?? undefined,
              })
            }
            data-testid="performance-period"
          />
          <Input.Search
            allowClear
            aria-label={t('inbox.district')}
            placeholder={t('inbox.district')}
            value={district}
            onChange={(e) => setDistrict(e.target.value)}
            onSearch={(v) => setFilter({ ...filter, district: v.trim() || undefined })}
            style={{ width: 180 }}
            data-testid="performance-district"
          />
        </Space>
        <Typography.Paragraph
          type="secondary"
          className="sf-performance-formula"
          data-testid="performance-formula"
        >
          {t('performance.formula', {
            pass: w.passRate,
            certificate: w.certificateRate,
            employment: w.employmentRate,
            satisfaction: w.satisfaction,
            min: data.formula.minTraineesToRank,
            policy: data.policyVersionId,
          })}
        </Typography.Paragraph>
      </Card>
      <Card className="sf-block" title={t('performance.ranking')}>
        <ResponsiveTable<Scored>
          rowKey="institutionId"
          dataSource={data.institutions}
          pagination={false}
          loading={loading}
          data-testid="performance-table"
          phoneTitle={(r) =>
            `${r.rank ?? t('performance.unranked')} · ${institutionName(r.institutionId, r.institutionName)}`
          }
          columns={[
            {
              title: t('performance.rank'),
              dataIndex: 'rank',
              width: 80,
              render: (rank: number | null) => rank ?? <Tag>{t('performance.unranked')}</Tag>,
            },
            {
              title: t('performance.institution'),
              dataIndex: 'institutionName',
              width: 240,
              render: (shown: string | null, r) => (
                <Space wrap size={4}>
                  {institutionName(r.institutionId, shown)}
                  {warningsOf(r.institutionId) > 0 && (
                    <Tag color="error" icon={<WarningOutlined />} data-testid={`warned-${r.institutionId}`}>
                      {t('performance.warnings', { n: warningsOf(r.institutionId) })}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: t('performance.score'),
              dataIndex: 'score',
              width: 80,
              render: (s: number | null) => s ?? '—',
            },
            { title: t('performance.classes'), dataIndex: ['figures', 'classes'], width: 80 },
            { title: t('performance.trainees'), dataIndex: ['figures', 'trainees'], width: 80 },
            { title: t('dashboard.rate.pass'), dataIndex: 'passRate', width: 90, render: percent },
            {
              title: t('dashboard.rate.certificate'),
              dataIndex: 'certificateRate',
              width: 90,
              render: percent,
            },
            {
              title: t('dashboard.rate.employment'),
              dataIndex: 'employmentRate',
              width: 90,
              render: percent,
            },
            {
              title: t('performance.satisfaction'),
              dataIndex: 'satisfaction',
              width: 110,
              render: (s: number | null, r) =>
                s === null
                  ? '—'
                  : t('performance.satisfactionOf', { mean: s.toFixed(2), n: r.figures.surveys }),
            },
            { title: t('performance.overdueSteps'), dataIndex: ['figures', 'overdueSteps'], width: 90 },
            {
              title: t('performance.objectionsUpheld'),
              dataIndex: ['figures', 'objectionsUpheld'],
              width: 90,
            },
            {
              title: t('performance.recovered'),
              dataIndex: ['figures', 'recoveredFen'],
              width: 110,
              render: (fen: number) => <Money fen={fen} />,
            },
            { title: t('performance.penalty'), dataIndex: 'penalty', width: 70 },
          ]}
        />
      </Card>
      <Card className="sf-block" title={t('performance.signals')} data-testid="performance-signals">
        <Alert type="info" showIcon className="sf-block" message={t('performance.signalsHint')} />
        <Row gutter={[16, 16]}>
          <SignalList
            title={t('performance.outliers')}
            testId="signals-outliers"
            items={data.warnings.rateOutliers}
            render={(o) =>
              t(
                o.kind === 'PASS_RATE_OUTLIER' ? 'performance.passOutlier' : 'performance.employmentOutlier',
                {
                  institution: institutionName(o.institutionId, o.institutionName),
                  occupation: o.occupationName ? name(o.occupationName) : o.occupationCode,
                  rate: o.ratePct,
                  median: o.peerMedianPct,
                  peers: o.peers,
                },
              )
            }
          />
          <SignalList
            title={t('performance.overlaps', { n: data.warnings.overlappingClasses.count })}
            testId="signals-overlaps"
            items={data.warnings.overlappingClasses.shown}
            render={(o) => (
              <span>
                {o.person.nameMasked} {o.person.idMasked}：{caseLink(o.first.classId)}（
                {institutionName(o.first.institutionId, o.first.institutionName)}）↔{' '}
                {caseLink(o.second.classId)}（
                {institutionName(o.second.institutionId, o.second.institutionName)}）
              </span>
            )}
          />
          <SignalList
            title={t('performance.copied', { n: data.warnings.repeatedAttendance.count })}
            testId="signals-copied"
            items={data.warnings.repeatedAttendance.shown}
            render={(c) => (
              <span>
                {caseLink(c.classId)}：{t('performance.copiedOf', { trainees: c.trainees, marked: c.marked })}
              </span>
            )}
          />
        </Row>
      </Card>
    </>
  );
}
