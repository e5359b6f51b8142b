// Brings the whole system up on one machine: the Temporal dev server persisting to a SQLite file, the
// migrated SQLite read model, the worker, the API serving the web UI, and the demo data (once).
// Used by `npm start` (scripts/start.ts) and by the end-to-end tests (tests/support/stack.ts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DEV_SERVER_FLAGS } from '../worker/searchAttributes';

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
  /** where child output goes: inherit (the terminal) or a log file in dataDir */
  output: 'inherit' | 'file';
  extraEnv?: Record<string, string>;
}

export interface Stack {
  urls: { web: string; apiDocs: string; health: string; temporalUi: string };
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Keys are made once per data folder and kept with it, so a restart can still read what it stored. */
function keysFor(dataDir: string): Record<string, string> {
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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`${what}: the process exited with code ${child.exitCode}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const log = opts.output === 'file' ? fs.openSync(path.join(dataDir, 'stack.log'), 'a') : undefined;
  const stdio =
    log === undefined ? ('inherit' as const) : (['ignore', log, log] as ['ignore', number, number]);
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
  const children: { name: string; proc: ChildProcess }[] = [];
  const run = (name: string, cmd: string, args: string[]) => {
    const proc = spawn(cmd, args, { cwd: ROOT, env, stdio });
    children.push({ name, proc });
    return proc;
  };
  const stop = async () => {
    for (const { proc } of [...children].reverse()) {
      if (proc.exitCode !== null || proc.signalCode !== null) continue;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (log !== undefined) fs.closeSync(log);
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
    const server = run('temporal', temporal, [
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
      server,
    );

    // 3. The worker and the API (which serves the built web UI).
    const worker = run('worker', process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')]);
    const api = run('api', process.execPath, [path.join(ROOT, 'dist', 'api', 'main.js')]);
    const health = `http://127.0.0.1:${opts.apiPort}/api/health`;
    await waitFor('SkillFlow API and worker', async () => (await fetch(health)).status === 200, 90_000, api);
    if (worker.exitCode !== null) throw new Error('the worker exited');

    // 4. Demo data, once per data folder.
    if (opts.seedDemo)
      execFileSync(process.execPath, [path.join(ROOT, 'dist', 'prisma', 'seed.js')], {
        cwd: ROOT,
        env,
        stdio: log === undefined ? 'inherit' : ['ignore', log, log],
      });
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
    stop,
  };
}
