// 消息中心 (issue 15 point 11): who hears of what happens to a case. The projection (activities/projection.ts) turns
// each case event into notifications for these audiences, in the same transaction as the event, so a replayed
// event adds none; the API shows each user the ones for their role (and organisation, or to them as a task's
// assignee). The inbox holds the work; a notification says what changed that somebody should know of: a decision
// on an institution's plan, a missed deadline, a failed transfer, an objection. Pure.
export interface Audience {
  /** a user role: CASEWORKER | FINANCE | MANAGER | INSTITUTION | ASSESSOR */
  role: string;
  /** INSTITUTION and ASSESSOR hear of their own classes only: the class's institution, or its booked body */
  organisation?: 'institution' | 'assessmentBody';
  /** a task's assignee, when it has one, instead of the whole team */
  assignee?: string;
}

/** The task an OVERDUE or ESCALATED event is about, as the read model holds it. */
export interface TaskOfEvent {
  role: string;
  assignee: string | null;
}

const INSTITUTION: Audience = { role: 'INSTITUTION', organisation: 'institution' };

/** Events somebody should hear of without a task: the action (before any `:`) → who. */
export const NOTIFIED_EVENTS: Readonly<Record<string, readonly Audience[]>> = {
  PLAN_APPROVED: [INSTITUTION],
  PLAN_RETURNED: [INSTITUTION],
  PLAN_REJECTED: [INSTITUTION],
  CASE_CANCELLED: [INSTITUTION],
  TRAINING_FINISHED: [{ role: 'ASSESSOR', organisation: 'assessmentBody' }],
  EVIDENCE_REJECTED: [INSTITUTION],
  OBJECTION_RAISED: [{ role: 'CASEWORKER' }],
  OBJECTION_RESOLVED: [INSTITUTION],
  PAYMENTS_SETTLED: [INSTITUTION],
  RECOVERY_DUE: [{ role: 'FINANCE' }, INSTITUTION],
  BATCH_PARTIALLY_FAILED: [{ role: 'FINANCE' }],
  BATCH_AWAITING_CORRECTION: [{ role: 'FINANCE' }],
};

const ORGANISATION_OF: Partial<Record<string, Audience['organisation']>> = {
  INSTITUTION: 'institution',
  ASSESSOR: 'assessmentBody',
};

/** Whoever the task waits for: its assignee if it has one, else its role (its organisation for an outside one). */
function lateParty(task: TaskOfEvent): Audience {
  const organisation = ORGANISATION_OF[task.role];
  if (organisation) return { role: task.role, organisation };
  return task.assignee ? { role: task.role, assignee: task.assignee } : { role: task.role };
}

/**
 * Who hears of an event. A missed deadline (`OVERDUE:<task>`) goes to whoever the task waits for; an escalation
 * (`ESCALATED:<task>`) also to the section head (MANAGER), who now has to chase it. An overdue or escalated event
 * whose task the read model does not know reaches only the manager.
 */
export function audiencesOf(action: string, task?: TaskOfEvent): Audience[] {
  const [head = action] = action.split(':');
  if (head === 'OVERDUE') return task ? [lateParty(task)] : [{ role: 'MANAGER' }];
  if (head === 'ESCALATED') {
    const party = task ? lateParty(task) : undefined;
    return party && party.role !== 'MANAGER' ? [{ role: 'MANAGER' }, party] : [{ role: 'MANAGER' }];
  }
  return [...(NOTIFIED_EVENTS[head] ?? [])];
}

/** Whether any notification could come of an action: the projection looks nothing up for the rest. */
export const mayNotify = (action: string): boolean => {
  const [head = action] = action.split(':');
  return head === 'OVERDUE' || head === 'ESCALATED' || head in NOTIFIED_EVENTS;
};
