/**
 * Policy versions as versioned data (DESIGN.md principle 4). A class runs under the version in force when
 * its plan was approved; tiers, caps, deadlines and ratios come from here, never from literals in code.
 */
import { z } from 'zod';
import { KEY_GROUPS, TRAINEE_CATEGORIES, TraineeCategorySchema } from './categories';
import { compareDates, isIsoDate } from './dates';
import { DEFAULT_AGE_LIMITS } from './identity';
import { fail, ok, violation, type Result } from './rules';
import { bilingual, issueText } from './issueText';
import { PerformanceFormulaSchema } from './performance';

const percent = z.number().int().min(0).max(100);
const positiveInt = z.number().int().positive();
export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, bilingual('日期格式须为YYYY-MM-DD', 'a calendar date YYYY-MM-DD'));

export const TiersPctSchema = z.strictObject({
  /** DOMAIN.md §7: passed and employed within the follow-up window. */
  employed: percent,
  /** Vocational qualification or skill-level certificate (or a training certificate of a new occupation). */
  qualifyingCertificate: percent,
  /** Special vocational ability certificate (专项职业能力证书). */
  specialAbilityCertificate: percent,
  /** Training certificate (培训合格证书) only. */
  trainingCertificate: percent,
  /** Failed, not assessed, or under the attendance threshold. */
  failed: percent,
});

export const PolicyDeadlinesSchema = z.strictObject({
  /** Plan filed at least N working days before the start (DOMAIN.md §1). */
  planLeadWorkingDays: positiveInt,
  /** Caseworker task deadline (DOMAIN.md §2). */
  approvalWorkingDays: positiveInt,
  /** Second escalation after an overdue task. */
  escalationWorkingDays: positiveInt,
  /** Time the institution has to resubmit a returned plan. */
  resubmitWorkingDays: positiveInt,
  /** Assessment within N days after training ends (DOMAIN.md §5: 7日内). */
  assessmentDays: positiveInt,
  /** Employment follow-up window in months (DOMAIN.md §6). */
  followUpMonths: positiveInt,
  /** Public notice length (DOMAIN.md §8: 3个工作日). */
  noticeWorkingDays: positiveInt,
  /** Objection handling by a caseworker. */
  objectionWorkingDays: positiveInt,
  /** Employment-evidence verification by a caseworker. */
  verificationWorkingDays: positiveInt,
  /** Finance approval of a payment batch (DOMAIN.md §9). */
  paymentApprovalWorkingDays: positiveInt,
});

export const PolicyVersionSchema = z.strictObject({
  id: z.string().min(1),
  name: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
  region: z.string().min(1),
  effectiveFrom: IsoDateSchema,
  tiersPct: TiersPctSchema,
  caps: z.strictObject({
    trainingSubsidiesPerPerson: positiveInt,
    evaluationSubsidiesPerPerson: positiveInt,
    traineesPerClass: positiveInt,
  }),
  attendanceThresholdPct: percent,
  hoursTolerancePct: percent,
  ageLimits: z
    .strictObject({ min: z.number().int().min(0), maxMale: positiveInt, maxFemale: positiveInt })
    .refine(
      (a) => a.min < a.maxMale && a.min < a.maxFemale,
      bilingual('最低年龄须小于男女最高年龄', 'the minimum age is below both maxima'),
    ),
  /** Advance payment on approval (先行拨付), % of the training subsidy of the planned trainees. */
  advanceRatioPct: percent.default(0),
  deadlines: PolicyDeadlinesSchema,
  eligibleCategories: z.array(TraineeCategorySchema).min(1),
  evaluationCategories: z.array(TraineeCategorySchema),
  fundingChannels: z.array(z.string().min(1)),
  /**
   * Bank transfers (DOMAIN.md §9: failed transfers are retried or returned for correction): a refused transfer
   * is tried again after a backoff that doubles from `firstBackoffHours` up to `maxBackoffHours`; after
   * `attemptsBeforeCorrection` refusals in a row the batch goes back to finance to correct the payee.
   */
  transfers: z
    .strictObject({
      attemptsBeforeCorrection: positiveInt,
      firstBackoffHours: positiveInt,
      maxBackoffHours: positiveInt,
    })
    .optional(),
  /** 培训绩效评估: the formula of the institutions' performance report (domain/performance.ts DEFAULT_PERFORMANCE when absent). */
  performance: PerformanceFormulaSchema.optional(),
  /** Compressed clock for demos and benchmarks: every "day" lasts this many seconds. Absent in real policies. */
  clock: z.strictObject({ secondsPerDay: z.number().positive() }).optional(),
});
export type PolicyVersion = z.infer<typeof PolicyVersionSchema>;
export type PolicyVersionInput = z.input<typeof PolicyVersionSchema>;

/** Funding channels named by the Hebei 2024 notice and the Harbin plan (资金支出渠道). */
export const FUNDING_CHANNEL_NAMES: Record<string, { zh: string; en: string }> = {
  EMPLOYMENT_SUBSIDY_FUND: { zh: '就业补助资金', en: 'Employment subsidy fund' },
  SKILL_UPGRADE_ACCOUNT: { zh: '职业技能提升行动专账资金', en: 'Skill-upgrade action special account' },
  UNEMPLOYMENT_INSURANCE_FUND: { zh: '失业保险基金', en: 'Unemployment insurance fund' },
};

/** DOMAIN.md defaults: practice values where the policies are silent. */
export const DEFAULT_DEADLINES: PolicyVersion['deadlines'] = {
  planLeadWorkingDays: 5,
  approvalWorkingDays: 5,
  escalationWorkingDays: 3,
  resubmitWorkingDays: 10,
  assessmentDays: 7,
  followUpMonths: 3,
  noticeWorkingDays: 3,
  objectionWorkingDays: 5,
  verificationWorkingDays: 5,
  paymentApprovalWorkingDays: 5,
};

/**
 * Hebei 2024 annual training notice (冀就办字〔2024〕2号). Tiers (§7): employed within 3 months 100 %;
 * not employed with a certificate (qualification, skill-level or special-ability; a training certificate only
 * for new occupations) 80 %; training certificate only 50 %. Caps: 3 training and 3 evaluation subsidies per
 * person; evaluation subsidy for the six key groups only; notice 3 working days; assessment within 7 days.
 */
export const HEBEI_2024: PolicyVersion = PolicyVersionSchema.parse({
  id: 'hebei-2024',
  name: { zh: '河北省2024年职业技能培训工作通知', en: 'Hebei 2024 vocational skills training notice' },
  region: '河北省',
  effectiveFrom: '2024-01-01',
  tiersPct: {
    employed: 100,
    qualifyingCertificate: 80,
    specialAbilityCertificate: 80,
    trainingCertificate: 50,
    failed: 0,
  },
  caps: { trainingSubsidiesPerPerson: 3, evaluationSubsidiesPerPerson: 3, traineesPerClass: 50 },
  attendanceThresholdPct: 80,
  hoursTolerancePct: 20,
  ageLimits: DEFAULT_AGE_LIMITS,
  advanceRatioPct: 0,
  deadlines: DEFAULT_DEADLINES,
  eligibleCategories: [...TRAINEE_CATEGORIES],
  evaluationCategories: [...KEY_GROUPS],
  fundingChannels: ['EMPLOYMENT_SUBSIDY_FUND', 'SKILL_UPGRADE_ACCOUNT', 'UNEMPLOYMENT_INSURANCE_FUND'],
} satisfies PolicyVersionInput);

/**
 * Harbin vocational skills training action plan 2022–2025 (哈尔滨市职业技能培训行动计划). It allows an advance of
 * 50 % of the training subsidy (可先行拨付50%的培训补贴资金); it states no tiers of its own, so the tiers and
 * the other settings follow the Hebei values (DOMAIN.md defaults).
 */
export const HARBIN_2022: PolicyVersion = PolicyVersionSchema.parse({
  ...HEBEI_2024,
  id: 'harbin-2022',
  name: {
    zh: '哈尔滨市职业技能培训行动计划（2022-2025年）',
    en: 'Harbin vocational skills training action plan 2022–2025',
  },
  region: '哈尔滨市',
  effectiveFrom: '2022-06-09',
  advanceRatioPct: 50,
} satisfies PolicyVersionInput);

export const SHIPPED_POLICIES: readonly PolicyVersion[] = [HEBEI_2024, HARBIN_2022];
export const DEFAULT_POLICY_ID = 'hebei-2024';

export function findPolicy(
  id: string,
  policies: readonly PolicyVersion[] = SHIPPED_POLICIES,
): PolicyVersion | undefined {
  return policies.find((p) => p.id === id);
}

/** The version of a region in force on a date: the latest effectiveFrom on or before it. */
export function policyInForce(
  region: string,
  onDate: string,
  policies: readonly PolicyVersion[] = SHIPPED_POLICIES,
): PolicyVersion | undefined {
  let best: PolicyVersion | undefined;
  for (const policy of policies) {
    if (policy.region !== region || compareDates(policy.effectiveFrom, onDate) > 0) continue;
    if (!best || compareDates(policy.effectiveFrom, best.effectiveFrom) > 0) best = policy;
  }
  return best;
}

/**
 * Validates an administrator's policy document; each zod issue becomes a POLICY_INVALID violation. Keys the
 * schema does not know are refused (a misspelt key must not silently fall back to a default).
 */
export function parsePolicy(input: unknown): Result<PolicyVersion> {
  const parsed = PolicyVersionSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return ok(parsed.data);
  return fail(
    ...parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      const text = issueText(issue);
      return violation(
        'POLICY_INVALID',
        `政策配置无效：${field || '（整体）'} ${text.zh}`,
        `Invalid policy: ${field || '(root)'} ${text.en}`,
        field || undefined,
      );
    }),
  );
}
