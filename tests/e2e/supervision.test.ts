// `npm start` keeps SkillFlow running: a worker killed with SIGKILL is replaced by a new worker process that
// polls the task queue again (the API and the Temporal dev server likewise), SIGTERM stops everything without
// a restart, and a worker that keeps dying makes `npm start` give up loudly and exit non-zero.
// Runs the compiled start script as `npm start` does (scripts/test.sh builds first: `bash scripts/build.sh`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { freePort, ROOT } from '../../scripts/stack';
import { collectOutput } from '../support/childOutput';

jest.setTimeout(240_000);

const KINDS = {
  temporal: /server start-dev/,
  worker: /dist\/worker\/main\.js/,
  api: /dist\/api\/main\.js/,
} as const;
type Kind = keyof typeof KINDS;

interface NpmStart {
  proc: ChildProcess;
  output: () => string;
  exitCode: Promise<number | null>;
  ports: { api: number; temporal: number };
}

const started: NpmStart[] = [];
const dataDirs: string[] = [];
const seenPids = new Set<number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(get)
      .catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `node dist/scripts/start.js`, which is what `npm start` runs, in a new data folder on free ports, no demo. */
async function npmStart(): Promise<NpmStart> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-supervision-'));
  dataDirs.push(dataDir);
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'start.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SKILLFLOW_DATA_DIR: dataDir,
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      SKILLFLOW_DEMO: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited: exitCode } = collectOutput(proc);
  const run: NpmStart = { proc, output, exitCode, ports };
  started.push(run);
  let exited = false;
  void exitCode.then(() => (exited = true));
  await until('SkillFlow is running', () => {
    if (exited) throw new Error(`npm start exited:\n${output()}`);
    return output().includes('SkillFlow is running.');
  }).catch((err) => {
    throw new Error(`${err instanceof Error ? err.message : err}\n${output().slice(-3000)}`);
  });
  return run;
}

/** The pid of npm start's child process of this kind that runs now. */
function childPid(run: NpmStart, kind: Kind): number | undefined {
  let ps: string;
  try {
    ps = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(run.proc.pid)], { encoding: 'utf8' });
  } catch {
    return undefined; // no children
  }
  const line = ps.split('\n').find((l) => KINDS[kind].test(l));
  const pid = line ? Number(line.trim().split(/\s+/)[0]) : undefined;
  if (pid !== undefined) seenPids.add(pid);
  return pid;
}

async function health(run: NpmStart) {
  const res = await fetch(`http://127.0.0.1:${run.ports.api}/api/health`);
  return { status: res.status, body: (await res.json()) as { checks: { worker: { status: string } } } };
}

/** The pids of the workers the Temporal server saw polling the task queue (identity `pid@host`). */
async function pollingWorkerPids(run: NpmStart): Promise<number[]> {
  const connection = await Connection.connect({
    address: `127.0.0.1:${run.ports.temporal}`,
    connectTimeout: 1000,
  });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: 'skillflow', kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (pollers ?? []).map((p) => Number((p.identity ?? '').split('@')[0]));
  } finally {
    await connection.close();
  }
}

async function killAndAwaitReplacement(run: NpmStart, kind: Kind): Promise<number> {
  const old = childPid(run, kind)!;
  expect(old).toBeDefined();
  process.kill(old, 'SIGKILL');
  const replacement = await until(`a new ${kind} process`, () => {
    const pid = childPid(run, kind);
    return pid !== undefined && pid !== old ? pid : undefined;
  });
  expect(run.output()).toMatch(
    new RegExp(
      `skillflow: the ${kind} process \\(pid ${old}\\) died at \\S+ with signal SIGKILL after running [\\d.]+ s; ` +
        `restarting it in 1 s`,
    ),
  );
  // Its output reaches us through a pipe, possibly after `ps` already shows the new process.
  await until('the restart in the log', () =>
    run.output().includes(`skillflow: the ${kind} process is running again (pid ${replacement})`),
  );
  return replacement;
}

// Whatever a test left running (it failed half-way) is stopped before the next one starts.
afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGTERM');
    await Promise.race([run.exitCode, new Promise((r) => setTimeout(r, 15_000).unref())]);
  }
  for (const pid of seenPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
});
afterAll(() => {
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start supervises its processes', () => {
  it('replaces a worker killed with SIGKILL by one that polls again, the API and Temporal too; SIGTERM stops all', async () => {
    const run = await npmStart();
    const firstWorker = childPid(run, 'worker')!;
    // (asked until it answers: on a loaded machine the first connection to a just-started server can time out)
    await until('the first worker polls the task queue', async () =>
      (await pollingWorkerPids(run)).includes(firstWorker),
    );

    const worker = await killAndAwaitReplacement(run, 'worker');
    await until('the new worker polls the task queue', async () =>
      (await pollingWorkerPids(run)).includes(worker),
    );
    expect(await health(run)).toMatchObject({ status: 200, body: { checks: { worker: { status: 'ok' } } } });

    const api = await killAndAwaitReplacement(run, 'api');
    await until('the new API answers healthy', async () => (await health(run)).status === 200);

    // The dev server keeps the history in its SQLite file: restarted on it, the worker and the API reconnect.
    const temporal = await killAndAwaitReplacement(run, 'temporal');
    await until(
      'a worker polls the restarted Temporal server',
      async () => (await health(run)).body.checks.worker.status === 'ok',
    );
    expect(await health(run)).toMatchObject({ status: 200 });

    const before = run.output().length;
    run.proc.kill('SIGTERM');
    expect(await run.exitCode).toBe(0);
    const pids = [temporal, api, childPid(run, 'worker') ?? worker];
    expect(pids.filter(alive)).toEqual([]);
    expect(run.output().slice(before)).not.toMatch(/died|restarting|running again/);
  });

  it('gives up loudly when the worker dies 5 times within a minute: stops everything and exits 1', async () => {
    const run = await npmStart();
    const pids = [childPid(run, 'temporal')!, childPid(run, 'api')!];
    const killed: number[] = [];
    let exited = false;
    void run.exitCode.then(() => (exited = true));
    // Kill every worker as soon as it is back (after 1, 2, 4 and 8 s): 5 deaths in about 15 s.
    await until(
      'npm start gives up',
      () => {
        if (exited) return true;
        const pid = childPid(run, 'worker');
        if (pid !== undefined && !killed.includes(pid)) {
          killed.push(pid);
          process.kill(pid, 'SIGKILL');
        }
        return undefined;
      },
      90_000,
    );
    expect(await run.exitCode).toBe(1);
    expect(killed).toHaveLength(5);
    expect(run.output()).toContain(
      'skillflow: giving up: the worker process died 5 times within 60 s (last: signal SIGKILL); ' +
        'stopping every SkillFlow process.',
    );
    expect(run.output()).toContain('skillflow: stopped because the worker process died 5 times within 60 s');
    expect([...pids, ...killed].filter(alive)).toEqual([]);
  });
});
