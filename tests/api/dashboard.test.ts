// 看板 counters (issue 15 point 10): the projection keeps per-institution, per-district and per-month counters as it
// writes, and every filtered dashboard view answers from them. Generated histories of classes (created, moved
// through stages, flagged overdue, counts and money changing, events replayed or arriving stale) are projected;
// then each view must equal what the rules give when counted from the classes themselves.
import fc from 'fast-check';
import type { Express } from 'express';
import { applyCaseEvent } from '../../activities/projection';
import { ensureTallies, recountTallies, recountTaskTallies } from '../../platform/tallies';
import type { CaseEvent } from '../../activities/types';
import { monthsEndingWith } from '../../api/routes/dashboard';
import type { Db } from '../../platform/db';
import { STAGES, type Stage } from '../../workflows/messages';
import { createTestDb } from '../support/db';
import { apiPlan, appWithoutTemporal, createUser, sessionCaller, type Caller } from './support';

const DISTRICTS = ['长安区', '桥西区'];
const FLOW: Stage[] = [
  'UNDER_REVIEW',
  'APPROVED',
  'ENROLLING',
  'TRAINING',
  'ASSESSMENT',
  'FOLLOW_UP',
  'NOTICE',
  'PAYOUT',
  'CLOSED',
];
const ENDED = ['CLOSED', 'REJECTED', 'CANCELLED'];
const ASSESSED = ['FOLLOW_UP', 'NOTICE', 'PAYOUT', 'CLOSED'];
const FOLLOWED = ['NOTICE', 'PAYOUT', 'CLOSED'];

interface Step {
  /** days after the previous event (months go by) */
  days: number;
  /** move on along the process, end it (reject or cancel), or stay */
  move: 'next' | 'end' | 'stay';
  /** how many stages a move on jumps (the read model may see only some of the stages a class passes) */
  jump: number;
  overdue: boolean;
  escalated: boolean;
  trainees: number;
  passed: number;
  certified: number;
  employed: number;
  paidFen: number;
}
interface ClassSpec {
  inst: number;
  district: number;
  startDay: number;
  steps: Step[];
  /** replay this many of its events again (an activity retry) and send one stale event last */
  replays: number;
  stale: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  days: fc.integer({ min: 0, max: 40 }),
  move: fc.constantFrom('next', 'next', 'next', 'end', 'stay'),
  jump: fc.integer({ min: 1, max: 3 }),
  overdue: fc.boolean(),
  escalated: fc.boolean(),
  trainees: fc.integer({ min: 0, max: 40 }),
  passed: fc.integer({ min: 0, max: 40 }),
  certified: fc.integer({ min: 0, max: 40 }),
  employed: fc.integer({ min: 0, max: 40 }),
  paidFen: fc.integer({ min: 0, max: 5_000_000 }),
});
const classSpec: fc.Arbitrary<ClassSpec> = fc.record({
  inst: fc.integer({ min: 0, max: 2 }),
  district: fc.integer({ min: 0, max: 1 }),
  startDay: fc.integer({ min: 0, max: 200 }),
  steps: fc.array(step, { maxLength: 12 }),
  replays: fc.integer({ min: 0, max: 3 }),
  stale: fc.boolean(),
});

const BASE = Date.parse('2026-01-10T02:00:00Z');
const DAY = 86_400_000;
/** The month in Asia/Shanghai, counted here on its own (UTC+8, no daylight saving). */
const monthOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);

/** One class's events, and what the rules say it is at the end and when it opened and ended. */
function history(run: number, i: number, spec: ClassSpec, institutions: string[]) {
  const classId = `D${run}-${i}`;
  const institutionId = institutions[spec.inst]!;
  const district = DISTRICTS[spec.district]!;
  let at = BASE + spec.startDay * DAY;
  let seq = 1;
  let stage: Stage = 'UNDER_REVIEW';
  const events: CaseEvent[] = [
    {
      workflowId: classId,
      classId,
      seq,
      at: new Date(at).toISOString(),
      actor: 'test',
      action: 'PLAN_SUBMITTED',
      stage,
      create: { institutionId, district, plan: apiPlan({ title: `看板 ${classId}` }) },
      classPatch: { stage },
    },
  ];
  const final = {
    classId,
    institutionId,
    district,
    stage,
    overdue: false,
    escalated: false,
    traineeCount: 0,
    passedCount: 0,
    certifiedCount: 0,
    employedCount: 0,
    paidFen: 0,
    openedMonth: monthOf(at),
    endedMonth: null as string | null,
  };
  for (const s of spec.steps) {
    if (ENDED.includes(stage)) break;
    at += s.days * DAY;
    if (s.move === 'next') stage = FLOW[Math.min(FLOW.indexOf(stage) + s.jump, FLOW.length - 1)]!;
    else if (s.move === 'end')
      stage = ['UNDER_REVIEW', 'RETURNED'].includes(stage) ? 'REJECTED' : 'CANCELLED';
    const patch = {
      stage,
      overdue: s.overdue,
      escalated: s.overdue && s.escalated,
      traineeCount: s.trainees,
      passedCount: Math.min(s.passed, s.trainees),
      certifiedCount: Math.min(s.certified, s.passed, s.trainees),
      employedCount: Math.min(s.employed, s.passed, s.trainees),
      paidFen: s.paidFen,
    };
    events.push({
      workflowId: classId,
      classId,
      seq: (seq += 10),
      at: new Date(at).toISOString(),
      actor: 'test',
      action: 'CHANGED',
      stage,
      classPatch: patch,
    });
    Object.assign(final, patch);
    if (ENDED.includes(stage) && !final.endedMonth) final.endedMonth = monthOf(at);
  }
  const replayed = events.slice(0, spec.replays);
  // a stale event (a lower seq than what the row has applied) carries a change that must not count
  const stale: CaseEvent[] =
    spec.stale && events.length > 3
      ? [
          {
            ...events[1]!,
            seq: 15, // never applied before, and below the row's last seq (30 or more)
            classPatch: { stage: 'CANCELLED', paidFen: 999 },
          },
        ]
      : [];
  return { events: [...events, ...replayed], stale, final };
}

type Final = ReturnType<typeof history>['final'];

/** The dashboard's figures for some classes, from the rules (domain/tally.ts is not used here). */
function expected(classes: Final[]) {
  const sum = (f: (c: Final) => number) => classes.reduce((n, c) => n + f(c), 0);
  const assessed = sum((c) => (ASSESSED.includes(c.stage) ? c.traineeCount : 0));
  const passed = sum((c) => (ASSESSED.includes(c.stage) ? c.passedCount : 0));
  const certified = sum((c) => (ASSESSED.includes(c.stage) ? c.certifiedCount : 0));
  const followedUp = sum((c) => (FOLLOWED.includes(c.stage) ? c.passedCount : 0));
  const employed = sum((c) => (FOLLOWED.includes(c.stage) ? c.employedCount : 0));
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
  const stages: Record<string, number> = {};
  for (const c of classes) stages[c.stage] = (stages[c.stage] ?? 0) + 1;
  const overdue: Record<string, number> = {};
  for (const c of classes.filter((x) => x.overdue)) overdue[c.stage] = (overdue[c.stage] ?? 0) + 1;
  return {
    stages,
    overdue,
    rates: {
      pass: ratio(passed, assessed),
      certificate: ratio(certified, assessed),
      employment: ratio(employed, followedUp),
    },
    paidFen: sum((c) => c.paidFen),
  };
}

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
let manager: Caller;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db, { dashboardCacheMs: 0 });
  await createUser(db, 'dash-manager', 'MANAGER');
  manager = await sessionCaller(app, 'dash-manager');
}, 60_000);
afterAll(async () => cleanup?.());

const summary = async (query: string) =>
  (await manager.call('get', `/api/v1/dashboard/summary${query}`).expect(200)).body;

let run = 0;
describe('the dashboard counts what the classes are, however they got there', () => {
  it('every view, filtered by district, institution or both, equals the rules applied to its classes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(classSpec, { minLength: 1, maxLength: 8 }), async (specs) => {
        run++;
        const institutions = [0, 1, 2].map((k) => `inst-dash-${run}-${k}`);
        const made = specs.map((s, i) => history(run, i, s, institutions));
        for (const h of made) for (const e of h.events) await applyCaseEvent(db, e);
        for (const h of made) for (const e of h.stale) await applyCaseEvent(db, e);
        const finals = made.map((h) => h.final);

        for (const inst of institutions) {
          const mine = finals.filter((c) => c.institutionId === inst);
          const want = expected(mine);
          const got = await summary(`?institutionId=${inst}`);
          expect(got.stages).toEqual(want.stages);
          expect(got.rates).toEqual(want.rates);
          expect(got.money.paidFen).toBe(want.paidFen);
          expect(
            Object.fromEntries(
              got.overdueByStage.map((r: { stage: string; overdue: number }) => [r.stage, r.overdue]),
            ),
          ).toEqual(want.overdue);
          const row = got.institutions.find((r: { institutionId: string }) => r.institutionId === inst);
          expect(row?.opened ?? 0).toBe(mine.length);
          expect(row?.rates ?? want.rates).toEqual(want.rates);
          for (const district of DISTRICTS) {
            const both = await summary(`?institutionId=${inst}&district=${encodeURIComponent(district)}`);
            const w = expected(mine.filter((c) => c.district === district));
            expect(both.stages).toEqual(w.stages);
            expect(both.rates).toEqual(w.rates);
            expect(both.money.paidFen).toBe(w.paidFen);
          }
          // the monthly trend: cases opened and ended in each month, counted from the histories
          const to = '2027-02';
          const trends = (await summary(`?institutionId=${inst}&to=${to}`)).trends as {
            month: string;
            opened: number;
            closed: number;
          }[];
          expect(trends.map((t) => t.month)).toEqual(monthsEndingWith(to));
          for (const t of trends) {
            expect(t.opened).toBe(mine.filter((c) => c.openedMonth === t.month).length);
            expect(t.closed).toBe(mine.filter((c) => c.endedMonth === t.month).length);
          }
          // a period splits the all-time figures: before and after any month add up to the whole
          const all = await summary(`?institutionId=${inst}`);
          const early = await summary(`?institutionId=${inst}&to=2026-04`);
          const late = await summary(`?institutionId=${inst}&from=2026-05`);
          expect(early.money.paidFen + late.money.paidFen).toBe(all.money.paidFen);
        }
      }),
      { numRuns: Number(process.env.DASHBOARD_RUNS ?? 25) },
    );
  }, 300_000);

  it('counting again from the class rows gives the same stage table and totals', async () => {
    const before = await summary('');
    const { recounted } = await recountTallies(db);
    expect(recounted).toBeGreaterThan(0);
    const after = await summary('');
    expect(after.stages).toEqual(before.stages);
    expect(after.rates).toEqual(before.rates);
    expect(after.money).toEqual(before.money);
    expect(after.overdueByStage).toEqual(before.overdueByStage);
    // listed in the order a case walks the stages, on either database
    const order = (before.overdueByStage as { stage: Stage }[]).map((r) => STAGES.indexOf(r.stage));
    expect(order.length).toBeGreaterThan(1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  }, 120_000);

  it('counts open and overdue tasks of the filtered place, and who holds the overdue ones', async () => {
    const classId = 'D-TASKS';
    const institutionId = 'inst-dash-tasks';
    const at = new Date().toISOString();
    const base = { workflowId: classId, classId, actor: 'test', at, stage: 'UNDER_REVIEW' as Stage };
    await applyCaseEvent(db, {
      ...base,
      seq: 1,
      action: 'PLAN_SUBMITTED',
      create: { institutionId, district: '新华区', plan: apiPlan({ title: '看板 待办' }) },
      classPatch: { stage: 'UNDER_REVIEW' },
    });
    const task = (kind: string) => ({ id: `${classId}:${kind}`, kind, role: 'CASEWORKER', dueAt: at });
    await applyCaseEvent(db, {
      ...base,
      seq: 2,
      action: 'TASK_OPENED',
      openTasks: [task('A'), task('B'), task('C')],
    });
    await applyCaseEvent(db, {
      ...base,
      seq: 3,
      action: 'OVERDUE',
      taskFlags: [
        { id: `${classId}:A`, overdue: true },
        { id: `${classId}:B`, overdue: true, escalated: true },
      ],
      classPatch: { overdue: true },
    });
    const holder = await createUser(db, 'dash-holder', 'CASEWORKER');
    await db.user.update({ where: { id: holder }, data: { displayName: '李娜' } });
    await db.task.update({ where: { id: `${classId}:A` }, data: { assignee: holder } });
    const got = await summary(`?institutionId=${institutionId}`);
    expect([got.openTasks, got.overdueTasks, got.escalatedTasks]).toEqual([3, 2, 1]);
    expect(got.overdueByAssignee).toEqual([
      { assignee: holder, name: '李娜', overdue: 1 },
      { assignee: null, name: null, overdue: 1 }, // nobody's: last among equals
    ]);
    expect(got.overdueByStage).toEqual([{ stage: 'UNDER_REVIEW', overdue: 1, escalated: 0 }]);
    expect(got.stuck.map((c: { classId: string }) => c.classId)).toEqual([classId]);
    // another place sees none of it
    const elsewhere = await summary(
      `?institutionId=${institutionId}&district=${encodeURIComponent('长安区')}`,
    );
    expect([elsewhere.openTasks, elsewhere.overdueTasks, elsewhere.stuck.length]).toEqual([0, 0, 0]);
  });

  it('refuses a malformed month and a reversed period with the field named', async () => {
    const bad = await manager.call('get', '/api/v1/dashboard/summary?from=2026-13').expect(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    const reversed = await manager
      .call('get', '/api/v1/dashboard/summary?from=2026-06&to=2026-05')
      .expect(422);
    expect(reversed.body.errors[0].path).toBe('from');
  });
});

/** One change to a class's tasks, as the workflow's events carry them. */
type TaskOp =
  | { op: 'open'; n: number; hoursAgo: number }
  | { op: 'close'; pick: number }
  | { op: 'flag'; pick: number; overdue: boolean; escalated: boolean }
  | { op: 'closeAll' }
  | { op: 'replay' };
const taskOp: fc.Arbitrary<TaskOp> = fc.oneof(
  // opened up to 40 days ago, by the hour: every ageing edge, and both sides of the day each edge falls on
  fc.record({
    op: fc.constant('open' as const),
    n: fc.integer({ min: 1, max: 3 }),
    hoursAgo: fc.integer({ min: 0, max: 40 * 24 }),
  }),
  fc.record({ op: fc.constant('close' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('flag' as const),
    pick: fc.nat(),
    overdue: fc.boolean(),
    escalated: fc.boolean(),
  }),
  fc.constant({ op: 'closeAll' as const }),
  fc.constant({ op: 'replay' as const }),
);

let taskRun = 0;
describe('the open-task counters (看板 待办, ageing)', () => {
  it('equal the open tasks counted one by one, per place and ageing bucket, whatever happened to them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            inst: fc.integer({ min: 0, max: 1 }),
            district: fc.integer({ min: 0, max: 1 }),
            ops: fc.array(taskOp, { maxLength: 10 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (classes) => {
          taskRun++;
          const institutions = [0, 1].map((k) => `inst-task-${taskRun}-${k}`);
          const now = Date.now();
          for (const [i, c] of classes.entries()) {
            const classId = `T${taskRun}-${i}`;
            let seq = 0;
            const ids: string[] = [];
            const event = (at: number, patch: Partial<CaseEvent>): CaseEvent => ({
              workflowId: classId,
              classId,
              seq: ++seq,
              at: new Date(at).toISOString(),
              actor: 'test',
              action: 'TASKS',
              stage: 'FOLLOW_UP',
              ...patch,
            });
            const events: CaseEvent[] = [
              event(now - 41 * DAY, {
                action: 'PLAN_SUBMITTED',
                create: {
                  institutionId: institutions[c.inst]!,
                  district: DISTRICTS[c.district]!,
                  plan: apiPlan({ title: `待办 ${classId}` }),
                },
                classPatch: { stage: 'FOLLOW_UP' },
              }),
            ];
            for (const o of c.ops) {
              if (o.op === 'open') {
                const fresh = Array.from({ length: o.n }, (_, k) => `${classId}:V${seq}-${k}`);
                ids.push(...fresh);
                events.push(
                  // half past the hour: never within the moment between this clock and the server's of an edge
                  event(now - o.hoursAgo * 3_600_000 - 1_800_000, {
                    openTasks: fresh.map((id) => ({ id, kind: 'VERIFY_EMPLOYMENT', role: 'CASEWORKER' })),
                  }),
                );
              } else if (o.op === 'close' && ids.length)
                events.push(event(now, { closeTasks: [ids[o.pick % ids.length]!] }));
              else if (o.op === 'flag' && ids.length)
                events.push(
                  event(now, {
                    taskFlags: [
                      {
                        id: ids[o.pick % ids.length]!,
                        overdue: o.overdue,
                        escalated: o.overdue && o.escalated,
                      },
                    ],
                  }),
                );
              else if (o.op === 'closeAll') events.push(event(now, { closeAllTasks: true }));
              else if (o.op === 'replay' && events.length > 1) events.push(events[events.length - 1]!);
            }
            for (const e of events) await applyCaseEvent(db, e);
          }

          // What the rule says, counted from the task rows themselves: open ones, by place and age.
          const edges = [1, 3, 7, 30].map((d) => now - d * DAY);
          for (const inst of institutions)
            for (const district of DISTRICTS) {
              const open = await db.task.findMany({
                where: { status: 'OPEN', institutionId: inst, district },
                select: { createdAt: true, overdue: true, escalated: true },
              });
              const got = await summary(`?institutionId=${inst}&district=${encodeURIComponent(district)}`);
              expect([got.openTasks, got.overdueTasks, got.escalatedTasks]).toEqual([
                open.length,
                open.filter((t) => t.overdue).length,
                open.filter((t) => t.escalated).length,
              ]);
              const age = (t: { createdAt: Date }) => {
                const k = edges.findIndex((e) => t.createdAt.getTime() >= e);
                return k === -1 ? 4 : k;
              };
              const buckets = [0, 1, 2, 3, 4].map((k) => open.filter((t) => age(t) === k).length);
              expect(got.ageing.map((a: { count: number }) => a.count)).toEqual(buckets);
            }
        },
      ),
      { numRuns: Number(process.env.DASHBOARD_RUNS ?? 25) },
    );
  }, 300_000);

  it('counted again from the task rows, hold the same', async () => {
    const before = await db.taskTally.findMany({
      orderBy: [{ institutionId: 'asc' }, { district: 'asc' }, { day: 'asc' }],
    });
    expect(before.some((r) => r.open > 0)).toBe(true);
    await recountTaskTallies(db);
    const after = await db.taskTally.findMany({
      orderBy: [{ institutionId: 'asc' }, { district: 'asc' }, { day: 'asc' }],
    });
    const nonZero = (rows: typeof before) => rows.filter((r) => r.open || r.overdue || r.escalated);
    expect(nonZero(after)).toEqual(nonZero(before));
  });
});

describe('a read model from before the open-task counters', () => {
  it('has them counted from its open tasks when the worker starts, once', async () => {
    const fresh = await createTestDb();
    try {
      const classId = 'OLD-1';
      const at = new Date().toISOString();
      await applyCaseEvent(fresh.db, {
        workflowId: classId,
        classId,
        seq: 1,
        at,
        actor: 'test',
        action: 'PLAN_SUBMITTED',
        stage: 'UNDER_REVIEW',
        create: { institutionId: 'inst-old', district: '长安区', plan: apiPlan({ title: '旧库' }) },
        classPatch: { stage: 'UNDER_REVIEW' },
      });
      // Rows as an older projection left them: tasks, and no counters for them.
      await fresh.db.task.createMany({
        data: ['A', 'B', 'C'].map((k, i) => ({
          id: `${classId}:${k}`,
          classId,
          kind: 'REVIEW_PLAN',
          role: 'CASEWORKER',
          institutionId: 'inst-old',
          occupationCode: '4-03-02-01',
          district: '长安区',
          stage: 'UNDER_REVIEW',
          status: i === 2 ? 'DONE' : 'OPEN',
          overdue: i === 0,
          createdAt: new Date(at),
        })),
      });
      await fresh.db.taskTally.deleteMany();
      await ensureTallies(fresh.db);
      const rows = await fresh.db.taskTally.findMany();
      expect(rows).toEqual([
        {
          institutionId: 'inst-old',
          district: '长安区',
          day: at.slice(0, 10),
          open: 2,
          overdue: 1,
          escalated: 0,
        },
      ]);
      // counted once: a second start leaves the counters as the projection keeps them
      await fresh.db.taskTally.update({
        where: {
          institutionId_district_day: { institutionId: 'inst-old', district: '长安区', day: at.slice(0, 10) },
        },
        data: { open: 7 },
      });
      await ensureTallies(fresh.db);
      expect((await fresh.db.taskTally.findFirstOrThrow()).open).toBe(7);
    } finally {
      await fresh.cleanup();
    }
  });
});
