// npm run test:model — the model-based concurrency test's long run (issue 12: ≥ 5,000 generated runs), its lanes
// as separate processes. Lanes inside one jest process share one JavaScript thread: with 2 lanes it measured ~85 %
// of a core and 25–34 runs a minute on a 2-core machine, so 5,000 runs took ~3 hours. A process per lane uses
// both cores. Each process has its own fast-check seed (MODEL_SEED + 7919·i) and its own servers; the kept
// counterexamples run in the first only. Every process's output is prefixed [pN]; the last line adds them up.
// Exits non-zero when any process fails (its failing run, seed and path are in its output).
//   MODEL_RUNS (default 5000, split evenly) · MODEL_PROCS (default 2) · MODEL_SEED · the test's other MODEL_* settings
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.MODEL_RUNS ?? 5000);
const PROCS = Math.max(1, Number(process.env.MODEL_PROCS ?? 2));
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : Date.now() % 1_000_000_000;
const began = Date.now();

const results = await Promise.all(
  Array.from({ length: PROCS }, (_, i) => {
    const env = {
      ...process.env,
      MODEL_RUNS: String(Math.ceil(RUNS / PROCS)),
      MODEL_LANES: '1',
      MODEL_SEED: String(SEED + 7919 * i),
      ...(i > 0 ? { MODEL_SKIP_KEPT: '1' } : {}),
    };
    const child = spawn(
      process.execPath,
      [require.resolve('jest/bin/jest'), 'tests/workflow/model.test.ts'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // runs so far (the kept counterexamples included), and the generated runs of the test once it passed
    const count = { runs: 0, passed: 0 };
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        const progress = /model: (\d+) runs in/.exec(line);
        if (progress) count.runs = Number(progress[1]);
        const passed = /✓ holds every invariant over (\d+) generated runs/.exec(line);
        if (passed) count.passed = Number(passed[1]);
        console.log(`[p${i}] ${line}`);
      });
    }
    return new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ i, seed: env.MODEL_SEED, code: code ?? signal, count })),
    );
  }),
);

const failed = results.filter((r) => r.code !== 0);
const generated = results.reduce((n, r) => n + r.count.passed, 0);
const ran = results.reduce((n, r) => n + r.count.runs, 0);
const minutes = ((Date.now() - began) / 60_000).toFixed(1);
const seeds = results.map((r) => r.seed).join(', ');
console.log(
  failed.length
    ? `model: FAILED in ${failed.map((r) => `p${r.i} (exit ${r.code})`).join(', ')} after ${ran} runs in ${minutes} min (seeds ${seeds})`
    : `model: every invariant held over ${generated} generated runs (and the kept counterexamples) in ${PROCS} process(es), ${minutes} min (seeds ${seeds})`,
);
process.exit(failed.length ? 1 : 0);
