// 花名册导入: a roster file is checked row by row first (nothing enrolled), every row's problems stay on screen
// in a table, and the institution then enrols all rows, only the good ones, or downloads the refused rows to
// correct. Refusals at enrolment (the subsidy rules the workflow checks) land on the same rows.
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, endpoints, saveFile, type Bilingual, type EnrolAnswer, type RosterCheck } from '../../api';
import { useApiError } from '../../hooks';
import { useI18n } from '../../i18n';
import { TRAINEE_CATEGORY_NAMES } from '../../names';
import { ResponsiveTable } from '../ResponsiveTable';

type Row = RosterCheck['rows'][number];
/** a row's standing after an enrolment was tried: enrolled, or refused with the workflow's reasons */
type Outcome = { enrolled: true } | { enrolled: false; reasons: string[] };

export function RosterImport({
  classId,
  requireVoucher = false,
  onEnrolled,
}: {
  classId: string;
  /** 凭培训券报名: only people holding a claimed training voucher usable in this class */
  requireVoucher?: boolean;
  onEnrolled(a: EnrolAnswer): void;
}) {
  const { t, name, lang } = useI18n();
  const showError = useApiError();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<RosterCheck | null>(null);
  const [outcomes, setOutcomes] = useState<Map<number, Outcome>>(new Map());
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'enrol' | 'refused' | 'template' | null>(null);
  const pick = (m: Bilingual) => (lang === 'en' ? m.en : m.zh);

  const choose = async (f: File) => {
    setBusy('check');
    setFile(null);
    setCheck(null);
    setOutcomes(new Map());
    setProblem(null);
    try {
      const answer = await endpoints.checkRoster(classId, f);
      setFile(f);
      setCheck(answer);
    } catch (e) {
      // The file itself is wrong (columns, empty, too many rows): say so where the user looks, not in a toast.
      const p = showError(e);
      if (p)
        setProblem([p.title, p.detail, ...(p.errors ?? []).map((x) => x.message)].filter(Boolean).join('：'));
    } finally {
      setBusy(null);
    }
  };

  const enrol = async (validOnly: boolean) => {
    if (!file) return;
    setBusy('enrol');
    setProblem(null);
    try {
      const answer = await endpoints.importRoster(classId, file, validOnly, requireVoucher);
      const next = new Map<number, Outcome>();
      for (const e of answer.enrolled) next.set(e.row, { enrolled: true });
      for (const r of answer.refused)
        next.set(r.row, { enrolled: false, reasons: r.errors.map((x) => pick(x.message)) });
      setOutcomes(next);
      onEnrolled(answer);
    } catch (e) {
      const p = showError(e);
      // All or nothing: the rows the workflow refused (subsidy limits, another class) come back as
      // trainees.N.field; nobody was enrolled, and each reason goes on its row.
      const byRow = new Map<number, string[]>();
      for (const x of p?.errors ?? []) {
        const m = /^trainees\.(\d+)/.exec(x.path);
        if (m) byRow.set(Number(m[1]), [...(byRow.get(Number(m[1])) ?? []), x.message]);
      }
      if (byRow.size) {
        setOutcomes(new Map([...byRow].map(([row, reasons]) => [row, { enrolled: false, reasons }])));
        setProblem(t('roster.nobodyEnrolled'));
      } else if (e instanceof ApiError && p) setProblem(p.title ?? null);
    } finally {
      setBusy(null);
    }
  };

  const download = async (what: 'refused' | 'template') => {
    setBusy(what);
    try {
      if (what === 'template') saveFile(await endpoints.rosterTemplate(), 'roster-template.xlsx');
      else if (file)
        saveFile(await endpoints.refusedRosterRows(classId, file), `${classId}-refused-rows.xlsx`);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const verdict = (r: Row) => {
    const after = outcomes.get(r.row);
    if (after?.enrolled) return <Tag color="success">{t('roster.enrolled')}</Tag>;
    const reasons = [...new Set([...r.errors.map((e) => pick(e.message)), ...(after ? after.reasons : [])])];
    if (!reasons.length) return <Tag color="processing">{t('roster.ok')}</Tag>;
    return (
      <Space direction="vertical" size={0}>
        {reasons.map((text, i) => (
          <Typography.Text key={i} type="danger">
            {text}
          </Typography.Text>
        ))}
      </Space>
    );
  };

  const categoryName = (code: string) =>
    code in TRAINEE_CATEGORY_NAMES
      ? name(TRAINEE_CATEGORY_NAMES[code as keyof typeof TRAINEE_CATEGORY_NAMES])
      : code;
  const done = [...outcomes.values()].some((o) => o.enrolled);

  return (
    <div data-testid="roster-import" style={{ marginTop: 16 }}>
      <Space wrap>
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(f) => {
            void choose(f);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy === 'check'}>
            {t('portal.import')}
          </Button>
        </Upload>
        <Button
          type="link"
          icon={<DownloadOutlined />}
          loading={busy === 'template'}
          onClick={() => void download('template')}
          data-testid="roster-template"
        >
          {t('roster.template')}
        </Button>
      </Space>
      {problem && (
        <Alert style={{ marginTop: 12 }} type="error" showIcon title={problem} data-testid="roster-problem" />
      )}
      {check && (
        <>
          <Alert
            style={{ marginTop: 12 }}
            type={check.refused ? 'warning' : 'info'}
            showIcon
            title={t('roster.summary', {
              file: file?.name ?? '',
              n: check.rows.length,
              ok: check.valid,
              bad: check.refused,
            })}
            description={check.refused ? t('roster.refusedHint') : t('roster.allGood')}
          />
          <ResponsiveTable<Row>
            style={{ marginTop: 12 }}
            size="small"
            rowKey="row"
            data-testid="roster-rows"
            dataSource={check.rows}
            pagination={check.rows.length > 20 ? { pageSize: 20 } : false}
            phoneTitle={(r) => `${t('portal.row', { n: r.sheetRow ?? r.row + 1 })} · ${r.name}`}
            rowClassName={(r) =>
              r.errors.length || outcomes.get(r.row)?.enrolled === false ? 'sf-row-refused' : ''
            }
            columns={[
              {
                title: t('roster.sheetRow'),
                dataIndex: 'sheetRow',
                width: 80,
                render: (_: unknown, r: Row) => r.sheetRow ?? r.row + 1,
              },
              { title: t('trainee.name'), dataIndex: 'name', width: 110 },
              {
                title: t('trainee.idNumber'),
                dataIndex: 'idNumber',
                width: 200,
                render: (v: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span>,
              },
              {
                title: t('trainee.category'),
                dataIndex: 'category',
                render: (v: string) => categoryName(v),
              },
              { title: t('roster.verdict'), key: 'verdict', render: (_: unknown, r: Row) => verdict(r) },
            ]}
          />
          {!done && (
            <Space wrap style={{ marginTop: 12 }}>
              <Button
                type="primary"
                disabled={check.refused > 0}
                loading={busy === 'enrol'}
                onClick={() => void enrol(false)}
                data-testid="roster-enrol-all"
              >
                {t('roster.enrolAll', { n: check.rows.length })}
              </Button>
              {check.refused > 0 && check.valid > 0 && (
                <Button
                  loading={busy === 'enrol'}
                  onClick={() => void enrol(true)}
                  data-testid="roster-enrol-valid"
                >
                  {t('roster.enrolValid', { n: check.valid })}
                </Button>
              )}
              {check.refused > 0 && (
                <Button
                  icon={<FileExcelOutlined />}
                  loading={busy === 'refused'}
                  onClick={() => void download('refused')}
                  data-testid="roster-refused-rows"
                >
                  {t('roster.refusedRows', { n: check.refused })}
                </Button>
              )}
            </Space>
          )}
        </>
      )}
    </div>
  );
}
