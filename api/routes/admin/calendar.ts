// 工作日历: the working-day calendar. Entering holidays signals every open class so its deadlines are recomputed.
import type { Api } from '../../http';
import { pageOf, planList, prismaKeyset } from '../../pagination';
import { CalendarBody } from '../../schemas';
import { CalendarEntered, CalendarPage } from '../../responses';
import { problems } from '../../problem';
import { calendarChangedSignal, OPEN_STAGES } from '../../../workflows/messages';
import { ADMIN, listQuery } from './shared';

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
      const [rows, years] = await Promise.all([
        deps.db.calendarDay.findMany({ where: ks.where, orderBy: ks.orderBy as never, take: ks.take }),
        deps.db.calendarYear.findMany({ orderBy: { year: 'asc' } }),
      ]);
      const page = pageOf(
        rows.map((r) => ({ id: r.date, ...r, kind: r.kind as 'HOLIDAY' | 'WORKDAY' })),
        plan,
        (r) => r.date,
      );
      return { json: { ...page, announcedYears: years.map((y) => y.year) } };
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
