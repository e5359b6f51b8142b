// Load (issue 14, item 4): LOAD_CLASSES classes of 30 trainees (default 1,000: 30,000 trainees) opened and kept
// open at once, each driven through the real HTTP API by LOAD_CLIENTS concurrent clients (default 50): the plan
// filed by the institution's system, approved by a caseworker, the roster enrolled, training started, attendance
// reported, training finished, the results recorded by the assessment body — until every class is in its 3-month
// employment follow-up (on the real clock, so all of them, and their 30 follow-up children each, stay open).
// The system runs as `npm start` runs it (scripts/stack.ts), or as `npm run start:cluster` does with
// LOAD_TARGET=cluster (scripts/cluster.ts). Writes bench/results/load.json
// { openClasses, trainees, workerRssMb, apiP99Ms, errors, ... }. Targets: 0 errors, worker RSS < 1 GiB.
//   npm run bench:load          LOAD_CLASSES=1000 · LOAD_CLIENTS=50 · LOAD_TARGET=stack|cluster
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, ROOT, startBenchStack } from '../scripts/stack';
import { randomTemporalPort, startCluster } from '../scripts/cluster';
import { openDatabase, type Db } from '../platform/db';
import { addDays } from '../domain/dates';
import { STAGES, type Stage } from '../workflows/messages';
import { chaosPlan, PASSWORD, prepare, roster } from './chaos';
import { login } from '../prisma/demoApi';

const CLASSES = Number(process.env.LOAD_CLASSES ?? 1000);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const TARGET = process.env.LOAD_TARGET === 'cluster' ? 'cluster' : 'stack';
const TRAINEES = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Call {
  (method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** Every request's latency and every unexpected answer, across all clients. */
class Meter {
  readonly latencies: number[] = [];
  readonly errors: string[] = [];
  caller(base: string, auth: Record<string, string>): Call {
    return async (method, url, body) => {
      const t = performance.now();
      const res = await fetch(base + url, {
        method,
        headers: {
          accept: 'application/json',
          ...auth,
          ...(method === 'POST'
            ? { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }
            : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      this.latencies.push(performance.now() - t);
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
  }
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-load-'));
  const env = { SKILLFLOW_REGION: 'CHAOS', LOG_LEVEL: 'warn', PAYMENT_GATEWAY: 'file' };
  let stop: () => Promise<void> = async () => undefined;
  let db: Db | undefined;
  try {
    let base: string;
    let databaseUrl: string;
    let workerPids: () => (number | undefined)[];
    if (TARGET === 'cluster') {
      fs.chmodSync(dataDir, 0o755);
      const cluster = await startCluster({
        dataDir,
        temporalPort: randomTemporalPort(),
        apiPort: await freePort(),
        seedDemo: false,
        extraEnv: env,
      });
      stop = () => cluster.stop();
      base = cluster.apiUrls[0]!;
      databaseUrl = cluster.env.DATABASE_URL!;
      workerPids = () => [cluster.pid('worker-1'), cluster.pid('worker-2')];
    } else {
      const stack = await startBenchStack(dataDir, env);
      stop = () => stack.stop();
      base = new URL(stack.urls.web).origin;
      databaseUrl = stack.env.DATABASE_URL!;
      workerPids = () => [stack.pid('worker')];
    }
    db = openDatabase(databaseUrl);
    // The real clock (a policy day is a day): the classes stay in their follow-up for the whole run.
    const { institutionKey, assessorKey } = await prepare(db, 86_400);
    const meter = new Meter();
    const inst = meter.caller(base, { authorization: `Bearer ${institutionKey}` });
    const assessor = meter.caller(base, { authorization: `Bearer ${assessorKey}` });
    const session = await login(base, 'chaos-cw', PASSWORD);
    const cw = meter.caller(base, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });

    let peakRss = 0;
    const sampling = setInterval(() => {
      peakRss = Math.max(peakRss, ...workerPids().map(rssMb));
    }, 2_000);

    const expect = (what: string, res: { status: number; body: unknown }, status: number) => {
      if (res.status !== status)
        throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    };
    const reach = async (classId: string, stage: Stage) => {
      const deadline = Date.now() + 600_000;
      for (;;) {
        const res = await cw('GET', `/api/v1/cases/${encodeURIComponent(classId)}`);
        const body = res.body as { case?: { stage?: string } | null } | undefined;
        const now = body?.case?.stage;
        if (now && STAGES.indexOf(now as Stage) >= STAGES.indexOf(stage)) return;
        if (Date.now() > deadline) throw new Error(`${classId} did not reach ${stage} (at ${now})`);
        await sleep(500);
      }
    };
    const drive = async (i: number) => {
      const plan = chaosPlan(i, TRAINEES);
      const { classId } = expect(
        `file ${i}`,
        await inst('POST', '/api/v1/institution/classes', { plan }),
        202,
      ) as { classId: string };
      const cls = `/api/v1/institution/classes/${encodeURIComponent(classId)}`;
      await reach(classId, 'UNDER_REVIEW');
      expect(
        `${classId} review`,
        await cw('POST', `/api/v1/cases/${classId}/review`, { decision: 'APPROVE' }),
        200,
      );
      await reach(classId, 'ENROLLING');
      const enrolled = expect(
        `${classId} enrol`,
        await inst('POST', `${cls}/trainees`, { trainees: roster(i, TRAINEES) }),
        200,
      ) as { enrolled: { enrollmentId: string; row: number }[]; refused: unknown[] };
      if (enrolled.refused.length)
        throw new Error(`${classId} enrol refused ${JSON.stringify(enrolled.refused)}`);
      const ids = [...enrolled.enrolled].sort((a, b) => a.row - b.row).map((e) => e.enrollmentId);
      expect(`${classId} start`, await inst('POST', `${cls}/start`, {}), 200);
      await reach(classId, 'TRAINING');
      const lessons = Array.from({ length: 9 }, (_, d) => ({
        lessonDate: addDays(plan.plannedStart, d),
        lessonNo: 1,
        entries: ids.map((enrollmentId) => ({ enrollmentId, status: 'PRESENT', hours: 8 })),
      }));
      expect(`${classId} attendance`, await inst('POST', `${cls}/attendance`, { lessons }), 200);
      expect(`${classId} finish`, await inst('POST', `${cls}/finish`, {}), 200);
      await reach(classId, 'ASSESSMENT');
      const results = ids.map((enrollmentId, j) =>
        j % 5 === 4
          ? { enrollmentId, result: 'FAILED' }
          : { enrollmentId, result: 'SKILL_LEVEL_CERT', certificateNo: `L-${i}-${j}` },
      );
      expect(
        `${classId} results`,
        await assessor('POST', `/api/v1/assessor/classes/${encodeURIComponent(classId)}/results`, {
          results,
        }),
        200,
      );
      await reach(classId, 'FOLLOW_UP');
    };

    const t0 = Date.now();
    let next = 0;
    let done = 0;
    const progress = setInterval(() => {
      console.log(
        `load: ${done}/${CLASSES} classes in follow-up after ${Math.round((Date.now() - t0) / 1000)} s, ` +
          `worker RSS ${workerPids().map(rssMb).join('+')} MB, ${meter.errors.length} errors`,
      );
    }, 30_000);
    await Promise.all(
      Array.from({ length: Math.min(CLIENTS, CLASSES) }, async () => {
        for (let i = next++; i < CLASSES; i = next++) {
          try {
            await drive(i);
            done++;
          } catch (err) {
            meter.errors.push(err instanceof Error ? err.message : String(err));
          }
        }
      }),
    );
    const wallSeconds = Math.round((Date.now() - t0) / 1000);
    clearInterval(progress);
    clearInterval(sampling);
    peakRss = Math.max(peakRss, ...workerPids().map(rssMb));

    const openClasses = await db.trainingClass.count({ where: { stage: 'FOLLOW_UP' } });
    const trainees = await db.enrollment.count({ where: { status: 'ENROLLED' } });
    const sorted = [...meter.latencies].sort((a, b) => a - b);
    const pct = (p: number) =>
      Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1));
    const result = {
      target: TARGET,
      classes: CLASSES,
      clients: CLIENTS,
      openClasses,
      trainees,
      workerRssMb: peakRss,
      workers: workerPids().length,
      apiP99Ms: pct(99),
      apiP50Ms: pct(50),
      requests: sorted.length,
      errors: meter.errors.length,
      errorExamples: meter.errors.slice(0, 5),
      wallSeconds,
      classesPerMinute: Number(((done * 60) / wallSeconds).toFixed(1)),
      targets: { errors: 0, workerRssMb: '< 1024' },
      measuredAt: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    };
    const file = path.join(ROOT, 'bench', 'results', CLASSES >= 1000 ? 'load.json' : 'load-short.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await db?.$disconnect().catch(() => undefined);
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
