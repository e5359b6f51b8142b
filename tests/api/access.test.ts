// Who may do what: the authorization matrix (each endpoint × each caller × own/other organisation),
// authentication (sessions, CSRF, API keys: revocation and rotation), health and the API documents.
import { createHash } from 'node:crypto';
import { HEBEI_2024 } from '../../domain/policy';
import { makeIdNumber } from '../../domain/identity';
import {
  apiPlan,
  ASSESSOR_BODY,
  eventually,
  keyCaller,
  rosterRows,
  startApiBed,
  type ApiBed,
  type CallerName,
  type Method,
} from './support';

jest.setTimeout(120_000);

let t: ApiBed;
let classId = '';
beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  // The matrix runs against a class that has ended (cancelled), so an allowed call reaches the workflow and is
  // refused there (409) without changing anything, while a refused caller never gets that far.
  const filed = await t.callers.institutionKey
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan() })
    .expect(202);
  classId = filed.body.classId;
  await eventually(
    t.bed,
    async () =>
      (await t.bed.db.trainingClass.findUnique({ where: { id: classId } }))?.stage === 'UNDER_REVIEW',
  );
  await t.callers.institution
    .call('post', `/api/v1/cases/${classId}/cancel`)
    .send({ reason: '计划调整' })
    .expect(202);
  await eventually(
    t.bed,
    async () => (await t.bed.db.trainingClass.findUnique({ where: { id: classId } }))?.stage === 'CANCELLED',
  );
  // A document on it, as a caseworker would have filed it (the upload itself is tests/api/attachments.test.ts).
  await t.bed.db.attachment.create({
    data: {
      id: ATTACHMENT,
      classId,
      kind: 'NOTICE_SCREENSHOT',
      fileName: 'notice.pdf',
      mediaType: 'application/pdf',
      size: 5,
      sha256: createHash('sha256').update('%PDF-').digest('hex'),
      content: new Uint8Array(Buffer.from('%PDF-')),
      uploadedBy: 'u-cw',
    },
  });
});
const ATTACHMENT = 'ATT-matrix0001';
afterAll(() => t?.teardown());

const STAFF: CallerName[] = ['caseworker', 'finance', 'manager', 'admin'];
const INSTITUTIONS: CallerName[] = ['institution', 'institutionKey'];
const EVERYONE: CallerName[] = [
  'anonymous',
  'caseworker',
  'finance',
  'manager',
  'admin',
  'institution',
  'institutionKey',
  'otherInstitution',
  'assessor',
  'otherAssessor',
];

interface Row {
  endpoint: string;
  method: Method;
  path: () => string;
  body?: unknown;
  /** callers that get past authorization (the answer may still be a 4xx of the business) */
  allowed: CallerName[];
  /** callers whose role fits but whose organisation does not: the class does not exist for them */
  hidden?: CallerName[];
  public?: boolean;
}

const c = () => classId;
const MATRIX: Row[] = [
  { endpoint: 'GET /tasks', method: 'get', path: () => '/api/v1/tasks', allowed: STAFF },
  { endpoint: 'GET /tasks/export', method: 'get', path: () => '/api/v1/tasks/export', allowed: STAFF },
  {
    endpoint: 'GET /admin/audit/export',
    method: 'get',
    path: () => '/api/v1/admin/audit/export',
    allowed: ['admin', 'manager'],
  },
  {
    endpoint: 'GET /admin/users/export',
    method: 'get',
    path: () => '/api/v1/admin/users/export',
    allowed: ['admin'],
  },
  {
    endpoint: 'GET /payments/export',
    method: 'get',
    path: () => '/api/v1/payments/export',
    allowed: ['finance', 'manager'],
  },
  {
    endpoint: 'POST /tasks/:id/claim',
    method: 'post',
    path: () => '/api/v1/tasks/nope/claim',
    allowed: STAFF,
  },
  {
    endpoint: 'POST /tasks/:id/unclaim',
    method: 'post',
    path: () => '/api/v1/tasks/nope/unclaim',
    allowed: STAFF,
  },
  {
    endpoint: 'POST /tasks/:id/act',
    method: 'post',
    path: () => '/api/v1/tasks/nope/act',
    body: { kind: 'REVIEW_PLAN', decision: 'APPROVE' },
    allowed: ['caseworker', 'finance'],
  },
  { endpoint: 'GET /tasks/views', method: 'get', path: () => '/api/v1/tasks/views', allowed: STAFF },
  {
    endpoint: 'POST /people/record',
    method: 'post',
    path: () => '/api/v1/people/record',
    body: { idNumber: makeIdNumber('130104', '1990-01-01', 5), reason: '核查' },
    allowed: ['caseworker', 'finance', 'manager'],
  },
  {
    endpoint: 'GET /notifications',
    method: 'get',
    path: () => '/api/v1/notifications',
    allowed: EVERYONE.filter((x) => x !== 'anonymous'),
  },
  {
    endpoint: 'POST /notifications/read',
    method: 'post',
    path: () => '/api/v1/notifications/read',
    body: {},
    allowed: EVERYONE.filter((x) => x !== 'anonymous'),
  },
  {
    endpoint: 'POST /tasks/views',
    method: 'post',
    path: () => '/api/v1/tasks/views',
    // A body the schema refuses: authorization is checked first, and nothing is saved.
    body: { name: '', query: {} },
    allowed: STAFF,
  },
  {
    endpoint: 'DELETE /tasks/views/:id',
    method: 'delete',
    path: () => '/api/v1/tasks/views/nope',
    allowed: STAFF,
  },
  {
    endpoint: 'GET /cases',
    method: 'get',
    path: () => '/api/v1/cases',
    allowed: [...STAFF, ...INSTITUTIONS, 'otherInstitution', 'assessor', 'otherAssessor'],
  },
  {
    endpoint: 'GET /cases/export',
    method: 'get',
    path: () => '/api/v1/cases/export',
    allowed: [...STAFF, ...INSTITUTIONS, 'otherInstitution', 'assessor', 'otherAssessor'],
  },
  {
    endpoint: 'GET /cases/:id',
    method: 'get',
    path: () => `/api/v1/cases/${c()}`,
    allowed: [...STAFF, ...INSTITUTIONS, 'assessor'],
    hidden: ['otherInstitution', 'otherAssessor'],
  },
  {
    endpoint: 'POST /cases/:id/attachments',
    method: 'post',
    // No file: an allowed caller is refused for that (or, an institution, because the case has ended).
    path: () => `/api/v1/cases/${c()}/attachments?kind=OTHER`,
    allowed: ['caseworker', ...INSTITUTIONS],
    hidden: ['otherInstitution'],
  },
  {
    endpoint: 'GET /cases/:id/attachments',
    method: 'get',
    path: () => `/api/v1/cases/${c()}/attachments`,
    allowed: [...STAFF, ...INSTITUTIONS],
    hidden: ['otherInstitution'],
  },
  {
    endpoint: 'GET /cases/:id/attachments/:attachmentId',
    method: 'get',
    path: () => `/api/v1/cases/${c()}/attachments/${ATTACHMENT}`,
    allowed: [...STAFF, ...INSTITUTIONS],
    hidden: ['otherInstitution'],
  },
  {
    endpoint: 'GET /cases/:id/plan-checks',
    method: 'get',
    path: () => `/api/v1/cases/${c()}/plan-checks`,
    allowed: ['caseworker', 'manager'],
  },
  {
    endpoint: 'POST /cases/:id/reveal',
    method: 'post',
    path: () => `/api/v1/cases/${c()}/reveal`,
    // A body the schema refuses (no reason): authorization is checked first, and nothing is revealed.
    body: {},
    allowed: STAFF,
  },
  {
    endpoint: 'POST /cases/:id/review',
    method: 'post',
    path: () => `/api/v1/cases/${c()}/review`,
    body: { decision: 'APPROVE' },
    allowed: ['caseworker'],
  },
  {
    endpoint: 'POST /cases/:id/cancel',
    method: 'post',
    path: () => `/api/v1/cases/${c()}/cancel`,
    body: { reason: '再次撤销' },
    allowed: ['caseworker', 'manager', ...INSTITUTIONS],
    hidden: ['otherInstitution'],
  },
  {
    endpoint: 'POST /cases/:id/objections/:objectionId/resolve',
    method: 'post',
    path: () => `/api/v1/cases/${c()}/objections/OBJ-x/resolve`,
    body: { upheld: false, note: '驳回' },
    allowed: ['caseworker'],
  },
  {
    endpoint: 'POST /cases/:id/trainees/:enrollmentId/evidence/:evidenceId/verify',
    method: 'post',
    path: () => `/api/v1/cases/${c()}/trainees/E-x/evidence/EV-x/verify`,
    body: { verdict: 'VERIFIED' },
    allowed: ['caseworker'],
  },
  {
    endpoint: 'POST /institution/classes',
    method: 'post',
    path: () => '/api/v1/institution/classes',
    body: { plan: apiPlan({ capacity: 999 }) },
    allowed: [...INSTITUTIONS, 'otherInstitution'],
  },
  {
    endpoint: 'GET /institution/classes',
    method: 'get',
    path: () => '/api/v1/institution/classes',
    allowed: [...INSTITUTIONS, 'otherInstitution'],
  },
  {
    endpoint: 'GET /institution/assessment-bodies',
    method: 'get',
    path: () => '/api/v1/institution/assessment-bodies',
    allowed: [...INSTITUTIONS, 'otherInstitution'],
  },
  ...(
    [
      ['POST /institution/classes/:id/plan', 'post', 'plan', { plan: apiPlan() }],
      ['POST /institution/classes/:id/trainees', 'post', 'trainees', { trainees: rosterRows(1, 90) }],
      ['POST /institution/classes/:id/start', 'post', 'start', undefined],
      ['POST /institution/classes/:id/finish', 'post', 'finish', undefined],
      [
        'POST /institution/classes/:id/attendance',
        'post',
        'attendance',
        { lessons: [{ lessonDate: '2026-12-01', lessonNo: 1, entries: [] }] },
      ],
      [
        'POST /institution/classes/:id/employment-evidence',
        'post',
        'employment-evidence',
        { enrollmentId: 'E-x', kind: 'LABOUR_CONTRACT', employedOn: '2026-12-01' },
      ],
      [
        'DELETE /institution/classes/:id/trainees/:enrollmentId',
        'delete',
        'trainees/E-x',
        { reason: '个人原因' },
      ],
      // An empty upload: whoever gets through is told the file is missing, and nothing is enrolled.
      ['POST /institution/classes/:id/trainees/import', 'post', 'trainees/import', {}],
      ['POST /institution/classes/:id/trainees/import/check', 'post', 'trainees/import/check', {}],
      ['POST /institution/classes/:id/trainees/import/refused', 'post', 'trainees/import/refused', {}],
    ] as const
  ).map(([endpoint, method, suffix, body]): Row => ({
    endpoint,
    method,
    path: () => `/api/v1/institution/classes/${c()}/${suffix}`,
    body,
    allowed: INSTITUTIONS,
    hidden: ['otherInstitution'],
  })),
  {
    endpoint: 'GET /assessor/classes',
    method: 'get',
    path: () => '/api/v1/assessor/classes',
    allowed: ['assessor', 'otherAssessor'],
  },
  {
    endpoint: 'GET /institution/roster-template',
    method: 'get',
    path: () => '/api/v1/institution/roster-template',
    allowed: [...INSTITUTIONS, 'otherInstitution'],
  },
  {
    endpoint: 'GET /assessor/classes/:id/results-sheet',
    method: 'get',
    path: () => `/api/v1/assessor/classes/${c()}/results-sheet`,
    allowed: ['assessor'],
    hidden: ['otherAssessor'],
  },
  {
    // An empty upload: the booked body is told the file is missing; nothing is recorded either way.
    endpoint: 'POST /assessor/classes/:id/results/import',
    method: 'post',
    path: () => `/api/v1/assessor/classes/${c()}/results/import`,
    body: {},
    allowed: ['assessor'],
    hidden: ['otherAssessor'],
  },
  {
    endpoint: 'POST /assessor/classes/:id/results',
    method: 'post',
    path: () => `/api/v1/assessor/classes/${c()}/results`,
    body: { results: [{ enrollmentId: 'E-x', result: 'FAILED' }] },
    allowed: ['assessor'],
    hidden: ['otherAssessor'],
  },
  {
    endpoint: 'GET /public/notices',
    method: 'get',
    path: () => '/api/v1/public/notices',
    allowed: EVERYONE,
    public: true,
  },
  {
    endpoint: 'POST /public/me/code',
    method: 'post',
    path: () => '/api/v1/public/me/code',
    body: { idNumber: makeIdNumber('130104', '1990-01-01', 5), name: '张三' },
    allowed: EVERYONE,
    public: true,
  },
  {
    endpoint: 'POST /public/me/session',
    method: 'post',
    path: () => '/api/v1/public/me/session',
    body: { idNumber: makeIdNumber('130104', '1990-01-01', 5), code: '000000' },
    allowed: EVERYONE,
    public: true,
  },
  {
    endpoint: 'POST /public/notices/:noticeId/objections',
    method: 'post',
    path: () => '/api/v1/public/notices/nope/objections',
    body: { lineId: 'x', reason: '异议' },
    allowed: EVERYONE,
    public: true,
  },
  {
    endpoint: 'GET /payments/batches',
    method: 'get',
    path: () => '/api/v1/payments/batches',
    allowed: ['finance', 'manager'],
  },
  {
    endpoint: 'POST /payments/batches/:batchId/approve',
    method: 'post',
    path: () => '/api/v1/payments/batches/NOPE-S1/approve',
    allowed: ['finance'],
  },
  {
    endpoint: 'GET /payments/batches/:batchId/export',
    method: 'get',
    path: () => '/api/v1/payments/batches/NOPE-S1/export',
    allowed: ['finance'],
  },
  {
    endpoint: 'GET /dashboard/summary',
    method: 'get',
    path: () => '/api/v1/dashboard/summary',
    allowed: ['caseworker', 'finance', 'manager'],
  },
  {
    endpoint: 'POST /people/registry',
    method: 'post',
    path: () => '/api/v1/people/registry',
    body: {
      idNumber: makeIdNumber('130104', '1990-01-01', 6),
      name: '张三',
      category: 'REGISTERED_UNEMPLOYED',
      district: '长安区',
    },
    allowed: ['caseworker', 'manager'],
  },
  {
    endpoint: 'GET /cases/:id/candidates',
    method: 'get',
    path: () => `/api/v1/cases/${classId}/candidates`,
    allowed: ['caseworker', 'manager'],
  },
  {
    endpoint: 'POST /cases/:id/invitations',
    method: 'post',
    path: () => `/api/v1/cases/${classId}/invitations`,
    body: { registrantIds: ['REG-none'] },
    allowed: ['caseworker'],
  },
  {
    endpoint: 'GET /cases/:id/invitations',
    method: 'get',
    path: () => `/api/v1/cases/${classId}/invitations`,
    allowed: ['caseworker', 'manager', ...INSTITUTIONS],
    hidden: ['otherInstitution'],
  },
  {
    endpoint: 'POST /vouchers/programmes',
    method: 'post',
    path: () => '/api/v1/vouchers/programmes',
    body: {},
    allowed: ['manager'],
  },
  {
    endpoint: 'GET /vouchers/programmes',
    method: 'get',
    path: () => '/api/v1/vouchers/programmes',
    allowed: ['caseworker', 'finance', 'manager'],
  },
  {
    endpoint: 'POST /vouchers/programmes/:id/issue',
    method: 'post',
    path: () => '/api/v1/vouchers/programmes/VP-none/issue',
    body: { idNumbers: ['110101199001011234'] },
    allowed: ['caseworker', 'manager'],
  },
  {
    endpoint: 'GET /vouchers/programmes/:id/vouchers',
    method: 'get',
    path: () => '/api/v1/vouchers/programmes/VP-none/vouchers',
    allowed: ['caseworker', 'finance', 'manager'],
  },
  {
    endpoint: 'GET /performance',
    method: 'get',
    path: () => '/api/v1/performance',
    allowed: ['caseworker', 'manager'],
  },
  {
    endpoint: 'GET /performance/export',
    method: 'get',
    path: () => '/api/v1/performance/export',
    allowed: ['caseworker', 'manager'],
  },
  ...(['occupations', 'policies', 'calendar', 'users', 'api-keys'] as const).map((what): Row => ({
    endpoint: `GET /admin/${what}`,
    method: 'get',
    path: () => `/api/v1/admin/${what}`,
    allowed: ['admin'],
  })),
  {
    endpoint: 'GET /admin/calendar/years/:year',
    method: 'get',
    path: () => '/api/v1/admin/calendar/years/2026',
    allowed: ['admin'],
  },
  // Empty bodies: an admin gets through to a 400 and nothing is created.
  ...(['occupations', 'policies', 'users', 'api-keys'] as const).map((what): Row => ({
    endpoint: `POST /admin/${what}`,
    method: 'post',
    path: () => `/api/v1/admin/${what}`,
    body: {},
    allowed: ['admin'],
  })),
  // Empty bodies again: an admin gets through to a 400, and no user is changed.
  {
    endpoint: 'POST /admin/users/:id',
    method: 'post',
    path: () => '/api/v1/admin/users/u-nobody',
    body: {},
    allowed: ['admin'],
  },
  {
    endpoint: 'POST /admin/users/:id/password',
    method: 'post',
    path: () => '/api/v1/admin/users/u-nobody/password',
    body: {},
    allowed: ['admin'],
  },
  {
    endpoint: 'GET /admin/institutions',
    method: 'get',
    path: () => '/api/v1/admin/institutions',
    allowed: ['admin', 'finance'],
  },
  {
    endpoint: 'POST /admin/institutions/:id/bank-account',
    method: 'post',
    path: () => '/api/v1/admin/institutions/inst-sjz-01/bank-account',
    body: {},
    allowed: ['admin', 'finance'],
  },
  {
    endpoint: 'GET /admin/audit',
    method: 'get',
    path: () => '/api/v1/admin/audit',
    allowed: ['admin', 'manager'],
  },
  {
    endpoint: 'GET /payments/batches/:batchId/payees',
    method: 'get',
    path: () => '/api/v1/payments/batches/nope/payees',
    allowed: ['finance'],
  },
  {
    endpoint: 'POST /payments/bank-returns',
    method: 'post',
    path: () => '/api/v1/payments/bank-returns',
    body: {},
    allowed: ['finance'],
  },
  {
    endpoint: 'POST /admin/calendar',
    method: 'post',
    path: () => '/api/v1/admin/calendar',
    body: { entries: [] },
    allowed: ['admin'],
  },
  // An empty file: an admin gets through to a 400 and nothing is imported.
  {
    endpoint: 'POST /admin/history/classes',
    method: 'post',
    path: () => '/api/v1/admin/history/classes',
    body: { source: 'ACCESS-TEST', classes: [] },
    allowed: ['admin'],
  },
  {
    endpoint: 'GET /admin/history/template',
    method: 'get',
    path: () => '/api/v1/admin/history/template',
    allowed: ['admin'],
  },
  // No file: an admin is told the file is missing; nothing is imported either way.
  {
    endpoint: 'POST /admin/history/classes/file',
    method: 'post',
    path: () => '/api/v1/admin/history/classes/file?source=ACCESS-TEST',
    body: {},
    allowed: ['admin'],
  },
  {
    endpoint: 'DELETE /admin/api-keys/:id',
    method: 'delete',
    path: () => '/api/v1/admin/api-keys/key_nope',
    allowed: ['admin'],
  },
  {
    endpoint: 'POST /admin/api-keys/:id/rotate',
    method: 'post',
    path: () => '/api/v1/admin/api-keys/key_nope/rotate',
    allowed: ['admin'],
  },
];

function expected(row: Row, caller: CallerName): 'through' | 401 | 403 | 404 {
  if (row.allowed.includes(caller)) return 'through';
  if (row.hidden?.includes(caller)) return 404;
  if (caller === 'anonymous') return 401;
  return 403;
}

/**
 * Endpoints anyone may call by design (logging in) or tested on their own below; a person's own record answers
 * 401 to everyone without a self-service token, and so does its survey (tests/api/selfService.test.ts).
 */
const UNGUARDED = [
  'POST /auth/login',
  'POST /auth/logout',
  'GET /auth/me',
  'GET /api/health',
  'POST /public/me/record',
  'POST /public/me/survey',
  'POST /public/me/invitations/respond',
  'POST /public/me/vouchers/claim',
];

const cases = MATRIX.flatMap((row) => EVERYONE.map((caller) => [row.endpoint, caller, row] as const));

describe('the authorization matrix', () => {
  it('covers every documented endpoint', async () => {
    const doc = await t.callers.anonymous.call('get', '/api/openapi.json').expect(200);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops).map(
          (method) =>
            `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '').replace(/\{(\w+)\}/g, ':$1')}`,
        ),
    );
    const covered = new Set(MATRIX.map((r) => r.endpoint));
    expect(documented.filter((e) => !covered.has(e) && !UNGUARDED.includes(e))).toEqual([]);
  });

  it.each(cases)(
    '%s as %s gets exactly the access its role and organisation give',
    async (_e, caller, row) => {
      let req = t.callers[caller].call(row.method, row.path());
      if (row.body !== undefined) req = req.send(row.body as object);
      const res = await req;
      const want = expected(row, caller);
      if (process.env.DEBUG_MATRIX)
        console.log(row.endpoint, caller, res.status, res.body?.code, res.body?.detail);
      expect(res.status).toBeLessThan(500);
      if (want === 'through')
        expect([401, 403].includes(res.status) || (res.status === 404 && row.hidden !== undefined)).toBe(
          false,
        );
      else expect(res.status).toBe(want);
      if (res.status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    },
  );
});

describe('authentication', () => {
  it('refuses a wrong password with 401 and the same answer for an unknown user', async () => {
    const a = await t.callers.anonymous
      .call('post', '/api/v1/auth/login')
      .send({ username: 'cw', password: 'wrong password' });
    const b = await t.callers.anonymous
      .call('post', '/api/v1/auth/login')
      .send({ username: 'ghost', password: 'wrong password' });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body.detail).toBe(b.body.detail);
  });

  it('sets an httpOnly session cookie and answers /auth/me with the user and CSRF token', async () => {
    const res = await t.callers.anonymous
      .call('post', '/api/v1/auth/login')
      .send({ username: 'mgr', password: 'correct horse battery staple' });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/sf_session=.*HttpOnly/i);
    const me = await t.callers.manager.call('get', '/api/v1/auth/me').expect(200);
    expect(me.body.user).toMatchObject({ username: 'mgr', role: 'MANAGER', organisationId: null });
    expect(typeof me.body.csrfToken).toBe('string');
  });

  it('refuses a state-changing session request without the CSRF header', async () => {
    const login = await t.callers.anonymous
      .call('post', '/api/v1/auth/login')
      .send({ username: 'cw', password: 'correct horse battery staple' });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const res = await t.callers.anonymous
      .call('post', `/api/v1/cases/${classId}/review`)
      .set('Cookie', cookie)
      .send({ decision: 'APPROVE' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('ends the session on logout', async () => {
    const login = await t.callers.anonymous
      .call('post', '/api/v1/auth/login')
      .send({ username: 'fin', password: 'correct horse battery staple' });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    await t.callers.anonymous
      .call('post', '/api/v1/auth/logout')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', login.body.csrfToken)
      .expect(204);
    await t.callers.anonymous.call('get', '/api/v1/auth/me').set('Cookie', cookie).expect(401);
  });

  it('answers a bad or malformed API key with 401', async () => {
    for (const header of ['Bearer sk_abcdefgh_notthesecretnotthesecret', 'Bearer nonsense', 'Basic abc'])
      expect(
        (await t.callers.anonymous.call('get', '/api/v1/cases').set('Authorization', header)).status,
      ).toBe(401);
  });

  it('issues, rotates and revokes API keys: the old key stops working at once and only the prefix is listed', async () => {
    const admin = t.callers.admin;
    const issued = await admin
      .call('post', '/api/v1/admin/api-keys')
      .send({ institutionId: ASSESSOR_BODY, label: 'rotation test' })
      .expect(201);
    expect(issued.body.key).toMatch(/^sk_[a-z0-9]{8}_[\w-]{20,}$/);
    const first = keyCaller(t.app, 'k1', 'ASSESSOR', ASSESSOR_BODY, issued.body.key);
    await first.call('get', '/api/v1/assessor/classes').expect(200);
    const rotated = await admin.call('post', `/api/v1/admin/api-keys/${issued.body.id}/rotate`).expect(201);
    await first.call('get', '/api/v1/assessor/classes').expect(401);
    const second = keyCaller(t.app, 'k2', 'ASSESSOR', ASSESSOR_BODY, rotated.body.key);
    await second.call('get', '/api/v1/assessor/classes').expect(200);
    await admin.call('delete', `/api/v1/admin/api-keys/${rotated.body.id}`).expect(204);
    await second.call('get', '/api/v1/assessor/classes').expect(401);
    const list = await admin.call('get', '/api/v1/admin/api-keys?limit=200').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(rotated.body.key);
    expect(list.body.items.some((k: { keyHash?: string }) => k.keyHash !== undefined)).toBe(false);
  });
});

describe('health and documents', () => {
  it('reports the database, Temporal and the worker', async () => {
    const res = await t.callers.anonymous.call('get', '/api/health');
    expect([200, 503]).toContain(res.status);
    expect(res.body.checks.database.status).toBe('ok');
    expect(res.body.checks.temporal.status).toBe('ok');
    expect(['ok', 'unknown', 'fail']).toContain(res.body.checks.worker.status);
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, and a docs viewer with same-origin scripts only', async () => {
    const doc = await t.callers.anonymous.call('get', '/api/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const review = doc.body.paths['/api/v1/cases/{id}/review'].post;
    expect(review.requestBody.content['application/json'].schema.properties.decision.enum).toEqual([
      'APPROVE',
      'RETURN',
      'REJECT',
    ]);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tasks',
        '/api/v1/institution/classes',
        '/api/v1/admin/api-keys/{id}/rotate',
      ]),
    );
    const page = await t.callers.anonymous.call('get', '/api/docs').expect(200);
    expect(page.text).toContain('/api/openapi.json');
    // Swagger UI from npm, served by the app itself: no CDN is reachable from a government network.
    const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((m) => /src="([^"]+)"/.exec(m[0])?.[1]);
    expect(scripts).toEqual(['/api/docs/assets/swagger-ui-bundle.js', '/api/docs/init.js']);
    for (const src of scripts) {
      const js = await t.callers.anonymous.call('get', src!).expect(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
    }
  });
});
