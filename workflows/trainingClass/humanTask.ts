// A human step: wait for a decision, with a clock that marks the task overdue at its deadline and escalates
// to the manager later; the case keeps waiting, never proceeds silently (DESIGN.md principle 3). Deadlines
// come from the bound policy and are recomputed when the working-day calendar changes.
import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { DeadlineRule } from '../../activities/types';
import { DEFAULT_DEADLINES } from '../../domain/policy';
import { msUntil } from '../clock';
import { acts } from '../proxies';
import { ClassCancelled, type ClassCase } from './context';

/** patched(): a timer that fired decides that its deadline has passed (humanTask, the public notice). */
export const TIMERS_DECIDE = 'timers-decide-2026-12';

export interface HumanTask {
  kind: string;
  role: string;
  /** what the task is about when a class has several of its kind: a batch, an objection */
  subject?: string;
  from: string;
  rule: DeadlineRule;
  n: number;
}

export interface HumanTaskOptions {
  /** the class's main clock (shown on the case and its search attributes); side tasks have their own */
  main?: boolean;
  /** a cancellation ends the wait (ClassCancelled) */
  abortable?: boolean;
}

export async function humanTask(
  c: ClassCase,
  task: HumanTask,
  done: () => boolean,
  opts: HumanTaskOptions = { main: true, abortable: true },
): Promise<void> {
  const { s, classId } = c;
  const taskId = `${classId}:${task.kind}:${task.subject ?? ''}:${c.seq + 1}`;
  const clock = c.policy?.clock;
  const d = c.policy?.deadlines ?? DEFAULT_DEADLINES; // the policy is bound before the first task opens
  const deadlineOf = (from: string, rule: DeadlineRule, n: number) =>
    acts.computeDeadline({ from, rule, n, clock });
  let deadline = await deadlineOf(task.from, task.rule, task.n);
  let phase: 'due' | 'escalation' | 'waiting' = 'due';
  let escalationDue = '';
  const main = opts.main !== false;
  const abortable = opts.abortable !== false;
  if (main)
    s.clock = {
      task: task.kind,
      dueAt: deadline.dueAt,
      provisional: deadline.provisional,
      overdue: false,
      escalated: false,
    };
  await c.emit(`TASK_OPENED:${task.kind}`, 'system', {
    openTasks: [
      { id: taskId, kind: task.kind, role: task.role, dueAt: deadline.dueAt, subject: task.subject },
    ],
    classPatch: main ? { dueAt: deadline.dueAt, overdue: false, escalated: false } : undefined,
  });
  if (main) upsertSearchAttributes({ Overdue: [false], DueAt: [new Date(deadline.dueAt)] });
  for (;;) {
    const armedFor = c.calendarVersion;
    const finished = () =>
      done() || (abortable && c.cancelRequested !== undefined) || c.calendarVersion !== armedFor;
    const wait =
      phase === 'due' ? msUntil(deadline.dueAt) : phase === 'escalation' ? msUntil(escalationDue) : undefined;
    const signalled =
      wait === undefined
        ? (await condition(finished), true)
        : wait > 0
          ? await condition(finished, wait)
          : finished();
    if (done()) break;
    if (abortable && c.cancelRequested) throw new ClassCancelled();
    // The timer fired: the deadline has passed. Decided by the timer, not by reading the clock again: after a
    // workflow task timed out (its worker killed) the clock read there was not the one a replay reads, and the
    // case started another timer where its replay moved on (found by the crash harness).
    const dueByTimer = wait !== undefined && wait > 0 && !signalled && patched(TIMERS_DECIDE);
    if (signalled && c.calendarVersion !== armedFor) {
      // DOMAIN.md: open deadlines are recomputed when the calendar changes.
      deadline = await deadlineOf(task.from, task.rule, task.n);
      if (phase !== 'due')
        escalationDue = (await deadlineOf(deadline.dueAt, 'WORKING_DAYS', d.escalationWorkingDays)).dueAt;
      if (main && s.clock)
        Object.assign(s.clock, { dueAt: deadline.dueAt, provisional: deadline.provisional });
      await c.emit(`DEADLINE_RECOMPUTED:${task.kind}`, 'system', {
        taskFlags: [{ id: taskId, dueAt: deadline.dueAt }],
        classPatch: main ? { dueAt: deadline.dueAt } : undefined,
      });
      if (phase === 'due' && msUntil(deadline.dueAt) > 0) continue;
    }
    if (phase === 'due') {
      if (!dueByTimer && msUntil(deadline.dueAt) > 0) continue;
      phase = 'escalation';
      escalationDue = (await deadlineOf(deadline.dueAt, 'WORKING_DAYS', d.escalationWorkingDays)).dueAt;
      if (main && s.clock) s.clock.overdue = true;
      if (main) upsertSearchAttributes({ Overdue: [true] });
      await c.emit(`OVERDUE:${task.kind}`, 'system', {
        taskFlags: [{ id: taskId, overdue: true }],
        classPatch: main ? { overdue: true } : undefined,
      });
      await acts.notify({
        classId,
        role: task.role,
        organisationId: task.role === 'INSTITUTION' ? c.input.institutionId : undefined,
        kind: 'OVERDUE',
        message: `${task.kind} overdue since ${deadline.dueAt}`,
      });
    } else if (phase === 'escalation') {
      if (!dueByTimer && msUntil(escalationDue) > 0) continue;
      phase = 'waiting'; // escalated: the case keeps waiting for the decision, never proceeds silently
      if (main && s.clock) s.clock.escalated = true;
      await c.emit(`ESCALATED:${task.kind}`, 'system', {
        taskFlags: [{ id: taskId, escalated: true }],
        classPatch: main ? { escalated: true } : undefined,
      });
      await acts.notify({
        classId,
        role: 'MANAGER',
        kind: 'ESCALATION',
        message: `${task.kind} still open ${d.escalationWorkingDays} working days after its deadline`,
      });
    }
  }
  if (main) {
    s.clock = undefined;
    upsertSearchAttributes({ Overdue: [false] });
  }
  await c.emit(`TASK_CLOSED:${task.kind}`, 'system', {
    closeTasks: [taskId],
    classPatch: main ? { dueAt: null, overdue: false, escalated: false } : undefined,
  });
}

/** A "due by the planned date" clock: a period of 1 day that starts the day before ends on that date. */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.toISOString().slice(0, 10)}T12:00:00+08:00`;
}
