// The crash harness (bench/chaos.ts, issue 14 item 1) as a test: classes through the whole lifecycle while the
// worker is SIGKILLed again and again (some kills while a payment submission or a projection write is in
// flight) and the API and the Temporal server are restarted once each; then nothing is lost, nothing is paid
// twice, money reconciles to the fen and the read model agrees with every workflow. Every test run has the
// short form (3 classes, ≥ 5 kills, a few minutes); `npm run test:chaos` the full one (CHAOS_CLASSES=20,
// ≥ 20 kills). Runs the compiled processes (`npm run build:server` first; scripts/test.sh builds).
import { runChaos, writeResult, type ChaosResult } from '../../bench/chaos';

const CLASSES = Number(process.env.CHAOS_CLASSES ?? 3);
/** `npm start`'s one machine (default), or `npm run start:cluster`'s cluster (CHAOS_TARGET=cluster) */
const TARGET = process.env.CHAOS_TARGET === 'cluster' ? 'cluster' : 'stack';
/** the API and Temporal restarted once each; on the cluster (a history host) PostgreSQL crashed once too */
const RESTARTS = TARGET === 'cluster' ? 3 : 2;
const FULL = CLASSES >= 20;
const MIN_KILLS = FULL ? 20 : 5;

// The run stops at its deadline; then a minute for a worker to poll again, two for the verdict's queries.
jest.setTimeout((FULL ? 60 : 14) * 60_000);

describe(`SkillFlow under SIGKILL (${TARGET})`, () => {
  let result: ChaosResult;
  beforeAll(async () => {
    result = await runChaos({
      classes: CLASSES,
      minKills: MIN_KILLS,
      deadlineMs: (FULL ? 45 : 9) * 60_000,
      keep: process.env.CHAOS_KEEP === '1',
      log: () => undefined,
      target: TARGET,
    });
    writeResult(result);
  });

  it(`kills the worker at least ${MIN_KILLS} times, mid-payment and mid-projection among them, and restarts the API and Temporal once each${TARGET === 'cluster' ? ' (a history host) and crashes PostgreSQL once' : ''}`, () => {
    expect(result.kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(result.killsWhilePaymentInFlight).toBeGreaterThanOrEqual(1);
    expect(result.killsWhileProjectionInFlight).toBeGreaterThanOrEqual(1);
    expect(result.restarts).toBe(RESTARTS);
    expect(result.apiRestartedWithRequestsInFlight).toBe(true);
  });

  it('brings every case to its end and pays every payment exactly once, reconciled to the fen', () => {
    expect(result.problems).toEqual([]);
    expect({
      lost: result.lost,
      extraClasses: result.extraClasses,
      duplicatePayments: result.duplicatePayments,
      reconcileErrors: result.reconcileErrors,
    }).toEqual({ lost: 0, extraClasses: 0, duplicatePayments: 0, reconcileErrors: 0 });
  });

  it('leaves a read model that agrees with every workflow and no open task on a closed case', () => {
    expect({
      projectionMismatches: result.projectionMismatches,
      openTasksOfClosedCases: result.openTasksOfClosedCases,
    }).toEqual({ projectionMismatches: 0, openTasksOfClosedCases: 0 });
  });

  it('answers every command sent twice with one Idempotency-Key once, the second time as a replay', () => {
    expect(result.commands).toBeGreaterThan(CLASSES * 8);
    expect({
      replayMismatches: result.replayMismatches,
      stuckIdempotencyKeys: result.stuckIdempotencyKeys,
    }).toEqual({ replayMismatches: 0, stuckIdempotencyKeys: 0 });
  });
});
