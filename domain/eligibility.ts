/**
 * Who may be subsidised (DOMAIN.md "Who may be subsidised", and §3 Enrollment).
 * Every check returns violations as values; an empty list means eligible.
 */
import { TRAINEE_CATEGORY_NAMES, type TraineeCategory } from './categories';
import { compareDates } from './dates';
import { checkWorkingAge } from './identity';
import { isOnLadder, LEVEL_NAMES, levelRank, type Level } from './occupations';
import type { PolicyVersion } from './policy';
import { violation, type RuleViolation } from './rules';

export {
  KEY_GROUPS,
  TRAINEE_CATEGORIES,
  TRAINEE_CATEGORY_NAMES,
  TraineeCategory,
  TraineeCategorySchema,
  isKeyGroup,
} from './categories';

/** A subsidy a person has received or that a running class holds for them (占用/预留). */
export interface SubsidyRecord {
  personKey: string;
  kind: 'TRAINING' | 'EVALUATION';
  classId: string;
  occupationCode: string;
  level: Level;
  periodStart: string;
  periodEnd: string;
  /** RELEASED: a reservation given back (person removed, class withdrawn); it counts for nothing. */
  status: 'RESERVED' | 'PAID' | 'RELEASED';
}

export interface Applicant {
  personKey: string;
  birthDate: string;
  sex: 'M' | 'F';
  category: TraineeCategory;
  /** DOMAIN.md (practice, Guangdong): excluded statuses, judged when training starts. */
  exclusions?: { governmentPayroll?: boolean; fullTimeStudent?: boolean; pensioner?: boolean };
}

export interface ClassSlot {
  classId: string;
  occupationCode: string;
  level: Level;
  periodStart: string;
  periodEnd: string;
}

export type EvaluationCertificate =
  'QUALIFICATION_CERT' | 'SKILL_LEVEL_CERT' | 'SPECIAL_ABILITY_CERT' | 'TRAINING_CERT';

export interface EvaluationRequest {
  occupationCode: string;
  level: Level;
  certificate: EvaluationCertificate;
  /** The class the evaluation belongs to: its own records are ignored when re-checking. */
  classId?: string;
}

/**
 * Records of this person that count: paid or reserved, held by other classes (a class re-checked against
 * itself is not its own rival).
 */
function otherRecords(
  personKey: string,
  history: readonly SubsidyRecord[],
  classId: string | undefined,
): SubsidyRecord[] {
  return history.filter((r) => r.personKey === personKey && r.classId !== classId && r.status !== 'RELEASED');
}

function distinctClasses(records: readonly SubsidyRecord[]): number {
  return new Set(records.map((r) => r.classId)).size;
}

/**
 * How many subsidies of a kind count against a person's cap: paid or reserved, held by classes other than
 * `classId`. A training subsidy counts once per class; an evaluation subsidy once per record.
 */
export function subsidiesUsed(
  personKey: string,
  history: readonly SubsidyRecord[],
  kind: SubsidyRecord['kind'],
  classId?: string,
): number {
  const records = otherRecords(personKey, history, classId).filter((r) => r.kind === kind);
  return kind === 'TRAINING' ? distinctClasses(records) : records.length;
}

function levelText(level: Level): { zh: string; en: string } {
  return LEVEL_NAMES[level];
}

/** Category, exclusions and working age: the parts of eligibility that need no history. */
function personalChecks(applicant: Applicant, onDate: string, policy: PolicyVersion): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (!policy.eligibleCategories.includes(applicant.category)) {
    const name = TRAINEE_CATEGORY_NAMES[applicant.category];
    violations.push(
      violation(
        'CATEGORY_NOT_ELIGIBLE',
        `人员类别“${name.zh}”不属于本政策的补贴培训对象`,
        `The category "${name.en}" is not eligible for subsidised training under this policy`,
        'category',
      ),
    );
  }
  const exclusions = applicant.exclusions ?? {};
  if (exclusions.governmentPayroll) {
    violations.push(
      violation(
        'EXCLUDED_STATUS',
        '财政供养人员不能享受职业培训补贴',
        'Staff on a government payroll cannot receive the training subsidy',
        'exclusions',
      ),
    );
  }
  // DOMAIN.md: full-time students are excluded "other than graduating-year".
  if (exclusions.fullTimeStudent && applicant.category !== 'GRADUATING_STUDENT') {
    violations.push(
      violation(
        'EXCLUDED_STATUS',
        '全日制在校学生（毕业年度除外）不能享受职业培训补贴',
        'Full-time students (other than in their graduation year) cannot receive the training subsidy',
        'exclusions',
      ),
    );
  }
  if (exclusions.pensioner) {
    violations.push(
      violation(
        'EXCLUDED_STATUS',
        '已领取养老金人员不能享受职业培训补贴',
        'People drawing a pension cannot receive the training subsidy',
        'exclusions',
      ),
    );
  }
  const age = checkWorkingAge(applicant, onDate, policy.ageLimits);
  if (age) violations.push(age);
  return violations;
}

/**
 * Training-subsidy eligibility of one person for one class (DOMAIN.md "Who may be subsidised"):
 * at most caps.trainingSubsidiesPerPerson subsidies, never the same occupation and level twice, never a
 * lower level after a higher one of the same occupation, and never two classes whose periods overlap.
 * Reservations held by running classes count like payments.
 */
export function checkTrainingEligibility(
  applicant: Applicant,
  slot: ClassSlot,
  history: readonly SubsidyRecord[],
  policy: PolicyVersion,
): RuleViolation[] {
  const violations = personalChecks(applicant, slot.periodStart, policy);
  const others = otherRecords(applicant.personKey, history, slot.classId);
  const training = others.filter((r) => r.kind === 'TRAINING');

  const cap = policy.caps.trainingSubsidiesPerPerson;
  const used = subsidiesUsed(applicant.personKey, history, 'TRAINING', slot.classId);
  if (used >= cap) {
    violations.push(
      violation(
        'TRAINING_CAP_REACHED',
        `该人员已享受${used}次培训补贴，已达上限（${cap}次）`,
        `This person has already received ${used} training subsidies; the limit is ${cap}`,
        'personKey',
      ),
    );
  }

  const sameOccupation = training.filter((r) => r.occupationCode === slot.occupationCode);
  if (sameOccupation.some((r) => r.level === slot.level)) {
    const level = levelText(slot.level);
    violations.push(
      violation(
        'SAME_OCCUPATION_LEVEL',
        `该人员已享受过同一职业（工种）${level.zh}的培训补贴，不可重复享受`,
        `This person has already been subsidised for this occupation at ${level.en}; it cannot be subsidised twice`,
        'level',
      ),
    );
  }

  if (isOnLadder(slot.level)) {
    const higher = sameOccupation.filter(
      (r) => isOnLadder(r.level) && levelRank(r.level) > levelRank(slot.level),
    );
    const highest = higher.reduce<Level | undefined>(
      (best, r) => (best === undefined || levelRank(r.level) > levelRank(best) ? r.level : best),
      undefined,
    );
    if (highest !== undefined) {
      const had = levelText(highest);
      const wanted = levelText(slot.level);
      violations.push(
        violation(
          'LOWER_LEVEL_AFTER_HIGHER',
          `该人员已享受本职业${had.zh}的培训补贴，不能再享受较低等级（${wanted.zh}）的补贴`,
          `This person was already subsidised at ${had.en} of this occupation; a lower level (${wanted.en}) can no longer be subsidised`,
          'level',
        ),
      );
    }
  }

  const overlapping = new Set<string>();
  for (const r of others) {
    if (compareDates(r.periodStart, slot.periodEnd) <= 0 && compareDates(slot.periodStart, r.periodEnd) <= 0)
      overlapping.add(r.classId);
  }
  for (const classId of overlapping) {
    violations.push(
      violation(
        'OVERLAPPING_CLASS',
        `该人员参加的另一培训班（${classId}）与本班培训时间重叠`,
        `This person is in another class (${classId}) whose training period overlaps this one`,
        'periodStart',
      ),
    );
  }
  return violations;
}

/** Certificates that count for the evaluation subsidy: not the training certificate (DOMAIN.md, Hebei 2024). */
export const EVALUATION_QUALIFYING_CERTIFICATES: readonly EvaluationCertificate[] = [
  'QUALIFICATION_CERT',
  'SKILL_LEVEL_CERT',
  'SPECIAL_ABILITY_CERT',
];

/**
 * Skills-evaluation subsidy (职业技能评价补贴) eligibility: the six key groups only, a first evaluation that yields
 * a qualifying certificate (not a training certificate), at most caps.evaluationSubsidiesPerPerson times, never
 * twice for the same occupation. Paid to the assessment body.
 */
export function checkEvaluationEligibility(
  applicant: Applicant,
  request: EvaluationRequest,
  history: readonly SubsidyRecord[],
  policy: PolicyVersion,
): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (!policy.evaluationCategories.includes(applicant.category)) {
    const name = TRAINEE_CATEGORY_NAMES[applicant.category];
    violations.push(
      violation(
        'EVALUATION_CATEGORY',
        `职业技能评价补贴仅限六类人员，“${name.zh}”不在范围内`,
        `The skills-evaluation subsidy is for the six key groups only; "${name.en}" is not one of them`,
        'category',
      ),
    );
  }
  if (!EVALUATION_QUALIFYING_CERTIFICATES.includes(request.certificate)) {
    violations.push(
      violation(
        'EVALUATION_CERTIFICATE',
        '培训合格证书不能享受职业技能评价补贴，须取得职业资格证书、职业技能等级证书或专项职业能力证书',
        'A training certificate does not qualify for the evaluation subsidy; a qualification, skill-level or special-ability certificate is required',
        'certificate',
      ),
    );
  }
  const evaluations = otherRecords(applicant.personKey, history, request.classId).filter(
    (r) => r.kind === 'EVALUATION',
  );
  const cap = policy.caps.evaluationSubsidiesPerPerson;
  const used = subsidiesUsed(applicant.personKey, history, 'EVALUATION', request.classId);
  if (used >= cap) {
    violations.push(
      violation(
        'EVALUATION_CAP_REACHED',
        `该人员已享受${used}次职业技能评价补贴，已达上限（${cap}次）`,
        `This person has already received ${used} evaluation subsidies; the limit is ${cap}`,
        'personKey',
      ),
    );
  }
  if (evaluations.some((r) => r.occupationCode === request.occupationCode)) {
    violations.push(
      violation(
        'EVALUATION_SAME_OCCUPATION',
        '该人员已享受过同一职业（工种）的职业技能评价补贴，不可重复享受',
        'This person has already received an evaluation subsidy for this occupation; it cannot be paid twice',
        'occupationCode',
      ),
    );
  }
  return violations;
}

export interface RosterCheck {
  /** Position in the applicants given, so a repeated person maps back to the right enrolment. */
  index: number;
  personKey: string;
  violations: RuleViolation[];
}

/**
 * Checks a whole roster (花名册) in one pass, in the given order: each applicant's eligibility, a person listed
 * twice (DUPLICATE_IN_ROSTER on the repeats) and seats beyond caps.traineesPerClass (CLASS_FULL on every distinct
 * person after the last seat). O(applicants + records).
 */
export function checkRoster(
  applicants: readonly Applicant[],
  slot: ClassSlot,
  historyByPerson: ReadonlyMap<string, readonly SubsidyRecord[]>,
  policy: PolicyVersion,
): RosterCheck[] {
  const seen = new Set<string>();
  const capacity = policy.caps.traineesPerClass;
  return applicants.map((applicant, index) => {
    if (seen.has(applicant.personKey)) {
      return {
        index,
        personKey: applicant.personKey,
        violations: [
          violation(
            'DUPLICATE_IN_ROSTER',
            '该人员在花名册中重复出现',
            'This person appears more than once in the roster',
            'personKey',
          ),
        ],
      };
    }
    seen.add(applicant.personKey);
    const violations = checkTrainingEligibility(
      applicant,
      slot,
      historyByPerson.get(applicant.personKey) ?? [],
      policy,
    );
    if (seen.size > capacity) {
      violations.push(
        violation(
          'CLASS_FULL',
          `每班不得超过${capacity}人，本班名额已满`,
          `A class may have at most ${capacity} trainees; this class is full`,
          'trainees',
        ),
      );
    }
    return { index, personKey: applicant.personKey, violations };
  });
}
