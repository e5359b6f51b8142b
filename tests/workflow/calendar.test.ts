// Every clock of a case counts time the DOMAIN.md way, and re-arms when an administrator changes the calendar.
import * as m from '../../workflows/messages';
import { createActivities } from '../../activities';
import { SimulatedBank } from '../../activities/payments';
import { startTestbed, type Testbed } from '../support/temporal';
import { TEST_PII_KEY } from '../support/people';
import { eventually, passAll, plan, startClass, toAssessment, today, until } from '../support/scenario';
import { applications, registerPeople } from '../support/people';
import { monthsPeriod } from '../../domain/calendar';
import { loadCalendar } from '../../platform/catalogue';
import { HEBEI_2024 } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/dates';

jest.setTimeout(120_000);

let bed: Testbed;
beforeAll(async () => (bed = await startTestbed({ policies: [HEBEI_2024] })));
afterAll(() => bed?.teardown());

describe('deadlines as the activities compute them', () => {
  const deadline = () =>
    createActivities({
      db: bed.db,
      payments: new SimulatedBank(bed.db),
      piiKey: TEST_PII_KEY,
      region: '河北省',
    }).computeDeadline;

  it.each([
    [
      'a notice published the day before National Day runs to the make-up Saturday',
      '2026-09-30T03:00:00Z',
      'WORKING_DAYS',
      3,
      '2026-10-10',
    ],
    [
      'a 7-day assessment period ending on a holiday ends on the first working day after it',
      '2026-09-24T09:00:00Z',
      'DAYS',
      7,
      '2026-10-08',
    ],
    [
      'a 3-month follow-up window from 31 August ends on 30 November',
      '2026-08-31T09:00:00Z',
      'MONTHS',
      3,
      '2026-11-30',
    ],
    [
      'an event late in the evening counts on its Shanghai date',
      '2026-09-29T17:30:00Z',
      'WORKING_DAYS',
      3,
      '2026-10-10',
    ],
  ] as const)('%s', async (_name, from, rule, n, endDate) => {
    const d = await deadline()({ from, rule, n });
    expect([d.endDate, d.dueAt, d.provisional]).toEqual([endDate, `${endDate}T16:00:00.000Z`, false]);
  });

  it('follows the corrections an administrator enters, and flags a year not yet announced as provisional', async () => {
    await bed.db.calendarDay.create({ data: { date: '2026-10-09', kind: 'HOLIDAY', name: '测试更正' } });
    expect((await deadline()({ from: '2026-09-30T03:00:00Z', rule: 'WORKING_DAYS', n: 3 })).endDate).toBe(
      '2026-10-12',
    );
    await bed.db.calendarDay.delete({ where: { date: '2026-10-09' } });
    const d = await deadline()({ from: '2026-12-30T03:00:00Z', rule: 'WORKING_DAYS', n: 3 });
    expect([d.endDate, d.provisional]).toEqual(['2027-01-05', true]); // 2027-01-01 is a fixed-date holiday
  });
});

describe('a running case when the calendar changes', () => {
  it('recomputes the open deadline and re-arms its timer', async () => {
    const handle = await startClass(bed.env, 'CAL-1');
    const open = await until(bed.env, handle, (s) => s.clock?.task === 'REVIEW_PLAN', 1000);
    const due = shanghaiDate(new Date(Date.parse(open.clock!.dueAt) - 1).toISOString());
    // The State Council moves the days before the deadline: the last two days become holidays.
    for (const date of [due, addDays(due, -1)])
      await bed.db.calendarDay.create({ data: { date, kind: 'HOLIDAY', name: '调整' } });
    await handle.signal(m.calendarChangedSignal);
    const moved = await until(
      bed.env,
      handle,
      (s) => s.clock !== undefined && s.clock.dueAt !== open.clock!.dueAt,
      1000,
    );
    expect(Date.parse(moved.clock!.dueAt)).toBeGreaterThan(Date.parse(open.clock!.dueAt));
    expect(moved.history.some((h) => h.action === 'DEADLINE_RECOMPUTED:REVIEW_PLAN')).toBe(true);
    await eventually(async () => {
      const row = await bed.db.trainingClass.findUniqueOrThrow({ where: { id: 'CAL-1' } });
      expect(row.dueAt?.toISOString()).toBe(moved.clock!.dueAt);
    });
  });
});

describe('a follow-up window counted on a calendar not yet announced', () => {
  it('is provisional, and is recomputed when the year is announced', async () => {
    const p = plan(await today(bed.env));
    const handle = await startClass(bed.env, 'CAL-FOLLOW', p);
    const trainees = applications(await registerPeople(bed.db, 1, { from: 7100 }), 'CAL-FOLLOW');
    await toAssessment(bed.env, handle, p, trainees);
    const trainingEnd = await today(bed.env);
    await passAll(bed.env, handle, trainees);
    const child = bed.env.client.workflow.getHandle(
      m.followUpWorkflowId('CAL-FOLLOW', trainees[0]!.enrollmentId),
    );
    // DOMAIN.md: a deadline in a year whose holidays are not yet announced is provisional.
    const before = monthsPeriod(await loadCalendar(bed.db), trainingEnd, 3);
    const year = Number(before.endDate.slice(0, 4));
    expect(before.provisional).toBe(true); // the shipped calendar stops before next year's schedule
    await eventually(async () =>
      expect((await child.query(m.followUpStateQuery)).window).toMatchObject({
        endsOn: before.endDate,
        provisional: true,
      }),
    );
    // The State Council announces the year, and the window's last day turns out to be a holiday.
    await bed.db.calendarYear.create({ data: { year } });
    await bed.db.calendarDay.create({ data: { date: before.endDate, kind: 'HOLIDAY', name: '公告调整' } });
    const after = monthsPeriod(await loadCalendar(bed.db), trainingEnd, 3);
    expect(after.endDate > before.endDate).toBe(true);
    await handle.signal(m.calendarChangedSignal); // what the admin calendar route sends every open class
    await eventually(async () =>
      expect((await child.query(m.followUpStateQuery)).window).toEqual({
        trainingEnd,
        endsOn: after.endDate,
        endsAt: after.dueAt,
        provisional: false,
      }),
    );
    await bed.db.calendarDay.delete({ where: { date: before.endDate } });
    await bed.db.calendarYear.delete({ where: { year } });
  });
});
