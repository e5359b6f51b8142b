import { KEY_GROUPS, TRAINEE_CATEGORIES } from '../../../domain/categories';
import {
  DEFAULT_POLICY_ID,
  findPolicy,
  HARBIN_2022,
  HEBEI_2024,
  parsePolicy,
  policyInForce,
  PolicyVersionSchema,
  SHIPPED_POLICIES,
  type PolicyVersionInput,
} from '../../../domain/policy';

describe('shipped policy versions', () => {
  it('encodes Hebei 2024: tiers 100 / 80 / 80 / 50 / 0, caps 3 / 3 / 50, no advance', () => {
    expect(HEBEI_2024.tiersPct).toEqual({
      employed: 100,
      qualifyingCertificate: 80,
      specialAbilityCertificate: 80,
      trainingCertificate: 50,
      failed: 0,
    });
    expect(HEBEI_2024.caps).toEqual({
      trainingSubsidiesPerPerson: 3,
      evaluationSubsidiesPerPerson: 3,
      traineesPerClass: 50,
    });
    expect(HEBEI_2024.advanceRatioPct).toBe(0);
    expect(HEBEI_2024.deadlines.noticeWorkingDays).toBe(3);
    expect(HEBEI_2024.deadlines.assessmentDays).toBe(7);
    expect(HEBEI_2024.eligibleCategories).toEqual([...TRAINEE_CATEGORIES]);
    expect(HEBEI_2024.evaluationCategories).toEqual([...KEY_GROUPS]);
    expect(HEBEI_2024.clock).toBeUndefined();
  });

  it('encodes Harbin 2022 with a 50 % advance and the Hebei tiers', () => {
    expect(HARBIN_2022.id).toBe('harbin-2022');
    expect(HARBIN_2022.advanceRatioPct).toBe(50);
    expect(HARBIN_2022.tiersPct).toEqual(HEBEI_2024.tiersPct);
  });

  it('ships both and defaults to Hebei', () => {
    expect(SHIPPED_POLICIES.map((p) => p.id)).toEqual(['hebei-2024', 'harbin-2022']);
    expect(findPolicy(DEFAULT_POLICY_ID)).toBe(HEBEI_2024);
    expect(findPolicy('nowhere')).toBeUndefined();
  });

  it('picks the version of a region in force on a date', () => {
    expect(policyInForce('哈尔滨市', '2023-05-01')).toBe(HARBIN_2022);
    expect(policyInForce('哈尔滨市', '2022-01-01')).toBeUndefined();
    expect(policyInForce('河北省', '2024-06-01')).toBe(HEBEI_2024);
  });
});

describe('policies as data', () => {
  const zhengzhou: PolicyVersionInput = {
    ...HEBEI_2024,
    id: 'zhengzhou-demo',
    name: { zh: '郑州（示例）', en: 'Zhengzhou (example)' },
    region: '郑州市',
    tiersPct: {
      employed: 100,
      qualifyingCertificate: 80,
      specialAbilityCertificate: 60,
      trainingCertificate: 60,
      failed: 0,
    },
  };

  it('expresses Zhengzhou-style tiers 100 / 80 / 60 with 60 % for special-ability certificates', () => {
    const parsed = parsePolicy(zhengzhou);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.tiersPct.specialAbilityCertificate).toBe(60);
  });

  it('defaults the advance ratio to 0 and accepts a compressed demo clock', () => {
    const { advanceRatioPct: _omitted, ...withoutAdvance } = HEBEI_2024;
    const parsed = PolicyVersionSchema.parse({ ...withoutAdvance, clock: { secondsPerDay: 2 } });
    expect(parsed.advanceRatioPct).toBe(0);
    expect(parsed.clock).toEqual({ secondsPerDay: 2 });
  });

  it.each([
    ['a tier above 100 %', { tiersPct: { ...HEBEI_2024.tiersPct, employed: 120 } }, 'tiersPct.employed'],
    ['a fractional cap', { caps: { ...HEBEI_2024.caps, traineesPerClass: 50.5 } }, 'caps.traineesPerClass'],
    ['an unknown trainee category', { eligibleCategories: ['TOURIST'] }, 'eligibleCategories.0'],
    ['an impossible effective date', { effectiveFrom: '2024-02-30' }, 'effectiveFrom'],
    ['a non-positive demo clock', { clock: { secondsPerDay: 0 } }, 'clock.secondsPerDay'],
  ])('refuses %s as POLICY_INVALID on the field', (_what, change, field) => {
    const parsed = parsePolicy({ ...HEBEI_2024, ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.violations).toContainEqual(expect.objectContaining({ code: 'POLICY_INVALID', field }));
  });

  it('refuses a policy without deadlines', () => {
    const { deadlines: _omitted, ...withoutDeadlines } = HEBEI_2024;
    expect(parsePolicy(withoutDeadlines).ok).toBe(false);
  });
});
