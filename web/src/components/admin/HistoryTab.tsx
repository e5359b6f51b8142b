// 历史数据导入 (ADMIN): the classes the bureau closed in its predecessor system, imported from the template sheet
// as closed, read-only classes the dashboard and the performance report count. All or nothing: every cell or row
// the import refuses stays on screen by its sheet row and column, and nothing is imported until the file is right;
// the same file again changes nothing.
import { DownloadOutlined, ImportOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { HISTORY_COLUMNS } from '../../../../domain/history';
import { ApiError, endpoints, saveFile, type HistoryImported } from '../../api';
import { useApiError } from '../../hooks';
import { useI18n } from '../../i18n';
import { href } from '../../router';
import { ResponsiveTable } from '../ResponsiveTable';

/** A refused cell or row, placed in the sheet: `classes.N.field` is the sheet's row N + 2 (row 1 is the header). */
interface Refusal {
  key: number;
  sheetRow?: number;
  column?: string;
  message: string;
}
type Outcome = HistoryImported['imported'][number] & { unchanged: boolean };

export function HistoryTab() {
  const { t, lang } = useI18n();
  const showError = useApiError();
  const [form] = Form.useForm<{ source: string }>();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'import' | 'template' | null>(null);
  const [done, setDone] = useState<HistoryImported | null>(null);
  const [refused, setRefused] = useState<{ title: string; rows: Refusal[] } | null>(null);

  const columnName = (field: string | undefined) => {
    const c = HISTORY_COLUMNS.find((x) => x.field === field);
    return c ? (lang === 'en' ? c.en : c.header) : field;
  };

  const importFile = async ({ source }: { source: string }) => {
    if (!file) return;
    setBusy('import');
    setDone(null);
    setRefused(null);
    try {
      setDone(await endpoints.importHistoryFile(source.trim(), file));
    } catch (e) {
      const p = showError(e, form);
      if (e instanceof ApiError && p && p.status !== 0)
        setRefused({
          title: [p.title, p.detail].filter(Boolean).join('：'),
          rows: (p.errors ?? [])
            .filter((x) => x.path !== 'source')
            .map((x, key) => {
              const m = /^(?:classes\.(\d+)|file)(?:\.(\w+))?/.exec(x.path);
              return {
                key,
                sheetRow: m?.[1] !== undefined ? Number(m[1]) + 2 : undefined,
                column: m?.[2] !== undefined ? columnName(m[2]) : undefined,
                message: x.message,
              };
            }),
        });
    } finally {
      setBusy(null);
    }
  };

  const template = async () => {
    setBusy('template');
    try {
      saveFile(await endpoints.historyTemplate(), 'history-template.xlsx');
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const outcomes: Outcome[] = done
    ? [
        ...done.imported.map((c) => ({ ...c, unchanged: false })),
        ...done.unchanged.map((c) => ({ ...c, unchanged: true })),
      ]
    : [];

  return (
    <div data-testid="history-import">
      <Alert type="info" showIcon title={t('history.intro')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => void importFile(v)}
        style={{ rowGap: 8 }}
        requiredMark={false}
      >
        <Form.Item
          name="source"
          label={t('history.source')}
          tooltip={t('history.sourceHint')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            // as the API takes an id: letters, digits and . _ : # @ + - (no spaces)
            { pattern: /^[\p{L}\p{N}._:#@+-]+$/u, message: t('history.sourceHint') },
          ]}
        >
          <Input
            placeholder="SJZ-PXGL"
            maxLength={40}
            style={{ width: 200, maxWidth: 'calc(100vw - 165px)' }}
            data-testid="history-source"
          />
        </Form.Item>
        <Form.Item>
          <Upload
            accept=".xlsx,.csv"
            showUploadList={false}
            beforeUpload={(f) => {
              setFile(f);
              setDone(null);
              setRefused(null);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="history-choose">
              {t('history.choose')}
            </Button>
          </Upload>
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<ImportOutlined />}
          disabled={!file}
          loading={busy === 'import'}
          data-testid="history-submit"
        >
          {t('history.import')}
        </Button>
        <Button
          type="link"
          icon={<DownloadOutlined />}
          loading={busy === 'template'}
          onClick={() => void template()}
          data-testid="history-template"
        >
          {t('history.template')}
        </Button>
      </Form>
      {file && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="history-file">
          {t('history.chosen', { file: file.name })}
        </Typography.Paragraph>
      )}
      {refused && (
        <>
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            title={refused.title}
            description={t('history.refused')}
            data-testid="history-refused"
          />
          {refused.rows.length > 0 && (
            <ResponsiveTable<Refusal>
              style={{ marginTop: 12 }}
              size="small"
              rowKey="key"
              dataSource={refused.rows}
              pagination={refused.rows.length > 20 ? { pageSize: 20 } : false}
              data-testid="history-problems"
              phoneTitle={(r) => (r.sheetRow ? t('portal.row', { n: r.sheetRow }) : (r.column ?? ''))}
              columns={[
                {
                  title: t('history.row'),
                  dataIndex: 'sheetRow',
                  width: 90,
                  render: (v: number | undefined) => v ?? '—',
                },
                {
                  title: t('history.column'),
                  dataIndex: 'column',
                  width: 160,
                  render: (v?: string) => v ?? '—',
                },
                {
                  title: t('history.problem'),
                  dataIndex: 'message',
                  render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text>,
                },
              ]}
            />
          )}
        </>
      )}
      {done && (
        <>
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            showIcon
            title={t('history.done', { n: done.imported.length, m: done.unchanged.length })}
            data-testid="history-done"
          />
          <ResponsiveTable<Outcome>
            style={{ marginTop: 12 }}
            size="small"
            rowKey="classId"
            dataSource={outcomes}
            pagination={outcomes.length > 20 ? { pageSize: 20 } : false}
            data-testid="history-outcomes"
            phoneTitle={(r) => r.ref}
            columns={[
              { title: t('history.ref'), dataIndex: 'ref' },
              {
                title: t('history.classId'),
                dataIndex: 'classId',
                render: (id: string) => <a href={href(`/cases/${encodeURIComponent(id)}`)}>{id}</a>,
              },
              {
                title: t('history.outcome'),
                dataIndex: 'unchanged',
                render: (u: boolean) =>
                  u ? <Tag>{t('history.unchanged')}</Tag> : <Tag color="success">{t('history.new')}</Tag>,
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
