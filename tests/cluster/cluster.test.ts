// `npm run start:cluster` (issue 14, item 3) as an operator meets it: the production Temporal server as five
// processes (frontend, two history hosts, matching, internal worker) on PostgreSQL, two SkillFlow workers and two
// APIs on a PostgreSQL read model. One case is filed on one API and decided on the other; a SIGKILLed history host
// is restarted and the cluster goes on; Ctrl-C stops every process; a second start resumes the same cases.
// Runs the compiled scripts/cluster.ts (scripts/test.sh builds dist/ and the server binaries first).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { demoApi, type DemoCall } from '../../prisma/demoApi';
import { addDays, shanghaiDate } from '../../domain/dates';
import { freePort, ROOT } from '../../scripts/stack';
import { demoPlan } from '../../prisma/seed';
import { randomTemporalPort } from '../../scripts/cluster';
import { collectOutput } from '../support/childOutput';

jest.setTimeout(600_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Cluster {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node dist/scripts/cluster.js` on the given ports and waits until it says it is running. */
async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'cluster.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = collectOutput(proc);
  const deadline = Date.now() + 300_000;
  while (!output().includes('SkillFlow is running as a cluster')) {
    if (proc.exitCode !== null) throw new Error(`start:cluster exited ${proc.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`start:cluster not up after 300 s:\n${output()}`);
    await sleep(500);
  }
  return { proc, output, exited };
}

/** The processes of the cluster in this data folder (they carry its path in their arguments or environment). */
function pidsOf(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', pattern], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The class's stage in the read model, as the case page shows it (undefined while it is not projected yet). */
const stageOf = (api: DemoCall, classId: string) =>
  api<{ class: { stage: string } | null }>('GET', `/cases/${encodeURIComponent(classId)}`).then(
    (c) => c.class?.stage,
  );

/** A plan of the demo institution for a class of its own: title and start differ per `n`. */
const plan = (n: number) =>
  demoPlan(`集群验证班 ${n}`, '4-03-02-01', addDays(shanghaiDate(new Date().toISOString()), 30 + n * 7), 20);

describe('SkillFlow as a cluster (npm run start:cluster)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-cluster-'));
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when the tests run as root
  let cluster: Cluster | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Ports of their own: the frontend's gRPC port decides the other Temporal ports (-300 … +10 around it);
    // Temporal keeps membership ports as a smallint, so all of them stay below 32768.
    const temporalPort = randomTemporalPort();
    const apiPort = await freePort();
    env = {
      SKILLFLOW_CLUSTER_DIR: dataDir,
      TEMPORAL_PORT: String(temporalPort),
      PORT: String(apiPort),
      TEMPORAL_LOG_LEVEL: 'error',
    };
  });

  afterAll(async () => {
    if (cluster && cluster.proc.exitCode === null) {
      cluster.proc.kill('SIGINT');
      await Promise.race([cluster.exited, sleep(30_000)]);
    }
    for (const pid of pidsOf(dataDir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a case across two APIs, survives a history host killed, stops cleanly and resumes its cases', async () => {
    // Another suite may have taken one of the ports meanwhile: the cluster refuses at once; then other ports.
    for (let attempt = 1; ; attempt++) {
      try {
        cluster = await startCluster(env);
        break;
      } catch (err) {
        if (attempt === 3 || !/is in use/.test(String(err))) throw err;
        env.TEMPORAL_PORT = String(randomTemporalPort());
        env.PORT = String(await freePort());
      }
    }
    const api = [0, 1].map((i) => `http://127.0.0.1:${Number(env.PORT) + i}/`);
    for (const base of api) expect((await fetch(`${base}api/health`)).status).toBe(200);

    // Two history hosts in the cluster's membership, each owning shards.
    const pgUrl = /PostgreSQL is up at (\S+)/.exec(cluster.output())![1]!.replace(/\/postgres$/, '/temporal');
    const history = async () => {
      const pg = new Client({ connectionString: pgUrl });
      await pg.connect();
      try {
        const hosts = await pg.query<{ rpc_port: number }>(
          'SELECT DISTINCT rpc_port FROM cluster_membership WHERE role = 2 AND record_expiry > now() ORDER BY rpc_port',
        );
        return hosts.rows.map((r) => Number(r.rpc_port));
      } finally {
        await pg.end();
      }
    };
    const t = Number(env.TEMPORAL_PORT);
    expect(
      await until('two history hosts', async () => ((await history()).length === 2 ? history() : undefined)),
    ).toEqual([t - 299, t - 296]); // their membership ports

    // Filed on API 1 by the institution, decided on API 2 by the caseworker, seen on API 1.
    const inst = await demoApi(api[0]!, 'inst1');
    const caseworker = [await demoApi(api[0]!, 'caseworker'), await demoApi(api[1]!, 'caseworker')] as const;
    const fileAndApprove = async (n: number) => {
      const { classId } = await inst<{ classId: string }>('POST', '/institution/classes', { plan: plan(n) });
      await until(`${classId} under review on API 2`, async () =>
        (await stageOf(caseworker[1], classId)) === 'UNDER_REVIEW' ? true : undefined,
      );
      await caseworker[1]('POST', `/cases/${encodeURIComponent(classId)}/review`, { decision: 'APPROVE' });
      await until(`${classId} enrolling on API 1`, async () =>
        (await stageOf(caseworker[0], classId)) === 'ENROLLING' ? true : undefined,
      );
      return classId;
    };
    const first = await fileAndApprove(1);

    // A history host SIGKILLed: the supervisor starts it again and the cluster takes the next case.
    const hostPattern = `--root ${dataDir} .*--env history-1 `;
    const [killed] = pidsOf(hostPattern);
    expect(killed).toBeDefined();
    process.kill(killed!, 'SIGKILL');
    const [restarted] = await until('history-1 restarted', async () => {
      const now = pidsOf(hostPattern).filter((p) => p !== killed);
      return now.length ? now : undefined;
    });
    // The supervisor logs right after it spawns the host, but its lines come here through a pipe, and pgrep (which
    // blocks this event loop) may see the new process before they arrive: wait for them, then assert.
    const output = cluster.output;
    const logged = [
      `the temporal-history-1 process (pid ${killed}) died at`,
      `the temporal-history-1 process is running again (pid ${restarted})`,
    ];
    await until(
      'the restart in the log',
      async () => (logged.every((l) => output().includes(l)) ? true : undefined),
      15_000,
    ).catch(
      () => undefined, // the expectations below say which line is missing
    );
    for (const line of logged) expect(output()).toContain(line);
    const second = await fileAndApprove(2);

    // Ctrl-C: every process of the cluster stops (PostgreSQL too), and the command exits 0.
    cluster.proc.kill('SIGINT');
    expect(await cluster.exited).toBe(0);
    expect(pidsOf(dataDir)).toEqual([]); // the Temporal services (--root) and PostgreSQL (-D) of this folder
    for (const base of api) await expect(fetch(`${base}api/health`)).rejects.toThrow(); // both APIs are gone

    // Started again: the same cases, where they were; no second demo seeding.
    cluster = await startCluster(env);
    const again = await demoApi(api[1]!, 'caseworker');
    expect(await stageOf(again, first)).toBe('ENROLLING');
    expect(await stageOf(again, second)).toBe('ENROLLING');
  });
});
