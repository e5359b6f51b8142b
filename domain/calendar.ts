/**
 * Working-day calendar (工作日) and the Civil Code's rules on periods (民法典 第二百零一条至第二百零四条).
 * DOMAIN.md "How time is counted" and "Catalogues": statutory holidays and make-up working days (调休)
 * per year come from the chinese-days package plus what an administrator enters when the State Council
 * announces the next year; a year not yet announced is provisional.
 *
 * The package's own query functions build dates with host-local getters, so under a time zone west of
 * UTC `isWorkday('2026-10-12')` answers for the 11th. We read its published data file instead and do
 * the date arithmetic ourselves in `dates.ts`, which is independent of the host time zone.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { addDays, addMonths, dayOfWeek, endOfDay, isIsoDate, yearOf } from './dates';

export interface CalendarEntry {
  date: string;
  kind: 'HOLIDAY' | 'WORKDAY';
  name?: string;
}

/** PACKAGE: the chinese-days package; ADMIN: entered when announced; PROVISIONAL: weekends and fixed-date holidays only. */
export type YearSource = 'PACKAGE' | 'ADMIN' | 'PROVISIONAL';

/** One holiday or make-up working day of a year's arrangement, and where the calendar has it from. */
export interface ArrangedDay extends CalendarEntry {
  source: YearSource;
}

/** Years and corrections an administrator entered when the State Council announced them. */
export interface CalendarAdminData {
  announcedYears: number[];
  /** An entry overrides the package for its date. */
  entries: CalendarEntry[];
}

/**
 * Holidays fixed to a Gregorian date, used for years whose arrangement is not yet announced
 * (DOMAIN.md: "A year not yet announced is provisional (weekends + fixed-date holidays)").
 * Lunar holidays (春节, 清明, 端午, 中秋) and the make-up days are only known from the announcement.
 */
export const PROVISIONAL_FIXED_HOLIDAYS: readonly { monthDay: string; name: string }[] = [
  { monthDay: '01-01', name: '元旦 New Year’s Day' },
  { monthDay: '05-01', name: '劳动节 Labour Day' },
  { monthDay: '10-01', name: '国庆节 National Day' },
  { monthDay: '10-02', name: '国庆节 National Day' },
  { monthDay: '10-03', name: '国庆节 National Day' },
];

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const PACKAGE: PackageData = chineseDaysData as unknown as PackageData;

/** Years for which the chinese-days package holds the State Council's arrangement (2004–2026 in 1.5.7). */
export const PACKAGE_YEARS: ReadonlySet<number> = new Set(
  Object.keys(PACKAGE.holidays).map((d) => Number(d.slice(0, 4))),
);

const FIXED_MONTH_DAYS: ReadonlySet<string> = new Set(PROVISIONAL_FIXED_HOLIDAYS.map((h) => h.monthDay));

/** Guards loops against a calendar with no working days at all (a data error, not a rule). */
const MAX_SCAN_DAYS = 3660;

export class WorkingCalendar {
  private readonly announcedByAdmin: ReadonlySet<number>;
  private readonly overrides: ReadonlyMap<string, CalendarEntry>;

  constructor(admin?: CalendarAdminData) {
    this.announcedByAdmin = new Set(admin?.announcedYears ?? []);
    const overrides = new Map<string, CalendarEntry>();
    for (const entry of admin?.entries ?? []) {
      if (!isIsoDate(entry.date)) throw new RangeError(`calendar entry has no valid date: ${entry.date}`);
      overrides.set(entry.date, entry);
    }
    this.overrides = overrides;
  }

  /** Whether the holiday arrangement of a year is known (package data or administrator). */
  isAnnounced(year: number): boolean {
    return PACKAGE_YEARS.has(year) || this.announcedByAdmin.has(year);
  }

  isWorkingDay(date: string): boolean {
    const override = this.overrides.get(date);
    if (override) return override.kind === 'WORKDAY';
    const weekday = dayOfWeek(date);
    const monToFri = weekday >= 1 && weekday <= 5;
    const year = yearOf(date);
    if (PACKAGE_YEARS.has(year)) {
      // 调休: a make-up Saturday or Sunday counts as a working day.
      if (PACKAGE.workdays[date] !== undefined) return true;
      if (PACKAGE.holidays[date] !== undefined) return false;
      return monToFri;
    }
    if (this.announcedByAdmin.has(year)) return monToFri;
    // Provisional rule for an unannounced year: Mon–Fri minus the fixed-date holidays.
    return monToFri && !FIXED_MONTH_DAYS.has(date.slice(5));
  }

  /** Name of the holiday or make-up day, when the calendar knows one. */
  dayName(date: string): string | undefined {
    const override = this.overrides.get(date);
    if (override) return override.name;
    const packaged = PACKAGE.workdays[date] ?? PACKAGE.holidays[date];
    if (packaged !== undefined) return packaged.split(',')[1];
    if (!this.isAnnounced(yearOf(date)))
      return PROVISIONAL_FIXED_HOLIDAYS.find((h) => h.monthDay === date.slice(5))?.name;
    return undefined;
  }

  /** Where a year's arrangement comes from: the package, an administrator's announcement, or the provisional rule. */
  yearSource(year: number): YearSource {
    if (PACKAGE_YEARS.has(year)) return 'PACKAGE';
    return this.announcedByAdmin.has(year) ? 'ADMIN' : 'PROVISIONAL';
  }

  /**
   * The days of a year that are not plain Monday-to-Friday working days or plain weekends: the holidays
   * and make-up working days (调休) the calendar uses, each with where it comes from, in date order.
   * An administrator's entry replaces the package's for its date.
   */
  arrangement(year: number): ArrangedDay[] {
    const days = new Map<string, ArrangedDay>();
    const source = this.yearSource(year);
    const prefix = `${year}-`;
    if (source === 'PACKAGE') {
      for (const [kind, table] of [
        ['HOLIDAY', PACKAGE.holidays],
        ['WORKDAY', PACKAGE.workdays],
      ] as const) {
        for (const [date, text] of Object.entries(table)) {
          if (date.startsWith(prefix)) days.set(date, { date, kind, name: text.split(',')[1], source });
        }
      }
    } else if (source === 'PROVISIONAL') {
      for (const h of PROVISIONAL_FIXED_HOLIDAYS) {
        const date = `${prefix}${h.monthDay}`;
        days.set(date, { date, kind: 'HOLIDAY', name: h.name, source });
      }
    }
    for (const [date, entry] of this.overrides) {
      if (date.startsWith(prefix)) days.set(date, { ...entry, source: 'ADMIN' });
    }
    return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** The working days of a calendar year under its arrangement (2026: 248). */
  workingDaysIn(year: number): number {
    return this.countWorkingDays(`${year - 1}-12-31`, `${year}-12-31`);
  }

  /** Civil Code art. 201: the n-th working day strictly after the event day (the event day is not counted). */
  addWorkingDays(eventDate: string, n: number): string {
    assertCount(n, 1);
    let date = eventDate;
    let remaining = n;
    for (let scanned = 0; remaining > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS + n * 7) throw new RangeError('calendar has no working days ahead');
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) remaining--;
    }
    return date;
  }

  /** The n-th working day strictly before a date (for "filed at least N working days before the start"). */
  subtractWorkingDays(date: string, n: number): string {
    assertCount(n, 1);
    let current = date;
    let remaining = n;
    for (let scanned = 0; remaining > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS + n * 7) throw new RangeError('calendar has no working days behind');
      current = addDays(current, -1);
      if (this.isWorkingDay(current)) remaining--;
    }
    return current;
  }

  /** Number of working days d with after < d ≤ upTo (0 when upTo is not after `after`). */
  countWorkingDays(after: string, upTo: string): number {
    let count = 0;
    for (let date = addDays(after, 1); date <= upTo; date = addDays(date, 1)) {
      if (this.isWorkingDay(date)) count++;
    }
    return count;
  }

  nextWorkingDayOnOrAfter(date: string): string {
    let current = date;
    for (let scanned = 0; !this.isWorkingDay(current); scanned++) {
      if (scanned > MAX_SCAN_DAYS) throw new RangeError('calendar has no working days ahead');
      current = addDays(current, 1);
    }
    return current;
  }
}

function assertCount(n: number, min: number): void {
  if (!Number.isInteger(n) || n < min)
    throw new RangeError(`period length must be an integer ≥ ${min}, got ${n}`);
}

export interface Deadline {
  /** Last day of the period, 'YYYY-MM-DD' in Asia/Shanghai. */
  endDate: string;
  /** 24:00 of endDate in Asia/Shanghai, ISO in UTC. */
  dueAt: string;
  /** Some year the computation touched is not announced yet: recompute when it is. */
  provisional: boolean;
}

function deadline(cal: WorkingCalendar, firstConsulted: string, endDate: string): Deadline {
  let provisional = false;
  for (let year = yearOf(firstConsulted); year <= yearOf(endDate); year++) {
    if (!cal.isAnnounced(year)) provisional = true;
  }
  return { endDate, dueAt: endOfDay(endDate), provisional };
}

/**
 * "N working days" (N个工作日): counts only working days, from the day after the event (art. 201).
 * Example (DOMAIN.md): published Wed 2026-09-30, 3 working days → 10-08, 10-09, make-up Sat 10-10.
 */
export function workingDaysPeriod(cal: WorkingCalendar, eventDate: string, n: number): Deadline {
  const endDate = cal.addWorkingDays(eventDate, n);
  return deadline(cal, addDays(eventDate, 1), endDate);
}

/**
 * "N days" (N日): N calendar days from the next day (art. 201); when the last day is not a working day
 * the period ends on the first working day after it (art. 203).
 * Example (DOMAIN.md): training ends 2026-09-24, 7 days → 10-01 is a holiday → 2026-10-08.
 */
export function daysPeriod(cal: WorkingCalendar, eventDate: string, n: number): Deadline {
  assertCount(n, 1);
  const lastDay = addDays(eventDate, n);
  return deadline(cal, lastDay, cal.nextWorkingDayOnOrAfter(lastDay));
}

/**
 * "N months" (N个月): the same day number N months later, or that month's last day (art. 202),
 * rolled to the next working day when it is not one (art. 203).
 * Example (DOMAIN.md): training ends 2026-08-31, 3 months → 2026-11-30.
 */
export function monthsPeriod(cal: WorkingCalendar, eventDate: string, n: number): Deadline {
  assertCount(n, 1);
  const lastDay = addMonths(eventDate, n);
  return deadline(cal, lastDay, cal.nextWorkingDayOnOrAfter(lastDay));
}

/**
 * This year and the next, where the calendar does not know their arrangement: deadlines that reach into
 * them are provisional until an administrator enters the State Council's announcement.
 */
export function unannouncedYearsAhead(cal: WorkingCalendar, today: string): number[] {
  const year = yearOf(today);
  return [year, year + 1].filter((y) => !cal.isAnnounced(y));
}
