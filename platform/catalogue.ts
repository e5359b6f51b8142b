// Catalogue look-ups shared by activities and the API: policy versions and the working-day calendar.
import type { Db } from './db';
import { WorkingCalendar, type CalendarEntry } from '../domain/calendar';
import { PolicyVersionSchema, type PolicyVersion } from '../domain/policy';

export async function loadPolicy(db: Db, id: string): Promise<PolicyVersion> {
  const row = await db.policyVersion.findUnique({ where: { id } });
  if (!row) throw new Error(`policy version ${id} not found`);
  return PolicyVersionSchema.parse(JSON.parse(row.document));
}

/** The shipped statutory calendar plus what administrators entered (announced years, corrections). */
export async function loadCalendar(db: Db): Promise<WorkingCalendar> {
  const [years, days] = await Promise.all([db.calendarYear.findMany(), db.calendarDay.findMany()]);
  return new WorkingCalendar({
    announcedYears: years.map((y) => y.year),
    entries: days.map((d): CalendarEntry => ({
      date: d.date,
      kind: d.kind as CalendarEntry['kind'],
      name: d.name ?? undefined,
    })),
  });
}
