// 终身职业技能培训电子档案 (issue 16 point 1): what a person may still be subsidised for, from the same rules
// enrolment applies (domain/eligibility.ts) — never a copy of them. How many training and evaluation subsidies are
// left of the policy's caps, and for each occupation already trained in, which levels a new training subsidy can no
// longer take and why (the same level twice; a lower level after a higher one). Pure.
import {
  checkEvaluationEligibility,
  checkTrainingEligibility,
  subsidiesUsed,
  type Applicant,
  type SubsidyRecord,
} from './eligibility';
import { LEVELS, type Level } from './occupations';
import type { PolicyVersion } from './policy';

export interface Allowance {
  used: number;
  cap: number;
  left: number;
}

export interface ClosedLevel {
  occupationCode: string;
  level: Level;
  code: 'SAME_OCCUPATION_LEVEL' | 'LOWER_LEVEL_AFTER_HIGHER';
  message: { zh: string; en: string };
}

export interface Entitlements {
  training: Allowance;
  evaluation: Allowance;
  /** levels of occupations already subsidised that a new training subsidy could not take */
  closedLevels: ClosedLevel[];
  /** occupations whose evaluation subsidy has been used (it is paid once per occupation) */
  evaluatedOccupations: string[];
}

const LEVEL_RULES = new Set<string>(['SAME_OCCUPATION_LEVEL', 'LOWER_LEVEL_AFTER_HIGHER']);
/** A class that is none of the person's, on a day no record overlaps: only the level rules can object to it. */
const NOWHERE = { classId: '(record)', periodStart: '9999-12-31', periodEnd: '9999-12-31' };

export function entitlementsOf(
  person: Pick<Applicant, 'personKey' | 'birthDate' | 'sex' | 'category'>,
  history: readonly SubsidyRecord[],
  policy: PolicyVersion,
): Entitlements {
  const mine = history.filter((r) => r.personKey === person.personKey && r.status !== 'RELEASED');
  const allowance = (kind: SubsidyRecord['kind'], cap: number): Allowance => {
    const used = subsidiesUsed(person.personKey, history, kind);
    return { used, cap, left: Math.max(0, cap - used) };
  };
  const trainedIn = [
    ...new Set(mine.filter((r) => r.kind === 'TRAINING').map((r) => r.occupationCode)),
  ].sort();
  const closedLevels: ClosedLevel[] = [];
  for (const occupationCode of trainedIn)
    for (const level of LEVELS) {
      const refused = checkTrainingEligibility(
        person,
        { ...NOWHERE, occupationCode, level },
        history,
        policy,
      ).find((v) => LEVEL_RULES.has(v.code));
      if (refused)
        closedLevels.push({
          occupationCode,
          level,
          code: refused.code as ClosedLevel['code'],
          message: { zh: refused.zh, en: refused.en },
        });
    }
  const evaluatedOccupations = [
    ...new Set(mine.filter((r) => r.kind === 'EVALUATION').map((r) => r.occupationCode)),
  ]
    .filter((occupationCode) =>
      checkEvaluationEligibility(
        person,
        { occupationCode, level: 'LEVEL_5', certificate: 'SKILL_LEVEL_CERT', classId: NOWHERE.classId },
        history,
        policy,
      ).some((v) => v.code === 'EVALUATION_SAME_OCCUPATION'),
    )
    .sort();
  return {
    training: allowance('TRAINING', policy.caps.trainingSubsidiesPerPerson),
    evaluation: allowance('EVALUATION', policy.caps.evaluationSubsidiesPerPerson),
    closedLevels,
    evaluatedOccupations,
  };
}
