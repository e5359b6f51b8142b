// 个人查询 (issue 16 point 1): a person sees their own lifelong record after proving who they are — ID number and
// registered name, then a one-time code from the delivery channel (the simulator here, as by default). The code is
// single-use, short-lived and takes five tries; whether someone is registered is never told by the answers.
import type { Express } from 'express';
import type { Db } from '../../platform/db';
import { createTestDb } from '../support/db';
import { registerPeople, type TestPerson } from '../support/people';
import { makeIdNumber } from '../../domain/identity';
import { maskIdNumber, maskName } from '../../domain/masking';
import { CODE_TRIES } from '../../api/routes/selfService';
import { appWithoutTemporal, INSTITUTION, projectClass } from './support';
import { checkedRequest } from './contract';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
let person: TestPerson;
let other: TestPerson;
const CLASS = 'SELF-CLASS-1';

const post = (path: string, body: object) =>
  checkedRequest(app).post(`/api/v1/public/me/${path}`).set('Accept-Language', 'zh-CN').send(body);
const codeIn = (text: string) => /验证码为 (\d{6})/.exec(text)?.[1];

async function askCode(p: TestPerson, name = p.name) {
  const res = await post('code', { idNumber: p.idNumber, name }).expect(202);
  return res.body as { sent: true; expiresAt: string; simulatedText: string | null };
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  [person, other] = (await registerPeople(db, 2, { from: 820 })) as [TestPerson, TestPerson];
  await projectClass(db, { id: CLASS, institutionId: INSTITUTION, stage: 'TRAINING' });
  await db.enrollment.create({
    data: {
      id: `${CLASS}-E001`,
      classId: CLASS,
      personKey: person.personKey,
      category: 'REGISTERED_UNEMPLOYED',
    },
  });
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await cleanup();
});

describe('a person’s own record', () => {
  it('opens with the ID number, the registered name and the code sent to them, and shows their classes', async () => {
    const sent = await askCode(person);
    expect(sent.sent).toBe(true);
    const code = codeIn(sent.simulatedText!);
    expect(code).toMatch(/^\d{6}$/);
    // The simulated channel kept the message for the person (the outbox), never the ID number.
    const outbox = await db.outboxMessage.findMany({ where: { recipient: person.personKey } });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ channel: 'SIMULATED', purpose: 'SELF_SERVICE_CODE' });
    expect(outbox[0]!.body).toContain(code);
    // Only the code's hash is stored.
    expect(JSON.stringify(await db.selfServiceCode.findMany())).not.toContain(code);

    const opened = await post('session', { idNumber: person.idNumber, code }).expect(201);
    expect(opened.headers['cache-control']).toBe('no-store');
    const record = await post('record', { token: opened.body.token }).expect(200);
    expect(record.body.person).toMatchObject({
      nameMasked: maskName(person.name),
      idMasked: maskIdNumber(person.idNumber),
    });
    expect(record.body.classes.map((c: { classId: string }) => c.classId)).toEqual([CLASS]);
    expect(record.body.entitlements.training).toEqual({ used: 0, cap: 3, left: 3 });
    expect(JSON.stringify(record.body)).not.toContain(person.idNumber);
  });

  it('takes a code once only', async () => {
    const code = codeIn((await askCode(person)).simulatedText!);
    await post('session', { idNumber: person.idNumber, code }).expect(201);
    const again = await post('session', { idNumber: person.idNumber, code }).expect(422);
    expect(again.body.errors[0]).toMatchObject({ path: 'code', code: 'CODE_INVALID' });
  });

  it('burns a code after five wrong tries, even if the right one comes next', async () => {
    const code = codeIn((await askCode(other)).simulatedText!)!;
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < CODE_TRIES; i++)
      await post('session', { idNumber: other.idNumber, code: wrong }).expect(422);
    await post('session', { idNumber: other.idNumber, code }).expect(422);
  });

  it('answers alike for a wrong name and for someone not registered, sending nothing', async () => {
    const before = await db.outboxMessage.count();
    const wrongName = await askCode(person, '王某某');
    const nobody = await askCode({
      ...person,
      idNumber: makeIdNumber('130104', '1991-02-03', 77),
      name: '李四',
    });
    for (const answer of [wrongName, nobody]) {
      expect(answer.sent).toBe(true);
      expect(answer.simulatedText).toBeNull();
    }
    expect(await db.outboxMessage.count()).toBe(before);
  });

  it('refuses an expired or unknown token with 401', async () => {
    const code = codeIn((await askCode(other)).simulatedText!);
    const { token } = (await post('session', { idNumber: other.idNumber, code }).expect(201)).body;
    await db.selfServiceSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await post('record', { token }).expect(401)).body.code).toBe('SELF_SERVICE_EXPIRED');
    await post('record', { token: 'not-a-token' }).expect(401);
  });

  it('limits codes per person (429 with Retry-After) and refuses a malformed ID number on its field', async () => {
    let limited;
    for (let i = 0; i < 8 && !limited; i++) {
      const res = await post('code', { idNumber: other.idNumber, name: other.name });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(202);
    }
    expect(limited?.headers['retry-after']).toMatch(/^\d+$/);
    const bad = await post('code', { idNumber: '1301041991', name: '张三' }).expect(422);
    expect(bad.body.errors[0].path).toBe('idNumber');
    await post('code', { idNumber: other.idNumber }).expect(400);
  });

  it('refuses a name with a control character on its field, and sends nothing', async () => {
    const before = await db.outboxMessage.count();
    const bad = await post('code', { idNumber: other.idNumber, name: `${other.name}\b` }).expect(400);
    expect(bad.body.errors[0].path).toBe('name');
    expect(await db.outboxMessage.count()).toBe(before);
  });
});

describe('the satisfaction survey (学员满意度), answered from one’s own record', () => {
  const ENROLMENT = `${CLASS}-E001`;
  const answers = { teaching: 5, practice: 4, overall: 4 };
  let token = '';
  const survey = (body: object) => post('survey', { token, enrollmentId: ENROLMENT, ...answers, ...body });
  const surveyOf = async () =>
    (await post('record', { token }).expect(200)).body.classes.find(
      (c: { enrollmentId: string }) => c.enrollmentId === ENROLMENT,
    ).survey;

  beforeAll(async () => {
    const code = codeIn((await askCode(person)).simulatedText!);
    token = (await post('session', { idNumber: person.idNumber, code }).expect(201)).body.token;
    await projectClass(db, { id: 'SELF-CLASS-2', institutionId: INSTITUTION, stage: 'CLOSED' });
    await db.enrollment.create({
      data: {
        id: 'SELF-CLASS-2-E001',
        classId: 'SELF-CLASS-2',
        personKey: other.personKey,
        category: 'REGISTERED_UNEMPLOYED',
      },
    });
  });

  it('is not open while the class is still training', async () => {
    expect(await surveyOf()).toBe('NOT_OPEN');
    const res = await survey({}).expect(422);
    expect(res.body.errors[0]).toMatchObject({ path: 'enrollmentId', code: 'SURVEY_NOT_OPEN' });
    expect(await db.satisfactionSurvey.count()).toBe(0);
  });

  it('opens when training is over, takes one answer, and refuses a second with 409', async () => {
    await db.trainingClass.update({ where: { id: CLASS }, data: { stage: 'ASSESSMENT' } });
    expect(await surveyOf()).toBe('OPEN');
    const res = await survey({ comment: '实操课很有用' }).expect(201);
    expect(res.body.enrollmentId).toBe(ENROLMENT);
    expect(await db.satisfactionSurvey.findUnique({ where: { enrollmentId: ENROLMENT } })).toMatchObject({
      classId: CLASS,
      institutionId: INSTITUTION,
      ...answers,
      comment: '实操课很有用',
    });
    expect(await surveyOf()).toBe('ANSWERED');
    expect((await survey({ overall: 1 }).expect(409)).body.code).toBe('SURVEY_ANSWERED');
    expect((await db.satisfactionSurvey.findUnique({ where: { enrollmentId: ENROLMENT } }))?.overall).toBe(4);
  });

  it('answers one of two sent at once and refuses the other', async () => {
    await db.satisfactionSurvey.deleteMany();
    const [a, b] = await Promise.all([survey({}), survey({})]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await db.satisfactionSurvey.count()).toBe(1);
  });

  it('is only for one’s own enrolments, with scores 1 to 5, and only with a live token', async () => {
    await survey({ enrollmentId: 'SELF-CLASS-2-E001' }).expect(404);
    await survey({ overall: 6 }).expect(400);
    await survey({ teaching: 0 }).expect(400);
    expect(
      (await post('survey', { token: 'not-a-token', enrollmentId: ENROLMENT, ...answers }).expect(401)).body
        .code,
    ).toBe('SELF_SERVICE_EXPIRED');
  });
});
