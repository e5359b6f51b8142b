import {
  checkEvaluationEligibility,
  checkRoster,
  checkTrainingEligibility,
  type Applicant,
  type EvaluationRequest,
  type SubsidyRecord,
} from '../../../domain/eligibility';
import { HEBEI_2024, type PolicyVersion } from '../../../domain/policy';
import { anApplicant, aRecord, aSlot, codes } from './builders';

const policy = HEBEI_2024;
const slot = aSlot(); // 中式烹调师 level 4, 2026-03-02 … 2026-03-31

describe('training-subsidy eligibility (DOMAIN.md "Who may be subsidised")', () => {
  it('accepts a registered unemployed man of working age with no history', () => {
    expect(checkTrainingEligibility(anApplicant(), slot, [], policy)).toEqual([]);
  });

  type Case = [string, Partial<Applicant>, SubsidyRecord[], string[], PolicyVersion];
  const onlyKeyGroups: PolicyVersion = { ...policy, eligibleCategories: policy.evaluationCategories };
  // Every row carries its policy: jest passes a `done` callback in place of a missing trailing argument.
  const row = (
    name: string,
    person: Partial<Applicant>,
    history: SubsidyRecord[],
    expected: string[],
    casePolicy: PolicyVersion = policy,
  ): Case => [name, person, history, expected, casePolicy];

  it.each<Case>([
    // category
    row(
      'accepts an enterprise employee where the policy includes them',
      { category: 'ENTERPRISE_EMPLOYEE' },
      [],
      [],
    ),
    row(
      'refuses an enterprise employee where the policy is for key groups only',
      { category: 'ENTERPRISE_EMPLOYEE' },
      [],
      ['CATEGORY_NOT_ELIGIBLE'],
      onlyKeyGroups,
    ),
    // excluded statuses
    row(
      'refuses staff on a government payroll',
      { exclusions: { governmentPayroll: true } },
      [],
      ['EXCLUDED_STATUS'],
    ),
    row('refuses a pensioner', { exclusions: { pensioner: true } }, [], ['EXCLUDED_STATUS']),
    row(
      'refuses a full-time student who is not in the graduation year',
      { category: 'RURAL_MIGRANT', exclusions: { fullTimeStudent: true } },
      [],
      ['EXCLUDED_STATUS'],
    ),
    row(
      'accepts a full-time student in the graduation year',
      { category: 'GRADUATING_STUDENT', exclusions: { fullTimeStudent: true } },
      [],
      [],
    ),
    // working age at class start
    row('accepts a man of 59 at class start', { birthDate: '1966-03-03' }, [], []),
    row(
      'refuses a man who turns 60 on the first day of class',
      { birthDate: '1966-03-02' },
      [],
      ['AGE_OUT_OF_RANGE'],
    ),
    row(
      'refuses a woman who is 55 at class start',
      { birthDate: '1970-12-01', sex: 'F' },
      [],
      ['AGE_OUT_OF_RANGE'],
    ),
    row('refuses a 15-year-old', { birthDate: '2010-03-03' }, [], ['AGE_OUT_OF_RANGE']),
    // at most 3 training subsidies
    row(
      'accepts a person subsidised twice before',
      {},
      [aRecord(), aRecord({ occupationCode: '4-10-03-01' })],
      [],
    ),
    row(
      'refuses a person subsidised 3 times before',
      {},
      [aRecord(), aRecord({ occupationCode: '4-10-03-01' }), aRecord({ occupationCode: '4-10-03-02' })],
      ['TRAINING_CAP_REACHED'],
    ),
    row(
      'counts a reservation held by another running class like a payment',
      {},
      [
        aRecord(),
        aRecord({ occupationCode: '4-10-03-01' }),
        aRecord({
          occupationCode: '4-10-03-02',
          status: 'RESERVED',
          periodStart: '2025-06-01',
          periodEnd: '2025-06-30',
        }),
      ],
      ['TRAINING_CAP_REACHED'],
    ),
    row(
      'ignores the records of the class being re-checked',
      {},
      [
        aRecord(),
        aRecord({ occupationCode: '4-10-03-01' }),
        aRecord({ ...slot, kind: 'TRAINING', personKey: 'person-1', status: 'RESERVED' }),
      ],
      [],
    ),
    row(
      'ignores a released reservation (person removed from, or class withdrawn)',
      {},
      [
        aRecord(),
        aRecord({ occupationCode: '4-10-03-01' }),
        aRecord({
          occupationCode: '4-03-02-01',
          level: 'LEVEL_4',
          status: 'RELEASED',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-30',
        }),
      ],
      [],
    ),
    row(
      'ignores records of other people',
      {},
      [aRecord({ personKey: 'someone-else', occupationCode: '4-03-02-01', level: 'LEVEL_4' })],
      [],
    ),
    row(
      'does not count evaluation subsidies toward the training cap',
      {},
      [aRecord(), aRecord({ occupationCode: '4-10-03-01' }), aRecord({ kind: 'EVALUATION' })],
      [],
    ),
    // never the same occupation and level twice
    row(
      'refuses the same occupation at the same level',
      {},
      [aRecord({ occupationCode: '4-03-02-01', level: 'LEVEL_4' })],
      ['SAME_OCCUPATION_LEVEL'],
    ),
    row(
      'accepts the next level up of the same occupation',
      {},
      [aRecord({ occupationCode: '4-03-02-01', level: 'LEVEL_5' })],
      [],
    ),
    row(
      'accepts the same level of another occupation',
      {},
      [aRecord({ occupationCode: '4-03-02-02', level: 'LEVEL_4' })],
      [],
    ),
    // no lower level after a higher one
    row(
      'refuses a lower level after a higher one of the same occupation',
      {},
      [aRecord({ occupationCode: '4-03-02-01', level: 'LEVEL_3' })],
      ['LOWER_LEVEL_AFTER_HIGHER'],
    ),
    row(
      'accepts a ladder level after a special-ability subsidy',
      {},
      [aRecord({ occupationCode: '4-03-02-01', level: 'SPECIAL_ABILITY' })],
      [],
    ),
    // no overlapping classes
    row(
      'refuses a class whose period touches another class of the person (inclusive)',
      {},
      [aRecord({ periodStart: '2026-03-31', periodEnd: '2026-04-30', status: 'RESERVED' })],
      ['OVERLAPPING_CLASS'],
    ),
    row(
      'accepts a class that starts the day after the other ends',
      {},
      [aRecord({ periodStart: '2026-02-01', periodEnd: '2026-03-01' })],
      [],
    ),
    row(
      'refuses an overlap with any record, evaluation included',
      {},
      [aRecord({ kind: 'EVALUATION', periodStart: '2026-03-10', periodEnd: '2026-03-20' })],
      ['OVERLAPPING_CLASS'],
    ),
  ])('%s', (_name, person, history, expected, casePolicy) => {
    expect(codes(checkTrainingEligibility(anApplicant(person), slot, history, casePolicy))).toEqual(expected);
  });

  it('accepts special ability after a higher ladder level: it is not part of the ladder', () => {
    const specialSlot = aSlot({ level: 'SPECIAL_ABILITY' });
    expect(
      checkTrainingEligibility(
        anApplicant(),
        specialSlot,
        [aRecord({ occupationCode: '4-03-02-01', level: 'LEVEL_3' })],
        policy,
      ),
    ).toEqual([]);
  });

  it('reports every broken rule at once, each with Chinese and English messages', () => {
    const history = [
      aRecord({ occupationCode: '4-03-02-01', level: 'LEVEL_4' }),
      aRecord({ occupationCode: '4-03-02-01', level: 'LEVEL_3' }),
      aRecord({ periodStart: '2026-03-15', periodEnd: '2026-04-15' }),
    ];
    const violations = checkTrainingEligibility(
      anApplicant({ exclusions: { pensioner: true } }),
      slot,
      history,
      policy,
    );
    expect(codes(violations)).toEqual([
      'EXCLUDED_STATUS',
      'TRAINING_CAP_REACHED',
      'SAME_OCCUPATION_LEVEL',
      'LOWER_LEVEL_AFTER_HIGHER',
      'OVERLAPPING_CLASS',
    ]);
    expect(violations.find((v) => v.code === 'TRAINING_CAP_REACHED')?.zh).toBe(
      '该人员已享受3次培训补贴，已达上限（3次）',
    );
    for (const v of violations) {
      expect(v.zh.length).toBeGreaterThan(0);
      expect(v.en.length).toBeGreaterThan(0);
    }
  });

  it('follows the cap of the policy version', () => {
    const generous: PolicyVersion = { ...policy, caps: { ...policy.caps, trainingSubsidiesPerPerson: 4 } };
    const history = [
      aRecord(),
      aRecord({ occupationCode: '4-10-03-01' }),
      aRecord({ occupationCode: '4-10-03-02' }),
    ];
    expect(checkTrainingEligibility(anApplicant(), slot, history, generous)).toEqual([]);
  });
});

describe('skills-evaluation-subsidy eligibility', () => {
  const request: EvaluationRequest = {
    occupationCode: '4-03-02-01',
    level: 'LEVEL_4',
    certificate: 'SKILL_LEVEL_CERT',
  };
  const evaluation = (overrides: Partial<SubsidyRecord> = {}) =>
    aRecord({ kind: 'EVALUATION', ...overrides });

  type Case = [string, Partial<Applicant>, Partial<EvaluationRequest>, SubsidyRecord[], string[]];
  it.each<Case>([
    ['accepts a key-group member with a skill-level certificate', {}, {}, [], []],
    [
      'refuses an enterprise employee (six key groups only)',
      { category: 'ENTERPRISE_EMPLOYEE' },
      {},
      [],
      ['EVALUATION_CATEGORY'],
    ],
    ['accepts a special-ability certificate', {}, { certificate: 'SPECIAL_ABILITY_CERT' }, [], []],
    ['refuses a training certificate', {}, { certificate: 'TRAINING_CERT' }, [], ['EVALUATION_CERTIFICATE']],
    [
      'accepts a person evaluated twice before',
      {},
      {},
      [evaluation(), evaluation({ occupationCode: '4-10-03-01' })],
      [],
    ],
    [
      'refuses a person evaluated 3 times before',
      {},
      {},
      [
        evaluation(),
        evaluation({ occupationCode: '4-10-03-01' }),
        evaluation({ occupationCode: '4-10-03-02' }),
      ],
      ['EVALUATION_CAP_REACHED'],
    ],
    [
      'does not count training subsidies toward the evaluation cap',
      {},
      {},
      [aRecord(), aRecord({ occupationCode: '4-10-03-01' }), aRecord({ occupationCode: '4-10-03-02' })],
      [],
    ],
    [
      'refuses a second evaluation of the same occupation, even at another level',
      {},
      {},
      [evaluation({ occupationCode: '4-03-02-01', level: 'LEVEL_5' })],
      ['EVALUATION_SAME_OCCUPATION'],
    ],
    [
      'ignores the records of the class being re-checked',
      {},
      { classId: 'class-x' },
      [evaluation({ classId: 'class-x', occupationCode: '4-03-02-01' })],
      [],
    ],
  ])('%s', (_name, person, change, history, expected) => {
    expect(
      codes(checkEvaluationEligibility(anApplicant(person), { ...request, ...change }, history, policy)),
    ).toEqual(expected);
  });
});

describe('roster check (花名册)', () => {
  const people = (n: number): Applicant[] =>
    Array.from({ length: n }, (_, i) => anApplicant({ personKey: `p${i}` }));

  it('accepts a full class of 50', () => {
    expect(checkRoster(people(50), slot, new Map(), policy).every((r) => r.violations.length === 0)).toBe(
      true,
    );
  });

  it('refuses the 51st trainee with CLASS_FULL on the trainees field', () => {
    const result = checkRoster(people(51), slot, new Map(), policy);
    expect(result.filter((r) => r.violations.length > 0).map((r) => r.personKey)).toEqual(['p50']);
    expect(result[50]?.violations).toEqual([
      expect.objectContaining({ code: 'CLASS_FULL', field: 'trainees' }),
    ]);
  });

  it('flags the repeat of a person listed twice, not the first listing, and does not give the repeat a seat', () => {
    const roster = [...people(50), anApplicant({ personKey: 'p3' })];
    const result = checkRoster(roster, slot, new Map(), policy);
    expect(result[3]?.violations).toEqual([]);
    expect(codes(result[50]?.violations ?? [])).toEqual(['DUPLICATE_IN_ROSTER']);
    expect(result.map((r) => r.index)).toEqual(roster.map((_, i) => i));
  });

  it('checks each person against their own history', () => {
    const history = new Map([
      ['p1', [aRecord({ personKey: 'p1', occupationCode: '4-03-02-01', level: 'LEVEL_4' })]],
    ]);
    const result = checkRoster(people(3), slot, history, policy);
    expect(result.map((r) => codes(r.violations))).toEqual([[], ['SAME_OCCUPATION_LEVEL'], []]);
  });

  it('checks 500 applicants with 3 records each well under 10 ms', () => {
    const applicants = Array.from({ length: 500 }, (_, i) => anApplicant({ personKey: `p${i}` }));
    const history = new Map(
      applicants.map((a, i) => [
        a.personKey,
        [
          aRecord({
            personKey: a.personKey,
            occupationCode: '4-10-03-01',
            periodStart: '2024-03-01',
            periodEnd: '2024-03-31',
          }),
          aRecord({
            personKey: a.personKey,
            occupationCode: '4-03-02-01',
            level: i % 2 ? 'LEVEL_5' : 'LEVEL_3',
          }),
          aRecord({
            personKey: a.personKey,
            kind: 'EVALUATION',
            status: 'RESERVED',
            periodStart: '2026-03-20',
            periodEnd: '2026-04-10',
          }),
        ],
      ]),
    );
    const big: PolicyVersion = { ...policy, caps: { ...policy.caps, traineesPerClass: 500 } };
    for (let run = 0; run < 5; run++) checkRoster(applicants, slot, history, big); // let the JIT warm up
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 20; run++) {
      const started = performance.now();
      const result = checkRoster(applicants, slot, history, big);
      best = Math.min(best, performance.now() - started);
      expect(result).toHaveLength(500);
    }
    expect(best).toBeLessThan(10);
  });
});
