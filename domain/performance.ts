// 培训绩效评估 (issue 16 point 4): how well each institution trains, per period. The Zhaotong plan (seeds/001) asks
// for an evaluation "以培训合格率、就业创业成功率和学员满意度为重点" whose results feed the choice of institutions; the
// Hebei 2024 notice (seeds/004) measures employment after training. The formula is policy data (PerformanceFormula,
// carried by the policy version), so a bureau changes weights and thresholds without a release.
//
// What counts: the classes whose training ended (plannedEnd) in the period, by the same flows the dashboard counts
// (domain/tally.ts flowsOf), the institution's overdue steps on them, the objections upheld against them, the money
// recovered, and the trainees' own answers to the satisfaction survey. A rate whose denominator is still zero (no
// one followed up yet) is not known, and its weight is shared out over the rates that are: an indicator not yet
// measurable counts neither for nor against an institution.
import { z } from 'zod';
import type { PolicyVersion } from './policy';

const weight = z.number().int().min(0).max(100);

export const PerformanceFormulaSchema = z.strictObject({
  /** Points of the score for each rate (0–1) and the survey (mean 1–5 as 0–1); the four add up to 100. */
  weights: z
    .strictObject({
      passRate: weight,
      certificateRate: weight,
      employmentRate: weight,
      satisfaction: weight,
    })
    .refine((w) => w.passRate + w.certificateRate + w.employmentRate + w.satisfaction === 100, {
      message: 'the weights add up to 100 / 权重之和须为100',
    }),
  /** Points taken off: for each overdue step per class, each objection upheld per class, each % recovered. */
  penalties: z.strictObject({
    perOverdueStepPerClass: z.number().min(0).max(100),
    perUpheldObjectionPerClass: z.number().min(0).max(100),
    perRecoveredPct: z.number().min(0).max(100),
  }),
  /** Fewer trainees than this in the period: listed, not ranked (too few to judge). */
  minTraineesToRank: z.number().int().min(1),
  /**
   * A rate far above the institution's peers in one occupation is a warning (the start of fraud signals): at least
   * `minPeers` other institutions with `minAssessed` assessed trainees each, and the rate at least
   * `pointsAboveMedian` percentage points above their median.
   */
  outlier: z.strictObject({
    minPeers: z.number().int().min(1),
    minAssessed: z.number().int().min(1),
    pointsAboveMedian: z.number().min(1).max(100),
  }),
  /** One attendance pattern with an absence or lateness shared by this many trainees of a class is a warning. */
  repeatedAttendanceMin: z.number().int().min(2),
});
export type PerformanceFormula = z.infer<typeof PerformanceFormulaSchema>;

/**
 * The default: employment weighs most (Hebei: 上岗率; Zhaotong: 就业创业成功率), then the pass rate (培训合格率), then
 * satisfaction (学员满意度), then certificates. Penalties are small next to the rates: a late step or an upheld
 * objection per class costs 5 points, 1 % of the money recovered costs 1 point.
 */
export const DEFAULT_PERFORMANCE: PerformanceFormula = {
  weights: { passRate: 30, certificateRate: 10, employmentRate: 40, satisfaction: 20 },
  penalties: { perOverdueStepPerClass: 5, perUpheldObjectionPerClass: 5, perRecoveredPct: 1 },
  minTraineesToRank: 10,
  outlier: { minPeers: 2, minAssessed: 5, pointsAboveMedian: 25 },
  repeatedAttendanceMin: 5,
};

/** The formula a policy version writes, or the default. */
export function performanceFormulaOf(policy: Pick<PolicyVersion, 'performance'>): PerformanceFormula {
  return policy.performance ?? DEFAULT_PERFORMANCE;
}

/** What one institution did in one occupation in the period (sums over its classes). */
export interface PerformanceFigures {
  institutionId: string;
  occupationCode: string;
  classes: number;
  trainees: number;
  assessed: number;
  passed: number;
  certified: number;
  followedUp: number;
  employed: number;
  overdueSteps: number;
  objectionsUpheld: number;
  paidFen: number;
  recoveredFen: number;
  /** Survey answers: how many trainees answered, and the sum of their mean scores ×100 (1–5 → 100–500). */
  surveys: number;
  satisfactionCentiSum: number;
}

export type Rate = number | null;

export interface InstitutionScore {
  institutionId: string;
  figures: Omit<PerformanceFigures, 'occupationCode' | 'institutionId'>;
  passRate: Rate;
  certificateRate: Rate;
  employmentRate: Rate;
  /** Mean survey score 1–5, or null when no one answered. */
  satisfaction: Rate;
  recoveredPct: Rate;
  penalty: number;
  /** 0–100, one decimal; null when the institution has too few trainees to rank. */
  score: number | null;
  /** 1 = best among the ranked; null when not ranked. */
  rank: number | null;
}

export const EMPTY_FIGURES: Omit<PerformanceFigures, 'occupationCode' | 'institutionId'> = {
  classes: 0,
  trainees: 0,
  assessed: 0,
  passed: 0,
  certified: 0,
  followedUp: 0,
  employed: 0,
  overdueSteps: 0,
  objectionsUpheld: 0,
  paidFen: 0,
  recoveredFen: 0,
  surveys: 0,
  satisfactionCentiSum: 0,
};

/** Rows grouped by a key, in the order first seen. */
function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

const ratio = (part: number, whole: number): Rate => (whole > 0 ? part / whole : null);
const oneDecimal = (n: number) => Math.round(n * 10) / 10;

function sum(rows: readonly PerformanceFigures[]): InstitutionScore['figures'] {
  const total = { ...EMPTY_FIGURES };
  for (const row of rows)
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += row[key];
  return total;
}

/** One institution's rates, penalty and score (before ranking). */
export function scoreOf(
  institutionId: string,
  figures: InstitutionScore['figures'],
  formula: PerformanceFormula,
): InstitutionScore {
  const passRate = ratio(figures.passed, figures.assessed);
  const certificateRate = ratio(figures.certified, figures.assessed);
  const employmentRate = ratio(figures.employed, figures.followedUp);
  const satisfaction = figures.surveys > 0 ? figures.satisfactionCentiSum / figures.surveys / 100 : null;
  const recoveredPct = figures.paidFen > 0 ? (100 * figures.recoveredFen) / figures.paidFen : null;
  const w = formula.weights;
  const parts: [Rate, number][] = [
    [passRate, w.passRate],
    [certificateRate, w.certificateRate],
    [employmentRate, w.employmentRate],
    [satisfaction === null ? null : (satisfaction - 1) / 4, w.satisfaction],
  ];
  const known = parts.filter(([rate, points]) => rate !== null && points > 0);
  const knownWeight = known.reduce((n, [, points]) => n + points, 0);
  const p = formula.penalties;
  const perClass = (n: number) => (figures.classes > 0 ? n / figures.classes : 0);
  const penalty = oneDecimal(
    p.perOverdueStepPerClass * perClass(figures.overdueSteps) +
      p.perUpheldObjectionPerClass * perClass(figures.objectionsUpheld) +
      p.perRecoveredPct * (recoveredPct ?? 0),
  );
  const rankable = figures.trainees >= formula.minTraineesToRank && knownWeight > 0;
  const raw = rankable
    ? (100 * known.reduce((n, [rate, points]) => n + (rate as number) * points, 0)) / knownWeight
    : null;
  return {
    institutionId,
    figures,
    passRate,
    certificateRate,
    employmentRate,
    satisfaction,
    recoveredPct,
    penalty,
    score: raw === null ? null : oneDecimal(Math.max(0, raw - penalty)),
    rank: null,
  };
}

/**
 * Every institution's score, best first: ranked ones by score (ties share a rank, then by id for a stable order),
 * then the ones with too few trainees to rank, by id.
 */
export function rankInstitutions(
  rows: readonly PerformanceFigures[],
  formula: PerformanceFormula,
): InstitutionScore[] {
  const byInstitution = groupBy(rows, (r) => r.institutionId);
  const scores = [...byInstitution].map(([id, own]) => scoreOf(id, sum(own), formula));
  const ranked = scores
    .filter((s) => s.score !== null)
    .sort(
      (a, b) => (b.score as number) - (a.score as number) || a.institutionId.localeCompare(b.institutionId),
    );
  let previous: InstitutionScore | undefined;
  ranked.forEach((s, i) => {
    s.rank = previous && previous.score === s.score ? previous.rank : i + 1;
    previous = s;
  });
  const unranked = scores
    .filter((s) => s.score === null)
    .sort((a, b) => a.institutionId.localeCompare(b.institutionId));
  return [...ranked, ...unranked];
}

export interface RateOutlier {
  kind: 'PASS_RATE_OUTLIER' | 'EMPLOYMENT_RATE_OUTLIER';
  institutionId: string;
  occupationCode: string;
  /** The institution's rate and its peers' median, in percent (one decimal). */
  ratePct: number;
  peerMedianPct: number;
  peers: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/**
 * Rates far above the peers in the same occupation: for each institution with enough trainees in an occupation, its
 * pass rate (over assessed) and employment rate (over followed up) against the median of the other institutions'
 * rates in that occupation that have enough trainees themselves.
 */
export function rateOutliers(
  rows: readonly PerformanceFigures[],
  formula: PerformanceFormula,
): RateOutlier[] {
  const { minPeers, minAssessed, pointsAboveMedian } = formula.outlier;
  const measures = [
    {
      kind: 'PASS_RATE_OUTLIER',
      part: (r: PerformanceFigures) => r.passed,
      whole: (r: PerformanceFigures) => r.assessed,
    },
    {
      kind: 'EMPLOYMENT_RATE_OUTLIER',
      part: (r: PerformanceFigures) => r.employed,
      whole: (r: PerformanceFigures) => r.followedUp,
    },
  ] as const;
  const byOccupation = groupBy(rows, (r) => r.occupationCode);
  const found: RateOutlier[] = [];
  for (const [occupationCode, group] of [...byOccupation].sort(([a], [b]) => a.localeCompare(b)))
    for (const m of measures) {
      const judged = group.filter((r) => m.whole(r) >= minAssessed);
      for (const row of judged) {
        const peers = judged.filter((r) => r.institutionId !== row.institutionId);
        if (peers.length < minPeers) continue;
        const ratePct = (100 * m.part(row)) / m.whole(row);
        const peerMedianPct = median(peers.map((r) => (100 * m.part(r)) / m.whole(r)));
        if (ratePct - peerMedianPct >= pointsAboveMedian)
          found.push({
            kind: m.kind,
            institutionId: row.institutionId,
            occupationCode,
            ratePct: oneDecimal(ratePct),
            peerMedianPct: oneDecimal(peerMedianPct),
            peers: peers.length,
          });
      }
    }
  return found.sort((a, b) => a.institutionId.localeCompare(b.institutionId) || a.kind.localeCompare(b.kind));
}

/** One enrolment as the overlap signal reads it: who, where, when. */
export interface EnrolmentSpan {
  personKey: string;
  classId: string;
  institutionId: string;
  plannedStart: string;
  plannedEnd: string;
}

export interface OverlapSignal {
  kind: 'OVERLAPPING_CLASSES';
  personKey: string;
  /** The two classes, at two institutions, whose training periods overlap. */
  first: { classId: string; institutionId: string };
  second: { classId: string; institutionId: string };
}

/**
 * The same person enrolled in classes at two institutions whose training periods overlap (dates inclusive). The
 * enrolment rules refuse this for new enrolments; here it finds what got through (data imported, a rule changed,
 * an institution acting for a person twice). One signal per pair of classes.
 */
export function overlappingEnrolments(spans: readonly EnrolmentSpan[]): OverlapSignal[] {
  const byPerson = groupBy(spans, (s) => s.personKey);
  const found: OverlapSignal[] = [];
  for (const [personKey, own] of byPerson) {
    const sorted = [...own].sort(
      (a, b) => a.plannedStart.localeCompare(b.plannedStart) || a.classId.localeCompare(b.classId),
    );
    sorted.forEach((a, i) => {
      for (const b of sorted.slice(i + 1)) {
        if (b.plannedStart > a.plannedEnd) break;
        if (a.institutionId === b.institutionId || a.classId === b.classId) continue;
        found.push({
          kind: 'OVERLAPPING_CLASSES',
          personKey,
          first: { classId: a.classId, institutionId: a.institutionId },
          second: { classId: b.classId, institutionId: b.institutionId },
        });
      }
    });
  }
  return found.sort(
    (x, y) =>
      x.first.classId.localeCompare(y.first.classId) || x.second.classId.localeCompare(y.second.classId),
  );
}

/** One lesson's attendance of one trainee. */
export interface AttendanceMark {
  classId: string;
  enrollmentId: string;
  lessonDate: string;
  lessonNo: number;
  status: string;
}

export interface RepeatedAttendanceSignal {
  kind: 'REPEATED_ATTENDANCE';
  classId: string;
  /** How many trainees share the pattern, and how many lessons it has a mark other than PRESENT in. */
  trainees: number;
  marked: number;
}

/**
 * Attendance sheets copied from one trainee to the next: in one class, the same pattern of marks over every lesson,
 * with at least one absence, lateness, early leave or leave, shared by `repeatedAttendanceMin` trainees or more.
 * (Everyone present at every lesson is a good class, not a signal.)
 */
export function repeatedAttendance(
  marks: readonly AttendanceMark[],
  formula: PerformanceFormula,
): RepeatedAttendanceSignal[] {
  const byTrainee = groupBy(marks, (m) => `${m.classId}\u0000${m.enrollmentId}`);
  const patterns = new Map<string, { classId: string; trainees: number; marked: number }>();
  for (const own of byTrainee.values()) {
    const sorted = [...own].sort(
      (a, b) => a.lessonDate.localeCompare(b.lessonDate) || a.lessonNo - b.lessonNo,
    );
    const marked = sorted.filter((m) => m.status !== 'PRESENT').length;
    const classId = sorted[0]?.classId;
    if (marked === 0 || classId === undefined) continue;
    const key = `${classId}\u0000${sorted.map((m) => `${m.lessonDate}#${m.lessonNo}=${m.status}`).join(',')}`;
    const seen = patterns.get(key) ?? { classId, trainees: 0, marked };
    seen.trainees += 1;
    patterns.set(key, seen);
  }
  return [...patterns.values()]
    .filter((p) => p.trainees >= formula.repeatedAttendanceMin)
    .map((p) => ({ kind: 'REPEATED_ATTENDANCE' as const, ...p }))
    .sort((a, b) => a.classId.localeCompare(b.classId) || b.trainees - a.trainees);
}

/** After training a trainee may answer the satisfaction survey, once: from assessment on, unless they withdrew. */
export const SURVEY_STAGES: readonly string[] = ['ASSESSMENT', 'FOLLOW_UP', 'NOTICE', 'PAYOUT', 'CLOSED'];
export type SurveyState = 'OPEN' | 'ANSWERED' | 'NOT_OPEN';

export function surveyState(stage: string | null, enrolment: string, answered: boolean): SurveyState {
  if (answered) return 'ANSWERED';
  return stage !== null && SURVEY_STAGES.includes(stage) && enrolment === 'ENROLLED' ? 'OPEN' : 'NOT_OPEN';
}
