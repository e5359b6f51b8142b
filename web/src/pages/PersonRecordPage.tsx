// 人员培训档案 (issue 16 point 1): a person's lifelong training record for the bureau's staff — looked up by ID number
// with a reason (the access audit's basis), never through the URL; every class with its outcome, every subsidy
// counted against the caps, and what is left: subsidies, and the levels a new training subsidy can no longer take.
// Names and ID numbers stay masked. 打印 / 导出PDF prints the record without the form, the menu or the buttons
// (styles.css, @media print); the browser saves it as a PDF.
import { PrinterOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Statistic, Tag } from 'antd';
import { useState } from 'react';
import { ApiError, endpoints, type PersonRecord } from '../api';
import { Money } from '../components/Money';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { StageTag } from '../components/StageTag';
import { date, dateTime } from '../format';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';
import { ASSESSMENT_NAMES, ENROLLMENT_STATUS_NAMES, LEVEL_NAMES, LINE_KIND_NAMES } from '../names';
import { href } from '../router';

type ClassLine = PersonRecord['classes'][number];
type Subsidy = PersonRecord['subsidies'][number];

const SUBSIDY_STATUS: Record<string, { zh: string; en: string; color: string }> = {
  PAID: { zh: '已享受', en: 'Used', color: 'green' },
  RESERVED: { zh: '在训占用', en: 'Held by a running class', color: 'blue' },
  RELEASED: { zh: '已释放', en: 'Released', color: 'default' },
};

export function PersonRecordPage() {
  const { t, name } = useI18n();
  const [form] = Form.useForm<{ idNumber: string; reason: string }>();
  const showError = useApiError();
  const [record, setRecord] = useState<PersonRecord>();
  const [shownAt, setShownAt] = useState('');
  const [notFound, setNotFound] = useState(false);
  const [busy, setBusy] = useState(false);

  const level = (l: string | null) => (l ? name(LEVEL_NAMES[l as keyof typeof LEVEL_NAMES], l) : '—');
  const occupation = (n: { zh: string; en: string } | null, code: string | null) =>
    name(n ?? undefined, code ?? '—');

  const lookUp = async (values: { idNumber: string; reason: string }) => {
    setBusy(true);
    setNotFound(false);
    try {
      setRecord(await endpoints.personRecord(values.idNumber.trim(), values.reason.trim()));
      setShownAt(new Date().toISOString());
    } catch (err) {
      setRecord(undefined);
      if (err instanceof ApiError && err.problem.status === 404) setNotFound(true);
      else showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const e = record?.entitlements;
  return (
    <>
      <PageHeader
        title={t('record.title')}
        extra={
          record && (
            <Button
              className="sf-no-print"
              icon={<PrinterOutlined />}
              onClick={() => window.print()}
              data-testid="record-print"
            >
              {t('approvalForm.print')}
            </Button>
          )
        }
      />
      <Card className="sf-block sf-no-print">
        <Form form={form} layout="vertical" onFinish={(v) => void lookUp(v)} data-testid="record-form">
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name="idNumber"
                label={t('trainee.idNumber')}
                rules={[{ required: true, whitespace: true, message: t('record.idRequired') }]}
              >
                <Input autoComplete="off" maxLength={18} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="reason"
                label={t('record.reason')}
                extra={t('record.reasonHint')}
                rules={[{ required: true, whitespace: true, min: 2, message: t('record.reasonRequired') }]}
              >
                <Input maxLength={500} />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item label=" " colon={false}>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={busy} block>
                  {t('common.search')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
        {notFound && (
          <Alert type="info" showIcon message={t('record.notFound')} data-testid="record-not-found" />
        )}
      </Card>

      {record && e && (
        <div data-testid="person-record" className="sf-print-page">
          <Card className="sf-block">
            <Descriptions size="small" column={{ xs: 1, md: 4 }}>
              <Descriptions.Item label={t('trainee.name')}>{record.person.nameMasked}</Descriptions.Item>
              <Descriptions.Item label={t('trainee.idNumber')}>{record.person.idMasked}</Descriptions.Item>
              <Descriptions.Item label={t('record.birthDate')}>{record.person.birthDate}</Descriptions.Item>
              <Descriptions.Item label={t('record.sex')}>
                {t(record.person.sex === 'F' ? 'record.female' : 'record.male')}
              </Descriptions.Item>
              <Descriptions.Item label={t('record.asOf')}>{dateTime(shownAt)}</Descriptions.Item>
              <Descriptions.Item label={t('record.policy')}>{record.policyVersionId}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Row gutter={16} className="sf-block">
            <Col xs={24} md={8}>
              <Card>
                <Statistic
                  title={t('record.trainingLeft')}
                  value={e.training.left}
                  suffix={`/ ${e.training.cap}`}
                  data-testid="training-left"
                />
                <div className="sf-muted">{t('record.used', { used: e.training.used })}</div>
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card>
                <Statistic
                  title={t('record.evaluationLeft')}
                  value={e.evaluation.left}
                  suffix={`/ ${e.evaluation.cap}`}
                  data-testid="evaluation-left"
                />
                <div className="sf-muted">{t('record.used', { used: e.evaluation.used })}</div>
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card title={t('record.closedLevels')} size="small" data-testid="closed-levels">
                {e.closedLevels.length === 0 ? (
                  <span className="sf-muted">{t('record.noClosedLevels')}</span>
                ) : (
                  e.closedLevels.map((c) => (
                    <div key={`${c.occupationCode}-${c.level}`} title={name(c.message)}>
                      <Tag color={c.code === 'SAME_OCCUPATION_LEVEL' ? 'orange' : 'red'}>
                        {occupation(c.occupationName, c.occupationCode)} · {level(c.level)}
                      </Tag>
                      <span className="sf-muted">
                        {t(c.code === 'SAME_OCCUPATION_LEVEL' ? 'record.sameLevel' : 'record.lowerLevel')}
                      </span>
                    </div>
                  ))
                )}
              </Card>
            </Col>
          </Row>

          <Card title={t('record.classes')} className="sf-block">
            <ResponsiveTable<ClassLine>
              rowKey="enrollmentId"
              dataSource={record.classes}
              pagination={false}
              size="middle"
              scroll={{ x: 1000 }}
              data-testid="record-classes"
              locale={{ emptyText: t('record.noClasses') }}
              columns={[
                {
                  title: t('inbox.class'),
                  key: 'class',
                  render: (_, c) => (
                    <div>
                      <a href={href(`/cases/${encodeURIComponent(c.classId)}`)}>{c.title ?? c.classId}</a>
                      <div className="sf-muted" style={{ fontSize: 12 }}>
                        {c.institutionName ?? c.institutionId}
                      </div>
                    </div>
                  ),
                },
                {
                  title: t('case.occupation'),
                  key: 'occ',
                  render: (_, c) => `${occupation(c.occupationName, c.occupationCode)} · ${level(c.level)}`,
                },
                {
                  title: t('plan.period'),
                  key: 'period',
                  render: (_, c) => `${date(c.plannedStart)} ~ ${date(c.plannedEnd)}`,
                },
                {
                  title: t('trainee.status'),
                  key: 'status',
                  render: (_, c) => (
                    <>
                      {c.stage && <StageTag stage={c.stage} />}
                      {c.status !== 'ENROLLED' && (
                        <Tag>{name(ENROLLMENT_STATUS_NAMES[c.status], c.status)}</Tag>
                      )}
                    </>
                  ),
                },
                {
                  title: t('trainee.attended'),
                  key: 'hours',
                  align: 'right',
                  render: (_, c) => `${c.attendedHours} / ${c.classHours ?? '—'}`,
                },
                {
                  title: t('trainee.assessment'),
                  key: 'assessment',
                  render: (_, c) => (c.assessment ? name(ASSESSMENT_NAMES[c.assessment], c.assessment) : '—'),
                },
                { title: t('record.certificateNo'), key: 'cert', render: (_, c) => c.certificateNo ?? '—' },
                {
                  title: t('trainee.employed'),
                  key: 'employed',
                  render: (_, c) => (c.employed === null ? '—' : t(c.employed ? 'common.yes' : 'common.no')),
                },
                {
                  title: t('trainee.amount'),
                  key: 'amount',
                  align: 'right',
                  render: (_, c) => (c.amountFen === null ? '—' : <Money fen={c.amountFen} />),
                },
              ]}
            />
          </Card>

          <Card title={t('record.subsidies')} className="sf-block">
            <ResponsiveTable<Subsidy>
              rowKey={(s) => `${s.classId}:${s.kind}`}
              dataSource={record.subsidies}
              pagination={false}
              size="middle"
              data-testid="record-subsidies"
              locale={{ emptyText: t('record.noSubsidies') }}
              columns={[
                {
                  title: t('record.kind'),
                  key: 'kind',
                  render: (_, s) => name(LINE_KIND_NAMES[s.kind], s.kind),
                },
                {
                  title: t('case.occupation'),
                  key: 'occ',
                  render: (_, s) => `${occupation(s.occupationName, s.occupationCode)} · ${level(s.level)}`,
                },
                { title: t('record.class'), dataIndex: 'classId' },
                {
                  title: t('plan.period'),
                  key: 'period',
                  render: (_, s) => `${date(s.periodStart)} ~ ${date(s.periodEnd)}`,
                },
                {
                  title: t('trainee.status'),
                  key: 'status',
                  render: (_, s) => {
                    const st = SUBSIDY_STATUS[s.status];
                    return <Tag color={st?.color}>{name(st, s.status)}</Tag>;
                  },
                },
              ]}
            />
          </Card>
        </div>
      )}
    </>
  );
}
