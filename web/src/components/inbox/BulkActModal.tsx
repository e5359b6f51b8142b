// 批量办理 where the rule allows it: several evidence items verified (one shared note or a note each), several
// payment batches approved. Each item is its own decision — its own API call, its own record in the case — so
// each shows its own result: done, or refused and why (another caseworker was faster, the date is outside the
// trainee's window, the batch is no longer awaiting approval…). Pressing submit again retries only the refused.
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { Alert, Form, Input, Modal, Radio, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, endpoints, type Task } from '../../api';
import { useI18n } from '../../i18n';
import { Money } from '../Money';
import { subjectText } from './TaskSubject';

export type BulkMode = 'VERIFY_EMPLOYMENT' | 'APPROVE_PAYMENT';

interface Outcome {
  ok: boolean;
  message?: string;
}

function refusalText(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const p = e.problem;
  const fields = p.errors?.map((x) => x.message).join('；');
  return [p.title, p.detail, fields].filter((x, i, all) => x && all.indexOf(x) === i).join('：');
}

export function BulkActModal({
  mode,
  tasks,
  skipped,
  onClose,
}: {
  mode: BulkMode | null;
  tasks: Task[];
  /** selected tasks of another kind, left alone */
  skipped: number;
  onClose(changed: boolean): void;
}) {
  const { t } = useI18n();
  const [verdict, setVerdict] = useState<'VERIFIED' | 'REJECTED'>('VERIFIED');
  const [noteMode, setNoteMode] = useState<'shared' | 'each'>('shared');
  const [sharedNote, setSharedNote] = useState('');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [running, setRunning] = useState(false);
  // The items as they were when the dialog opened: the inbox behind it reloads as they are done, and a task
  // done by this dialog leaves the inbox (so `tasks` shrinks, and the dialog would think it had work left).
  const [items, setItems] = useState<Task[]>([]);

  useEffect(() => {
    if (mode === null) return;
    setItems(tasks);
    setVerdict('VERIFIED');
    setNoteMode('shared');
    setSharedNote('');
    setNotes({});
    setOutcomes({});
  }, [mode]);

  const run = async () => {
    setRunning(true);
    for (const task of items) {
      if (outcomes[task.id]?.ok) continue;
      try {
        if (mode === 'VERIFY_EMPLOYMENT') {
          const note = (noteMode === 'shared' ? sharedNote : (notes[task.id] ?? '')).trim();
          await endpoints.actOnTask(task.id, {
            kind: 'VERIFY_EMPLOYMENT',
            verdict,
            ...(note ? { note } : {}),
          });
        } else await endpoints.actOnTask(task.id, { kind: 'APPROVE_PAYMENT' });
        setOutcomes((o) => ({ ...o, [task.id]: { ok: true } }));
      } catch (e) {
        setOutcomes((o) => ({ ...o, [task.id]: { ok: false, message: refusalText(e) } }));
      }
    }
    setRunning(false);
  };

  const results = Object.values(outcomes);
  const ok = results.filter((r) => r.ok).length;
  const failed = results.filter((r) => !r.ok).length;
  const finished = items.length > 0 && ok === items.length;

  return (
    <Modal
      open={mode !== null}
      width={760}
      title={t(mode === 'APPROVE_PAYMENT' ? 'inbox.bulkApproveTitle' : 'inbox.bulkVerifyTitle')}
      okText={finished ? t('common.ok') : t('inbox.bulkRun')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: running, 'data-testid': 'bulk-submit' } as { loading: boolean }}
      onOk={() => (finished ? onClose(true) : void run())}
      onCancel={() => onClose(results.length > 0)}
      destroyOnHidden
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {skipped > 0 && <Alert type="info" showIcon title={t('inbox.bulkSkipped', { n: skipped })} />}
        {mode === 'APPROVE_PAYMENT' && (
          <Typography.Text type="secondary">{t('inbox.approveHint')}</Typography.Text>
        )}
        {mode === 'VERIFY_EMPLOYMENT' && (
          <Form layout="vertical" component="div">
            <Form.Item label={t('evidence.verdict')} style={{ marginBottom: 12 }}>
              <Radio.Group
                value={verdict}
                onChange={(e) => setVerdict(e.target.value as 'VERIFIED' | 'REJECTED')}
                options={[
                  { value: 'VERIFIED', label: t('evidence.verified') },
                  { value: 'REJECTED', label: t('evidence.rejected') },
                ]}
              />
            </Form.Item>
            <Form.Item label={t('inbox.noteMode')} style={{ marginBottom: 12 }}>
              <Radio.Group
                value={noteMode}
                onChange={(e) => setNoteMode(e.target.value as 'shared' | 'each')}
                options={[
                  { value: 'shared', label: t('inbox.noteShared') },
                  { value: 'each', label: t('inbox.noteEach') },
                ]}
              />
            </Form.Item>
            {noteMode === 'shared' && (
              <Form.Item label={t('inbox.sharedNote')} style={{ marginBottom: 0 }}>
                <Input.TextArea
                  rows={2}
                  maxLength={500}
                  value={sharedNote}
                  onChange={(e) => setSharedNote(e.target.value)}
                  data-testid="bulk-shared-note"
                />
              </Form.Item>
            )}
          </Form>
        )}
        <Table<Task>
          rowKey="id"
          size="small"
          pagination={false}
          data-testid="bulk-items"
          dataSource={items}
          scroll={{ x: 560 }}
          columns={[
            {
              title: t('inbox.subject'),
              key: 'subject',
              width: 180,
              render: (_, task) => (
                <div>
                  <Typography.Text strong>{subjectText(task, t)}</Typography.Text>
                  {task.about?.type === 'BATCH' && task.about.totalFen !== null && (
                    <div>
                      <Money fen={task.about.totalFen} />
                    </div>
                  )}
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {task.classTitle ?? task.classId}
                  </div>
                </div>
              ),
            },
            ...(mode === 'VERIFY_EMPLOYMENT' && noteMode === 'each'
              ? [
                  {
                    title: t('evidence.note'),
                    key: 'note',
                    render: (_: unknown, task: Task) => (
                      <Input
                        maxLength={500}
                        value={notes[task.id] ?? ''}
                        aria-label={`${t('evidence.note')} ${subjectText(task, t)}`}
                        onChange={(e) => setNotes((n) => ({ ...n, [task.id]: e.target.value }))}
                        disabled={outcomes[task.id]?.ok}
                        data-testid="bulk-note"
                      />
                    ),
                  },
                ]
              : []),
            {
              title: t('inbox.result'),
              key: 'result',
              width: 260,
              render: (_, task) => {
                const o = outcomes[task.id];
                if (!o) return <Typography.Text type="secondary">{t('inbox.resultPending')}</Typography.Text>;
                return o.ok ? (
                  <Space size={4} data-testid="bulk-result-ok">
                    <CheckCircleTwoTone twoToneColor="#52c41a" />
                    {t('inbox.resultOk')}
                  </Space>
                ) : (
                  <Space size={4} align="start" data-testid="bulk-result-refused">
                    <CloseCircleTwoTone twoToneColor="#ff4d4f" />
                    <Typography.Text type="danger">
                      {t('inbox.resultRefused')}：{o.message}
                    </Typography.Text>
                  </Space>
                );
              },
            },
          ]}
        />
        {results.length > 0 && !running && (
          <Alert
            type={failed ? 'warning' : 'success'}
            showIcon
            data-testid="bulk-summary"
            title={t('inbox.bulkSummary', { ok, failed })}
          />
        )}
      </Space>
    </Modal>
  );
}
