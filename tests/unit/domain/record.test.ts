// 终身档案 (issue 16 point 1): what a person may still be subsidised for, as the enrolment rules would judge it.
import { checkTrainingEligibility } from '../../../domain/eligibility';
import { HEBEI_2024 } from '../../../domain/policy';
import { entitlementsOf } from '../../../domain/record';
import { anApplicant, aRecord, aSlot } from './builders';

const policy = HEBEI_2024; // 3 training and 3 evaluation subsidies per person
const COOK = '4-03-02-01';
const CARER = '4-10-01-06';

describe('what a person may still be subsidised for', () => {
  it('leaves the whole allowance to someone never subsidised', () => {
    expect(entitlementsOf(anApplicant(), [], policy)).toEqual({
      training: { used: 0, cap: 3, left: 3 },
      evaluation: { used: 0, cap: 3, left: 3 },
      closedLevels: [],
      evaluatedOccupations: [],
    });
  });

  it('counts paid and reserved subsidies, one per class, and not what was released or is someone else’s', () => {
    const history = [
      aRecord({ classId: 'c1', status: 'PAID' }),
      aRecord({ classId: 'c2', status: 'RESERVED', occupationCode: COOK, level: 'LEVEL_4' }),
      aRecord({ classId: 'c3', status: 'RELEASED', occupationCode: COOK, level: 'LEVEL_3' }),
      aRecord({ classId: 'c4', personKey: 'person-2' }),
      aRecord({ classId: 'c1', kind: 'EVALUATION', status: 'PAID' }),
    ];
    const e = entitlementsOf(anApplicant(), history, policy);
    expect(e.training).toEqual({ used: 2, cap: 3, left: 1 });
    expect(e.evaluation).toEqual({ used: 1, cap: 3, left: 2 });
    expect(e.evaluatedOccupations).toEqual([CARER]);
  });

  it('closes the level already subsidised and every lower one of that occupation, saying why', () => {
    const history = [aRecord({ occupationCode: COOK, level: 'LEVEL_4' })];
    const closed = entitlementsOf(anApplicant(), history, policy).closedLevels;
    expect(closed.map((c) => `${c.occupationCode} ${c.level} ${c.code}`)).toEqual([
      `${COOK} LEVEL_5 LOWER_LEVEL_AFTER_HIGHER`,
      `${COOK} LEVEL_4 SAME_OCCUPATION_LEVEL`,
    ]);
    expect(closed[0]!.message.zh).toContain('不能再享受较低等级');
    // A higher level and the special-ability certificate stay open.
    for (const level of ['LEVEL_3', 'SPECIAL_ABILITY'] as const)
      expect(closed.some((c) => c.level === level)).toBe(false);
  });

  it('agrees with enrolment: a closed level is refused for a real class, an open one is not', () => {
    const history = [aRecord({ occupationCode: COOK, level: 'LEVEL_3' })];
    const closed = entitlementsOf(anApplicant(), history, policy).closedLevels;
    for (const level of ['SPECIAL_ABILITY', 'LEVEL_5', 'LEVEL_4', 'LEVEL_3', 'LEVEL_2', 'LEVEL_1'] as const) {
      const refused = checkTrainingEligibility(
        anApplicant(),
        aSlot({ occupationCode: COOK, level }),
        history,
        policy,
      ).some((v) => v.code === 'SAME_OCCUPATION_LEVEL' || v.code === 'LOWER_LEVEL_AFTER_HIGHER');
      expect([level, refused]).toEqual([level, closed.some((c) => c.level === level)]);
    }
  });

  it('has nothing left once the cap is reached', () => {
    const history = ['c1', 'c2', 'c3'].map((classId) => aRecord({ classId }));
    expect(entitlementsOf(anApplicant(), history, policy).training).toEqual({ used: 3, cap: 3, left: 0 });
  });
});
