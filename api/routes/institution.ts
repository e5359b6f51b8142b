// 培训机构: plan submission (开班申请), roster (报名), start/finish (开班/结业), attendance (考勤) and
// employment evidence (就业材料). Every route acts only on the caller's own classes (others are 404).
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Api } from '../http';
import { actorOf, classPrefixOf, type AppDeps, type Principal } from '../context';
import { Accepted, AttendanceBody, EnrolBody, EvidenceBody, PlanBody, ReasonBody } from '../schemas';
import { classFor } from '../scope';
import { callWorkflow, update } from '../workflow';
import { problems, ruleProblem } from '../problem';
import { loadPlanContext } from '../planContext';
import { enrolRows, type RosterRow } from '../roster';
import { readTable, uploadedFile } from '../upload';
import { CaseQuery, listClasses } from './cases';
import { validatePlan } from '../../domain/plan';
import { readableId } from '../auth/tokens';
import * as m from '../../workflows/messages';
import type { trainingClassWorkflow } from '../../workflows';

const ROSTER_FILE_BYTES = 2 * 1024 * 1024;
const ROSTER_FILE_ROWS = 1000;

async function checkedPlan(deps: AppDeps, p: Principal, plan: m.ClassPlan) {
  const ctx = await loadPlanContext(deps, plan, p.organisationId ?? '');
  const violations = validatePlan(plan, ctx);
  if (violations.length) throw ruleProblem(violations, 'plan');
  return ctx;
}

/**
 * Class ids read `SJZ-2026-000042`: the prefix (SKILLFLOW_CLASS_PREFIX), the filing year, and the next number
 * after the highest in the read model. Temporal refuses a duplicate workflow id (REJECT_DUPLICATE), so two
 * submissions racing for a number, or a class not yet projected, simply move on to the next one.
 */
async function startClassWorkflow(deps: AppDeps, input: Omit<m.ClassInput, 'classId'>, today: string) {
  const prefix = `${classPrefixOf()}-${today.slice(0, 4)}-`;
  const last = await deps.db.trainingClass.findFirst({
    where: { id: { startsWith: prefix } },
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  let n = last ? Number(last.id.slice(prefix.length)) + 1 || 1 : 1;
  for (let attempt = 0; attempt < 50; attempt++, n++) {
    const classId = `${prefix}${String(n).padStart(6, '0')}`;
    try {
      await callWorkflow(() =>
        deps.temporal.workflow.start<typeof trainingClassWorkflow>('trainingClassWorkflow', {
          workflowId: classId,
          taskQueue: deps.settings.taskQueue,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [{ ...input, classId }],
        }),
      );
      return classId;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  throw problems.unavailable('CLASS_ID_EXHAUSTED', {
    zh: '暂时无法分配班级编号',
    en: 'Could not allocate a class id',
  });
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
    '/institution/classes',
    { tag: 'institution', summary: '本机构班级 Own classes', access: INST, query: CaseQuery },
    async ({ query, principal, deps }) => ({
      json: await listClasses(deps, query, { institutionId: principal!.organisationId }),
    }),
  );

  api.post(
    '/institution/classes/:id/plan',
    { tag: 'institution', summary: '重新提交 Resubmit a returned plan', access: INST, body: PlanBody },
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
      return { json: { classId: c.id, resubmitted: true } };
    },
  );

  api.post(
    '/institution/classes/:id/trainees',
    {
      tag: 'institution',
      summary: '报名 Enrol trainees (实名制)',
      description:
        'Each row: idNumber, name, category (code or Chinese name), exclusions. 422 with errors[].path = trainees.N.field; nobody is enrolled unless validOnly is true.',
      access: INST,
      body: EnrolBody,
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      return { json: await enrolRows(deps, c, principal!, body.trainees, body.validOnly ?? false) };
    },
  );

  api.post(
    '/institution/classes/:id/trainees/import',
    {
      tag: 'institution',
      summary: '花名册导入 Import a roster (xlsx or csv)',
      description:
        'multipart/form-data with `file`, or the file as the body. Columns 姓名, 身份证号, 人员类别. ?validOnly=1 enrols the valid rows only. At most 2 MB and 1000 rows.',
      access: INST,
      query: z.object({ validOnly: z.enum(['1', '0', 'true', 'false']).optional() }),
      upload: {
        maxBytes: ROSTER_FILE_BYTES,
        types: [
          'multipart/form-data',
          'text/csv',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ],
      },
    },
    async ({ params, query, principal, deps, req }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      const rows = rowsOfTable(await readTable(uploadedFile(req)));
      const validOnly = query.validOnly === '1' || query.validOnly === 'true';
      return { json: await enrolRows(deps, c, principal!, rows, validOnly) };
    },
  );

  api.delete(
    '/institution/classes/:id/trainees/:enrollmentId',
    {
      tag: 'institution',
      summary: '退学 Withdraw a trainee before the start',
      access: INST,
      body: ReasonBody,
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

  for (const [action, def, summary] of [
    ['start', m.startTrainingUpdate, '开班 Start training (freezes the roster)'],
    ['finish', m.finishTrainingUpdate, '结业 Finish training'],
  ] as const)
    api.post(
      `/institution/classes/:id/${action}`,
      { tag: 'institution', summary, access: INST },
      async ({ params, principal, deps }) => {
        const c = await classFor(deps, principal, params.id!, 'owner');
        await update(deps.temporal, c.id, def, { actor: actorOf(principal!) });
        return { json: { classId: c.id, [action === 'start' ? 'started' : 'finished']: true } };
      },
    );

  api.post(
    '/institution/classes/:id/attendance',
    { tag: 'institution', summary: '考勤 Report attendance', access: INST, body: AttendanceBody },
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
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'owner');
      const enrollment = await deps.db.enrollment.findUnique({ where: { id: body.enrollmentId } });
      if (!enrollment || enrollment.classId !== c.id)
        throw problems.rule('UNKNOWN_TRAINEE', { zh: '本班无此学员', en: 'No such trainee on this class' }, [
          {
            path: 'enrollmentId',
            code: 'UNKNOWN_TRAINEE',
            message: { zh: '本班无此学员', en: 'No such trainee on this class' },
          },
        ]);
      if (c.stage !== 'FOLLOW_UP')
        throw problems.conflict('WRONG_STAGE', {
          zh: `当前阶段（${c.stage}）不接收就业材料`,
          en: `Employment evidence is not taken while the class is ${c.stage}`,
        });
      const evidenceId = `EV-${readableId(10)}`;
      // An Update, not a signal: the follow-up child checks the date against the trainee's window now and the
      // institution hears at once if it is refused (OUTSIDE_WINDOW 422, WINDOW_CLOSED 409).
      const child = deps.temporal.workflow.getHandle(m.followUpWorkflowId(c.id, enrollment.id));
      try {
        await callWorkflow(
          () =>
            child.executeUpdate(m.submitEvidenceUpdate, {
              args: [
                {
                  actor: actorOf(principal!),
                  evidence: {
                    evidenceId,
                    kind: body.kind,
                    employedOn: body.employedOn,
                    ...(body.employer?.trim() ? { employer: body.employer.trim() } : {}),
                  },
                },
              ],
            }),
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
