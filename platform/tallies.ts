// The dashboard's counters in the read model (domain/tally.ts says what a class contributes): kept by the
// projection in the transaction that changes the class row (and by the history import in the one that adds an
// imported class: api/routes/admin/history.ts), and recounted from the class rows when they are missing (a read
// model migrated from before the counters, or one seeded directly, as the API benchmark does).
import type { Prisma } from '@prisma/client';
import type { Db } from './db';
import {
  FLOW_FIELDS,
  flowDelta,
  stageDelta,
  tallyMonth,
  zeroFlows,
  type Flows,
  type StageCell,
  type TallyRow,
} from '../domain/tally';

type Tx = Prisma.TransactionClient;

/** The class columns the counters read. */
export const TALLY_COLUMNS = {
  stage: true,
  overdue: true,
  escalated: true,
  traineeCount: true,
  passedCount: true,
  certifiedCount: true,
  employedCount: true,
  advancedFen: true,
  paidFen: true,
  recoveredFen: true,
} as const satisfies Record<keyof TallyRow, true>;

export const NEW_ROW: TallyRow = {
  stage: 'SUBMITTED',
  overdue: false,
  escalated: false,
  traineeCount: 0,
  passedCount: 0,
  certifiedCount: 0,
  employedCount: 0,
  advancedFen: 0,
  paidFen: 0,
  recoveredFen: 0,
};

const FEN = new Set<string>(['advancedFen', 'paidFen', 'recoveredFen']);
const asColumns = (f: Flows, op: 'increment' | 'set') =>
  Object.fromEntries(
    FLOW_FIELDS.map((k) => {
      const v = FEN.has(k) ? BigInt(f[k]) : f[k];
      return [k, op === 'set' ? v : { increment: v }];
    }),
  );

/** Adds what a change of one class row (before → after, at `at`) changes in the counters. */
export async function countClass(
  tx: Tx,
  where: { institutionId: string; district: string },
  at: string,
  before: TallyRow | undefined,
  after: TallyRow,
): Promise<void> {
  const { institutionId, district } = where;
  const flows = flowDelta(before, after);
  if (flows) {
    const month = tallyMonth(at);
    await tx.classTally.upsert({
      where: { institutionId_district_month: { institutionId, district, month } },
      create: { institutionId, district, month, ...asColumns(flows, 'set') },
      update: asColumns(flows, 'increment'),
    });
  }
  for (const c of stageDelta(before, after))
    await tx.stageTally.upsert({
      where: { institutionId_district_stage: { institutionId, district, stage: c.stage } },
      create: {
        institutionId,
        district,
        stage: c.stage,
        count: c.count,
        overdue: c.overdue,
        escalated: c.escalated,
      },
      update: {
        count: { increment: c.count },
        overdue: { increment: c.overdue },
        escalated: { increment: c.escalated },
      },
    });
}

/**
 * Counts every class row afresh into empty counters, in one transaction: a class's flows land in the month it
 * was created (opened) and the month of its present stage (the rest), as the projection would have put them had
 * it counted from the start. Nothing is done when the counters already hold something, or there is no class.
 */
export async function ensureTallies(db: Db): Promise<{ recounted: number }> {
  const [tallies, classes, taskTallies, openTasks] = await Promise.all([
    db.stageTally.count(),
    db.trainingClass.count(),
    db.taskTally.count(),
    db.task.count({ where: { status: 'OPEN' } }),
  ]);
  // A read model from before the open-task counters: counted once from its open tasks.
  if (taskTallies === 0 && openTasks > 0) await recountTaskTallies(db);
  if (tallies > 0 || classes === 0) return { recounted: 0 };
  return recountTallies(db);
}

/**
 * Throws the counters away and counts every class row (and open task) again (ensureTallies; the API benchmark's
 * seeding).
 */
export async function recountTallies(db: Db): Promise<{ recounted: number }> {
  await recountTaskTallies(db);
  return recountClassTallies(db);
}

async function recountClassTallies(db: Db): Promise<{ recounted: number }> {
  const flows = new Map<string, { institutionId: string; district: string; month: string; f: Flows }>();
  const stages = new Map<string, { institutionId: string; district: string; stage: string; c: StageCell }>();
  const addFlows = (r: { institutionId: string; district: string }, at: Date, d: Flows | undefined) => {
    if (!d) return;
    const month = tallyMonth(at.toISOString());
    const key = JSON.stringify([r.institutionId, r.district, month]);
    const cur = flows.get(key) ?? {
      institutionId: r.institutionId,
      district: r.district,
      month,
      f: zeroFlows(),
    };
    for (const k of FLOW_FIELDS) cur.f[k] += d[k];
    flows.set(key, cur);
  };
  return db.$transaction(
    async (tx) => {
      let recounted = 0;
      let cursor: string | undefined;
      for (;;) {
        const rows = await tx.trainingClass.findMany({
          select: {
            id: true,
            institutionId: true,
            district: true,
            createdAt: true,
            stageSince: true,
            ...TALLY_COLUMNS,
          },
          orderBy: { id: 'asc' },
          take: 5_000,
          ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
        });
        if (rows.length === 0) break;
        for (const r of rows) {
          addFlows(r, r.createdAt, flowDelta(undefined, NEW_ROW));
          addFlows(r, r.stageSince, flowDelta(NEW_ROW, r));
          for (const c of stageDelta(undefined, r)) {
            const key = JSON.stringify([r.institutionId, r.district, c.stage]);
            const cur = stages.get(key) ?? {
              institutionId: r.institutionId,
              district: r.district,
              stage: c.stage,
              c: { stage: c.stage, count: 0, overdue: 0, escalated: 0 },
            };
            cur.c.count += c.count;
            cur.c.overdue += c.overdue;
            cur.c.escalated += c.escalated;
            stages.set(key, cur);
          }
        }
        recounted += rows.length;
        cursor = rows.at(-1)!.id;
      }
      await tx.classTally.deleteMany();
      await tx.stageTally.deleteMany();
      await tx.classTally.createMany({
        data: [...flows.values()].map((x) => ({
          institutionId: x.institutionId,
          district: x.district,
          month: x.month,
          ...asColumns(x.f, 'set'),
        })) as Prisma.ClassTallyCreateManyInput[],
      });
      await tx.stageTally.createMany({
        data: [...stages.values()].map((x) => ({
          institutionId: x.institutionId,
          district: x.district,
          stage: x.stage,
          count: x.c.count,
          overdue: x.c.overdue,
          escalated: x.c.escalated,
        })),
      });
      return { recounted };
    },
    { timeout: 600_000 },
  );
}

/** The task columns the open-task counters read. */
export const TASK_TALLY_COLUMNS = {
  id: true,
  institutionId: true,
  district: true,
  status: true,
  overdue: true,
  escalated: true,
  createdAt: true,
} as const;
export type TaskTallyRow = {
  id: string;
  institutionId: string;
  district: string;
  status: string;
  overdue: boolean;
  escalated: boolean;
  createdAt: Date;
};
interface TaskCell {
  institutionId: string;
  district: string;
  day: string;
  open: number;
  overdue: number;
  escalated: number;
}

/** The UTC day a task was opened: its counter row. */
export const taskDay = (createdAt: Date) => createdAt.toISOString().slice(0, 10);

/** What a set of task rows adds to the counters: each open task counts once, and once more if overdue, escalated. */
function taskCells(rows: readonly TaskTallyRow[], sign: 1 | -1, into = new Map<string, TaskCell>()) {
  for (const r of rows) {
    if (r.status !== 'OPEN') continue;
    const day = taskDay(r.createdAt);
    const key = JSON.stringify([r.institutionId, r.district, day]);
    const cell = into.get(key) ?? {
      institutionId: r.institutionId,
      district: r.district,
      day,
      open: 0,
      overdue: 0,
      escalated: 0,
    };
    cell.open += sign;
    cell.overdue += r.overdue ? sign : 0;
    cell.escalated += r.escalated ? sign : 0;
    into.set(key, cell);
  }
  return into;
}

/** Adds what a change of some task rows (before → after, in the same transaction) changes in the counters. */
export async function countTasks(
  tx: Tx,
  before: readonly TaskTallyRow[],
  after: readonly TaskTallyRow[],
): Promise<void> {
  const cells = taskCells(after, 1, taskCells(before, -1));
  for (const c of cells.values()) {
    if (!c.open && !c.overdue && !c.escalated) continue;
    await tx.taskTally.upsert({
      where: {
        institutionId_district_day: { institutionId: c.institutionId, district: c.district, day: c.day },
      },
      create: c,
      update: {
        open: { increment: c.open },
        overdue: { increment: c.overdue },
        escalated: { increment: c.escalated },
      },
    });
  }
}

/** Throws the open-task counters away and counts the open tasks again (ensureTallies, recountTallies). */
export async function recountTaskTallies(db: Db): Promise<{ open: number }> {
  return db.$transaction(
    async (tx) => {
      const cells = new Map<string, TaskCell>();
      let open = 0;
      let cursor: string | undefined;
      for (;;) {
        const rows = await tx.task.findMany({
          where: { status: 'OPEN' },
          select: TASK_TALLY_COLUMNS,
          orderBy: { id: 'asc' },
          take: 5_000,
          ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
        });
        if (rows.length === 0) break;
        taskCells(rows, 1, cells);
        open += rows.length;
        cursor = rows.at(-1)!.id;
      }
      await tx.taskTally.deleteMany();
      await tx.taskTally.createMany({ data: [...cells.values()] });
      return { open };
    },
    { timeout: 600_000 },
  );
}
