// 补贴核算 (DOMAIN.md §7): a tier per trainee from the bound policy's table, hours pro rata; the evaluation
// subsidy goes to the assessment body for the eligible key-group trainees.
import { subsidyTier, trainingSubsidyFen } from '../../../domain/subsidy';
import { acts } from '../../proxies';
import type { ClassCase } from '../context';

/** A trainee's training subsidy at `pct` % of the standard, pro rata to the class hours. */
export function amountAt(c: ClassCase, pct: number): number {
  return trainingSubsidyFen({
    standardFen: c.standard.standardFen,
    catalogueHours: c.standard.minHours,
    classHours: c.s.plan.classHours,
    pct,
  });
}

export async function calculateSubsidies(c: ClassCase) {
  const { s, policy, classId } = c;
  for (const t of c.enrolled()) {
    const { tier, pct, reason } = subsidyTier(
      {
        enrollmentId: t.enrollmentId,
        attendedHours: t.attendedHours,
        classHours: s.plan.classHours,
        assessment: t.assessment ?? null,
        employedWithinWindow: t.employed === true,
      },
      policy,
      { newOccupation: c.newOccupation },
    );
    Object.assign(t, { tier, amountFen: amountAt(c, pct) });
    s.lines.push({
      lineId: `${classId}:T:${t.enrollmentId}`,
      enrollmentId: t.enrollmentId,
      kind: 'TRAINING',
      payee: c.input.institutionId,
      tier,
      pct,
      amountFen: t.amountFen!,
      status: 'NOTICED',
      remark: reason?.zh,
      noticeRound: 1,
    });
  }
  const evaluation = await acts.checkEvaluation({
    classId,
    occupationCode: s.plan.occupationCode,
    level: s.plan.level,
    periodStart: s.plan.plannedStart,
    periodEnd: c.trainingEndedOn,
    policyId: policy.id,
    trainees: c
      .enrolled()
      .filter((t) => t.assessment && t.assessment !== 'FAILED')
      .map((t) => ({
        enrollmentId: t.enrollmentId,
        personKey: t.personKey,
        category: t.category,
        certificate: t.assessment!,
      })),
  });
  for (const id of evaluation.eligible)
    s.lines.push({
      lineId: `${classId}:E:${id}`,
      enrollmentId: id,
      kind: 'EVALUATION',
      payee: s.plan.assessmentBodyId,
      amountFen: c.standard.evaluationFen,
      status: 'NOTICED',
      noticeRound: 1,
    });
  await c.setStage('NOTICE', 'system', 'SUBSIDY_CALCULATED', {
    lines: s.lines,
    enrollments: c.enrolled().map((t) => ({ id: t.enrollmentId, tier: t.tier, amountFen: t.amountFen })),
  });
}
