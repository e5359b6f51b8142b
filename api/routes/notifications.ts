// 消息中心 (issue 15 point 11): what happened to the caller's cases that they should know of — a decision on an
// institution's plan, a missed deadline, a failed transfer, an objection — newest first, read or unread. The
// projection writes them with the case events (domain/notifications.ts says who hears of what); each user sees
// those for their role, an organisation's users only their organisation's, a task's assignee the ones about it.
// Read state is per user: one row per notification read, and a watermark for "all read".
import type { Prisma } from '@prisma/client';
import { z } from 'zod';
import type { Api } from '../http';
import type { AppDeps, Principal } from '../context';
import { USER_ROLES } from '../roles';
import { id } from '../schemas';
import { boolParam, listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import { NotificationPage, NotificationsRead } from '../responses';

const ListQuery = z.strictObject({ ...listQueryShape, unread: boolParam.optional() });
const ReadBody = z.strictObject({
  /** these notifications; without ids, every notification the caller has up to now */
  ids: z.array(id).min(1).max(200).optional(),
});
const notificationSort: Sortable = { at: { column: 'at', type: 'date' } };

/** The caller's notifications: their role's, their organisation's (outside users), or to them by name. */
export function audienceOf(p: Principal): Prisma.NotificationWhereInput {
  if (p.organisationId) return { role: p.role, organisationId: p.organisationId };
  return { role: p.role, organisationId: null, OR: [{ userId: null }, { userId: p.userId }] };
}

async function watermarkOf(deps: AppDeps, userId: string): Promise<Date | undefined> {
  return (await deps.db.notificationWatermark.findUnique({ where: { userId } }))?.until;
}

/** Unread: after the watermark, less those read one by one (a read row always names one of the caller's). */
async function unreadCount(deps: AppDeps, p: Principal, until: Date | undefined): Promise<number> {
  const after = until ? { at: { gt: until } } : {};
  const [all, read] = await Promise.all([
    deps.db.notification.count({ where: { AND: [audienceOf(p), after] } }),
    deps.db.notificationRead.count({ where: { userId: p.userId, ...after } }),
  ]);
  return Math.max(0, all - read);
}

export function notificationRoutes(api: Api): void {
  api.get(
    '/notifications',
    {
      tag: 'auth',
      summary: '消息中心 My notifications',
      description:
        "What happened to the caller's cases that they should know of, newest first: a decision on an institution's plan, a missed deadline (to whoever it waits for), an escalation (to the section head), a failed transfer, an objection. `unread` in the answer counts all of the caller's unread ones; `?unread=true` lists only those.",
      access: USER_ROLES,
      query: ListQuery,
      responses: {
        200: { description: 'A page of notifications and the unread count', schema: NotificationPage },
      },
    },
    async ({ query, principal, deps }) => {
      const p = principal!;
      const plan = planList(query, notificationSort, '-at');
      const ks = prismaKeyset(plan);
      const until = await watermarkOf(deps, p.userId);
      const where: Prisma.NotificationWhereInput[] = [audienceOf(p), ks.where];
      if (query.unread) {
        const read = await deps.db.notificationRead.findMany({
          where: { userId: p.userId, ...(until ? { at: { gt: until } } : {}) },
          select: { notificationId: true },
        });
        where.push({
          ...(until ? { at: { gt: until } } : {}),
          ...(read.length ? { id: { notIn: read.map((r) => r.notificationId) } } : {}),
        });
      }
      const rows = await deps.db.notification.findMany({
        where: { AND: where },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const page = pageOf(rows, plan, (r) => r.at);
      const [classes, readRows, unread] = await Promise.all([
        deps.db.trainingClass.findMany({
          where: { id: { in: [...new Set(page.items.map((n) => n.classId))] } },
          select: { id: true, title: true },
        }),
        deps.db.notificationRead.findMany({
          where: { userId: p.userId, notificationId: { in: page.items.map((n) => n.id) } },
          select: { notificationId: true },
        }),
        unreadCount(deps, p, until),
      ]);
      const titles = new Map(classes.map((c) => [c.id, c.title]));
      const readIds = new Set(readRows.map((r) => r.notificationId));
      return {
        json: {
          items: page.items.map((n) => ({
            id: n.id,
            classId: n.classId,
            classTitle: titles.get(n.classId) ?? null,
            action: n.action,
            enrollmentId: n.enrollmentId,
            reason: n.reason,
            at: n.at,
            read: (until !== undefined && n.at <= until) || readIds.has(n.id),
          })),
          nextCursor: page.nextCursor,
          unread,
        },
      };
    },
  );

  api.post(
    '/notifications/read',
    {
      tag: 'auth',
      summary: '标为已读 Mark notifications read',
      description:
        "The named notifications (ids), or without ids every notification the caller has up to now. Ids that are not the caller's are left alone. Answers the unread count after.",
      access: USER_ROLES,
      body: ReadBody,
      responses: { 200: { description: 'The unread count after', schema: NotificationsRead } },
    },
    async ({ body, principal, deps }) => {
      const p = principal!;
      if (body.ids) {
        const mine = await deps.db.notification.findMany({
          where: { AND: [audienceOf(p), { id: { in: body.ids } }] },
          select: { id: true, at: true },
        });
        for (const n of mine)
          await deps.db.notificationRead.upsert({
            where: { userId_notificationId: { userId: p.userId, notificationId: n.id } },
            create: { userId: p.userId, notificationId: n.id, at: n.at },
            update: {},
          });
      } else {
        // Up to the newest the caller has (the case clock may run ahead of the wall clock on a demo).
        const newest = await deps.db.notification.findFirst({
          where: audienceOf(p),
          orderBy: { at: 'desc' },
          select: { at: true },
        });
        if (newest) {
          const current = await watermarkOf(deps, p.userId);
          const until = current && current > newest.at ? current : newest.at;
          await deps.db.$transaction([
            deps.db.notificationWatermark.upsert({
              where: { userId: p.userId },
              create: { userId: p.userId, until },
              update: { until },
            }),
            deps.db.notificationRead.deleteMany({ where: { userId: p.userId, at: { lte: until } } }),
          ]);
        }
      }
      return { json: { unread: await unreadCount(deps, p, await watermarkOf(deps, p.userId)) } };
    },
  );
}
