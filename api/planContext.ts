// Loads what domain/plan.ts needs to check a plan: today's date, the calendar, the policy in force for the
// region (the same choice activities' bindPolicy makes), the catalogue entry and both institutions.
import type { AppDeps } from './context';
import { regionOf } from './context';
import { loadCalendar } from '../platform/catalogue';
import { shanghaiDate } from '../domain/dates';
import { PolicyVersionSchema, type PolicyVersion } from '../domain/policy';
import type { Level } from '../domain/occupations';
import type { PlanContext } from '../domain/plan';
import { problems } from './problem';

export async function policyInForce(deps: AppDeps, today: string): Promise<PolicyVersion> {
  const row = await deps.db.policyVersion.findFirst({
    where: { region: regionOf(), effectiveFrom: { lte: today } },
    orderBy: { effectiveFrom: 'desc' },
  });
  if (!row)
    throw problems.unavailable('NO_POLICY', {
      zh: `${regionOf()}没有现行的政策版本`,
      en: `No policy version is in force for ${regionOf()}`,
    });
  return PolicyVersionSchema.parse(JSON.parse(row.document));
}

export async function policyOf(
  deps: AppDeps,
  policyVersionId: string,
  today: string,
): Promise<PolicyVersion> {
  if (policyVersionId) {
    const row = await deps.db.policyVersion.findUnique({ where: { id: policyVersionId } });
    if (row) return PolicyVersionSchema.parse(JSON.parse(row.document));
  }
  return policyInForce(deps, today);
}

export const todayInShanghai = () => shanghaiDate(new Date().toISOString());

export async function loadPlanContext(
  deps: AppDeps,
  plan: { occupationCode: string; level: Level; assessmentBodyId: string },
  institutionId: string,
): Promise<PlanContext & { district: string }> {
  const today = todayInShanghai();
  const [calendar, policy, occupation, institution, assessmentBody] = await Promise.all([
    loadCalendar(deps.db),
    policyInForce(deps, today),
    deps.db.occupation.findUnique({ where: { code: plan.occupationCode }, include: { levels: true } }),
    deps.db.institution.findUnique({ where: { id: institutionId } }),
    deps.db.institution.findUnique({ where: { id: plan.assessmentBodyId } }),
  ]);
  if (!institution) throw problems.forbidden({ zh: '机构不存在', en: 'Your organisation is not registered' });
  let courses: string[] = [];
  try {
    const parsed: unknown = JSON.parse(institution.courses);
    if (Array.isArray(parsed)) courses = parsed.filter((c): c is string => typeof c === 'string');
  } catch {
    courses = [];
  }
  return {
    today,
    calendar,
    policy,
    occupation: occupation
      ? {
          code: occupation.code,
          levels: occupation.levels.map((l) => ({
            level: l.level as Level,
            standardFen: l.standardFen,
            evaluationFen: l.evaluationFen,
            minHours: l.minHours,
          })),
        }
      : undefined,
    institution: {
      kind: institution.kind,
      validFrom: institution.validFrom,
      validTo: institution.validTo,
      courses,
    },
    assessmentBody: assessmentBody
      ? { kind: assessmentBody.kind, validFrom: assessmentBody.validFrom, validTo: assessmentBody.validTo }
      : undefined,
    district: institution.district,
  };
}
