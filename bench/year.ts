// A province's year (issue 14, item 6), compressed: YEAR_CLASSES classes of 30 trainees (default 1,000, the short
// form; the province's full year is 33,000 ≈ 1,000,000 trainees) driven through their whole lifecycle through the
// real HTTP API on the cluster profile (scripts/cluster.ts; YEAR_TARGET=stack for `npm start`'s), with the shares
// of a real year: plans returned for revision and rejected, classes cancelled, trainees withdrawn before the
// start, assessments failed, a few classes that fail most trainees (the 50 % advance is then recovered, 追回),
// objections during the public notice (dismissed or upheld), and bank refusals (the line goes again in the
// batch's next file). Finance approves every batch; the bank is bench/chaos/bank.ts.
// Writes bench/results/year.json (year-short.json below 1,000 classes) { classes, trainees, wallHours,
// eventsPerSecond, historyEventsPerClass, errors, projectedFullYearHours, ... } and where the time goes.
//   npm run bench:year   YEAR_CLASSES=1000 · YEAR_CONCURRENCY=200 · YEAR_SECONDS_PER_DAY=2 · YEAR_TARGET=cluster|stack
//                        · YEAR_FILING_MINUTES (a time box for filing)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ROOT } from '../scripts/stack';
import { startSystem } from './system';
import { openDatabase, type Db } from '../platform/db';
import { EncryptionCodec } from '../platform/codec';
import { addDays } from '../domain/dates';
import { makeIdNumber } from '../domain/identity';
import type { Stage } from '../workflows/messages';
import { chaosPlan, lessonsOf, PASSWORD, prepare } from './chaos';
import { openBankDesk } from './chaos/bank';
import { login } from '../prisma/demoApi';
import { expectStatus, fileClass, Meter, rssMb, trainClass } from './meter';

const CLASSES = Number(process.env.YEAR_CLASSES ?? 1000);
const CONCURRENCY = Number(process.env.YEAR_CONCURRENCY ?? 200);
/** A time box: no class is filed after this many minutes (the ones under way finish); unset, all are filed. */
const FILING_MINUTES = Number(process.env.YEAR_FILING_MINUTES ?? Infinity);
const SECONDS_PER_DAY = Number(process.env.YEAR_SECONDS_PER_DAY ?? 2);
const TARGET = process.env.YEAR_TARGET === 'stack' ? 'stack' : 'cluster';
const TRAINEES = 30;
const FULL_YEAR_CLASSES = 33_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shares of a year (per class unless said otherwise), from the bureau's own figures of a normal year. */
export const SHARES = {
  rejected: 0.02,
  returned: 0.1,
  cancelled: 0.02,
  withdrawals: 0.08, // classes where one or two trainees withdraw before the start
  failed: 1 / 6, // trainees failing the assessment
  poorClass: 0.03, // classes failing four trainees in five: the advance is not absorbed and is recovered
  objection: 0.03,
  bankRefusal: 0.01, // payment lines the bank refuses once
} as const;

/** What happens to class i: drawn once from its own seeded stream, the same in every run. */
export function scenarioOf(i: number) {
  let t = (i + 1) * 0x9e3779b9;
  const next = () => {
    t = Math.imul(t ^ (t >>> 15), 0x2c1b3c6d) ^ Math.imul(t ^ (t >>> 13), 0x297a2d39);
    return ((t ^ (t >>> 16)) >>> 0) / 2 ** 32;
  };
  const draw = next();
  const review =
    draw < SHARES.rejected ? 'REJECT' : draw < SHARES.rejected + SHARES.returned ? 'RETURN' : 'APPROVE';
  return {
    review,
    cancelled: next() < SHARES.cancelled,
    withdraw: next() < SHARES.withdrawals ? 1 + Math.floor(next() * 2) : 0,
    poor: next() < SHARES.poorClass,
    objection: next() < SHARES.objection ? (next() < 0.5 ? 'DISMISS' : 'UPHOLD') : undefined,
  } as const;
}

/** Made-up people, each in one class only: 1,000,000 distinct men aged 26–46 in Shijiazhuang's districts. */
export function yearRoster(i: number, n: number) {
  return Array.from({ length: n }, (_, j) => {
    const p = i * n + j;
    return {
      idNumber: makeIdNumber('130104', addDays('1980-01-01', p % 7300), 101 + 2 * Math.floor(p / 7300)),
      name: `学员${String.fromCharCode(0x4e00 + (p % 20_000))}${String.fromCharCode(0x4e00 + (Math.floor(p / 20_000) % 20_000))}`,
      category: '城镇登记失业人员',
    };
  });
}

/** A bank refusal is decided by the payment id, so a line refused once goes through in its next file. */
function refusedByBank(paymentId: string, attempt: number): string | undefined {
  if (attempt > 1) return undefined;
  let h = 0;
  for (const ch of paymentId) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return (h % 10_000) / 10_000 < SHARES.bankRefusal ? '账户状态异常' : undefined;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-year-'));
  // Objectors come from many addresses: the API believes the loopback proxy's X-Forwarded-For.
  const env = {
    SKILLFLOW_REGION: 'CHAOS',
    LOG_LEVEL: 'warn',
    PAYMENT_GATEWAY: 'file',
    SKILLFLOW_TRUST_PROXY: 'loopback',
  };
  let stop: () => Promise<void> = async () => undefined;
  let db: Db | undefined;
  let connection: Connection | undefined;
  try {
    const system = await startSystem(TARGET, dataDir, env);
    stop = system.stop;
    const { base, workerPids } = system;
    db = openDatabase(system.env.DATABASE_URL!);
    const readModel = db;
    // Harbin's rule: half the subsidy advanced on approval, deducted at settlement (recovered when it cannot be).
    const { institutionKey, assessorKey } = await prepare(db, SECONDS_PER_DAY, { advanceRatioPct: 50 });
    const meter = new Meter();
    const inst = meter.caller(base, { authorization: `Bearer ${institutionKey}` });
    const assessor = meter.caller(base, { authorization: `Bearer ${assessorKey}` });
    const cwSession = await login(base, 'chaos-cw', PASSWORD);
    const cw = meter.caller(base, { cookie: cwSession.cookie, 'x-csrf-token': cwSession.csrfToken });
    const finSession = await login(base, 'chaos-fin', PASSWORD);
    const fin = meter.caller(base, { cookie: finSession.cookie, 'x-csrf-token': finSession.csrfToken });
    const anyone = meter.caller(base, {});
    const bank = openBankDesk({
      fin: {
        get: (p) => fin('GET', p),
        post: (p, body, contentType) =>
          fin('POST', p, body, contentType ? { 'content-type': contentType } : {}),
      },
      bankDir: path.join(dataDir, 'bank'),
      log: (line) => console.log(line),
      refuse: refusedByBank,
    });

    // One poller reads every waiting class's stage from the read model (what the inbox and case page show). A
    // class waits in each stage the harness acts in; NOTICE may pass between two polls, so its wait also takes
    // the stages after it. An end the harness did not wait for is an error.
    const waiting = new Map<
      string,
      { stages: Stage[]; resolve: (s: Stage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
    >();
    const ENDS: Stage[] = ['REJECTED', 'CLOSED', 'CANCELLED'];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const ids = [...waiting.keys()];
        for (let k = 0; k < ids.length; k += 500) {
          const rows = await readModel.trainingClass
            .findMany({ where: { id: { in: ids.slice(k, k + 500) } }, select: { id: true, stage: true } })
            .catch(() => []); // the read model busy: asked again on the next round
          for (const r of rows) {
            const w = waiting.get(r.id);
            const stage = r.stage as Stage;
            if (!w || !(w.stages.includes(stage) || ENDS.includes(stage))) continue;
            waiting.delete(r.id);
            clearTimeout(w.timer);
            if (w.stages.includes(stage)) w.resolve(stage);
            else
              w.reject(
                new Error(`${r.id} ended ${stage} while the harness waited for ${w.stages.join('/')}`),
              );
          }
        }
        await sleep(1_000);
      }
    })();
    /** The first of `stages` the class is seen in, within 30 minutes. */
    const reach = (classId: string, ...stages: Stage[]) =>
      new Promise<Stage>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(classId);
          reject(new Error(`${classId} did not reach ${stages.join('/')} within 30 minutes`));
        }, 30 * 60_000);
        waiting.set(classId, { stages, resolve, reject, timer });
      });
    const expect = expectStatus;

    const tally = {
      rejected: 0,
      returned: 0,
      cancelled: 0,
      withdrawn: 0,
      failed: 0,
      objections: 0,
      objectionsUpheld: 0,
      objectionsMissed: 0,
      poorClasses: 0,
    };
    const ended = new Map<string, Stage>();
    const endTimes: number[] = [];
    const lifetimes: number[] = [];
    const end = (classId: string, stage: Stage, began: number) => {
      ended.set(classId, stage);
      endTimes.push(Date.now());
      lifetimes.push(Date.now() - began);
    };
    const drive = async (i: number) => {
      const began = Date.now();
      const sc = scenarioOf(i);
      const plan = chaosPlan(i, TRAINEES);
      const classId = await fileClass(inst, i, plan);
      const cls = `/api/v1/institution/classes/${encodeURIComponent(classId)}`;
      const review = (decision: string, reason?: string) =>
        cw('POST', `/api/v1/cases/${classId}/review`, { decision, ...(reason ? { reason } : {}) });
      await reach(classId, 'UNDER_REVIEW');
      if (sc.review === 'REJECT') {
        expect(`${classId} reject`, await review('REJECT', '培训场地不符合要求，不予立项'), 200);
        end(classId, await reach(classId, 'REJECTED'), began);
        tally.rejected++;
        return;
      }
      if (sc.review === 'RETURN') {
        expect(`${classId} return`, await review('RETURN', '请补充实训场地说明'), 200);
        await reach(classId, 'RETURNED');
        const revised = { ...plan, venue: `${plan.venue}（实训工位40个）` };
        expect(`${classId} resubmit`, await inst('POST', `${cls}/plan`, { plan: revised }), 200);
        await reach(classId, 'UNDER_REVIEW');
        tally.returned++;
      }
      expect(`${classId} approve`, await review('APPROVE'), 200);
      await reach(classId, 'ENROLLING');
      const enrolled = expect(
        `${classId} enrol`,
        await inst('POST', `${cls}/trainees`, { trainees: yearRoster(i, TRAINEES) }),
        200,
      ) as { enrolled: { enrollmentId: string; row: number }[]; refused: unknown[] };
      if (enrolled.refused.length)
        throw new Error(`${classId} enrol refused ${JSON.stringify(enrolled.refused).slice(0, 300)}`);
      let ids = [...enrolled.enrolled].sort((a, b) => a.row - b.row).map((e) => e.enrollmentId);
      if (sc.cancelled) {
        expect(
          `${classId} cancel`,
          await inst('POST', `/api/v1/cases/${classId}/cancel`, { reason: '合作企业停产，取消开班' }),
          202,
        );
        end(classId, await reach(classId, 'CANCELLED'), began);
        tally.cancelled++;
        return;
      }
      for (const enrollmentId of ids.slice(0, sc.withdraw)) {
        expect(
          `${classId} withdraw`,
          await inst('DELETE', `${cls}/trainees/${encodeURIComponent(enrollmentId)}`, { reason: '已就业' }),
          204,
        );
        tally.withdrawn++;
      }
      ids = ids.slice(sc.withdraw);
      await trainClass(inst, classId, lessonsOf(plan, ids), reach);
      const fails = (j: number) => (sc.poor ? j % 5 !== 0 : j % 6 === 4);
      const results = ids.map((enrollmentId, j) =>
        fails(j)
          ? { enrollmentId, result: 'FAILED' }
          : { enrollmentId, result: 'SKILL_LEVEL_CERT', certificateNo: `Y-${i}-${j}` },
      );
      tally.failed += results.filter((r) => r.result === 'FAILED').length;
      if (sc.poor) tally.poorClasses++;
      expect(
        `${classId} results`,
        await assessor('POST', `/api/v1/assessor/classes/${encodeURIComponent(classId)}/results`, {
          results,
        }),
        200,
      );
      if (sc.objection) await object(classId, i, sc.objection);
      end(classId, await reach(classId, 'CLOSED', 'CANCELLED'), began);
    };

    /** 异议: someone objects to the first line of the class's notice; the caseworker dismisses or upholds it. */
    const object = async (classId: string, i: number, decision: 'DISMISS' | 'UPHOLD') => {
      const stage = await reach(classId, 'NOTICE', 'PAYOUT', 'CLOSED');
      const notices = expect(
        `${classId} notices`,
        await anyone('GET', `/api/v1/public/notices?q=${encodeURIComponent(classId)}`),
        200,
      ) as { items: { id: string; classId: string; rows: { lineId: string }[] }[] };
      const notice = notices.items.find((n) => n.classId === classId);
      if (stage !== 'NOTICE' || !notice?.rows.length) {
        tally.objectionsMissed++; // the compressed notice closed before the objector came
        return;
      }
      const objected = await anyone(
        'POST',
        `/api/v1/public/notices/${encodeURIComponent(notice.id)}/objections`,
        { lineId: notice.rows[0]!.lineId, reason: '该学员培训期间未实际参加培训' },
        { 'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.9` },
      );
      if (objected.status === 409) {
        tally.objectionsMissed++;
        return;
      }
      const { objectionId } = expect(`${classId} object`, objected, 201) as { objectionId: string };
      tally.objections++;
      const resolution =
        decision === 'UPHOLD'
          ? { upheld: true, action: 'REMOVE', note: '经核实该学员出勤不实，移出名单' }
          : { upheld: false, note: '经核实考勤记录与签到一致，异议不成立' };
      for (let attempt = 0; ; attempt++) {
        const res = await cw(
          'POST',
          `/api/v1/cases/${classId}/objections/${encodeURIComponent(objectionId)}/resolve`,
          resolution,
        );
        if (res.status === 200) break;
        if (attempt >= 30) expect(`${classId} resolve`, res, 200);
        await sleep(1_000); // the objection reaches the workflow a moment after the API answered
      }
      if (decision === 'UPHOLD') tally.objectionsUpheld++;
    };

    let peakRss = 0;
    const sampling = setInterval(() => {
      peakRss = Math.max(
        peakRss,
        workerPids().reduce<number>((n, pid) => n + rssMb(pid), 0),
      );
    }, 2_000);
    const t0 = Date.now();
    let next = 0;
    let filed = 0;
    const progress = setInterval(() => {
      const s = (Date.now() - t0) / 1000;
      console.log(
        `year: ${ended.size}/${filed} classes ended after ${Math.round(s)} s ` +
          `(${((ended.size * 3600) / s).toFixed(0)}/h), ${meter.errors.length} errors ${meter.errors.slice(-1)}, ` +
          `worker RSS ${workerPids().map(rssMb).join('+')} MB`,
      );
    }, 30_000);
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, CLASSES) }, async (_, lane) => {
        await sleep(lane * 200); // filings arrive over the first minute, not all at once
        for (let i = next++; i < CLASSES && Date.now() < t0 + FILING_MINUTES * 60_000; i = next++) {
          filed++;
          try {
            await drive(i);
          } catch (err) {
            meter.errors.push(err instanceof Error ? err.message : String(err));
          }
        }
      }),
    );
    const wallSeconds = (Date.now() - t0) / 1000;
    clearInterval(progress);
    clearInterval(sampling);
    polling = false;
    await poller;
    await bank.stop();

    // Where the time goes: every workflow's history length from visibility, and the shape of a few classes.
    connection = await Connection.connect({ address: system.env.TEMPORAL_ADDRESS! });
    const client = new Client({
      connection,
      dataConverter: { payloadCodecs: [new EncryptionCodec(system.env.SKILLFLOW_PAYLOAD_KEY!)] },
    });
    let classEvents = 0;
    let childEvents = 0;
    let children = 0;
    for await (const wf of client.workflow.list())
      if (wf.type === 'trainingClassWorkflow') classEvents += wf.historyLength;
      else if (wf.workflowId.includes('.followup.')) {
        childEvents += wf.historyLength;
        children++;
      }
    const sample = [...ended].filter(([, s]) => s === 'CLOSED').slice(0, 5);
    let activities = 0;
    let projections = 0;
    let sampleTrainees = 0;
    for (const [classId] of sample) {
      const ids = [classId];
      for await (const c of client.workflow.list({ query: `WorkflowId STARTS_WITH '${classId}.followup.'` }))
        ids.push(c.workflowId);
      for (const id of ids) {
        const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
        for (const e of events) {
          const scheduled = e.activityTaskScheduledEventAttributes;
          if (!scheduled) continue;
          activities++;
          if (scheduled.activityType?.name === 'project') projections++;
        }
      }
      sampleTrainees += await readModel.enrollment.count({ where: { classId } });
    }
    const classIds = [...ended.keys()];
    const trainees = await readModel.enrollment.count({ where: { classId: { in: classIds } } });
    const stages: Record<string, number> = {};
    for (const s of ended.values()) stages[s] = (stages[s] ?? 0) + 1;
    const batches = await readModel.paymentBatch.findMany({
      where: { classId: { in: classIds } },
      include: { payments: true },
    });
    const reconcileErrors = batches.filter(
      (b) => b.payments.reduce((n, p) => n + p.amountFen, 0) !== b.totalFen,
    ).length;
    const money = await readModel.trainingClass.aggregate({
      where: { id: { in: classIds } },
      _sum: { paidFen: true, advancedFen: true, recoveredFen: true },
    });
    const recoveries = await readModel.trainingClass.count({
      where: { id: { in: classIds }, recoveredFen: { gt: 0 } },
    });
    const events = classEvents + childEvents;
    const classesPerHour = (ended.size * 3600) / wallSeconds;
    // The pipeline's rate once full: classes ended between the first end and the last (the fill and the drain
    // of a short run are not the year's rate).
    const steadyPerHour =
      endTimes.length >= 10
        ? ((endTimes.length - 1) * 3_600_000) / (Math.max(...endTimes) - Math.min(...endTimes))
        : classesPerHour;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const result = {
      target: TARGET,
      classes: filed,
      trainees,
      concurrency: CONCURRENCY,
      ...(filed < CLASSES ? { timeBoxed: `${filed} of ${CLASSES} filed in ${FILING_MINUTES} minutes` } : {}),
      secondsPerPolicyDay: SECONDS_PER_DAY,
      wallHours: Number((wallSeconds / 3600).toFixed(3)),
      classesPerHour: Number(classesPerHour.toFixed(1)),
      steadyClassesPerHour: Number(steadyPerHour.toFixed(1)),
      medianClassMinutes: Number((median(lifetimes) / 60_000).toFixed(1)),
      eventsPerSecond: Number((events / wallSeconds).toFixed(1)),
      historyEventsPerClass: Math.round(events / Math.max(1, ended.size)),
      classWorkflowEventsPerClass: Math.round(classEvents / Math.max(1, ended.size)),
      followUpChildren: children,
      eventsPerFollowUpChild: Math.round(childEvents / Math.max(1, children)),
      activitiesPerTrainee: Number((activities / Math.max(1, sampleTrainees)).toFixed(1)),
      projectionWritesPerClass: Math.round(projections / Math.max(1, sample.length)),
      errors: meter.errors.length,
      errorExamples: meter.errors.slice(0, 5),
      projectedFullYearHours: Number((FULL_YEAR_CLASSES / steadyPerHour).toFixed(1)),
      target12h: FULL_YEAR_CLASSES / steadyPerHour <= 12,
      ended: stages,
      scenarios: { ...tally, bankRefusals: bank.refused() },
      money: {
        advancedFen: money._sum.advancedFen ?? 0,
        paidFen: money._sum.paidFen ?? 0,
        recoveredFen: money._sum.recoveredFen ?? 0,
        classesWithRecovery: recoveries,
        batches: batches.length,
        reconcileErrors,
      },
      workerRssMb: peakRss,
      apiP50Ms: meter.percentile(50),
      apiP99Ms: meter.percentile(99),
      requests: meter.latencies.length,
      retriedAfter503: meter.retries,
      measuredAt: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    };
    const file = path.join(ROOT, 'bench', 'results', filed >= 1000 ? 'year.json' : 'year-short.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
    if (result.errors || reconcileErrors) process.exitCode = 1;
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.$disconnect().catch(() => undefined);
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
