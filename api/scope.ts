// Every read and write is scoped (docs/api.md): staff see every class; an institution only its own; an
// assessment body only the classes booked with it (plan.assessmentBodyId). Anything else is 404, never 403,
// so another organisation's class ids reveal nothing.
import type { TrainingClass } from '@prisma/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppDeps, Principal } from './context';
import { isStaff } from './context';
import { problems, ruleProblem } from './problem';
import { violation } from '../domain/rules';
import { caseStateQuery, type ClassPlan } from '../workflows/messages';

export interface ClassRef {
  id: string;
  institutionId: string;
  assessmentBodyId: string;
  stage: string;
  district: string;
  plan: ClassPlan;
  policyVersionId: string;
  /** the read-model row (absent for a moment after submission, before the projection catches up) */
  row?: TrainingClass;
}

function refOfRow(row: TrainingClass): ClassRef {
  const plan = JSON.parse(row.plan) as ClassPlan;
  return {
    id: row.id,
    institutionId: row.institutionId,
    assessmentBodyId: plan.assessmentBodyId,
    stage: row.stage,
    district: row.district,
    plan,
    policyVersionId: row.policyVersionId,
    row,
  };
}

const isNotFound = (err: unknown) =>
  err instanceof WorkflowNotFoundError || (err instanceof Error && /not found/i.test(err.message));

/** Whether the class workflow exists: one call the history service answers without a worker. */
async function workflowExists(deps: AppDeps, id: string): Promise<boolean> {
  try {
    await deps.temporal.workflow.getHandle(id).describe();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** A class just submitted: the workflow knows it before the read model does. */
async function refOfWorkflow(deps: AppDeps, id: string): Promise<ClassRef | undefined> {
  try {
    const s = await deps.temporal.workflow.getHandle(id).query(caseStateQuery);
    return {
      id,
      institutionId: s.institutionId,
      assessmentBodyId: s.plan.assessmentBodyId,
      stage: s.stage,
      district: s.district,
      plan: s.plan,
      policyVersionId: s.policyVersionId ?? '',
    };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function canSee(p: Principal | undefined, c: Pick<ClassRef, 'institutionId' | 'assessmentBodyId'>) {
  if (!p) return false;
  if (isStaff(p)) return true;
  if (p.role === 'INSTITUTION') return p.organisationId === c.institutionId;
  if (p.role === 'ASSESSOR') return p.organisationId === c.assessmentBodyId;
  return false;
}

type Mode = 'read' | 'owner' | 'assessor';
function allowed(p: Principal | undefined, c: ClassRef, mode: Mode): boolean {
  if (!canSee(p, c)) return false;
  if (mode === 'owner') return p?.role === 'INSTITUTION' && p.organisationId === c.institutionId;
  if (mode === 'assessor') return p?.role === 'ASSESSOR' && p.organisationId === c.assessmentBodyId;
  return true;
}

/**
 * The class if the caller may see it (and, for `owner`, is its institution); 404 otherwise. Another
 * organisation's class and a class that does not exist take the same path — one read-model query, then one
 * Temporal describe — so neither the answer nor its timing tells them apart (issue 13). A class not yet in
 * the read model is then asked for its state.
 */
export async function classFor(
  deps: AppDeps,
  p: Principal | undefined,
  id: string,
  mode: Mode = 'read',
): Promise<ClassRef> {
  const row = await deps.db.trainingClass.findUnique({ where: { id } });
  const fromRow = row ? refOfRow(row) : undefined;
  if (fromRow && allowed(p, fromRow, mode)) return fromRow;
  const exists = await workflowExists(deps, id);
  const c = !fromRow && exists ? await refOfWorkflow(deps, id) : undefined;
  if (c && allowed(p, c, mode)) return c;
  throw problems.notFound({ zh: `班级${id}不存在`, en: `No class ${id}` });
}

/** The enrolment named in a request, if it is on this class; else 422 UNKNOWN_TRAINEE on that field. */
export async function enrollmentOnClass(
  deps: AppDeps,
  classId: string,
  enrollmentId: string,
  field = 'enrollmentId',
) {
  const e = await deps.db.enrollment.findUnique({ where: { id: enrollmentId } });
  if (!e || e.classId !== classId)
    throw ruleProblem([violation('UNKNOWN_TRAINEE', '本班无此学员', 'No such trainee on this class', field)]);
  return e;
}
