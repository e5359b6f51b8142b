// Brings the whole system up on one machine: the Temporal dev server persisting to a SQLite file, the
// migrated SQLite read model, the worker, the API serving the web UI, and the demo data (once).
// Used by `npm start` (scripts/start.ts) and by the end-to-end tests (tests/support/stack.ts).
// Once everything is up, the supervisor (scripts/supervisor.ts) restarts the Temporal dev server, the
// worker or the API when one dies, and gives up, stopping them all, when one keeps dying.
// The demo seeding runs while the system already serves: if it fails, it says so and the system stays up.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DEV_SERVER_FLAGS } from '../worker/searchAttributes';
import { DEMO_CLOCK_QUEUE, DEMO_CLOCK_REGION, DEMO_UNKNOWN_ACCOUNT } from '../prisma/demo';
import { Supervisor, type RestartPolicy } from './supervisor';

export const ROOT = path.resolve(
  __dirname,
  '..',
  path.basename(path.resolve(__dirname, '..')) === 'dist' ? '..' : '',
);

export interface StackOptions {
  dataDir: string;
  temporalPort: number;
  temporalUiPort: number;
  apiPort: number;
  seedDemo: boolean;
  /**
   * With the demo: also the demo's classes on a compressed clock (a worker of their own, prisma/demo.ts
   * DEMO_CLOCK_QUEUE), which the seeder walks to payout and beyond; adds about 80 s to the seeding. Default: on.
   */
  demoClock?: boolean;
  /** where child output goes: inherit (the terminal) or a log file in dataDir */
  output: 'inherit' | 'file';
  extraEnv?: Record<string, string>;
  /** the supervisor's restart policy (tests shorten it); defaults to RESTART_POLICY */
  restartPolicy?: Partial<RestartPolicy>;
}

/** The processes of the stack, in the order they start. */
export type StackProcess = 'temporal' | 'worker' | 'api' | 'worker-demo-clock';

export interface Stack {
  urls: { web: string; apiDocs: string; health: string; temporalUi: string };
  env: Record<string, string>;
  /** the current process id of each process, undefined while one is down (waiting to be restarted) */
  pid(name: StackProcess): number | undefined;
  /** resolves with the reason when the supervisor gave up on a process that kept dying and stopped the rest */
  gaveUp: Promise<string>;
  stop(): Promise<void>;
}

/** Keys are made once per data folder and kept with it, so a restart can still read what it stored. */
export function keysFor(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'keys.json');
  if (!fs.existsSync(file)) {
    const key = () => randomBytes(32).toString('hex');
    const keys = {
      SKILLFLOW_PAYLOAD_KEY: key(),
      SKILLFLOW_PII_KEY: key(),
      SKILLFLOW_PERSON_KEY_SECRET: key(),
    };
    fs.writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

/** Whether `port` can be listened on at 127.0.0.1 now (0: any port); answers the port, or undefined. */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.on('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/** The kernel's range of ephemeral ports (the ones `listen(0)` and outgoing connections are given). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs
      .readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux: the IANA range
  }
  return [49152, 65535];
}

const handedOut = new Set<number>();

/**
 * A port free to listen on, below the kernel's ephemeral range. A port the kernel handed out (listen on 0)
 * could be handed out again to anyone the moment it was closed: the Temporal dev server gives its internal
 * services such ports while it starts, and one of them once took the UI port we had just picked ("bind:
 * address already in use", the dev server gone). Ports below the range are never handed out that way.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  const first = 10_000;
  if (low - first >= 1_000)
    for (let i = 0; i < 100; i++) {
      const port = first + Math.floor(Math.random() * (low - first));
      if (handedOut.has(port)) continue;
      if ((await tryListen(port)) === port) {
        handedOut.add(port);
        return port;
      }
    }
  const port = await tryListen(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  supervisor: Supervisor,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = supervisor.startupFailure();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

/**
 * Runs the demo seeder to its end. The system is up and serving by then: a seeder that fails (a plan filed by
 * hand cannot make it fail any more, but a bug or a full disk can) is said loudly and SkillFlow keeps running
 * without the rest of the demo — it never takes the system down. If the supervisor gives up meanwhile, the
 * seeder is stopped and the reason returned (everything is stopping anyway).
 */
export async function runSeeder(
  start: () => ChildProcess,
  gaveUp: Promise<string>,
  say: (line: string) => void,
): Promise<{ seeded: boolean } | { gaveUp: string }> {
  const seed = start();
  let said = false;
  const seeded = new Promise<{ seeded: boolean }>((resolve) => {
    const failed = (why: string) => {
      if (said) return; // a process that cannot start may report both `error` and `exit`
      said = true;
      say(
        `skillflow: WARNING: the demo data could not be seeded (${why}); SkillFlow keeps running without it. ` +
          "The seeder's errors are above.",
      );
      resolve({ seeded: false });
    };
    seed.once('error', (err) => failed(err.message));
    seed.once('exit', (code, signal) =>
      code === 0 ? resolve({ seeded: true }) : failed(signal ?? `exit code ${code}`),
    );
  });
  const outcome = await Promise.race([seeded, gaveUp.then((reason) => ({ gaveUp: reason }))]);
  if ('gaveUp' in outcome) {
    said = true; // the supervisor has said why everything stops
    seed.kill('SIGKILL');
  }
  return outcome;
}

/**
 * Every line of the logs in a data folder: the stack's one log (`output: 'file'`), and a cluster's, one per process
 * in `logs/` (scripts/cluster.ts). What a failed run prints of them: CI keeps nothing else.
 */
export function logLines(dataDir: string): string[] {
  const files = [path.join(dataDir, 'stack.log')];
  const logs = path.join(dataDir, 'logs');
  if (fs.existsSync(logs)) files.push(...fs.readdirSync(logs).map((f) => path.join(logs, f)));
  return files.filter((f) => fs.existsSync(f)).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'));
}

/** A benchmark's or the crash harness's stack: in `dataDir`, on free ports, without the demo, output to its log. */
export async function startBenchStack(
  dataDir: string,
  extraEnv: Record<string, string>,
  restartPolicy?: Partial<RestartPolicy>,
): Promise<Stack> {
  return startStack({
    dataDir,
    temporalPort: await freePort(),
    temporalUiPort: await freePort(),
    apiPort: await freePort(),
    seedDemo: false,
    output: 'file',
    extraEnv,
    restartPolicy,
  });
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const log = opts.output === 'file' ? fs.openSync(path.join(dataDir, 'stack.log'), 'a') : undefined;
  const stdio: ['ignore', 'inherit' | number, 'inherit' | number] =
    log === undefined ? ['ignore', 'inherit', 'inherit'] : ['ignore', log, log];
  const say = (line: string) => (log === undefined ? console.error(line) : fs.writeSync(log, `${line}\n`));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...keysFor(dataDir),
    DATABASE_URL: `file:${path.join(dataDir, 'skillflow.db')}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${opts.temporalPort}`,
    PORT: String(opts.apiPort),
    BANK_DIR: path.join(dataDir, 'bank'),
    WEB_DIR: path.join(ROOT, 'web', 'dist'),
    ...opts.extraEnv,
  };
  const supervisor = new Supervisor({ log: say, policy: opts.restartPolicy });
  // Each child gets its own process group (detached), so a Ctrl-C in the terminal reaches only this
  // process, which stops the children in order (API, worker, Temporal) with supervision turned off; a
  // child that saw the Ctrl-C itself could exit before we knew we were stopping and look like a crash.
  const run = (name: StackProcess, cmd: string, args: string[], own: Record<string, string> = {}) =>
    supervisor.add(name, () =>
      spawn(cmd, args, { cwd: ROOT, env: { ...env, ...own }, stdio, detached: true }),
    );
  let logClosed = false;
  const stop = async () => {
    await supervisor.stop();
    if (log !== undefined && !logClosed) {
      logClosed = true;
      fs.closeSync(log);
    }
  };

  try {
    // 1. The read model: apply migrations (idempotent).
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'],
      { cwd: ROOT, env, stdio: 'pipe' },
    );

    // 2. Temporal dev server, persisted to a SQLite file, with SkillFlow's search attributes.
    const temporal = execFileSync('bash', [path.join(ROOT, 'scripts', 'temporal-cli.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    run('temporal', temporal, [
      'server',
      'start-dev',
      '--db-filename',
      path.join(dataDir, 'temporal.db'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(opts.temporalPort),
      '--ui-port',
      String(opts.temporalUiPort),
      '--log-level',
      'error',
      ...DEV_SERVER_FLAGS,
    ]);
    await waitFor(
      'Temporal dev server',
      async () => {
        const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      },
      60_000,
      supervisor,
    );

    // 3. The worker and the API (which serves the built web UI).
    run('worker', process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')]);
    // The demo's compressed-clock classes (DEMO_CLOCK_REGION's policy: a day lasts seconds) run on a worker of their
    // own: its region binds them to that policy; every other class stays on the real calendar. Its simulated bank
    // does not know one institution's account, so the demo has a refused transfer for finance to correct.
    const demoClock = opts.seedDemo && opts.demoClock !== false;
    if (demoClock)
      run('worker-demo-clock', process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], {
        TEMPORAL_TASK_QUEUE: DEMO_CLOCK_QUEUE,
        SKILLFLOW_REGION: DEMO_CLOCK_REGION,
        SKILLFLOW_SIM_BANK_REFUSES: DEMO_UNKNOWN_ACCOUNT,
      });
    run('api', process.execPath, [path.join(ROOT, 'dist', 'api', 'main.js')]);
    const health = `http://127.0.0.1:${opts.apiPort}/api/health`;
    await waitFor(
      'SkillFlow API and worker',
      async () => (await fetch(health)).status === 200,
      90_000,
      supervisor,
    );
    // Up: from here on a process that dies is restarted (already during the demo seeding below).
    supervisor.supervise();

    // 4. Demo data, once per data folder, while the system already serves (supervised meanwhile). A seeder
    // that fails is reported and SkillFlow keeps running; only a supervisor that gave up stops everything.
    if (opts.seedDemo) {
      const seeding = await runSeeder(
        () =>
          spawn(process.execPath, [path.join(ROOT, 'dist', 'prisma', 'seed.js')], {
            cwd: ROOT,
            // the clock's queue when its worker runs, empty otherwise (whatever the environment says)
            env: { ...env, SKILLFLOW_DEMO_CLOCK_QUEUE: demoClock ? DEMO_CLOCK_QUEUE : '' },
            stdio,
          }),
        supervisor.gaveUp,
        say,
      );
      if ('gaveUp' in seeding) throw new Error(`the demo data could not be seeded: ${seeding.gaveUp}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    urls: {
      web: `http://127.0.0.1:${opts.apiPort}/`,
      apiDocs: `http://127.0.0.1:${opts.apiPort}/api/docs`,
      health: `http://127.0.0.1:${opts.apiPort}/api/health`,
      temporalUi: `http://127.0.0.1:${opts.temporalUiPort}/`,
    },
    env,
    pid: (name) => supervisor.pid(name),
    gaveUp: supervisor.gaveUp,
    stop,
  };
}
