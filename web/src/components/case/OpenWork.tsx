// What waits on the current user in this case: open objections and employment evidence (caseworker),
// employment evidence still due (institution), payment batches awaiting approval (finance). Evidence is shown
// with the trainee's follow-up window wherever it is entered or judged.
import { Button, Card, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import type { CaseTask, CaseView } from '../../api';
import { useI18n } from '../../i18n';
import {
  ASSESSMENT_NAMES,
  BATCH_KIND_NAMES,
  EVIDENCE_KIND_NAMES,
  LINE_KIND_NAMES,
  TIER_NAMES,
} from '../../names';
import { useSession } from '../../session';
import { BatchActions } from '../BatchActions';
import { DueDate } from '../DueDate';
import { Money } from '../Money';
import { ResponsiveTable } from '../ResponsiveTable';
import { ResolveObjectionModal } from './ResolveObjectionModal';
import { FollowUpWindowText, withinWindow } from './FollowUpWindow';
import { SubmitEvidenceModal } from './SubmitEvidenceModal';
import { VerifyEvidenceModal, type EvidenceToVerify } from './VerifyEvidenceModal';

/** A verification task carries the evidence it is about; its subject is the enrolment. */
export function evidenceOf(task: CaseTask): { evidenceId: string; enrollmentId: string } | null {
  if (task.kind !== 'VERIFY_EMPLOYMENT' || !task.evidenceId || !task.subject) return null;
  return { evidenceId: task.evidenceId, enrollmentId: task.subject };
}

export function OpenWork({ detail, onChanged }: { detail: CaseView; onChanged(): void }) {
  const { t, name } = useI18n();
  const { user } = useSession();
  const [objection, setObjection] = useState<string | null>(null);
  const [evidence, setEvidence] = useState<EvidenceToVerify | null>(null);
  const [reporting, setReporting] = useState<{ enrollmentId: string; trainee: string } | null>(null);
  const c = detail.case;
  const traineeName = (enrollmentId?: string) => {
    const tr = detail.trainees?.find((x) => x.enrollmentId === enrollmentId);
    return tr ? (tr.name ?? tr.nameMasked) : (enrollmentId ?? '');
  };
  const windowOf = (enrollmentId?: string) =>
    detail.trainees?.find((x) => x.enrollmentId === enrollmentId)?.followUpWindow ?? null;

  const rows: { key: string; title: ReactNode; extra: ReactNode; action: ReactNode }[] = [];

  if (user?.role === 'CASEWORKER') {
    for (const o of c?.objections ?? []) {
      if (o.status !== 'OPEN') continue;
      const line = c?.lines.find((l) => l.lineId === o.lineId);
      const raised = detail.objections?.find((x) => x.id === o.objectionId);
      const task = detail.tasks.find(
        (x) =>
          x.kind === 'RESOLVE_OBJECTION' && x.subject === o.objectionId && (x.status ?? 'OPEN') === 'OPEN',
      );
      rows.push({
        key: `o:${o.objectionId}`,
        title: (
          <Space wrap>
            <Tag color="volcano">{t('objection.title')}</Tag>
            <span>
              {traineeName(line?.enrollmentId)} ·{' '}
              {line ? name(LINE_KIND_NAMES[line.kind], line.kind) : o.lineId}
            </span>
            {line?.tier && <span>{name(TIER_NAMES[line.tier], line.tier)}</span>}
            {line && <Money fen={line.amountFen} />}
            {raised && <Typography.Text type="secondary">「{raised.reason}」</Typography.Text>}
            {raised?.contact && (
              <Typography.Text type="secondary">
                {t('objection.objectorContact')}: {raised.contact}
              </Typography.Text>
            )}
          </Space>
        ),
        extra: task ? <DueDate dueAt={task.dueAt} overdue={task.overdue} escalated={task.escalated} /> : null,
        action: (
          <Button type="primary" size="small" onClick={() => setObjection(o.objectionId)}>
            {t('objection.resolve')}
          </Button>
        ),
      });
    }
    for (const task of detail.tasks) {
      if (task.status && task.status !== 'OPEN') continue;
      const ev = evidenceOf(task);
      if (!ev) continue;
      const submitted = detail.evidence?.find((x) => x.id === ev.evidenceId);
      const window = windowOf(ev.enrollmentId);
      rows.push({
        key: `e:${ev.evidenceId}`,
        title: (
          <Space wrap>
            <Tag color="magenta">{t('evidence.pending')}</Tag>
            <span>{traineeName(ev.enrollmentId)}</span>
            {submitted && (
              <span data-testid="evidence-detail">
                {name(EVIDENCE_KIND_NAMES[submitted.kind], submitted.kind)} · {submitted.employedOn}
                {submitted.employer ? ` · ${submitted.employer}` : ''}
              </span>
            )}
            {submitted && window && !withinWindow(submitted.employedOn, window) && (
              <Tag color="red">{t('evidence.outsideWindow')}</Tag>
            )}
            {window && <FollowUpWindowText window={window} label />}
            <Typography.Text type="secondary">{ev.evidenceId}</Typography.Text>
          </Space>
        ),
        extra: <DueDate dueAt={task.dueAt} overdue={task.overdue} escalated={task.escalated} />,
        action: (
          <Button
            type="primary"
            size="small"
            onClick={() =>
              setEvidence({
                ...ev,
                trainee: traineeName(ev.enrollmentId),
                evidence: submitted,
                window,
              })
            }
            data-testid="verify-evidence"
          >
            {t('trainee.verify')}
          </Button>
        ),
      });
    }
  }

  if (user?.role === 'INSTITUTION' && c?.stage === 'FOLLOW_UP') {
    // 就业跟踪: each passed trainee's employment is reported here until a piece of evidence is verified. Only
    // trainees with a follow-up have a window; without any window known (the workflow did not answer), all
    // passed trainees are offered and the server judges.
    const windowsKnown = (detail.trainees ?? []).some((x) => x.followUpWindow);
    for (const tr of detail.trainees ?? []) {
      if (tr.status === 'WITHDRAWN' || !tr.assessment || tr.assessment === 'FAILED') continue;
      const window = tr.followUpWindow ?? null;
      if (windowsKnown && !window) continue;
      const theirs = (detail.evidence ?? []).filter((e) => e.enrollmentId === tr.enrollmentId);
      if (theirs.some((e) => e.verdict !== 'REJECTED')) continue;
      const rejected = theirs.at(-1);
      rows.push({
        key: `s:${tr.enrollmentId}`,
        title: (
          <Space wrap>
            <Tag color="magenta">{t('evidence.awaiting')}</Tag>
            <span>{traineeName(tr.enrollmentId)}</span>
            <span>{name(ASSESSMENT_NAMES[tr.assessment], tr.assessment)}</span>
            {window && <FollowUpWindowText window={window} label />}
            {rejected && (
              <Typography.Text type="secondary" data-testid="evidence-rejected-note">
                {t('evidence.lastRejected')}
                {rejected.verdictNote ? `：${rejected.verdictNote}` : ''}
              </Typography.Text>
            )}
          </Space>
        ),
        extra: c.clock ? (
          <DueDate dueAt={c.clock.dueAt} overdue={c.clock.overdue} escalated={c.clock.escalated} />
        ) : null,
        action: (
          <Button
            type="primary"
            size="small"
            onClick={() =>
              setReporting({ enrollmentId: tr.enrollmentId, trainee: traineeName(tr.enrollmentId) })
            }
            data-testid="submit-evidence"
          >
            {t('evidence.submit')}
          </Button>
        ),
      });
    }
  }

  if (user?.role === 'FINANCE') {
    for (const b of c?.batches ?? []) {
      if (b.status !== 'AWAITING_APPROVAL' && b.status !== 'AWAITING_CORRECTION') continue;
      rows.push({
        key: `b:${b.batchId}`,
        title: (
          <Space wrap>
            <Tag color="gold">{name(BATCH_KIND_NAMES[b.kind], b.kind)}</Tag>
            <span>{b.batchId}</span>
            <Money fen={b.totalFen} />
          </Space>
        ),
        extra: null,
        action: <BatchActions batchId={b.batchId} status={b.status} onChanged={onChanged} />,
      });
    }
  }

  if (!rows.length) return null;
  return (
    <Card className="sf-block" title={t('case.tab.tasks')} size="small" data-testid="open-work">
      <ResponsiveTable
        rowKey="key"
        size="small"
        showHeader={false}
        pagination={false}
        dataSource={rows}
        columns={[
          { key: 'title', render: (_, r) => r.title },
          { key: 'due', width: 260, render: (_, r) => r.extra },
          { key: 'actions', width: 260, align: 'right', render: (_, r) => r.action },
        ]}
      />
      <ResolveObjectionModal
        classId={detail.class.id}
        objectionId={objection}
        onClose={(done) => {
          setObjection(null);
          if (done) onChanged();
        }}
      />
      <VerifyEvidenceModal
        classId={detail.class.id}
        target={evidence}
        onClose={(done) => {
          setEvidence(null);
          if (done) onChanged();
        }}
      />
      <SubmitEvidenceModal
        classId={detail.class.id}
        // the window as the page has it now: a reload after a refusal shows the server's current one
        target={reporting && { ...reporting, window: windowOf(reporting.enrollmentId) }}
        onClose={(done) => {
          setReporting(null);
          if (done) onChanged();
        }}
        onRefused={onChanged}
      />
    </Card>
  );
}
