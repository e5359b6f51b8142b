// Every read and write is scoped (docs/api.md): staff see every class; an institution only its own; an
// assessment body only the classes booked with it (plan.assessmentBodyId). Anything else is 404, never 403,
// so another organisation's class ids reveal nothing.
import type { TrainingClass } from '@prisma/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppDeps, Principal } from './context';
import { isStaff } from './context';
import { problems } from './problem';
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

export async function findClass(deps: AppDeps, id: string): Promise<ClassRef | undefined> {
  const row = await deps.db.trainingClass.findUnique({ where: { id } });
  if (row) {
    const plan = JSON.parse(row.plan) as ClassPlan;
    return {
      id,
      institutionId: row.institutionId,
      assessmentBodyId: plan.assessmentBodyId,
      stage: row.stage,
      district: row.district,
      plan,
      policyVersionId: row.policyVersionId,
      row,
    };
  }
  // Just submitted: the workflow knows the class before the read model does.
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
    if (err instanceof WorkflowNotFoundError) return undefined;
    if (err instanceof Error && /not found/i.test(err.message)) return undefined;
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

/** The class if the caller may see it (and, for `owner`, is its institution); 404 otherwise. */
export async function classFor(
  deps: AppDeps,
  p: Principal | undefined,
  id: string,
  mode: 'read' | 'owner' | 'assessor' = 'read',
): Promise<ClassRef> {
  const c = await findClass(deps, id);
  const notFound = problems.notFound({ zh: `班级${id}不存在`, en: `No class ${id}` });
  if (!c || !canSee(p, c)) throw notFound;
  if (mode === 'owner' && !(p?.role === 'INSTITUTION' && p.organisationId === c.institutionId))
    throw notFound;
  if (mode === 'assessor' && !(p?.role === 'ASSESSOR' && p.organisationId === c.assessmentBodyId))
    throw notFound;
  return c;
}
