// The click (issue 14, item 5): how long a caseworker waits between pressing 通过 on a plan in the inbox and the
// inbox no longer showing it — the API, the Update on the class workflow, the projection into the read model and
// the inbox's read — next to a bare Update on a minimal workflow on the same Temporal server in the same run.
// The system runs as `npm start` runs it (scripts/stack.ts: the compiled worker and API under the supervisor, a
// Temporal dev server on a SQLite file) in a temporary folder; the bare workflow's worker runs in this process.
// Samples alternate (bare, direct, click, bare, ...), one at a time, after a warm-up, so all see the same machine;
// `direct` is the same approval sent straight to the class workflow (no API), to tell the API's share from the
// workflow's.
// Writes bench/results/click.json { clickP99Ms, bareUpdateP99Ms, ratio, ... }. Target: ratio ≤ 1.5.
//   npm run bench:click          CLICK_SAMPLES=200 (default) · CLICK_WARMUP=10
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { ROOT, startBenchStack, type Stack } from '../scripts/stack';
import { openDatabase, type Db } from '../platform/db';
import { seedReference } from '../prisma/reference';
import { hashPassword } from '../api/auth/passwords';
import { ApiKeyStore } from '../api/auth/apiKeys';
import { demoApi } from '../prisma/demoApi';
import { HEBEI_2024, PolicyVersionSchema } from '../domain/policy';
import { baselineStepUpdate } from './baselineWorkflow';
import { chaosPlan } from './chaos';
import { EncryptionCodec } from '../platform/codec';
import * as m from '../workflows/messages';

const SAMPLES = Number(process.env.CLICK_SAMPLES ?? 200);
const WARMUP = Number(process.env.CLICK_WARMUP ?? 10);
const PASSWORD = 'click bench 2026';
const BARE_QUEUE = 'skillflow-click-bare';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TaskPage {
  items: { id: string; classId: string; kind: string }[];
  total: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(1));
  return {
    p50: r(percentile(s, 50)),
    p90: r(percentile(s, 90)),
    p99: r(percentile(s, 99)),
    max: r(s[s.length - 1]!),
    mean: r(s.reduce((a, b) => a + b, 0) / s.length),
  };
};

async function prepare(db: Db) {
  await seedReference(db, [PolicyVersionSchema.parse({ ...HEBEI_2024, id: 'click', region: 'CLICK' })]);
  await db.user.create({
    data: {
      id: 'u-click-cw',
      username: 'click-cw',
      displayName: '点击基准审核员',
      role: 'CASEWORKER',
      passwordHash: await hashPassword(PASSWORD),
    },
  });
  return (await new ApiKeyStore(db).issue('inst-sjz-01', 'click bench')).key;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function runClick(samples = SAMPLES, warmup = WARMUP, log = console.log) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-click-'));
  let stack: Stack | undefined;
  let db: Db | undefined;
  let connection: Connection | undefined;
  try {
    stack = await startBenchStack(dataDir, { SKILLFLOW_REGION: 'CLICK', LOG_LEVEL: 'warn' });
    db = openDatabase(stack.env.DATABASE_URL!);
    const institutionKey = await prepare(db);
    const base = stack.urls.web;
    const caseworker = await demoApi(base, 'click-cw', PASSWORD);

    // The plans: filed through the API by the institution's system, one per click, all in the inbox first.
    const n = samples + warmup;
    log(`click: filing ${2 * n} plans`);
    for (let i = 0; i < 2 * n; i++) {
      const res = await fetch(`${base}api/v1/institution/classes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${institutionKey}`,
          'content-type': 'application/json',
          'idempotency-key': `click-plan-${i}`,
        },
        body: JSON.stringify({ plan: chaosPlan(i, 30) }),
      });
      if (res.status !== 202) throw new Error(`plan ${i}: ${res.status} ${await res.text()}`);
    }
    const inbox = (limit: number) => caseworker<TaskPage>('GET', `/tasks?kind=REVIEW_PLAN&limit=${limit}`);
    await until(
      `${2 * n} plans in the inbox`,
      async () => ((await inbox(1)).total >= 2 * n ? true : undefined),
      600_000,
    );

    // The yardstick: a minimal workflow that takes Updates, its worker in this process, on the same server.
    connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS! });
    const client = new Client({ connection });
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: stack.env.TEMPORAL_ADDRESS! }),
      taskQueue: BARE_QUEUE,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./workflows'),
        logger: new DefaultLogger('WARN'),
      }),
    });
    const running = worker.run();
    const bare = await client.workflow.start('baselineWorkflow', {
      workflowId: 'click-bare',
      taskQueue: BARE_QUEUE,
      args: [{ updates: Number.MAX_SAFE_INTEGER, activities: 0, timers: 0 }],
    });

    const direct = new Client({
      connection,
      dataConverter: { payloadCodecs: [new EncryptionCodec(stack.env.SKILLFLOW_PAYLOAD_KEY!)] },
    });
    const directs: number[] = [];
    const clicks: number[] = [];
    const bares: number[] = [];
    const answers: number[] = [];
    const polls: number[] = [];
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      await bare.executeUpdate(baselineStepUpdate);
      const bareMs = performance.now() - t;

      // The same decision sent straight to the class workflow (no API): what the class's own Update costs.
      const next = (await inbox(1)).items[0];
      if (!next) throw new Error('the inbox ran out of plans');
      t = performance.now();
      await direct.workflow.getHandle(next.classId).executeUpdate(m.reviewPlanUpdate, {
        args: [{ actor: { userId: 'u-click-cw', role: 'CASEWORKER' }, decision: 'APPROVE' }],
      });
      const directMs = performance.now() - t;
      await until(`${next.classId} out of the inbox`, async () =>
        (await inbox(1)).items[0]?.id !== next.id ? true : undefined,
      );
      // The click: the caseworker takes the top of the inbox and approves it; it ends when the inbox no longer
      // shows that task (the read model has the decision).
      const top = (await inbox(1)).items[0];
      if (!top) throw new Error('the inbox ran out of plans');
      t = performance.now();
      await caseworker('POST', `/tasks/${encodeURIComponent(top.id)}/act`, {
        kind: 'REVIEW_PLAN',
        decision: 'APPROVE',
      });
      const answeredMs = performance.now() - t;
      let reads = 0;
      for (;;) {
        reads++;
        const now = await inbox(1);
        if (now.items[0]?.id !== top.id) break;
        if (performance.now() - t > 60_000) throw new Error(`${top.classId}: still in the inbox after 60 s`);
      }
      const clickMs = performance.now() - t;
      if (i >= warmup) {
        bares.push(bareMs);
        clicks.push(clickMs);
        answers.push(answeredMs);
        directs.push(directMs);
        polls.push(reads);
      }
    }
    worker.shutdown();
    await running;

    const click = summary(clicks);
    const bareUpdate = summary(bares);
    return {
      samples,
      warmup,
      clickP99Ms: click.p99,
      bareUpdateP99Ms: bareUpdate.p99,
      ratio: Number((click.p99 / bareUpdate.p99).toFixed(2)),
      click,
      bareUpdate,
      /** the click's first part: until POST /tasks/{id}/act answered (the Update completed) */
      actAnswered: summary(answers),
      direct: summary(directs),
      inboxReadsPerClickMean: Number((polls.reduce((a, b) => a + b, 0) / polls.length).toFixed(1)),
      target: 'ratio ≤ 1.5',
      measuredAt: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}`,
      note:
        'click: POST /tasks/{id}/act (REVIEW_PLAN, APPROVE) as a logged-in caseworker until GET /tasks no longer lists the task; ' +
        'bare: WorkflowHandle.executeUpdate on a workflow whose Update handler only counts, worker in the bench process; ' +
        'direct: the approval as an Update on the class workflow from this process (no API); ' +
        'One at a time, alternating, on one Temporal dev server (SQLite file).',
    };
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.$disconnect().catch(() => undefined);
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runClick()
    .then((result) => {
      const file = path.join(ROOT, 'bench', 'results', 'click.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
