// The demo's history (prisma/demoHistory.ts): closed classes the import accepts, three in each of the six months
// before this one, and none that could change the demo's own performance story.
import { checkHistoryClass } from '../../domain/history';
import { addDays, compareDates } from '../../domain/dates';
import { OCCUPATION_CATALOGUE } from '../../domain/occupations';
import { DEMO_INSTITUTIONS } from '../../prisma/reference';
import { demoHistory } from '../../prisma/demoHistory';

const TODAY = '2026-12-02';
const rows = demoHistory(TODAY);

describe("the demo's history", () => {
  it('is three classes closed in each of the six months before this one', () => {
    const perMonth = new Map<string, number>();
    for (const r of rows)
      perMonth.set(r.closedOn.slice(0, 7), (perMonth.get(r.closedOn.slice(0, 7)) ?? 0) + 1);
    expect([...perMonth]).toEqual([
      ['2026-06', 3],
      ['2026-07', 3],
      ['2026-08', 3],
      ['2026-09', 3],
      ['2026-10', 3],
      ['2026-11', 3],
    ]);
    expect(new Set(rows.map((r) => r.ref)).size).toBe(rows.length);
  });

  it('passes every rule of the import, at the turn of a year too', () => {
    for (const today of [TODAY, '2027-01-01', '2026-03-31'])
      for (const r of demoHistory(today)) {
        const institution = DEMO_INSTITUTIONS.find((i) => i.id === r.institutionId);
        expect(institution?.courses).toContain(r.occupationCode);
        const occupation = OCCUPATION_CATALOGUE.find((o) => o.code === r.occupationCode);
        expect(checkHistoryClass(r, { today, institution, occupation })).toEqual([]);
      }
  });

  it('trained more than 100 days ago, and one institution alone in each occupation', () => {
    for (const r of rows) expect(compareDates(r.plannedEnd, addDays(TODAY, -100))).toBeLessThanOrEqual(0);
    const institutionsOf = new Map<string, Set<string>>();
    for (const r of rows)
      institutionsOf.set(
        r.occupationCode,
        (institutionsOf.get(r.occupationCode) ?? new Set()).add(r.institutionId),
      );
    for (const [, insts] of institutionsOf) expect(insts.size).toBe(1);
    // none the demo's own classes train at several institutions (prisma/seed.ts, the compressed clock's too)
    for (const shared of ['4-03-02-01', '4-03-02-02', '4-10-01-05'])
      expect(institutionsOf.has(shared)).toBe(false);
  });

  it('is the same on every run', () => {
    expect(demoHistory(TODAY)).toEqual(rows);
    expect(rows.reduce((sum, r) => sum + r.paidFen, 0)).toBeGreaterThan(0);
  });
});
