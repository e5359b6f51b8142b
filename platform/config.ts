// Settings from the environment, read once at process start (workflow code never reads process.env).
import path from 'node:path';

export interface Settings {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  databaseUrl: string;
  payloadKey: string; // AES-256-GCM key for Temporal payloads (64 hex chars or base64 of 32 bytes)
  piiKey: string; // AES-256-GCM key for ID numbers and names in the read model
  personKeySecret: string; // HMAC secret: ID number → person key
  paymentGateway: 'file' | 'simulated';
  region: string; // whose policy versions apply: a city bureau runs its region's policy (DESIGN.md §4)
  bankDir: string;
  /**
   * Accounts the simulated bank does not recognise (SKILLFLOW_SIM_BANK_REFUSES, comma-separated, spaces ignored): it
   * refuses every transfer to them, as a bank refuses a mistyped account, until the account is corrected. The
   * demo's compressed-clock worker uses it; unset everywhere else.
   */
  simulatedBankRefuses: string[];
  port: number;
  webDir: string;
  logLevel: string;
  /** The address people use, e.g. `https://px.example.gov.cn` (SKILLFLOW_PUBLIC_ORIGIN); unset: not known. */
  publicOrigin?: string;
  /** Served over TLS: HSTS and a `Secure` session cookie. An https public origin, else production. */
  tls: boolean;
  /** Express `trust proxy` (SKILLFLOW_TRUST_PROXY): whose X-Forwarded-* headers to believe; off by default. */
  trustProxy: boolean | number | string;
  /**
   * Workflows a worker keeps in memory between tasks (SKILLFLOW_WORKFLOW_CACHE, default 50). A workflow out of
   * the cache is replayed from its history on its next task: fewer cached, less memory, more replay. With 1,000
   * classes open (bench:load) the worker peaked at 1,253 MB with 100 cached and at 962 MB with 50, which was also
   * faster (29.7 classes a minute against 24.6: less to collect); at 500 it reached 2.6 GB with 250 open.
   */
  workflowCacheSize: number;
  /**
   * How long an API request waits for a workflow to answer a command (SKILLFLOW_UPDATE_TIMEOUT_MS, from 1 s to
   * 10 min) before it answers 503 WORKFLOW_TIMEOUT, to be retried with the same Idempotency-Key; 0, the default:
   * no limit. Keep it under the reverse proxy's read timeout and under the Idempotency-Key lease (2 min).
   */
  updateTimeoutMs: number;
}

// Development defaults only: the start script and docker-compose.yml set real values; production refuses them.
const DEV_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // The project root, from source (platform/) or compiled (dist/platform/).
  const root = path.resolve(
    __dirname,
    '..',
    path.basename(path.resolve(__dirname, '..')) === 'dist' ? '..' : '',
  );
  const production = env.NODE_ENV === 'production';
  const publicOrigin = env.SKILLFLOW_PUBLIC_ORIGIN?.trim().replace(/\/+$/, '') || undefined;
  const secret = (name: string): string => {
    const value = env[name];
    if (value) return value;
    if (production) throw new Error(`${name} must be set in production`);
    return DEV_KEY;
  };
  return {
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'skillflow',
    databaseUrl: env.DATABASE_URL ?? `file:${path.join(root, 'data', 'skillflow.db')}`,
    payloadKey: secret('SKILLFLOW_PAYLOAD_KEY'),
    piiKey: secret('SKILLFLOW_PII_KEY'),
    personKeySecret: secret('SKILLFLOW_PERSON_KEY_SECRET'),
    paymentGateway: env.PAYMENT_GATEWAY === 'file' ? 'file' : 'simulated',
    region: env.SKILLFLOW_REGION ?? '河北省',
    bankDir: env.BANK_DIR ?? path.join(root, 'data', 'bank'),
    simulatedBankRefuses: (env.SKILLFLOW_SIM_BANK_REFUSES ?? '')
      .split(',')
      .map((a) => a.replace(/\s/g, ''))
      .filter(Boolean),
    port: Number(env.PORT ?? 3000),
    webDir: env.WEB_DIR ?? path.join(root, 'web', 'dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    ...(publicOrigin ? { publicOrigin } : {}),
    tls: publicOrigin ? publicOrigin.startsWith('https://') : production,
    trustProxy: trustProxyOf(env.SKILLFLOW_TRUST_PROXY),
    workflowCacheSize: cacheSizeOf(env.SKILLFLOW_WORKFLOW_CACHE),
    updateTimeoutMs: updateTimeoutOf(env.SKILLFLOW_UPDATE_TIMEOUT_MS),
  };
}

/** `SKILLFLOW_WORKFLOW_CACHE`: a whole number from 2 to 10,000 (Temporal needs at least 2); unset: 50. */
function cacheSizeOf(value: string | undefined): number {
  const v = (value ?? '').trim();
  if (v === '') return 50;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 2 && n <= 10_000))
    throw new Error(`SKILLFLOW_WORKFLOW_CACHE must be a whole number from 2 to 10000, not "${v}"`);
  return n;
}

/** `SKILLFLOW_UPDATE_TIMEOUT_MS`: whole milliseconds from 1,000 to 600,000, or 0; unset: 0 (no limit). */
function updateTimeoutOf(value: string | undefined): number {
  const v = (value ?? '').trim();
  if (v === '' || v === '0') return 0;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1_000 && n <= 600_000))
    throw new Error(
      `SKILLFLOW_UPDATE_TIMEOUT_MS must be 0 or whole milliseconds from 1000 to 600000, not "${v}"`,
    );
  return n;
}

/**
 * `SKILLFLOW_TRUST_PROXY`: unset, empty, `0` or `false` trusts no proxy (the client address is the socket's);
 * a number trusts that many hops; anything else is Express's list of proxy addresses or subnets
 * (`loopback`, `10.0.0.0/8, 192.168.1.2`). `true` (trust every hop) is refused: any client could then name
 * its own address.
 */
function trustProxyOf(value: string | undefined): boolean | number | string {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (v.toLowerCase() === 'true')
    throw new Error(
      'SKILLFLOW_TRUST_PROXY=true would trust any client: give the proxy addresses or a hop count',
    );
  return v;
}
