/**
 * Calendar dates ('YYYY-MM-DD', Asia/Shanghai) and instants (ISO strings in UTC).
 * DOMAIN.md "How time is counted": dates are calendar dates in Asia/Shanghai; a period ends at 24:00
 * of its last day. Arithmetic runs on UTC midnights of the date only, so no host time zone leaks in.
 * Asia/Shanghai has been UTC+8 without daylight saving since 1992, so the offset is a constant.
 */

export const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (no 2026-02-30). */
export function isIsoDate(s: string): boolean {
  const match = ISO_DATE.exec(s);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parts(date: string): { year: number; month: number; day: number } {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Days since 1970-01-01 of a calendar date. */
export function toEpochDay(date: string): number {
  const { year, month, day } = parts(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer, got ${n}`);
  return fromEpochDay(toEpochDay(date) + n);
}

/**
 * Civil Code art. 202 (民法典第二百零二条): a period in months ends on the same day number N months
 * later, or on the last day of that month when it has no such day (2026-01-31 + 1 month → 2026-02-28).
 */
export function addMonths(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`months must be an integer, got ${n}`);
  const { year, month, day } = parts(date);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${pad(targetYear, 4)}-${pad(targetMonth, 2)}-${pad(targetDay, 2)}`;
}

function pad(value: number, width: number): string {
  return value.toString().padStart(width, '0');
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

export function compareDates(a: string, b: string): -1 | 0 | 1 {
  // 'YYYY-MM-DD' strings order like the dates they name; this sits on hot paths (roster checks).
  if (!ISO_DATE.test(a) || !ISO_DATE.test(b))
    throw new RangeError(`not calendar dates YYYY-MM-DD: ${a}, ${b}`);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return toEpochDay(b) - toEpochDay(a);
}

export function maxDate(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}

function parseInstant(instantIso: string): number {
  const ms = Date.parse(instantIso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant: ${instantIso}`);
  return ms;
}

/** The Asia/Shanghai calendar date of an instant. '2026-10-09T16:00:00.000Z' → '2026-10-10'. */
export function shanghaiDate(instantIso: string): string {
  const ms = parseInstant(instantIso) + SHANGHAI_OFFSET_MINUTES * 60_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** 00:00 of the date in Asia/Shanghai, as an ISO instant in UTC. */
export function startOfDay(date: string): string {
  return new Date(toEpochDay(date) * MS_PER_DAY - SHANGHAI_OFFSET_MINUTES * 60_000).toISOString();
}

/** 24:00 of the date in Asia/Shanghai (DOMAIN.md: a period ends at 24:00 of its last day), ISO UTC. */
export function endOfDay(date: string): string {
  return startOfDay(addDays(date, 1));
}

/**
 * A deadline instant as people read it in Asia/Shanghai: 'YYYY-MM-DD HH:mm', and a period's end at midnight as
 * '24:00' of its last day (DOMAIN.md: a period ends at 24:00), so '2026-10-08T16:00:00.000Z' → '2026-10-08 24:00'.
 */
export function deadlineText(instantIso: string): string {
  const local = new Date(parseInstant(instantIso) + SHANGHAI_OFFSET_MINUTES * 60_000).toISOString();
  const date = local.slice(0, 10);
  const time = local.slice(11, 16);
  return time === '00:00' ? `${addDays(date, -1)} 24:00` : `${date} ${time}`;
}

export function yearOf(date: string): number {
  return parts(date).year;
}
