// What callers send: malformed requests never yield a 5xx; plans and rosters are refused with every violation
// and its field path; retries with an Idempotency-Key change nothing; lists page the same way everywhere;
// administrators maintain the catalogues.
import ExcelJS from 'exceljs';
import { HEBEI_2024 } from '../../domain/policy';
import { makeIdNumber } from '../../domain/identity';
import {
  apiPlan,
  enrollingClass,
  eventually,
  rosterRows,
  startApiBed,
  type ApiBed,
  type Caller,
  type Method,
} from './support';

jest.setTimeout(120_000);

let t: ApiBed;
let enrolling = '';
beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  enrolling = await enrollingClass(t, '育婴员 roster class');
});
afterAll(() => t?.teardown());

// ---------- the malformed corpus ----------
const ODD_STRINGS = [
  '\ud800',
  'a\u0000b',
  '\u202egnp.exe',
  '😀'.repeat(50),
  'e\u0301\u0301\u0301',
  '\u200b',
  'x'.repeat(10_000),
  '\'; DROP TABLE "Task"; --',
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '{{7*7}}${jndi:ldap://x}',
  '../../etc/passwd',
  '%00%27',
];
const WRONG_BODIES: unknown[] = [
  null,
  [],
  'text',
  42,
  true,
  {},
  { plan: 'x' },
  { trainees: {} },
  { lessons: [1] },
];

const POSTS: { path: () => string; caller: () => Caller; fields: string[] }[] = [
  { path: () => '/api/v1/institution/classes', caller: () => t.callers.institutionKey, fields: ['plan'] },
  {
    path: () => `/api/v1/institution/classes/${enrolling}/trainees`,
    caller: () => t.callers.institutionKey,
    fields: ['trainees'],
  },
  {
    path: () => `/api/v1/institution/classes/${enrolling}/attendance`,
    caller: () => t.callers.institutionKey,
    fields: ['lessons'],
  },
  {
    path: () => `/api/v1/institution/classes/${enrolling}/employment-evidence`,
    caller: () => t.callers.institutionKey,
    fields: ['enrollmentId', 'kind', 'employedOn'],
  },
  {
    path: () => `/api/v1/cases/${enrolling}/review`,
    caller: () => t.callers.caseworker,
    fields: ['decision', 'reason'],
  },
  {
    path: () => `/api/v1/assessor/classes/${enrolling}/results`,
    caller: () => t.callers.assessor,
    fields: ['results'],
  },
  {
    path: () => '/api/v1/public/notices/x/objections',
    caller: () => t.callers.anonymous,
    fields: ['lineId', 'reason'],
  },
  { path: () => '/api/v1/auth/login', caller: () => t.callers.anonymous, fields: ['username', 'password'] },
  {
    path: () => '/api/v1/admin/users',
    caller: () => t.callers.admin,
    fields: ['username', 'password', 'role'],
  },
  { path: () => '/api/v1/admin/policies', caller: () => t.callers.admin, fields: ['id', 'region'] },
];

const corpus = POSTS.flatMap((p) => [
  ...WRONG_BODIES.map((body) => [p.path, p.caller, `wrong body ${JSON.stringify(body)}`, body] as const),
  ...ODD_STRINGS.map(
    (s) =>
      [
        p.path,
        p.caller,
        `odd string ${JSON.stringify(s.slice(0, 12))}`,
        Object.fromEntries(p.fields.map((f) => [f, s])),
      ] as const,
  ),
  ...ODD_STRINGS.slice(0, 4).map(
    (s) =>
      [
        p.path,
        p.caller,
        `odd nested ${JSON.stringify(s.slice(0, 12))}`,
        Object.fromEntries(p.fields.map((f) => [f, [{ idNumber: s, name: s, category: s }]])),
      ] as const,
  ),
]);

describe('the malformed-request corpus', () => {
  it.each(
    corpus.map(
      ([path, caller, label, body]) =>
        [path().replace(/SJZ-\d+-\d+/, ':id'), label, path, caller, body] as const,
    ),
  )('POST %s with %s is answered below 500 with problem+json', async (_p, _l, path, caller, body) => {
    const res = await caller()
      .call('post', path())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  const rawCases: [string, Method, string, (r: ReturnType<Caller['call']>) => ReturnType<Caller['call']>][] =
    [
      [
        'broken JSON',
        'post',
        '/api/v1/cases/x/review',
        (r) => r.set('Content-Type', 'application/json').send('{"decision":'),
      ],
      [
        'an oversized JSON body',
        'post',
        '/api/v1/institution/classes',
        (r) =>
          r
            .set('Content-Type', 'application/json')
            .send(JSON.stringify({ plan: { title: 'x'.repeat(1_200_000) } })),
      ],
      [
        'text/plain on a JSON endpoint',
        'post',
        '/api/v1/cases/x/review',
        (r) => r.set('Content-Type', 'text/plain').send('APPROVE'),
      ],
      [
        'an unknown charset',
        'post',
        '/api/v1/cases/x/review',
        (r) => r.set('Content-Type', 'application/json; charset=klingon').send('{}'),
      ],
      ['an injection-looking path', 'get', "/api/v1/cases/'%20OR%201=1--", (r) => r],
      ['a NUL in the path', 'get', '/api/v1/cases/%00', (r) => r],
      ['a broken percent-encoding', 'get', '/api/v1/cases/%E0%A4%A', (r) => r],
      ['a negative limit', 'get', '/api/v1/tasks?limit=-1', (r) => r],
      ['a non-numeric limit', 'get', '/api/v1/cases?limit=abc', (r) => r],
      ['a garbage cursor', 'get', '/api/v1/cases?cursor=%7B%22s%22', (r) => r],
      ['an injection in sort', 'get', '/api/v1/tasks?sort=dueAt;DROP%20TABLE%20Task', (r) => r],
      ['a repeated query parameter', 'get', '/api/v1/tasks?kind=A&kind=B', (r) => r],
      ['an injection in q', 'get', '/api/v1/cases?q=%27%3B%20DROP%20TABLE%20%22Task%22%3B--', (r) => r],
      ['a lone surrogate in q', 'get', '/api/v1/cases?q=%ED%A0%80', (r) => r],
      ['a bad boolean filter', 'get', '/api/v1/tasks?overdue=maybe', (r) => r],
      ['a bad date filter', 'get', '/api/v1/tasks?dueBefore=2026-02-30', (r) => r],
      ['an unknown endpoint', 'get', '/api/v1/nothing/here', (r) => r],
      [
        'an empty multipart import',
        'post',
        `/api/v1/institution/classes/:enrolling/trainees/import`,
        (r) => r.set('Content-Type', 'multipart/form-data; boundary=zz').send('--zz--'),
      ],
      [
        'garbage as an xlsx',
        'post',
        `/api/v1/institution/classes/:enrolling/trainees/import`,
        (r) => r.set('Content-Type', 'application/octet-stream').send(Buffer.from('PK\u0003\u0004garbage')),
      ],
    ];
  it.each(rawCases)('answers %s below 500', async (label, method, path, build) => {
    const caller =
      path.includes('/tasks') || path.includes('/cases') ? t.callers.caseworker : t.callers.institutionKey;
    const res = await build(caller.call(method, path.replace(':enrolling', enrolling)));
    // A search for odd text is a fine question that finds nothing; everything else here is refused.
    if (!/ in q$/.test(label)) expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers an oversized body with 413 problem+json', async () => {
    const res = await t.callers.institutionKey
      .call('post', '/api/v1/institution/classes')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ plan: { title: 'x'.repeat(1_200_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('BODY_TOO_LARGE');
  });

  it('speaks English when asked and Chinese by default, with field paths', async () => {
    const zh = await t.callers.caseworker
      .call('post', `/api/v1/cases/${enrolling}/review`)
      .send({ decision: 'MAYBE' });
    const en = await t.callers.caseworker
      .call('post', `/api/v1/cases/${enrolling}/review`)
      .set('Accept-Language', 'en-GB,en;q=0.9')
      .send({ decision: 'MAYBE' });
    expect([zh.status, en.status]).toEqual([400, 400]);
    expect(zh.body.title).toBe('请求格式错误');
    expect(en.body.title).toBe('Malformed request');
    expect(en.body.errors[0].path).toBe('decision');
  });
});

// ---------- plans ----------
describe('plan submission', () => {
  it('refuses a plan with every violation listed under its plan field', async () => {
    const res = await t.callers.institutionKey
      .call('post', '/api/v1/institution/classes')
      .send({
        plan: apiPlan({
          capacity: 80,
          occupationCode: '4-10-01-05',
          plannedStart: '2020-01-06',
          assessmentBodyId: 'inst-sjz-02',
        }),
      })
      .expect(422);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'plan.capacity',
        'plan.occupationCode',
        'plan.plannedStart',
        'plan.assessmentBodyId',
      ]),
    );
    expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(
      expect.arrayContaining([
        'CAPACITY_EXCEEDED',
        'INSTITUTION_NOT_DESIGNATED',
        'PLAN_LEAD_TIME',
        'NOT_AN_ASSESSMENT_BODY',
      ]),
    );
  });

  it('maps a workflow validator refusal to 409 with the rule code (approving a class already approved)', async () => {
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${enrolling}/review`)
      .send({ decision: 'APPROVE' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('WRONG_STAGE');
    expect(res.body.errors[0].path).toBe('stage');
  });

  it('returns the first answer to a retried submission with the same Idempotency-Key and starts one class only', async () => {
    const plan = apiPlan({ title: '幂等测试班' });
    const send = () =>
      t.callers.institutionKey
        .call('post', '/api/v1/institution/classes')
        .set('Idempotency-Key', 'plan-42')
        .send({ plan });
    const first = await send().expect(202);
    const again = await send().expect(202);
    expect(again.body.classId).toBe(first.body.classId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await t.callers.institutionKey
      .call('post', '/api/v1/institution/classes')
      .set('Idempotency-Key', 'plan-42')
      .send({ plan: { ...plan, title: '另一个班' } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await eventually(
      t.bed,
      async () => (await t.bed.db.trainingClass.count({ where: { title: '幂等测试班' } })) === 1,
    );
  });
});

// ---------- rosters ----------
describe('enrolment', () => {
  const enrol = (body: object) =>
    t.callers.institutionKey.call('post', `/api/v1/institution/classes/${enrolling}/trainees`).send(body);

  it('refuses the whole roster with per-row paths when one row is wrong, and enrols nobody', async () => {
    const rows = rosterRows(3, 11);
    const bad = {
      ...rows[1]!,
      idNumber: rows[1]!.idNumber.slice(0, 17) + (rows[1]!.idNumber.endsWith('1') ? '2' : '1'),
    };
    const res = await enrol({ trainees: [rows[0], bad, { ...rows[2], category: '外星人' }] }).expect(422);
    expect(res.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual([
      'trainees.1.idNumber ID_CHECK_DIGIT',
      'trainees.2.category CATEGORY_UNKNOWN',
    ]);
    expect(await t.bed.db.enrollment.count({ where: { classId: enrolling } })).toBe(0);
  });

  it('enrols only the valid rows when asked, and never stores an ID number or name in clear', async () => {
    const rows = rosterRows(3, 12);
    const old = { ...rows[2]!, idNumber: makeIdNumber('130104', '1940-01-01', 11) };
    const res = await enrol({ trainees: [rows[0], rows[1], old], validOnly: true }).expect(200);
    expect(res.body.enrolled.map((e: { row: number }) => e.row)).toEqual([0, 1]);
    expect(res.body.refused).toEqual([
      expect.objectContaining({
        row: 2,
        errors: [expect.objectContaining({ path: 'trainees.2.idNumber', code: 'AGE_OUT_OF_RANGE' })],
      }),
    ]);
    const people = JSON.stringify(await t.bed.db.person.findMany());
    expect(people).not.toContain(rows[0]!.idNumber);
    expect(people).not.toContain(rows[0]!.name);
    const again = await enrol({ trainees: [rows[0]] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_ENROLLED');
    expect(again.body.errors[0].path).toBe('trainees.0');
  });

  it('imports a CSV roster with Chinese headers and category names (multipart)', async () => {
    const rows = rosterRows(2, 13);
    const csv =
      '\ufeff姓名,身份证号,人员类别\r\n' +
      rows.map((r) => `${r.name},${r.idNumber},农村转移就业劳动者`).join('\r\n');
    const res = await t.callers.institutionKey
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import`)
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'roster.csv', contentType: 'text/csv' })
      .expect(200);
    expect(res.body.enrolled.map((e: { sheetRow: number }) => e.sheetRow)).toEqual([2, 3]);
  });

  it('imports an xlsx roster and reports a bad row by its sheet row', async () => {
    const rows = rosterRows(2, 14);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['姓名', '身份证号', '人员类别']);
    ws.addRow([rows[0]!.name, rows[0]!.idNumber, 'REGISTERED_UNEMPLOYED']);
    ws.addRow(['张三3', rows[1]!.idNumber, '就业困难人员']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const refused = await t.callers.institutionKey
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import`)
      .attach('file', file, 'roster.xlsx')
      .expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: 'trainees.1.name', code: 'NAME_INVALID' }),
    ]);
    const ok = await t.callers.institutionKey
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import?validOnly=1`)
      .attach('file', file, 'roster.xlsx')
      .expect(200);
    expect(ok.body.enrolled).toHaveLength(1);
    expect(ok.body.refused[0].sheetRow).toBe(3);
  });

  it('withdraws a trainee before the start, and shows the roster masked', async () => {
    const view = await t.callers.institution.call('get', `/api/v1/cases/${enrolling}`).expect(200);
    const first = view.body.trainees[0];
    expect(first.idMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(first.name).toBeUndefined();
    await t.callers.institution
      .call('delete', `/api/v1/institution/classes/${enrolling}/trainees/${first.enrollmentId}`)
      .send({ reason: '个人原因' })
      .expect(204);
    const revealsBefore = await t.bed.db.accessAudit.count({
      where: { action: 'PII_REVEALED', subject: enrolling },
    });
    // Names are shown only for a reason, which the audit keeps (POST /cases/:id/reveal).
    const staff = await t.callers.caseworker
      .call('post', `/api/v1/cases/${enrolling}/reveal`)
      .send({ reason: '核对学员身份' })
      .expect(200);
    expect(staff.body.trainees[0].idNumber).toMatch(/^\d{17}[\dX]$/);
    // Every unmasked look is on the record: who and which class (never the names or numbers shown).
    const reveals = await t.bed.db.accessAudit.findMany({
      where: { action: 'PII_REVEALED', subject: enrolling },
    });
    expect(reveals).toHaveLength(revealsBefore + 1);
    expect(reveals.at(-1)).toMatchObject({ userId: expect.stringContaining('cw') });
    expect(JSON.stringify(reveals)).not.toContain(staff.body.trainees[0].idNumber);
  });
});

// ---------- lists ----------
describe('lists', () => {
  it('pages with an opaque cursor, sorts either way and refuses an unknown sort field', async () => {
    const first = await t.callers.caseworker.call('get', '/api/v1/cases?limit=1&sort=createdAt').expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.callers.caseworker
      .call('get', `/api/v1/cases?limit=1&sort=createdAt&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const all = await t.callers.caseworker.call('get', '/api/v1/cases?limit=200&sort=-createdAt').expect(200);
    expect(all.body.items.at(-1).id).toBe(first.body.items[0].id);
    await t.callers.caseworker
      .call('get', `/api/v1/cases?sort=-id&cursor=${first.body.nextCursor}`)
      .expect(400);
    const bad = await t.callers.caseworker.call('get', '/api/v1/cases?sort=passwordHash').expect(400);
    expect(bad.body.code).toBe('SORT_INVALID');
  });

  it('filters the inbox by kind, assignee and due date, and lets a task be claimed once', async () => {
    const cw = t.callers.caseworker;
    const open = await cw.call('get', '/api/v1/tasks?kind=REVIEW_PLAN&assignee=none').expect(200);
    const task = open.body.items[0];
    expect(task).toBeDefined();
    await cw.call('post', `/api/v1/tasks/${encodeURIComponent(task.id)}/claim`).expect(200);
    const mine = await cw.call('get', '/api/v1/tasks?assignee=me').expect(200);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toContain(task.id);
    const later = await cw.call('get', `/api/v1/tasks?dueBefore=2000-01-01`).expect(200);
    expect(later.body.items).toEqual([]);
    await t.callers.manager.call('get', '/api/v1/tasks?overdue=false&role=ALL').expect(200);
    await cw.call('post', `/api/v1/tasks/${encodeURIComponent(task.id)}/unclaim`).expect(200);
  });

  it('lists an institution its own classes only', async () => {
    const mine = await t.callers.institution.call('get', '/api/v1/institution/classes?limit=200').expect(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((c: { institutionId: string }) => c.institutionId === 'inst-sjz-01')).toBe(
      true,
    );
    const other = await t.callers.otherInstitution.call('get', '/api/v1/cases?limit=200').expect(200);
    expect(other.body.items).toEqual([]);
    const booked = await t.callers.assessor.call('get', '/api/v1/assessor/classes').expect(200);
    expect(booked.body.items.length).toBeGreaterThan(0);
    expect(
      (await t.callers.otherAssessor.call('get', '/api/v1/assessor/classes').expect(200)).body.items,
    ).toEqual([]);
  });
});

// ---------- administration ----------
describe('administration', () => {
  it('creates a user who can then log in, and refuses a duplicate username', async () => {
    const body = {
      username: 'cw2',
      displayName: '经办人二',
      role: 'CASEWORKER',
      password: 'a long enough password',
    };
    await t.callers.admin.call('post', '/api/v1/admin/users').send(body).expect(201);
    await t.callers.admin.call('post', '/api/v1/admin/users').send(body).expect(409);
    await t.callers.anonymous
      .call('post', '/api/v1/auth/login')
      .send({ username: 'cw2', password: body.password })
      .expect(200);
    const users = await t.callers.admin.call('get', '/api/v1/admin/users').expect(200);
    expect(JSON.stringify(users.body)).not.toContain('passwordHash');
  });

  it('keeps a policy version immutable once a class runs under it, and validates new ones', async () => {
    const inUse = await t.callers.admin.call('post', '/api/v1/admin/policies').send(HEBEI_2024);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('POLICY_IN_USE');
    const invalid = await t.callers.admin
      .call('post', '/api/v1/admin/policies')
      .send({ ...HEBEI_2024, id: 'x', attendanceThresholdPct: 130 });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].path).toBe('attendanceThresholdPct');
    await t.callers.admin
      .call('post', '/api/v1/admin/policies')
      .send({ ...HEBEI_2024, id: 'hebei-2027', effectiveFrom: '2027-01-01' })
      .expect(201);
  });

  it('enters calendar days and signals every open class to recompute its deadlines', async () => {
    const res = await t.callers.admin
      .call('post', '/api/v1/admin/calendar')
      .send({ announcedYears: [2027], entries: [{ date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' }] })
      .expect(200);
    expect(res.body.signalled.ok).toBeGreaterThan(0);
    const cal = await t.callers.admin.call('get', '/api/v1/admin/calendar').expect(200);
    expect(cal.body.announcedYears).toContain(2027);
  });

  it('shows a year as deadlines count it: 2026 preloaded, an unknown year provisional, a bad year 404', async () => {
    const y2026 = await t.callers.admin.call('get', '/api/v1/admin/calendar/years/2026').expect(200);
    expect(y2026.body).toMatchObject({ year: 2026, source: 'PACKAGE', workingDays: 248 });
    expect(y2026.body.days).toContainEqual({
      date: '2026-10-10',
      kind: 'WORKDAY',
      name: '国庆节',
      source: 'PACKAGE',
    });
    const y2030 = await t.callers.admin.call('get', '/api/v1/admin/calendar/years/2030').expect(200);
    expect(y2030.body).toMatchObject({ year: 2030, source: 'PROVISIONAL', workingDays: 256 });
    expect(y2030.body.days).toHaveLength(5);
    for (const bad of ['26', '2026x', '3000'])
      await t.callers.admin.call('get', `/api/v1/admin/calendar/years/${bad}`).expect(404);
    const cal = await t.callers.admin.call('get', '/api/v1/admin/calendar').expect(200);
    expect(cal.body.packageYears).toEqual({ from: 2004, to: 2026 });
    const thisYear = Number(new Date().toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
    // 2027 was announced by the test before: only years neither preloaded nor announced are warned of.
    for (const year of cal.body.unannouncedYears as number[]) {
      expect([thisYear, thisYear + 1]).toContain(year);
      expect(year).toBeGreaterThan(2026);
      expect(cal.body.announcedYears).not.toContain(year);
    }
  });

  it('adds an occupation to the catalogue', async () => {
    await t.callers.admin
      .call('post', '/api/v1/admin/occupations')
      .send({
        code: '4-99-99-01',
        name: { zh: '测试工种', en: 'Test trade' },
        shortage: false,
        newOccupation: true,
        levels: [{ level: 'LEVEL_5', standardFen: 90_000, evaluationFen: 18_000, minHours: 60 }],
      })
      .expect(201);
    const list = await t.callers.admin.call('get', '/api/v1/admin/occupations?limit=200').expect(200);
    expect(list.body.items.some((o: { code: string }) => o.code === '4-99-99-01')).toBe(true);
  });
});
