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
import { ROOT } from '../scripts/stack';
import { startSystem } from './system';
import { loadSettings } from '../platform/config';
import { openDatabase, type Db } from '../platform/db';
import { STAGES, type Stage } from '../workflows/messages';
import { chaosPlan, lessonsOf, PASSWORD, prepare, roster } from './chaos';
import { login } from '../prisma/demoApi';
import { expectStatus, fileClass, Meter, rssMb, trainClass } from './meter';

const CLASSES = Number(process.env.LOAD_CLASSES ?? 1000);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const TARGET = process.env.LOAD_TARGET === 'cluster' ? 'cluster' : 'stack';
const TRAINEES = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-load-'));
  const env = { SKILLFLOW_REGION: 'CHAOS', LOG_LEVEL: 'warn', PAYMENT_GATEWAY: 'file' };
  let stop: () => Promise<void> = async () => undefined;
  let db: Db | undefined;
  try {
    const system = await startSystem(TARGET, dataDir, env);
    stop = system.stop;
    const { base, workerPids } = system;
    db = openDatabase(system.env.DATABASE_URL!);
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

    const expect = expectStatus;
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
      const classId = await fileClass(inst, i, plan);
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
      await trainClass(inst, classId, lessonsOf(plan, ids), reach);
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
    const result = {
      target: TARGET,
      classes: CLASSES,
      clients: CLIENTS,
      openClasses,
      trainees,
      workerRssMb: peakRss,
      workflowCache: loadSettings(system.env).workflowCacheSize,
      workers: workerPids().length,
      apiP99Ms: meter.percentile(99),
      apiP50Ms: meter.percentile(50),
      requests: meter.latencies.length,
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
