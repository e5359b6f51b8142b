// 案件: search the read model, the case page (workflow Query + read-model rows), and the caseworker's
// decisions on a case — review (审核), cancel (撤销), objections (异议处理), employment evidence (就业核验).
import { z } from 'zod';
import type { TrainingClass } from '@prisma/client';
import type { Api } from '../http';
import { actorOf, isStaff, STAFF_ROLES, type AppDeps, type Principal } from '../context';
import { boolParam, listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import { id, ReasonBody, ResolveObjectionBody, RevealBody, ReviewBody, VerifyBody } from '../schemas';
import {
  CaseCancelling,
  CaseDetailSchema,
  ClassPage,
  ObjectionResolved,
  PlanChecksSchema,
  RevealedNames,
  ReviewDone,
  VerifyDone,
  type ClassViewSchema,
} from '../responses';
import { classFor } from '../scope';
import { accessAudit } from '../audit';
import { callWorkflow, update } from '../workflow';
import { problems } from '../problem';
import * as m from '../../workflows/messages';
import { decryptField, keyFromEnv } from '../../domain/pii';
import { maskIdNumber, maskName } from '../../domain/masking';
import { actorNames, timelineQuery, timelineView } from '../timeline';
import { followUpWindows } from '../followUpWindows';
import { planChecks } from '../planChecks';
import { policyOf, todayInShanghai } from '../planContext';
import { meetsAttendance } from '../../domain/subsidy';
import { casesSheet } from '../caseFiles';
import { EXPORT_MAX_ROWS, refuseTooMany, sheetReply, XLSX } from '../sheets';

/** 显示实名: how long the UI shows revealed names before masking them again. */
export const REVEAL_MINUTES = 5;

export const CaseQuery = z.object({
  ...listQueryShape,
  stage: z
    .string()
    .regex(/^[A-Z_]{1,20}$/)
    .optional(),
  institutionId: id.optional(),
  occupationCode: z.string().max(20).optional(),
  district: z.string().max(40).optional(),
  overdue: boolParam.optional(),
  q: z.string().max(100).optional(),
});

export const CASE_SORTABLE: Sortable = {
  createdAt: { column: 'createdAt', type: 'date' },
  updatedAt: { column: 'updatedAt', type: 'date' },
  stageSince: { column: 'stageSince', type: 'date' },
  dueAt: { column: 'dueAt', type: 'date', nullable: true },
  plannedStart: { column: 'plannedStart', type: 'string' },
  title: { column: 'title', type: 'string' },
  id: { column: 'id', type: 'string' },
};

/**
 * A class row as the API shows it: the plan's JSON parsed (ClassViewSchema drops internal bookkeeping), the
 * institution and the booked assessment body by name (`names`, from `institutionNames`).
 */
export function classView(
  row: TrainingClass,
  names: ReadonlyMap<string, string> = new Map(),
): z.output<typeof ClassViewSchema> {
  const parsed = JSON.parse(row.plan) as m.ClassPlan;
  return {
    ...row,
    stage: row.stage as m.Stage,
    institutionName: names.get(row.institutionId) ?? null,
    assessmentBodyId: parsed.assessmentBodyId,
    assessmentBodyName: names.get(parsed.assessmentBodyId) ?? null,
    plan: parsed,
    imported:
      row.importSource !== null && row.importRef !== null
        ? { source: row.importSource, ref: row.importRef }
        : null,
  };
}

/** The names of the institutions and assessment bodies of these classes, in one query. */
export async function institutionNames(deps: AppDeps, rows: readonly TrainingClass[]) {
  const ids = [...new Set(rows.flatMap((r) => [r.institutionId, r.assessmentBodyId]).filter(Boolean))];
  if (!ids.length) return new Map<string, string>();
  const found = await deps.db.institution.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true },
  });
  return new Map(found.map((i) => [i.id, i.name]));
}

/** The shared list of classes (cases, an institution's classes, an assessment body's bookings). */
/** What a search of cases asks for, within what the caller may see (`scope`). */
export function classFilters(query: z.output<typeof CaseQuery>, scope: Record<string, unknown>) {
  const filters: Record<string, unknown>[] = [scope];
  if (query.stage) filters.push({ stage: query.stage });
  if (query.institutionId) filters.push({ institutionId: query.institutionId });
  if (query.occupationCode) filters.push({ occupationCode: query.occupationCode });
  if (query.district) filters.push({ district: query.district });
  if (query.overdue !== undefined) filters.push({ overdue: query.overdue });
  if (query.q) filters.push({ OR: [{ id: { startsWith: query.q } }, { title: { contains: query.q } }] });
  return filters;
}

/** The classes a principal may see: staff all, an institution its own, an assessment body those booked with it. */
function caseScope(p: Principal): Record<string, unknown> {
  return p.role === 'INSTITUTION'
    ? { institutionId: p.organisationId }
    : p.role === 'ASSESSOR'
      ? bookedWith(p.organisationId ?? '')
      : {};
}

export async function listClasses(
  deps: AppDeps,
  query: z.output<typeof CaseQuery>,
  scope: Record<string, unknown>,
) {
  const plan = planList(query, CASE_SORTABLE, '-createdAt');
  const ks = prismaKeyset(plan);
  const filters = [...classFilters(query, scope), ks.where];
  const rows = await deps.db.trainingClass.findMany({
    where: { AND: filters },
    orderBy: ks.orderBy as never,
    take: ks.take,
  });
  const page = pageOf(rows, plan, (r) => r[plan.field.column as keyof TrainingClass]);
  const names = await institutionNames(deps, page.items);
  return { items: page.items.map((r) => classView(r, names)), nextCursor: page.nextCursor };
}

/** What a call to the class workflow may be refused with (api/workflow.ts). */
export const WORKFLOW_REFUSALS = {
  409: 'the case is not at the step this needs, or it has ended',
  422: 'a rule of the process refuses it (errors[] names the field)',
  503: 'the workflow did not answer in time',
};

type TaskStatus = 'OPEN' | 'DONE' | 'CANCELLED';

/** The classes booked with an assessment body (an indexed column the projection keeps). */
export const bookedWith = (organisationId: string) => ({ assessmentBodyId: organisationId });

export function caseRoutes(api: Api) {
  api.get(
    '/cases',
    {
      tag: 'cases',
      summary: '案件查询 Search cases',
      description:
        'Staff see all; an institution its own; an assessment body the classes booked with it. Filters: stage, institutionId, occupationCode, district, overdue, q (class id prefix or title). Sort: createdAt (default -createdAt), updatedAt, stageSince, dueAt, plannedStart, title, id.',
      access: [...STAFF_ROLES, 'INSTITUTION', 'ASSESSOR'],
      query: CaseQuery,
      responses: { 200: { description: 'A page of classes', schema: ClassPage } },
    },
    async ({ query, principal, deps }) => ({ json: await listClasses(deps, query, caseScope(principal!)) }),
  );

  api.get(
    '/cases/export',
    {
      tag: 'cases',
      summary: '案件导出 The cases a search finds, as a spreadsheet (xlsx)',
      description: `The same filters and sort as GET /cases, every matching class in one sheet (no pages): id, title, institution, occupation, level, district, stage, planned dates, trainees, the current deadline, overdue or escalated, money paid. At most ${EXPORT_MAX_ROWS} rows: a search that finds more is refused; narrow it.`,
      access: [...STAFF_ROLES, 'INSTITUTION', 'ASSESSOR'],
      query: CaseQuery,
      responses: {
        200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX },
      },
      refusals: { 422: `more than ${EXPORT_MAX_ROWS} classes match (TOO_MANY_ROWS)` },
    },
    async ({ query, principal, deps }) => {
      const where = { AND: classFilters(query, caseScope(principal!)) };
      const found = await deps.db.trainingClass.count({ where });
      refuseTooMany(found, { zh: '个班级', en: 'classes' }, 'q');
      const plan = planList(
        { ...query, limit: EXPORT_MAX_ROWS, cursor: undefined },
        CASE_SORTABLE,
        '-createdAt',
      );
      const rows = await deps.db.trainingClass.findMany({
        where,
        orderBy: prismaKeyset(plan).orderBy as never,
        take: EXPORT_MAX_ROWS,
      });
      return sheetReply(await casesSheet(rows, await institutionNames(deps, rows)), 'cases');
    },
  );

  api.get(
    '/cases/:id',
    {
      tag: 'cases',
      summary: '案件详情 The case page',
      description:
        'The workflow state, the read-model row, tasks, timeline and the roster (names and ID numbers always masked: staff reveal them with POST /cases/{id}/reveal and a reason; ?reveal=1 is refused with 400).',
      access: [...STAFF_ROLES, 'INSTITUTION', 'ASSESSOR'],
      query: z.object({ reveal: boolParam.optional() }),
      responses: { 200: { description: 'The case', schema: CaseDetailSchema } },
      refusals: { 400: '?reveal=1: a reveal needs a reason (POST /cases/{id}/reveal)' },
    },
    async ({ params, query, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!);
      if (query.reveal === true) throw revealNeedsReason();
      const [state, tasks, timeline, enrollments, evidence, objections] = await Promise.all([
        callWorkflow(() => deps.temporal.workflow.getHandle(c.id).query(m.caseStateQuery)).catch(() => null),
        deps.db.task.findMany({ where: { classId: c.id }, orderBy: { createdAt: 'asc' } }),
        deps.db.auditEvent.findMany(timelineQuery(c.id)),
        deps.db.enrollment.findMany({ where: { classId: c.id }, orderBy: { id: 'asc' } }),
        deps.db.employmentEvidence.findMany({ where: { classId: c.id }, orderBy: { createdAt: 'asc' } }),
        deps.db.objection.findMany({ where: { classId: c.id }, orderBy: { createdAt: 'asc' } }),
      ]);
      // 就业跟踪: each passed trainee's window, from its follow-up workflow (only while the class follows up).
      const followed = enrollments.filter((e) => {
        const t = state?.trainees.find((x) => x.enrollmentId === e.id);
        const assessment = t?.assessment ?? e.assessment;
        return (t?.status ?? e.status) === 'ENROLLED' && assessment && assessment !== 'FAILED';
      });
      const [persons, windows, names, actors] = await Promise.all([
        deps.db.person.findMany({ where: { personKey: { in: enrollments.map((e) => e.personKey) } } }),
        (state?.stage ?? c.stage) === 'FOLLOW_UP'
          ? followUpWindows(
              deps.temporal,
              c.id,
              followed.map((e) => e.id),
            )
          : new Map<string, m.FollowUpWindow>(),
        c.row ? institutionNames(deps, [c.row]) : new Map<string, string>(),
        // 操作人 by name: the timeline's actors and whoever verified evidence.
        actorNames(deps.db, [
          ...timeline.map((a) => a.actor),
          ...evidence.flatMap((e) => (e.verifiedBy ? [e.verifiedBy] : [])),
        ]),
      ]);
      const people = new Map(persons.map((p) => [p.personKey, p]));
      const key = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
      // 出勤不足 against the bound policy, once training has started (before that nobody has attended).
      const stage = state?.stage ?? c.stage;
      const attendancePolicy =
        c.policyVersionId &&
        !['SUBMITTED', 'UNDER_REVIEW', 'RETURNED', 'APPROVED', 'ENROLLING'].includes(stage)
          ? await policyOf(deps, c.policyVersionId, todayInShanghai())
          : undefined;
      const open = (enc: string | undefined) => {
        if (!enc) return '';
        try {
          return decryptField(enc, key);
        } catch {
          return '';
        }
      };
      const trainees = enrollments.map((e) => {
        const person = people.get(e.personKey);
        const name = open(person?.nameEnc);
        const idNumber = open(person?.idNumberEnc);
        const t = state?.trainees.find((x) => x.enrollmentId === e.id);
        return {
          enrollmentId: e.id,
          nameMasked: name ? maskName(name) : '',
          idMasked: idNumber ? maskIdNumber(idNumber) : '',
          category: e.category,
          status: t?.status ?? e.status,
          attendedHours: t?.attendedHours ?? e.attendedHours,
          attendanceShort: attendancePolicy
            ? !meetsAttendance(t?.attendedHours ?? e.attendedHours, c.plan.classHours, attendancePolicy)
            : null,
          assessment: t?.assessment ?? e.assessment ?? null,
          certificateNo: t?.certificateNo ?? e.certificateNo ?? null,
          employed: t?.employed ?? e.employed ?? null,
          tier: t?.tier ?? e.tier ?? null,
          amountFen: t?.amountFen ?? e.amountFen ?? null,
          /** 就业跟踪期: employment after `trainingEnd`, until 24:00 of `endsOn` (null when not in follow-up) */
          followUpWindow: windows.get(e.id) ?? null,
        };
      });
      // Person keys stay inside: the case view names trainees by enrollment id only.
      const caseState = state
        ? { ...state, trainees: state.trainees.map(({ personKey: _pk, ...t }) => t) }
        : null;
      const detail: z.output<typeof CaseDetailSchema> = {
        case: caseState,
        class: c.row ? classView(c.row, names) : null,
        tasks: tasks.map((t) => ({ ...t, stage: t.stage as m.Stage, status: t.status as TaskStatus })),
        timeline: timelineView(
          c.id,
          timeline,
          enrollments.map((e) => e.id),
          actors,
        ).map((e) => ({ ...e, stage: e.stage as m.Stage })),
        trainees,
        // 就业材料 as submitted, for the caseworker who verifies them.
        evidence: evidence.map((e) => ({
          id: e.id,
          enrollmentId: e.enrollmentId,
          kind: e.kind,
          employedOn: e.employedOn,
          employer: e.employer,
          verdict: e.verdict,
          verifiedBy: e.verifiedBy,
          verifiedByName: e.verifiedBy ? (actors.get(e.verifiedBy) ?? null) : null,
          verdictNote: e.verdictNote,
          createdAt: e.createdAt,
        })),
        // 异议: the objector's contact only for staff (an institution never learns who objected).
        objections: objections.map((o) => ({
          id: o.id,
          noticeId: o.noticeId,
          lineId: o.lineId,
          reason: o.reason,
          status: o.status,
          resolution: o.resolution,
          createdAt: o.createdAt,
          ...(isStaff(principal) ? { contact: o.contact ? open(o.contact) : null } : {}),
        })),
      };
      return { json: detail };
    },
  );

  api.get(
    '/cases/:id/plan-checks',
    {
      tag: 'cases',
      summary: '审核要点 The plan checks a reviewer sees',
      description:
        "The plan as it is under review, checked again by the rules that admitted it when it was filed (domain/plan.ts): each check passed or failed with its messages, and the course table's total hours against the plan's class hours. The lead time is judged from the day the plan under review was filed; catalogue and designations as they are today.",
      access: ['CASEWORKER', 'MANAGER'],
      responses: { 200: { description: 'The checks and totals', schema: PlanChecksSchema } },
      refusals: { 404: 'no such class, or not yet in the read model' },
    },
    async ({ params, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!);
      if (!c.row)
        throw problems.notFound({ zh: '班级尚未登记', en: 'The class is not in the read model yet' });
      // The plan under review was filed when its review task opened (a resubmission opens a new one).
      const review = await deps.db.task.findFirst({
        where: { classId: c.id, kind: 'REVIEW_PLAN' },
        orderBy: { createdAt: 'desc' },
        select: { createdAt: true },
      });
      return { json: await planChecks(deps, c.row, review?.createdAt ?? c.row.createdAt) };
    },
  );

  api.post(
    '/cases/:id/reveal',
    {
      tag: 'cases',
      summary: '显示实名 Reveal names and ID numbers, with a reason',
      description: `One trainee (enrollmentId) or the whole roster, in clear, for ${REVEAL_MINUTES} minutes in the UI. Recorded in the access audit (PII_REVEALED) with the reason and the trainee; never the names. Not kept by Idempotency-Key.`,
      access: STAFF_ROLES,
      body: RevealBody,
      idempotency: false,
      responses: { 200: { description: 'The names', schema: RevealedNames } },
      refusals: { 404: 'no such class, or no such trainee on it' },
    },
    async ({ params, body, principal, deps, req }) => {
      const c = await classFor(deps, principal, params.id!);
      const enrollments = await deps.db.enrollment.findMany({
        where: { classId: c.id, ...(body.enrollmentId ? { id: body.enrollmentId } : {}) },
        orderBy: { id: 'asc' },
        select: { id: true, personKey: true },
      });
      if (body.enrollmentId && !enrollments.length)
        throw problems.notFound({ zh: '本班无此学员', en: 'No such trainee on this class' });
      const persons = await deps.db.person.findMany({
        where: { personKey: { in: enrollments.map((e) => e.personKey) } },
        select: { personKey: true, nameEnc: true, idNumberEnc: true },
      });
      const people = new Map(persons.map((p) => [p.personKey, p]));
      const key = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
      const open = (enc: string | undefined) => {
        if (!enc) return '';
        try {
          return decryptField(enc, key);
        } catch {
          return '';
        }
      };
      // On the record before anything is shown: who, which class, which trainee, why (never the names).
      await deps.db.accessAudit.create(
        accessAudit(req, principal!, 'PII_REVEALED', c.id, {
          reason: body.reason,
          detail: body.enrollmentId
            ? { enrollmentId: body.enrollmentId, trainees: 1 }
            : { trainees: enrollments.length },
        }),
      );
      return {
        headers: { 'Cache-Control': 'no-store' },
        json: {
          classId: c.id,
          trainees: enrollments.map((e) => {
            const person = people.get(e.personKey);
            return { enrollmentId: e.id, name: open(person?.nameEnc), idNumber: open(person?.idNumberEnc) };
          }),
          until: new Date(Date.now() + REVEAL_MINUTES * 60_000).toISOString(),
        },
      };
    },
  );

  api.post(
    '/cases/:id/review',
    {
      tag: 'cases',
      summary: '审核 Approve, return or reject a plan',
      access: ['CASEWORKER'],
      body: ReviewBody,
      responses: { 200: { description: 'Decided', schema: ReviewDone } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, body, principal, deps }) => ({
      json: await reviewPlan(deps, principal!, (await classFor(deps, principal, params.id!)).id, body),
    }),
  );

  api.post(
    '/cases/:id/cancel',
    {
      tag: 'cases',
      summary: '撤销 Cancel a class (not once results exist)',
      access: ['CASEWORKER', 'MANAGER', 'INSTITUTION'],
      body: ReasonBody,
      responses: { 202: { description: 'The class is being cancelled', schema: CaseCancelling } },
      refusals: {
        ...WORKFLOW_REFUSALS,
        409: 'results exist or the class has ended',
      },
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!);
      await update(deps.temporal, c.id, m.cancelClassUpdate, {
        actor: actorOf(principal!),
        reason: body.reason,
      });
      return { status: 202, json: { classId: c.id, cancelling: true as const } };
    },
  );

  api.post(
    '/cases/:id/objections/:objectionId/resolve',
    {
      tag: 'cases',
      summary: '异议处理 Resolve an objection',
      access: ['CASEWORKER'],
      body: ResolveObjectionBody,
      responses: { 200: { description: 'Resolved', schema: ObjectionResolved } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!);
      return { json: await resolveObjection(deps, principal!, c.id, params.objectionId!, body) };
    },
  );

  api.post(
    '/cases/:id/trainees/:enrollmentId/evidence/:evidenceId/verify',
    {
      tag: 'cases',
      summary: '就业核验 Verify employment evidence',
      access: ['CASEWORKER'],
      body: VerifyBody,
      responses: { 200: { description: 'Verified or rejected', schema: VerifyDone } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!);
      return {
        json: await verifyEvidence(deps, principal!, c.id, params.enrollmentId!, params.evidenceId!, body),
      };
    },
  );
}

/** ?reveal=1 on the case page: refused, a reveal needs a reason (the access audit's basis). */
const revealNeedsReason = () =>
  problems.badRequest(
    'REASON_REQUIRED',
    {
      zh: '显示实名须说明理由：请使用 POST /cases/{id}/reveal',
      en: 'Revealing names needs a reason: POST /cases/{id}/reveal',
    },
    [
      {
        path: 'reason',
        code: 'REASON_REQUIRED',
        message: { zh: '请填写查看实名的理由', en: 'Give a reason' },
      },
    ],
  );

// The caseworker's decisions, shared by the case routes above and the inbox's act route (routes/tasks.ts).
// The caller has already checked that the class is visible to the principal.

export async function reviewPlan(
  deps: AppDeps,
  principal: Principal,
  classId: string,
  body: z.output<typeof ReviewBody>,
) {
  await update(deps.temporal, classId, m.reviewPlanUpdate, {
    actor: actorOf(principal),
    decision: body.decision,
    reason: body.reason,
  });
  return { classId, decision: body.decision };
}

export async function resolveObjection(
  deps: AppDeps,
  principal: Principal,
  classId: string,
  objectionId: string,
  body: z.output<typeof ResolveObjectionBody>,
) {
  const resolution: m.ObjectionResolution = !body.upheld
    ? { upheld: false, note: body.note }
    : body.action === 'REMOVE'
      ? { upheld: true, action: 'REMOVE', note: body.note }
      : { upheld: true, action: 'CORRECT', tier: body.tier!, note: body.note };
  await update(
    deps.temporal,
    classId,
    m.resolveObjectionUpdate,
    { actor: actorOf(principal), objectionId, resolution },
    { path: (f) => (f === 'objectionId' ? 'objectionId' : f?.replace(/^resolution\./, '')) },
  );
  return { objectionId, upheld: body.upheld };
}

export async function verifyEvidence(
  deps: AppDeps,
  principal: Principal,
  classId: string,
  enrollmentId: string,
  evidenceId: string,
  body: z.output<typeof VerifyBody>,
) {
  const enrollment = await deps.db.enrollment.findUnique({ where: { id: enrollmentId } });
  if (!enrollment || enrollment.classId !== classId)
    throw problems.notFound({ zh: '本班无此学员', en: 'No such trainee on this class' });
  await update(
    deps.temporal,
    m.followUpWorkflowId(classId, enrollment.id),
    m.verifyEvidenceUpdate,
    { actor: actorOf(principal), evidenceId, verdict: body.verdict, note: body.note },
    { knownToExist: false },
  );
  return { evidenceId, verdict: body.verdict };
}
