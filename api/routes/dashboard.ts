// 科室负责人看板: counts per stage from the maintained StageCount rows, task counts and ageing in one
// aggregate over open tasks, rates and money in one aggregate over classes, and the stuck cases (overdue,
// escalated) from the (overdue, dueAt) index with the reason in words (domain/overdue.ts). Memoised for a few
// seconds: a dashboard need not be live to the ms.
import { Prisma } from '@prisma/client';
import type { z } from 'zod';
import { overdueReason } from '../../domain/overdue';
import type { Api } from '../http';
import { DashboardSummarySchema } from '../responses';
import type { Stage } from '../../workflows/messages';
import type { AppDeps } from '../context';
import type { HotReader } from '../hotRead';

const DAY = 86_400_000;
const AGEING = [
  { bucket: '<1d', days: 1 },
  { bucket: '1-3d', days: 3 },
  { bucket: '3-7d', days: 7 },
  { bucket: '7-30d', days: 30 },
] as const;

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);

export async function dashboardSummary(
  deps: AppDeps,
  hot: HotReader,
): Promise<z.output<typeof DashboardSummarySchema>> {
  const now = Date.now();
  const edges = AGEING.map((a) => new Date(now - a.days * DAY));
  const [stages, taskAgg, classAgg, stuck] = await Promise.all([
    deps.db.stageCount.findMany(),
    hot.offThread(Prisma.sql`
      SELECT COUNT(*) AS "open",
             SUM(CASE WHEN "overdue" THEN 1 ELSE 0 END) AS "overdue",
             SUM(CASE WHEN "escalated" THEN 1 ELSE 0 END) AS "escalated",
             SUM(CASE WHEN "createdAt" >= ${edges[0]} THEN 1 ELSE 0 END) AS "a0",
             SUM(CASE WHEN "createdAt" < ${edges[0]} AND "createdAt" >= ${edges[1]} THEN 1 ELSE 0 END) AS "a1",
             SUM(CASE WHEN "createdAt" < ${edges[1]} AND "createdAt" >= ${edges[2]} THEN 1 ELSE 0 END) AS "a2",
             SUM(CASE WHEN "createdAt" < ${edges[2]} AND "createdAt" >= ${edges[3]} THEN 1 ELSE 0 END) AS "a3",
             SUM(CASE WHEN "createdAt" < ${edges[3]} THEN 1 ELSE 0 END) AS "a4"
      FROM "Task" WHERE "status" = 'OPEN'`),
    hot.offThread(Prisma.sql`
      SELECT SUM(CASE WHEN "stage" IN ('FOLLOW_UP','NOTICE','PAYOUT','CLOSED') THEN "traineeCount" ELSE 0 END) AS "assessed",
             SUM(CASE WHEN "stage" IN ('FOLLOW_UP','NOTICE','PAYOUT','CLOSED') THEN "passedCount" ELSE 0 END) AS "passed",
             SUM(CASE WHEN "stage" IN ('FOLLOW_UP','NOTICE','PAYOUT','CLOSED') THEN "certifiedCount" ELSE 0 END) AS "certified",
             SUM(CASE WHEN "stage" IN ('NOTICE','PAYOUT','CLOSED') THEN "passedCount" ELSE 0 END) AS "followedUp",
             SUM(CASE WHEN "stage" IN ('NOTICE','PAYOUT','CLOSED') THEN "employedCount" ELSE 0 END) AS "employed",
             SUM("advancedFen") AS "advancedFen", SUM("paidFen") AS "paidFen", SUM("recoveredFen") AS "recoveredFen"
      FROM "TrainingClass"`),
    // The task that holds the case is the one on the class's clock (same due time), else its most overdue open
    // task (a lagging read model); names joined for the reason.
    hot.all(Prisma.sql`
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
      WHERE c."overdue" = ${true}
      ORDER BY c."dueAt" ASC LIMIT 20`),
  ]);
  const t = taskAgg[0] ?? {};
  const c = classAgg[0] ?? {};
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    stages: Object.fromEntries(stages.map((s) => [s.stage, s.count])),
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
    generatedAt: new Date(now).toISOString(),
  };
}

export function dashboardRoutes(api: Api) {
  const ttl = api.deps.dashboardCacheMs ?? 5_000;
  let memo: { until: number; value: Promise<Awaited<ReturnType<typeof dashboardSummary>>> } | undefined;
  api.get(
    '/dashboard/summary',
    {
      tag: 'dashboard',
      summary: '看板 Dashboard summary',
      description:
        'Counts per stage, open/overdue/escalated tasks, stuck cases with the reason (a code, and in words: who has not acted and since when), ageing of open tasks, pass/certificate/employment rates and money advanced/paid/recovered. At most a few seconds old.',
      access: ['MANAGER', 'CASEWORKER', 'FINANCE'],
      responses: { 200: { description: 'The summary', schema: DashboardSummarySchema } },
    },
    async ({ deps, services }) => {
      const now = Date.now();
      if (!memo || memo.until <= now) {
        const value = dashboardSummary(deps, services.hot);
        memo = { until: now + ttl, value };
        value.catch(() => (memo = undefined));
      }
      return { json: await memo.value };
    },
  );
}
