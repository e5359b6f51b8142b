// 待办 (the inbox): one indexed query with keyset pagination; class title, institution, occupation and booked
// assessment body names joined in the same query (no N+1), and an overdue task's reason in words
// (domain/overdue.ts) built from them. Each item says what it is about (the trainee by masked name, the batch
// and its amount, the objected line), and the page says how many tasks match in all. Claim and unclaim assign
// a task to a caseworker; saved views (待办视图) are named filters a role's team shares.
import { randomUUID } from 'node:crypto';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import type { Api, Ctx } from '../http';
import { STAFF_ROLES, type Principal } from '../context';
import { boolParam, listQueryShape, pageOf, planList, sqlKeyset, type Sortable } from '../pagination';
import { overdueReason } from '../../domain/overdue';
import { id, isoDate, name, ResolveObjectionBody, ReviewBody, VerifyBody } from '../schemas';
import {
  SavedViewList,
  SavedViewSchema,
  TaskActed,
  TaskClaim,
  TaskPage,
  type TaskAboutSchema,
  type TaskItemSchema,
} from '../responses';
import { decryptField, keyFromEnv } from '../../domain/pii';
import { maskName } from '../../domain/masking';
import { resolveObjection, reviewPlan, verifyEvidence } from './cases';
import { approveBatch } from './payments';
import { problems } from '../problem';
import type { Stage } from '../../workflows/messages';
import { tasksSheet } from '../taskFiles';
import { EXPORT_MAX_ROWS, refuseTooMany, sheetReply, XLSX } from '../sheets';

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

/** Sort fields (own keys only: api/pagination.ts planList); `class` is the class id, which orders by year and number. */
const SORTABLE: Sortable = {
  dueAt: { column: 'dueAt', type: 'date', nullable: true },
  createdAt: { column: 'createdAt', type: 'date' },
  kind: { column: 'kind', type: 'string' },
  class: { column: 'classId', type: 'string' },
  id: { column: 'id', type: 'string' },
};
/** The item field a sort key's cursor is written from. */
const CURSOR_FIELD = {
  dueAt: 'dueAt',
  createdAt: 'createdAt',
  kind: 'kind',
  class: 'classId',
  id: 'id',
} as const;

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
  // What the task is about (TaskAboutSchema): the trainee of a verification or of an objected line (the name
  // is encrypted here and masked before it leaves), the objected line, the batch to approve.
  ['enrollmentId', 'e."id"'],
  ['nameEnc', 'p."nameEnc"'],
  ['lineId', 'ob."lineId"'],
  ['lineKind', 'sl."kind"'],
  ['lineAmountFen', 'sl."amountFen"'],
  ['batchKind', 'b."kind"'],
  ['batchTotalFen', 'b."totalFen"'],
  [
    'batchPayees',
    'CASE WHEN b."id" IS NULL THEN NULL ELSE (SELECT COUNT(*) FROM "Payment" pm WHERE pm."batchId" = b."id") END',
  ],
  // who has the task, by name (a user id means nothing to the manager reading the list)
  ['assigneeName', 'ua."displayName"'],
];
/** The joins COLUMNS reads from, beside the task itself. */
const JOINS = `
  LEFT JOIN "TrainingClass" c ON c."id" = t."classId"
  LEFT JOIN "Institution" i ON i."id" = t."institutionId"
  LEFT JOIN "Occupation" o ON o."code" = t."occupationCode"
  LEFT JOIN "Institution" ab ON t."kind" = 'RECORD_ASSESSMENT' AND ab."id" = c."assessmentBodyId"
  LEFT JOIN "Objection" ob ON t."kind" = 'RESOLVE_OBJECTION' AND ob."id" = t."subject"
  LEFT JOIN "SubsidyLine" sl ON sl."id" = ob."lineId"
  LEFT JOIN "Enrollment" e
    ON e."id" = (CASE WHEN t."kind" = 'VERIFY_EMPLOYMENT' THEN t."subject" ELSE sl."enrollmentId" END)
  LEFT JOIN "Person" p ON p."personKey" = e."personKey"
  LEFT JOIN "PaymentBatch" b ON t."kind" IN ('APPROVE_PAYMENT', 'CORRECT_PAYMENT') AND b."id" = t."subject"
  LEFT JOIN "User" ua ON ua."id" = t."assignee"`;
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
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A trainee's name as a list may show it: masked (DESIGN.md principle 5); empty when it cannot be read. */
function maskedName(nameEnc: unknown, key: Buffer): string {
  if (typeof nameEnc !== 'string' || !nameEnc) return '';
  try {
    return maskName(decryptField(nameEnc, key));
  } catch {
    return '';
  }
}

/** What a task is about, from the row's joined columns (COLUMNS indexes 20 on). */
function aboutOf(r: unknown[], key: Buffer): z.output<typeof TaskAboutSchema> | null {
  const kind = String(r[3]);
  const subject = text(r[15]);
  if (!subject) return null;
  switch (kind) {
    case 'VERIFY_EMPLOYMENT':
      return { type: 'TRAINEE', enrollmentId: subject, traineeName: maskedName(r[21], key) };
    case 'RESOLVE_OBJECTION':
      return {
        type: 'OBJECTION',
        objectionId: subject,
        lineId: text(r[22]),
        lineKind: text(r[23]),
        amountFen: num(r[24]),
        traineeName: r[20] === null || r[20] === undefined ? null : maskedName(r[21], key),
      };
    case 'APPROVE_PAYMENT':
    case 'CORRECT_PAYMENT':
      return {
        type: 'BATCH',
        batchId: subject,
        batchKind: text(r[25]),
        totalFen: num(r[26]),
        payees: num(r[27]),
      };
    case 'IMPORT_BANK_RETURN': // subject: batch id # transfer attempt
      return {
        type: 'BATCH',
        batchId: subject.replace(/#\d+$/, ''),
        batchKind: null,
        totalFen: null,
        payees: null,
      };
    default:
      return null;
  }
}

/** One inbox item from a row in COLUMNS order. */
function toItem(r: unknown[], key: Buffer): z.output<typeof TaskItemSchema> {
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
    assigneeName: text(r[28]),
    subject: text(r[15]),
    about: aboutOf(r, key),
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

/** The filters of an inbox query as SQL on the task table `t` (everything but the page's keyset). */
function filtersOf(query: z.output<typeof TaskQuery>, principal: Principal): Prisma.Sql[] {
  const where: Prisma.Sql[] = [Prisma.sql`t."status" = ${query.status}`];
  const role = query.role === 'ALL' ? undefined : (query.role ?? defaultRole(principal));
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
    where.push(Prisma.sql`t."assignee" = ${query.assignee === 'me' ? principal.userId : query.assignee}`);
  return where;
}

/** The page without its total, as rendered (and reused) by the hot reader. */
const TaskPageBody = TaskPage.omit({ total: true });

export function taskRoutes(api: Api) {
  api.get(
    '/tasks',
    {
      tag: 'tasks',
      summary: '待办列表 The inbox',
      description:
        'Filters: role (default: your own; ALL for every role), kind, stage, overdue, escalated, dueBefore, institutionId, occupationCode, district, assignee (me | none | user id), status. Sort: dueAt (default), createdAt, kind, class (the class id), id; prefix - for descending; any other field is a 400 naming `sort`. `total` counts every task the filters match (not only this page). Each item says what it is `about`: the trainee by masked name (VERIFY_EMPLOYMENT), the payment batch with its amount (APPROVE_PAYMENT, CORRECT_PAYMENT), the objected notice line (RESOLVE_OBJECTION). An overdue or escalated item carries overdueReason: who has not acted (the caseworker, the institution or the booked assessment body by name, finance) and the missed deadline in Asia/Shanghai, in Chinese and English.',
      access: STAFF_ROLES,
      query: TaskQuery,
      // Rendered here (a reused page is sent as it was rendered): encoded through the same schema.
      responses: { 200: { description: 'A page of tasks and their total', schema: TaskPage } },
    },
    async ({ query, principal, services, deps }) => {
      const plan = planList(query, SORTABLE, 'dueAt');
      const filters = filtersOf(query, principal!);
      const keyset = sqlKeyset(plan, 't');
      const piiKey = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
      // The total: one count on the same index range as the page, reused like the page until a commit.
      const total = await services.hot.rendered(
        Prisma.sql`SELECT COUNT(*) AS "total" FROM "Task" t WHERE ${Prisma.join(filters, ' AND ')}`,
        ['total'],
        (rows) => String(Number(rows[0]?.[0] ?? 0)),
      );
      // One indexed range scan on (status, role, dueAt, id), names joined in the same query; rows come back
      // as arrays in COLUMNS order (the inbox is the hottest read: no per-row object from the driver).
      const body = await services.hot.rendered(
        Prisma.sql`
        SELECT ${Prisma.raw(SELECT_LIST)}
        FROM "Task" t ${Prisma.raw(JOINS)}
        WHERE ${Prisma.join([...filters, keyset.where], ' AND ')}
        ORDER BY ${keyset.orderBy}
        LIMIT ${plan.limit + 1}`,
        ALIASES,
        (rows) =>
          JSON.stringify(
            TaskPageBody.encode(
              pageOf(
                rows.map((r) => toItem(r, piiKey)),
                plan,
                (r) => r[CURSOR_FIELD[plan.key as keyof typeof CURSOR_FIELD]],
              ),
            ),
          ),
      );
      // The rendered page is a JSON object: the total joins it as its first member.
      return {
        text: `{"total":${total.toString()},${body.toString().slice(1)}`,
        contentType: 'application/json; charset=utf-8',
      };
    },
  );

  api.get(
    '/tasks/export',
    {
      tag: 'tasks',
      summary: '待办导出 The tasks an inbox search finds, as a spreadsheet (xlsx)',
      description: `The same filters and sort as GET /tasks, every matching task in one sheet (no pages): the task, its class and institution, district, stage, deadline, overdue or escalated with the reason in words, the assignee, when it opened. Trainee names are never in it. At most ${EXPORT_MAX_ROWS} rows: a search that finds more is refused; narrow it.`,
      access: STAFF_ROLES,
      query: TaskQuery,
      responses: {
        200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX },
      },
      refusals: { 422: `more than ${EXPORT_MAX_ROWS} tasks match (TOO_MANY_ROWS)` },
    },
    async ({ query, principal, deps }) => {
      const plan = planList({ ...query, limit: EXPORT_MAX_ROWS, cursor: undefined }, SORTABLE, 'dueAt');
      const filters = filtersOf(query, principal!);
      const keyset = sqlKeyset(plan, 't');
      const piiKey = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
      const counted = await deps.db.$queryRaw<{ total: unknown }[]>(
        Prisma.sql`SELECT COUNT(*) AS "total" FROM "Task" t WHERE ${Prisma.join(filters, ' AND ')}`,
      );
      const found = Number(counted[0]?.total ?? 0);
      refuseTooMany(found, { zh: '项待办', en: 'tasks' }, 'kind');
      const rows = await deps.db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
        SELECT ${Prisma.raw(SELECT_LIST)}
        FROM "Task" t ${Prisma.raw(JOINS)}
        WHERE ${Prisma.join(filters, ' AND ')}
        ORDER BY ${keyset.orderBy}
        LIMIT ${EXPORT_MAX_ROWS}`);
      const items = rows.map((r) =>
        toItem(
          ALIASES.map((a) => r[a]),
          piiKey,
        ),
      );
      return sheetReply(await tasksSheet(items), 'tasks');
    },
  );

  registerSavedViews(api);

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

// ---------- 待办视图: saved views, shared by a role's team ----------

const MAX_VIEWS_PER_TEAM = 50;
const flag = z.enum(['true', 'false']);
/** A saved view's query: the inbox's own parameters as text, checked as the inbox would check them. */
export const SavedViewQuery = z
  .strictObject({
    role: TaskQuery.shape.role,
    kind: TaskQuery.shape.kind,
    stage: TaskQuery.shape.stage,
    overdue: flag.optional(),
    escalated: flag.optional(),
    dueBefore: isoDate.optional(),
    institutionId: id.optional(),
    occupationCode: z
      .string()
      .regex(/^[0-9A-Z-]{1,20}$/)
      .optional(),
    district: name(40).optional(),
    assignee: z.enum(['me', 'none']).optional(),
    status: z.enum(['OPEN', 'DONE', 'CANCELLED']).optional(),
    sort: z
      .string()
      .max(40)
      .refine((s) => Object.hasOwn(SORTABLE, s.replace(/^[-+]/, '')), {
        message: `不支持的排序字段 | sort by one of ${Object.keys(SORTABLE).join(', ')}`,
      })
      .optional(),
  })
  .meta({ description: 'filters and sort, as the inbox takes them (GET /tasks)' });
export const SavedViewBody = z.strictObject({ name: name(40), query: SavedViewQuery });

type ViewRow = { id: string; name: string; role: string; query: string; createdBy: string; createdAt: Date };

function registerSavedViews(api: Api) {
  const viewOf = (v: ViewRow, names: Map<string, string>): z.output<typeof SavedViewSchema> => ({
    id: v.id,
    name: v.name,
    role: v.role as z.output<typeof SavedViewSchema>['role'],
    query: JSON.parse(v.query) as Record<string, string>,
    createdBy: v.createdBy,
    createdByName: names.get(v.createdBy) ?? null,
    createdAt: v.createdAt,
  });
  const namesOf = async (deps: Ctx<unknown, unknown>['deps'], ids: string[]) => {
    const users = await deps.db.user.findMany({
      where: { id: { in: [...new Set(ids)] } },
      select: { id: true, displayName: true },
    });
    return new Map(users.map((u) => [u.id, u.displayName]));
  };

  api.get(
    '/tasks/views',
    {
      tag: 'tasks',
      summary: '待办视图 Saved inbox views of my team',
      description:
        'The views saved by anyone of the caller’s role (the team), oldest first. Another role’s views are not listed.',
      access: STAFF_ROLES,
      responses: { 200: { description: 'The team’s views', schema: SavedViewList } },
    },
    async ({ principal, deps }) => {
      const rows = await deps.db.savedView.findMany({
        where: { role: principal!.role },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: MAX_VIEWS_PER_TEAM,
      });
      const names = await namesOf(
        deps,
        rows.map((v) => v.createdBy),
      );
      return { json: { items: rows.map((v) => viewOf(v, names)) } };
    },
  );

  api.post(
    '/tasks/views',
    {
      tag: 'tasks',
      summary: '保存视图 Save a view for my team',
      description: `A name and the inbox query it applies (filters and sort). Everyone of the caller's role sees it. Names are unique within a team; a team keeps at most ${MAX_VIEWS_PER_TEAM} views.`,
      access: STAFF_ROLES,
      body: SavedViewBody,
      responses: { 201: { description: 'Saved', schema: SavedViewSchema } },
      refusals: {
        409: 'the team already has a view of that name',
        422: `the team already has ${MAX_VIEWS_PER_TEAM} views`,
      },
    },
    async ({ body, principal, deps }) => {
      const p = principal!;
      const taken = () =>
        problems.conflict(
          'VIEW_NAME_TAKEN',
          { zh: '本组已有同名视图', en: 'Your team already has a view of that name' },
          [
            {
              path: 'name',
              code: 'VIEW_NAME_TAKEN',
              message: { zh: '该名称已被使用', en: 'This name is taken' },
            },
          ],
        );
      const [count, same] = await Promise.all([
        deps.db.savedView.count({ where: { role: p.role } }),
        deps.db.savedView.findUnique({ where: { role_name: { role: p.role, name: body.name } } }),
      ]);
      if (same) throw taken();
      if (count >= MAX_VIEWS_PER_TEAM)
        throw problems.rule('VIEW_LIMIT', {
          zh: `每组最多保存${MAX_VIEWS_PER_TEAM}个视图，请先删除不用的视图`,
          en: `A team keeps at most ${MAX_VIEWS_PER_TEAM} views; delete one first`,
        });
      // Only the parameters given, as text: the web applies them to the inbox as they are.
      const query = Object.fromEntries(
        Object.entries(body.query).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      let row: ViewRow;
      try {
        row = await deps.db.savedView.create({
          data: {
            id: `view-${randomUUID()}`,
            role: p.role,
            name: body.name,
            query: JSON.stringify(query),
            createdBy: p.userId,
          },
        });
      } catch (err) {
        // Two saves of one name at once: the unique index decides.
        if ((err as { code?: string }).code === 'P2002') throw taken();
        throw err;
      }
      return { status: 201, json: viewOf(row, await namesOf(deps, [p.userId])) };
    },
  );

  api.delete(
    '/tasks/views/:id',
    {
      tag: 'tasks',
      summary: '删除视图 Delete a view of my team',
      description: 'Anyone of the team may delete its views; another role’s view is not found.',
      access: STAFF_ROLES,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ params, principal, deps }) => {
      const { count } = await deps.db.savedView.deleteMany({
        where: { id: params.id!, role: principal!.role },
      });
      if (!count) throw problems.notFound({ zh: '视图不存在', en: 'No such view' });
      return { status: 204 };
    },
  );
}
