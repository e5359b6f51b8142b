// The crash harness's HTTP client: a caller of the real API (API key or a logged-in session) that gives up
// on slow answers and tries again, as an impatient client system does. Every command is sent with an
// Idempotency-Key and, once it has a final answer, sent a second time with the same key: that second answer
// must be the first one replayed (`Idempotent-Replayed: true`, same status, same body), never a second run.
import { randomUUID } from 'node:crypto';
import { IN_PROGRESS_LEASE_MS } from '../../api/idempotency';

export interface ClientStats {
  commands: number;
  /** attempts abandoned by the client (its own timeout) or refused at the socket (API down) */
  timeouts: number;
  /** 5xx, 429 and 409 IDEMPOTENCY_IN_PROGRESS answers: tried again with the same key */
  retries: number;
  /** second sends whose answer was not the first answer replayed */
  replayMismatches: number;
  /** keys still "in progress" after `stuckAfterMs` (their request died with the API): sent again with a new key */
  stuckKeys: number;
  /** requests on their way right now (the driver restarts the API while one is) */
  inFlight: number;
  mismatchExamples: string[];
}

export const newStats = (): ClientStats => ({
  commands: 0,
  timeouts: 0,
  retries: 0,
  replayMismatches: 0,
  stuckKeys: 0,
  inFlight: 0,
  mismatchExamples: [],
});

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  replayed: boolean;
}

type Auth = { bearer: string } | { cookie: string; csrf: string } | Record<string, never>;

export interface CallerOptions {
  /** give up on one call after this long (default 10 minutes) */
  giveUpAfterMs?: number;
  /** and in any case at this moment (epoch ms): the run's deadline */
  deadline?: number;
  /**
   * A key still "in progress" after this long is one the API failed to release: beyond the API's lease on a
   * placeholder left by a process that died mid-request (api/idempotency.ts). Default: the lease + 30 s (it
   * used to be 90 s, shorter than the lease, and a 20-class run counted a key the API was about to take over).
   */
  stuckAfterMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ApiCaller {
  constructor(
    private readonly baseUrl: string,
    private readonly stats: ClientStats,
    private auth: Auth = {},
    private readonly opts: CallerOptions = {},
  ) {}

  /** A staff session: logs in once (sessions live in the database, so they outlive an API restart). */
  static async login(
    baseUrl: string,
    stats: ClientStats,
    username: string,
    password: string,
    opts: CallerOptions = {},
  ) {
    const caller = new ApiCaller(baseUrl, stats, {}, opts);
    const res = await caller.untilAnswered('POST', '/api/v1/auth/login', {
      body: JSON.stringify({ username, password }),
      contentType: 'application/json',
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
    const cookie = /sf_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
    if (!cookie) throw new Error(`login ${username}: no session cookie`);
    caller.auth = { cookie, csrf: (JSON.parse(res.text) as { csrfToken: string }).csrfToken };
    return caller;
  }

  static withKey(baseUrl: string, stats: ClientStats, key: string, opts: CallerOptions = {}) {
    return new ApiCaller(baseUrl, stats, { bearer: key }, opts);
  }

  /** The same caller (its session or key, its counts) with other limits. */
  with(opts: CallerOptions): ApiCaller {
    return new ApiCaller(this.baseUrl, this.stats, this.auth, { ...this.opts, ...opts });
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', ...extra };
    if ('bearer' in this.auth) h.authorization = `Bearer ${this.auth.bearer}`;
    if ('cookie' in this.auth) {
      h.cookie = this.auth.cookie;
      h['x-csrf-token'] = this.auth.csrf;
    }
    return h;
  }

  /** One attempt; undefined when the client gave up waiting or could not connect. */
  private async attempt(
    method: string,
    path: string,
    init: { body?: string; contentType?: string; key?: string },
    timeoutMs: number,
  ): Promise<{ status: number; text: string; headers: Headers } | undefined> {
    this.stats.inFlight++;
    try {
      const res = await fetch(this.baseUrl + path, {
        method,
        headers: this.headers({
          ...(init.contentType ? { 'content-type': init.contentType } : {}),
          ...(init.key ? { 'idempotency-key': init.key } : {}),
        }),
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, text: await res.text(), headers: res.headers };
    } catch {
      this.stats.timeouts++;
      return undefined;
    } finally {
      this.stats.inFlight--;
    }
  }

  /** Tries until the API gives an answer that is not "try again" (down, 5xx, 429, key in progress). */
  private async untilAnswered(
    method: string,
    path: string,
    init: { body?: string; contentType?: string; key?: string; impatientFirst?: boolean },
  ): Promise<{ status: number; text: string; headers: Headers; key?: string }> {
    const giveUpAt = Math.min(
      Date.now() + (this.opts.giveUpAfterMs ?? 600_000),
      this.opts.deadline ?? Number.POSITIVE_INFINITY,
    );
    const stuckAfterMs = this.opts.stuckAfterMs ?? IN_PROGRESS_LEASE_MS + 30_000;
    let inProgressSince: number | undefined;
    let last = 'no answer (API down or too slow)';
    for (let i = 0; ; i++) {
      // The run's deadline bounds every call: a command the API keeps refusing with "try again" is reported with
      // what it last answered, instead of holding the run past its time.
      if (Date.now() > giveUpAt) throw new Error(`${method} ${path}: gave up; last answer: ${last}`);
      // The first try of a command is often impatient: it may give up before the API answers, so the retry
      // meets a request still running or already done under the same key.
      const timeout = i === 0 && init.impatientFirst ? 20 + Math.random() * 1500 : 60_000;
      const res = await this.attempt(method, path, init, timeout);
      if (res) {
        last = `${res.status} ${res.text.slice(0, 300)}`;
        const code = res.status === 409 ? (safeJson(res.text) as { code?: string }).code : undefined;
        if (code === 'IDEMPOTENCY_IN_PROGRESS') {
          inProgressSince ??= Date.now();
          if (init.key && Date.now() - inProgressSince > stuckAfterMs) {
            // The request holding this key died with the API process and its placeholder stays "in
            // progress" (for 24 h): a client can only go on with a new key. Counted and reported.
            this.stats.stuckKeys++;
            init = { ...init, key: `${init.key}~${i}` };
            inProgressSince = undefined;
          }
        } else inProgressSince = undefined;
        if (res.status < 500 && res.status !== 429 && code !== 'IDEMPOTENCY_IN_PROGRESS')
          return { ...res, key: init.key };
        this.stats.retries++;
      }
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(i, 5)));
    }
  }

  async get<T = unknown>(path: string): Promise<{ status: number; body: T }> {
    const res = await this.untilAnswered('GET', path, {});
    return { status: res.status, body: safeJson(res.text) as T };
  }

  /** A command: sent until answered, then once more with the same key; the second answer must be a replay. */
  async command<T = unknown>(
    path: string,
    payload: unknown,
    opts: { contentType?: string } = {},
  ): Promise<{ status: number; body: T; rekeyed: boolean }> {
    this.stats.commands++;
    const key = randomUUID();
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload ?? {});
    const init = { body, contentType: opts.contentType ?? 'application/json', key };
    const first = await this.untilAnswered('POST', path, { ...init, impatientFirst: true });
    const again = await this.untilAnswered('POST', path, { ...init, key: first.key });
    if (
      again.headers.get('idempotent-replayed') !== 'true' ||
      again.status !== first.status ||
      again.text !== first.text
    ) {
      this.stats.replayMismatches++;
      if (this.stats.mismatchExamples.length < 5)
        this.stats.mismatchExamples.push(
          `${path}: ${first.status} ${first.text.slice(0, 200)} then ${again.status} ` +
            `(replayed: ${again.headers.get('idempotent-replayed')}) ${again.text.slice(0, 200)}`,
        );
    }
    return { status: first.status, body: safeJson(first.text) as T, rekeyed: first.key !== key };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
