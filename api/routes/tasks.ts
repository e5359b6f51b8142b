// 待办 (the inbox): one indexed query with keyset pagination; class title, institution, occupation and booked
// assessment body names joined in the same query (no N+1), and an overdue task's reason in words
// (domain/overdue.ts) built from them. Claim and unclaim assign a task to a caseworker.
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import type { Api, Ctx } from '../http';
import { STAFF_ROLES, type Principal } from '../context';
import { boolParam, listQueryShape, pageOf, planList, sqlKeyset, type Sortable } from '../pagination';
import { overdueReason } from '../../domain/overdue';
import { id, isoDate, ResolveObjectionBody, ReviewBody, VerifyBody } from '../schemas';
import { TaskActed, TaskClaim, TaskPage, type TaskItemSchema } from '../responses';
import { resolveObjection, reviewPlan, verifyEvidence } from './cases';
import { approveBatch } from './payments';
import { problems } from '../problem';
import type { Stage } from '../../workflows/messages';

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

type Instant = Date | string | null;

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
  // Only for the reason of an overdue RECORD_ASSESSMENT task: the body booked with the plan (预约评价).
  ['assessmentBodyId', 'c."assessmentBodyId"'],
  ['assessmentBodyName', 'ab."name"'],
  ['evidenceId', 't."evidenceId"'],
];
const SELECT_LIST = COLUMNS.map(([alias, expr]) => `${expr} AS "${alias}"`).join(', ');
const ALIASES = COLUMNS.map(([alias]) => alias);
/** An instant as ISO UTC; PostgreSQL's JSON writes timestamps without a zone (they are UTC). */
const iso = (v: Instant): string | null => {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString();
  // Prisma writes SQLite instants as 2026-03-02T01:00:00.000+00:00: the common case needs no Date.
  if (v.length === 29 && v.endsWith('+00:00') && v[10] === 'T') return `${v.slice(0, 23)}Z`;
  return new Date(/Z$|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`).toISOString();
};

const bool = (v: unknown) => v === true || v === 1 || v === 1n || v === '1' || v === 'true';

/** One inbox item from a row in COLUMNS order. */
function toItem(r: unknown[]): z.output<typeof TaskItemSchema> {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const dueAt = iso(r[11] as Instant);
  const overdue = bool(r[12]);
  const escalated = bool(r[13]);
  return {
    id: String(r[0]),
    classId: String(r[1]),
    classTitle: text(r[2]),
    kind: String(r[3]),
    role: String(r[4]),
    stage: String(r[5]) as Stage,
    institutionId: String(r[6]),
    institutionName: text(r[7]),
    occupationCode: String(r[8]),
    occupationName: text(r[9]),
    district: String(r[10]),
    dueAt,
    overdue,
    escalated,
    assignee: text(r[14]),
    subject: text(r[15]),
    /** VERIFY_EMPLOYMENT: the evidence to verify */
    evidenceId: text(r[19]),
    createdAt: iso(r[16] as Instant)!,
    overdueReason:
      overdue || escalated
        ? overdueReason({
            kind: String(r[3]),
            role: String(r[4]),
            dueAt,
            escalated,
            institution: { id: String(r[6]), name: text(r[7]) },
            assessmentBody: { id: text(r[17]) ?? '', name: text(r[18]) },
          })
        : null,
  };
}

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
        'Filters: role (default: your own; ALL for every role), kind, stage, overdue, escalated, dueBefore, institutionId, occupationCode, district, assignee (me | none | user id), status. Sort: dueAt (default), createdAt, id; prefix - for descending. An overdue or escalated item carries overdueReason: who has not acted (the caseworker, the institution or the booked assessment body by name, finance) and the missed deadline in Asia/Shanghai, in Chinese and English.',
      access: STAFF_ROLES,
      query: TaskQuery,
      // Rendered here (a reused page is sent as it was rendered): encoded through the same schema.
      responses: { 200: { description: 'A page of tasks', schema: TaskPage } },
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
      // One indexed range scan on (status, role, dueAt, id), names joined in the same query; rows come back
      // as arrays in COLUMNS order (the inbox is the hottest read: no per-row object from the driver).
      const body = await services.hot.rendered(
        Prisma.sql`
        SELECT ${Prisma.raw(SELECT_LIST)}
        FROM "Task" t
        LEFT JOIN "TrainingClass" c ON c."id" = t."classId"
        LEFT JOIN "Institution" i ON i."id" = t."institutionId"
        LEFT JOIN "Occupation" o ON o."code" = t."occupationCode"
        LEFT JOIN "Institution" ab ON t."kind" = 'RECORD_ASSESSMENT' AND ab."id" = c."assessmentBodyId"
        WHERE ${Prisma.join(where, ' AND ')}
        ORDER BY ${keyset.orderBy}
        LIMIT ${plan.limit + 1}`,
        ALIASES,
        (rows) =>
          JSON.stringify(
            TaskPage.encode(
              pageOf(rows.map(toItem), plan, (r) =>
                plan.key === 'id' ? r.id : r[plan.key as 'dueAt' | 'createdAt'],
              ),
            ),
          ),
      );
      return { text: body, contentType: 'application/json; charset=utf-8' };
    },
  );

  /** 认领 / 释放: assign the task to the caller, or release it (a manager may release anyone's). */
  const claim = async ({ params, principal, deps }: Ctx<unknown, unknown>, assign: boolean) => {
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
  };
  const CLAIM_REFUSALS = {
    403: 'the task belongs to another role',
    409: 'the task is closed, or someone else holds it',
  };

  api.post(
    '/tasks/:id/claim',
    {
      tag: 'tasks',
      summary: '认领 Claim a task',
      access: STAFF_ROLES,
      responses: { 200: { description: 'Claimed: the task is yours', schema: TaskClaim } },
      refusals: CLAIM_REFUSALS,
    },
    (ctx) => claim(ctx, true),
  );
  api.post(
    '/tasks/:id/unclaim',
    {
      tag: 'tasks',
      summary: '释放 Release a task',
      access: STAFF_ROLES,
      responses: { 200: { description: 'Released: anyone of its role may claim it', schema: TaskClaim } },
      refusals: CLAIM_REFUSALS,
    },
    (ctx) => claim(ctx, false),
  );

  api.post(
    '/tasks/:id/act',
    {
      tag: 'tasks',
      summary: '办理 Act on a task from the inbox',
      description:
        'The decision the task asks for, named by its kind: REVIEW_PLAN (decision, reason), VERIFY_EMPLOYMENT (verdict, note), RESOLVE_OBJECTION (upheld, action, tier, note), APPROVE_PAYMENT and CORRECT_PAYMENT (approve the batch, again after its bank details were corrected). The same rules apply as on the case and payment routes; a task someone else has claimed is theirs to act on.',
      access: ['CASEWORKER', 'FINANCE'],
      body: ActBody,
      responses: { 200: { description: 'Done: what the decision changed', schema: TaskActed } },
      refusals: {
        403: 'the task belongs to another role',
        409: 'the task is closed, held by someone else or of another kind, or the case is not at that step',
        422: 'a rule of the decision refuses it',
        503: 'the workflow did not answer in time',
      },
    },
    async ({ params, body, principal, deps }) => {
      const task = await deps.db.task.findUnique({ where: { id: params.id! } });
      if (!task) throw problems.notFound({ zh: '待办不存在', en: 'No such task' });
      const p = principal!;
      if (p.role !== task.role)
        throw problems.forbidden({ zh: '该待办不属于您的角色', en: 'This task belongs to another role' });
      if (task.status !== 'OPEN')
        throw problems.conflict('TASK_CLOSED', { zh: '该待办已办结', en: 'The task is closed' });
      if (task.assignee && task.assignee !== p.userId)
        throw problems.conflict('ALREADY_CLAIMED', {
          zh: '该待办已被他人认领',
          en: 'Someone else has claimed this task',
        });
      if (body.kind !== task.kind)
        throw problems.conflict('TASK_KIND_MISMATCH', {
          zh: `该待办是${task.kind}，不是${body.kind}`,
          en: `This task is ${task.kind}, not ${body.kind}`,
        });
      const subject = task.subject ?? '';
      const result =
        body.kind === 'REVIEW_PLAN'
          ? await reviewPlan(deps, p, task.classId, body)
          : body.kind === 'VERIFY_EMPLOYMENT'
            ? await verifyEvidence(deps, p, task.classId, subject, task.evidenceId ?? '', body)
            : body.kind === 'RESOLVE_OBJECTION'
              ? await resolveObjection(deps, p, task.classId, subject, body)
              : await approveBatch(deps, p, subject);
      return { json: { taskId: task.id, kind: task.kind, result } };
    },
  );
}

/** What acting on a task needs, by the task's kind (the same bodies as the case and payment routes). */
export const ActBody = z.discriminatedUnion('kind', [
  ReviewBody.extend({ kind: z.literal('REVIEW_PLAN') }),
  VerifyBody.extend({ kind: z.literal('VERIFY_EMPLOYMENT') }),
  ResolveObjectionBody.safeExtend({ kind: z.literal('RESOLVE_OBJECTION') }),
  z.strictObject({ kind: z.literal('APPROVE_PAYMENT') }),
  z.strictObject({ kind: z.literal('CORRECT_PAYMENT') }),
]);
