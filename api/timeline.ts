// 时间线: a case's audit events in time order across the class workflow and its trainees' follow-up children.
// Each workflow numbers its own events, so `seq` alone interleaves them wrongly; the time orders them, `seq`
// breaks ties within one workflow. Each event names the trainee it concerns, when it concerns one.
import type { AuditEvent } from '@prisma/client';
import { followUpWorkflowId } from '../workflows/messages';

/** The most recent events shown on the case page (a long case keeps the rest in the table). */
export const TIMELINE_LIMIT = 500;

/** The read-model query: newest first so the limit keeps the latest; `timelineView` puts them back in order. */
export const timelineQuery = (classId: string) => ({
  where: { classId },
  orderBy: [{ at: 'desc' as const }, { seq: 'desc' as const }, { workflowId: 'desc' as const }],
  take: TIMELINE_LIMIT,
});

/**
 * The events oldest first. The trainee is the one the projection recorded (a withdrawal, an objected line, a
 * piece of evidence) or, for anything a follow-up child wrote (an overdue verification, the window closing),
 * the trainee that child follows.
 */
export function timelineView(classId: string, rows: AuditEvent[], enrollmentIds: readonly string[]) {
  const followedBy = new Map(enrollmentIds.map((id) => [followUpWorkflowId(classId, id), id]));
  return [...rows].reverse().map((a) => ({
    id: a.id,
    seq: a.seq,
    at: a.at,
    actor: a.actor,
    action: a.action,
    stage: a.stage,
    enrollmentId: a.enrollmentId ?? followedBy.get(a.workflowId) ?? null,
  }));
}
