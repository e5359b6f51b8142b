// Correcting a payee's bank account (the way out of a CORRECT_PAYMENT task) and the access audit, on the
// read model alone (no workflow is involved until the batch is approved again).
import { createApp } from '../../api/app';
import { createTestDb } from '../support/db';
import { appWithoutTemporal, createUser, PASSWORD } from './support';
import { checkedAgent } from './contract';
import { SimulatedBank } from '../../activities/payments';

const BATCH = 'SJZ-2026-000042-S1';

let t: Awaited<ReturnType<typeof createTestDb>>;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestDb();
  await createUser(t.db, 'fin', 'FINANCE');
  await createUser(t.db, 'admin', 'ADMIN');
  await createUser(t.db, 'mgr', 'MANAGER');
  await createUser(t.db, 'cw', 'CASEWORKER');
  await t.db.paymentBatch.create({
    data: {
      id: BATCH,
      classId: 'SJZ-2026-000042',
      kind: 'SETTLEMENT',
      totalFen: 150_000,
      status: 'AWAITING_CORRECTION',
      payments: {
        create: [
          {
            id: `${BATCH}:T:1`,
            payee: 'inst-sjz-01',
            amountFen: 90_000,
            status: 'FAILED',
            attempts: 3,
            failure: '账户名与账号不符',
          },
          {
            id: `${BATCH}:T:2`,
            payee: 'inst-sjz-01',
            amountFen: 45_000,
            status: 'FAILED',
            attempts: 3,
            failure: '账户名与账号不符',
          },
          { id: `${BATCH}:E:1`, payee: 'assess-sjz-01', amountFen: 15_000, status: 'PAID', attempts: 1 },
        ],
      },
    },
  });
  app = appWithoutTemporal(t.db);
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await t.cleanup();
});

async function login(username: string) {
  const agent = checkedAgent(app);
  const res = await agent.post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200);
  const csrf = res.body.csrfToken as string;
  return {
    get: (path: string) => agent.get(path),
    post: (path: string, body: object) => agent.post(path).set('X-CSRF-Token', csrf).send(body),
  };
}

describe('a payee the bank keeps refusing', () => {
  it('shows finance who is unpaid and why, and lets finance correct the account with a reason, on the record', async () => {
    const fin = await login('fin');
    const payees = await fin.get(`/api/v1/payments/batches/${BATCH}/payees`).expect(200);
    expect(payees.body).toEqual({
      batchId: BATCH,
      status: 'AWAITING_CORRECTION',
      payees: [
        expect.objectContaining({
          institutionId: 'assess-sjz-01',
          amountFen: 15_000,
          unpaid: 0,
          lastFailure: null,
        }),
        {
          institutionId: 'inst-sjz-01',
          name: '石家庄市智联职业培训学校',
          bankAccount: '0402 0000 1920 0001 234',
          amountFen: 135_000,
          unpaid: 2,
          lastFailure: '账户名与账号不符',
        },
      ],
    });

    const bad = await fin.post('/api/v1/admin/institutions/inst-sjz-01/bank-account', {
      bankAccount: '6222-abc',
      reason: '银行退回：账号错误',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('bankAccount');
    const same = await fin.post('/api/v1/admin/institutions/inst-sjz-01/bank-account', {
      bankAccount: '040200001920 0001234',
      reason: '核对',
    });
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('BANK_ACCOUNT_UNCHANGED');
    const noReason = await fin.post('/api/v1/admin/institutions/inst-sjz-01/bank-account', {
      bankAccount: '6222 0204 0200 1234 567',
    });
    expect(noReason.status).toBe(400);
    expect(await t.db.accessAudit.count()).toBe(0);

    const fixed = await fin
      .post('/api/v1/admin/institutions/inst-sjz-01/bank-account', {
        bankAccount: '6222 0204 0200 1234 567',
        reason: '银行退回：账号错误，机构来函更正',
      })
      .expect(200);
    expect(fixed.body).toEqual({ id: 'inst-sjz-01', bankAccount: '6222020402001234567' });
    expect((await t.db.institution.findUnique({ where: { id: 'inst-sjz-01' } }))?.bankAccount).toBe(
      '6222020402001234567',
    );
    // The transfer file now carries the corrected account.
    const file = await fin.get(`/api/v1/payments/batches/${BATCH}/export`).expect(200);
    expect(file.text).toContain('6222020402001234567');

    const admin = await login('admin');
    const audit = await admin.get('/api/v1/admin/audit?action=BANK_ACCOUNT_CORRECTED').expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        userId: 'u-fin',
        subject: 'inst-sjz-01',
        reason: '银行退回：账号错误，机构来函更正',
        detail: { from: '…1234', to: '…4567' },
      }),
    ]);
    (await login('mgr')).get('/api/v1/admin/audit').expect(200);
    await fin.get('/api/v1/admin/audit').expect(403);
    await (
      await login('cw')
    )
      .post('/api/v1/admin/institutions/inst-sjz-01/bank-account', {
        bankAccount: '6222020402009999999',
        reason: '试图修改',
      })
      .expect(403);
  });

  it('reads a bank return file uploaded as a form (as the payments page sends it) and names unknown payments', async () => {
    const agent = checkedAgent(app);
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ username: 'fin', password: PASSWORD })
      .expect(200);
    const res = await agent
      .post('/api/v1/payments/bank-returns')
      .set('X-CSRF-Token', login.body.csrfToken as string)
      .attach('file', Buffer.from('付款编号,状态,银行流水号,失败原因\nNO-SUCH-PAYMENT,成功,B-1,\n'), {
        filename: 'return.csv',
        contentType: 'text/csv',
      });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'lines.0.paymentId', code: 'UNKNOWN_PAYMENT' }),
    ]);
  });

  it('has the simulated bank refuse an account it does not know until finance corrects it, and pay that payment once', async () => {
    // inst-sjz-02's account as the reference data holds it, written with other spacing: the bank ignores spaces.
    const bank = new SimulatedBank(t.db, 0, ['130201000400 0002345']);
    const submission = (attempt: number) => ({
      classId: 'SJZ-2026-000043',
      batchId: 'SJZ-2026-000043-A',
      attempt,
      payments: [
        { paymentId: 'SJZ-2026-000043-A:inst-sjz-02', payee: 'inst-sjz-02', amountFen: 240_000 },
        { paymentId: 'SJZ-2026-000043-A:assess-sjz-01', payee: 'assess-sjz-01', amountFen: 10_000 },
      ],
    });
    const refused = await bank.submit(submission(1));
    expect(refused.mode === 'SYNC' && refused.results).toEqual([
      { paymentId: 'SJZ-2026-000043-A:inst-sjz-02', status: 'FAILED', reason: '账户名与账号不符' },
      {
        paymentId: 'SJZ-2026-000043-A:assess-sjz-01',
        status: 'PAID',
        bankRef: 'SIM-SJZ-2026-000043-A:assess-sjz-01',
      },
    ]);
    await (
      await login('fin')
    )
      .post('/api/v1/admin/institutions/inst-sjz-02/bank-account', {
        bankAccount: '6222 0204 0200 5555 001',
        reason: '银行退回：账号错误，机构来函更正',
      })
      .expect(200);
    const paid = await bank.submit(submission(2));
    expect(paid.mode === 'SYNC' && paid.results.map((r) => r.status)).toEqual(['PAID', 'PAID']);
    // Each payment reached the bank as a transfer once.
    expect(bank.transfers).toEqual([
      { paymentId: 'SJZ-2026-000043-A:assess-sjz-01', amountFen: 10_000 },
      { paymentId: 'SJZ-2026-000043-A:inst-sjz-02', amountFen: 240_000 },
    ]);
  });

  it('lists payees for finance and admin', async () => {
    const fin = await login('fin');
    const list = await fin.get('/api/v1/admin/institutions?kind=ASSESSMENT').expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain('assess-sjz-01');
    expect(list.body.items.every((i: { kind: string }) => i.kind === 'ASSESSMENT')).toBe(true);
  });
});
