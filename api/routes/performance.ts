// 培训绩效评估 (issue 16 point 4): the institutions ranked by the policy's formula for a period, with the warnings
// that start the fraud signals (api/performance.ts, domain/performance.ts); and the same ranking as a spreadsheet
// the bureau can pass on (the Zhaotong plan: the evaluation is reported and feeds the choice of institutions).
import { z } from 'zod';
import type { z as Z } from 'zod';
import type { Api } from '../http';
import { problems } from '../problem';
import { isoDate } from '../schemas';
import { PerformanceReportSchema } from '../responses';
import { performanceReport, type PerformancePeriod } from '../performance';
import { todayInShanghai } from '../planContext';
import { spreadsheetText } from '../../domain/text';
import { sheetReply, writeSheet, XLSX, type SheetColumn } from '../sheets';

export const PerformanceQuery = z.object({
  from: isoDate.optional().meta({ description: 'first day of the period; default 1 January of `to`’s year' }),
  to: isoDate.optional().meta({ description: 'last day of the period; default today (Asia/Shanghai)' }),
  district: z.string().min(1).max(40).optional(),
});

const READERS = ['MANAGER', 'CASEWORKER'] as const;
const PERIOD_REVERSED = { zh: '起始日期不能晚于截止日期', en: 'from must not be after to' };

function periodOf(query: Z.output<typeof PerformanceQuery>): PerformancePeriod {
  const to = query.to ?? todayInShanghai();
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to)
    throw problems.rule('PERIOD_REVERSED', PERIOD_REVERSED, [
      { path: 'from', code: 'PERIOD_REVERSED', message: PERIOD_REVERSED },
    ]);
  return { from, to, district: query.district };
}

type Report = Z.output<typeof PerformanceReportSchema>;
type Row = Report['institutions'][number] & { warnings: number };
const pct = (r: number | null) => (r === null ? '' : Math.round(r * 1000) / 10);
const COLUMNS: SheetColumn<Row>[] = [
  { header: '排名', en: 'Rank', width: 6, cell: (r) => r.rank ?? '样本不足' },
  {
    header: '培训机构',
    en: 'Institution',
    width: 32,
    cell: (r) => spreadsheetText(r.institutionName ?? r.institutionId),
  },
  { header: '机构编号', en: 'Institution id', width: 16, cell: (r) => r.institutionId },
  { header: '得分', en: 'Score', width: 8, cell: (r) => r.score ?? '' },
  { header: '班级数', en: 'Classes', width: 8, cell: (r) => r.figures.classes },
  { header: '学员数', en: 'Trainees', width: 8, cell: (r) => r.figures.trainees },
  { header: '合格率%', en: 'Pass rate %', width: 10, cell: (r) => pct(r.passRate) },
  { header: '取证率%', en: 'Certificate rate %', width: 10, cell: (r) => pct(r.certificateRate) },
  { header: '就业率%', en: 'Employment rate %', width: 10, cell: (r) => pct(r.employmentRate) },
  {
    header: '满意度',
    en: 'Satisfaction (1–5)',
    width: 10,
    cell: (r) => (r.satisfaction === null ? '' : Math.round(r.satisfaction * 100) / 100),
  },
  { header: '问卷数', en: 'Surveys', width: 8, cell: (r) => r.figures.surveys },
  { header: '逾期环节', en: 'Overdue steps', width: 10, cell: (r) => r.figures.overdueSteps },
  { header: '异议成立', en: 'Objections upheld', width: 10, cell: (r) => r.figures.objectionsUpheld },
  {
    header: '追回金额（元）',
    en: 'Recovered (yuan)',
    width: 14,
    cell: (r) => r.figures.recoveredFen / 100,
    numFmt: '#,##0.00',
  },
  { header: '扣分', en: 'Penalty', width: 8, cell: (r) => r.penalty },
  { header: '预警', en: 'Warnings', width: 8, cell: (r) => r.warnings },
];

/** How many warnings name the institution: rates far above its peers, and overlaps with one of its classes. */
export function warningsOf(report: Report, institutionId: string): number {
  const w = report.warnings;
  return (
    w.rateOutliers.filter((o) => o.institutionId === institutionId).length +
    w.overlappingClasses.shown.filter(
      (o) => o.first.institutionId === institutionId || o.second.institutionId === institutionId,
    ).length
  );
}

export function performanceRoutes(api: Api): void {
  api.get(
    '/performance',
    {
      tag: 'dashboard',
      summary: '培训绩效评估 Institutions ranked by their training results',
      description:
        'Per institution, the classes whose training ended in the period (from–to, default this year to date; a district narrows it): trainees, pass, certificate and employment rates, the trainees’ satisfaction (survey 1–5), overdue steps the institution caused, objections upheld, money recovered; a score by the formula of the policy in force on `to` (weights and penalties as policy data), and the rank (institutions with too few trainees are listed unranked). Warnings: a pass or employment rate far above the peers of the same occupation, the same person in overlapping classes at two institutions (masked), and one attendance pattern shared by many trainees of a class.',
      access: READERS,
      query: PerformanceQuery,
      responses: { 200: { description: 'The report', schema: PerformanceReportSchema } },
      refusals: { 422: 'a period whose `from` is after its `to` (PERIOD_REVERSED, path from)' },
    },
    async ({ deps, query }) => ({ json: await performanceReport(deps, periodOf(query)) }),
  );

  api.get(
    '/performance/export',
    {
      tag: 'dashboard',
      summary: '绩效评估导出 The ranking as a spreadsheet (xlsx)',
      description:
        'The same period and district as GET /performance: one row per institution in rank order, its figures, rates, score and how many warnings name it.',
      access: READERS,
      query: PerformanceQuery,
      responses: { 200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX } },
      refusals: { 422: 'a period whose `from` is after its `to` (PERIOD_REVERSED, path from)' },
    },
    async ({ deps, query }) => {
      const report = await performanceReport(deps, periodOf(query));
      const rows = report.institutions.map((r) => ({ ...r, warnings: warningsOf(report, r.institutionId) }));
      return sheetReply(await writeSheet('绩效评估', COLUMNS, rows), 'performance');
    },
  );
}
