// 科室负责人看板: counts per stage, rates, money and the monthly trends from the counters the projection keeps
// (ClassTally, StageTally, TaskTally: platform/tallies.ts), so any view filtered by district, institution or
// period sums a few hundred rows; open tasks and their ageing from the per-day task counters (plus the tasks of
// the day each ageing edge falls on); overdue tasks per caseworker; and the stuck cases (overdue, escalated) from
// the (overdue, dueAt) index with the reason in words (domain/overdue.ts). Memoised per filter for a few seconds:
// a dashboard need not be live to the ms.
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { overdueReason } from '../../domain/overdue';
import type { Api } from '../http';
import { DashboardSummarySchema } from '../responses';
import { STAGES, type Stage } from '../../workflows/messages';
import type { AppDeps } from '../context';
import type { HotReader } from '../hotRead';
import { id } from '../schemas';
import { problems } from '../problem';

const PERIOD_REVERSED = { zh: '起始月份不能晚于截止月份', en: 'from must not be after to' };
import { tallyMonth } from '../../domain/tally';

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .meta({ examples: ['2026-11'] });

const DAY = 86_400_000;
const AGEING = [
  { bucket: '<1d', days: 1 },
  { bucket: '1-3d', days: 3 },
  { bucket: '3-7d', days: 7 },
  { bucket: '7-30d', days: 30 },
] as const;

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);

export const DashboardQuery = z.object({
  district: z.string().min(1).max(40).optional(),
  institutionId: id.optional(),
  from: month.optional(),
  to: month.optional(),
});
export type DashboardFilter = z.output<typeof DashboardQuery>;

/** The 12 months that end with `to` (YYYY-MM), oldest first. */
export function monthsEndingWith(to: string, count = 12): string[] {
  const [y, m] = to.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) - (count - 1 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

/**
 * Open, overdue and escalated tasks of a place, and how many were opened since each ageing edge: from the
 * counters per opening day (TaskTally), plus, for the day each edge falls on, the tasks opened that day after the
 * edge (a range of one day on the Task index). Exact, and a few hundred rows whatever the place. The queries,
 * and how to count from their rows.
 */
function openTaskQueries(place: Prisma.Sql[], edges: Date[]) {
  const days = edges.map((e) => e.toISOString().slice(0, 10));
  const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY);
  const placeAnd = place.length ? Prisma.sql`AND ${Prisma.join(place, ' AND ')}` : Prisma.empty;
  const queries = [
    Prisma.sql`
      SELECT SUM("open") AS "open", SUM("overdue") AS "overdue", SUM("escalated") AS "escalated",
             ${Prisma.join(
               days.map(
                 (d, i) =>
                   Prisma.sql`SUM(CASE WHEN "day" > ${d} THEN "open" ELSE 0 END) AS ${Prisma.raw(`"after${i}"`)}`,
               ),
               ', ',
             )}
      FROM "TaskTally" ${place.length ? Prisma.sql`WHERE ${Prisma.join(place, ' AND ')}` : Prisma.empty}`,
    ...edges.map(
      (edge, i) => Prisma.sql`
        SELECT COUNT(*) AS "n" FROM "Task"
        WHERE "status" = 'OPEN' ${placeAnd} AND "createdAt" >= ${edge} AND "createdAt" < ${nextDay(days[i]!)}`,
    ),
  ];
  /** the counts from the queries' rows, in the queries' order */
  const counts = ([tally, ...partial]: Record<string, unknown>[][]): Record<string, number> => {
    const row = tally?.[0] ?? {};
    const open = n(row.open);
    // opened since edge i (the edges go back in time: 1, 3, 7, 30 days)
    const since = edges.map((_, i) => n(row[`after${i}`]) + n(partial[i]?.[0]?.n));
    const out: Record<string, number> = { open, overdue: n(row.overdue), escalated: n(row.escalated) };
    out.a0 = since[0]!;
    for (let i = 1; i < edges.length; i++) out[`a${i}`] = since[i]! - since[i - 1]!;
    out[`a${edges.length}`] = open - since[edges.length - 1]!;
    return out;
  };
  return { queries, counts };
}

export async function dashboardSummary(
  deps: AppDeps,
  hot: HotReader,
  filter: DashboardFilter = {},
): Promise<z.output<typeof DashboardSummarySchema>> {
  const now = Date.now();
  const edges = AGEING.map((a) => new Date(now - a.days * DAY));
  const { district, institutionId, from, to } = filter;
  const place = (alias = '') => {
    const a = Prisma.raw(alias ? `${alias}.` : '');
    return [
      ...(district ? [Prisma.sql`${a}"district" = ${district}`] : []),
      ...(institutionId ? [Prisma.sql`${a}"institutionId" = ${institutionId}`] : []),
    ];
  };
  const where = (parts: Prisma.Sql[]) =>
    parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
  const and = (parts: Prisma.Sql[]) =>
    parts.length ? Prisma.sql`AND ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
  const period = [
    ...(from ? [Prisma.sql`"month" >= ${from}`] : []),
    ...(to ? [Prisma.sql`"month" <= ${to}`] : []),
  ];
  // Filtered by place, the (status, place, overdue, assignee) index reads only the place's overdue tasks; the
  // planner prefers it to the city's (status, overdue) index as it matches one more column.
  const overdueTask = Prisma.sql`t."overdue" = ${true}`;
  const trendMonths = monthsEndingWith(to ?? tallyMonth(new Date(now).toISOString()));
  const tasks = openTaskQueries(place(), edges);
  // One message to the read thread: the event loop serves other requests while the aggregates run.
  const [
    stageRows = [],
    byAssignee = [],
    totals = [],
    trendRows = [],
    perInstitution = [],
    stuck = [],
    ...taskRows
  ] = await hot.offThreadAll([
    Prisma.sql`
      SELECT "stage", SUM("count") AS "count", SUM("overdue") AS "overdue", SUM("escalated") AS "escalated"
      FROM "StageTally" ${where(place())} GROUP BY "stage"`,
    Prisma.sql`
      SELECT g."assignee", u."displayName" AS "name", g."overdue" FROM (
        SELECT t."assignee", COUNT(*) AS "overdue" FROM "Task" t
        WHERE t."status" = 'OPEN' AND ${overdueTask} ${and(place('t'))}
        GROUP BY t."assignee") g
      LEFT JOIN "User" u ON u."id" = g."assignee"
      ORDER BY g."overdue" DESC, CASE WHEN g."assignee" IS NULL THEN 1 ELSE 0 END, g."assignee" LIMIT 50`,
    Prisma.sql`
      SELECT SUM("assessed") AS "assessed", SUM("passed") AS "passed", SUM("certified") AS "certified",
             SUM("followedUp") AS "followedUp", SUM("employed") AS "employed",
             SUM("advancedFen") AS "advancedFen", SUM("paidFen") AS "paidFen", SUM("recoveredFen") AS "recoveredFen"
      FROM "ClassTally" ${where([...place(), ...period])}`,
    Prisma.sql`
      SELECT "month", SUM("opened") AS "opened", SUM("closed") AS "closed", SUM("paidFen") AS "paidFen"
      FROM "ClassTally"
      ${where([...place(), Prisma.sql`"month" >= ${trendMonths[0]}`, Prisma.sql`"month" <= ${trendMonths.at(-1)}`])}
      GROUP BY "month"`,
    Prisma.sql`
      SELECT t."institutionId", i."name", SUM(t."opened") AS "opened", SUM(t."assessed") AS "assessed",
             SUM(t."passed") AS "passed", SUM(t."certified") AS "certified",
             SUM(t."followedUp") AS "followedUp", SUM(t."employed") AS "employed"
      FROM "ClassTally" t LEFT JOIN "Institution" i ON i."id" = t."institutionId"
      ${where([...place('t'), ...period.map((p) => Prisma.sql`t.${p}`)])}
      GROUP BY t."institutionId", i."name" ORDER BY t."institutionId"`,
    // The task that holds the case is the one on the class's clock (same due time), else its most overdue open
    // task (a lagging read model); names joined for the reason.
    Prisma.sql`
      SELECT c."id", c."title", c."stage", c."escalated", c."stageSince", c."dueAt",
             c."institutionId", i."name" AS "institutionName",
             c."assessmentBodyId", ab."name" AS "assessmentBodyName",
             COALESCE(
               (SELECT t."kind" FROM "Task" t WHERE t."classId" = c."id" AND t."status" = 'OPEN'
                 AND t."dueAt" = c."dueAt" LIMIT 1),
               (SELECT t."kind" FROM "Task" t WHERE t."classId" = c."id" AND t."status" = 'OPEN'
                 ORDER BY t."overdue" DESC, t."dueAt" ASC LIMIT 1)) AS "taskKind"
      FROM "TrainingClass" c
      LEFT JOIN "Institution" i ON i."id" = c."institutionId"
      LEFT JOIN "Institution" ab ON ab."id" = c."assessmentBodyId"
      WHERE c."overdue" = ${true} ${and(place('c'))}
      ORDER BY c."dueAt" ASC LIMIT 20`,
    ...tasks.queries,
  ]);
  const t = tasks.counts(taskRows);
  const c = totals[0] ?? {};
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const trend = new Map(trendRows.map((r) => [String(r.month), r]));
  // in the order a case walks them (GROUP BY gives none, and PostgreSQL's differs from SQLite's)
  const stages = stageRows
    .filter((r) => n(r.count) > 0)
    .sort((a, b) => STAGES.indexOf(a.stage as Stage) - STAGES.indexOf(b.stage as Stage));
  return {
    filter: {
      district: district ?? null,
      institutionId: institutionId ?? null,
      from: from ?? null,
      to: to ?? null,
    },
    stages: Object.fromEntries(stages.map((r) => [String(r.stage), n(r.count)])),
    openTasks: n(t.open),
    overdueTasks: n(t.overdue),
    escalatedTasks: n(t.escalated),
    stuck: stuck.map((s) => {
      const escalated = Boolean(n(s.escalated));
      const dueAt = iso(s.dueAt);
      return {
        classId: String(s.id),
        title: String(s.title),
        stage: s.stage as Stage,
        reason: `${escalated ? 'ESCALATED' : 'OVERDUE'}${s.taskKind ? `:${String(s.taskKind)}` : ''}`,
        overdueReason: s.taskKind
          ? overdueReason({
              kind: String(s.taskKind),
              dueAt,
              escalated,
              institution: { id: String(s.institutionId), name: text(s.institutionName) },
              assessmentBody: { id: String(s.assessmentBodyId ?? ''), name: text(s.assessmentBodyName) },
            })
          : null,
        since: iso(s.stageSince),
        dueAt,
      };
    }),
    ageing: [...AGEING.map((a) => a.bucket), '>30d'].map((bucket, i) => ({ bucket, count: n(t[`a${i}`]) })),
    rates: {
      pass: ratio(n(c.passed), n(c.assessed)),
      certificate: ratio(n(c.certified), n(c.assessed)),
      employment: ratio(n(c.employed), n(c.followedUp)),
    },
    money: { advancedFen: n(c.advancedFen), paidFen: n(c.paidFen), recoveredFen: n(c.recoveredFen) },
    trends: trendMonths.map((month) => {
      const r = trend.get(month);
      return { month, opened: n(r?.opened), closed: n(r?.closed), paidFen: n(r?.paidFen) };
    }),
    institutions: perInstitution.map((r) => ({
      institutionId: String(r.institutionId),
      name: text(r.name),
      opened: n(r.opened),
      assessed: n(r.assessed),
      passed: n(r.passed),
      certified: n(r.certified),
      followedUp: n(r.followedUp),
      employed: n(r.employed),
      rates: {
        pass: ratio(n(r.passed), n(r.assessed)),
        certificate: ratio(n(r.certified), n(r.assessed)),
        employment: ratio(n(r.employed), n(r.followedUp)),
      },
    })),
    overdueByStage: stages
      .filter((r) => n(r.overdue) > 0)
      .map((r) => ({ stage: r.stage as Stage, overdue: n(r.overdue), escalated: n(r.escalated) })),
    overdueByAssignee: byAssignee.map((r) => ({
      assignee: text(r.assignee),
      name: text(r.name),
      overdue: n(r.overdue),
    })),
    generatedAt: new Date(now).toISOString(),
  };
}

export function dashboardRoutes(api: Api) {
  const ttl = api.deps.dashboardCacheMs ?? 5_000;
  /** per filter; the oldest goes first once 200 filters are remembered */
  const memo = new Map<
    string,
    { until: number; value: Promise<Awaited<ReturnType<typeof dashboardSummary>>> }
  >();
  api.get(
    '/dashboard/summary',
    {
      tag: 'dashboard',
      summary: '看板 Dashboard summary',
      description:
        'Counts per stage, open/overdue/escalated tasks, stuck cases with the reason (a code, and in words: who has not acted and since when), ageing of open tasks, pass/certificate/employment rates and money advanced/paid/recovered, the 12 months up to `to` (cases opened and ended, money paid), the same rates per institution, and overdue cases per stage and overdue tasks per caseworker. Filters: district, institutionId, and a period of months (`from`, `to`, YYYY-MM, Asia/Shanghai) for the rates, money and per-institution figures. At most a few seconds old (`generatedAt`).',
      access: ['MANAGER', 'CASEWORKER', 'FINANCE'],
      query: DashboardQuery,
      responses: { 200: { description: 'The summary', schema: DashboardSummarySchema } },
      refusals: { 422: 'a period whose `from` is after its `to` (PERIOD_REVERSED, errors[].path = from)' },
    },
    async ({ deps, services, query }) => {
      const now = Date.now();
      if (query.from && query.to && query.from > query.to)
        throw problems.rule('PERIOD_REVERSED', PERIOD_REVERSED, [
          { path: 'from', code: 'PERIOD_REVERSED', message: PERIOD_REVERSED },
        ]);
      const key = JSON.stringify([query.district, query.institutionId, query.from, query.to]);
      let hit = memo.get(key);
      if (!hit || hit.until <= now) {
        const value = dashboardSummary(deps, services.hot, query);
        hit = { until: now + ttl, value };
        memo.delete(key);
        memo.set(key, hit);
        if (memo.size > 200) memo.delete(memo.keys().next().value!);
        value.catch(() => memo.delete(key));
      }
      return { json: await hit.value };
    },
  );
}
