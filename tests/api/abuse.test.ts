// The API under hostile input (issue 13): text read back is safe by construction, exports cannot run
// formulas, logins and objections resist abuse without locking anyone out, and a roster never tells an
// institution whether an ID number is registered or whose it is.
import type { Response } from 'supertest';
import { HEBEI_2024 } from '../../domain/policy';
import { makeIdNumber } from '../../domain/identity';
import { decryptField, personKey } from '../../domain/pii';
import { LIMITS } from '../../api/limits';
import { applications, registerPeople, TEST_PII_KEY, TEST_PERSON_SECRET } from '../support/people';
import { passAll, plan, startClass, today, toAssessment, until } from '../support/scenario';
import { apiPlan, createUser, eventually, PASSWORD, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(240_000);
const DAY = 24 * 3_600_000;

let t: ApiBed;
let enrolling = '';
beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  // Each test speaks for a client address of its own (X-Forwarded-For from the loopback proxy).
  t.app.set('trust proxy', 'loopback');
  const filed = await t.callers.institutionKey
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan({ title: '育婴员 abuse class' }) })
    .expect(202);
  enrolling = filed.body.classId;
  await eventually(t.bed, async () =>
    (
      await t.callers.caseworker
        .call('post', `/api/v1/cases/${enrolling}/review`)
        .send({ decision: 'APPROVE' })
    ).status === 200
      ? true
      : undefined,
  );
  await eventually(
    t.bed,
    async () =>
      (await t.bed.db.trainingClass.findUnique({ where: { id: enrolling } }))?.stage === 'ENROLLING',
  );
});
afterAll(() => t?.teardown());

const enrol = (body: object) =>
  t.callers.institutionKey.call('post', `/api/v1/institution/classes/${enrolling}/trainees`).send(body);

// ---------- text read back ----------
describe('text that people and machines read back', () => {
  it.each([
    ['a right-to-left override', '张\u202e三'],
    ['a zero-width space', '张\u200b三'],
    ['HTML markup', '<img src=x onerror=alert(1)>'],
    ['a spreadsheet formula', '=HYPERLINK("http://evil.example","张三")'],
  ])('refuses a trainee name with %s as NAME_INVALID on that row, enrolling nobody', async (_l, name) => {
    const [row] = rosterRows(1, 41);
    const res = await enrol({ trainees: [{ ...row, name }] }).expect(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'trainees.0.name', code: 'NAME_INVALID' }),
    ]);
    expect(
      await t.bed.db.person.count({ where: { personKey: personKey(row!.idNumber, TEST_PERSON_SECRET) } }),
    ).toBe(0);
  });

  it('refuses a formula name in an imported CSV roster too', async () => {
    const [row] = rosterRows(1, 42);
    const csv = `姓名,身份证号,人员类别\r\n"=HYPERLINK(""http://evil.example"",""张三"")",${row!.idNumber},城镇登记失业人员`;
    const res = await t.callers.institutionKey
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import`)
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'roster.csv', contentType: 'text/csv' })
      .expect(422);
    expect(res.body.errors[0]).toMatchObject({ path: 'trainees.0.name', code: 'NAME_INVALID' });
  });

  it.each([
    ['a right-to-left override', 'reason', { lineId: 'L1', reason: '不实\u202e申报' }],
    ['a zero-width joiner', 'reason', { lineId: 'L1', reason: '不实\u200d申报' }],
    ['a BOM inside', 'reason', { lineId: 'L1', reason: '不实\ufeff申报' }],
    ['an Arabic letter mark', 'contact', { lineId: 'L1', reason: '不实', contact: '138\u061c0013' }],
    ['a newline in a one-line field', 'contact', { lineId: 'L1', reason: '不实', contact: '138\n0013' }],
    ['an escape character', 'reason', { lineId: 'L1', reason: '\u001b[2J' }],
  ])('refuses an objection with %s, naming the field in zh and en', async (_l, field, body) => {
    const zh = await t.callers.anonymous
      .call('post', '/api/v1/public/notices/N-x/objections')
      .set('X-Forwarded-For', '192.0.2.10')
      .send(body);
    const en = await t.callers.anonymous
      .call('post', '/api/v1/public/notices/N-x/objections')
      .set('X-Forwarded-For', '192.0.2.10')
      .set('Accept-Language', 'en')
      .send(body);
    expect([zh.status, en.status]).toEqual([400, 400]);
    expect(zh.headers['content-type']).toMatch(/problem\+json/);
    expect(zh.body.errors[0].path).toBe(field);
    expect(zh.body.errors[0].message).toMatch(/含有不允许的/);
    expect(en.body.errors[0].message).toMatch(/contains .* \(U\+[0-9A-F]{4} at position \d+\)/);
  });

  it('keeps a multi-line reason with markup as given', async () => {
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${enrolling}/review`)
      .send({ decision: 'RETURN', reason: '第一行\n<b>第二行</b>' });
    expect(res.status).not.toBe(400); // the stage refuses a review now (409), the text itself is fine
  });

  it('refuses a plan title with a zero-width space with the field path', async () => {
    const res = await t.callers.institutionKey
      .call('post', '/api/v1/institution/classes')
      .send({ plan: apiPlan({ title: '育婴员\u200b培训班' }) })
      .expect(400);
    expect(res.body.errors[0].path).toBe('plan.title');
  });
});

// ---------- exports ----------
describe('exports a person opens in a spreadsheet', () => {
  it('neutralise a payee name that is a formula, and leave amounts numeric', async () => {
    const db = t.bed.db;
    await db.institution.create({
      data: {
        id: 'inst-formula',
        name: '=HYPERLINK("http://evil.example","点此核对")',
        district: '长安区',
        creditCode: 'CC-formula',
        bankAccount: '6222 0000 0000 1111',
        validFrom: '2024-01-01',
        validTo: '2027-12-31',
      },
    });
    await db.paymentBatch.create({
      data: { id: 'ABUSE-1-S1', classId: 'ABUSE-1', kind: 'SETTLEMENT', totalFen: -5000, status: 'APPROVED' },
    });
    await db.payment.createMany({
      data: [
        {
          id: 'ABUSE-1-S1-P1',
          batchId: 'ABUSE-1-S1',
          payee: 'inst-formula',
          amountFen: 100_000,
          status: 'PENDING',
        },
        {
          id: 'ABUSE-1-S1-P2',
          batchId: 'ABUSE-1-S1',
          payee: '+cmd|calc',
          amountFen: -105_000,
          status: 'PENDING',
        },
      ],
    });
    const res = await t.callers.finance.call('get', '/api/v1/payments/batches/ABUSE-1-S1/export').expect(200);
    const lines = res.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    const cells = lines.slice(1).map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(cells[0]![1]).toBe(`"'=HYPERLINK(""http://evil.example"",""点此核对"")"`);
    expect(cells[1]![1]).toBe(`'+cmd|calc`);
    expect(cells[1]![3]).toBe('-1050.00');
    expect(cells.every((c) => !/^[=+\-@]/.test(c[1]!))).toBe(true);
  });
});

// ---------- logins ----------
const login = (username: string, password: string, client: string) =>
  t.callers.anonymous
    .call('post', '/api/v1/auth/login')
    .set('X-Forwarded-For', client)
    .send({ username, password });
const retryAfter = (res: Response) => Number(res.headers['retry-after']);

describe('login throttling', () => {
  beforeAll(() => createUser(t.bed.db, 'victim', 'CASEWORKER'));

  it('still accepts the right password from a new client while another client keeps failing', async () => {
    const attacker = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login('victim', `guess ${i}`, attacker)).status);
    const allowed = LIMITS.login.perUserAndClient.points;
    expect(statuses.slice(0, allowed - 1).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(allowed - 1).every((s) => s === 429)).toBe(true);
    // The guessing client waits even with the right password; the owner's own browser does not.
    const blocked = await login('victim', PASSWORD, attacker);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(retryAfter(blocked)).toBeGreaterThan(0);
    expect(retryAfter(blocked)).toBeLessThanOrEqual(LIMITS.login.userAndClientWaits[0]!);
    expect((await login('victim', PASSWORD, '198.51.100.7')).status).toBe(200);
    expect((await login('victim', 'still guessing', attacker)).status).toBe(429);
    expect((await login('victim', PASSWORD, '198.51.100.8')).status).toBe(200);
  });

  it('slows down one client trying thirty different usernames, with Retry-After', async () => {
    const sprayer = '203.0.113.99';
    const answers: Response[] = [];
    for (let i = 0; i < 30; i++) answers.push(await login(`user${i}`, 'Winter2026!', sprayer));
    const limited = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status === 401).length).toBeLessThan(LIMITS.login.perClient.points);
    expect(limited.length).toBeGreaterThanOrEqual(30 - LIMITS.login.perClient.points);
    expect(limited[0]!.headers['content-type']).toMatch(/problem\+json/);
    expect(retryAfter(limited[0]!)).toBeGreaterThan(60);
    // Other clients, and the users tried, are not affected.
    expect((await login('victim', PASSWORD, '198.51.100.9')).status).toBe(200);
  });

  it('answers an unknown and a known username alike while throttling', async () => {
    const client = '203.0.113.120';
    const a = await login('victim', 'wrong', client);
    const b = await login('nobody-here', 'wrong', client);
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body.detail).toBe(b.body.detail);
  });
});

// ---------- rosters ----------
describe('roster answers', () => {
  it('answer a registered ID number with a wrong name exactly as an unregistered one', async () => {
    const [registered] = await registerPeople(t.bed.db, 1, { from: 970 });
    const unregistered = makeIdNumber('130104', '1990-05-17', 531);
    const category = '城镇登记失业人员';
    const a = await enrol({ trainees: [{ idNumber: registered!.idNumber, name: '李四', category }] });
    const b = await enrol({ trainees: [{ idNumber: unregistered, name: '李四', category }] });
    const shape = (r: Response) => ({
      status: r.status,
      code: r.body.code ?? null,
      body: JSON.stringify(r.body).replace(/SJZ-\d{4}-\d{6}-\w+/g, '<enrollment>'),
    });
    expect(shape(a)).toEqual(shape(b));
    expect(a.status).toBe(200);
    // The registered name is kept: an institution cannot rename someone by enrolling them.
    const person = await t.bed.db.person.findUniqueOrThrow({ where: { personKey: registered!.personKey } });
    expect(decryptField(person.nameEnc, TEST_PII_KEY)).toBe(registered!.name);
    // The bureau learns of the difference (实名制 follow-up); the institution does not.
    const audit = await t.bed.db.accessAudit.findMany({
      where: { subject: enrolling, action: 'ROSTER_NAME_DIFFERS' },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).not.toContain('李四');
    expect(audit[0]!.detail).not.toContain(registered!.name);
  });

  it('still reports a wrong check digit', async () => {
    const id = makeIdNumber('130104', '1991-03-03', 17);
    const bad = id.slice(0, 17) + (id.endsWith('1') ? '2' : '1');
    const res = await enrol({
      trainees: [{ idNumber: bad, name: '王五', category: '城镇登记失业人员' }],
    }).expect(422);
    expect(res.body.errors[0]).toMatchObject({ path: 'trainees.0.idNumber', code: 'ID_CHECK_DIGIT' });
  });
});

// ---------- objections ----------
describe('objections to a public notice', () => {
  let noticeId = '';
  let lineIds: string[] = [];
  const object = (body: object, client: string) =>
    t.callers.anonymous
      .call('post', `/api/v1/public/notices/${noticeId}/objections`)
      .set('X-Forwarded-For', client)
      .send(body);
  const openTasks = () => t.bed.db.task.count({ where: { classId: 'ABUSE-OBJ', kind: 'RESOLVE_OBJECTION' } });

  beforeAll(async () => {
    const env = t.bed.env;
    const p = plan(await today(env));
    const handle = await startClass(env, 'ABUSE-OBJ', p);
    const trainees = applications(await registerPeople(t.bed.db, 3, { from: 980 }), 'ABUSE-OBJ');
    await toAssessment(env, handle, p, trainees);
    await passAll(env, handle, trainees);
    const s = await until(env, handle, (x) => x.clock?.task === 'PUBLIC_NOTICE', DAY / 2);
    lineIds = s.lines.filter((l) => l.kind === 'TRAINING').map((l) => l.lineId);
    const notice = await eventually(
      t.bed,
      async () =>
        (await t.bed.db.publicNotice.findFirst({ where: { classId: 'ABUSE-OBJ', status: 'OPEN' } })) ??
        undefined,
    );
    noticeId = notice.id;
  });

  it('opens one caseworker task for the same line objected three times with the same contact', async () => {
    const body = { lineId: lineIds[0], reason: '该学员未实际参加培训', contact: '13800138000' };
    const first = await object(body, '192.0.2.1').expect(201);
    const again = await object({ ...body, contact: ' 138 0013 8000 ' }, '192.0.2.2').expect(201);
    const third = await object(body, '192.0.2.3').expect(201);
    expect(again.body.objectionId).toBe(first.body.objectionId);
    expect(third.body.objectionId).toBe(first.body.objectionId);
    await eventually(t.bed, async () => (await openTasks()) === 1);
    expect(await t.bed.db.objection.count({ where: { lineId: lineIds[0] } })).toBe(1);
    // Another objector to the same line is heard.
    const other = await object({ ...body, contact: 'someone@example.org' }, '192.0.2.4').expect(201);
    expect(other.body.objectionId).not.toBe(first.body.objectionId);
    await eventually(t.bed, async () => (await openTasks()) === 2);
  });

  it('limits objections to one line, with Retry-After', async () => {
    const line = lineIds[1]!;
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i <= LIMITS.objections.perLine.points; i++) {
      const res = await object(
        { lineId: line, reason: '异议', contact: `1390000${String(i).padStart(4, '0')}` },
        `192.0.2.${20 + i}`,
      );
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, -1).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(limited!.body.code).toBe('TOO_MANY_OBJECTIONS');
    expect(retryAfter(limited!)).toBeGreaterThan(0);
    // The other lines are not held up by it.
    await object({ lineId: lineIds[2], reason: '异议' }, '192.0.2.60').expect(201);
  });

  it('limits objections from one client, with Retry-After', async () => {
    const client = '192.0.2.99';
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.objections.perClient.points; i++)
      statuses.push((await object({ lineId: 'no-such-line', reason: '异议' }, client)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s !== 429)).toBe(true);
    const res = await object({ lineId: lineIds[2], reason: '异议' }, client);
    expect(res.status).toBe(429);
    expect(retryAfter(res)).toBeGreaterThan(0);
  });
});
