// 待办 (the inbox): one indexed query with keyset pagination; class title, institution and occupation names
// joined in the same query (no N+1). Claim and unclaim assign a task to a caseworker.
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import type { Api } from '../http';
import { STAFF_ROLES, type Principal } from '../context';
import { boolParam, listQueryShape, pageOf, planList, sqlKeyset, type Sortable } from '../pagination';
import { id, isoDate, page, TaskItemSchema } from '../schemas';
import { problems } from '../problem';

export const TaskQuery = z.object({
  ...listQueryShape,
  role: z.enum(['CASEWORKER', 'FINANCE', 'MANAGER', 'INSTITUTION', 'ASSESSOR', 'ALL']).optional(),
  kind: z
    .string()
    .regex(/^[A-Z_]{1,40}$/)
    .optional(),
  stage: z
    .string()
    .regex(/^[A-Z_]{1,20}$/)
    .optional(),
  overdue: boolParam.optional(),
  escalated: boolParam.optional(),
  dueBefore: z.union([isoDate, z.iso.datetime({ offset: true })]).optional(),
  institutionId: id.optional(),
  occupationCode: z.string().max(20).optional(),
  district: z.string().max(40).optional(),
  assignee: z.string().max(160).optional(),
  status: z.enum(['OPEN', 'DONE', 'CANCELLED']).default('OPEN'),
});

const SORTABLE: Sortable = {
  dueAt: { column: 'dueAt', type: 'date', nullable: true },
  createdAt: { column: 'createdAt', type: 'date' },
  id: { column: 'id', type: 'string' },
};

interface TaskRow {
  id: string;
  classId: string;
  classTitle: string | null;
  kind: string;
  role: string;
  stage: string;
  institutionId: string;
  institutionName: string | null;
  occupationCode: string;
  occupationName: string | null;
  district: string;
  dueAt: Date | string | null;
  overdue: unknown;
  escalated: unknown;
  assignee: string | null;
  subject: string | null;
  createdAt: Date | string;
}

const COLUMNS: [string, string][] = [
  ['id', 't."id"'],
  ['classId', 't."classId"'],
  ['classTitle', 'c."title"'],
  ['kind', 't."kind"'],
  ['role', 't."role"'],
  ['stage', 't."stage"'],
  ['institutionId', 't."institutionId"'],
  ['institutionName', 'i."name"'],
  ['occupationCode', 't."occupationCode"'],
  ['occupationName', 'o."nameZh"'],
  ['district', 't."district"'],
  ['dueAt', 't."dueAt"'],
  ['overdue', 't."overdue"'],
  ['escalated', 't."escalated"'],
  ['assignee', 't."assignee"'],
  ['subject', 't."subject"'],
  ['createdAt', 't."createdAt"'],
];
const SELECT_LIST = COLUMNS.map(([alias, expr]) => `${expr} AS "${alias}"`).join(', ');
/** An instant as ISO UTC; PostgreSQL's JSON writes timestamps without a zone (they are UTC). */
const iso = (v: Date | string | null): string | null => {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString();
  return new Date(/Z$|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`).toISOString();
};

const bool = (v: unknown) => v === true || v === 1 || v === 1n || v === '1' || v === 'true';

/** The role whose tasks a staff member sees by default: their own; managers and admins see all. */
function defaultRole(p: Principal): string | undefined {
  return p.role === 'CASEWORKER' || p.role === 'FINANCE' ? p.role : undefined;
}

export function taskRoutes(api: Api) {
  api.get(
    '/tasks',
    {
      tag: 'tasks',
      summary: '待办列表 The inbox',
      description:
        'Filters: role (default: your own; ALL for every role), kind, stage, overdue, escalated, dueBefore, institutionId, occupationCode, district, assignee (me | none | user id), status. Sort: dueAt (default), createdAt, id; prefix - for descending.',
      access: STAFF_ROLES,
      query: TaskQuery,
      responses: { 200: { description: 'A page of tasks', schema: page(TaskItemSchema) } },
    },
    async ({ query, principal, services }) => {
      const plan = planList(query, SORTABLE, 'dueAt');
      const where: Prisma.Sql[] = [Prisma.sql`t."status" = ${query.status}`];
      const role = query.role === 'ALL' ? undefined : (query.role ?? defaultRole(principal!));
      if (role) where.push(Prisma.sql`t."role" = ${role}`);
      if (query.kind) where.push(Prisma.sql`t."kind" = ${query.kind}`);
      if (query.stage) where.push(Prisma.sql`t."stage" = ${query.stage}`);
      if (query.overdue !== undefined) where.push(Prisma.sql`t."overdue" = ${query.overdue}`);
      if (query.escalated !== undefined) where.push(Prisma.sql`t."escalated" = ${query.escalated}`);
      if (query.dueBefore) {
        const before = new Date(
          query.dueBefore.length === 10 ? `${query.dueBefore}T00:00:00+08:00` : query.dueBefore,
        );
        where.push(Prisma.sql`t."dueAt" < ${before}`);
      }
      if (query.institutionId) where.push(Prisma.sql`t."institutionId" = ${query.institutionId}`);
      if (query.occupationCode) where.push(Prisma.sql`t."occupationCode" = ${query.occupationCode}`);
      if (query.district) where.push(Prisma.sql`t."district" = ${query.district}`);
      if (query.assignee === 'none') where.push(Prisma.sql`t."assignee" IS NULL`);
      else if (query.assignee)
        where.push(
          Prisma.sql`t."assignee" = ${query.assignee === 'me' ? principal!.userId : query.assignee}`,
        );
      const keyset = sqlKeyset(plan, 't');
      where.push(keyset.where);
      // One indexed range scan on (status, role, dueAt, id), names joined in the same query.
      const rows = await services.hot.all<TaskRow & Record<string, unknown>>(Prisma.sql`
        SELECT ${Prisma.raw(SELECT_LIST)}
        FROM "Task" t
        LEFT JOIN "TrainingClass" c ON c."id" = t."classId"
        LEFT JOIN "Institution" i ON i."id" = t."institutionId"
        LEFT JOIN "Occupation" o ON o."code" = t."occupationCode"
        WHERE ${Prisma.join(where, ' AND ')}
        ORDER BY ${keyset.orderBy}
        LIMIT ${plan.limit + 1}`);
      const items = rows.map((r) => ({
        ...r,
        dueAt: iso(r.dueAt),
        createdAt: iso(r.createdAt)!,
        overdue: bool(r.overdue),
        escalated: bool(r.escalated),
      }));
      return {
        json: pageOf(items, plan, (r) => (plan.key === 'id' ? r.id : r[plan.key as 'dueAt' | 'createdAt'])),
      };
    },
  );

  const claim = (assign: boolean) =>
    (async ({ params, principal, deps }) => {
      const task = await deps.db.task.findUnique({ where: { id: params.id! } });
      if (!task) throw problems.notFound({ zh: '待办不存在', en: 'No such task' });
      const p = principal!;
      if (!(p.role === 'MANAGER' || p.role === 'ADMIN' || p.role === task.role))
        throw problems.forbidden({ zh: '该待办不属于您的角色', en: 'This task belongs to another role' });
      if (task.status !== 'OPEN')
        throw problems.conflict('TASK_CLOSED', { zh: '该待办已办结', en: 'The task is closed' });
      const { count } = await deps.db.task.updateMany({
        where: assign
          ? { id: task.id, status: 'OPEN', OR: [{ assignee: null }, { assignee: p.userId }] }
          : { id: task.id, status: 'OPEN', ...(p.role === 'MANAGER' ? {} : { assignee: p.userId }) },
        data: { assignee: assign ? p.userId : null },
      });
      if (!count)
        throw problems.conflict(assign ? 'ALREADY_CLAIMED' : 'NOT_CLAIMED_BY_YOU', {
          zh: assign ? '该待办已被他人认领' : '该待办不是由您认领的',
          en: assign ? 'Someone else has claimed this task' : 'You have not claimed this task',
        });
      return { json: { id: task.id, assignee: assign ? p.userId : null } };
    }) satisfies Parameters<Api['post']>[2];

  api.post(
    '/tasks/:id/claim',
    {
      tag: 'tasks',
      summary: '认领 Claim a task',
      access: STAFF_ROLES,
      responses: { 200: { description: 'Claimed' } },
    },
    claim(true),
  );
  api.post(
    '/tasks/:id/unclaim',
    {
      tag: 'tasks',
      summary: '释放 Release a task',
      access: STAFF_ROLES,
      responses: { 200: { description: 'Released' } },
    },
    claim(false),
  );
}
