// 政策找人 (issue 16 point 3): the registry, the candidates of an enrolling class by the enrolment rules (registered
// unemployed first, then the longest registered), invitations through the delivery channel, and the person's answer.
import type { Express } from 'express';
import type { Db } from '../../platform/db';
import { createTestDb } from '../support/db';
import { registerPeople, type TestPerson } from '../support/people';
import { maskName } from '../../domain/masking';
import { addDays, shanghaiDate } from '../../domain/dates';
import {
  appWithoutTemporal,
  INSTITUTION,
  loggedIn,
  OTHER_INSTITUTION,
  projectClass,
  type Caller,
} from './support';
import { checkedRequest } from './contract';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
let as: Record<string, Caller> = {};
let people: TestPerson[];
const CLASS = 'OUT-CLASS-1';
const TRAINING = 'OUT-CLASS-2';
const COOK = '4-03-02-01';
const start = addDays(shanghaiDate(new Date().toISOString()), 20);
const ids: Record<string, string> = {};

const register = (who: string, p: TestPerson, category: string, registeredOn: string, name = p.name) =>
  as[who]!.call('post', '/api/v1/people/registry').send({
    idNumber: p.idNumber,
    name,
    category,
    district: '长安区',
    registeredOn,
  });
const candidates = (query = '') => as.cw!.call('get', `/api/v1/cases/${CLASS}/candidates${query}`);
const self = (path: string, body: object) =>
  checkedRequest(app).post(`/api/v1/public/me/${path}`).set('Accept-Language', 'zh-CN').send(body);

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  people = await registerPeople(db, 6, { from: 960 });
  await projectClass(db, {
    id: CLASS,
    institutionId: INSTITUTION,
    stage: 'ENROLLING',
    plan: { occupationCode: COOK, plannedStart: start, plannedEnd: addDays(start, 20) },
  });
  await projectClass(db, { id: TRAINING, institutionId: INSTITUTION, stage: 'TRAINING' });
  as = await loggedIn(db, app, [
    ['cw', 'CASEWORKER'],
    ['mgr', 'MANAGER'],
    ['fin', 'FINANCE'],
    ['inst', 'INSTITUTION', INSTITUTION],
    ['other', 'INSTITUTION', OTHER_INSTITUTION],
  ] as const);
  const [p0, p1, p2, p3, p4, p5] = people as [
    TestPerson,
    TestPerson,
    TestPerson,
    TestPerson,
    TestPerson,
    TestPerson,
  ];
  const registered = [
    ['p0', p0, 'REGISTERED_UNEMPLOYED', '2026-05-01'],
    ['p1', p1, 'RURAL_MIGRANT', '2026-01-01'],
    ['p2', p2, 'REGISTERED_UNEMPLOYED', '2026-02-01'],
    ['p3', p3, 'REGISTERED_UNEMPLOYED', '2026-01-15'],
    ['p4', p4, 'EMPLOYMENT_DIFFICULTY', '2026-01-10'],
    ['p5', p5, 'REGISTERED_UNEMPLOYED', '2026-01-05'],
  ] as const;
  for (const [tag, p, category, on] of registered) {
    const res = await register('cw', p, category, on).expect(200);
    expect(res.body.created).toBe(true);
    ids[tag] = res.body.registrantId;
  }
  // p3 was trained in this occupation already; p4 holds a place in another class at the same time; p5 is enrolled
  const record = (p: TestPerson, classId: string, data: Record<string, unknown>) =>
    db.subsidyRecord.create({
      data: {
        id: `${classId}:${p.personKey}:TRAINING`,
        personKey: p.personKey,
        kind: 'TRAINING',
        classId,
        level: 'LEVEL_4',
        ...data,
      } as never,
    });
  await record(p3, 'OLD-1', {
    occupationCode: COOK,
    periodStart: '2025-03-01',
    periodEnd: '2025-03-31',
    status: 'PAID',
  });
  await record(p4, 'OTHER-1', {
    occupationCode: '4-10-01-06',
    periodStart: addDays(start, 5),
    periodEnd: addDays(start, 30),
    status: 'RESERVED',
  });
  await db.enrollment.create({
    data: { id: `${CLASS}-E001`, classId: CLASS, personKey: p5.personKey, category: 'REGISTERED_UNEMPLOYED' },
  });
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await cleanup();
});

describe('the registry (人员库)', () => {
  it('updates a person registered before, and refuses a name that is not the registered one', async () => {
    const again = await register('mgr', people[1]!, 'RURAL_MIGRANT', '2026-01-01').expect(200);
    expect(again.body).toEqual({ registrantId: ids.p1, created: false });
    const wrong = await register('cw', people[1]!, 'RURAL_MIGRANT', '2026-01-01', '冒名者').expect(422);
    expect(wrong.body.errors[0]).toMatchObject({ path: 'name', code: 'NAME_MISMATCH' });
    await as.inst!.call('post', '/api/v1/people/registry').send({}).expect(403);
  });
});

describe('the people a class could invite (政策找人)', () => {
  it('lists whom enrolment would accept, registered unemployed first, then the longest registered', async () => {
    const page = (await candidates().expect(200)).body;
    // p3 trained in cookery already, p4 in an overlapping class, p5 enrolled: not candidates
    expect(page.items.map((c: { registrantId: string }) => c.registrantId)).toEqual([ids.p2, ids.p0, ids.p1]);
    expect(page.items[0]).toMatchObject({
      nameMasked: maskName(people[2]!.name),
      category: 'REGISTERED_UNEMPLOYED',
      district: '长安区',
      registeredOn: '2026-02-01',
      invitation: null,
    });
    expect(JSON.stringify(page)).not.toContain(people[2]!.idNumber);
    expect(page.nextCursor).toBeNull();
  });

  it('pages through the registry with a cursor', async () => {
    const first = (await candidates('?limit=2').expect(200)).body;
    expect(first.items.map((c: { registrantId: string }) => c.registrantId)).toEqual([ids.p2, ids.p0]);
    const second = (await candidates(`?limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items.map((c: { registrantId: string }) => c.registrantId)).toEqual([ids.p1]);
    expect(second.nextCursor).toBeNull();
  });

  it('is for an enrolling class only, and for the bureau only', async () => {
    const res = await as.cw!.call('get', `/api/v1/cases/${TRAINING}/candidates`).expect(409);
    expect(res.body.code).toBe('CLASS_NOT_ENROLLING');
    await as.inst!.call('get', `/api/v1/cases/${CLASS}/candidates`).expect(403);
    await as.fin!.call('get', `/api/v1/cases/${CLASS}/candidates`).expect(403);
  });
});

describe('invitations', () => {
  it('sends one to each candidate named, refuses one the rules refuse, and never sends twice', async () => {
    const res = await as.cw!.call('post', `/api/v1/cases/${CLASS}/invitations`).send({
      registrantIds: [ids.p2, ids.p3],
    });
    expect(res.status).toBe(200);
    expect(res.body.sent.map((s: { registrantId: string }) => s.registrantId)).toEqual([ids.p2]);
    expect(res.body.refused).toEqual([
      {
        registrantId: ids.p3,
        errors: expect.arrayContaining([expect.objectContaining({ code: 'ALREADY_TRAINED_IN_OCCUPATION' })]),
      },
    ]);
    const outbox = await db.outboxMessage.findMany({ where: { purpose: 'CLASS_INVITATION' } });
    expect(outbox.map((m) => m.recipient)).toEqual([people[2]!.personKey]);
    expect(outbox[0]!.body).toContain('正在招生');

    const again = await as
      .cw!.call('post', `/api/v1/cases/${CLASS}/invitations`)
      .send({ registrantIds: [ids.p2] });
    expect(again.body).toEqual({ sent: [], refused: [] });
    expect(await db.outboxMessage.count({ where: { purpose: 'CLASS_INVITATION' } })).toBe(1);

    const page = (await candidates().expect(200)).body;
    expect(page.items[0]).toMatchObject({ registrantId: ids.p2, invitation: 'SENT' });
    expect(page.invitations).toEqual({ sent: 1, accepted: 0, declined: 0 });
    await as
      .mgr!.call('post', `/api/v1/cases/${CLASS}/invitations`)
      .send({ registrantIds: [ids.p0] })
      .expect(403);
  });

  it('reaches the person, who answers it once from their own record; the class sees the answer', async () => {
    const p2 = people[2]!;
    const sent = (await self('code', { idNumber: p2.idNumber, name: p2.name }).expect(202)).body;
    const code = /验证码为 (\d{6})/.exec(sent.simulatedText)![1];
    const { token } = (await self('session', { idNumber: p2.idNumber, code }).expect(201)).body;
    const record = (await self('record', { token }).expect(200)).body;
    expect(record.invitations).toEqual([
      expect.objectContaining({ classId: CLASS, status: 'SENT', stage: 'ENROLLING', plannedStart: start }),
    ]);
    const invitationId = record.invitations[0].invitationId;
    const answered = await self('invitations/respond', { token, invitationId, accept: true }).expect(200);
    expect(answered.body).toEqual({ invitationId, status: 'ACCEPTED' });
    expect(
      (await self('invitations/respond', { token, invitationId, accept: false }).expect(409)).body.code,
    ).toBe('INVITATION_ANSWERED');
    await self('invitations/respond', { token: 'nope', invitationId, accept: true }).expect(401);

    const list = (await as.mgr!.call('get', `/api/v1/cases/${CLASS}/invitations`).expect(200)).body.items;
    expect(list).toEqual([
      expect.objectContaining({
        invitationId,
        registrantId: ids.p2,
        status: 'ACCEPTED',
        nameMasked: maskName(p2.name),
      }),
    ]);
    expect((await candidates().expect(200)).body.invitations).toEqual({ sent: 0, accepted: 1, declined: 0 });
  });

  it('shows the class’s institution who said yes, and only them; another institution nothing', async () => {
    // One more invitation, not answered: the institution does not learn who was invited.
    await db.invitation.create({
      data: {
        id: 'INV-unanswered',
        classId: CLASS,
        registrantId: ids.p0!,
        personKey: people[0]!.personKey,
        status: 'SENT',
        sentBy: 'u-cw',
      },
    });
    const theirs = (await as.inst!.call('get', `/api/v1/cases/${CLASS}/invitations`).expect(200)).body.items;
    expect(theirs).toEqual([
      expect.objectContaining({
        registrantId: ids.p2,
        status: 'ACCEPTED',
        nameMasked: maskName(people[2]!.name),
      }),
    ]);
    const bureau = (await as.cw!.call('get', `/api/v1/cases/${CLASS}/invitations`).expect(200)).body.items;
    expect(bureau.map((i: { status: string }) => i.status).sort()).toEqual(['ACCEPTED', 'SENT']);
    await as.other!.call('get', `/api/v1/cases/${CLASS}/invitations`).expect(404);
    await db.invitation.delete({ where: { id: 'INV-unanswered' } });
  });

  it('is not someone else’s to answer', async () => {
    const p0 = people[0]!;
    const sent = (await self('code', { idNumber: p0.idNumber, name: p0.name }).expect(202)).body;
    const code = /验证码为 (\d{6})/.exec(sent.simulatedText)![1];
    const { token } = (await self('session', { idNumber: p0.idNumber, code }).expect(201)).body;
    const theirs = await db.invitation.findFirstOrThrow({ where: { personKey: people[2]!.personKey } });
    await self('invitations/respond', { token, invitationId: theirs.id, accept: false }).expect(404);
  });
});
