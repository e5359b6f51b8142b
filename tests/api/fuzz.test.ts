// The hostile-input corpus (issue 13 §8): requests generated with fast-check from the OpenAPI document the app
// serves — every documented operation, as every kind of caller, with and without an Idempotency-Key — against
// classes parked in every stage. Whatever is sent: no 5xx, every refusal is problem+json as documented, and a
// refused write changes nothing in the read model. Failures found are shrunk and kept in fuzz/seeds.json, which
// is replayed first on every run.
//
// Short form in the normal test run (FUZZ_REQUESTS, default 1,500); `npm run test:fuzz` sends 20,000.
// FUZZ_SEED replays a run. The summary is written to test-results/fuzz.json, the failures by cause to
// test-results/fuzz-failures.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { shanghaiDate } from '../../domain/dates';
import { envToday } from './support';
import { startFuzzBed, type FuzzBed } from './fuzz/bed';
import { fingerprinter, type Fingerprinter } from './fuzz/fingerprint';
import { operationsOf, problemSchemaOf, type Operation } from './fuzz/operations';
import { anyRequest, type FuzzRequest } from './fuzz/requests';
import { Fuzzer, sketch, type ContractCheck, type Failure, type Summary } from './fuzz/runner';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1_500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const LONG = REQUESTS >= 10_000;
/** The long form parks a fresh set of classes every so often: accepted writes move the first ones along. */
const RESTAGE_EVERY = Number(process.env.FUZZ_RESTAGE_EVERY ?? (LONG ? 5_000 : 0));
/** Time for shrinking the failures found, before they are kept as seeds. */
const SHRINK_MS = Number(process.env.FUZZ_SHRINK_MS ?? (LONG ? 240_000 : 20_000));
const SEEDS_FILE = path.join(__dirname, 'fuzz', 'seeds.json');
const RESULTS = path.join(__dirname, '..', '..', 'test-results');

interface Seed {
  group: string;
  found: string;
  sketch: string;
  request: FuzzRequest;
}

jest.setTimeout(60_000 + REQUESTS * 400);

let f: FuzzBed;
let fp: Fingerprinter;
let fuzzer: Fuzzer;
let ops: Operation[];
let arb: fc.Arbitrary<FuzzRequest>;
const log = (msg: string) => process.stdout.write(`fuzz: ${msg}\n`);

beforeAll(async () => {
  f = await startFuzzBed(log);
  log(`stages parked in ${f.setupSeconds.toFixed(0)} s`);
  const doc = (await f.callers.anonymous.call('get', '/api/openapi.json')).body;
  ops = operationsOf(doc);
  fp = await fingerprinter(f.api.bed.db);
  // The contract checker of the API tests (issue 13 §7), when there is one: every answer as documented.
  let contract: ContractCheck | undefined;
  try {
    const { contractOf } = (await import('./contract')) as {
      contractOf: (app: typeof f.app) => Promise<ContractCheck>;
    };
    contract = await contractOf(f.app);
  } catch (err) {
    log(`no contract check: ${String(err)}`);
  }
  fuzzer = new Fuzzer(
    f,
    new Map(ops.map((o) => [o.key, o])),
    problemSchemaOf(doc),
    fp,
    {
      pools: f.pools,
      wallToday: shanghaiDate(new Date().toISOString()),
      envToday: await envToday(f.api.bed),
      caller: (name) => f.callers[name as keyof typeof f.callers],
    },
    contract,
  );
  arb = anyRequest(ops, { names: Object.keys(f.pools) });
}, 600_000);
afterAll(async () => {
  fp?.close();
  await f?.teardown();
});

const readSeeds = (): Seed[] =>
  fs.existsSync(SEEDS_FILE)
    ? (JSON.parse(fs.readFileSync(SEEDS_FILE, 'utf8')) as { seeds: Seed[] }).seeds
    : [];

const describeFailures = (failures: Failure[]) =>
  failures
    .map(
      (x) =>
        `${x.kind} ${x.status}: ${x.sketch}\n   → ${x.response.contentType} ${x.response.body.slice(0, 200)}${x.cause ? `\n   cause: ${x.cause}` : ''}${x.changes ? `\n   changed: ${JSON.stringify(x.changes)}` : ''}`,
    )
    .join('\n');

describe('the hostile-input corpus', () => {
  it('reads every documented operation from the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThanOrEqual(40);
    expect(ops.filter((o) => o.body || o.uploadTypes.length).length).toBeGreaterThan(10);
  });

  it('replays the failing cases kept in seeds.json without a failure', async () => {
    const seeds = readSeeds();
    fuzzer.counting = false;
    const failures: Failure[] = [];
    for (const s of seeds) failures.push(...(await fuzzer.exec(s.request)));
    failures.push(...(await fuzzer.checkQuiet()));
    fuzzer.counting = true;
    if (failures.length) log(`seeds failing:\n${describeFailures(failures)}`);
    expect(failures.map((x) => x.group)).toEqual([]);
  });

  describe(`${REQUESTS} generated requests (seed ${SEED})`, () => {
    let summary: Summary;
    beforeAll(
      async () => {
        const started = Date.now();
        let run = 0;
        await fc.assert(
          fc.asyncProperty(arb, async (r) => {
            const i = run++;
            await fuzzer.exec(r, i);
            if (i % 25 === 24) await fuzzer.refreshPoolsIfDirty();
            if (i % 250 === 249) await fuzzer.checkQuiet();
            if (i % 1_000 === 999) {
              await fuzzer.reviveSessions();
              log(
                `${i + 1} generated, ${fuzzer.summary.requests} requests, ${((Date.now() - started) / 1000).toFixed(0)} s`,
              );
            }
            if (RESTAGE_EVERY && i % RESTAGE_EVERY === RESTAGE_EVERY - 1 && i < REQUESTS - 1) {
              await f.restage();
              await fuzzer.rebase();
            }
            return true;
          }),
          { seed: SEED, numRuns: REQUESTS },
        );
        await fuzzer.checkQuiet();
        summary = { ...fuzzer.summary, seconds: Math.round((Date.now() - started) / 1000), seed: SEED };
        log(`sweep done in ${summary.seconds} s; shrinking ${fuzzer.groups.size} failure groups`);
        await keepSeeds();
        writeResults(summary);
      },
      60_000 + REQUESTS * 400 + SHRINK_MS,
    );

    it('never answers with a 5xx', () => {
      expect(failuresOf('5xx', 'timeout')).toEqual([]);
      expect(summary.status5xx).toBe(0);
    });

    it('answers every refusal with problem+json as the document describes it', () => {
      expect(failuresOf('notProblemJson')).toEqual([]);
    });

    it('changes nothing in the read model when it refuses a write', () => {
      expect(failuresOf('stateChanged')).toEqual([]);
    });

    it('refuses what issue 13 says must be refused: unknown fields, unsafe text, invalid UTF-8, deep JSON', () => {
      expect(failuresOf('acceptedHostile')).toEqual([]);
    });

    it('answers in one language, the one Accept-Language asks for', () => {
      expect(failuresOf('mixedLanguage')).toEqual([]);
    });

    it('answers with a status, content type and body the OpenAPI document describes', () => {
      expect(failuresOf('contract')).toEqual([]);
    });

    it('reaches every documented operation as every caller, without a fault of its own', () => {
      expect(fuzzer.harnessErrors).toEqual([]);
      expect(Object.keys(summary.byOperation).length).toBe(ops.length);
      expect(Object.keys(summary.byCaller).length).toBe(Object.keys(f.callers).length);
    });
  });
});

/** One line per cause (with how often), the first example's request and answer: what a failing test prints. */
function failuresOf(...kinds: string[]): string[] {
  return [...fuzzer.groups]
    .filter(([, g]) => kinds.includes(g.examples[0]!.kind))
    .map(([group, g]) => `${group} ×${g.count}\n${describeFailures(g.examples.slice(0, 1))}`);
}

/**
 * Shrinks the first failure of each new cause with fast-check (same seed, its path in the sweep) and keeps the
 * smallest request that still fails the same way; the seeds file is replayed first on later runs. On CI the new
 * seeds go to test-results/ instead of the source tree.
 */
async function keepSeeds() {
  const known = new Set(readSeeds().map((s) => s.group));
  const order = [
    '5xx',
    'timeout',
    'stateChanged',
    'notProblemJson',
    'acceptedHostile',
    'mixedLanguage',
    'contract',
  ];
  const fresh = [...fuzzer.groups]
    .filter(([group]) => !known.has(group))
    .sort(([, a], [, b]) => order.indexOf(a.examples[0]!.kind) - order.indexOf(b.examples[0]!.kind));
  const started = Date.now();
  const seeds: Seed[] = [];
  fuzzer.counting = false;
  for (const [group, g] of fresh) {
    const first = g.examples[0]!;
    let minimal = first.request;
    if (first.run !== undefined && Date.now() - started < SHRINK_MS) {
      let calls = 0;
      const result = await fc.check(
        fc.asyncProperty(arb, async (r) => {
          if (calls++ > 40 || Date.now() - started > SHRINK_MS) return true;
          return !(await fuzzer.exec(r)).some((x) => x.group === group);
        }),
        { seed: SEED, path: String(first.run), numRuns: 1, endOnFailure: false },
      );
      if (result.failed && result.counterexample) minimal = result.counterexample[0];
    }
    if (!minimal.op) continue; // a change seen later, after many refused writes: not one request to keep
    seeds.push({
      group,
      found: new Date().toISOString().slice(0, 10),
      sketch: sketch(minimal),
      request: minimal,
    });
  }
  await fuzzer.checkQuiet();
  fuzzer.counting = true;
  if (!seeds.length) return;
  const target = process.env.CI ? path.join(RESULTS, 'fuzz-seeds.new.json') : SEEDS_FILE;
  const existing = target === SEEDS_FILE ? readSeeds() : [];
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const json = JSON.stringify(
    {
      note: 'Failing requests found by tests/api/fuzz.test.ts, shrunk; replayed first on every run.',
      seeds: [...existing, ...seeds],
    },
    null,
    2,
  );
  // Invisible and direction-changing characters are written as escapes: the file must read as it parses.
  fs.writeFileSync(target, `${escapeInvisible(json)}\n`);
  // As the repository formats JSON (npm run lint checks it); prettier runs outside jest's module sandbox.
  execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', target], {
    stdio: 'ignore',
  });
  log(`${seeds.length} new failing case(s) kept in ${path.relative(process.cwd(), target)}`);
}

/** Other, format, surrogate and line/paragraph-separator characters as \\u escapes (valid JSON, visible text). */
function escapeInvisible(json: string): string {
  return json.replace(/(?!\n)[\p{C}\p{Zl}\p{Zp}]/gu, (c) =>
    [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}

function writeResults(summary: Summary) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const small = {
    requests: summary.requests,
    status5xx: summary.status5xx,
    notProblemJson: summary.notProblemJson,
    refusedWritesThatChangedState: summary.refusedWritesThatChangedState,
    byStatus: summary.byStatus,
    generated: summary.generated,
    acceptedHostile: summary.acceptedHostile,
    mixedLanguage: summary.mixedLanguage,
    contract: summary.contract,
    timeouts: summary.timeouts,
    harnessErrors: summary.harnessErrors,
    acceptedWrites: summary.acceptedWrites,
    refusedWrites: summary.refusedWrites,
    operations: summary.operations,
    callers: Object.keys(summary.byCaller).length,
    seconds: summary.seconds,
    seed: summary.seed,
  };
  fs.writeFileSync(path.join(RESULTS, 'fuzz.json'), `${JSON.stringify(small, null, 2)}\n`);
  fs.writeFileSync(
    path.join(RESULTS, 'fuzz-failures.json'),
    `${JSON.stringify(
      {
        summary,
        groups: [...fuzzer.groups].map(([group, g]) => ({
          group,
          count: g.count,
          examples: g.examples.map(({ request: _r, ...x }) => x),
        })),
        samples: Object.fromEntries([...fuzzer.samples].sort(([a], [b]) => a.localeCompare(b))),
      },
      null,
      1,
    )}\n`,
  );
  log(`summary ${JSON.stringify(small)}`);
}
