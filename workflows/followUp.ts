// 就业跟踪: one passed trainee's employment follow-up. Evidence arrives as signals until the window closes
// (3 months after training ends, DOMAIN.md §6); a caseworker verifies each piece. Returns whether the
// trainee was employed within the window. A child of the class workflow, so the class history stays small.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import * as m from './messages';
import { acts } from './proxies';
import { msUntil, workflowNowIso } from './clock';
import type { CaseEvent } from '../activities/types';
import { shanghaiDate } from '../domain/dates';

export async function traineeFollowUpWorkflow(input: m.FollowUpInput): Promise<m.FollowUpResult> {
  const evidence: (m.EvidenceSubmission & { verdict?: 'VERIFIED' | 'REJECTED' })[] = [];
  const outcome: { result?: m.FollowUpResult } = {};
  let seq = 0;
  const windowEndDate = shanghaiDate(new Date(Date.parse(input.windowEndsAt) - 1).toISOString());
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

  setHandler(m.followUpStateQuery, () => ({ evidence, result: outcome.result }));
  setHandler(m.employmentEvidenceSignal, (e) => {
    if (outcome.result || evidence.some((x) => x.evidenceId === e.evidenceId)) return; // a repeated signal changes nothing
    evidence.push({ ...e });
    void verify(e.evidenceId);
  });
  setHandler(
    m.verifyEvidenceUpdate,
    async ({ actor, evidenceId, verdict }) => {
      const e = evidence.find((x) => x.evidenceId === evidenceId)!;
      e.verdict = verdict;
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
          },
        ],
        closeTasks: [taskId(evidenceId)],
      });
    },
    {
      validator: ({ actor, evidenceId, verdict }) => {
        const fail = (code: string, zh: string, en: string, field: string) => {
          throw ApplicationFailure.create({
            type: code,
            message: en,
            details: [{ code, zh, en, field }],
            nonRetryable: true,
          });
        };
        if (actor.role !== 'CASEWORKER')
          fail(
            'FORBIDDEN_ACTOR',
            '仅经办人可核验就业材料',
            'Only a caseworker verifies employment evidence',
            'actor',
          );
        const e = evidence.find((x) => x.evidenceId === evidenceId);
        if (!e || e.verdict)
          fail('UNKNOWN_EVIDENCE', '无此待核验材料', 'No such evidence awaiting verification', 'evidenceId');
        if (
          verdict === 'VERIFIED' &&
          e &&
          (e.employedOn <= input.trainingEnd || e.employedOn > windowEndDate)
        )
          fail(
            'OUTSIDE_WINDOW',
            '就业日期不在培训结束后3个月内',
            'The employment date is outside the follow-up window',
            'evidenceId',
          );
      },
    },
  );

  async function verify(evidenceId: string) {
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
        },
      ],
    });
    if (!(await condition(() => e.verdict !== undefined, Math.max(msUntil(due.dueAt), 1)))) {
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

  const verified = () => evidence.find((e) => e.verdict === 'VERIFIED');
  // Wait until employment is verified or the window closes; evidence filed in time is still verified after it.
  await condition(() => verified() !== undefined, Math.max(msUntil(input.windowEndsAt), 1));
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
  return result;
}
