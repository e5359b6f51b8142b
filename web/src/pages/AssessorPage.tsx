// 评价机构: the classes booked with this assessment body, and for a class awaiting assessment the results form
// (one row per trainee on the roster: result, certificate number). Names are masked here too.
import { DownloadOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Segmented,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  endpoints,
  saveFile,
  type AssessmentResult,
  type CaseDetail,
  type ClassRow,
  type ImportedResults,
  type TraineeRow,
} from '../api';
import { DueDate } from '../components/DueDate';
import { ExportButton } from '../components/ExportButton';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { StageTag } from '../components/StageTag';
import { date } from '../format';
import { useApiError, useCursorList } from '../hooks';
import { useI18n } from '../i18n';
import { ASSESSMENT_NAMES, LEVEL_NAMES, occupationNamed } from '../names';
import { href, navigate, useLocation } from '../router';

export function AssessorPage() {
  const { t, name } = useI18n();
  // What the body can act on first: the classes awaiting its results; every booked class one click away
  // (#/assessor?scope=all, so the choice survives a reload and can be bookmarked).
  const scope: 'awaiting' | 'all' = useLocation().query.get('scope') === 'all' ? 'all' : 'awaiting';
  const setScope = (v: 'awaiting' | 'all') => navigate(v === 'all' ? '/assessor?scope=all' : '/assessor');
  const list = useCursorList(
    (cursor) =>
      endpoints.bookedClasses({ limit: 50, cursor, stage: scope === 'awaiting' ? 'ASSESSMENT' : undefined }),
    [scope],
  );
  return (
    <>
      <PageHeader
        title={t('assessor.title')}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              {t('common.refresh')}
            </Button>
            {/* the classes booked with this body only (the API scopes the export as it scopes the list), as shown */}
            <ExportButton
              load={() => endpoints.casesExport({ stage: scope === 'awaiting' ? 'ASSESSMENT' : undefined })}
              filename="booked-classes.xlsx"
              testId="assessor-export"
            />
          </Space>
        }
      />
      <Card>
        <Segmented
          style={{ marginBottom: 16 }}
          value={scope}
          onChange={(v) => setScope(v as 'awaiting' | 'all')}
          data-testid="assessor-scope"
          options={[
            { value: 'awaiting', label: t('assessor.awaiting') },
            { value: 'all', label: t('assessor.allBooked') },
          ]}
        />
        <ResponsiveTable<ClassRow>
          rowKey="id"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          size="middle"
          locale={{ emptyText: scope === 'awaiting' ? t('assessor.noneAwaiting') : undefined }}
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
  const { t, name, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [form] = Form.useForm<{ results: Row[] }>();
  const [busy, setBusy] = useState<'submit' | 'sheet' | 'import' | null>(null);
  const [fillWith, setFillWith] = useState<AssessmentResult | undefined>();
  const [imported, setImported] = useState<ImportedResults | null>(null);

  useEffect(() => {
    endpoints
      .caseDetail(classId)
      .then(setDetail)
      .catch((e) => showError(e));
  }, [classId, showError]);

  const trainees: TraineeRow[] = (detail?.trainees ?? []).filter((x) => x.status !== 'WITHDRAWN');
  const resultOptions = Object.entries(ASSESSMENT_NAMES).map(([value, n]) => ({ value, label: name(n) }));

  const submit = async (v: { results: Row[] }) => {
    setBusy('submit');
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
      setBusy(null);
    }
  };

  /** 全部填为: every row gets the same result; the exceptions are then changed row by row. */
  const fillAll = () => {
    if (!fillWith) return;
    const current = form.getFieldValue('results') as Row[] | undefined;
    form.setFieldsValue({
      results: trainees.map((_, i) => ({ ...(current?.[i] ?? {}), result: fillWith })),
    });
  };

  const downloadSheet = async () => {
    setBusy('sheet');
    try {
      saveFile(await endpoints.resultsSheet(classId), `${classId}-results.xlsx`);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  /** 导入结果表: the rows read go into the form (nothing is recorded until it is submitted). */
  const importSheet = async (file: File) => {
    setBusy('import');
    setImported(null);
    try {
      const answer = await endpoints.importResults(classId, file);
      const byId = new Map(answer.results.map((r) => [r.enrollmentId, r]));
      const current = (form.getFieldValue('results') as Row[] | undefined) ?? [];
      form.setFieldsValue({
        results: trainees.map((tr, i) => {
          const r = byId.get(tr.enrollmentId);
          return r ? { result: r.result, certificateNo: r.certificateNo ?? '' } : (current[i] ?? {});
        }),
      });
      setImported(answer);
      message.success(t('assessor.imported', { n: answer.results.length }));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  if (!detail) return <Skeleton active />;
  const stage = detail.class?.stage ?? detail.case?.stage;
  const short = trainees.filter((x) => x.attendanceShort).length;
  return (
    <>
      <PageHeader title={`${t('assessor.record')} · ${detail.class?.title ?? classId}`} />
      <Card>
        {stage !== 'ASSESSMENT' && <Alert type="info" showIcon title={t('assessor.notAwaiting')} />}
        {short > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('assessor.shortAttendance', { n: short })}
            data-testid="short-attendance"
          />
        )}
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<AssessmentResult>
            showSearch
            optionFilterProp="label"
            aria-label={t('assessor.fillWith')}
            placeholder={t('assessor.fillWith')}
            style={{ width: 220 }}
            value={fillWith}
            onChange={setFillWith}
            options={resultOptions}
            data-testid="fill-with"
          />
          <Button onClick={fillAll} disabled={!fillWith} data-testid="fill-all">
            {t('assessor.fillAll')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            loading={busy === 'sheet'}
            onClick={() => void downloadSheet()}
            data-testid="results-sheet"
          >
            {t('assessor.sheet')}
          </Button>
          <Upload
            accept=".xlsx,.csv"
            showUploadList={false}
            beforeUpload={(f) => {
              void importSheet(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy === 'import'} data-testid="results-import">
              {t('assessor.import')}
            </Button>
          </Upload>
        </Space>
        {imported && imported.errors.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="results-import-errors"
            title={t('assessor.importRefused', { n: imported.errors.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {imported.errors.map((e, i) => (
                  <li key={i}>
                    <Typography.Text strong>{t('portal.row', { n: e.sheetRow })}</Typography.Text>：
                    {lang === 'en' ? e.message.en : e.message.zh}
                  </li>
                ))}
              </ul>
            }
          />
        )}
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
              {
                title: t('trainee.attended'),
                dataIndex: 'attendedHours',
                align: 'right',
                render: (h: number, tr) => (
                  <Space size={4}>
                    {h}
                    {tr.attendanceShort && (
                      <Tag color="warning" data-testid="attendance-short">
                        {t('assessor.short')}
                      </Tag>
                    )}
                  </Space>
                ),
              },
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
                      aria-label={t('trainee.assessment')}
                      style={{ width: 200, maxWidth: '100%' }}
                      options={resultOptions}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('assessor.certificateNo'),
                key: 'c',
                render: (_, _tr, i) => (
                  <Form.Item name={['results', i, 'certificateNo']} style={{ margin: 0 }}>
                    <Input
                      maxLength={80}
                      aria-label={t('assessor.certificateNo')}
                      style={{ width: 180, maxWidth: '100%' }}
                    />
                  </Form.Item>
                ),
              },
            ]}
          />
          <Space style={{ marginTop: 16 }}>
            <Button
              type="primary"
              htmlType="submit"
              loading={busy === 'submit'}
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
