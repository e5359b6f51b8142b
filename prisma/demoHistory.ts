// The demo's history (历史数据导入, issue 15 point 14): three classes a month closed in each of the six months before
// this one, as a bureau's predecessor system would report them, so the manager's dashboard shows trends and
// rates from the first minute. `npm start` imports them through the API as the administrator would
// (POST /admin/history/classes). Made up, the same on every run for a given day: a seeded generator.
//
// They keep out of the demo's own story. Their training ended over 100 days ago (a class closes after its
// three-month follow-up, notice and payout), before the 90 days the system test's performance report covers; and
// they are in occupations only one institution of the demo trains (not 中式烹调师, 中式面点师 or 养老护理员, which
// several do), so they add no rate outlier to the performance report: the demo's one is the cooking school that
// passed everyone, in 中式烹调师.
import type { HistoryClass } from '../domain/history';
import { addDays, addMonths } from '../domain/dates';
import { rng } from '../platform/random';
import { OCCUPATION_CATALOGUE, type Level } from '../domain/occupations';

export const DEMO_HISTORY_SOURCE = 'SJZ-PXGL';

/** The months of history, before this one, and the classes closed in each. */
const MONTHS = 6;
const PER_MONTH = 3;

const LINES = [
  {
    inst: 'inst-sjz-01',
    district: '长安区',
    occupation: '6-31-01-03',
    pass: [0.8, 0.92],
    employ: [0.7, 0.85],
  },
  {
    inst: 'inst-sjz-02',
    district: '桥西区',
    occupation: '4-10-01-02',
    pass: [0.75, 0.9],
    employ: [0.65, 0.8],
  },
  {
    inst: 'inst-sjz-02',
    district: '桥西区',
    occupation: '4-10-01-06',
    pass: [0.8, 0.93],
    employ: [0.7, 0.88],
  },
  {
    inst: 'inst-sjz-02',
    district: '桥西区',
    occupation: '4-10-01-03',
    pass: [0.78, 0.9],
    employ: [0.75, 0.9],
  },
] as const;
const LEVEL: Level = 'LEVEL_5';

/** Whole numbers and fractions from the shared seeded generator. */
function generator(seed: number) {
  const next = rng(seed);
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    between: (min: number, max: number) => min + next() * (max - min),
  };
}

export function demoHistory(today: string): HistoryClass[] {
  const rand = generator(20_261_202);
  const issue = new Map<string, number>();
  const out: HistoryClass[] = [];
  for (let back = MONTHS; back >= 1; back--) {
    const month = addMonths(`${today.slice(0, 7)}-01`, -back);
    for (let i = 0; i < PER_MONTH; i++) {
      const line = LINES[(out.length + back) % LINES.length]!;
      const occupation = OCCUPATION_CATALOGUE.find((o) => o.code === line.occupation)!;
      const standard = occupation.levels.find((l) => l.level === LEVEL)!;
      const n = (issue.get(line.occupation) ?? 0) + 1;
      issue.set(line.occupation, n);

      const closedOn = addDays(month, rand.int(4, 24));
      const plannedEnd = addDays(closedOn, -rand.int(100, 125));
      const plannedStart = addDays(plannedEnd, -Math.ceil(standard.minHours / 4));
      const openedOn = addDays(plannedStart, -rand.int(10, 20));
      const assessedOn = addDays(plannedEnd, rand.int(2, 6));

      const capacity = [30, 40, 50][rand.int(0, 2)]!;
      const traineeCount = capacity - rand.int(0, 6);
      const passedCount = Math.round(traineeCount * rand.between(line.pass[0], line.pass[1]));
      const certifiedCount = passedCount - rand.int(0, Math.min(3, passedCount));
      const employedCount = Math.round(passedCount * rand.between(line.employ[0], line.employ[1]));
      // What the predecessor system paid, by its tiers: a certificate and a job 100 %, a certificate 80 %,
      // passed without one 50 % of the catalogue's standard (the employed counted among the certified first).
      const employedCertified = Math.min(employedCount, certifiedCount);
      const paidFen =
        employedCertified * standard.standardFen +
        (certifiedCount - employedCertified) * Math.round(standard.standardFen * 0.8) +
        (passedCount - certifiedCount) * Math.round(standard.standardFen * 0.5);

      out.push({
        ref: `${closedOn.slice(0, 7).replace('-', '')}-${String(i + 1).padStart(2, '0')}`,
        institutionId: line.inst,
        district: line.district,
        title: `${occupation.name.zh}（五级）${plannedStart.slice(0, 4)}年第${n}期`,
        occupationCode: line.occupation,
        level: LEVEL,
        classHours: standard.minHours,
        capacity,
        openedOn,
        plannedStart,
        plannedEnd,
        assessedOn,
        closedOn,
        traineeCount,
        passedCount,
        certifiedCount,
        employedCount,
        advancedFen: 0,
        paidFen,
        recoveredFen: 0,
      });
    }
  }
  return out;
}
