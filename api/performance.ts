// 培训绩效评估 (issue 16 point 4): the institutions' performance report for a period, read from the read model and
// scored by the formula of the policy in force (domain/performance.ts). The classes counted are those whose training
// ended (plannedEnd) in the period and that trained (a class rejected, cancelled or never started is not a result).
// The warnings read only what can hold one: persons enrolled at two or more institutions in the period, marks other
// than present — so a year of a city's classes is a few queries, not every enrolment and attendance row.
import { Prisma } from '@prisma/client';
import type { z } from 'zod';
import type { AppDeps } from './context';
import type { PerformanceReportSchema } from './responses';
import { policyInForce } from './planContext';
import { flowsOf } from '../domain/tally';
import {
  EMPTY_FIGURES,
  overlappingEnrolments,
  performanceFormulaOf,
  rankInstitutions,
  rateOutliers,
  repeatedAttendance,
  type EnrolmentSpan,
  type PerformanceFigures,
} from '../domain/performance';
import { maskedIdentity } from './personRecord';

/** The stages of a class that trained: its results count. */
export const TRAINED_STAGES = ['TRAINING', 'ASSESSMENT', 'FOLLOW_UP', 'NOTICE', 'PAYOUT', 'CLOSED'];
/** The most warnings of one kind the report lists (the count says how many there were). */
export const SIGNALS_SHOWN = 200;
const CHUNK = 500;

export interface PerformancePeriod {
  from: string;
  to: string;
  district?: string;
}

function chunks<T>(items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );
}

export async function performanceReport(
  deps: AppDeps,
  period: PerformancePeriod,
): Promise<z.output<typeof PerformanceReportSchema>> {
  const policy = await policyInForce(deps, period.to);
  const formula = performanceFormulaOf(policy);
  const classes = await deps.db.trainingClass.findMany({
    where: {
      plannedEnd: { gte: period.from, lte: period.to },
      stage: { in: TRAINED_STAGES },
      ...(period.district ? { district: period.district } : {}),
    },
    select: {
      id: true,
      institutionId: true,
      occupationCode: true,
      stage: true,
      overdue: true,
      escalated: true,
      traineeCount: true,
      passedCount: true,
      certifiedCount: true,
      employedCount: true,
      advancedFen: true,
      paidFen: true,
      recoveredFen: true,
    },
  });
  const classIds = classes.map((c) => c.id);
  const inPeriod = new Set(classIds);
  const [lateSteps, upheld, surveys, marks] = await Promise.all([
    // the steps the institution itself was late with (its tasks that went overdue); the flag stays once set
    deps.db.task.findMany({ where: { role: 'INSTITUTION', overdue: true }, select: { classId: true } }),
    deps.db.objection.findMany({ where: { status: 'UPHELD' }, select: { classId: true } }),
    Promise.all(
      chunks(classIds).map((ids) =>
        deps.db.satisfactionSurvey.groupBy({
          by: ['classId'],
          where: { classId: { in: ids } },
          _count: { _all: true },
          _sum: { teaching: true, practice: true, overall: true },
        }),
      ),
    ).then((parts) => parts.flat()),
    Promise.all(
      chunks(classIds).map((ids) =>
        deps.db.attendanceRecord.findMany({
          where: { classId: { in: ids }, status: { not: 'PRESENT' } },
          select: { classId: true, enrollmentId: true, lessonDate: true, lessonNo: true, status: true },
        }),
      ),
    ).then((parts) => parts.flat()),
  ]);
  const countBy = (rows: { classId: string }[]) => {
    const counts = new Map<string, number>();
    for (const r of rows)
      if (inPeriod.has(r.classId)) counts.set(r.classId, (counts.get(r.classId) ?? 0) + 1);
    return counts;
  };
  const late = countBy(lateSteps);
  const objections = countBy(upheld);
  const survey = new Map(surveys.map((s) => [s.classId, s]));

  const rows: PerformanceFigures[] = [];
  const byKey = new Map<string, PerformanceFigures>();
  for (const c of classes) {
    const key = `${c.institutionId}\u0000${c.occupationCode}`;
    let row = byKey.get(key);
    if (!row) {
      row = { institutionId: c.institutionId, occupationCode: c.occupationCode, ...EMPTY_FIGURES };
      byKey.set(key, row);
      rows.push(row);
    }
    const flows = flowsOf(c);
    const s = survey.get(c.id);
    const answered = s?._count._all ?? 0;
    row.classes += 1;
    row.trainees += c.traineeCount;
    row.assessed += flows.assessed;
    row.passed += flows.passed;
    row.certified += flows.certified;
    row.followedUp += flows.followedUp;
    row.employed += flows.employed;
    row.overdueSteps += late.get(c.id) ?? 0;
    row.objectionsUpheld += objections.get(c.id) ?? 0;
    row.paidFen += c.paidFen;
    row.recoveredFen += c.recoveredFen;
    row.surveys += answered;
    // each answer's mean of its three scores, ×100: the sum of all scores × 100 / 3
    row.satisfactionCentiSum += Math.round(
      (100 * ((s?._sum.teaching ?? 0) + (s?._sum.practice ?? 0) + (s?._sum.overall ?? 0))) / 3,
    );
  }

  const ranking = rankInstitutions(rows, formula);
  const outliers = rateOutliers(rows, formula);
  const overlaps = overlappingEnrolments(await spansOfPeopleAtTwoInstitutions(deps, period));
  const copied = repeatedAttendance(marks, formula);

  const institutionIds = [
    ...new Set([
      ...ranking.map((r) => r.institutionId),
      ...overlaps.flatMap((o) => [o.first.institutionId, o.second.institutionId]),
    ]),
  ];
  const [institutions, occupations, people] = await Promise.all([
    deps.db.institution.findMany({ where: { id: { in: institutionIds } }, select: { id: true, name: true } }),
    deps.db.occupation.findMany({
      where: { code: { in: [...new Set(outliers.map((o) => o.occupationCode))] } },
      select: { code: true, nameZh: true, nameEn: true },
    }),
    deps.db.person.findMany({
      where: { personKey: { in: [...new Set(overlaps.slice(0, SIGNALS_SHOWN).map((o) => o.personKey))] } },
      select: { personKey: true, nameEnc: true, idNumberEnc: true },
    }),
  ]);
  const institutionName = new Map(institutions.map((i) => [i.id, i.name]));
  const occupationName = new Map(occupations.map((o) => [o.code, { zh: o.nameZh, en: o.nameEn }]));
  const masked = new Map(people.map((p) => [p.personKey, maskedIdentity(deps, p)]));
  const named = (id: string) => ({ institutionId: id, institutionName: institutionName.get(id) ?? null });

  return {
    period: { from: period.from, to: period.to, district: period.district ?? null },
    policyVersionId: policy.id,
    formula,
    institutions: ranking.map((r) => ({ ...named(r.institutionId), ...r })),
    warnings: {
      rateOutliers: outliers.map((o) => ({
        ...o,
        ...named(o.institutionId),
        occupationName: occupationName.get(o.occupationCode) ?? null,
      })),
      overlappingClasses: {
        count: overlaps.length,
        shown: overlaps.slice(0, SIGNALS_SHOWN).map((o) => ({
          kind: o.kind,
          person: masked.get(o.personKey) ?? { nameMasked: '', idMasked: '' },
          first: { ...o.first, institutionName: institutionName.get(o.first.institutionId) ?? null },
          second: { ...o.second, institutionName: institutionName.get(o.second.institutionId) ?? null },
        })),
      },
      repeatedAttendance: { count: copied.length, shown: copied.slice(0, SIGNALS_SHOWN) },
    },
    generatedAt: new Date(),
  };
}

/**
 * The enrolments (not withdrawn) of everyone enrolled at two or more institutions in classes of the period — the only
 * people an overlap can be about — with their classes' dates. One grouped query finds them, a second reads their spans.
 */
async function spansOfPeopleAtTwoInstitutions(
  deps: AppDeps,
  period: PerformancePeriod,
): Promise<EnrolmentSpan[]> {
  const district = period.district ? Prisma.sql`AND c."district" = ${period.district}` : Prisma.empty;
  const people = await deps.db.$queryRaw<{ personKey: string }[]>(Prisma.sql`
    SELECT e."personKey" AS "personKey"
    FROM "Enrollment" e JOIN "TrainingClass" c ON c."id" = e."classId"
    WHERE e."status" = 'ENROLLED' AND c."plannedEnd" >= ${period.from} AND c."plannedStart" <= ${period.to}
      AND c."stage" IN (${Prisma.join(TRAINED_STAGES)}) ${district}
    GROUP BY e."personKey"
    HAVING COUNT(DISTINCT c."institutionId") > 1`);
  const spans: EnrolmentSpan[] = [];
  for (const keys of chunks(people.map((p) => p.personKey))) {
    const enrolments = await deps.db.enrollment.findMany({
      where: { personKey: { in: keys }, status: 'ENROLLED' },
      select: { personKey: true, classId: true },
    });
    const classes = await deps.db.trainingClass.findMany({
      where: {
        id: { in: [...new Set(enrolments.map((e) => e.classId))] },
        stage: { in: TRAINED_STAGES },
        plannedEnd: { gte: period.from },
        plannedStart: { lte: period.to },
      },
      select: { id: true, institutionId: true, plannedStart: true, plannedEnd: true },
    });
    const byId = new Map(classes.map((c) => [c.id, c]));
    for (const e of enrolments) {
      const c = byId.get(e.classId);
      if (c)
        spans.push({
          personKey: e.personKey,
          classId: c.id,
          institutionId: c.institutionId,
          plannedStart: c.plannedStart,
          plannedEnd: c.plannedEnd,
        });
    }
  }
  return spans;
}
