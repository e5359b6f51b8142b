// The API under hostile input (issue 13): parsing that cannot reach prototype keys or blow the stack, strict
// UTF-8, unknown fields refused, one language per answer, security headers, secrets shown once, and a
// foreign class that looks exactly like an unknown one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { HEBEI_2024 } from '../../domain/policy';
import { createApp } from '../../api/app';
import { JSON_LIMITS } from '../../api/jsonBody';
import { CSP_NONCE_PLACEHOLDER, spaIndex } from '../../api/securityHeaders';
import type { Settings } from '../../platform/config';
import { loadSettings } from '../../platform/config';
import {
  apiPlan,
  ASSESSOR_BODY,
  eventually,
  PASSWORD,
  startApiBed,
  type ApiBed,
  type Caller,
} from './support';

jest.setTimeout(120_000);

let t: ApiBed;
let ownClass = '';
const extraApps: Express[] = [];

beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  const filed = await t.callers.institutionKey
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan({ title: '敌意输入测试班' }) })
    .expect(202);
  ownClass = filed.body.classId;
  await eventually(
    t.bed,
    async () => !!(await t.bed.db.trainingClass.findUnique({ where: { id: ownClass } })),
  );
});
afterAll(async () => {
  for (const app of extraApps) (app.locals.close as () => void)();
  await t?.teardown();
});

/** Another app on the same test bed, with other settings (TLS, a trusted proxy). */
function appWith(settings: Partial<Settings>): Express {
  const app = createApp({
    db: t.bed.db,
    temporal: t.bed.env.client,
    settings: { ...t.settings, ...settings },
    logger: pino({ level: 'silent' }),
    dashboardCacheMs: 0,
  });
  extraApps.push(app);
  return app;
}

const CJK = /[\u3400-\u9fff]/;
const expectProblem = (res: request.Response, status: number, code?: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (code) expect(res.body.code).toBe(code);
};
const pathsOf = (res: request.Response) => (res.body.errors ?? []).map((e: { path: string }) => e.path);

// ---------- 1. parsing ----------
/** The secret of an issued key `sk_<prefix>_<secret>`: everything after the prefix (it may itself contain '_'). */
const secretPart = (key: string) => key.split('_').slice(2).join('_');

describe('sort fields', () => {
  const LISTS: [string, () => Caller][] = [
    ['/api/v1/public/notices', () => t.callers.anonymous],
    ['/api/v1/cases', () => t.callers.caseworker],
    ['/api/v1/tasks', () => t.callers.caseworker],
    ['/api/v1/institution/classes', () => t.callers.institutionKey],
    ['/api/v1/assessor/classes', () => t.callers.assessor],
    ['/api/v1/payments/batches', () => t.callers.finance],
    ...['users', 'api-keys', 'occupations', 'policies', 'calendar', 'audit', 'institutions'].map(
      (what): [string, () => Caller] => [`/api/v1/admin/${what}`, () => t.callers.admin],
    ),
  ];
  const PROTOTYPE_KEYS = [
    'constructor',
    '__proto__',
    'toString',
    '-valueOf',
    'hasOwnProperty',
    '-isPrototypeOf',
  ];
  it.each(LISTS.flatMap(([list, caller]) => PROTOTYPE_KEYS.map((key) => [list, key, caller] as const)))(
    'GET %s?sort=%s is 400 on the field sort, never a 500',
    async (list, key, caller) => {
      const res = await caller().call('get', `${list}?sort=${encodeURIComponent(key)}`);
      expectProblem(res, 400, 'SORT_INVALID');
      expect(pathsOf(res)).toEqual(['sort']);
    },
  );
});

/** `n` nested containers: `[[[…]]]`, or `{"a":{"a":…}}`. */
const nestedArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const nestedObjects = (n: number, leaf = '1') => '{"a":'.repeat(n) + leaf + '}'.repeat(n);

describe('JSON depth and size', () => {
  const DEEP_TARGETS: [string, () => string, () => Caller][] = [
    [
      '/public/notices/:id/objections',
      () => '/api/v1/public/notices/N-1/objections',
      () => t.callers.anonymous,
    ],
    ['/tasks/:id/claim', () => '/api/v1/tasks/T-1/claim', () => t.callers.caseworker],
    [
      '/institution/classes/:id/start',
      () => `/api/v1/institution/classes/${ownClass}/start`,
      () => t.callers.institutionKey,
    ],
  ];
  it.each(
    DEEP_TARGETS.flatMap(([label, p, c]) => [
      [label, 'arrays', p, c, nestedArrays(100_000)] as const,
      [label, 'objects', p, c, nestedObjects(100_000)] as const,
    ]),
  )(
    'refuses a body nested 100,000 deep on %s (%s) with 400 before the idempotency store sees it',
    async (_label, _kind, p, caller, body) => {
      const key = `deep-${Math.random().toString(36).slice(2)}`;
      const res = await caller()
        .call('post', p())
        .set('Idempotency-Key', key)
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(res, 400, 'JSON_TOO_DEEP');
      expect(await t.bed.db.idempotencyRecord.count({ where: { key: { endsWith: `:${key}` } } })).toBe(0);
    },
  );

  it(`takes ${JSON_LIMITS.depth} levels of nesting and refuses one more`, async () => {
    const send = (depth: number) =>
      t.callers.caseworker
        .call('post', `/api/v1/cases/${ownClass}/review`)
        .set('Content-Type', 'application/json')
        .send(`{"decision":${nestedArrays(depth - 1)}}`);
    const deepest = await send(JSON_LIMITS.depth);
    expectProblem(deepest, 400, 'VALIDATION_FAILED');
    expect(pathsOf(deepest)).toEqual(['decision']);
    expectProblem(await send(JSON_LIMITS.depth + 1), 400, 'JSON_TOO_DEEP');
  });

  it(`refuses a body with more than ${JSON_LIMITS.keys} keys`, async () => {
    const members = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',');
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${ownClass}/review`)
      .set('Content-Type', 'application/json')
      .send(`{"decision":"APPROVE","x":{${members(JSON_LIMITS.keys)}}}`);
    expectProblem(res, 400, 'JSON_TOO_MANY_KEYS');
  });

  it('counts neither brackets nor colons inside strings', async () => {
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${ownClass}/review`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ decision: 'MAYBE', reason: '[{:\\"'.repeat(20_000) }));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(pathsOf(res)).toContain('decision');
  });
});

/** Sends these bytes as they are (superagent would turn a Buffer into JSON of its own). */
const raw = (req: request.Test, bytes: Buffer, type = 'application/json') =>
  req
    .set('Content-Type', type)
    .serialize((b: Buffer) => b as never)
    .send(bytes as never);

describe('UTF-8', () => {
  const body = (name: Buffer) =>
    Buffer.concat([
      Buffer.from('{"entries":[{"date":"2031-05-01","kind":"HOLIDAY","name":"', 'utf8'),
      name,
      Buffer.from('"}]}', 'utf8'),
    ]);
  it.each([
    ['a stray byte 0xFF', Buffer.from([0xe5, 0x8a, 0xb3, 0xff])],
    ['a truncated sequence', Buffer.from([0xe5, 0x8a])],
    ['an overlong "/"', Buffer.from([0xc0, 0xaf])],
    ['an encoded surrogate (CESU-8)', Buffer.from([0xed, 0xa0, 0x80])],
  ])('refuses invalid UTF-8 inside a JSON string (%s) with 400 and changes nothing', async (_l, bytes) => {
    const res = await raw(t.callers.admin.call('post', '/api/v1/admin/calendar'), body(bytes));
    expectProblem(res, 400, 'INVALID_UTF8');
    expect(await t.bed.db.calendarDay.findUnique({ where: { date: '2031-05-01' } })).toBeNull();
  });

  it('refuses a charset other than UTF-8 (RFC 8259 §8.1)', async () => {
    const res = await raw(
      t.callers.admin.call('post', '/api/v1/admin/calendar'),
      Buffer.from('{"entries":[{"date":"2031-05-02","kind":"HOLIDAY"}]}', 'utf16le'),
      'application/json; charset=utf-16le',
    );
    expectProblem(res, 415, 'UNSUPPORTED_CHARSET');
    expect(await t.bed.db.calendarDay.findUnique({ where: { date: '2031-05-02' } })).toBeNull();
  });
});

describe('unknown fields', () => {
  it('refuses an unknown top-level field and names it', async () => {
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${ownClass}/review`)
      .send({ decision: 'APPROVE', approvedBy: 'somebody else' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'approvedBy', code: 'UNKNOWN_FIELD' })]);
  });

  it('refuses unknown fields in nested objects, each by its path', async () => {
    const plan = apiPlan({ title: '未知字段班' });
    const res = await t.callers.institutionKey
      .call('post', '/api/v1/institution/classes')
      .send({ plan: { ...plan, budget: 1, courseTable: [{ ...plan.courseTable[0], projector: true }] } });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(pathsOf(res).sort()).toEqual(['plan.budget', 'plan.courseTable.0.projector']);
    expect(await t.bed.db.trainingClass.count({ where: { title: '未知字段班' } })).toBe(0);
  });

  it('refuses a body on an endpoint that takes none, naming the field', async () => {
    const res = await t.callers.caseworker
      .call('post', '/api/v1/tasks/T-1/claim')
      .send({ assignee: 'u-adm' });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'assignee', code: 'UNKNOWN_FIELD' })]);
    // `{}` is what clients send for "no body": still fine.
    expectProblem(await t.callers.caseworker.call('post', '/api/v1/tasks/T-1/claim').send({}), 404);
  });

  it('refuses a calendar change made only of unknown fields, and an empty one, signalling nobody', async () => {
    const signal = jest.spyOn(t.bed.env.client.workflow, 'getHandle');
    try {
      const unknown = await t.callers.admin
        .call('post', '/api/v1/admin/calendar')
        .send({ holidays: ['2031-10-01'], years: [2031] });
      expectProblem(unknown, 400, 'VALIDATION_FAILED');
      expect(pathsOf(unknown).sort()).toEqual(['holidays', 'years']);
      for (const body of [{}, { entries: [], announcedYears: [] }]) {
        const empty = await t.callers.admin.call('post', '/api/v1/admin/calendar').send(body);
        expectProblem(empty, 400, 'CALENDAR_CHANGE_EMPTY');
        expect(empty.body.detail).toMatch(/entries|announcedYears/);
      }
      expect(signal).not.toHaveBeenCalled();
    } finally {
      signal.mockRestore();
    }
  });

  it('refuses an unknown field in a policy document (400) instead of dropping it', async () => {
    const res = await t.callers.admin
      .call('post', '/api/v1/admin/policies')
      .send({ ...HEBEI_2024, id: 'hebei-2031', effectiveFrom: '2031-01-01', advanceRatio: 50 });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'advanceRatio', code: 'UNKNOWN_FIELD' }),
    ]);
    expect(await t.bed.db.policyVersion.findUnique({ where: { id: 'hebei-2031' } })).toBeNull();
  });

  it('refuses an unknown field in an occupation level', async () => {
    const res = await t.callers.admin.call('post', '/api/v1/admin/occupations').send({
      code: '4-99-99-31',
      name: { zh: '测试', en: 'Test', fr: 'Essai' },
      shortage: false,
      newOccupation: false,
      levels: [{ level: 'LEVEL_5', standardFen: 1, evaluationFen: 0, minHours: 1, discount: 1 }],
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(pathsOf(res).sort()).toEqual(['levels.0.discount', 'name.fr']);
  });

  it('documents every JSON request body as closed (additionalProperties: false), nested objects too', async () => {
    const doc = await t.callers.anonymous.call('get', '/api/openapi.json').expect(200);
    const open: string[] = [];
    const walk = (schema: unknown, where: string) => {
      if (!schema || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      if (s.properties && s.additionalProperties !== false) open.push(where);
      for (const [k, v] of Object.entries(s))
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}.${k}.${i}`));
        else if (typeof v === 'object') walk(v, `${where}.${k}`);
    };
    type Op = { requestBody?: { content?: Record<string, { schema?: unknown }> } };
    for (const [p, ops] of Object.entries(doc.body.paths as Record<string, Record<string, Op>>))
      for (const [method, op] of Object.entries(ops))
        walk(op.requestBody?.content?.['application/json']?.schema, `${method.toUpperCase()} ${p}`);
    expect(open).toEqual([]);
  });
});

// ---------- 2. one language per answer ----------
describe('messages in the language asked for', () => {
  const calendarWithBadDate = (lang?: string) => {
    const r = t.callers.admin.call('post', '/api/v1/admin/calendar');
    return (lang ? r.set('Accept-Language', lang) : r).send({
      entries: [{ date: '2031-13-01', kind: 'HOLIDAY' }],
    });
  };
  const allText = (res: request.Response) => [
    res.body.title,
    res.body.detail,
    ...(res.body.errors ?? []).map((e: { message: string }) => e.message),
  ];

  it('answers a schema rule in English only, or in Chinese only', async () => {
    const en = await calendarWithBadDate('en');
    const zh = await calendarWithBadDate();
    expectProblem(en, 400);
    expectProblem(zh, 400);
    expect(en.body.errors[0]).toMatchObject({ path: 'entries.0.date', message: 'a date YYYY-MM-DD' });
    expect(zh.body.errors[0]).toMatchObject({ path: 'entries.0.date', message: '日期格式须为YYYY-MM-DD' });
    for (const s of allText(en)) expect(s).not.toMatch(CJK);
    for (const s of [...allText(en), ...allText(zh)]) expect(s).not.toContain(' | ');
  });

  it("translates zod's own messages too (types, enums, unknown fields)", async () => {
    const send = (lang: string) =>
      t.callers.caseworker
        .call('post', `/api/v1/cases/${ownClass}/review`)
        .set('Accept-Language', lang)
        .send({ decision: 42, extra: true });
    const en = await send('en-US,en;q=0.9');
    const zh = await send('zh-CN,zh;q=0.9,en;q=0.8');
    expect(en.body.errors).toHaveLength(2);
    for (const s of allText(en)) expect(s).not.toMatch(CJK);
    for (const e of zh.body.errors) expect(e.message).toMatch(CJK);
    for (const e of zh.body.errors) expect(e.message).not.toMatch(/Invalid|Unrecognized|expected/);
  });

  it('prefers English when English is the best language the API speaks', async () => {
    const res = await calendarWithBadDate('fr-FR, en;q=0.5');
    expect(res.headers['content-language']).toBe('en');
    expect(res.body.errors[0].message).toBe('a date YYYY-MM-DD');
  });

  it('speaks one language in a policy refusal (a rule built from schema issues)', async () => {
    const send = (lang: string) =>
      t.callers.admin
        .call('post', '/api/v1/admin/policies')
        .set('Accept-Language', lang)
        .send({ ...HEBEI_2024, id: 'hebei-2032', effectiveFrom: '2032-01-01', attendanceThresholdPct: 130 });
    const en = await send('en');
    const zh = await send('zh-CN');
    expectProblem(en, 422, 'POLICY_INVALID');
    for (const s of allText(en)) expect(s).not.toMatch(CJK);
    for (const s of allText(zh)) expect(s).not.toMatch(/Too big|expected|Invalid/);
  });
});

// ---------- 3. security headers ----------
describe('security headers', () => {
  const policyOf = (res: request.Response) =>
    Object.fromEntries(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    ) as Record<string, string[]>;

  it.each(['/api/v1/public/notices', '/api/docs', '/api/openapi.json', '/api/nothing'])(
    '%s carries a CSP without inline script, frame-ancestors none, DENY and no referrer',
    async (p) => {
      const res = await request(t.app).get(p);
      const csp = policyOf(res);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['style-src']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-(inline|eval)/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    },
  );

  it('serves the docs page with its scripts and styles from the same origin, no inline style or script', async () => {
    const page = await request(t.app).get('/api/docs').expect(200);
    expect(page.text).not.toMatch(/<style|style=/i);
    // Every script is a same-origin file with nothing inline between its tags.
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, inline] of scripts) {
      expect(attrs).toMatch(/\ssrc="\/[^/]/);
      expect(inline).toBe('');
    }
    const links = [...page.text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link).toMatch(/^\/[^/]/);
      const css = await request(t.app).get(link).expect(200);
      expect(css.headers['content-type']).toMatch(/text\/css/);
    }
  });

  it('gives the web UI a fresh style nonce per page, and nothing inline runs without it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-index-'));
    const index = path.join(dir, 'index.html');
    fs.writeFileSync(
      index,
      `<!doctype html><html><head><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}">` +
        `<script type="module" crossorigin src="/assets/a.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script></head></html>`,
    );
    const app = appWith({});
    app.get('/', spaIndex(index));
    const [a, b] = [await request(app).get('/').expect(200), await request(app).get('/').expect(200)];
    const nonceOf = (res: request.Response) => /nonce="([^"]+)"/.exec(res.text)?.[1];
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    expect(a.text).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(policyOf(a)['style-src']).toEqual(["'self'", `'nonce-${nonceOf(a)}'`]);
    expect(policyOf(a)['script-src']).toEqual(["'self'"]);
    expect(a.headers['x-frame-options']).toBe('DENY');
  });

  it('sends HSTS and a Secure session cookie when the public origin is https, neither over plain http', async () => {
    const login = (app: Express) =>
      request(app).post('/api/v1/auth/login').send({ username: 'mgr', password: PASSWORD }).expect(200);
    const plain = await login(t.app);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const tls = appWith(loadSettingsFor({ SKILLFLOW_PUBLIC_ORIGIN: 'https://px.example.gov.cn' }));
    const secure = await login(tls);
    expect(String(secure.headers['set-cookie'])).toMatch(/sf_session=[^;]+;.*Secure/i);
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  });

  it('trusts X-Forwarded-For only when SKILLFLOW_TRUST_PROXY says so', async () => {
    // The anonymous Idempotency-Key belongs to the client address: the same key from "two clients" is one
    // caller (a replay) unless the address comes from a trusted proxy's header.
    const twice = async (app: Express, key: string) => {
      const send = (ip: string) =>
        request(app)
          .post('/api/v1/public/notices/N-404/objections')
          .set('X-Forwarded-For', ip)
          .set('Idempotency-Key', key)
          .send({ lineId: 'L-1', reason: '不是本人' });
      await send('203.0.113.1');
      return (await send('203.0.113.2')).headers['idempotent-replayed'];
    };
    expect(await twice(t.app, 'xff-default')).toBe('true');
    const behindProxy = appWith(loadSettingsFor({ SKILLFLOW_TRUST_PROXY: 'loopback' }));
    expect(await twice(behindProxy, 'xff-trusted')).toBeUndefined();
  });
});

/** The test settings with a few environment variables read as the process would read them. */
function loadSettingsFor(env: Record<string, string>): Partial<Settings> {
  const all = loadSettings(env);
  const { publicOrigin, tls, trustProxy } = all;
  return { publicOrigin, tls, trustProxy };
}

// ---------- 4. secrets shown once ----------
describe('API key secrets', () => {
  it('replays an API-key creation with its id and prefix, never the secret again', async () => {
    const issue = () =>
      t.callers.admin
        .call('post', '/api/v1/admin/api-keys')
        .set('Idempotency-Key', 'issue-once-1')
        .send({ institutionId: ASSESSOR_BODY, label: 'replay test' });
    const first = await issue().expect(201);
    const secret = first.body.key as string;
    expect(secret).toMatch(/^sk_/);
    const again = await issue().expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toMatchObject({ id: first.body.id, prefix: first.body.prefix });
    expect(again.body.key).toBeUndefined();
    expect(JSON.stringify(again.body)).not.toContain(secretPart(secret));
    const stored = await t.bed.db.idempotencyRecord.findMany();
    expect(JSON.stringify(stored)).not.toContain(secretPart(secret));
  });

  it('replays a rotation without the new secret', async () => {
    const issued = await t.callers.admin
      .call('post', '/api/v1/admin/api-keys')
      .send({ institutionId: ASSESSOR_BODY, label: 'rotate replay' })
      .expect(201);
    const rotate = () =>
      t.callers.admin
        .call('post', `/api/v1/admin/api-keys/${issued.body.id}/rotate`)
        .set('Idempotency-Key', 'rotate-once-1');
    const first = await rotate().expect(201);
    const again = await rotate().expect(201);
    expect(again.body).toMatchObject({ id: first.body.id, prefix: first.body.prefix });
    expect(JSON.stringify(again.body)).not.toContain(secretPart(String(first.body.key)));
  });
});

// ---------- 5. a foreign class is an unknown class ----------
describe('a foreign class', () => {
  it('answers the same 404, after the same work, as a class that does not exist', async () => {
    const unknown = `${ownClass.slice(0, -6)}999999`;
    const calls: string[] = [];
    const client = t.bed.env.client.workflow;
    const original = client.getHandle.bind(client);
    const spy = jest.spyOn(client, 'getHandle').mockImplementation(((
      ...args: Parameters<typeof original>
    ) => {
      const handle = original(...args);
      return new Proxy(handle, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if (typeof v !== 'function') return v;
          return (...a: unknown[]) => {
            calls.push(String(prop));
            return (v as (...x: unknown[]) => unknown).apply(target, a);
          };
        },
      });
    }) as typeof client.getHandle);
    const look = async (id: string) => {
      calls.length = 0;
      const res = await t.callers.otherInstitution.call('get', `/api/v1/cases/${id}`);
      return { status: res.status, body: JSON.stringify(res.body).split(id).join('<id>'), calls: [...calls] };
    };
    try {
      const foreign = await look(ownClass);
      const missing = await look(unknown);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toBe(missing.body);
      expect(foreign.calls).toEqual(missing.calls);
      // The owner still sees it.
      expect((await t.callers.institution.call('get', `/api/v1/cases/${ownClass}`)).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
  });
});
