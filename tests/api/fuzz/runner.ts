// Runs generated requests one after another against the fuzz bed and keeps the books: answers by status, every
// failure grouped by cause, and — for each refused write — whether the read model changed. Accepted writes are
// expected to change it: after one, the runner waits for the workflow's projection to go quiet and takes that
// as the new baseline, so a refused write is only ever compared with a settled read model.
import type { FuzzBed, FuzzCallerName } from './bed';
import { diff, same, settle, type Fingerprint, type Fingerprinter, type TableChange } from './fingerprint';
import type { JsonSchema, Operation } from './operations';
import type { FuzzRequest } from './requests';
import { judge, sendOnce, toWire, type Answer, type FailureKind, type SendContext } from './send';
import { caseStateQuery } from '../../../workflows/messages';

export interface Failure {
  group: string;
  kind: FailureKind;
  op: string;
  caller: string;
  status: number;
  detail: string;
  sketch: string;
  request: FuzzRequest;
  response: { status: number; contentType: string; body: string };
  /** the error the app logged behind a 5xx */
  cause?: string;
  changes?: TableChange[];
  /** index of the generated case in the sweep (fast-check's path) */
  run?: number;
}

/** Checks an answer against the OpenAPI document (tests/api/contract.ts): why it breaks it, if it does. */
export interface ContractCheck {
  violation(
    method: string,
    url: string,
    res: { status: number; headers: Record<string, string>; body: unknown; text: string },
  ): string | undefined;
}

export interface Summary {
  requests: number;
  status5xx: number;
  notProblemJson: number;
  refusedWritesThatChangedState: number;
  byStatus: Record<string, number>;
  generated: number;
  acceptedHostile: number;
  mixedLanguage: number;
  contract: number;
  timeouts: number;
  unsent: number;
  harnessErrors: number;
  unsentErrors: Record<string, number>;
  refusedWrites: number;
  acceptedWrites: number;
  operations: number;
  byCaller: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  seconds: number;
  seed?: number;
}

const SESSION_CALLERS = new Set<FuzzCallerName>([
  'caseworker',
  'finance',
  'manager',
  'admin',
  'institution',
  'otherInstitution',
  'assessorSession',
]);

const norm = (s: string) =>
  s
    .replace(/SJZ-\d{4}-\d{6}[\w-]*/g, '<class>')
    .replace(/[0-9a-f]{8,}/gi, '#')
    .replace(/\d+/g, '#')
    .slice(0, 120);

export function groupOf(
  kind: FailureKind,
  op: string,
  status: number,
  detail: string,
  cause?: string,
): string {
  switch (kind) {
    case '5xx':
      return `${kind} | ${op} | ${status} | ${norm(cause || detail)}`;
    case 'notProblemJson':
      return `${kind} | ${op} | ${status} | ${norm(detail)}`;
    case 'contract':
      return `${kind} | ${op} | ${status} | ${norm(detail.split('\n')[0]!)}`;
    case 'acceptedHostile':
      // By kind of defect (unknown field, unsafe character, invalid UTF-8, JSON nested …), not by field.
      return `${kind} | ${op} | ${[...new Set(detail.split('; ').map((d) => d.replace(/ (U\+|"|\d).*$/, '')))].sort().join('; ')}`;
    default:
      return `${kind} | ${op} | ${norm(detail)}`;
  }
}

export function sketch(r: FuzzRequest, op?: Operation): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
  const path = (op?.path ?? r.op.split(' ')[1] ?? '').replace(/\{(\w+)\}/g, (_m, k: string) =>
    JSON.stringify(r.params[k] ?? ''),
  );
  const query = r.query.length ? `?${r.query.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('&')}` : '';
  const h = [
    r.headers.idempotencyKey !== undefined
      ? `Idempotency-Key ${JSON.stringify(r.headers.idempotencyKey)}`
      : '',
    r.headers.contentType ? `Content-Type ${r.headers.contentType}` : '',
    r.headers.lang ? `Accept-Language ${JSON.stringify(r.headers.lang)}` : '',
    r.headers.noCsrf ? 'wrong CSRF token' : '',
    r.headers.forwardedFor ? `X-Forwarded-For ${r.headers.forwardedFor}` : '',
    r.replay ? 'sent twice' : '',
  ].filter(Boolean);
  const b = r.body;
  const body = !b
    ? ''
    : 'json' in b
      ? ` body ${cut(JSON.stringify(b.json) ?? 'undefined', 240)}`
      : 'upload' in b
        ? ` ${b.upload} upload ${cut(JSON.stringify(b.text), 160)}`
        : 'text' in b
          ? ` raw ${cut(JSON.stringify(b.text), 160)}`
          : ` body ${b.open}×${b.deep} ${b.leaf} ${b.close}×${b.deep}`;
  return `${(op?.method ?? r.op.split(' ')[0] ?? '').toUpperCase()} ${cut(path + query, 300)} as ${r.caller}${h.length ? ` [${h.join(', ')}]` : ''}${body}`;
}

export class Fuzzer {
  readonly failures: Failure[] = [];
  readonly groups = new Map<string, { count: number; examples: Failure[] }>();
  /** the first request and answer per operation and status: what the fuzz reached, for a reader of the results */
  readonly samples = new Map<string, { sketch: string; body: string }>();
  readonly summary: Summary = {
    requests: 0,
    status5xx: 0,
    notProblemJson: 0,
    refusedWritesThatChangedState: 0,
    byStatus: {},
    generated: 0,
    acceptedHostile: 0,
    mixedLanguage: 0,
    contract: 0,
    timeouts: 0,
    unsent: 0,
    harnessErrors: 0,
    unsentErrors: {},
    refusedWrites: 0,
    acceptedWrites: 0,
    operations: 0,
    byCaller: {},
    byOperation: {},
    seconds: 0,
  };
  private baseline?: Fingerprint;
  private refusedSinceBaseline: string[] = [];
  private poolsDirty = false;
  /** when false, requests are sent and judged but not counted (shrinking replays) */
  counting = true;

  constructor(
    private readonly bed: FuzzBed,
    private readonly ops: Map<string, Operation>,
    private readonly problemSchema: JsonSchema | undefined,
    private readonly fp: Fingerprinter,
    private readonly ctx: SendContext,
    private readonly contract?: ContractCheck,
  ) {
    this.summary.operations = ops.size;
  }

  /** Sends one generated request (twice when it is a replay) and returns what went wrong. */
  async exec(r: FuzzRequest, run?: number): Promise<Failure[]> {
    try {
      return await this.execOnce(r, run);
    } catch (err) {
      // A fault of the fuzz itself, not of the API: counted (the test fails on it), the run goes on.
      if (this.counting) {
        this.summary.harnessErrors++;
        if (this.harnessErrors.length < 5) this.harnessErrors.push(`${sketch(r)}: ${String(err)}`);
      }
      this.baseline = undefined;
      return [];
    }
  }

  readonly harnessErrors: string[] = [];

  private async execOnce(r: FuzzRequest, run?: number): Promise<Failure[]> {
    const op = this.ops.get(r.op);
    if (!op) return [];
    const s = this.summary;
    const write = op.method !== 'get';
    const before = write ? (this.baseline ??= await this.fp.take()) : undefined;
    const wire = toWire(op, r, this.ctx);
    const errorsFrom = this.bed.errors.length;
    const answers: Answer[] = [await sendOnce(this.bed.callers[r.caller], wire)];
    if (r.replay) answers.push(await sendOnce(this.bed.callers[r.caller], wire));
    const found: Failure[] = [];
    const record = (kind: FailureKind, a: Answer, detail: string, extra: Partial<Failure> = {}) =>
      found.push({
        group: groupOf(kind, op.key, a.status, detail, extra.cause),
        kind,
        op: op.key,
        caller: r.caller,
        status: a.status,
        detail,
        sketch: sketch(r, op),
        request: r,
        response: { status: a.status, contentType: a.contentType, body: a.text.slice(0, 600) },
        ...(run !== undefined ? { run } : {}),
        ...extra,
      });
    if (this.counting) s.generated++;
    for (const a of answers) {
      // Node's HTTP client refuses to send some headers or paths itself: those requests never left.
      if (
        a.status === 0 &&
        a.error &&
        /ERR_INVALID_CHAR|ERR_UNESCAPED_CHARACTERS|ERR_HTTP_INVALID_HEADER_VALUE|ERR_INVALID_HTTP_TOKEN/.test(
          a.error,
        )
      ) {
        if (this.counting) {
          s.unsent++;
          const key = a.error.slice(0, 80);
          s.unsentErrors[key] = (s.unsentErrors[key] ?? 0) + 1;
        }
        continue;
      }
      if (this.counting) {
        s.requests++;
        s.byStatus[a.status] = (s.byStatus[a.status] ?? 0) + 1;
        s.byCaller[r.caller] = (s.byCaller[r.caller] ?? 0) + 1;
        const perOp = (s.byOperation[op.key] ??= {});
        perOp[a.status] = (perOp[a.status] ?? 0) + 1;
        const sampleKey = `${op.key} ${a.status}`;
        if (!this.samples.has(sampleKey))
          this.samples.set(sampleKey, { sketch: sketch(r, op), body: a.text.slice(0, 300) });
      }
      if (this.contract && !a.error) {
        let body: unknown;
        try {
          body = /json/.test(a.contentType) ? JSON.parse(a.text) : undefined;
        } catch {
          body = undefined;
        }
        const why = this.contract.violation(op.method, wire.url, {
          status: a.status,
          headers: { 'content-type': a.contentType },
          body,
          text: a.text,
        });
        if (why) record('contract', a, why.replace(/^.*? answered \d+,? ?/, '').slice(0, 600));
      }
      for (const f of judge(r, op, a, this.problemSchema)) {
        const logged = f.kind === '5xx' ? this.bed.errors.slice(errorsFrom)[0] : undefined;
        record(f.kind, a, f.detail, logged ? { cause: `${logged.message} (${logged.at})` } : {});
      }
    }
    const answered = answers.filter((a) => a.status > 0);
    if (write && answered.length) {
      if (answered.some((a) => a.status < 400)) {
        if (this.counting) s.acceptedWrites++;
        // A login or logout through a session caller's agent changed whose session it holds: log in afresh.
        if (op.path.startsWith('/api/v1/auth/') && SESSION_CALLERS.has(r.caller))
          await this.bed.relogin(r.caller);
        // A write every open class hears of (a calendar change, a bank return) sets many workflows going at once.
        const broadcast = /\/admin\/calendar|\/bank-returns/.test(op.path);
        this.baseline = await this.settleAfter(
          this.classesTouched(op, wire, answers),
          broadcast ? 1_500 : 400,
        );
        this.refusedSinceBaseline = [];
        this.poolsDirty = true;
      } else {
        if (this.counting) s.refusedWrites++;
        const after = await this.fp.take();
        if (!same(before!, after)) {
          const settled = await settle(this.fp);
          const changes = diff(before!, settled);
          record('stateChanged', answered[answered.length - 1]!, changes.map((c) => c.table).join(', '), {
            changes,
          });
          this.baseline = settled;
          this.refusedSinceBaseline = [];
        } else {
          this.baseline = after;
          this.refusedSinceBaseline.push(sketch(r, op));
        }
      }
    } else if (write) this.baseline = await settle(this.fp);
    this.keep(found);
    return found;
  }

  /** The class workflows an accepted write may have set going: named in its path, body or answer. */
  private classesTouched(op: Operation, wire: { url: string; body?: Buffer }, answers: Answer[]): string[] {
    if (/\/admin\/calendar|\/bank-returns/.test(op.path)) return [...(this.bed.pools.class ?? [])];
    const text = [
      wire.url,
      wire.body?.subarray(0, 100_000).toString('utf8') ?? '',
      ...answers.map((a) => a.text),
    ];
    const ids = new Set<string>();
    for (const t of text) for (const m of t.matchAll(/\b[A-Z]{2,8}-\d{4}-\d{6}\b/g)) ids.add(m[0]);
    return [...ids].slice(0, 20);
  }

  /**
   * Waits until the workflows an accepted write reached have no activity or workflow task pending (a chain of
   * activities can pause longer than the read model's quiet window), each class's projection has caught up with
   * the events its workflow has emitted (the test server does not report a pending workflow task, so between two
   * projection activities a class can look idle), and the read model is quiet.
   */
  private async settleAfter(classIds: string[], quietMs = 400): Promise<Fingerprint> {
    const client = this.bed.api.bed.env.client;
    const db = this.bed.api.bed.db;
    const busy = async () => {
      for (const id of classIds) {
        const ids = [id];
        for (let i = 0; i < ids.length && i < 30; i++) {
          try {
            const { raw } = await client.workflow.getHandle(ids[i]!).describe();
            if (raw.pendingActivities?.length || raw.pendingWorkflowTask) return true;
            if (i === 0) for (const c of raw.pendingChildren ?? []) if (c.workflowId) ids.push(c.workflowId);
          } catch {
            // not found or already closed: nothing pending there
          }
        }
      }
      return false;
    };
    const behind = async () => {
      for (const id of classIds) {
        let emitted: number;
        try {
          emitted = (await client.workflow.getHandle(id).query(caseStateQuery)).history.at(-1)?.seq ?? 0;
        } catch {
          continue; // not a class workflow, or none by that id
        }
        const projected = await db.projectionEvent.findFirst({
          where: { workflowId: id },
          orderBy: { seq: 'desc' },
          select: { seq: true },
        });
        if ((projected?.seq ?? 0) < emitted) return true;
      }
      return false;
    };
    const pending = async () => (await busy()) || (await behind());
    let settled: Fingerprint | undefined;
    for (let round = 0; round < 3; round++) {
      const started = Date.now();
      while ((await pending()) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
      settled = await settle(this.fp, quietMs, 10_000);
      if (!(await pending())) break;
    }
    return settled!;
  }

  /**
   * A refused request must not change anything later either (a signal sent before the refusal, say): once in a
   * while the runner lets the bed go quiet and compares it with the baseline of the last refused writes.
   */
  async checkQuiet(): Promise<Failure[]> {
    if (!this.refusedSinceBaseline.length || !this.baseline) return [];
    const settled = await settle(this.fp, 300, 3_000);
    const found: Failure[] = [];
    if (!same(this.baseline, settled)) {
      const changes = diff(this.baseline, settled);
      const tables = changes.map((c) => c.table).join(', ');
      found.push({
        group: groupOf('stateChanged', '(later, after refused writes)', 0, tables),
        kind: 'stateChanged',
        op: '(later, after refused writes)',
        caller: '',
        status: 0,
        detail: `${tables} changed after ${this.refusedSinceBaseline.length} refused writes; the last ones: ${this.refusedSinceBaseline.slice(-3).join(' || ')}`,
        sketch: this.refusedSinceBaseline.slice(-3).join(' || '),
        request: { op: '', caller: 'anonymous', params: {}, query: [], headers: {} },
        response: { status: 0, contentType: '', body: '' },
        changes,
      });
    }
    this.baseline = settled;
    this.refusedSinceBaseline = [];
    this.keep(found);
    return found;
  }

  /** New objects (classes filed, keys issued …) become nameable once accepted writes have made them. */
  async refreshPoolsIfDirty(): Promise<void> {
    if (!this.poolsDirty) return;
    this.poolsDirty = false;
    await this.bed.refreshPools();
  }

  /** Sessions the fuzz may have ended some other way (a cleared cookie) are opened again. */
  async reviveSessions(): Promise<void> {
    let revived = false;
    for (const name of SESSION_CALLERS) {
      const res = await this.bed.callers[name].call('get', '/api/v1/auth/me');
      if (res.status === 401) {
        await this.bed.relogin(name);
        revived = true;
      }
    }
    if (revived) await this.rebase();
  }

  /** After the bed changed outside the runner (stages built again): the next write starts from a settled model. */
  async rebase(): Promise<void> {
    this.baseline = await this.settleAfter([...(this.bed.pools.class ?? [])], 1_500);
    this.refusedSinceBaseline = [];
  }

  private keep(found: Failure[]) {
    if (!this.counting) return;
    for (const f of found) {
      const key = f.kind as keyof Summary;
      if (f.kind === '5xx') this.summary.status5xx++;
      else if (f.kind === 'stateChanged') this.summary.refusedWritesThatChangedState++;
      else if (f.kind === 'timeout') this.summary.timeouts++;
      else if (typeof this.summary[key] === 'number') (this.summary[key] as number)++;
      const g = this.groups.get(f.group) ?? { count: 0, examples: [] };
      g.count++;
      if (g.examples.length < 3) g.examples.push(f);
      this.groups.set(f.group, g);
      if (this.failures.length < 2_000) this.failures.push(f);
    }
  }
}
