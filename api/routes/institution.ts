// 培训机构: plan submission (开班申请), roster (报名), start/finish (开班/结业), attendance (考勤) and
// employment evidence (就业材料). Every route acts only on the caller's own classes (others are 404).
import { z } from 'zod';
import type { Api } from '../http';
import { actorOf, type AppDeps, type Principal } from '../context';
import { AttendanceBody, EnrolBody, EvidenceBody, PlanBody, ReasonBody } from '../schemas';
import {
  Accepted,
  AssessmentBodyList,
  AttendanceReported,
  ClassPage,
  EnrolAnswerSchema,
  RosterCheckSchema,
  EvidenceFiled,
  PlanResubmitted,
  TrainingFinished,
  TrainingStarted,
} from '../responses';
import { classFor, enrollmentOnClass } from '../scope';
import { callWorkflow, update } from '../workflow';
import { requestSeed } from '../idempotency';
import { problems, ruleProblem } from '../problem';
import { loadPlanContext, todayInShanghai } from '../planContext';
import { ClassIdsExhausted, startClass } from '../classIds';
import { checkRoster, enrolRows, type RosterRow } from '../roster';
import { refusedRowsWorkbook, rosterTemplate, XLSX } from '../rosterFiles';
import { readTable, uploadedFile } from '../upload';
import { CaseQuery, listClasses, WORKFLOW_REFUSALS } from './cases';
import { validatePlan } from '../../domain/plan';
import { readableId } from '../auth/tokens';
import * as m from '../../workflows/messages';

const ROSTER_FILE_BYTES = 2 * 1024 * 1024;
const ROSTER_FILE_ROWS = 1000;

async function checkedPlan(deps: AppDeps, p: Principal, plan: m.ClassPlan) {
  const ctx = await loadPlanContext(deps, plan, p.organisationId ?? '');
  const violations = validatePlan(plan, ctx);
  if (violations.length) throw ruleProblem(violations, 'plan');
  return ctx;
}

/** A new class under the next free class id (api/classIds.ts, shared with the demo seeder). */
async function startClassWorkflow(deps: AppDeps, input: Omit<m.ClassInput, 'classId'>, today: string) {
  try {
    return await callWorkflow(() =>
      startClass(
        { db: deps.db, temporal: deps.temporal, taskQueue: deps.settings.taskQueue },
        input,
        today.slice(0, 4),
      ),
    );
  } catch (err) {
    if (!(err instanceof ClassIdsExhausted)) throw err;
    throw problems.unavailable('CLASS_ID_EXHAUSTED', {
      zh: '暂时无法分配班级编号',
      en: 'Could not allocate a class id',
    });
  }
}

function rowsOfTable(table: string[][]): RosterRow[] {
  const [header, ...body] = table;
  if (!header) throw problems.badRequest('FILE_EMPTY', { zh: '文件为空', en: 'The file is empty' });
  const find = (...names: string[]) =>
    header.findIndex((h) => names.includes(h.normalize('NFKC').trim().replace(/\s+/g, '').toLowerCase()));
  const cols = {
    name: find('姓名', 'name'),
    idNumber: find('身份证号', '身份证号码', '公民身份号码', 'idnumber'),
    category: find('人员类别', '类别', 'category'),
  };
  const missing = Object.entries(cols)
    .filter(([, i]) => i < 0)
    .map(([k]) => k);
  if (missing.length)
    throw problems.badRequest(
      'COLUMNS_MISSING',
      {
        zh: '文件须包含“姓名”“身份证号”“人员类别”三列',
        en: 'The file needs the columns 姓名, 身份证号 and 人员类别',
      },
      missing.map((k) => ({
        path: `file.${k}`,
        code: 'COLUMN_MISSING',
        message: { zh: '缺少此列', en: 'Column missing' },
      })),
    );
  if (body.length === 0)
    throw problems.badRequest('FILE_EMPTY', { zh: '文件中没有学员', en: 'The file lists nobody' });
  if (body.length > ROSTER_FILE_ROWS)
    throw problems.badRequest('FILE_TOO_MANY_ROWS', {
      zh: `每次最多导入${ROSTER_FILE_ROWS}行`,
      en: `At most ${ROSTER_FILE_ROWS} rows per import`,
    });
  return body.map((r, i) => ({
    name: (r[cols.name] ?? '').slice(0, 120),
    idNumber: (r[cols.idNumber] ?? '').slice(0, 64),
    category: (r[cols.category] ?? '').slice(0, 60),
    sheetRow: i + 2,
  }));
}

export function institutionRoutes(api: Api) {
  const INST = ['INSTITUTION'] as const;

  api.post(
    '/institution/classes',
    {
      tag: 'institution',
      summary: '开班申请 Submit a class plan',
      description:
        'Checked against the catalogue, the institution list, the policy in force and the working-day calendar (domain/plan.ts); 422 lists every violation. Answers 202 with the new class id.',
      access: INST,
      body: PlanBody,
      responses: { 202: { description: 'The class workflow started', schema: Accepted } },
      refusals: {
        422: 'the plan breaks a rule (errors[].path = plan.<field>, every violation listed)',
        503: 'the workflow service is unavailable',
      },
    },
    async ({ body, principal, deps }) => {
      const ctx = await checkedPlan(deps, principal!, body.plan);
      const classId = await startClassWorkflow(
        deps,
        {
          institutionId: principal!.organisationId!,
          district: ctx.district,
          plan: body.plan,
          submittedBy: actorOf(principal!),
        },
        ctx.today,
      );
      return { status: 202, json: { classId }, headers: { Location: `/api/v1/cases/${classId}` } };
    },
  );

  api.get(
    '/institution/assessment-bodies',
    {
      tag: 'institution',
      summary: '评价机构 Assessment bodies a plan may book',
      description:
        'The published assessment bodies (预约评价) still valid today, by name: what a plan’s assessmentBodyId is picked from.',
      access: INST,
      responses: { 200: { description: 'The assessment bodies', schema: AssessmentBodyList } },
    },
    async ({ deps }) => {
      const items = await deps.db.institution.findMany({
        where: { kind: 'ASSESSMENT', validTo: { gte: todayInShanghai() } },
        orderBy: { name: 'asc' },
        select: { id: true, name: true, district: true, validTo: true },
      });
      return { json: { items } };
    },
  );

  api.get(
    '/institution/classes',
    {
      tag: 'institution',
      summary: '本机构班级 Own classes',
      access: INST,
      query: CaseQuery,
      responses: { 200: { description: 'A page of classes', schema: ClassPage } },
    },
    async ({ query, principal, deps }) => ({
      json: await listClasses(deps, query, { institutionId: principal!.organisationId }),
    }),
  );

  api.post(
    '/institution/classes/:id/plan',
    {
      tag: 'institution',
      summary: '重新提交 Resubmit a returned plan',
      access: INST,
      body: PlanBody,
      responses: { 200: { description: 'Resubmitted for review', schema: PlanResubmitted } },
      refusals: { ...WORKFLOW_REFUSALS, 422: 'the plan breaks a rule (errors[].path = plan.<field>)' },
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      await checkedPlan(deps, principal!, body.plan);
      await update(
        deps.temporal,
        c.id,
        m.resubmitPlanUpdate,
        { actor: actorOf(principal!), plan: body.plan },
        { path: (f) => (f?.startsWith('plan.') || f === 'stage' || f === 'actor' ? f : f ? `plan.${f}` : f) },
      );
      return { json: { classId: c.id, resubmitted: true as const } };
    },
  );

  api.post(
    '/institution/classes/:id/trainees',
    {
      tag: 'institution',
      summary: '报名 Enrol trainees (实名制)',
      description:
        'Each row: idNumber, name, category (code or Chinese name), exclusions. 422 with errors[].path = trainees.N.field; nobody is enrolled unless validOnly is true. Each enrolment takes the person’s claimed training voucher (电子培训券) usable in this class, if they hold one; with requireVoucher, a person without one is refused (VOUCHER_REQUIRED).',
      access: INST,
      body: EnrolBody,
      responses: {
        200: { description: 'Enrolled (and, with validOnly, the rows left out)', schema: EnrolAnswerSchema },
      },
      refusals: {
        ...WORKFLOW_REFUSALS,
        409: 'the roster is frozen (training has started) or the case is past enrolment',
        422: 'a row breaks a rule (errors[].path = trainees.N.field); nobody is enrolled',
      },
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      return {
        json: await enrolRows(deps, c, principal!, body.trainees, body.validOnly ?? false, {
          requireVoucher: body.requireVoucher ?? false,
        }),
      };
    },
  );

  api.post(
    '/institution/classes/:id/trainees/import',
    {
      tag: 'institution',
      summary: '花名册导入 Import a roster (xlsx or csv)',
      description:
        'multipart/form-data with `file`, or the file as the body. Columns 姓名, 身份证号, 人员类别. ?validOnly=1 enrols the valid rows only; ?requireVoucher=1 enrols only people holding a claimed training voucher usable here. At most 2 MB and 1000 rows.',
      access: INST,
      query: z.object({
        validOnly: z.enum(['1', '0', 'true', 'false']).optional(),
        requireVoucher: z.enum(['1', '0', 'true', 'false']).optional(),
      }),
      upload: {
        maxBytes: ROSTER_FILE_BYTES,
        types: [
          'multipart/form-data',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
      },
      responses: {
        200: { description: 'Enrolled (and, with validOnly, the rows left out)', schema: EnrolAnswerSchema },
      },
      refusals: {
        ...WORKFLOW_REFUSALS,
        400: 'a file without the columns 姓名, 身份证号, 人员类别, without rows, or with more than 1000',
        409: 'the roster is frozen (training has started) or the case is past enrolment',
        422: 'a row breaks a rule (errors[].path = trainees.N.field, sheetRow in the file); nobody is enrolled',
      },
    },
    async ({ params, query, principal, deps, req }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      const rows = rowsOfTable(await readTable(uploadedFile(req)));
      const validOnly = query.validOnly === '1' || query.validOnly === 'true';
      const requireVoucher = query.requireVoucher === '1' || query.requireVoucher === 'true';
      return { json: await enrolRows(deps, c, principal!, rows, validOnly, { requireVoucher }) };
    },
  );

  const rosterUpload = {
    maxBytes: ROSTER_FILE_BYTES,
    types: [
      'multipart/form-data',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
  };

  api.get(
    '/institution/roster-template',
    {
      tag: 'institution',
      summary: '花名册模板 The roster import template (xlsx)',
      description:
        'The columns the import reads (姓名, 身份证号 as text, 人员类别 offered as a list), a sheet of the categories and a sheet of instructions.',
      access: INST,
      responses: {
        200: { description: 'The template (Content-Disposition: attachment)', contentType: XLSX },
      },
    },
    async () => ({
      text: await rosterTemplate(),
      contentType: XLSX,
      headers: { 'Content-Disposition': `attachment; filename="roster-template.xlsx"` },
    }),
  );

  api.post(
    '/institution/classes/:id/trainees/import/check',
    {
      tag: 'institution',
      summary: '花名册校验 Check a roster file row by row, enrolling nobody',
      description:
        "The same file as the import. Every row with every problem the rows alone show (category, name, ID number, working age at the planned start, the same person twice); the subsidy rules that need the person's history are checked at enrolment. Names and ID numbers come back masked.",
      access: INST,
      upload: rosterUpload,
      responses: { 200: { description: 'Every row and its problems', schema: RosterCheckSchema } },
      refusals: {
        400: 'a file without the columns 姓名, 身份证号, 人员类别, without rows, or with more than 1000',
      },
    },
    async ({ params, principal, deps, req }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      return { json: await checkRoster(deps, c, rowsOfTable(await readTable(uploadedFile(req)))) };
    },
  );

  api.post(
    '/institution/classes/:id/trainees/import/refused',
    {
      tag: 'institution',
      summary: '不合格行 The rows a check refuses, as a spreadsheet to correct (xlsx)',
      description:
        'The same file as the import; answers the refused rows as the file gave them, with the file row (原行号) and every reason (错误原因). Nobody is registered or enrolled. Not kept by Idempotency-Key: it changes nothing, and the same file gives the same rows again.',
      access: INST,
      upload: rosterUpload,
      // A check that writes nothing: a retry computes the file again (the store keeps JSON answers, not files).
      idempotency: false,
      responses: {
        200: { description: 'The refused rows (Content-Disposition: attachment)', contentType: XLSX },
      },
      refusals: {
        400: 'a file without the columns 姓名, 身份证号, 人员类别, without rows, or with more than 1000',
      },
    },
    async ({ params, principal, deps, req }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      const rows = rowsOfTable(await readTable(uploadedFile(req)));
      return {
        text: await refusedRowsWorkbook(rows, await checkRoster(deps, c, rows)),
        contentType: XLSX,
        headers: { 'Content-Disposition': `attachment; filename="${c.id}-refused-rows.xlsx"` },
      };
    },
  );

  api.delete(
    '/institution/classes/:id/trainees/:enrollmentId',
    {
      tag: 'institution',
      summary: '退学 Withdraw a trainee before the start',
      access: INST,
      body: ReasonBody,
      responses: { 204: { description: 'Withdrawn' } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      await update(deps.temporal, c.id, m.withdrawTraineeUpdate, {
        actor: actorOf(principal!),
        enrollmentId: params.enrollmentId!,
        reason: body.reason,
      });
      return { status: 204 };
    },
  );

  api.post(
    '/institution/classes/:id/start',
    {
      tag: 'institution',
      summary: '开班 Start training (freezes the roster)',
      access: INST,
      responses: { 200: { description: 'Training has started', schema: TrainingStarted } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      await update(deps.temporal, c.id, m.startTrainingUpdate, { actor: actorOf(principal!) });
      return { json: { classId: c.id, started: true as const } };
    },
  );
  api.post(
    '/institution/classes/:id/finish',
    {
      tag: 'institution',
      summary: '结业 Finish training',
      access: INST,
      responses: { 200: { description: 'Training has finished', schema: TrainingFinished } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      await update(deps.temporal, c.id, m.finishTrainingUpdate, { actor: actorOf(principal!) });
      return { json: { classId: c.id, finished: true as const } };
    },
  );

  api.post(
    '/institution/classes/:id/attendance',
    {
      tag: 'institution',
      summary: '考勤 Report attendance',
      access: INST,
      body: AttendanceBody,
      responses: { 200: { description: 'Recorded', schema: AttendanceReported } },
      refusals: WORKFLOW_REFUSALS,
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      await update(deps.temporal, c.id, m.reportAttendanceUpdate, {
        actor: actorOf(principal!),
        lessons: body.lessons,
      });
      return { json: { classId: c.id, lessons: body.lessons.length } };
    },
  );

  api.post(
    '/institution/classes/:id/employment-evidence',
    {
      tag: 'institution',
      summary: '就业材料 Submit employment evidence',
      description:
        "An Update on the trainee's follow-up workflow, checked against the window (after the end of training, no later than its last day; 422 OUTSIDE_WINDOW, 409 WINDOW_CLOSED); a caseworker then verifies it. 201 with the evidence id.",
      access: INST,
      body: EvidenceBody,
      responses: { 201: { description: 'Filed; a caseworker verifies it', schema: EvidenceFiled } },
      refusals: {
        409: 'the class is not in follow-up, the window has closed (WINDOW_CLOSED) or the trainee has no follow-up',
        422: 'an unknown trainee, or an employment date outside the window (OUTSIDE_WINDOW)',
        503: 'the workflow did not answer in time',
      },
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      const enrollment = await enrollmentOnClass(deps, c.id, body.enrollmentId);
      if (c.stage !== 'FOLLOW_UP')
        throw problems.conflict('WRONG_STAGE', {
          zh: `当前阶段（${c.stage}）不接收就业材料`,
          en: `Employment evidence is not taken while the class is ${c.stage}`,
        });
      // An Update, not a signal: the follow-up child checks the date against the trainee's window now and the
      // institution hears at once if it is refused (OUTSIDE_WINDOW 422, WINDOW_CLOSED 409). Run again under its
      // Idempotency-Key, the request sends the same Update with the same evidence id.
      const followUpId = m.followUpWorkflowId(c.id, enrollment.id);
      const evidenceId = `EV-${readableId(10, requestSeed(`${followUpId} evidence`))}`;
      try {
        await update(
          deps.temporal,
          followUpId,
          m.submitEvidenceUpdate,
          {
            actor: actorOf(principal!),
            evidence: {
              evidenceId,
              kind: body.kind,
              employedOn: body.employedOn,
              ...(body.employer?.trim() ? { employer: body.employer.trim() } : {}),
            },
          },
          { knownToExist: false },
        );
      } catch (err) {
        if (err instanceof Error && 'status' in err && (err as { status: number }).status === 404)
          throw problems.conflict('NO_FOLLOW_UP', {
            zh: '该学员无就业跟踪（未通过考核或出勤不足）',
            en: 'This trainee has no employment follow-up (not passed or under the attendance threshold)',
          });
        throw err;
      }
      return { status: 201, json: { evidenceId } };
    },
  );
}
