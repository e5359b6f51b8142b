// 政策找人 (issue 16 point 3): for a class that is enrolling, the people of the registry who could join it — eligible
// by the very rules enrolment applies (checkTrainingEligibility: category, working age, caps, level ladder, no
// overlapping class) and not yet trained in the class's occupation — ranked so that those the policy puts first
// are asked first. The read model narrows the registry with a query that may let through more than the rules do
// (never fewer); candidateVerdict then decides each one.
import type { TraineeCategory } from './categories';
import { addDays } from './dates';
import { checkTrainingEligibility, type Applicant, type ClassSlot, type SubsidyRecord } from './eligibility';
import type { PolicyVersion } from './policy';
import { violation, type RuleViolation } from './rules';

/**
 * Who is asked first (lower first): registered unemployed and people with employment difficulties — the
 * employment-assistance duty of the bureau — then the poverty-monitored, rural migrants, graduates and school
 * leavers, and enterprise employees last (their employer trains them too). Within a rank, the longest registered.
 */
export const OUTREACH_PRIORITY: Record<TraineeCategory, number> = {
  REGISTERED_UNEMPLOYED: 0,
  EMPLOYMENT_DIFFICULTY: 1,
  POVERTY_MONITORED: 2,
  RURAL_MIGRANT: 3,
  GRADUATING_STUDENT: 4,
  UNENROLLED_SCHOOL_LEAVER: 5,
  ENTERPRISE_EMPLOYEE: 6,
};

/**
 * The birth dates the query keeps for one sex: a superset of those the working-age rule accepts on `onDate` (a
 * day wider at each end, so a leap day or a birthday on the date itself is never lost; the rule decides).
 */
export function birthDateWindow(
  policy: Pick<PolicyVersion, 'ageLimits'>,
  sex: 'M' | 'F',
  onDate: string,
): { earliest: string; latest: string } {
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  const max = sex === 'M' ? policy.ageLimits.maxMale : policy.ageLimits.maxFemale;
  // the same day `years` earlier (29 February in a common year rolls to 1 March; the day of slack covers it)
  const back = (years: number) => new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
  // eligible from the min-th birthday until the day before the max-th (checkWorkingAge)
  return { earliest: addDays(back(max), -1), latest: addDays(back(policy.ageLimits.min), 1) };
}

/** Every reason this person may not be invited to the class; none: a candidate. */
export function candidateVerdict(
  applicant: Applicant,
  slot: ClassSlot,
  history: readonly SubsidyRecord[],
  policy: PolicyVersion,
): RuleViolation[] {
  const violations = checkTrainingEligibility(applicant, slot, history, policy);
  const trained = history.some(
    (r) =>
      r.personKey === applicant.personKey &&
      r.kind === 'TRAINING' &&
      r.status !== 'RELEASED' &&
      r.occupationCode === slot.occupationCode &&
      r.classId !== slot.classId,
  );
  if (trained)
    violations.push(
      violation(
        'ALREADY_TRAINED_IN_OCCUPATION',
        '该人员已参加过本职业（工种）的补贴性培训',
        'This person has already had subsidised training in this occupation',
        'occupationCode',
      ),
    );
  return violations;
}
