import fc from 'fast-check';
import {
  daysPeriod,
  monthsPeriod,
  PACKAGE_YEARS,
  unannouncedYearsAhead,
  WorkingCalendar,
  workingDaysPeriod,
} from '../../../domain/calendar';
import { addDays, compareDates, fromEpochDay, toEpochDay } from '../../../domain/dates';

const cal = new WorkingCalendar();

describe('the working-day calendar', () => {
  it('knows the years the package holds and those an administrator announced', () => {
    expect(cal.isAnnounced(2004)).toBe(true);
    expect(cal.isAnnounced(2026)).toBe(true);
    expect(cal.isAnnounced(2027)).toBe(false);
    expect(Math.max(...PACKAGE_YEARS)).toBe(2026);
    expect(new WorkingCalendar({ announcedYears: [2027], entries: [] }).isAnnounced(2027)).toBe(true);
  });

  it.each([
    ['2026-09-30', true, 'the Wednesday before National Day'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'the last day of the National Day holiday'],
    ['2026-10-10', true, 'the make-up Saturday (调休)'],
    ['2026-09-20', true, 'the make-up Sunday before National Day'],
    ['2026-10-11', false, 'an ordinary Sunday'],
    ['2026-11-23', true, 'an ordinary Monday'],
  ])('treats %s as working = %p (%s)', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });

  it.each([
    ['2027-01-01', false, 'fixed New Year’s Day'],
    ['2027-10-01', false, 'fixed National Day'],
    ['2027-10-04', true, 'a Monday after the fixed National Day days'],
    ['2027-02-08', true, 'a weekday that may later be announced as Spring Festival'],
    ['2027-01-02', false, 'a Saturday'],
  ])(
    'in an unannounced year counts Mon–Fri minus fixed-date holidays: %s working = %p (%s)',
    (date, working) => {
      expect(cal.isWorkingDay(date)).toBe(working);
    },
  );

  it('names holidays and make-up days', () => {
    expect(cal.dayName('2026-10-10')).toBe('国庆节');
    expect(cal.dayName('2026-10-01')).toBe('国庆节');
    expect(cal.dayName('2026-11-23')).toBeUndefined();
  });

  it('does not depend on the host time zone (the package’s own functions do)', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(cal.isWorkingDay('2026-10-12')).toBe(true);
      expect(cal.isWorkingDay('2026-10-10')).toBe(true);
      expect(workingDaysPeriod(cal, '2026-09-30', 3).endDate).toBe('2026-10-10');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('periods (Civil Code arts. 201–204)', () => {
  it('runs a 3-working-day notice published on Wed 2026-09-30 through the make-up Saturday 10-10', () => {
    expect(workingDaysPeriod(cal, '2026-09-30', 3)).toEqual({
      endDate: '2026-10-10',
      dueAt: '2026-10-10T16:00:00.000Z',
      provisional: false,
    });
  });

  it('rolls a 7-day assessment period ending on National Day to the first working day after it', () => {
    expect(daysPeriod(cal, '2026-09-24', 7)).toEqual({
      endDate: '2026-10-08',
      dueAt: '2026-10-08T16:00:00.000Z',
      provisional: false,
    });
  });

  it('keeps a 7-day period that ends on a working day where it ends', () => {
    expect(daysPeriod(cal, '2026-11-16', 7).endDate).toBe('2026-11-23');
  });

  it('closes a 3-month employment window after training ending 2026-08-31 on Monday 2026-11-30', () => {
    expect(monthsPeriod(cal, '2026-08-31', 3)).toEqual({
      endDate: '2026-11-30',
      dueAt: '2026-11-30T16:00:00.000Z',
      provisional: false,
    });
  });

  it('does not count the event day', () => {
    expect(workingDaysPeriod(cal, '2026-11-23', 1).endDate).toBe('2026-11-24');
  });

  it('marks a deadline in an unannounced year as provisional', () => {
    expect(workingDaysPeriod(cal, '2027-03-01', 5)).toEqual({
      endDate: '2027-03-08',
      dueAt: '2027-03-08T16:00:00.000Z',
      provisional: true,
    });
    expect(monthsPeriod(cal, '2026-11-15', 3).provisional).toBe(true);
  });

  it('marks a working-day period that crosses into an unannounced year as provisional', () => {
    // 12-29, 12-30, 12-31, (2027-01-01 fixed holiday), 01-04, 01-05
    expect(workingDaysPeriod(cal, '2026-12-28', 5)).toEqual({
      endDate: '2027-01-05',
      dueAt: '2027-01-05T16:00:00.000Z',
      provisional: true,
    });
  });

  it('is no longer provisional once an administrator announces the year', () => {
    const announced = new WorkingCalendar({
      announcedYears: [2027],
      entries: [{ date: '2027-03-05', kind: 'HOLIDAY', name: 'test' }],
    });
    expect(workingDaysPeriod(announced, '2027-03-01', 5)).toEqual({
      endDate: '2027-03-09',
      dueAt: '2027-03-09T16:00:00.000Z',
      provisional: false,
    });
  });

  it('refuses a period of zero or fractional length', () => {
    expect(() => workingDaysPeriod(cal, '2026-09-30', 0)).toThrow(RangeError);
    expect(() => daysPeriod(cal, '2026-09-30', 1.5)).toThrow(RangeError);
  });
});

describe("a year's arrangement (what the calendar page shows)", () => {
  const days = (c: WorkingCalendar, year: number) => c.workingDaysIn(year);

  it('lists 2026 from the package: 国庆 1–8 October off, make-up Sunday 20 September and Saturday 10 October', () => {
    const year = cal.arrangement(2026);
    expect(cal.yearSource(2026)).toBe('PACKAGE');
    expect(year.every((d) => d.source === 'PACKAGE' && d.date.startsWith('2026-'))).toBe(true);
    const october = year.filter((d) => d.date.startsWith('2026-10-') || d.date === '2026-09-20');
    expect(october).toEqual([
      { date: '2026-09-20', kind: 'WORKDAY', name: '国庆节', source: 'PACKAGE' },
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
        date: `2026-10-${d}`,
        kind: 'HOLIDAY',
        name: '国庆节',
        source: 'PACKAGE',
      })),
      { date: '2026-10-10', kind: 'WORKDAY', name: '国庆节', source: 'PACKAGE' },
    ]);
    expect(year.map((d) => d.date)).toEqual([...year.map((d) => d.date)].sort());
  });

  it('counts 248 working days in 2026: 261 weekdays less the 13 statutory holiday days', () => {
    expect(days(cal, 2026)).toBe(248);
  });

  it('shows an unannounced year with the provisional rule: 2030 loses its five fixed weekday holidays', () => {
    expect(cal.yearSource(2030)).toBe('PROVISIONAL');
    expect(cal.arrangement(2030).map((d) => [d.date, d.kind, d.source])).toEqual([
      ['2030-01-01', 'HOLIDAY', 'PROVISIONAL'],
      ['2030-05-01', 'HOLIDAY', 'PROVISIONAL'],
      ['2030-10-01', 'HOLIDAY', 'PROVISIONAL'],
      ['2030-10-02', 'HOLIDAY', 'PROVISIONAL'],
      ['2030-10-03', 'HOLIDAY', 'PROVISIONAL'],
    ]);
    expect(days(cal, 2030)).toBe(261 - 5);
  });

  it("puts an administrator's entries in place of the package's and in an announced year", () => {
    const entered = new WorkingCalendar({
      announcedYears: [2027],
      entries: [
        { date: '2026-10-10', kind: 'HOLIDAY', name: '更正' },
        { date: '2027-02-08', kind: 'HOLIDAY', name: '春节' },
      ],
    });
    expect(entered.arrangement(2026).find((d) => d.date === '2026-10-10')).toEqual({
      date: '2026-10-10',
      kind: 'HOLIDAY',
      name: '更正',
      source: 'ADMIN',
    });
    expect(entered.yearSource(2027)).toBe('ADMIN');
    expect(entered.arrangement(2027)).toEqual([
      { date: '2027-02-08', kind: 'HOLIDAY', name: '春节', source: 'ADMIN' },
    ]);
  });

  it('warns of this year and next while they are not announced', () => {
    expect(unannouncedYearsAhead(cal, '2026-11-30')).toEqual([2027]);
    expect(unannouncedYearsAhead(cal, '2027-01-04')).toEqual([2027, 2028]);
    expect(unannouncedYearsAhead(cal, '2025-06-01')).toEqual([]);
    const announced = new WorkingCalendar({ announcedYears: [2027], entries: [] });
    expect(unannouncedYearsAhead(announced, '2026-11-30')).toEqual([]);
  });
});

describe('administrator entries', () => {
  it('override the package: marking Monday 2026-11-23 a holiday moves a deadline to the 24th', () => {
    const corrected = new WorkingCalendar({
      announcedYears: [],
      entries: [{ date: '2026-11-23', kind: 'HOLIDAY', name: 'local holiday' }],
    });
    expect(monthsPeriod(cal, '2026-08-23', 3).endDate).toBe('2026-11-23');
    expect(monthsPeriod(corrected, '2026-08-23', 3).endDate).toBe('2026-11-24');
    expect(workingDaysPeriod(corrected, '2026-11-20', 1).endDate).toBe('2026-11-24');
    expect(corrected.dayName('2026-11-23')).toBe('local holiday');
  });

  it('can make a weekend day a working day', () => {
    const corrected = new WorkingCalendar({
      announcedYears: [],
      entries: [{ date: '2026-11-21', kind: 'WORKDAY' }],
    });
    expect(corrected.addWorkingDays('2026-11-20', 1)).toBe('2026-11-21');
  });

  it('refuse an entry without a valid date', () => {
    expect(
      () => new WorkingCalendar({ announcedYears: [], entries: [{ date: '2026-02-30', kind: 'HOLIDAY' }] }),
    ).toThrow(RangeError);
  });
});

describe('counting working days backwards and between dates', () => {
  it('finds the 5th working day before a start date, skipping the National Day holiday', () => {
    // Working days before Mon 2026-10-12: 10-10 (Sat, make-up), 10-09, 10-08, 09-30, 09-29.
    expect(cal.subtractWorkingDays('2026-10-12', 5)).toBe('2026-09-29');
  });

  it('counts the working days in (after, upTo]', () => {
    expect(cal.countWorkingDays('2026-09-30', '2026-10-10')).toBe(3);
    expect(cal.countWorkingDays('2026-10-10', '2026-09-30')).toBe(0);
  });
});

describe('properties of addWorkingDays', () => {
  const dates = fc
    .integer({ min: toEpochDay('2024-01-01'), max: toEpochDay('2027-12-31') })
    .map(fromEpochDay);

  it('lands on a working day strictly after the event with exactly n working days in between', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 15 }), (d, n) => {
        const result = cal.addWorkingDays(d, n);
        return (
          cal.isWorkingDay(result) && compareDates(result, d) > 0 && cal.countWorkingDays(d, result) === n
        );
      }),
      { numRuns: 300 },
    );
  });

  it('from either of the 2 days before National Day 2026 counts the make-up Saturday', () => {
    const workingDaysFrom0929 = [
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
      '2026-10-12',
      '2026-10-13',
      '2026-10-14',
    ];
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.integer({ min: 1, max: 6 }), (offset, n) => {
        const eventDate = addDays('2026-09-29', offset);
        return workingDaysPeriod(cal, eventDate, n).endDate === workingDaysFrom0929[n - 1 + offset];
      }),
    );
  });

  it('undoes subtractWorkingDays from a working day', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 10 }), (d, n) => {
        const back = cal.subtractWorkingDays(d, n);
        return !cal.isWorkingDay(d) || cal.addWorkingDays(back, n) === d;
      }),
    );
  });
});
