import { findOccupation, standardFor } from '../../../domain/occupations';
import { HARBIN_2022, HEBEI_2024, type PolicyVersion } from '../../../domain/policy';
import {
  advancePaymentFen,
  checkClassHours,
  evaluationSubsidyFen,
  settleClass,
  settlementLineFor,
  subsidyTier,
  trainingSubsidyFen,
  type SettlementLine,
  type TraineeOutcome,
} from '../../../domain/subsidy';
import { anOutcome } from './builders';

const ordinary = { newOccupation: false };
const newOccupation = { newOccupation: true };
const zhengzhouLike: PolicyVersion = {
  ...HEBEI_2024,
  id: 'zhengzhou-demo',
  tiersPct: {
    employed: 100,
    qualifyingCertificate: 80,
    specialAbilityCertificate: 60,
    trainingCertificate: 60,
    failed: 0,
  },
};

describe('subsidy tiers (DOMAIN.md §7)', () => {
  type Case = [
    string,
    Partial<TraineeOutcome>,
    { newOccupation: boolean },
    string,
    number,
    string | undefined,
  ];
  it.each<Case>([
    [
      'pays 100 % to a certified trainee employed within 3 months',
      { employedWithinWindow: true },
      ordinary,
      'EMPLOYED',
      100,
      undefined,
    ],
    [
      'pays 100 % to an employed trainee with only a training certificate',
      { assessment: 'TRAINING_CERT', employedWithinWindow: true },
      ordinary,
      'EMPLOYED',
      100,
      undefined,
    ],
    [
      'pays 80 % to a trainee with a skill-level certificate who found no job',
      {},
      ordinary,
      'QUALIFYING_CERTIFICATE',
      80,
      undefined,
    ],
    [
      'pays 80 % for a vocational qualification certificate',
      { assessment: 'QUALIFICATION_CERT' },
      ordinary,
      'QUALIFYING_CERTIFICATE',
      80,
      undefined,
    ],
    [
      'pays the special-ability tier (80 % in Hebei) for a special-ability certificate',
      { assessment: 'SPECIAL_ABILITY_CERT' },
      ordinary,
      'SPECIAL_ABILITY_CERTIFICATE',
      80,
      undefined,
    ],
    [
      'pays 50 % with a training certificate only',
      { assessment: 'TRAINING_CERT' },
      ordinary,
      'TRAINING_CERTIFICATE',
      50,
      undefined,
    ],
    [
      'pays 80 % for a training certificate of a ministry-published new occupation',
      { assessment: 'TRAINING_CERT' },
      newOccupation,
      'QUALIFYING_CERTIFICATE',
      80,
      undefined,
    ],
    [
      'pays nothing to a trainee who failed, even if employed',
      { assessment: 'FAILED', employedWithinWindow: true },
      ordinary,
      'NONE',
      0,
      'ASSESSMENT_FAILED',
    ],
    ['pays nothing without an assessment result', { assessment: null }, ordinary, 'NONE', 0, 'NO_ASSESSMENT'],
    [
      'pays a trainee who attended exactly 80 % of the hours',
      { attendedHours: 96 },
      ordinary,
      'QUALIFYING_CERTIFICATE',
      80,
      undefined,
    ],
    [
      'pays nothing below 80 % attendance, whatever the certificate',
      { attendedHours: 95.5, employedWithinWindow: true },
      ordinary,
      'NONE',
      0,
      'ATTENDANCE_BELOW_THRESHOLD',
    ],
  ])('%s', (_name, change, occupation, tier, pct, reason) => {
    const decision = subsidyTier(anOutcome(change), HEBEI_2024, occupation);
    expect(decision.tier).toBe(tier);
    expect(decision.pct).toBe(pct);
    expect(decision.reason?.code).toBe(reason);
  });

  it('takes percentages from the policy version: Zhengzhou-like 60 % for special-ability and training certificates', () => {
    expect(subsidyTier(anOutcome({ assessment: 'SPECIAL_ABILITY_CERT' }), zhengzhouLike, ordinary).pct).toBe(
      60,
    );
    expect(subsidyTier(anOutcome({ assessment: 'TRAINING_CERT' }), zhengzhouLike, ordinary).pct).toBe(60);
  });

  it('explains the attendance shortfall in both languages', () => {
    const reason = subsidyTier(anOutcome({ attendedHours: 90 }), HEBEI_2024, ordinary).reason;
    expect(reason).toMatchObject({ code: 'ATTENDANCE_BELOW_THRESHOLD', field: 'attendedHours' });
    expect(reason?.zh).toContain('80%');
    expect(reason?.en).toContain('90 of 120');
  });
});

describe('training subsidy amount', () => {
  it.each([
    [
      'the full standard for full hours at 100 %',
      { standardFen: 150_000, catalogueHours: 120, classHours: 120, pct: 100 },
      150_000,
    ],
    [
      'nothing extra for more hours than the catalogue',
      { standardFen: 150_000, catalogueHours: 120, classHours: 140, pct: 100 },
      150_000,
    ],
    [
      'a pro-rata cut for fewer hours',
      { standardFen: 150_000, catalogueHours: 120, classHours: 100, pct: 80 },
      100_000,
    ],
    [
      'one half-up rounding of standard × hours × pct (46 062.5 fen → 46 063)',
      { standardFen: 110_000, catalogueHours: 80, classHours: 67, pct: 50 },
      46_063,
    ],
    ['zero at 0 %', { standardFen: 150_000, catalogueHours: 120, classHours: 120, pct: 0 }, 0],
  ])('pays %s', (_name, input, expected) => {
    expect(trainingSubsidyFen(input)).toBe(expected);
  });

  it('refuses fractional or negative inputs', () => {
    expect(() =>
      trainingSubsidyFen({ standardFen: 100.5, catalogueHours: 80, classHours: 80, pct: 100 }),
    ).toThrow(RangeError);
    expect(() =>
      trainingSubsidyFen({ standardFen: 100_000, catalogueHours: 0, classHours: 80, pct: 100 }),
    ).toThrow(RangeError);
  });
});

describe('class hours against the catalogue (±20 %)', () => {
  it.each([
    [96, null],
    [144, null],
    [120, null],
    [95, 'CLASS_HOURS_OUT_OF_RANGE'],
    [145, 'CLASS_HOURS_OUT_OF_RANGE'],
  ])('judges %i hours against a 120-hour catalogue entry: %p', (hours, code) => {
    const result = checkClassHours(hours, 120, HEBEI_2024);
    expect(result?.code ?? null).toBe(code);
    if (result) expect(result.field).toBe('classHours');
  });
});

describe('advance payment (先行拨付)', () => {
  it('advances nothing under Hebei 2024', () => {
    expect(advancePaymentFen(HEBEI_2024, 150_000, 30)).toBe(0);
  });

  it('advances 50 % of standard × planned trainees under Harbin 2022', () => {
    expect(advancePaymentFen(HARBIN_2022, 150_000, 30)).toBe(2_250_000);
    expect(advancePaymentFen(HARBIN_2022, 110_001, 1)).toBe(55_001); // 55 000.5 rounds half up
  });
});

describe('evaluation subsidy', () => {
  it('pays the catalogue amount only when eligible', () => {
    expect(evaluationSubsidyFen(30_000, true)).toBe(30_000);
    expect(evaluationSubsidyFen(30_000, false)).toBe(0);
  });
});

describe('settling a 30-trainee class of 中式烹调师 level 4 (1500 yuan, 120 hours)', () => {
  const cook = findOccupation('4-03-02-01');
  const standard = cook && standardFor(cook, 'LEVEL_4');
  if (!cook || !standard) throw new Error('catalogue lacks 中式烹调师 level 4');

  const group = (prefix: string, count: number, change: Partial<TraineeOutcome>): TraineeOutcome[] =>
    Array.from({ length: count }, (_, i) => anOutcome({ enrollmentId: `${prefix}-${i + 1}`, ...change }));

  const mixed: TraineeOutcome[] = [
    ...group('employed', 10, { employedWithinWindow: true }),
    ...group('certified', 8, {}),
    ...group('training-cert', 4, { assessment: 'TRAINING_CERT' }),
    ...group('special', 2, { assessment: 'SPECIAL_ABILITY_CERT' }),
    ...group('failed', 3, { assessment: 'FAILED' }),
    ...group('absent', 2, { attendedHours: 90, employedWithinWindow: true }),
    ...group('unassessed', 1, { assessment: null }),
  ];

  const lines = (policy: PolicyVersion, outcomes: TraineeOutcome[] = mixed): SettlementLine[] =>
    outcomes.map((o) => settlementLineFor(o, policy, cook, standard));

  const amountOf = (ls: SettlementLine[], prefix: string) =>
    ls.filter((l) => l.enrollmentId.startsWith(`${prefix}-`)).map((l) => l.amountFen);

  it('pays each trainee the exact fen of their tier', () => {
    const ls = lines(HEBEI_2024);
    expect(ls).toHaveLength(30);
    expect(amountOf(ls, 'employed')).toEqual(Array(10).fill(150_000)); // 100 %
    expect(amountOf(ls, 'certified')).toEqual(Array(8).fill(120_000)); // 80 %
    expect(amountOf(ls, 'training-cert')).toEqual(Array(4).fill(75_000)); // 50 %
    expect(amountOf(ls, 'special')).toEqual(Array(2).fill(120_000)); // 80 % in Hebei
    expect(amountOf(ls, 'failed')).toEqual(Array(3).fill(0));
    expect(amountOf(ls, 'absent')).toEqual(Array(2).fill(0));
    expect(amountOf(ls, 'unassessed')).toEqual([0]);
    expect(ls.find((l) => l.enrollmentId === 'absent-1')?.remark?.code).toBe('ATTENDANCE_BELOW_THRESHOLD');
  });

  it('totals 30 000.00 yuan under Hebei 2024 with nothing advanced', () => {
    // 10 × 1500 + 8 × 1200 + 4 × 750 + 2 × 1200 = 15 000 + 9 600 + 3 000 + 2 400 = 30 000 yuan
    expect(settleClass(lines(HEBEI_2024), 0)).toMatchObject({
      grossFen: 3_000_000,
      advanceDeductedFen: 0,
      netPayableFen: 3_000_000,
      recoveryFen: 0,
    });
  });

  it('deducts the Harbin 50 % advance and pays the balance', () => {
    const advance = advancePaymentFen(HARBIN_2022, standard.standardFen, 30); // 22 500 yuan
    expect(settleClass(lines(HARBIN_2022), advance)).toMatchObject({
      grossFen: 3_000_000,
      advanceDeductedFen: 2_250_000,
      netPayableFen: 750_000,
      recoveryFen: 0,
    });
  });

  it('recovers (追回) the excess when the advance is more than the class earned', () => {
    const poor = [
      ...group('employed', 5, { employedWithinWindow: true }),
      ...group('failed', 25, { assessment: 'FAILED' }),
    ];
    const settlement = settleClass(
      lines(HARBIN_2022, poor),
      advancePaymentFen(HARBIN_2022, standard.standardFen, 30),
    );
    expect(settlement).toMatchObject({
      grossFen: 750_000,
      advanceDeductedFen: 2_250_000,
      netPayableFen: 0,
      recoveryFen: 1_500_000,
    });
  });

  it('cuts every line pro rata when the class ran 100 of the catalogue’s 120 hours', () => {
    const short = mixed.map((o) => ({ ...o, classHours: 100, attendedHours: (o.attendedHours * 100) / 120 })); // same attendance rates
    const ls = lines(HEBEI_2024, short);
    expect(amountOf(ls, 'employed')[0]).toBe(125_000);
    expect(amountOf(ls, 'certified')[0]).toBe(100_000);
    expect(amountOf(ls, 'training-cert')[0]).toBe(62_500);
    expect(settleClass(ls, 0).grossFen).toBe(10 * 125_000 + 8 * 100_000 + 4 * 62_500 + 2 * 100_000);
  });

  it('keeps gross − advance = net − recovery to the fen', () => {
    for (const advance of [0, 1, 2_999_999, 3_000_000, 3_000_001, 9_999_999]) {
      const s = settleClass(lines(HEBEI_2024), advance);
      expect(s.grossFen - s.advanceDeductedFen).toBe(s.netPayableFen - s.recoveryFen);
      expect(Math.min(s.netPayableFen, s.recoveryFen)).toBe(0);
    }
  });

  it('refuses a negative or fractional advance', () => {
    expect(() => settleClass([], -1)).toThrow(RangeError);
    expect(() => settleClass([], 0.5)).toThrow(RangeError);
  });
});
