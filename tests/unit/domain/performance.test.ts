// 培训绩效评估 (issue 16 point 4): the institutions' scores, ranking and warnings, from the formula in the policy.
import fc from 'fast-check';
import {
  DEFAULT_PERFORMANCE,
  EMPTY_FIGURES,
  overlappingEnrolments,
  PerformanceFormulaSchema,
  performanceFormulaOf,
  rankInstitutions,
  rateOutliers,
  repeatedAttendance,
  scoreOf,
  type AttendanceMark,
  type PerformanceFigures,
} from '../../../domain/performance';
import { HEBEI_2024, parsePolicy } from '../../../domain/policy';

const formula = DEFAULT_PERFORMANCE; // pass 30, certificate 10, employment 40, satisfaction 20
const COOK = '4-03-02-01';
const CARER = '4-10-01-06';

function figures(over: Partial<PerformanceFigures> = {}): PerformanceFigures {
  return { institutionId: 'INST-A', occupationCode: COOK, ...EMPTY_FIGURES, ...over };
}

/** 20 trainees in 2 classes: all assessed, `passed` of them passed, certificates for the passed. */
function aYear(institutionId: string, passed: number, over: Partial<PerformanceFigures> = {}) {
  return figures({
    institutionId,
    classes: 2,
    trainees: 20,
    assessed: 20,
    passed,
    certified: passed,
    followedUp: passed,
    employed: Math.floor(passed / 2),
    ...over,
  });
}

describe('an institution’s score', () => {
  it('weighs each rate by the policy’s points: all passed, certified, employed and fully satisfied is 100', () => {
    const best = scoreOf(
      'INST-A',
      aYear('INST-A', 20, { employed: 20, surveys: 20, satisfactionCentiSum: 20 * 500 }),
      formula,
    );
    expect(best).toMatchObject({
      passRate: 1,
      certificateRate: 1,
      employmentRate: 1,
      satisfaction: 5,
      penalty: 0,
      score: 100,
    });
  });

  it('counts 30 % × pass + 10 % × certificate + 40 % × employment + 20 % × (mean − 1) / 4', () => {
    // pass 15/20 = 0.75, certificates 10/20 = 0.5, employed 6/15 = 0.4, satisfaction mean 4 → 0.75
    const s = scoreOf(
      'INST-A',
      aYear('INST-A', 15, { certified: 10, employed: 6, surveys: 10, satisfactionCentiSum: 4000 }),
      formula,
    );
    expect(s.score).toBe(22.5 + 5 + 16 + 15);
  });

  it('shares out the weight of a rate not known yet (no one followed up) over the rates that are', () => {
    // pass 1, certificate 1, no follow-up, no survey: (30 + 10) / 40 of the points → 100
    const s = scoreOf('INST-A', aYear('INST-A', 20, { followedUp: 0, employed: 0 }), formula);
    expect(s.employmentRate).toBeNull();
    expect(s.satisfaction).toBeNull();
    expect(s.score).toBe(100);
  });

  it('takes off points for overdue steps and upheld objections per class and for money recovered', () => {
    const clean = scoreOf('INST-A', aYear('INST-A', 20), formula);
    const late = scoreOf(
      'INST-A',
      aYear('INST-A', 20, { overdueSteps: 4, objectionsUpheld: 2, paidFen: 1_000_000, recoveredFen: 30_000 }),
      formula,
    );
    // 4 steps over 2 classes × 5 + 2 objections over 2 classes × 5 + 3 % recovered × 1
    expect(late.penalty).toBe(10 + 5 + 3);
    expect(late.score).toBe((clean.score as number) - 18);
  });

  it('does not rank an institution with fewer trainees than the policy asks, and says so with a null score', () => {
    const few = scoreOf('INST-A', aYear('INST-A', 5, { trainees: 9, assessed: 9 }), formula);
    expect(few.score).toBeNull();
    expect(few.passRate).toBeCloseTo(5 / 9);
  });

  it('never scores below 0 or above 100, and more passes never lower the score', () => {
    const counts = fc.record({
      classes: fc.integer({ min: 1, max: 20 }),
      assessed: fc.integer({ min: 10, max: 500 }),
      passedPart: fc.double({ min: 0, max: 1, noNaN: true }),
      certifiedPart: fc.double({ min: 0, max: 1, noNaN: true }),
      employedPart: fc.double({ min: 0, max: 1, noNaN: true }),
      overdueSteps: fc.integer({ min: 0, max: 100 }),
      objectionsUpheld: fc.integer({ min: 0, max: 20 }),
      recoveredPart: fc.double({ min: 0, max: 1, noNaN: true }),
      surveys: fc.integer({ min: 0, max: 50 }),
      meanScore: fc.integer({ min: 100, max: 500 }),
    });
    fc.assert(
      fc.property(counts, (c) => {
        const passed = Math.floor(c.assessed * c.passedPart);
        const build = (p: number) =>
          figures({
            classes: c.classes,
            trainees: c.assessed,
            assessed: c.assessed,
            passed: p,
            certified: Math.floor(p * c.certifiedPart),
            followedUp: passed,
            employed: Math.floor(passed * c.employedPart),
            overdueSteps: c.overdueSteps,
            objectionsUpheld: c.objectionsUpheld,
            paidFen: 1_000_000,
            recoveredFen: Math.floor(1_000_000 * c.recoveredPart),
            surveys: c.surveys,
            satisfactionCentiSum: c.surveys * c.meanScore,
          });
        const base = scoreOf('INST-A', build(passed), formula);
        expect(base.score).not.toBeNull();
        expect(base.score).toBeGreaterThanOrEqual(0);
        expect(base.score).toBeLessThanOrEqual(100);
        if (passed < c.assessed) {
          // one more pass, certificates as before: the score rises or stays (it may already be floored at 0)
          const more = scoreOf(
            'INST-A',
            { ...build(passed + 1), certified: build(passed).certified },
            formula,
          );
          expect(more.score).toBeGreaterThanOrEqual(base.score as number);
        }
      }),
    );
  });
});

describe('the ranking', () => {
  it('puts the best score first, sums an institution’s occupations, and lists the unranked last', () => {
    const rows = [
      aYear('INST-B', 12),
      aYear('INST-A', 18),
      aYear('INST-A', 18, { occupationCode: CARER }),
      aYear('INST-C', 4, { trainees: 4, assessed: 4 }),
    ];
    const ranking = rankInstitutions(rows, formula);
    expect(ranking.map((s) => [s.institutionId, s.rank])).toEqual([
      ['INST-A', 1],
      ['INST-B', 2],
      ['INST-C', null],
    ]);
    expect(ranking[0]?.figures).toMatchObject({ classes: 4, trainees: 40, passed: 36 });
  });

  it('gives equal scores the same rank and the next one the rank after both', () => {
    const ranking = rankInstitutions(
      [aYear('INST-B', 15), aYear('INST-A', 15), aYear('INST-C', 10)],
      formula,
    );
    expect(ranking.map((s) => `${s.institutionId}:${s.rank}`)).toEqual(['INST-A:1', 'INST-B:1', 'INST-C:3']);
  });

  it('orders any set of institutions by score, every rank at most its position', () => {
    const institution = fc.record({
      id: fc.constantFrom('INST-A', 'INST-B', 'INST-C', 'INST-D', 'INST-E'),
      passed: fc.integer({ min: 0, max: 20 }),
      trainees: fc.constantFrom(5, 20),
    });
    fc.assert(
      fc.property(fc.array(institution, { maxLength: 12 }), (list) => {
        const ranking = rankInstitutions(
          list.map((i) =>
            aYear(i.id, Math.min(i.passed, i.trainees), { trainees: i.trainees, assessed: i.trainees }),
          ),
          formula,
        );
        expect(new Set(ranking.map((s) => s.institutionId)).size).toBe(ranking.length);
        const ranked = ranking.filter((s) => s.rank !== null);
        ranked.forEach((s, i) => {
          expect(s.rank).toBeLessThanOrEqual(i + 1);
          if (i > 0) expect(s.score).toBeLessThanOrEqual(ranked[i - 1]?.score as number);
        });
        expect(ranking.slice(ranked.length).every((s) => s.rank === null && s.score === null)).toBe(true);
      }),
    );
  });
});

describe('rates far above the peers', () => {
  it('warns of a pass rate 25 points or more above the median of the others in the same occupation', () => {
    const rows = [
      aYear('INST-A', 12), // 60 %
      aYear('INST-B', 13), // 65 %
      aYear('INST-C', 20), // 100 %, 37.5 points above 62.5 (employment 50 %, like its peers)
      aYear('INST-D', 20, { occupationCode: CARER }), // alone in its occupation: no peers to compare
    ];
    expect(rateOutliers(rows, formula)).toEqual([
      {
        kind: 'PASS_RATE_OUTLIER',
        institutionId: 'INST-C',
        occupationCode: COOK,
        ratePct: 100,
        peerMedianPct: 62.5,
        peers: 2,
      },
    ]);
  });

  it('does not compare an institution with too few assessed trainees, nor judge against too few peers', () => {
    const rows = [aYear('INST-A', 12), aYear('INST-B', 4, { assessed: 4, passed: 4 }), aYear('INST-C', 20)];
    // INST-B has 4 assessed (< 5): not judged and not a peer; so INST-C has one peer only (< 2)
    expect(rateOutliers(rows, formula)).toEqual([]);
  });

  it('warns of an employment rate far above the peers', () => {
    const rows = [
      aYear('INST-A', 20, { employed: 8 }),
      aYear('INST-B', 20, { employed: 10 }),
      aYear('INST-C', 20, { employed: 20 }),
    ];
    expect(rateOutliers(rows, formula).map((o) => `${o.kind} ${o.institutionId} ${o.peerMedianPct}`)).toEqual(
      ['EMPLOYMENT_RATE_OUTLIER INST-C 45'],
    );
  });

  it('takes its thresholds from the policy', () => {
    const strict = { ...formula, outlier: { ...formula.outlier, pointsAboveMedian: 40 } };
    expect(rateOutliers([aYear('INST-A', 12), aYear('INST-B', 13), aYear('INST-C', 20)], strict)).toEqual([]);
  });
});

describe('the same person in overlapping classes at two institutions', () => {
  const span = (classId: string, institutionId: string, start: string, end: string, personKey = 'p1') => ({
    personKey,
    classId,
    institutionId,
    plannedStart: start,
    plannedEnd: end,
  });

  it('finds two classes whose dates overlap by a day, at two institutions', () => {
    const signals = overlappingEnrolments([
      span('C-2', 'INST-B', '2026-03-31', '2026-04-20'),
      span('C-1', 'INST-A', '2026-03-01', '2026-03-31'),
      span('C-3', 'INST-C', '2026-05-01', '2026-05-20'),
      span('C-4', 'INST-C', '2026-03-10', '2026-03-20', 'p2'),
    ]);
    expect(signals).toEqual([
      {
        kind: 'OVERLAPPING_CLASSES',
        personKey: 'p1',
        first: { classId: 'C-1', institutionId: 'INST-A' },
        second: { classId: 'C-2', institutionId: 'INST-B' },
      },
    ]);
  });

  it('leaves alone two overlapping classes at one institution (its own timetable) and back-to-back classes', () => {
    expect(
      overlappingEnrolments([
        span('C-1', 'INST-A', '2026-03-01', '2026-03-31'),
        span('C-2', 'INST-A', '2026-03-15', '2026-04-15'),
        span('C-3', 'INST-B', '2026-04-16', '2026-04-30'),
      ]),
    ).toEqual([]);
  });

  it('finds exactly the pairs a brute-force comparison finds', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
    const anySpan = fc
      .record({
        personKey: fc.constantFrom('p1', 'p2'),
        institutionId: fc.constantFrom('INST-A', 'INST-B', 'INST-C'),
        a: day,
        b: day,
      })
      .map((s) => ({ ...s, plannedStart: s.a < s.b ? s.a : s.b, plannedEnd: s.a < s.b ? s.b : s.a }));
    fc.assert(
      fc.property(fc.array(anySpan, { maxLength: 10 }), (raw) => {
        const spans = raw.map((s, i) => ({ ...s, classId: `C-${i}` }));
        const expected = new Set<string>();
        for (const x of spans)
          for (const y of spans)
            if (
              x.classId < y.classId &&
              x.personKey === y.personKey &&
              x.institutionId !== y.institutionId &&
              x.plannedStart <= y.plannedEnd &&
              y.plannedStart <= x.plannedEnd
            )
              expected.add(`${x.classId}|${y.classId}`);
        const found = overlappingEnrolments(spans).map((s) =>
          [s.first.classId, s.second.classId].sort().join('|'),
        );
        expect(found.length).toBe(expected.size);
        expect(new Set(found)).toEqual(expected);
      }),
    );
  });
});

describe('attendance sheets copied from trainee to trainee', () => {
  const lessons = ['2026-03-02', '2026-03-03', '2026-03-04'];
  function sheet(enrollmentId: string, statuses: string[], classId = 'C-1'): AttendanceMark[] {
    return statuses.map((status, i) => ({
      classId,
      enrollmentId,
      lessonDate: lessons[i] ?? '',
      lessonNo: 1,
      status,
    }));
  }

  it('warns when five trainees of a class share one pattern with an absence', () => {
    const marks = [
      ...[1, 2, 3, 4, 5].flatMap((n) => sheet(`E-${n}`, ['PRESENT', 'ABSENT', 'LATE'])),
      ...sheet('E-6', ['PRESENT', 'PRESENT', 'LATE']),
    ];
    expect(repeatedAttendance(marks, formula)).toEqual([
      { kind: 'REPEATED_ATTENDANCE', classId: 'C-1', trainees: 5, marked: 2 },
    ]);
  });

  it('does not warn of a class where everyone came to every lesson, nor of four alike', () => {
    const marks = [
      ...[1, 2, 3, 4, 5, 6].flatMap((n) => sheet(`E-${n}`, ['PRESENT', 'PRESENT', 'PRESENT'])),
      ...[7, 8, 9, 10].flatMap((n) => sheet(`E-${n}`, ['ABSENT', 'PRESENT', 'PRESENT'])),
    ];
    expect(repeatedAttendance(marks, formula)).toEqual([]);
  });

  it('does not mix one class’s sheets with another’s', () => {
    const marks = [1, 2, 3, 4, 5].flatMap((n) =>
      sheet(`E-${n}`, ['ABSENT', 'PRESENT', 'PRESENT'], `C-${n % 2}`),
    );
    expect(repeatedAttendance(marks, formula)).toEqual([]);
  });
});

describe('the formula as policy data', () => {
  it('falls back to the default when a policy writes none, and uses the one it writes', () => {
    expect(performanceFormulaOf(HEBEI_2024)).toBe(DEFAULT_PERFORMANCE);
    const own = { ...DEFAULT_PERFORMANCE, minTraineesToRank: 30 };
    const parsed = parsePolicy({ ...HEBEI_2024, performance: own });
    expect(parsed.ok && performanceFormulaOf(parsed.value).minTraineesToRank).toBe(30);
  });

  it('refuses weights that do not add up to 100, naming the field', () => {
    const parsed = parsePolicy({
      ...HEBEI_2024,
      performance: { ...DEFAULT_PERFORMANCE, weights: { ...DEFAULT_PERFORMANCE.weights, passRate: 50 } },
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.violations.map((v) => v.field)).toEqual(['performance.weights']);
    expect(PerformanceFormulaSchema.safeParse(DEFAULT_PERFORMANCE).success).toBe(true);
  });
});
