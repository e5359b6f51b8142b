// 时间线: a case's audit events in time order across the class workflow and its trainees' follow-up children.
// Each workflow numbers its own events, so `seq` alone interleaves them wrongly; the time orders them, `seq`
// breaks ties within one workflow. Each event names the trainee it concerns, when it concerns one.
import type { AuditEvent } from '@prisma/client';
import type { Db } from '../platform/db';
import { followUpWorkflowId } from '../workflows/messages';

const API_KEY_ACTOR = 'apikey:';

/**
 * Who an actor is, by name: a user's display name, an institution's name (the workflow records some steps of
 * the institution — training started, finished, a plan resubmitted — by its id), or for an API key
 * (`apikey:<id>`) its institution and label. The system and the public have no name here (the UI names them).
 * Three indexed queries, whatever the count.
 */
export async function actorNames(db: Db, actors: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(actors)];
  const keyIds = ids.filter((a) => a.startsWith(API_KEY_ACTOR)).map((a) => a.slice(API_KEY_ACTOR.length));
  const userIds = ids.filter((a) => !a.startsWith(API_KEY_ACTOR) && a !== 'system' && a !== 'public');
  const [users, institutions, keys] = await Promise.all([
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true } })
      : [],
    userIds.length
      ? db.institution.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })
      : [],
    keyIds.length
      ? db.apiKey.findMany({
          where: { id: { in: keyIds } },
          select: { id: true, label: true, institution: { select: { name: true } } },
        })
      : [],
  ]);
  return new Map([
    ...institutions.map((i) => [i.id, i.name] as const),
    ...users.map((u) => [u.id, u.displayName] as const),
    ...keys.map((k) => [`${API_KEY_ACTOR}${k.id}`, `${k.institution.name}（${k.label}）`] as const),
  ]);
}

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
 * the trainee that child follows. The actor is named from `names` (`actorNames`).
 */
export function timelineView(
  classId: string,
  rows: AuditEvent[],
  enrollmentIds: readonly string[],
  names: ReadonlyMap<string, string> = new Map(),
) {
  const followedBy = new Map(enrollmentIds.map((id) => [followUpWorkflowId(classId, id), id]));
  return [...rows].reverse().map((a) => ({
    id: a.id,
    seq: a.seq,
    at: a.at,
    actor: a.actor,
    actorName: names.get(a.actor) ?? null,
    action: a.action,
    stage: a.stage,
    enrollmentId: a.enrollmentId ?? followedBy.get(a.workflowId) ?? null,
  }));
}
