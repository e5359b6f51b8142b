// Turns a generated request into bytes on the wire (directives resolved, everything percent-encoded by hand so
// lone surrogates and broken escapes get through), sends it as its caller, and judges each answer: never a 5xx,
// every refusal problem+json as documented, messages in the language asked for, and no acceptance of what the
// contract says must be refused.
import { addDays } from '../../../domain/dates';
import type { Caller } from '../support';
import type { FuzzRequest } from './requests';
import { withKey } from './requests';
import type { JsonSchema, Operation } from './operations';

export interface SendContext {
  pools: Record<string, string[]>;
  wallToday: string;
  envToday: string;
  caller(name: string): Caller;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  ms: number;
  /** an Idempotency-Key replay of a stored answer (in the language of the first request) */
  replayed?: boolean;
  /** the request never got an answer (timeout, or the client refused to send it) */
  error?: string;
}

const DIRECTIVE = /«(ref|rep|date|envdate):([^»]*)»/g;

export function expand(s: string, ctx: SendContext): string {
  return s.replace(DIRECTIVE, (_m, kind: string, arg: string) => {
    switch (kind) {
      case 'ref': {
        const at = arg.lastIndexOf(':');
        const name = arg.slice(0, at);
        const i = Number(arg.slice(at + 1)) || 0;
        const list = ctx.pools[name]?.length ? ctx.pools[name]! : (ctx.pools[name.split(':')[0]!] ?? []);
        return list.length ? list[i % list.length]! : `no-such-${name.replace(/:/g, '-')}`;
      }
      case 'rep': {
        const at = arg.indexOf(':');
        return arg.slice(at + 1).repeat(Math.min(Number(arg.slice(0, at)) || 0, 2_000_000));
      }
      case 'date':
        return addDays(ctx.wallToday, Number(arg) || 0);
      case 'envdate':
        return addDays(ctx.envToday, Number(arg) || 0);
      default:
        return '';
    }
  });
}

function expandDeep(v: unknown, ctx: SendContext, depth = 0): unknown {
  if (depth > 200) throw new Error('a generated body nests deeper than 200 (or is cyclic)');
  if (typeof v === 'string') return expand(v, ctx);
  if (Array.isArray(v)) return v.map((x) => expandDeep(x, ctx, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) withKey(out, k, expandDeep(x, ctx, depth + 1));
    return out;
  }
  return v;
}

/** JSON text to bytes: `«num:…»` becomes a bare number token, `«bytes:hex»` raw bytes (invalid UTF-8). */
function toBytes(text: string): Buffer {
  const withNumbers = text.replace(/"«num:([^»]*)»"/g, '$1');
  const parts = withNumbers.split(/«bytes:([0-9a-f ]+)»/);
  return Buffer.concat(
    parts.map((p, i) => (i % 2 ? Buffer.from(p.replace(/ /g, ''), 'hex') : Buffer.from(p, 'utf8'))),
  );
}

/** Percent-encodes every byte but the unreserved ones; `«raw:…»` goes out as written. */
function encode(value: string): string {
  if (value.startsWith('«raw:') && value.endsWith('»')) return value.slice(5, -1);
  let out = '';
  for (const b of Buffer.from(value, 'utf8'))
    out += /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

export interface Wire {
  method: 'get' | 'post' | 'delete';
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export function toWire(op: Operation, r: FuzzRequest, ctx: SendContext): Wire {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encode(expand(r.params[name] ?? '', ctx)));
  const query = r.query.map(([k, v]) => `${encode(k)}=${encode(expand(v, ctx))}`).join('&');
  let url = query ? `${path}?${query}` : path;
  // Node's own HTTP parser refuses lines over 16 KB (431, before the app): stay below it.
  if (url.length > 8_000) url = url.slice(0, 8_000).replace(/%[0-9A-F]?$/, '');
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  const b = r.body;
  if (b && 'json' in b) {
    const json = JSON.stringify(expandDeep(b.json, ctx));
    body = toBytes(json ?? '');
    headers['Content-Type'] = 'application/json';
  } else if (b && 'upload' in b) {
    const text = expand(b.text, ctx);
    if (b.upload === 'multipart') {
      body = Buffer.concat([
        Buffer.from(
          `--fzboundary\r\nContent-Disposition: form-data; name="file"; filename="${b.filename}"\r\nContent-Type: text/csv\r\n\r\n`,
          'utf8',
        ),
        Buffer.from(text, 'utf8'),
        Buffer.from('\r\n--fzboundary--\r\n', 'utf8'),
      ]);
      headers['Content-Type'] = 'multipart/form-data; boundary=fzboundary';
    } else if (b.upload === 'csv') {
      body = Buffer.from(text, 'utf8');
      headers['Content-Type'] = 'text/csv';
    } else {
      body = Buffer.from(text, 'latin1');
      headers['Content-Type'] = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    }
  } else if (b && 'text' in b) {
    body = toBytes(expand(b.text, ctx));
    headers['Content-Type'] = 'application/json';
  } else if (b && 'deep' in b) {
    body = Buffer.from(b.open.repeat(b.deep) + b.leaf + b.close.repeat(b.deep), 'utf8');
    headers['Content-Type'] = 'application/json';
  }
  if (r.headers.contentType && body) headers['Content-Type'] = r.headers.contentType;
  if (r.headers.idempotencyKey !== undefined) headers['Idempotency-Key'] = r.headers.idempotencyKey;
  if (r.headers.lang) headers['Accept-Language'] = r.headers.lang;
  if (r.headers.forwardedFor) headers['X-Forwarded-For'] = r.headers.forwardedFor;
  if (r.headers.noCsrf) headers['X-CSRF-Token'] = 'not-the-token';
  return { method: op.method, url, headers, body };
}

export async function sendOnce(caller: Caller, wire: Wire, timeoutMs = 30_000): Promise<Answer> {
  const started = Date.now();
  try {
    let t = caller.call(wire.method, wire.url).timeout({ response: timeoutMs, deadline: timeoutMs });
    for (const [k, v] of Object.entries(wire.headers)) t = t.set(k, v);
    // Bytes as they are: no parsing of the answer beyond its text.
    t = t.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    // The bytes as they are: superagent would otherwise send a Buffer as the JSON of a Buffer object.
    const res =
      wire.body !== undefined ? await t.serialize((b: unknown) => b as string).send(wire.body) : await t;
    const raw = res.body as Buffer;
    return {
      status: res.status,
      contentType: String(res.headers['content-type'] ?? ''),
      text: Buffer.isBuffer(raw) ? raw.toString('utf8') : String(res.text ?? ''),
      ms: Date.now() - started,
      replayed: res.headers['idempotent-replayed'] === 'true',
    };
  } catch (err) {
    const e = err as {
      status?: number;
      response?: { status: number; headers: Record<string, string>; body?: unknown; text?: string };
      timeout?: number;
      code?: string;
      message?: string;
    };
    if (e.response)
      return {
        status: e.response.status,
        contentType: String(e.response.headers['content-type'] ?? ''),
        text: Buffer.isBuffer(e.response.body)
          ? e.response.body.toString('utf8')
          : String(e.response.text ?? ''),
        ms: Date.now() - started,
      };
    return {
      status: 0,
      contentType: '',
      text: '',
      ms: Date.now() - started,
      error: e.timeout ? 'timeout' : `${e.code ?? ''} ${e.message ?? String(err)}`.trim(),
    };
  }
}

// ---------- judging an answer ----------

export type FailureKind =
  '5xx' | 'notProblemJson' | 'stateChanged' | 'acceptedHostile' | 'mixedLanguage' | 'timeout' | 'contract';

export interface Finding {
  kind: FailureKind;
  detail: string;
}

/** A minimal JSON-schema check (type, required, properties, items, enum, const): what the Problem schema uses. */
export function conforms(schema: JsonSchema | undefined, v: unknown, at = ''): string | undefined {
  if (!schema) return undefined;
  if (schema.const !== undefined && v !== schema.const)
    return `${at || 'value'} is not ${JSON.stringify(schema.const)}`;
  if (schema.enum && !schema.enum.includes(v)) return `${at || 'value'} is not one of the enum`;
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const typeOf = (x: unknown) =>
    x === null ? 'null' : Array.isArray(x) ? 'array' : Number.isInteger(x) ? 'integer' : typeof x;
  if (types.length && !types.some((t) => t === typeOf(v) || (t === 'number' && typeOf(v) === 'integer')))
    return `${at || 'value'} is ${typeOf(v)}, not ${types.join('|')}`;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in o)) return `${at ? `${at}.` : ''}${k} is missing`;
    for (const [k, s] of Object.entries(schema.properties ?? {}))
      if (k in o) {
        const bad = conforms(s, o[k], at ? `${at}.${k}` : k);
        if (bad) return bad;
      }
  }
  if (Array.isArray(v) && schema.items)
    for (const [i, x] of v.entries()) {
      const bad = conforms(schema.items, x, `${at}[${i}]`);
      if (bad) return bad;
    }
  return undefined;
}

const wantsEnglish = (lang: string | undefined) => {
  if (!lang) return false;
  const first = lang
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((l) => l.tag && !Number.isNaN(l.q))
    .sort((a, b) => b.q - a.q)[0];
  return !!first && first.q > 0 && first.tag.startsWith('en');
};
/** "日期格式须为YYYY-MM-DD | a date YYYY-MM-DD": both languages in one message. */
const BILINGUAL = /[\u4e00-\u9fff][^|]*\s\|\s[\x20-\x7e]/;

export function judge(
  r: FuzzRequest,
  op: Operation,
  a: Answer,
  problemSchema: JsonSchema | undefined,
): Finding[] {
  const out: Finding[] = [];
  if (a.error) {
    // No answer at all: the server timed out, dropped the connection or sent something HTTP cannot parse.
    out.push({ kind: 'timeout', detail: a.error });
    return out;
  }
  if (a.status >= 500) out.push({ kind: '5xx', detail: a.text.slice(0, 300) });
  if (a.status >= 400) {
    let body: unknown;
    let why: string | undefined;
    if (!/^application\/problem\+json\b/i.test(a.contentType))
      why = `content-type ${a.contentType || '(none)'}`;
    else {
      try {
        body = JSON.parse(a.text);
        why =
          conforms(problemSchema, body) ??
          ((body as { status?: unknown }).status !== a.status
            ? `status field ${(body as { status?: unknown }).status}`
            : undefined);
      } catch {
        why = 'body is not JSON';
      }
    }
    if (why) out.push({ kind: 'notProblemJson', detail: why });
    if (body && !a.replayed && wantsEnglish(r.headers.lang)) {
      const p = body as { title?: string; detail?: string; code?: string; errors?: { message?: string }[] };
      const texts = [p.title, p.detail, ...(p.errors ?? []).map((e) => e.message)].filter(
        (x): x is string => typeof x === 'string',
      );
      const mixed =
        texts.find((x) => BILINGUAL.test(x)) ?? (/[\u4e00-\u9fff]/.test(p.title ?? '') ? p.title : undefined);
      if (mixed) out.push({ kind: 'mixedLanguage', detail: `${p.code}: ${mixed.slice(0, 120)}` });
    }
  } else if (a.status >= 200 && r.mustRefuse && op.method !== 'get') {
    const ct = (r.headers.contentType ?? 'application/json').toLowerCase();
    const parsedAsJson = /^application\/(json|[\w.-]+\+json)\b/.test(ct) && !/charset=(?!utf-8)/.test(ct);
    if (parsedAsJson) out.push({ kind: 'acceptedHostile', detail: r.mustRefuse });
  }
  return out;
}
