// Lifecycle benchmark: N classes of 30 trainees driven through the whole lifecycle (plan → payout) on the
// Temporal dev server with a compressed-clock policy, and in the same run N minimal workflows with the same
// number of Updates, activities and timers (the baseline of DESIGN.md "Performance facts").
// Writes bench/results/lifecycle.json { classes, lifecyclesPerMin, baselinePerMin, ratio }.
//   BENCH_CLASSES=20 npm run bench:lifecycle
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities';
import { openDatabase } from '../platform/db';
import { SimulatedBank } from '../activities/payments';
import { seedReference } from '../prisma/reference';
import { registerPeople } from '../prisma/people';
import { freePort, ROOT } from '../scripts/stack';
import { DEV_SERVER_FLAGS } from '../worker/searchAttributes';
import { HEBEI_2024, PolicyVersionSchema } from '../domain/policy';
import { addDays, shanghaiDate } from '../domain/dates';
import * as m from '../workflows/messages';
import type { trainingClassWorkflow } from '../workflows';
import { baselineStepUpdate } from './baselineWorkflow';

const CLASSES = Number(process.env.BENCH_CLASSES ?? 10);
const TRAINEES = 30;
const SECONDS_PER_DAY = Number(process.env.BENCH_SECONDS_PER_DAY ?? 0.02); // 3 months ≈ 1.8 s

// The Hebei rules with a compressed clock, for a region of its own so nothing else picks it up.
const BENCH_POLICY = PolicyVersionSchema.parse({
  ...HEBEI_2024,
  id: 'bench-fast',
  region: 'BENCH',
  clock: { secondsPerDay: SECONDS_PER_DAY },
});
const actors = {
  institution: { userId: 'u-inst', role: 'INSTITUTION', organisationId: 'inst-sjz-01' } as m.Actor,
  caseworker: { userId: 'u-cw', role: 'CASEWORKER' } as m.Actor,
  finance: { userId: 'u-fin', role: 'FINANCE' } as m.Actor,
  assessor: { userId: 'u-asr', role: 'ASSESSOR', organisationId: 'assess-sjz-01' } as m.Actor,
};

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function runClass(client: Client, classId: string, personKeys: string[]): Promise<void> {
  const today = shanghaiDate(new Date().toISOString());
  const start = addDays(today, 10);
  const plan: m.ClassPlan = {
    title: `基准测试班 ${classId}`,
    occupationCode: '4-03-02-01',
    level: 'LEVEL_5',
    plannedStart: start,
    plannedEnd: addDays(start, 9),
    classHours: 80,
    capacity: TRAINEES,
    venue: '实训楼',
    teachers: ['讲师'],
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    commitment: false,
    courseTable: [],
    assessmentBodyId: 'assess-sjz-01',
    plannedAssessmentDate: addDays(start, 12),
  };
  const handle: WorkflowHandle<typeof trainingClassWorkflow> = await client.workflow.start<
    typeof trainingClassWorkflow
  >('trainingClassWorkflow', {
    workflowId: classId,
    taskQueue: m.TASK_QUEUE,
    args: [
      { classId, institutionId: 'inst-sjz-01', district: '长安区', plan, submittedBy: actors.institution },
    ],
  });
  const state = () => handle.query(m.caseStateQuery);
  const at = (stage: m.Stage) =>
    until(async () => ((await state()).stage === stage ? true : undefined), `${classId} ${stage}`);
  await at('UNDER_REVIEW');
  await handle.executeUpdate(m.reviewPlanUpdate, {
    args: [{ actor: actors.caseworker, decision: 'APPROVE' }],
  });
  await at('ENROLLING');
  const trainees = personKeys.map((personKey, i) => ({
    enrollmentId: `${classId}-E${i}`,
    personKey,
    category: 'REGISTERED_UNEMPLOYED' as const,
  }));
  await handle.executeUpdate(m.enrolTraineesUpdate, { args: [{ actor: actors.institution, trainees }] });
  await handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: actors.institution }] });
  await at('TRAINING');
  const ids = trainees.map((t) => t.enrollmentId);
  const lessons = Array.from({ length: 10 }, (_, i) => ({
    lessonDate: addDays(start, i),
    lessonNo: 1,
    entries: ids.map((enrollmentId) => ({ enrollmentId, status: 'PRESENT' as const, hours: 8 })),
  }));
  await handle.executeUpdate(m.reportAttendanceUpdate, { args: [{ actor: actors.institution, lessons }] });
  await handle.executeUpdate(m.finishTrainingUpdate, { args: [{ actor: actors.institution }] });
  await at('ASSESSMENT');
  const results = ids.map((enrollmentId, i) =>
    i % 5 === 4
      ? { enrollmentId, result: 'FAILED' as const }
      : { enrollmentId, result: 'SKILL_LEVEL_CERT' as const, certificateNo: `C${i}` },
  );
  await handle.executeUpdate(m.recordAssessmentUpdate, { args: [{ actor: actors.assessor, results }] });
  await at('FOLLOW_UP');
  const batch = await until(
    async () => (await state()).batches.find((b) => b.status === 'AWAITING_APPROVAL'),
    `${classId} payout`,
  );
  await handle.executeUpdate(m.approvePaymentUpdate, {
    args: [{ actor: actors.finance, batchId: batch.batchId }],
  });
  const closed = await handle.result();
  if (closed.stage !== 'CLOSED') throw new Error(`${classId} ended ${closed.stage}`);
}

/** What one class costs Temporal, counted from its history (children included). */
async function shapeOf(client: Client, classId: string) {
  const count = async (workflowId: string) => {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const n = (attr: string) => events.filter((e) => (e as Record<string, unknown>)[attr] != null).length;
    return {
      updates: n('workflowExecutionUpdateAcceptedEventAttributes'),
      activities: n('activityTaskScheduledEventAttributes'),
      timers: n('timerStartedEventAttributes'),
    };
  };
  const shape = await count(classId);
  for await (const child of client.workflow.list({
    query: `WorkflowId STARTS_WITH '${classId}.followup.'`,
  })) {
    const c = await count(child.workflowId);
    shape.activities += c.activities;
    shape.timers += c.timers;
  }
  return shape;
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-bench-'));
  const temporal = execFileSync('bash', [path.join(ROOT, 'scripts', 'temporal-cli.sh')], {
    encoding: 'utf8',
  }).trim();
  const port = await freePort();
  const server = spawn(
    temporal,
    [
      'server',
      'start-dev',
      '--db-filename',
      path.join(dir, 'temporal.db'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(await freePort()),
      '--log-level',
      'error',
      ...DEV_SERVER_FLAGS,
    ],
    { stdio: 'ignore' },
  );
  const address = `127.0.0.1:${port}`;
  try {
    const connection = await until(
      () => Connection.connect({ address, connectTimeout: 1000 }).catch(() => undefined),
      'Temporal dev server',
      60_000,
    );
    const client = new Client({ connection });

    const dbFile = path.join(dir, 'bench.db');
    const sqlite = new Database(dbFile);
    const migrations = path.join(ROOT, 'prisma', 'migrations');
    for (const d of fs
      .readdirSync(migrations)
      .filter((x) => fs.statSync(path.join(migrations, x)).isDirectory())
      .sort())
      sqlite.exec(fs.readFileSync(path.join(migrations, d, 'migration.sql'), 'utf8'));
    sqlite.close();
    const db = openDatabase(`file:${dbFile}`);
    await seedReference(db, [BENCH_POLICY]);
    const keys = { piiKey: Buffer.alloc(32, 9), personKeySecret: 'bench' };
    const people = await registerPeople(db, keys, 0, CLASSES * TRAINEES);

    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address }),
      taskQueue: m.TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./workflows'),
        logger: new DefaultLogger('WARN'),
      }),
      activities: createActivities({
        db,
        payments: new SimulatedBank(db),
        piiKey: keys.piiKey,
        region: 'BENCH',
      }),
      maxCachedWorkflows: 1000,
    });
    const running = worker.run();

    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: CLASSES }, (_, i) =>
        runClass(
          client,
          `BENCH-${i}`,
          people.slice(i * TRAINEES, (i + 1) * TRAINEES).map((p) => p.personKey),
        ),
      ),
    );
    const classMs = Date.now() - t0;
    const shape = await shapeOf(client, 'BENCH-0');

    const t1 = Date.now();
    await Promise.all(
      Array.from({ length: CLASSES }, async (_, i) => {
        const handle = await client.workflow.start('baselineWorkflow', {
          workflowId: `BASELINE-${i}`,
          taskQueue: m.TASK_QUEUE,
          args: [shape],
        });
        for (let u = 0; u < shape.updates; u++) await handle.executeUpdate(baselineStepUpdate);
        await handle.result();
      }),
    );
    const baselineMs = Date.now() - t1;
    worker.shutdown();
    await running;
    await connection.close();
    await db.$disconnect();

    const lifecyclesPerMin = (CLASSES * 60_000) / classMs;
    const baselinePerMin = (CLASSES * 60_000) / baselineMs;
    const result = {
      classes: CLASSES,
      traineesPerClass: TRAINEES,
      secondsPerPolicyDay: SECONDS_PER_DAY,
      shape,
      classWallMs: classMs,
      baselineWallMs: baselineMs,
      lifecyclesPerMin: Number(lifecyclesPerMin.toFixed(2)),
      baselinePerMin: Number(baselinePerMin.toFixed(2)),
      ratio: Number((lifecyclesPerMin / baselinePerMin).toFixed(3)),
      note: 'The class lifecycle includes compressed waits (3-month follow-up, 3-working-day notice) that the baseline does not have.',
    };
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(ROOT, 'bench', 'results', 'lifecycle.json'),
      JSON.stringify(result, null, 2) + '\n',
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
