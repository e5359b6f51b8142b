// `npm run start:cluster`: SkillFlow's scale-out topology on one machine, each part its own process, as
// docker-compose.yml runs them beside each other:
//   - PostgreSQL (Debian's package, scripts/postgres.sh `keep`): Temporal's `temporal` and `temporal_visibility`
//     databases and SkillFlow's read model `skillflow`, kept in the data folder across restarts;
//   - the production Temporal server (go.temporal.io/server, built once by scripts/cluster.sh) as one process
//     per service: frontend, two history hosts, matching and the internal worker, forming one cluster through
//     their membership ports;
//   - SkillFlow: two workers and two API processes (each serving the web UI), the demo data seeded once.
// Every process is kept running by the supervisor of `npm start` (scripts/supervisor.ts); its output goes to
// a log file of its own in <data folder>/logs/. Ctrl-C (SIGINT, SIGTERM, SIGHUP) stops the APIs, the workers,
// the Temporal services and PostgreSQL, in that order; starting again resumes the same cases.
// Settings: SKILLFLOW_CLUSTER_DIR (data folder, default .cluster/), TEMPORAL_PORT (frontend gRPC, default 7233;
// the other Temporal ports follow from it), PORT (API 1, default 3000; API 2 is PORT + 1), SKILLFLOW_DEMO=0
// (no demo data), TEMPORAL_LOG_LEVEL (the Temporal services' log level, default warn).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { DYNAMIC_CONFIG, SEARCH_ATTRIBUTES } from '../worker/searchAttributes';
import { DEMO_PASSWORD, DEMO_USERS } from '../prisma/demo';
import { keysFor, ROOT, runSeeder, waitFor } from './stack';
import { Supervisor, type RestartPolicy } from './supervisor';

/** Fixed once the cluster's databases exist (Temporal cannot change it later): two hosts share 8 shards. */
const HISTORY_SHARDS = 8;
const NAMESPACE = 'default';
const READ_MODEL_DB = 'skillflow';

interface Rpc {
  grpcPort: number;
  membershipPort: number;
  httpPort?: number;
}

/** One process of the Temporal server: its service and its own ports (an `--env` file of its own). */
interface TemporalProcess {
  name: string;
  env: string;
  service: 'frontend' | 'history' | 'matching' | 'worker';
  rpc: Rpc;
}

/** Temporal's usual ports when TEMPORAL_PORT is 7233; the second history host takes 7237/6937. */
function temporalProcesses(frontendPort: number): TemporalProcess[] {
  const at = (offset: number): Rpc => ({
    grpcPort: frontendPort + offset,
    membershipPort: frontendPort - 300 + offset,
  });
  // Started in this order, stopped in the reverse one (the internal worker first, the history hosts last).
  return [
    { name: 'temporal-history-1', env: 'history-1', service: 'history', rpc: at(1) },
    { name: 'temporal-history-2', env: 'history-2', service: 'history', rpc: at(4) },
    { name: 'temporal-matching', env: 'matching', service: 'matching', rpc: at(2) },
    {
      name: 'temporal-frontend',
      env: 'frontend',
      service: 'frontend',
      rpc: { ...at(0), httpPort: frontendPort + 10 },
    },
    { name: 'temporal-worker', env: 'worker', service: 'worker', rpc: at(6) },
  ];
}

interface Toolchain {
  server: string;
  sql: string;
  module: string;
  cli: string;
}

/** A `services:` entry: a process's own service with its ports. */
function serviceYaml(p: TemporalProcess) {
  return `  ${p.service}:
    rpc:
      grpcPort: ${p.rpc.grpcPort}
      membershipPort: ${p.rpc.membershipPort}
      bindOnLocalHost: true${p.rpc.httpPort ? `\n      httpPort: ${p.rpc.httpPort}` : ''}
`;
}

/**
 * The shared part of every Temporal process's configuration (base.yaml). It names every service, each with
 * the ports of its first process: a process tracks in its membership ring only the services its configuration
 * names (a history host without `matching` there fails with "service not tracked by Monitor"); the hosts it
 * finds there tell their own gRPC port, so a second history host on other ports is found all the same.
 */
function baseYaml(opts: {
  pgPort: number;
  processes: TemporalProcess[];
  dynamicConfig: string;
  logLevel: string;
}) {
  const frontendPort = opts.processes.find((p) => p.service === 'frontend')!.rpc.grpcPort;
  const firstOfEach = opts.processes.filter(
    (p, i) => opts.processes.findIndex((q) => q.service === p.service) === i,
  );
  const store = (db: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "127.0.0.1:${opts.pgPort}"
        connectProtocol: tcp
        user: postgres
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  return `# Written by scripts/cluster.ts at every start: edit that file, not this one.
log:
  stdout: true
  level: ${opts.logLevel}
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${HISTORY_SHARDS}
  datastores:
    postgres-default:${store('temporal', 20)}
    postgres-visibility:${store('temporal_visibility', 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${frontendPort}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(opts.dynamicConfig)}
  pollInterval: 10s
services:
${firstOfEach.map(serviceYaml).join('')}`;
}

/** One process's own file (<env>.yaml, read after base.yaml): its own service and ports. */
function processYaml(p: TemporalProcess) {
  return `# Written by scripts/cluster.ts: the ${p.name} process (--env ${p.env} --service ${p.service}).
services:
${serviceYaml(p)}`;
}

function writeTemporalConfig(dir: string, tools: Toolchain, processes: TemporalProcess[], pgPort: number) {
  const frontend = processes.find((p) => p.service === 'frontend')!;
  fs.mkdirSync(path.join(dir, 'dynamicconfig'), { recursive: true });
  const dynamicConfig = path.join(dir, 'dynamicconfig', 'development-sql.yaml');
  // The module's development settings, with its Nexus callback pointed at this frontend's HTTP port, and the
  // settings SkillFlow runs with on every server (worker/searchAttributes.ts DYNAMIC_CONFIG).
  fs.writeFileSync(
    dynamicConfig,
    fs
      .readFileSync(path.join(tools.module, 'config', 'dynamicconfig', 'development-sql.yaml'), 'utf8')
      .replace('localhost:7243', `127.0.0.1:${frontend.rpc.httpPort}`) +
      '\n# SkillFlow (worker/searchAttributes.ts DYNAMIC_CONFIG)\n' +
      Object.entries(DYNAMIC_CONFIG)
        .map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`)
        .join(''),
  );
  fs.writeFileSync(
    path.join(dir, 'base.yaml'),
    baseYaml({
      pgPort,
      processes,
      dynamicConfig,
      logLevel: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
    }),
  );
  for (const p of processes) fs.writeFileSync(path.join(dir, `${p.env}.yaml`), processYaml(p));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a set-up command to its end, its output appended to the set-up log; in a process group of its own (so a
 * Ctrl-C in the terminal reaches only this process, which stops things in order) unless `interruptible` (the
 * toolchain scripts: a Ctrl-C during a Go build stops the build too).
 */
function runStep(
  cmd: string,
  args: string[],
  opts: {
    log: number;
    env?: NodeJS.ProcessEnv;
    stderr?: 'inherit';
    check?: boolean;
    interruptible?: boolean;
  },
): Promise<Run> {
  fs.writeSync(opts.log, `$ ${[cmd, ...args].join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', opts.stderr ?? 'pipe'],
      detached: !opts.interruptible,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      fs.writeSync(opts.log, stdout + stderr + `(exit ${code})\n`);
      const run = { code: code ?? 1, stdout, stderr };
      if (run.code !== 0 && opts.check !== false) {
        const tail = (stderr || stdout).trim().split('\n').slice(-5).join('\n');
        reject(
          new Error(`${path.basename(cmd)} ${args.slice(0, 2).join(' ')} failed (exit ${code}):\n${tail}`),
        );
      } else resolve(run);
    });
  });
}

async function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

async function withPg<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const dbUrl = (serverUrl: string, db: string) => serverUrl.replace(/\/[^/]*$/, `/${db}`);

async function databaseExists(serverUrl: string, db: string): Promise<boolean> {
  return withPg(
    serverUrl,
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount === 1,
  );
}

/** Temporal's two databases, created and brought to the module's schema version (idempotent). */
async function migrateTemporal(tools: Toolchain, serverUrl: string, pgPort: number, log: number) {
  const schemas = path.join(tools.module, 'schema', 'postgresql', 'v12');
  for (const [db, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const connect = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgPort), '-u', 'postgres'];
    const sql = (...args: string[]) => runStep(tools.sql, [...connect, '--db', db, ...args], { log });
    if (!(await databaseExists(serverUrl, db))) await sql('create-database');
    const versioned = await withPg(dbUrl(serverUrl, db), async (c) => {
      const r = await c.query<{ t: string | null }>("SELECT to_regclass('schema_version')::text AS t");
      return r.rows[0]?.t != null;
    });
    if (!versioned) await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', path.join(schemas, schema, 'versioned'));
  }
}

const CLI_TYPES: Partial<Record<proto.api.enums.v1.IndexedValueType, string>> = {
  [proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]: 'Keyword',
  [proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL]: 'Bool',
  [proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME]: 'Datetime',
  [proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT]: 'Text',
  [proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT]: 'Int',
  [proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE]: 'Double',
};

/**
 * The `default` namespace and SkillFlow's search attributes, with the Temporal CLI (idempotent). A namespace
 * just created reaches the frontend's namespace cache within its refresh interval (10 s): until then the
 * search attributes are refused as "namespace not found", so those are retried for a while.
 */
async function setUpNamespace(cli: string, address: string, log: number): Promise<string[]> {
  const temporal = (args: string[], check = true) =>
    runStep(cli, [...args, '--address', address], { log, check });
  const created: string[] = [];
  const described = await temporal(['operator', 'namespace', 'describe', '--namespace', NAMESPACE], false);
  if (described.code !== 0) {
    await temporal(['operator', 'namespace', 'create', '--namespace', NAMESPACE]);
    created.push(`namespace ${NAMESPACE}`);
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = await temporal(
      ['operator', 'search-attribute', 'list', '--namespace', NAMESPACE, '--output', 'json'],
      false,
    );
    if (listed.code === 0) {
      const listing = JSON.parse(listed.stdout) as { customAttributes?: Record<string, string> };
      const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !listing.customAttributes?.[name]);
      if (missing.length === 0) return created;
      const flags = missing.flatMap(([name, type]) => {
        const cliType = CLI_TYPES[type];
        if (!cliType) throw new Error(`search attribute ${name}: no CLI name for its type ${type}`);
        return ['--name', name, '--type', cliType];
      });
      const made = await temporal(
        ['operator', 'search-attribute', 'create', '--namespace', NAMESPACE, ...flags],
        false,
      );
      if (made.code === 0) created.push(...missing.map(([name]) => `search attribute ${name}`));
    }
    if (Date.now() > deadline)
      throw new Error(`the search attributes could not be registered: ${listed.stderr.trim().slice(-300)}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** A path as the terminal shows it: relative to where the command runs, when it is below it. */
function shown(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/**
 * A frontend port for a cluster beside others (tests, benchmarks): the other Temporal ports lie 300 below to 10
 * above it, and Temporal keeps membership ports as a PostgreSQL smallint, so all of them stay under 32768.
 */
export const randomTemporalPort = () => 10_000 + Math.floor(Math.random() * 22_000);

/**
 * Two free consecutive ports for the two APIs of a cluster beside others, below Temporal's ports and below the
 * range the kernel takes local ports of outgoing connections from (32768 on): a port the OS hands out as free
 * can be taken by one of the cluster's own connections before the API listens (a 20-class crash run failed so:
 * its api-2 found its port taken half a minute after the check).
 */
async function freeApiPorts(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 2_000 + Math.floor(Math.random() * 7_000);
    if (!(await portTaken(port)) && !(await portTaken(port + 1))) return port;
  }
  throw new Error('no two free consecutive ports between 2000 and 9000 for the APIs');
}

export interface ClusterOptions {
  dataDir: string;
  /** the frontend's gRPC port; the other Temporal ports follow from it */
  temporalPort: number;
  /** API 1's port; API 2 listens on the next */
  apiPort: number;
  seedDemo: boolean;
  /** more environment for the SkillFlow workers and APIs (the crash harness's marks, a region) */
  extraEnv?: Record<string, string>;
  /** the supervisor's restart policy (the crash harness never lets it give up) */
  restartPolicy?: Partial<RestartPolicy>;
  /** progress lines also go to the terminal (the command does; the crash harness keeps them in cluster.log) */
  terminal?: boolean;
  /** hands over, at once, what stops the cluster: a Ctrl-C during the start-up stops what has started */
  onStop?: (stop: () => Promise<void>) => void;
}

/** The processes of a running cluster, by name: temporal-frontend, temporal-history-1, worker-1, api-2, ... */
export interface Cluster {
  env: Record<string, string>;
  apiUrls: string[];
  address: string;
  pgUrl: string;
  processes: TemporalProcess[];
  logsDir: string;
  cli: string;
  pid(name: string): number | undefined;
  gaveUp: Promise<string>;
  /** PostgreSQL stopped at once (as in a crash: `pg_ctl -m immediate`) and started again on the same folder */
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Brings the cluster up (building the Temporal server first if needed) and answers once both APIs serve and the
 * demo (if asked for) is seeded; from then on the supervisor restarts any process that dies.
 */
/** A benchmark's or the crash harness's cluster: in `dataDir`, on ports of its own, without the demo. */
export async function startBenchCluster(
  dataDir: string,
  extraEnv: Record<string, string>,
  restartPolicy?: Partial<RestartPolicy>,
): Promise<Cluster> {
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when the harness runs as root
  return startCluster({
    dataDir,
    temporalPort: randomTemporalPort(),
    apiPort: await freeApiPorts(),
    seedDemo: false,
    extraEnv,
    restartPolicy,
  });
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const began = Date.now();
  const dataDir = path.resolve(opts.dataDir);
  const logsDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  const openLog = (name: string) => fs.openSync(path.join(logsDir, `${name}.log`), 'a');
  const clusterLog = openLog('cluster');
  const setupLog = openLog('setup');
  const say = (line: string) => {
    if (opts.terminal) console.error(line);
    fs.writeSync(clusterLog, `${new Date().toISOString()} ${line}\n`);
  };
  const progress = (what: string) =>
    say(`skillflow: [${((Date.now() - began) / 1000).toFixed(1)} s] ${what}`);

  const frontendPort = opts.temporalPort;
  const apiPorts = [opts.apiPort, opts.apiPort + 1];
  const processes = temporalProcesses(frontendPort);
  // Temporal stores a host's membership port as a PostgreSQL smallint: a port above 32767 fails its start.
  const highest = Math.max(...processes.map((p) => p.rpc.membershipPort));
  if (!Number.isInteger(frontendPort) || frontendPort < 1024 || highest > 32767)
    throw new Error(
      `TEMPORAL_PORT=${frontendPort}: choose a port from 1024 to ${32767 - (highest - frontendPort)} ` +
        '(the membership ports, 300 below it, must stay under 32768: Temporal stores them as a smallint)',
    );
  const address = `127.0.0.1:${frontendPort}`;

  // Stopping, whenever it comes (also during the start-up): the supervised processes, the last started first,
  // then PostgreSQL.
  const pgDir = path.join(dataDir, 'postgres');
  const postgres = (cmd: 'keep' | 'keep-stop' | 'crash') =>
    runStep('bash', [path.join(ROOT, 'scripts', 'postgres.sh'), cmd, pgDir], {
      log: setupLog,
      stderr: 'inherit',
      check: cmd === 'keep',
    });
  const supervisor = new Supervisor({ log: say, policy: opts.restartPolicy });
  let stopped: Promise<void> | undefined;
  const stopAll = () =>
    (stopped ??= (async () => {
      await supervisor.stop();
      if (fs.existsSync(pgDir)) await postgres('keep-stop');
      fs.closeSync(clusterLog);
      fs.closeSync(setupLog);
    })());
  // A supervisor that gave up has stopped the processes; PostgreSQL goes too.
  void supervisor.gaveUp.then(() => stopAll());
  opts.onStop?.(stopAll);

  // Refuse at once when a port is taken (most likely: start:cluster is already running on this data folder).
  const ports: [string, number][] = [
    ...processes.flatMap((p): [string, number][] => [
      [`${p.name} gRPC`, p.rpc.grpcPort],
      [`${p.name} membership`, p.rpc.membershipPort],
      ...(p.rpc.httpPort ? [[`${p.name} HTTP`, p.rpc.httpPort] as [string, number]] : []),
    ]),
    ...apiPorts.map((port, i): [string, number] => [`api-${i + 1}`, port]),
  ];
  for (const [what, port] of ports)
    if (await portTaken(port))
      throw new Error(
        `port ${port} (${what}) is in use: is start:cluster already running? ` +
          'Set TEMPORAL_PORT and PORT to run another one beside it.',
      );

  // 1. The toolchain: the Temporal server and its schema tool (built once), the Temporal CLI.
  const paths = Object.fromEntries(
    (
      await runStep('bash', [path.join(ROOT, 'scripts', 'cluster.sh')], {
        log: setupLog,
        stderr: 'inherit',
        interruptible: true,
      })
    ).stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const cli = (
    await runStep('bash', [path.join(ROOT, 'scripts', 'temporal-cli.sh')], {
      log: setupLog,
      stderr: 'inherit',
      interruptible: true,
    })
  ).stdout.trim();
  const tools: Toolchain = { server: paths.server!, sql: paths.sql!, module: paths.module!, cli };

  // 2. PostgreSQL, kept in the data folder.
  const pgUrl = (await postgres('keep')).stdout.trim();
  const pgPort = Number(new URL(pgUrl).port);
  progress(`PostgreSQL is up at ${pgUrl} (log ${shown(path.join(pgDir, 'server.log'))})`);

  try {
    // 3. Temporal's databases, its configuration, and one process per service.
    await migrateTemporal(tools, pgUrl, pgPort, setupLog);
    progress('Temporal databases temporal and temporal_visibility are at the schema of the server');
    const configDir = path.join(dataDir, 'temporal');
    writeTemporalConfig(configDir, tools, processes, pgPort);
    const startTemporal = (p: TemporalProcess) => {
      const log = openLog(p.name);
      const args = ['--root', dataDir, '--config', 'temporal', '--env', p.env, '--allow-no-auth'];
      supervisor.add(p.name, () =>
        spawn(tools.server, [...args, 'start', '--service', p.service], {
          cwd: dataDir,
          stdio: ['ignore', log, log],
          detached: true,
        }),
      );
    };
    // On a new cluster the first process to start writes the cluster's metadata and the system namespace;
    // several writing them at once collide ("duplicate key ... cluster_metadata_info_pkey") and all but one
    // exit. So the first starts alone until those rows exist, then the others.
    const initialised = () =>
      withPg(dbUrl(pgUrl, 'temporal'), async (c) => {
        const r = await c.query<{ n: string }>(
          'SELECT (SELECT count(*) FROM cluster_metadata_info) + ' +
            "(SELECT count(*) FROM namespaces WHERE name = 'temporal-system') AS n",
        );
        return Number(r.rows[0]?.n) === 2;
      });
    const [first, ...rest] = processes;
    if (!(await initialised())) {
      startTemporal(first!);
      await waitFor(`Temporal's first start (${first!.name})`, initialised, 120_000, supervisor);
      progress('Temporal cluster metadata and system namespace written');
    } else rest.unshift(first!);
    rest.forEach(startTemporal);
    await waitFor(
      'Temporal frontend',
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return true;
        } finally {
          await connection.close();
        }
      },
      120_000,
      supervisor,
    );
    progress(`the Temporal frontend answers at ${address}`);
    const created = await setUpNamespace(tools.cli, address, setupLog);
    progress(
      created.length
        ? `created ${created.join(', ')}`
        : `namespace ${NAMESPACE} and its search attributes are there`,
    );

    // 4. SkillFlow's read model on the same PostgreSQL server, migrated.
    const readModelUrl = dbUrl(pgUrl, READ_MODEL_DB);
    if (!(await databaseExists(pgUrl, READ_MODEL_DB)))
      await withPg(pgUrl, (c) => c.query(`CREATE DATABASE ${READ_MODEL_DB}`));
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...keysFor(dataDir),
      DATABASE_URL: readModelUrl,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      PORT: String(apiPorts[0]),
      BANK_DIR: path.join(dataDir, 'bank'),
      WEB_DIR: path.join(ROOT, 'web', 'dist'),
      ...opts.extraEnv,
    };
    await runStep(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'migrate-postgres.js')], {
      log: setupLog,
      env,
    });
    progress(`the read model ${readModelUrl} is migrated`);

    // 5. Two SkillFlow workers and two API processes.
    for (const i of [1, 2]) {
      const log = openLog(`worker-${i}`);
      supervisor.add(`worker-${i}`, () =>
        spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], {
          cwd: ROOT,
          env,
          stdio: ['ignore', log, log],
          detached: true,
        }),
      );
    }
    apiPorts.forEach((port, i) => {
      const log = openLog(`api-${i + 1}`);
      supervisor.add(`api-${i + 1}`, () =>
        spawn(process.execPath, [path.join(ROOT, 'dist', 'api', 'main.js')], {
          cwd: ROOT,
          env: { ...env, PORT: String(port) },
          stdio: ['ignore', log, log],
          detached: true,
        }),
      );
    });
    for (const port of apiPorts)
      await waitFor(
        `SkillFlow API on port ${port}`,
        async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200,
        120_000,
        supervisor,
      );
    // Up: from here on a process that dies is restarted.
    supervisor.supervise();
    progress('SkillFlow answers on both APIs');

    // 6. Demo data (demo classes once per data folder), through API 1, while the system already serves.
    if (opts.seedDemo) {
      const log = openLog('seed');
      const seeding = await runSeeder(
        () =>
          spawn(process.execPath, [path.join(ROOT, 'dist', 'prisma', 'seed.js')], {
            cwd: ROOT,
            env,
            stdio: ['ignore', log, log],
          }),
        supervisor.gaveUp,
        say,
      );
      if ('gaveUp' in seeding) throw new Error(`the demo data could not be seeded: ${seeding.gaveUp}`);
      progress(seeding.seeded ? 'demo data seeded' : 'demo data NOT seeded (see logs/seed.log)');
    }

    return {
      env,
      apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
      address,
      pgUrl,
      processes,
      logsDir,
      cli: tools.cli,
      pid: (name) => supervisor.pid(name),
      gaveUp: supervisor.gaveUp,
      restartPostgres: async () => {
        say('skillflow: PostgreSQL stopped at once (immediate) and started again');
        await postgres('crash');
        await postgres('keep');
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** `npm run start:cluster`: the cluster in the foreground until Ctrl-C. */
async function main() {
  const began = Date.now();
  const dataDir = path.resolve(process.env.SKILLFLOW_CLUSTER_DIR ?? path.join(ROOT, '.cluster'));
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping SkillFlow (APIs, workers, Temporal services, PostgreSQL)...');
    await stop?.();
    console.error(`skillflow: [${((Date.now() - began) / 1000).toFixed(1)} s] stopped`);
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  const cluster = await startCluster({
    dataDir,
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
    apiPort: Number(process.env.PORT ?? 3000),
    seedDemo: process.env.SKILLFLOW_DEMO !== '0',
    terminal: true,
    onStop: (f) => (stop = f),
  }).catch((err: unknown) => {
    if (stopping) return new Promise<never>(() => undefined); // Ctrl-C during the start-up: shutdown() exits
    throw err;
  });
  const logsDir = cluster.logsDir;
  void cluster.gaveUp.then((reason) => {
    console.error(`skillflow: stopped because ${reason}. See ${shown(logsDir)}/ for its errors.`);
    process.exit(1);
  });
  const { processes, address, pgUrl, apiUrls, cli } = cluster;
  const pid = (name: string) => String(cluster.pid(name) ?? '-');
  const api = (i: number) => apiUrls[i]!;
  const apiPorts = apiUrls.map((u) => Number(new URL(u).port));
  console.log(
    [
      '',
      `SkillFlow is running as a cluster (up in ${((Date.now() - began) / 1000).toFixed(1)} s).`,
      `  Web UI + API 1              ${api(0)}/   (docs ${api(0)}/api/docs, health ${api(0)}/api/health)`,
      `  Web UI + API 2              ${api(1)}/   (health ${api(1)}/api/health)`,
      `  Temporal frontend (gRPC)    ${address}   e.g. ${cli} operator cluster describe --address ${address}`,
      `  PostgreSQL                  ${pgUrl.replace(/\/postgres$/, '')}/{temporal,temporal_visibility,${READ_MODEL_DB}}`,
      '',
      'Processes (pid):',
      ...processes.map(
        (p) =>
          `  ${p.name.padEnd(20)} ${pid(p.name).padEnd(8)} gRPC ${p.rpc.grpcPort}, membership ${p.rpc.membershipPort}` +
          (p.rpc.httpPort ? `, HTTP ${p.rpc.httpPort}` : ''),
      ),
      ...['worker-1', 'worker-2'].map((n) => `  ${n.padEnd(20)} ${pid(n)}`),
      ...apiPorts.map(
        (port, i) => `  ${`api-${i + 1}`.padEnd(20)} ${pid(`api-${i + 1}`).padEnd(8)} HTTP ${port}`,
      ),
      '',
      `Demo logins (password ${DEMO_PASSWORD}):`,
      ...DEMO_USERS.map((u) => `  ${u.username.padEnd(12)} ${u.role.padEnd(12)} ${u.displayName}`),
      '',
      `Logs: ${shown(logsDir)}/<process>.log (cluster.log: restarts; setup.log: schema and namespace set-up).`,
      `Press Ctrl-C to stop. Data is kept in ${shown(dataDir)}/; starting again resumes the same cases. ` +
        'A process that dies is restarted.',
      '',
    ].join('\n'),
  );
}

if (require.main === module)
  main().catch((err) => {
    console.error(`skillflow: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
