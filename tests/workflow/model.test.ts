// Model-based concurrency test of the class workflow (issue 12, item 4). fast-check generates runs: a phase of
// the process, 1–3 classes under the Hebei or Harbin (50 % advance) policy that share people, and waves of
// enrol / withdraw / start / cancel / review / resubmit / evidence / verify / objection / resolve / approve
// Updates fired at the same instant, some twice (a second request, or a retry with the same Update id).
// After each run every invariant of model/invariants.ts is checked. Counterexamples found are kept in
// model/seeds.json ({ seed, path }) and replayed first.
//
//   MODEL_RUNS=200 (default; npm run test:model runs 5,000 in 2 processes, scripts/model.mjs) · MODEL_LANES=1
//   (default): runs go in that many lanes at once in this process, each its own fast-check seed (MODEL_SEED + lane)
//   and its own servers (lanes share this process's one JavaScript thread) · MODEL_SKIP_KEPT=1 leaves out the kept
//   counterexamples · MODEL_SEED=n, MODEL_PATH=p:
//   replay one run (one lane) · MODEL_PHASES=review,enrol narrows the phases · MODEL_SHRINK=1 lets fast-check
//   shrink a failure (slow, and concurrency makes it approximate) · MODEL_TRACE=1 logs each step's time ·
//   MODEL_DUMP_DIR=dir writes a failed run's histories (every run of each class) and its calls there ·
//   MODEL_SURVEY=n: n seeds, each run until its first failure, written to MODEL_SURVEY_OUT (JSON list of
//   { seed, path, invariants, summary }) instead of failing — how new counterexamples are collected
//   (with MODEL_PHASES set, keep the phases in the seeds file entry too) · MODEL_RECYCLE=100 (default): a bed is
//   replaced by a fresh one (servers and read model) after that many runs.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import fc from 'fast-check';
import { startModelBed, type ModelBed } from './model/bed';
import { describeRun, PHASES, runArbitrary, type Phase, type Run } from './model/commands';
import { cleanUp, dumpRun, runModel, type RunCtx, type Violation } from './model/driver';
import { checkInvariants } from './model/invariants';

interface KeptCase {
  seed: number;
  path: string;
  /** the phases the run was drawn from, when not all (MODEL_PHASES of the survey that found it) */
  phases?: Phase[];
  /** what it broke when found, and on which code */
  note: string;
}
const seeds = JSON.parse(fs.readFileSync(`${__dirname}/model/seeds.json`, 'utf8')) as KeptCase[];
const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const LANES = Math.max(1, Number(process.env.MODEL_LANES ?? 1));
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : Date.now() % 1_000_000_000;
const PATH = process.env.MODEL_PATH;
const SURVEY = Number(process.env.MODEL_SURVEY ?? 0);
/**
 * Runs per bed before it is replaced. A bed keeps every workflow its runs started (the Java test server holds
 * them in memory) and every read-model row: the long run of stop 24 slowed from 42 runs a minute to 23 over
 * 2,000 runs (the notice phase's mean from 12 s to 23 s). A fresh bed every 100 runs keeps the pace.
 */
const RECYCLE = Math.max(1, Number(process.env.MODEL_RECYCLE ?? 100));
/**
 * Every phase, plan review included, in the short form and the long run. (The review phase was out of the short
 * form for two sessions: a decision carried across continue-as-new read as lost under load. Both times it was
 * the harness reading too early — see `quiesce` in model/driver.ts — and both runs are kept in seeds.json.)
 */
const PHASES_CHOSEN = (process.env.MODEL_PHASES?.split(',') as Phase[] | undefined) ?? PHASES;
jest.setTimeout(Math.max(15 * 60_000, (RUNS + seeds.length) * 20_000) * Math.max(SURVEY, 1));

class ModelFailure extends Error {
  constructor(
    readonly run: Run,
    readonly violations: Violation[],
  ) {
    super(
      [
        `${violations.length} invariant violation(s) in a ${run.phase} run:`,
        ...violations.map((v) => `  [${v.invariant}] ${v.classId ?? ''} ${v.detail}`),
        describeRun(run),
      ].join('\n'),
    );
  }
}

/**
 * A shared bed. A run whose calls stopped answering (a wedged server: time no longer skips) poisons it for
 * every later run, so it is replaced once the runs in flight on it have finished; so is a bed that has served
 * RECYCLE runs (it has grown slow).
 */
function keeper(local: boolean) {
  return {
    bed: undefined as ModelBed | undefined,
    active: 0,
    served: 0,
    /** beds started so far (the first included) */
    started: 0,
    poisoned: false,
    restarting: undefined as Promise<void> | undefined,
    async acquire(): Promise<ModelBed> {
      for (;;) {
        if (this.restarting) await this.restarting;
        else if (this.poisoned || !this.bed || this.served >= RECYCLE) this.restarting = this.restart();
        else {
          this.active++;
          this.served++;
          return this.bed;
        }
      }
    },
    release(hung: boolean) {
      this.active--;
      if (hung) this.poisoned = true;
    },
    async restart() {
      while (this.active > 0) await new Promise((r) => setTimeout(r, 100));
      await this.bed?.teardown();
      this.bed = await startModelBed({ local });
      this.started++;
      this.served = 0;
      this.poisoned = false;
      this.restarting = undefined;
    },
  };
}
/**
 * Plan review (which continues as new) runs on the dev server; the later phases need time skipping. Each lane has
 * its own servers: time skipping is global to a test server, so a lane skipping months would move another
 * lane's classes past the stage it is setting up.
 */
const bedsOf = (lane: number) => (lanes[lane] ??= { timeSkipping: keeper(false), dev: keeper(true) });
const lanes: { timeSkipping: ReturnType<typeof keeper>; dev: ReturnType<typeof keeper> }[] = [];
const keeperFor = (phase: Phase, lane: number) =>
  phase === 'review' ? bedsOf(lane).dev : bedsOf(lane).timeSkipping;

let runNo = 0;
let stop = false;
const timings = new Map<Phase, { runs: number; ms: number }>();
const began = Date.now();
beforeAll(async () => {
  await bedsOf(0).timeSkipping.restart(); // first: it installs the quiet runtime logger
}, 120_000);
function progress() {
  const lines = [...timings].map(
    ([phase, t]) => `${phase} ${t.runs} (mean ${(t.ms / t.runs / 1000).toFixed(2)} s)`,
  );
  const runs = [...timings.values()].reduce((n, t) => n + t.runs, 0);
  const beds = lanes.reduce((n, l) => n + l.timeSkipping.started + l.dev.started, 0);
  return `model: ${runs} runs in ${((Date.now() - began) / 1000).toFixed(0)} s wall time, ${LANES} lane(s), ${beds} bed(s) — ${lines.join(', ')}`;
}
afterAll(async () => {
  if (timings.size) console.log(progress());
  for (const beds of lanes) {
    await beds.timeSkipping.bed?.teardown();
    await beds.dev.bed?.teardown();
  }
}, 120_000);

async function oneRun(run: Run, lane: number, attempt = 1): Promise<Violation[]> {
  const started = Date.now();
  const keeper = keeperFor(run.phase, lane);
  const bed = await keeper.acquire();
  const ctx: RunCtx = {
    bed,
    runNo: ++runNo,
    run,
    classes: [],
    people: [],
    calls: [],
    seq: 0,
    nextNo: 0,
    violations: [],
    waveEndedAt: [],
  };
  let violations: Violation[] = [];
  // Calls the run gave up on are cancelled when it ends, so none outlives its bed (a retry on a closed channel).
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per call in flight
  try {
    await bed.env.connection.withAbortSignal(abort.signal, async () => {
      await runModel(ctx, true);
      violations = [...ctx.violations, ...(await checkInvariants(ctx))];
      if (violations.length && ctx.unrested)
        violations.push({ invariant: 'NOTE', detail: 'a case had not come to rest when its state was read' });
      if (violations.length && process.env.MODEL_DUMP_DIR)
        console.log(
          `model: run ${ctx.runNo} written to ${await dumpRun(ctx, violations, process.env.MODEL_DUMP_DIR)}`,
        );
    });
  } finally {
    await cleanUp(ctx);
    abort.abort();
    keeper.release(ctx.hung === true);
    const t = timings.get(run.phase) ?? { runs: 0, ms: 0 };
    timings.set(run.phase, { runs: t.runs + 1, ms: t.ms + Date.now() - started });
    if (runNo % 50 === 0) console.log(progress());
  }
  // The Java test server sometimes loses a query (the workflow idle, nothing pending) and from then on no
  // longer skips time. Such a run is run again once on a fresh server; a wedge of the workflow's own making
  // (an Update never answered, an activity retrying, work left scheduled by a closed workflow) shows again.
  if (ctx.hung && attempt === 1) {
    console.log(
      `model: run ${ctx.runNo} lost the test server, running it again:\n${new ModelFailure(run, violations).message}`,
    );
    return oneRun(run, lane, 2);
  }
  return violations;
}

const propertyOver = (phases: readonly Phase[], lane = 0) =>
  fc.asyncProperty(runArbitrary(phases), async (run) => {
    if (stop) return; // another lane failed: the test is over
    const violations = await oneRun(run, lane);
    if (violations.length) throw new ModelFailure(run, violations);
  });
const property = (lane = 0) => propertyOver(PHASES_CHOSEN, lane);
const params = (p: fc.Parameters<[Run]>): fc.Parameters<[Run]> => ({
  endOnFailure: process.env.MODEL_SHRINK !== '1',
  ...p,
});

/** RUNS runs split over the lanes, each lane its own seed; the first failure stops the others. */
async function inLanes(seed: number, runs: number, count: number): Promise<void> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, async (_, lane) => {
      try {
        await fc.assert(property(lane), params({ seed: seed + lane, numRuns: Math.ceil(runs / count) }));
      } catch (err) {
        stop = true;
        throw err;
      }
    }),
  );
  stop = false;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const main = SURVEY ? describe.skip : describe;
main('the class workflow under concurrent commands', () => {
  // (npm run test:model runs several processes: the kept counterexamples run in the first only)
  if (seeds.length && !process.env.MODEL_SKIP_KEPT)
    it.each(seeds.map((s) => [s.note, s] as const))(
      'still holds in the kept counterexample: %s',
      async (_, s) => {
        await fc.assert(propertyOver(s.phases ?? PHASES), params({ seed: s.seed, path: s.path, numRuns: 1 }));
      },
    );

  it(`holds every invariant over ${RUNS} generated runs of concurrent commands`, async () => {
    console.log(`model: seed ${SEED}${PATH ? `, path ${PATH}` : ''}, ${LANES} lane(s)`);
    if (PATH) await fc.assert(property(), params({ seed: SEED, path: PATH, numRuns: 1 }));
    else await inLanes(SEED, RUNS, LANES);
  });
});

(SURVEY ? describe : describe.skip)('a survey for new counterexamples (MODEL_SURVEY)', () => {
  it(`looks at ${SURVEY} seeds`, async () => {
    const found: { seed: number; path: string; invariants: string[]; summary: string }[] = [];
    const out = process.env.MODEL_SURVEY_OUT ?? 'model-survey.json';
    let next = SEED;
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let seed = next++; seed < SEED + SURVEY; seed = next++) {
          const r = await fc.check(property(lane), params({ numRuns: RUNS, seed }));
          if (!r.failed) continue;
          const err = r.errorInstance as ModelFailure | undefined;
          found.push({
            seed: r.seed,
            path: r.counterexamplePath ?? '',
            invariants: [...new Set(err?.violations?.map((v) => v.invariant) ?? ['?'])],
            summary: String(err?.message ?? r.errorInstance).slice(0, 4000),
          });
          fs.writeFileSync(out, JSON.stringify(found, null, 2));
        }
      }),
    );
  });
});
