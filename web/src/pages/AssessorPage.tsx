// 评价机构: the classes booked with this assessment body, and for a class awaiting assessment the results form
// (one row per trainee on the roster: result, certificate number). Names are masked here too.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Select, Skeleton, Space } from 'antd';
import { useEffect, useState } from 'react';
import { endpoints, type AssessmentResult, type CaseDetail, type ClassRow, type TraineeRow } from '../api';
import { DueDate } from '../components/DueDate';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { StageTag } from '../components/StageTag';
import { date } from '../format';
import { useApiError, useCursorList } from '../hooks';
import { useI18n } from '../i18n';
import { ASSESSMENT_NAMES, LEVEL_NAMES, occupationNamed } from '../names';
import { href, navigate } from '../router';

export function AssessorPage() {
  const { t, name } = useI18n();
  const list = useCursorList((cursor) => endpoints.bookedClasses({ limit: 50, cursor }), []);
  return (
    <>
      <PageHeader
        title={t('assessor.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Card>
        <ResponsiveTable<ClassRow>
          rowKey="id"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          size="middle"
          data-testid="assessor-classes"
          columns={[
            {
              title: t('inbox.class'),
              key: 'class',
              render: (_, c) => (
                <div>
                  {c.title || c.id}
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {c.id}
                  </div>
                </div>
              ),
            },
            { title: t('inbox.stage'), dataIndex: 'stage', render: (s: string) => <StageTag stage={s} /> },
            {
              title: t('case.institution'),
              key: 'inst',
              render: (_, c) => c.institutionName ?? c.institutionId,
            },
            {
              title: t('case.occupation'),
              key: 'occ',
              render: (_, c) =>
                `${name(occupationNamed(c.occupationCode), c.occupationCode)} · ${name(
                  LEVEL_NAMES[c.level as keyof typeof LEVEL_NAMES],
                  c.level,
                )}`,
            },
            {
              title: t('plan.period'),
              key: 'p',
              render: (_, c) => `${date(c.plannedStart)} ~ ${date(c.plannedEnd)}`,
            },
            {
              title: t('case.due'),
              key: 'due',
              render: (_, c) =>
                c.stage === 'ASSESSMENT' ? (
                  <DueDate dueAt={c.dueAt} overdue={c.overdue} escalated={c.escalated} />
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, c) =>
                c.stage === 'ASSESSMENT' ? (
                  <Button
                    type="primary"
                    size="small"
                    href={href(`/assessor/classes/${encodeURIComponent(c.id)}`)}
                    data-testid="record-results"
                  >
                    {t('assessor.record')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );
}

interface Row {
  result?: AssessmentResult;
  certificateNo?: string;
}

export function AssessmentResultsPage({ classId }: { classId: string }) {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [form] = Form.useForm<{ results: Row[] }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    endpoints
      .caseDetail(classId)
      .then(setDetail)
      .catch((e) => showError(e));
  }, [classId, showError]);

  const trainees: TraineeRow[] = (detail?.trainees ?? []).filter((x) => x.status !== 'WITHDRAWN');

  const submit = async (v: { results: Row[] }) => {
    setBusy(true);
    try {
      await endpoints.recordResults(
        classId,
        trainees.map((tr, i) => ({
          enrollmentId: tr.enrollmentId,
          result: v.results[i]!.result!,
          certificateNo: v.results[i]!.certificateNo?.trim() || undefined,
        })),
      );
      message.success(t('common.success'));
      navigate('/assessor');
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  if (!detail) return <Skeleton active />;
  const stage = detail.class?.stage ?? detail.case?.stage;
  return (
    <>
      <PageHeader title={`${t('assessor.record')} · ${detail.class?.title ?? classId}`} />
      <Card>
        {stage !== 'ASSESSMENT' && <Alert type="info" showIcon message={t('assessor.notAwaiting')} />}
        <Form form={form} onFinish={submit} initialValues={{ results: trainees.map(() => ({})) }}>
          <ResponsiveTable<TraineeRow>
            rowKey="enrollmentId"
            size="small"
            pagination={false}
            dataSource={trainees}
            data-testid="results-table"
            columns={[
              { title: t('trainee.name'), dataIndex: 'nameMasked' },
              { title: t('trainee.idNumber'), dataIndex: 'idMasked' },
              { title: t('trainee.attended'), dataIndex: 'attendedHours', align: 'right' },
              {
                title: t('trainee.assessment'),
                key: 'r',
                render: (_, _tr, i) => (
                  <Form.Item
                    name={['results', i, 'result']}
                    rules={[{ required: true, message: t('common.required') }]}
                    style={{ margin: 0 }}
                  >
                    <Select
                      showSearch
                      optionFilterProp="label"
                      style={{ width: 200, maxWidth: '100%' }}
                      options={Object.entries(ASSESSMENT_NAMES).map(([value, n]) => ({
                        value,
                        label: name(n),
                      }))}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('assessor.certificateNo'),
                key: 'c',
                render: (_, _tr, i) => (
                  <Form.Item name={['results', i, 'certificateNo']} style={{ margin: 0 }}>
                    <Input maxLength={80} style={{ width: 180, maxWidth: '100%' }} />
                  </Form.Item>
                ),
              },
            ]}
          />
          <Space style={{ marginTop: 16 }}>
            <Button
              type="primary"
              htmlType="submit"
              loading={busy}
              disabled={stage !== 'ASSESSMENT'}
              data-testid="submit-results"
            >
              {t('common.submit')}
            </Button>
            <Button href={href('/assessor')}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
