// 就业跟踪 (DOMAIN.md §6): one child per passed trainee collects employment evidence until 3 months after the
// end of training (workflows/followUp.ts); the class waits for every child's answer.
import { executeChild, getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { meetsAttendance } from '../../../domain/subsidy';
import { workflowNowIso } from '../../clock';
import { acts } from '../../proxies';
import * as m from '../../messages';
import { traineeFollowUpWorkflow } from '../../followUp';
import type { ClassCase } from '../context';

export async function followUpEmployment(c: ClassCase) {
  const { s, policy, classId } = c;
  // The window counts from the end of training, not from when the results were recorded.
  const fromTrainingEnd = patched('follow-up-from-training-end-2026-11');
  const window = await acts.computeDeadline({
    from: fromTrainingEnd ? c.trainingEndedAt : workflowNowIso(),
    rule: 'MONTHS',
    n: policy.deadlines.followUpMonths,
    clock: policy.clock,
  });
  const candidates = c
    .enrolled()
    .filter(
      (t) =>
        t.assessment &&
        t.assessment !== 'FAILED' &&
        meetsAttendance(t.attendedHours, s.plan.classHours, policy),
    );
  s.clock = {
    task: 'EMPLOYMENT_FOLLOW_UP',
    dueAt: window.dueAt,
    provisional: window.provisional,
    overdue: false,
    escalated: false,
  };
  await c.emit('FOLLOW_UP_STARTED', 'system', {
    classPatch: { dueAt: window.dueAt },
    detail: { trainees: candidates.length },
  });
  const results = await Promise.all(
    candidates.map((t) => {
      const workflowId = m.followUpWorkflowId(classId, t.enrollmentId);
      c.following.add(workflowId);
      return executeChild(traineeFollowUpWorkflow, {
        workflowId,
        args: [
          {
            classId,
            enrollmentId: t.enrollmentId,
            institutionId: c.input.institutionId,
            trainingEnd: c.trainingEndedOn,
            windowEndsAt: window.dueAt,
            ...(fromTrainingEnd
              ? {
                  windowProvisional: window.provisional,
                  followUpMonths: policy.deadlines.followUpMonths,
                  trainingEndedAt: c.trainingEndedAt,
                }
              : {}),
            verificationDueWorkingDays: policy.deadlines.verificationWorkingDays,
            clock: policy.clock,
          },
        ],
      }).finally(() => c.following.delete(workflowId));
    }),
  );
  for (const r of results) c.trainee(r.enrollmentId)!.employed = r.employed;
  for (const t of c.enrolled()) t.employed ??= false;
  s.clock = undefined;
  await c.emit('FOLLOW_UP_COMPLETE', 'system', {
    classPatch: { employedCount: c.enrolled().filter((t) => t.employed).length, dueAt: null },
    enrollments: c.enrolled().map((t) => ({ id: t.enrollmentId, employed: t.employed })),
  });
}

/** DOMAIN.md: a provisional window is recomputed when the calendar changes; the children recompute their own. */
export function forwardCalendarChange(c: ClassCase) {
  if (!c.following.size || !patched('follow-up-calendar-2026-11')) return;
  for (const id of c.following)
    c.track(
      getExternalWorkflowHandle(id)
        .signal(m.calendarChangedSignal)
        .catch(() => undefined),
    ); // a child that has just finished needs no recompute
}
