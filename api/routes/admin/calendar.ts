// 工作日历: the working-day calendar. Entering holidays signals every open class so its deadlines are recomputed.
import type { Api } from '../../http';
import { pageOf, planList, prismaKeyset } from '../../pagination';
import { CalendarBody } from '../../schemas';
import { CalendarEntered, CalendarPage, CalendarYear } from '../../responses';
import { problems } from '../../problem';
import { calendarChangedSignal, OPEN_STAGES } from '../../../workflows/messages';
import { ADMIN, listQuery } from './shared';
import { loadCalendar } from '../../../platform/catalogue';
import { PACKAGE_YEARS, unannouncedYearsAhead } from '../../../domain/calendar';
import { todayInShanghai } from '../../planContext';

/** The years a calendar page may be asked for: the package's first year to a century on. */
const YEAR = /^(19|20|21)\d\d$/;

const SIGNAL_CONCURRENCY = 16;

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < items.length; i += size) {
    const results = await Promise.allSettled(items.slice(i, i + size).map(run));
    for (const r of results) {
      if (r.status === 'fulfilled') ok++;
      else failed++;
    }
  }
  return { ok, failed };
}

export function calendarRoutes(api: Api) {
  api.get(
    '/admin/calendar',
    {
      tag: 'admin',
      summary: '工作日历 Calendar entries and announced years',
      access: ADMIN,
      query: listQuery,
      responses: { 200: { description: 'A page of entries, and the announced years', schema: CalendarPage } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, { date: { column: 'date', type: 'string' } }, 'date');
      const ks = prismaKeyset(plan, 'date');
      const [rows, years, calendar] = await Promise.all([
        deps.db.calendarDay.findMany({ where: ks.where, orderBy: ks.orderBy as never, take: ks.take }),
        deps.db.calendarYear.findMany({ orderBy: { year: 'asc' } }),
        loadCalendar(deps.db),
      ]);
      const page = pageOf(
        rows.map((r) => ({ id: r.date, ...r, kind: r.kind as 'HOLIDAY' | 'WORKDAY' })),
        plan,
        (r) => r.date,
      );
      return {
        json: {
          ...page,
          announcedYears: years.map((y) => y.year),
          packageYears: { from: Math.min(...PACKAGE_YEARS), to: Math.max(...PACKAGE_YEARS) },
          unannouncedYears: unannouncedYearsAhead(calendar, todayInShanghai()),
        },
      };
    },
  );
  api.get(
    '/admin/calendar/years/:year',
    {
      tag: 'admin',
      summary: '年度放假安排 One year as the calendar counts it',
      description:
        'The holidays and make-up working days of one year, preloaded from the calendar library or entered by an administrator, and the working days they leave. A year not announced shows the provisional rule deadlines use until it is.',
      access: ADMIN,
      responses: { 200: { description: 'The year', schema: CalendarYear } },
      refusals: { 404: 'not a year (YYYY, 1900–2199)' },
    },
    async ({ params, deps }) => {
      if (!YEAR.test(params.year ?? ''))
        throw problems.notFound({ zh: '年份须为四位数字', en: 'A year is four digits' });
      const year = Number(params.year);
      const calendar = await loadCalendar(deps.db);
      const days = calendar.arrangement(year).map((d) => ({ ...d, name: d.name ?? null }));
      return {
        json: {
          year,
          source: calendar.yearSource(year),
          workingDays: calendar.workingDaysIn(year),
          days,
        },
      };
    },
  );
  api.post(
    '/admin/calendar',
    {
      tag: 'admin',
      summary: '录入节假日安排 Enter holidays, make-up working days and announced years',
      description: 'Every open class workflow is signalled so its deadlines are recomputed.',
      access: ADMIN,
      body: CalendarBody,
      responses: { 200: { description: 'Entered; open classes signalled', schema: CalendarEntered } },
      refusals: { 400: 'nothing to enter (no entries and no announcedYears)' },
    },
    async ({ body, principal, deps }) => {
      // Nothing to enter must not signal every open class for nothing.
      if (!body.entries.length && !body.announcedYears.length)
        throw problems.badRequest(
          'CALENDAR_CHANGE_EMPTY',
          {
            zh: '没有要录入的内容：请给出entries（日期）或announcedYears（已公布年份）',
            en: 'Nothing to enter: give entries (days) or announcedYears',
          },
          [
            {
              path: 'entries',
              code: 'CALENDAR_CHANGE_EMPTY',
              message: { zh: '至少录入一天或一个年份', en: 'Enter at least one day or year' },
            },
          ],
        );
      await deps.db.$transaction([
        ...body.entries.map((e) =>
          deps.db.calendarDay.upsert({
            where: { date: e.date },
            create: { date: e.date, kind: e.kind, name: e.name ?? null, createdBy: principal!.userId },
            update: { kind: e.kind, name: e.name ?? null, createdBy: principal!.userId },
          }),
        ),
        ...body.announcedYears.map((year) =>
          deps.db.calendarYear.upsert({ where: { year }, create: { year }, update: {} }),
        ),
      ]);
      const open = await deps.db.trainingClass.findMany({
        where: { stage: { in: [...OPEN_STAGES] } },
        select: { id: true },
      });
      const signalled = await inBatches(open, SIGNAL_CONCURRENCY, (c) =>
        deps.temporal.workflow.getHandle(c.id).signal(calendarChangedSignal),
      );
      return { json: { entries: body.entries.length, announcedYears: body.announcedYears, signalled } };
    },
  );
}
