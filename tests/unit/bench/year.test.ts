// bench:year's made-up province (bench/year.ts): a million distinct people of working age, and each class's fate
// drawn with the shares the benchmark claims, the same in every run.
import { scenarioOf, SHARES, yearRoster } from '../../../bench/year';
import { checkWorkingAge, DEFAULT_AGE_LIMITS, parseIdNumber, validateName } from '../../../domain/identity';

describe('bench:year', () => {
  it('gives the full year 1,000,000 distinct, valid ID numbers of men of working age, with valid names', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (let i = 0; i < 33_334; i++)
      for (const row of yearRoster(i, 30)) {
        if (seen.has(row.idNumber)) problems.push(`${row.idNumber} twice`);
        seen.add(row.idNumber);
        if (i % 997 !== 0) continue; // the full checks on a spread of classes, uniqueness on all
        const parsed = parseIdNumber(row.idNumber);
        if (!parsed.ok) problems.push(`${row.idNumber} invalid`);
        else if (parsed.value.sex !== 'M') problems.push(`${row.idNumber} not a man`);
        else if (checkWorkingAge(parsed.value, '2026-12-15', DEFAULT_AGE_LIMITS))
          problems.push(`${row.idNumber} not of working age`);
        if (validateName(row.name)) problems.push(`${row.name} refused`);
      }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(seen.size).toBe(1_000_020);
  });

  it('draws each share of a year within half a point over 33,000 classes, and the same draw every time', () => {
    const n = 33_000;
    const all = Array.from({ length: n }, (_, i) => scenarioOf(i));
    const share = (pred: (s: ReturnType<typeof scenarioOf>) => boolean) => all.filter(pred).length / n;
    expect(share((s) => s.review === 'REJECT')).toBeCloseTo(SHARES.rejected, 2);
    expect(share((s) => s.review === 'RETURN')).toBeCloseTo(SHARES.returned, 2);
    expect(share((s) => s.cancelled)).toBeCloseTo(SHARES.cancelled, 2);
    expect(share((s) => s.withdraw > 0)).toBeCloseTo(SHARES.withdrawals, 2);
    expect(share((s) => s.poor)).toBeCloseTo(SHARES.poorClass, 2);
    expect(share((s) => s.objection !== undefined)).toBeCloseTo(SHARES.objection, 2);
    expect(new Set(all.map((s) => s.withdraw))).toEqual(new Set([0, 1, 2]));
    expect(share((s) => s.objection === 'UPHOLD')).toBeGreaterThan(0.01);
    expect(share((s) => s.objection === 'DISMISS')).toBeGreaterThan(0.01);
    expect(scenarioOf(12_345)).toEqual(scenarioOf(12_345));
  });
});
