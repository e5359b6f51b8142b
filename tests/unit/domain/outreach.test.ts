// 政策找人 (issue 16 point 3): who a class may invite, by the enrolment rules themselves, and who is asked first.
import fc from 'fast-check';
import { TRAINEE_CATEGORIES } from '../../../domain/categories';
import { addDays } from '../../../domain/dates';
import { checkWorkingAge } from '../../../domain/identity';
import { birthDateWindow, candidateVerdict, OUTREACH_PRIORITY } from '../../../domain/outreach';
import { HEBEI_2024 } from '../../../domain/policy';
import { anApplicant, aRecord, aSlot } from './builders';

const policy = HEBEI_2024;

describe('who a class may invite', () => {
  it('is whoever enrolment would accept and who was never trained in the occupation', () => {
    expect(candidateVerdict(anApplicant(), aSlot(), [], policy)).toEqual([]);
  });

  it('says every reason enrolment would give, and that the person was trained in this occupation already', () => {
    const slot = aSlot();
    const history = [
      aRecord({ classId: 'old-1', occupationCode: slot.occupationCode, level: 'LEVEL_3', status: 'PAID' }),
    ];
    const codes = candidateVerdict(anApplicant(), slot, history, policy).map((v) => v.code);
    expect(codes).toContain('ALREADY_TRAINED_IN_OCCUPATION');
    expect(codes).toContain('LOWER_LEVEL_AFTER_HIGHER');
  });

  it('does not count a subsidy that was released, nor one in another occupation', () => {
    const slot = aSlot();
    const history = [
      aRecord({ classId: 'old-1', occupationCode: slot.occupationCode, status: 'RELEASED' }),
      aRecord({
        classId: 'old-2',
        occupationCode: '4-10-01-06',
        periodStart: '2020-01-01',
        periodEnd: '2020-01-31',
      }),
    ];
    expect(candidateVerdict(anApplicant(), slot, history, policy)).toEqual([]);
  });

  it('ranks every category, registered unemployed first and enterprise employees last', () => {
    expect(Object.keys(OUTREACH_PRIORITY).sort()).toEqual([...TRAINEE_CATEGORIES].sort());
    const order = [...TRAINEE_CATEGORIES].sort((a, b) => OUTREACH_PRIORITY[a] - OUTREACH_PRIORITY[b]);
    expect(order[0]).toBe('REGISTERED_UNEMPLOYED');
    expect(order[order.length - 1]).toBe('ENTERPRISE_EMPLOYEE');
  });
});

describe('the birth dates the registry query keeps', () => {
  it('keeps everyone the working-age rule accepts on the class start (never fewer), and little more', () => {
    const day = fc.integer({ min: 0, max: 365 * 80 }).map((n) => addDays('1940-01-01', n));
    fc.assert(
      fc.property(
        day,
        fc.constantFrom('M' as const, 'F' as const),
        fc.constantFrom('2026-02-28', '2028-02-29', '2026-12-31', '2027-03-01'),
        (birthDate, sex, start) => {
          const w = birthDateWindow(policy, sex, start);
          const eligible = checkWorkingAge({ birthDate, sex }, start, policy.ageLimits) === null;
          const kept = birthDate >= w.earliest && birthDate <= w.latest;
          if (eligible) expect(kept).toBe(true);
          // at most a couple of days of slack at either end
          if (kept && !eligible)
            expect(
              Math.min(
                Math.abs(Date.parse(birthDate) - Date.parse(w.earliest)),
                Math.abs(Date.parse(birthDate) - Date.parse(w.latest)),
              ),
            ).toBeLessThanOrEqual(3 * 86_400_000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
