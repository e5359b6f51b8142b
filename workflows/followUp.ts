// 就业跟踪: one passed trainee's employment follow-up. The institution files evidence (an Update, refused when
// the employment date is not after the end of training and within the window, or the window has closed)
// until the window closes — 3 months after training ends (DOMAIN.md §6), recomputed when a provisional
// calendar is announced; a caseworker verifies each piece. Returns whether the trainee was employed within
// the window. A child of the class workflow, so the class history stays small.
import { allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import * as m from './messages';
import { acts } from './proxies';
import { msUntil, workflowNowIso } from './clock';
import { enforce } from './refuse';
import type { CaseEvent } from '../activities/types';
import { shanghaiDate } from '../domain/dates';
import { employmentWithinWindow, forbiddenActor, windowClosed } from '../domain/classRules';
import { violation } from '../domain/rules';

type Evidence = m.EvidenceSubmission & { verdict?: 'VERIFIED' | 'REJECTED'; note?: string };

export async function traineeFollowUpWorkflow(input: m.FollowUpInput): Promise<m.FollowUpResult> {
  const evidence: Evidence[] = [];
  const outcome: { result?: m.FollowUpResult } = {};
  const verifications: Promise<void>[] = [];
  /** every verification is awaited before the child ends; a failure surfaces there, not as a stray rejection */
  const track = (p: Promise<void>) => {
    verifications.push(p);
    p.catch(() => undefined);
  };
  let closing = false;
  let seq = 0;
  let calendarVersion = 0;
  /** the window's last day: 24:00 of it is windowEndsAt */
  const lastDayOf = (endsAt: string) => shanghaiDate(new Date(Date.parse(endsAt) - 1).toISOString());
  const window: m.FollowUpWindow = {
    trainingEnd: input.trainingEnd,
    endsOn: lastDayOf(input.windowEndsAt),
    endsAt: input.windowEndsAt,
    provisional: input.windowProvisional ?? false,
  };
  const emit = (action: string, by: string, patch: Partial<CaseEvent>) =>
    acts.project({
      workflowId: workflowInfo().workflowId,
      classId: input.classId,
      seq: ++seq,
      at: workflowNowIso(),
      actor: by,
      action,
      stage: 'FOLLOW_UP',
      ...patch,
    });
  const taskId = (evidenceId: string) => `${input.classId}:VERIFY_EMPLOYMENT:${evidenceId}`;
  const sameEvidence = (a: m.EvidenceSubmission, b: m.EvidenceSubmission) =>
    a.kind === b.kind && a.employedOn === b.employedOn && (a.employer ?? '') === (b.employer ?? '');

  setHandler(m.followUpStateQuery, () => ({ evidence, result: outcome.result, window }));
  setHandler(m.calendarChangedSignal, () => void calendarVersion++);

  /** Histories recorded before evidence became an Update deliver it as a signal. */
  setHandler(m.employmentEvidenceSignal, (e) => {
    if (outcome.result || evidence.some((x) => x.evidenceId === e.evidenceId)) return; // a repeated signal changes nothing
    evidence.push({ ...e });
    track(verify(e.evidenceId));
  });

  setHandler(
    m.submitEvidenceUpdate,
    async ({ evidence: e }) => {
      if (evidence.some((x) => x.evidenceId === e.evidenceId)) return { evidenceId: e.evidenceId }; // a retry
      evidence.push({ ...e });
      const opened = openVerification(e.evidenceId);
      track(opened.then((dueAt) => awaitVerdict(e.evidenceId, dueAt)));
      await opened; // the caseworker's task is in the inbox when the institution hears back
      return { evidenceId: e.evidenceId };
    },
    {
      validator: ({ actor, evidence: e }) => {
        const earlier = evidence.find((x) => x.evidenceId === e.evidenceId);
        enforce(
          forbiddenActor(
            actor.role === 'INSTITUTION' && actor.organisationId === input.institutionId,
            '仅承训机构可提交本班学员的就业材料',
          ),
          earlier && !sameEvidence(earlier, e)
            ? violation('DUPLICATE_EVIDENCE', '材料编号重复', 'Duplicate evidence id', 'evidenceId')
            : undefined,
          earlier ? undefined : windowClosed(outcome.result !== undefined || msUntil(window.endsAt) <= 0),
          earlier ? undefined : employmentWithinWindow(e.employedOn, window),
        );
      },
    },
  );

  setHandler(
    m.verifyEvidenceUpdate,
    async ({ actor, evidenceId, verdict, note }) => {
      const e = evidence.find((x) => x.evidenceId === evidenceId)!;
      e.verdict = verdict;
      if (note?.trim()) e.note = note.trim();
      await emit(`EVIDENCE_${verdict}`, actor.userId, {
        evidence: [
          {
            id: e.evidenceId,
            enrollmentId: input.enrollmentId,
            kind: e.kind,
            employedOn: e.employedOn,
            employer: e.employer,
            verdict,
            verifiedBy: actor.userId,
            ...(e.note ? { verdictNote: e.note } : {}),
          },
        ],
        closeTasks: [taskId(evidenceId)],
      });
    },
    {
      validator: ({ actor, evidenceId, verdict }) => {
        const e = evidence.find((x) => x.evidenceId === evidenceId);
        enforce(
          forbiddenActor(actor.role === 'CASEWORKER', '仅经办人可核验就业材料'),
          !e || e.verdict
            ? violation(
                'UNKNOWN_EVIDENCE',
                '无此待核验材料',
                'No such evidence awaiting verification',
                'evidenceId',
              )
            : undefined,
          verdict === 'VERIFIED' && e
            ? employmentWithinWindow(e.employedOn, window, 'evidenceId')
            : undefined,
        );
      },
    },
  );

  /** Opens the caseworker's verification task with its deadline. */
  async function openVerification(evidenceId: string) {
    const e = evidence.find((x) => x.evidenceId === evidenceId)!;
    const due = await acts.computeDeadline({
      from: workflowNowIso(),
      rule: 'WORKING_DAYS',
      n: input.verificationDueWorkingDays,
      clock: input.clock,
    });
    await emit('EVIDENCE_SUBMITTED', input.institutionId, {
      evidence: [
        {
          id: e.evidenceId,
          enrollmentId: input.enrollmentId,
          kind: e.kind,
          employedOn: e.employedOn,
          employer: e.employer,
        },
      ],
      openTasks: [
        {
          id: taskId(evidenceId),
          kind: 'VERIFY_EMPLOYMENT',
          role: 'CASEWORKER',
          dueAt: due.dueAt,
          subject: input.enrollmentId,
          evidenceId,
        },
      ],
    });
    return due.dueAt;
  }

  /** The task is marked overdue when its deadline passes without a verdict. */
  async function awaitVerdict(evidenceId: string, dueAt: string) {
    const e = evidence.find((x) => x.evidenceId === evidenceId)!;
    if (!(await condition(() => e.verdict !== undefined || closing, Math.max(msUntil(dueAt), 1)))) {
      await emit('OVERDUE:VERIFY_EMPLOYMENT', 'system', {
        taskFlags: [{ id: taskId(evidenceId), overdue: true }],
      });
      await acts.notify({
        classId: input.classId,
        role: 'CASEWORKER',
        kind: 'OVERDUE',
        message: `Employment evidence ${evidenceId} awaits verification`,
      });
    }
  }
  async function verify(evidenceId: string) {
    await awaitVerdict(evidenceId, await openVerification(evidenceId));
  }

  /** DOMAIN.md: a window computed on a provisional calendar is recomputed when the calendar is announced. */
  async function recomputeWindow() {
    if (!input.followUpMonths || !window.provisional) return;
    const w = await acts.computeDeadline({
      from: input.trainingEndedAt ?? `${input.trainingEnd}T12:00:00+08:00`,
      rule: 'MONTHS',
      n: input.followUpMonths,
      clock: input.clock,
    });
    Object.assign(window, { endsAt: w.dueAt, endsOn: lastDayOf(w.dueAt), provisional: w.provisional });
  }

  const verified = () => evidence.find((e) => e.verdict === 'VERIFIED');
  // Wait until employment is verified or the window closes; evidence filed in time is still verified after it.
  for (;;) {
    const armed = calendarVersion;
    const settled = await condition(
      () => verified() !== undefined || calendarVersion !== armed,
      Math.max(msUntil(window.endsAt), 1),
    );
    if (verified() || !settled) break;
    if (patched('follow-up-calendar-2026-11')) await recomputeWindow();
    if (msUntil(window.endsAt) <= 0) break;
  }
  await condition(() => verified() !== undefined || evidence.every((e) => e.verdict !== undefined));
  const v = verified();
  const result: m.FollowUpResult = (outcome.result = {
    enrollmentId: input.enrollmentId,
    employed: v !== undefined,
    employedOn: v?.employedOn,
    evidenceId: v?.evidenceId,
  });
  await emit(v ? 'EMPLOYMENT_CONFIRMED' : 'FOLLOW_UP_WINDOW_CLOSED', 'system', {
    closeTasks: evidence.filter((e) => !e.verdict).map((e) => taskId(e.evidenceId)),
  });
  await condition(allHandlersFinished);
  if (patched('follow-up-awaits-verifications-2026-11')) {
    closing = true; // an unverified piece's clock stops: the window has been decided
    await Promise.all(verifications);
  }
  return result;
}
