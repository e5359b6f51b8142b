// What the hostile-input fuzz (tests/api/fuzz.test.ts, issue 13) found, one test each: a refused roster that
// registered people, unsafe characters in admin-entered names, a bank return field too long for the workflow
// service, a 400 the OpenAPI document did not list. Every answer here is also checked against the document
// (tests/api/contract.ts).
import { HEBEI_2024 } from '../../domain/policy';
import { BANK_RETURN_LIMITS } from '../../api/schemas';
import { apiPlan, eventually, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

let t: ApiBed;

beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
});
afterAll(async () => {
  await t?.teardown();
});

const pathsOf = (res: { body: { errors?: { path: string }[] } }) =>
  (res.body.errors ?? []).map((e) => e.path);

/** A class filed by the institution and decided by the caseworker, once the read model shows the decision. */
async function classIn(decision: 'APPROVE' | 'RETURN', capacity = 30): Promise<string> {
  const filed = await t.callers.institutionKey
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan({ title: `模糊测试发现班 ${decision}`, capacity }) })
    .expect(202);
  const id = filed.body.classId as string;
  await eventually(t.bed, async () => {
    const res = await t.callers.caseworker
      .call('post', `/api/v1/cases/${id}/review`)
      .send({ decision, reason: decision === 'RETURN' ? '课程表不完整' : undefined });
    return res.status === 200;
  });
  const stage = decision === 'APPROVE' ? 'ENROLLING' : 'RETURNED';
  await eventually(
    t.bed,
    async () => (await t.bed.db.trainingClass.findUnique({ where: { id } }))?.stage === stage,
  );
  return id;
}

const people = () => t.bed.db.person.count();
const enrol = (classId: string, body: object) =>
  t.callers.institutionKey.call('post', `/api/v1/institution/classes/${classId}/trainees`).send(body);

describe('a refused roster', () => {
  it('registers nobody when the class is not enrolling (409 WRONG_STAGE on a returned class)', async () => {
    const returned = await classIn('RETURN');
    const before = await people();
    const res = await enrol(returned, { trainees: rosterRows(2, 61) }).expect(409);
    expect(res.body.code).toBe('WRONG_STAGE');
    expect(pathsOf(res)).toEqual(['stage']);
    expect(await people()).toBe(before);
  });

  it('registers nobody when the workflow refuses the roster (more trainees than places)', async () => {
    const small = await classIn('APPROVE', 1);
    const before = await people();
    const res = await enrol(small, { trainees: rosterRows(2, 62) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await people()).toBe(before);
    expect(await t.bed.db.enrollment.count({ where: { classId: small } })).toBe(0);

    // The place is still free, and a roster that fits is taken as before.
    const fits = await enrol(small, { trainees: rosterRows(1, 62) }).expect(200);
    expect(fits.body.enrolled).toHaveLength(1);
    expect(await people()).toBe(before + 1);
  });

  it('registers nobody when the reservation refuses a row (a civil servant is not eligible)', async () => {
    const open = await classIn('APPROVE');
    const before = await people();
    const [ok, official] = rosterRows(2, 63);
    const res = await enrol(open, {
      trainees: [ok, { ...official, exclusions: { governmentPayroll: true } }],
    }).expect(422);
    expect(pathsOf(res)[0]).toMatch(/^trainees\.1/);
    expect(await people()).toBe(before);
  });

  it('keeps only the people it enrolled when it enrols the valid rows (validOnly)', async () => {
    const open = await classIn('APPROVE');
    const before = await people();
    const [ok, official] = rosterRows(2, 64);
    const res = await enrol(open, {
      trainees: [ok, { ...official, exclusions: { governmentPayroll: true } }],
      validOnly: true,
    }).expect(200);
    expect(res.body.enrolled.map((e: { row: number }) => e.row)).toEqual([0]);
    expect(res.body.refused.map((r: { row: number }) => r.row)).toEqual([1]);
    expect(await people()).toBe(before + 1);
  });
});

describe('admin-entered text', () => {
  const occupation = (name: { zh: string; en: string }) => ({
    code: '4-99-98-01',
    name,
    shortage: false,
    newOccupation: false,
    levels: [{ level: 'LEVEL_5', standardFen: 90_000, evaluationFen: 18_000, minHours: 60 }],
  });

  it.each([
    ['a bidi isolate (U+2069) in name.zh', { zh: '测试工种\u2069', en: 'Test trade' }, 'name.zh'],
    ['a next-line control (U+0085) in name.en', { zh: '测试工种', en: 'Test\u0085trade' }, 'name.en'],
    ['a right-to-left override in name.zh', { zh: '\u202e种工试测', en: 'Test trade' }, 'name.zh'],
    ['a zero-width space in name.en', { zh: '测试工种', en: 'Test\u200btrade' }, 'name.en'],
  ])('refuses an occupation with %s, naming the field, and stores nothing', async (_l, name, field) => {
    const res = await t.callers.admin
      .call('post', '/api/v1/admin/occupations')
      .set('Accept-Language', 'en')
      .send(occupation(name))
      .expect(400);
    expect(pathsOf(res)).toEqual([field]);
    expect(res.body.errors[0].message).toMatch(/not allowed/);
    expect(await t.bed.db.occupation.findUnique({ where: { code: '4-99-98-01' } })).toBeNull();
  });

  it('refuses a policy version whose name or funding channel has an unsafe character, naming each', async () => {
    const res = await t.callers.admin
      .call('post', '/api/v1/admin/policies')
      .send({
        ...HEBEI_2024,
        id: 'fuzz-finding-1',
        name: { zh: '河北省\u2069通知', en: HEBEI_2024.name.en },
        fundingChannels: ['EMPLOYMENT_SUBSIDY_FUND', 'SKILL\u0085FUND'],
      })
      .expect(400);
    expect(res.body.code).toBe('TEXT_UNSAFE_CHARACTER');
    expect(pathsOf(res)).toEqual(['name.zh', 'fundingChannels.1']);
    expect(await t.bed.db.policyVersion.findUnique({ where: { id: 'fuzz-finding-1' } })).toBeNull();
  });
});

describe('the bank return file', () => {
  const upload = (csv: string) =>
    t.callers.finance
      .call('post', '/api/v1/payments/bank-returns')
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(csv, 'utf8'));
  const HEADER = '付款编号,状态,银行流水号,失败原因\n';

  it('refuses a reason over its documented length with 400 naming the field, never a 5xx', async () => {
    const res = await upload(`${HEADER}P-1,失败,,${'户'.repeat(400_000)}\n`).expect(400);
    expect(pathsOf(res)).toEqual(['lines.0.reason']);
  });

  it('refuses a bank reference over its length and one with a control character, each by its path', async () => {
    const long = 'R'.repeat(BANK_RETURN_LIMITS.bankRef + 1);
    const res = await upload(`${HEADER}P-1,成功,${long},\nP-2,失败,R2,账户\u0085已冻结\n`).expect(400);
    expect(pathsOf(res)).toEqual(['lines.0.bankRef', 'lines.1.reason']);
  });

  it('refuses a file naming a payment of an ended case with 409 for that line, signalling nobody', async () => {
    const filed = await t.callers.institutionKey
      .call('post', '/api/v1/institution/classes')
      .send({ plan: apiPlan({ title: '已终止的班级' }) })
      .expect(202);
    const classId = filed.body.classId as string;
    await t.bed.env.client.workflow.getHandle(classId).terminate('the case ended');
    const batchId = `${classId}-A`;
    await t.bed.db.paymentBatch.create({
      data: {
        id: batchId,
        classId,
        kind: 'ADVANCE',
        totalFen: 100,
        status: 'SUBMITTED',
        payments: {
          create: { id: `${batchId}:inst`, payee: 'inst', amountFen: 100, status: 'PENDING' },
        },
      },
    });
    const res = await upload(`${HEADER}${batchId}:inst,成功,R1,\n`).expect(409);
    expect(res.body.code).toBe('CASE_CLOSED');
    expect(pathsOf(res)).toEqual(['lines.0.paymentId']);
  });

  it(`refuses a file of more than ${BANK_RETURN_LIMITS.lines} lines`, async () => {
    const lines = Array.from({ length: BANK_RETURN_LIMITS.lines + 1 }, (_, i) => `P-${i},成功,R${i},`);
    const res = await upload(`${HEADER}${lines.join('\n')}\n`).expect(400);
    expect(pathsOf(res)).toEqual(['lines']);
  });
});

describe('the OpenAPI document', () => {
  it('documents 400 on every operation with a path parameter (a broken percent-escape is refused there)', async () => {
    const doc = (await t.callers.anonymous.call('get', '/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const missing = Object.entries(doc.paths)
      .filter(([path]) => path.includes('{'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method} ${path}`, op] as const))
      .filter(([, op]) => !op.responses['400'])
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('answers a broken percent-escape in a path with the documented 400', async () => {
    const res = await t.callers.finance.call('get', '/api/v1/payments/batches/%E0%A4%A/payees').expect(400);
    expect(res.body.code).toBe('BAD_REQUEST');
  });
});
