import fc from 'fast-check';
import {
  addDays,
  addMonths,
  compareDates,
  dayOfWeek,
  daysBetween,
  endOfDay,
  fromEpochDay,
  isIsoDate,
  shanghaiDate,
  startOfDay,
  yearOf,
} from '../../../domain/dates';

const anyDate = fc.integer({ min: -25_000, max: 60_000 }).map(fromEpochDay);

describe('isIsoDate', () => {
  it.each(['2024-02-29', '2026-10-10', '1949-12-31'])('accepts the real date %s', (s) =>
    expect(isIsoDate(s)).toBe(true),
  );
  it.each(['2023-02-29', '1990-02-30', '2026-13-01', '2026-1-01', '2026-10-10T00:00:00Z', ''])(
    'refuses %p',
    (s) => expect(isIsoDate(s)).toBe(false),
  );
});

describe('day and month arithmetic', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it.each([
    ['2026-08-31', 3, '2026-11-30'], // DOMAIN.md: the 3-month employment window
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-11-15', 3, '2027-02-15'],
    ['2026-03-31', -1, '2026-02-28'],
  ])(
    'ends %s + %i months on the same day number or the month end (Civil Code art. 202): %s',
    (date, n, expected) => {
      expect(addMonths(date, n)).toBe(expected);
    },
  );

  it('names the day of the week with 0 for Sunday', () => {
    expect(dayOfWeek('2026-09-30')).toBe(3);
    expect(dayOfWeek('2026-10-10')).toBe(6);
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('1969-12-28')).toBe(0);
  });

  it('compares and counts days', () => {
    expect(compareDates('2026-09-24', '2026-10-01')).toBe(-1);
    expect(compareDates('2026-10-01', '2026-10-01')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysBetween('2026-09-24', '2026-10-01')).toBe(7);
    expect(yearOf('2026-10-10')).toBe(2026);
  });

  it('refuses a malformed date instead of guessing', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('adding n days moves exactly n days', () => {
    fc.assert(
      fc.property(
        anyDate,
        fc.integer({ min: -1000, max: 1000 }),
        (d, n) => daysBetween(d, addDays(d, n)) === n,
      ),
    );
  });
});

describe('Asia/Shanghai days and UTC instants', () => {
  it('ends a day at 24:00 Beijing time', () => {
    expect(endOfDay('2026-10-10')).toBe('2026-10-10T16:00:00.000Z');
    expect(startOfDay('2026-10-10')).toBe('2026-10-09T16:00:00.000Z');
  });

  it('reads the Beijing calendar date of an instant', () => {
    expect(shanghaiDate('2026-10-09T16:00:00.000Z')).toBe('2026-10-10');
    expect(shanghaiDate('2026-10-09T15:59:59.999Z')).toBe('2026-10-09');
    expect(shanghaiDate('2026-10-10T00:00:00+08:00')).toBe('2026-10-10');
  });

  it('refuses a string that is not an instant', () => {
    expect(() => shanghaiDate('tomorrow')).toThrow(RangeError);
  });

  it('the start of a day lies on that day and its end on the next', () => {
    fc.assert(
      fc.property(
        anyDate,
        (d) => shanghaiDate(startOfDay(d)) === d && shanghaiDate(endOfDay(d)) === addDays(d, 1),
      ),
    );
  });
});
