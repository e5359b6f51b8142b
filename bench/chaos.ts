// Crash harness (issue 14, item 1): N classes through the whole lifecycle on a compressed clock with the
// bank-file payment gateway, driven through the real HTTP API by clients that time out and retry, while the
// worker is SIGKILLed at random moments (some while a payment submission or a projection write is in flight),
// and the API process and the Temporal server are each killed and restarted once. The system runs as
// `npm start` runs it (scripts/stack.ts: compiled processes under the supervisor, a Temporal dev server on a
// SQLite file) in a temporary folder on free ports. Afterwards bench/chaos/checks.ts checks what must hold.
// Writes bench/results/chaos.json (chaos-short.json for fewer than 20 classes):
// { classes, kills, restarts, lost, duplicatePayments, reconcileErrors, projectionMismatches, ... }.
//   npm run build:server && CHAOS_CLASSES=20 node dist/bench/chaos.js   (or npm run test:chaos)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { logLines, ROOT, startBenchStack, type Stack, type StackProcess } from '../scripts/stack';
import { startBenchCluster } from '../scripts/cluster';
import type { RestartPolicy } from '../scripts/supervisor';
import { openDatabase, type Db } from '../platform/db';
import { EncryptionCodec } from '../platform/codec';
import { seedReference } from '../prisma/reference';
import { hashPassword } from '../api/auth/passwords';
import { ApiKeyStore } from '../api/auth/apiKeys';
import { HEBEI_2024, PolicyVersionSchema, type PolicyVersion } from '../domain/policy';
import { makeIdNumber } from '../domain/identity';
import { addDays, shanghaiDate } from '../domain/dates';
import { STAGES, type ClassPlan, type Stage } from '../workflows/messages';
import { ApiCaller, newStats, type ClientStats } from './chaos/client';
import { Killer } from './chaos/killer';
import { verify, type Verdict } from './chaos/checks';
import { openBankDesk } from './chaos/bank';

export interface ChaosOptions {
  classes: number;
  /** worker kills the run must reach (it keeps killing until every class has ended) */
  minKills: number;
  traineesPerClass?: number;
  /** a policy "day" in seconds: the 3-month follow-up lasts 90 × this */
  secondsPerDay?: number;
  /** a class that has not ended by then counts as lost */
  deadlineMs?: number;
  log?: (line: string) => void;
  /** keep the data folder (logs, databases, bank files) for a look afterwards */
  keep?: boolean;
  /**
   * `stack` (default): as `npm start` runs (a Temporal dev server on SQLite, one worker, one API).
   * `cluster`: as `npm run start:cluster` runs (scripts/cluster.ts: the production Temporal server as five
   * processes on PostgreSQL, two workers and two APIs on a PostgreSQL read model); the Temporal restart is then a
   * SIGKILLed history host, and PostgreSQL (Temporal's and the read model's) is also crashed and restarted once.
   */
  target?: 'stack' | 'cluster';
}

export interface ChaosResult {
  target: 'stack' | 'cluster';
  classes: number;
  kills: number;
  restarts: number;
  lost: number;
  duplicatePayments: number;
  reconcileErrors: number;
  projectionMismatches: number;
  openTasksOfClosedCases: number;
  extraClasses: number;
  replayMismatches: number;
  stuckIdempotencyKeys: number;
  killsWhilePaymentInFlight: number;
  killsWhileProjectionInFlight: number;
  apiRestartedWithRequestsInFlight: boolean;
  commands: number;
  clientTimeouts: number;
  clientRetries: number;
  seconds: number;
  paidFenPerClass: number[];
  killLog: { at: string; process: string; mode: string; inFlight?: string }[];
  /** the case doctors' lines: cases the SDK's update-order defect stopped, repaired or not (worker/doctor.ts) */
  caseDoctor: string[];
  /**
   * What the run looked like at its end, for a run that went wrong (the first lines of `problems` then): the API's
   * health answer, how often each process died, the supervisor's last lines, the harness's own last lines.
   */
  diagnosis: string[];
  problems: string[];
}

/** The lines the case doctors wrote in the run's logs. */
function doctorLines(dataDir: string): string[] {
  return logLines(dataDir).filter((line) => line.includes('case doctor:'));
}

/**
 * How the system looked when the run ended: the API's health answer (or why there was none), how often each
 * process died and the supervisor's last words, and the harness's last log lines (a bank desk that could not
 * reach the API says so there). A failed run in CI leaves nothing else behind: its data folder goes with the
 * machine.
 */
async function endOfRunDiagnosis(
  healthUrl: string,
  dataDir: string,
  harnessLog: string[],
): Promise<string[]> {
  const t = Date.now();
  const health = await fetch(healthUrl, { signal: AbortSignal.timeout(10_000) })
    .then(async (res) => `${res.status} ${(await res.text()).slice(0, 240)}`)
    .catch((err: unknown) => `no answer (${String(err).slice(0, 120)})`);
  const lines = logLines(dataDir);
  const deaths = new Map<string, number>();
  for (const line of lines) {
    const m = /the ([\w-]+) process \(pid \d+\) died/.exec(line);
    if (m) deaths.set(m[1]!, (deaths.get(m[1]!) ?? 0) + 1);
  }
  const supervisor = lines.filter((l) => l.startsWith('skillflow: ')).slice(-3);
  const errors = lines
    .filter((l) => /\b(error|Error|ERROR)\b/.test(l) && !l.startsWith('skillflow: '))
    .slice(-3);
  return [
    `diagnosis: API health after ${Date.now() - t} ms: ${health}`,
    `diagnosis: deaths ${[...deaths].map(([p, n]) => `${p} ${n}`).join(', ') || 'none'}`,
    ...supervisor.map((l) => `diagnosis: supervisor: ${l.slice(0, 300)}`),
    ...errors.map((l) => `diagnosis: log: ${l.slice(0, 300)}`),
    ...harnessLog.slice(-5).map((l) => `diagnosis: harness: ${l.slice(0, 300)}`),
  ];
}

const INSTITUTION = 'inst-sjz-01';
const ASSESSOR_BODY = 'assess-sjz-01';
export const PASSWORD = 'chaos harness 2026';
const HOLD_MS = 1_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stageIndex = (s: string | undefined) => (s ? STAGES.indexOf(s as Stage) : -1);

export function chaosPlan(i: number, trainees: number): ClassPlan {
  const start = addDays(shanghaiDate(new Date().toISOString()), 14);
  return {
    title: `中式烹调师（五级）容错演练班 ${i + 1}`,
    occupationCode: '4-03-02-01',
    level: 'LEVEL_5',
    plannedStart: start,
    plannedEnd: addDays(start, 20),
    classHours: 72,
    capacity: trainees,
    venue: '长安区中山东路88号实训楼3层',
    teachers: ['讲师甲'],
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    commitment: false,
    courseTable: [
      {
        date: start,
        content: '刀工基础',
        hours: 8,
        start: '08:30',
        end: '17:30',
        room: '301',
        teacher: '讲师甲',
      },
    ],
    assessmentBodyId: ASSESSOR_BODY,
    plannedAssessmentDate: addDays(start, 23),
  };
}

/** The class's nine days of training, every trainee present for 8 hours (72 class hours). */
export function lessonsOf(plan: ClassPlan, enrollmentIds: string[]) {
  return Array.from({ length: 9 }, (_, d) => ({
    lessonDate: addDays(plan.plannedStart, d),
    lessonNo: 1,
    entries: enrollmentIds.map((enrollmentId) => ({ enrollmentId, status: 'PRESENT', hours: 8 })),
  }));
}

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨';
/** Made-up people, different in every class (a person takes one class of an occupation and level). */
export function roster(i: number, n: number) {
  return Array.from({ length: n }, (_, j) => ({
    idNumber: makeIdNumber('130104', addDays('1985-01-01', i * 3 + Math.floor(j / 50)), 100 + (j % 50) * 2),
    name: `${SURNAMES[(i + j) % SURNAMES.length]}学员${String.fromCharCode(0x4e00 + ((i * 64 + j) % 20_000))}`,
    category: '城镇登记失业人员',
  }));
}

/** The harness's policy (Hebei's rules on a compressed clock, with `overrides`), its users and API keys. */
export async function prepare(db: Db, secondsPerDay: number, overrides: Partial<PolicyVersion> = {}) {
  const policy = PolicyVersionSchema.parse({
    ...HEBEI_2024,
    ...overrides,
    id: 'chaos-fast',
    region: 'CHAOS',
    clock: { secondsPerDay },
  });
  await seedReference(db, [policy]);
  const hash = await hashPassword(PASSWORD);
  for (const [username, role] of [
    ['chaos-cw', 'CASEWORKER'],
    ['chaos-fin', 'FINANCE'],
  ] as const)
    await db.user.create({
      data: { id: `u-${username}`, username, displayName: username, role, passwordHash: hash },
    });
  const keys = new ApiKeyStore(db);
  return {
    institutionKey: (await keys.issue(INSTITUTION, 'chaos ERP')).key,
    assessorKey: (await keys.issue(ASSESSOR_BODY, 'chaos exam system')).key,
  };
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosResult> {
  const given = opts.log ?? ((line: string) => console.log(line));
  // The harness's last lines are kept for the diagnosis of a run that went wrong.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line);
    if (recent.length > 50) recent.shift();
    given(line);
  };
  const trainees = opts.traineesPerClass ?? 6;
  const secondsPerDay = opts.secondsPerDay ?? 0.1;
  const deadlineMs = opts.deadlineMs ?? 20 * 60_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-chaos-'));
  const marksFile = path.join(dataDir, 'marks.log');
  const bankDir = path.join(dataDir, 'bank');
  const target = opts.target ?? 'stack';
  log(`chaos: ${opts.classes} classes on the ${target}, data in ${dataDir}`);
  const t0 = Date.now();
  let stack: ChaosStack | undefined;
  let db: Db | undefined;
  let connection: Connection | undefined;
  try {
    const extraEnv = {
      PAYMENT_GATEWAY: 'file',
      SKILLFLOW_REGION: 'CHAOS',
      SKILLFLOW_CHAOS_MARKS: marksFile,
      SKILLFLOW_CHAOS_HOLD_MS: String(HOLD_MS),
      LOG_LEVEL: 'warn',
    };
    // Killing is the point: restart at once, never give up.
    const restartPolicy = { firstDelayMs: 200, maxDelayMs: 1_000, maxFailures: 10_000 };
    stack =
      target === 'cluster'
        ? await startChaosCluster(dataDir, extraEnv, restartPolicy)
        : await startBenchStack(dataDir, extraEnv, restartPolicy);
    db = openDatabase(stack.env.DATABASE_URL!);
    const { institutionKey, assessorKey } = await prepare(db, secondsPerDay);
    const base = new URL(stack.urls.web).origin;
    const stats: ClientStats = newStats();
    // No call outlives the run's deadline: a class that cannot go on is reported, not waited for.
    const callers = { deadline: t0 + deadlineMs };
    const inst = ApiCaller.withKey(base, stats, institutionKey, callers);
    const assessor = ApiCaller.withKey(base, stats, assessorKey, callers);
    const cw = await ApiCaller.login(base, stats, 'chaos-cw', PASSWORD, callers);
    const fin = await ApiCaller.login(base, stats, 'chaos-fin', PASSWORD, callers);

    const killer = new Killer({
      stack,
      temporalAddress: stack.env.TEMPORAL_ADDRESS!,
      marksFile,
      holdMs: HOLD_MS,
      maxPaymentKills: Math.max(2, Math.ceil(opts.classes / 4)),
      maxProjectionKills: Math.max(2, Math.ceil(opts.classes / 2)),
      restartApiAfterKills: Math.max(1, Math.floor(opts.minKills / 4)),
      maxWorkerKills: opts.minKills * 3,
      restartTemporalAfterKills: Math.max(2, Math.floor(opts.minKills / 2)),
      restartDatabase: stack.restartDatabase,
      workers: stack.workers,
      inFlight: () => stats.inFlight,
      log,
    });

    // Finance approves every batch; the bank transfers each file once and its return file comes back. The desk
    // works batch after batch: a call that keeps failing (a case whose workflow task fails answers its approval
    // with 503 until repaired) is left after a minute and tried again in a later round, so one stopped case
    // cannot hold every other class's payout (and be counted as three lost).
    const desk = fin.with({ giveUpAfterMs: 60_000 });
    const bank = openBankDesk({
      fin: {
        get: (p) => desk.get(p),
        post: (p, body, contentType) => desk.command(p, body, { contentType }),
      },
      bankDir,
      log,
    });

    const stageOf = async (classId: string) => {
      const res = await cw.get<{ case?: { stage?: string } | null; class?: { stage?: string } | null }>(
        `/api/v1/cases/${encodeURIComponent(classId)}`,
      );
      return res.body.case?.stage ?? res.body.class?.stage;
    };
    const reach = async (classId: string, stage: Stage, until: number) => {
      for (;;) {
        const now = await stageOf(classId).catch(() => undefined);
        if (stageIndex(now) >= stageIndex(stage)) return now;
        if (Date.now() > until) throw new Error(`${classId} did not reach ${stage} (at ${now})`);
        await sleep(1_000);
      }
    };
    const expect = (
      what: string,
      res: { status: number; body: unknown; rekeyed?: boolean },
      status: number,
    ) => {
      // After a stuck key (client.ts) the command went again under a new key: "already done" then means the
      // first one was applied, which is all a client can learn. The stuck key itself is counted and reported.
      const code = (res.body as { code?: string }).code ?? '';
      if (
        res.rekeyed &&
        res.status === 409 &&
        /^(ALREADY_|WRONG_STAGE|RESULTS_EXIST|TRAINING_FINISHED)/.test(code)
      )
        return undefined;
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };

    const classIds: string[] = [];
    const failures: string[] = [];
    const driveClass = async (i: number) => {
      await sleep(i * 1_500); // filings arrive over time
      const until = t0 + deadlineMs;
      const plan = chaosPlan(i, trainees);
      const filed = expect(
        `file class ${i}`,
        await inst.command('/api/v1/institution/classes', { plan }),
        202,
      ) as { classId: string };
      const id = filed.classId;
      classIds.push(id);
      const cls = `/api/v1/institution/classes/${encodeURIComponent(id)}`;
      await reach(id, 'UNDER_REVIEW', until);
      expect(`${id} review`, await cw.command(`/api/v1/cases/${id}/review`, { decision: 'APPROVE' }), 200);
      await reach(id, 'ENROLLING', until);
      const enrolled = expect(
        `${id} enrol`,
        await inst.command(`${cls}/trainees`, { trainees: roster(i, trainees) }),
        200,
      ) as { enrolled: { enrollmentId: string; row: number }[]; refused: unknown[] } | undefined;
      if (enrolled?.refused.length)
        throw new Error(`${id} enrol refused ${JSON.stringify(enrolled.refused)}`);
      // Enrolled under a key that got stuck: the roster, as the case page shows it, says who was enrolled.
      const ids = enrolled
        ? [...enrolled.enrolled].sort((a, b) => a.row - b.row).map((e) => e.enrollmentId)
        : (
            (await cw.get<{ trainees: { enrollmentId: string }[] }>(`/api/v1/cases/${id}`)).body.trainees ??
            []
          )
            .map((t) => t.enrollmentId)
            .sort();
      if (ids.length !== trainees) throw new Error(`${id}: ${ids.length} trainees enrolled, not ${trainees}`);
      expect(`${id} start`, await inst.command(`${cls}/start`, {}), 200);
      await reach(id, 'TRAINING', until);
      const lessons = lessonsOf(plan, ids);
      expect(`${id} attendance`, await inst.command(`${cls}/attendance`, { lessons }), 200);
      expect(`${id} finish`, await inst.command(`${cls}/finish`, {}), 200);
      await reach(id, 'ASSESSMENT', until);
      const results = ids.map((enrollmentId, j) =>
        j % 6 === 4
          ? { enrollmentId, result: 'FAILED' }
          : j % 6 === 3
            ? { enrollmentId, result: 'TRAINING_CERT', certificateNo: `T-${i}-${j}` }
            : { enrollmentId, result: 'SKILL_LEVEL_CERT', certificateNo: `C-${i}-${j}` },
      );
      expect(
        `${id} results`,
        await assessor.command(`/api/v1/assessor/classes/${encodeURIComponent(id)}/results`, { results }),
        200,
      );
      await reach(id, 'CLOSED', until);
      log(`chaos: ${id} closed after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    };

    killer.start();
    const outcomes = await Promise.allSettled(Array.from({ length: opts.classes }, (_, i) => driveClass(i)));
    outcomes.forEach((o) => o.status === 'rejected' && failures.push(String(o.reason)));
    // Enough kills even when the classes were quick: keep killing at random until the count is reached.
    while (killer.workerKills.length < opts.minKills && Date.now() < t0 + deadlineMs) await sleep(500);
    await killer.stop().catch((err: unknown) => failures.push(`after the run: ${String(err)}`));
    await bank.stop();
    const seconds = Math.round((Date.now() - t0) / 1000);

    connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS! });
    const client = new Client({
      connection,
      dataConverter: { payloadCodecs: [new EncryptionCodec(stack.env.SKILLFLOW_PAYLOAD_KEY!)] },
    });
    const verdict: Verdict = await verify({ db, client, classIds, bankDir, bankTransfers: bank.transfers });
    const diagnosis = await endOfRunDiagnosis(new URL('/api/health', base).href, dataDir, recent);
    // What the workers' case doctors did (worker/doctor.ts): a repair is reported; a case left stopped is a problem.
    const doctor = doctorLines(dataDir);
    const workerKills = killer.workerKills;
    const trouble = [
      ...failures,
      ...stats.mismatchExamples,
      ...verdict.problems,
      ...doctor.filter((line) => !/ repaired: /.test(line)),
    ];
    return {
      target,
      classes: opts.classes,
      kills: workerKills.length,
      restarts: killer.kills.filter((k) => k.process !== 'worker').length,
      lost: verdict.lost + (opts.classes - classIds.length),
      duplicatePayments: verdict.duplicatePayments,
      reconcileErrors: verdict.reconcileErrors,
      projectionMismatches: verdict.projectionMismatches,
      openTasksOfClosedCases: verdict.openTasksOfClosedCases,
      extraClasses: verdict.extraClasses,
      replayMismatches: stats.replayMismatches,
      stuckIdempotencyKeys: stats.stuckKeys,
      killsWhilePaymentInFlight: workerKills.filter((k) => k.mode === 'payment' && k.inFlight).length,
      killsWhileProjectionInFlight: workerKills.filter((k) => k.mode === 'projection' && k.inFlight).length,
      apiRestartedWithRequestsInFlight: killer.kills.some((k) => k.process === 'api' && k.inFlight),
      commands: stats.commands,
      clientTimeouts: stats.timeouts,
      clientRetries: stats.retries,
      seconds,
      paidFenPerClass: verdict.paidFenPerClass,
      killLog: killer.kills.map(({ at, process, mode, inFlight }) => ({ at, process, mode, inFlight })),
      caseDoctor: doctor,
      diagnosis,
      // What the system looked like comes first: CI shows the beginning of a long list.
      problems: trouble.length ? [...diagnosis, ...trouble] : [],
    };
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.$disconnect().catch(() => undefined);
    await stack?.stop();
    if (!opts.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the harness drives: the one-machine stack, or the cluster with its processes named as the stack's. */
type ChaosStack = Pick<Stack, 'env' | 'pid' | 'stop'> & {
  urls: { web: string };
  restartDatabase?: () => Promise<void>;
  workers?: () => number[];
};

/**
 * The cluster of `npm run start:cluster` on ports of its own. The killer SIGKILLs either worker (the one holding a
 * payment or running a projection, or one at random), restarts the first API (the one the harness's clients
 * call) and the first history host, and crashes PostgreSQL once.
 */
async function startChaosCluster(
  dataDir: string,
  extraEnv: Record<string, string>,
  restartPolicy: Partial<RestartPolicy>,
): Promise<ChaosStack> {
  const cluster = await startBenchCluster(dataDir, extraEnv, restartPolicy);
  const names: Record<StackProcess, string> = {
    worker: 'worker-1',
    api: 'api-1',
    temporal: 'temporal-history-1',
    'worker-demo-clock': 'worker-demo-clock', // not in a cluster: the demo runs under npm start only
  };
  return {
    env: cluster.env,
    urls: { web: `${cluster.apiUrls[0]}/` },
    pid: (name) => cluster.pid(names[name]),
    stop: () => cluster.stop(),
    restartDatabase: () => cluster.restartPostgres(),
    workers: () => ['worker-1', 'worker-2'].flatMap((n) => cluster.pid(n) ?? []),
  };
}

export function writeResult(result: ChaosResult): string {
  const name = `chaos${result.target === 'cluster' ? '-cluster' : ''}${result.classes >= 20 ? '' : '-short'}.json`;
  const file = path.join(ROOT, 'bench', 'results', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

if (require.main === module) {
  const classes = Number(process.env.CHAOS_CLASSES ?? 20);
  runChaos({
    classes,
    minKills: classes >= 20 ? 20 : 5,
    keep: process.env.CHAOS_KEEP === '1',
    target: process.env.CHAOS_TARGET === 'cluster' ? 'cluster' : 'stack',
  })
    .then((result) => {
      console.log(`chaos: wrote ${writeResult(result)}`);
      console.log(JSON.stringify({ ...result, killLog: undefined }, null, 2));
      const bad =
        result.lost + result.duplicatePayments + result.reconcileErrors + result.projectionMismatches;
      process.exit(bad ? 1 : 0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
