// 电子培训券 (issue 16 point 2) through the API on the real workflow: a programme set up by the bureau's management,
// vouchers issued to people of the registry (by ID number and by rule, never beyond the quantity even when two
// issue at once), claimed by the person from their self-service page, reserved by an enrolment (required by the
// roster or not), released by a withdrawal, never reserved twice under concurrent enrolments into two classes,
// and expired by the programme's durable timer when its days are over.
import { HEBEI_2024 } from '../../domain/policy';
import { addDays, shanghaiDate } from '../../domain/dates';
import { maskIdNumber } from '../../domain/masking';
import { personKey } from '../../domain/pii';
import { voucherProgrammeWorkflowId } from '../../workflows/messages';
import { checkedRequest } from './contract';
import { apiPlan, enrollingClass, INSTITUTION, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(240_000);

let t: ApiBed;
const today = shanghaiDate(new Date().toISOString());
const COOK = '4-03-02-01';
const PASTRY = '4-03-02-02';
// Seven made-up people: A, B, D, E registered unemployed, C a rural migrant, X never registered, F for the race.
const [A, B, C, D, E, X, F] = rosterRows(7, 83);
const programme = (over: object = {}) => ({
  name: '2026年城镇登记失业人员烹饪培训券',
  occupationCodes: [COOK, PASTRY],
  levels: ['LEVEL_5'],
  categories: ['REGISTERED_UNEMPLOYED'],
  institutionIds: [INSTITUTION],
  validFrom: today,
  validUntil: addDays(today, 60),
  quantity: 4,
  fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
  ...over,
});
let programmeId = '';

const register = (p: { idNumber: string; name: string }, category: string) =>
  t.callers.caseworker
    .call('post', '/api/v1/people/registry')
    .send({ idNumber: p.idNumber, name: p.name, category, district: '长安区' })
    .expect(200);
const issue = (body: object) =>
  t.callers.caseworker.call('post', `/api/v1/vouchers/programmes/${programmeId}/issue`).send(body);
/** The person's voucher of a programme (the first one set up unless said), as the read model holds it. */
const voucherOf = async (p: { idNumber: string }, programme = programmeId) =>
  t.bed.db.voucher.findUnique({
    where: {
      programmeId_personKey: {
        programmeId: programme,
        personKey: personKey(p.idNumber, t.settings.personKeySecret),
      },
    },
  });
/** The first of B, D, E and F (the rule's candidates) who holds a voucher of the first programme, or who holds none. */
const firstOfRule = async (holding: boolean) => {
  for (const p of [B!, D!, E!, F!]) if (!!(await voucherOf(p)) === holding) return p;
  throw new Error(`none of B, D, E, F ${holding ? 'holds' : 'lacks'} a voucher`);
};
const counts = async () =>
  (await t.callers.finance.call('get', '/api/v1/vouchers/programmes').expect(200)).body.items.find(
    (x: { programmeId: string }) => x.programmeId === programmeId,
  ).vouchers;
const self = (path: string, body: object) =>
  checkedRequest(t.app).post(`/api/v1/public/me/${path}`).set('Accept-Language', 'zh-CN').send(body);
async function tokenOf(p: { idNumber: string; name: string }): Promise<string> {
  const sent = (await self('code', { idNumber: p.idNumber, name: p.name }).expect(202)).body;
  const code = /验证码为 (\d{6})/.exec(sent.simulatedText ?? '')?.[1];
  return (await self('session', { idNumber: p.idNumber, code }).expect(201)).body.token;
}
const enrol = (classId: string, people: object[], extra: object = {}) =>
  t.callers.institution
    .call('post', `/api/v1/institution/classes/${classId}/trainees`)
    .send({ trainees: people, requireVoucher: true, ...extra });

beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  for (const p of [A!, B!, D!, E!, F!]) await register(p, 'REGISTERED_UNEMPLOYED');
  await register(C!, 'RURAL_MIGRANT');
});
afterAll(() => t?.teardown());

describe('a voucher programme', () => {
  it('is set up by a manager, with every catalogue or policy problem on its field', async () => {
    const bad = await t.callers.manager
      .call('post', '/api/v1/vouchers/programmes')
      .send(programme({ occupationCodes: [COOK, '9-99-99-99'], fundingChannel: 'NO_SUCH_FUND' }))
      .expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'fundingChannel',
      'occupationCodes.1',
    ]);
    const backwards = await t.callers.manager
      .call('post', '/api/v1/vouchers/programmes')
      .send(programme({ validFrom: addDays(today, 5), validUntil: today }));
    expect([400, 422]).toContain(backwards.status);
    expect(backwards.body.errors.map((e: { path: string }) => e.path)).toContain('validUntil');
    expect(await t.bed.db.voucherProgramme.count()).toBe(0);

    const made = await t.callers.manager
      .call('post', '/api/v1/vouchers/programmes')
      .send(programme())
      .expect(201);
    programmeId = made.body.programmeId;
    expect(programmeId).toMatch(/^VP-/);
    // its last day is kept by a running workflow
    const d = await t.bed.env.client.workflow.getHandle(voucherProgrammeWorkflowId(programmeId)).describe();
    expect(d.status.name).toBe('RUNNING');
    expect(await counts()).toEqual({
      issued: 0,
      claimed: 0,
      reserved: 0,
      redeemed: 0,
      expired: 0,
      remaining: 4,
    });
  });

  it('issues vouchers to registered people of its categories only, once each', async () => {
    // a number that is not an ID number refuses the whole request on its field, and nobody gets a voucher
    const malformed = await issue({ idNumbers: [A!.idNumber, '13010419900101123'] }).expect(422);
    expect(malformed.body.errors.map((e: { path: string }) => e.path)).toEqual(['idNumbers.1']);
    expect(await t.bed.db.voucher.count()).toBe(0);
    const res = await issue({ idNumbers: [A!.idNumber, C!.idNumber, X!.idNumber, A!.idNumber] }).expect(200);
    expect(res.body.issued).toHaveLength(1);
    expect(res.body.issued[0].idMasked).toBe(maskIdNumber(A!.idNumber));
    const why = Object.fromEntries(
      res.body.refused.map((r: { ref: string; errors: { code: string }[] }) => [
        r.ref,
        r.errors.map((e) => e.code),
      ]),
    );
    expect(why).toEqual({
      [maskIdNumber(C!.idNumber)]: ['VOUCHER_CATEGORY'],
      [maskIdNumber(X!.idNumber)]: ['NOT_REGISTERED'],
    });
    const again = await issue({ idNumbers: [A!.idNumber] }).expect(200);
    expect(again.body.issued).toEqual([]);
    expect(again.body.refused[0].errors.map((e: { code: string }) => e.code)).toEqual(['VOUCHER_HELD']);
    // the person is told through the delivery channel, by pseudonymous key, never by ID number
    const told = await t.bed.db.outboxMessage.findMany({ where: { purpose: 'TRAINING_VOUCHER' } });
    expect(told).toHaveLength(1);
    expect(told[0]!.body).not.toContain(A!.idNumber);
  });

  it('never issues beyond its quantity, even when two issue by rule at once', async () => {
    // three left (quantity 4, A holds one) and four registered unemployed without one (B, D, E, F): two rules
    // of three each, at once
    const [one, two] = await Promise.all([issue({ rule: { limit: 3 } }), issue({ rule: { limit: 3 } })]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body.issued.length + two.body.issued.length).toBe(3);
    expect(await t.bed.db.voucher.count({ where: { programmeId } })).toBe(4);
    expect(await counts()).toMatchObject({ issued: 4, claimed: 0, remaining: 0 });
    const more = await issue({ rule: { limit: 5 } }).expect(200);
    expect(more.body.issued).toEqual([]);
    // B, D, E and F were the candidates: three of them got the vouchers left, the fourth could not
    const holders = await Promise.all([B!, D!, E!, F!].map((p) => voucherOf(p)));
    expect(holders.filter(Boolean)).toHaveLength(3);
  });
});

describe('a person’s voucher', () => {
  let tokenA = '';
  it('is in their own record, claimed there once, and not by anyone else', async () => {
    tokenA = await tokenOf(A!);
    const record = (await self('record', { token: tokenA }).expect(200)).body;
    expect(record.vouchers).toEqual([
      expect.objectContaining({
        programmeId,
        status: 'ISSUED',
        occupationCodes: [COOK, PASTRY],
        classId: null,
      }),
    ]);
    const voucherId = record.vouchers[0].voucherId as string;
    await self('vouchers/claim', { token: tokenA, voucherId }).expect(200, { voucherId, status: 'CLAIMED' });
    const twice = await self('vouchers/claim', { token: tokenA, voucherId }).expect(409);
    expect(twice.body.code).toBe('VOUCHER_NOT_CLAIMABLE');
    // another holder cannot claim A's voucher with their own token
    const someone = await firstOfRule(true);
    await self('vouchers/claim', { token: await tokenOf(someone), voucherId }).expect(404);
    expect((await voucherOf(A!))?.status).toBe('CLAIMED');
    expect(await counts()).toMatchObject({ claimed: 1 });
  });

  it('is reserved by an enrolment that requires one, refused to a person without, released by a withdrawal', async () => {
    const classId = await enrollingClass(t, '凭券班：中式烹调师（五级）');
    const holderOfIssued = await firstOfRule(true);
    // A holds a claimed voucher; the other has only an issued (unclaimed) one: nobody is enrolled
    const refused = await enrol(classId, [A!, holderOfIssued]).expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: 'trainees.1.voucher', code: 'VOUCHER_REQUIRED' }),
    ]);
    expect((await voucherOf(A!))?.status).toBe('CLAIMED');
    expect(await t.bed.db.enrollment.count({ where: { classId } })).toBe(0);

    const taken = await enrol(classId, [A!]).expect(200);
    const enrollmentId = taken.body.enrolled[0].enrollmentId as string;
    expect(await voucherOf(A!)).toMatchObject({ status: 'RESERVED', classId, enrollmentId });
    expect(await counts()).toMatchObject({ reserved: 1 });

    await t.callers.institution
      .call('delete', `/api/v1/institution/classes/${classId}/trainees/${enrollmentId}`)
      .send({ reason: '个人原因' })
      .expect(204);
    expect(await voucherOf(A!)).toMatchObject({ status: 'CLAIMED', classId: null, enrollmentId: null });
  });

  it('is reserved once when the person is enrolled into two classes at once', async () => {
    // A cook class now, a pastry class after it: the subsidy rules take both; the one voucher takes one.
    const later = addDays(today, 50);
    const cook = await enrollingClass(t, '凭券班：中式烹调师（五级）二期');
    const pastry = await enrollingClass(t, '凭券班：中式面点师（五级）', {
      occupationCode: PASTRY,
      plannedStart: later,
      plannedEnd: addDays(later, 20),
      courseTable: [{ ...apiPlan().courseTable[0]!, date: later }],
      plannedAssessmentDate: addDays(later, 23),
    });
    const answers = await Promise.all([enrol(cook, [A!]), enrol(pastry, [A!])]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    const lost = answers.find((r) => r.status === 422)!;
    expect(lost.body.errors.map((e: { code: string }) => e.code)).toEqual(['VOUCHER_REQUIRED']);
    const won = answers[0]!.status === 200 ? cook : pastry;
    expect(await voucherOf(A!)).toMatchObject({ status: 'RESERVED', classId: won });
    expect(
      await t.bed.db.voucher.count({
        where: { personKey: personKey(A!.idNumber, t.settings.personKeySecret), status: 'RESERVED' },
      }),
    ).toBe(1);
  });

  it('expires with its programme unless an enrolment holds it; released after its last day, it expires then', async () => {
    // A programme whose last day is tomorrow (no class deadline falls before it): C claims its voucher and
    // enrols with it; the one registrant left without a voucher of the first programme gets one and never claims.
    const short = await t.callers.manager
      .call('post', '/api/v1/vouchers/programmes')
      .send(
        programme({
          name: '农村转移劳动力短期培训券',
          categories: ['REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT'],
          validUntil: addDays(today, 1),
          quantity: 2,
        }),
      )
      .expect(201);
    const shortId = short.body.programmeId as string;
    const unclaimed = await firstOfRule(false);
    const issued = await t.callers.caseworker
      .call('post', `/api/v1/vouchers/programmes/${shortId}/issue`)
      .send({ idNumbers: [C!.idNumber, unclaimed.idNumber] })
      .expect(200);
    expect(issued.body.issued).toHaveLength(2);
    const tokenC = await tokenOf(C!);
    const mine = (await self('record', { token: tokenC }).expect(200)).body.vouchers;
    await self('vouchers/claim', { token: tokenC, voucherId: mine[0].voucherId }).expect(200);
    const classId = await enrollingClass(t, '凭券班：中式烹调师（五级）三期');
    const enrolled = await enrol(classId, [C!]).expect(200);
    const enrollmentId = enrolled.body.enrolled[0].enrollmentId as string;
    const statusOf = async (p: { idNumber: string }) => (await voucherOf(p, shortId))?.status;
    expect(await statusOf(C!)).toBe('RESERVED');

    // the durable timer: the test server skips to the end of the last day (24:00 Asia/Shanghai)
    const result = await t.bed.env.client.workflow.getHandle(voucherProgrammeWorkflowId(shortId)).result();
    expect(result).toEqual({ expired: 1 });
    expect(await statusOf(unclaimed)).toBe('EXPIRED');
    expect(await statusOf(C!)).toBe('RESERVED');
    const view = (
      await t.callers.finance.call('get', '/api/v1/vouchers/programmes').expect(200)
    ).body.items.find((x: { programmeId: string }) => x.programmeId === shortId);
    expect(view.vouchers).toMatchObject({ issued: 2, claimed: 1, reserved: 1, expired: 1, redeemed: 0 });

    // Its days are over (by the wall clock too): the class lets C go, and the voucher expires.
    await t.bed.db.voucherProgramme.update({
      where: { id: shortId },
      data: { validUntil: addDays(today, -1) },
    });
    await t.callers.institution
      .call('delete', `/api/v1/institution/classes/${classId}/trainees/${enrollmentId}`)
      .send({ reason: '个人原因' })
      .expect(204);
    expect(await statusOf(C!)).toBe('EXPIRED');
    const closed = await t.callers.caseworker
      .call('post', `/api/v1/vouchers/programmes/${shortId}/issue`)
      .send({ idNumbers: [A!.idNumber] })
      .expect(409);
    expect(closed.body.code).toBe('VOUCHER_PROGRAMME_ENDED');
  });
});
