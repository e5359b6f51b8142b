/**
 * Subsidy calculation (DOMAIN.md §7, Hebei 2024) and class settlement (结算).
 * Percentages come from the policy's tiers table, never from literals here; amounts are integer fen with
 * one rounding per amount.
 */
import { divideRoundHalfUp, percentOf, sumFen, type Fen } from './money';
import type { Occupation, OccupationLevelStandard } from './occupations';
import type { PolicyVersion } from './policy';
import { violation, type RuleViolation } from './rules';

export type AssessmentResult =
  'QUALIFICATION_CERT' | 'SKILL_LEVEL_CERT' | 'SPECIAL_ABILITY_CERT' | 'TRAINING_CERT' | 'FAILED';
export type Tier =
  'EMPLOYED' | 'QUALIFYING_CERTIFICATE' | 'SPECIAL_ABILITY_CERTIFICATE' | 'TRAINING_CERTIFICATE' | 'NONE';

export const TIER_NAMES: Record<Tier, { zh: string; en: string }> = {
  EMPLOYED: { zh: '培训合格并实现就业', en: 'Passed and employed' },
  QUALIFYING_CERTIFICATE: {
    zh: '未就业，取得职业资格或技能等级证书',
    en: 'Not employed, qualifying certificate',
  },
  SPECIAL_ABILITY_CERTIFICATE: {
    zh: '未就业，取得专项职业能力证书',
    en: 'Not employed, special-ability certificate',
  },
  TRAINING_CERTIFICATE: { zh: '未就业，仅取得培训合格证书', en: 'Not employed, training certificate only' },
  NONE: { zh: '不予补贴', en: 'No subsidy' },
};

/** Which entry of the policy's tier table (PolicyVersion.tiersPct) pays each tier. */
export const TIER_PCT_KEY = {
  EMPLOYED: 'employed',
  QUALIFYING_CERTIFICATE: 'qualifyingCertificate',
  SPECIAL_ABILITY_CERTIFICATE: 'specialAbilityCertificate',
  TRAINING_CERTIFICATE: 'trainingCertificate',
  NONE: 'failed',
} as const satisfies Record<Tier, keyof PolicyVersion['tiersPct']>;

/** The percentage of the standard a tier earns under a policy. */
export function tierPct(policy: PolicyVersion, tier: Tier): number {
  return policy.tiersPct[TIER_PCT_KEY[tier]];
}

export function isTier(value: string): value is Tier {
  return Object.prototype.hasOwnProperty.call(TIER_PCT_KEY, value);
}

export interface TraineeOutcome {
  enrollmentId: string;
  attendedHours: number;
  classHours: number;
  assessment: AssessmentResult | null;
  /** Employment evidenced and verified within the follow-up window (DOMAIN.md §6). */
  employedWithinWindow: boolean;
}

export interface TierDecision {
  tier: Tier;
  pct: number;
  reason?: RuleViolation;
}

/** DOMAIN.md §4: trainees below the attendance threshold are not eligible for subsidy. */
export function meetsAttendance(attendedHours: number, classHours: number, policy: PolicyVersion): boolean {
  // attended / class ≥ threshold %, compared without division.
  return attendedHours * 100 >= policy.attendanceThresholdPct * classHours;
}

/**
 * The tier a trainee earns (DOMAIN.md §7): passed and employed → employed tier; otherwise by certificate —
 * qualification or skill-level certificate (or a training certificate of a ministry-published new occupation)
 * → qualifying tier; special-ability certificate → its own tier; training certificate only → training tier;
 * failed, not assessed or under the attendance threshold → none.
 */
export function subsidyTier(
  outcome: TraineeOutcome,
  policy: PolicyVersion,
  occupation: Pick<Occupation, 'newOccupation'>,
): TierDecision {
  const tiers = policy.tiersPct;
  if (!meetsAttendance(outcome.attendedHours, outcome.classHours, policy)) {
    return {
      tier: 'NONE',
      pct: tiers.failed,
      reason: violation(
        'ATTENDANCE_BELOW_THRESHOLD',
        `出勤${formatHours(outcome.attendedHours)}学时，未达到总课时${outcome.classHours}学时的${policy.attendanceThresholdPct}%，不予补贴`,
        `Attended ${formatHours(outcome.attendedHours)} of ${outcome.classHours} hours, below the ${policy.attendanceThresholdPct} % threshold: no subsidy`,
        'attendedHours',
      ),
    };
  }
  if (outcome.assessment === null) {
    return {
      tier: 'NONE',
      pct: tiers.failed,
      reason: violation(
        'NO_ASSESSMENT',
        '未参加考核评价，不予补贴',
        'No assessment result: no subsidy',
        'assessment',
      ),
    };
  }
  if (outcome.assessment === 'FAILED') {
    return {
      tier: 'NONE',
      pct: tiers.failed,
      reason: violation(
        'ASSESSMENT_FAILED',
        '考核评价不合格，不予补贴',
        'Failed the assessment: no subsidy',
        'assessment',
      ),
    };
  }
  if (outcome.employedWithinWindow) return { tier: 'EMPLOYED', pct: tiers.employed };
  switch (outcome.assessment) {
    case 'QUALIFICATION_CERT':
    case 'SKILL_LEVEL_CERT':
      return { tier: 'QUALIFYING_CERTIFICATE', pct: tiers.qualifyingCertificate };
    case 'SPECIAL_ABILITY_CERT':
      return { tier: 'SPECIAL_ABILITY_CERTIFICATE', pct: tiers.specialAbilityCertificate };
    case 'TRAINING_CERT':
      // DOMAIN.md §7: a training certificate counts as qualifying only for new occupations published by the ministry.
      return occupation.newOccupation
        ? { tier: 'QUALIFYING_CERTIFICATE', pct: tiers.qualifyingCertificate }
        : { tier: 'TRAINING_CERTIFICATE', pct: tiers.trainingCertificate };
  }
}

function formatHours(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(1);
}

export interface TrainingSubsidyInput {
  standardFen: Fen;
  catalogueHours: number;
  classHours: number;
  pct: number;
}

/**
 * standard × min(classHours, catalogueHours) / catalogueHours × pct %, rounded half up once.
 * DOMAIN.md "Catalogues" (Hangzhou): fewer hours cut the subsidy pro rata, more hours earn nothing extra.
 */
export function trainingSubsidyFen({
  standardFen,
  catalogueHours,
  classHours,
  pct,
}: TrainingSubsidyInput): Fen {
  for (const [name, value] of Object.entries({ standardFen, catalogueHours, classHours, pct })) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  if (catalogueHours === 0) throw new RangeError('catalogueHours must be positive');
  const hours = Math.min(classHours, catalogueHours);
  return Number(
    divideRoundHalfUp(BigInt(standardFen) * BigInt(hours) * BigInt(pct), BigInt(catalogueHours) * 100n),
  );
}

/** DOMAIN.md "Catalogues": class hours may deviate at most ±hoursTolerancePct from the catalogue. */
export function checkClassHours(
  classHours: number,
  catalogueHours: number,
  policy: PolicyVersion,
): RuleViolation | null {
  const tolerance = policy.hoursTolerancePct;
  const tooFew = classHours * 100 < catalogueHours * (100 - tolerance);
  const tooMany = classHours * 100 > catalogueHours * (100 + tolerance);
  if (!tooFew && !tooMany) return null;
  return violation(
    'CLASS_HOURS_OUT_OF_RANGE',
    `课时${classHours}学时超出目录课时${catalogueHours}学时的±${tolerance}%范围`,
    `${classHours} class hours is outside ±${tolerance} % of the catalogue's ${catalogueHours} hours`,
    'classHours',
  );
}

/** Advance payment on approval (先行拨付, Harbin: 50 %): advanceRatioPct of standard × planned trainees. */
export function advancePaymentFen(policy: PolicyVersion, standardFen: Fen, plannedTrainees: number): Fen {
  if (!Number.isSafeInteger(plannedTrainees) || plannedTrainees < 0)
    throw new RangeError(`plannedTrainees must be a non-negative integer, got ${plannedTrainees}`);
  return percentOf(standardFen * plannedTrainees, policy.advanceRatioPct);
}

export interface SettlementLine {
  enrollmentId: string;
  tier: Tier;
  pct: number;
  amountFen: Fen;
  remark?: RuleViolation;
}

/** One trainee's line: tier from the outcome, amount from the catalogue standard and the class hours. */
export function settlementLineFor(
  outcome: TraineeOutcome,
  policy: PolicyVersion,
  occupation: Pick<Occupation, 'newOccupation'>,
  standard: Pick<OccupationLevelStandard, 'standardFen' | 'minHours'>,
): SettlementLine {
  const decision = subsidyTier(outcome, policy, occupation);
  const amountFen = trainingSubsidyFen({
    standardFen: standard.standardFen,
    catalogueHours: standard.minHours,
    classHours: outcome.classHours,
    pct: decision.pct,
  });
  const line: SettlementLine = {
    enrollmentId: outcome.enrollmentId,
    tier: decision.tier,
    pct: decision.pct,
    amountFen,
  };
  if (decision.reason) line.remark = decision.reason;
  return line;
}

export interface ClassSettlement {
  lines: SettlementLine[];
  grossFen: Fen;
  advanceDeductedFen: Fen;
  netPayableFen: Fen;
  /** Amount to recover from the institution (追回) when the advance exceeds what was earned. */
  recoveryFen: Fen;
}

/**
 * DOMAIN.md §7: the amount already advanced is deducted; a negative balance is a recovery (追回).
 * Invariant: grossFen − advanceDeductedFen === netPayableFen − recoveryFen.
 */
export function settleClass(lines: SettlementLine[], advancePaidFen: Fen): ClassSettlement {
  const grossFen = sumFen(lines.map((l) => l.amountFen));
  const advanceDeductedFen = sumFen([advancePaidFen]);
  if (advanceDeductedFen < 0) throw new RangeError('advance paid cannot be negative');
  const balance = grossFen - advanceDeductedFen;
  return {
    lines,
    grossFen,
    advanceDeductedFen,
    netPayableFen: Math.max(balance, 0),
    recoveryFen: Math.max(-balance, 0),
  };
}

/** Skills-evaluation subsidy (paid to the assessment body): the catalogue amount when eligible, else nothing. */
export function evaluationSubsidyFen(evaluationFen: Fen, eligible: boolean): Fen {
  if (!Number.isSafeInteger(evaluationFen) || evaluationFen < 0)
    throw new RangeError(`evaluationFen must be a non-negative integer, got ${evaluationFen}`);
  return eligible ? evaluationFen : 0;
}
