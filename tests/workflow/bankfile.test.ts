// The default payment adapter of a bureau: a bank batch-transfer file out, the bank's return file in,
// reconciled to the fen; a refused transfer goes out again in the next file, and nothing is paid twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as m from '../../workflows/messages';
import { FileBatchGateway } from '../../activities/payments';
import { parseBankReturn } from '../../platform/bankReturn';
import { startTestbed, type Testbed } from '../support/temporal';
import { applications, registerPeople } from '../support/people';
import {
  actors,
  eventually,
  passAll,
  plan,
  startClass,
  toAssessment,
  today,
  until,
} from '../support/scenario';
import { HEBEI_2024 } from '../../domain/policy';

jest.setTimeout(120_000);
const DAY = 24 * 3_600_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-bank-'));

let bed: Testbed;
beforeAll(
  async () =>
    (bed = await startTestbed({ policies: [HEBEI_2024], gateway: (db) => new FileBatchGateway(db, dir) })),
);
afterAll(async () => {
  await bed?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('writes the transfer file, reconciles the bank return, and sends a refused transfer again in the next file', async () => {
  const p = plan(await today(bed.env));
  const handle = await startClass(bed.env, 'BANK-1', p);
  const trainees = applications(await registerPeople(bed.db, 2, { from: 990 }), 'BANK-1');
  await toAssessment(bed.env, handle, p, trainees);
  await passAll(bed.env, handle, trainees);
  const s = await until(
    bed.env,
    handle,
    (x) => x.batches.some((b) => b.status === 'AWAITING_APPROVAL'),
    DAY / 2,
  );
  const batch = s.batches.find((b) => b.status === 'AWAITING_APPROVAL')!;
  await handle.executeUpdate(m.approvePaymentUpdate, {
    args: [{ actor: actors.finance, batchId: batch.batchId }],
  });

  // 1st file: the institution's training subsidy and the assessment body's evaluation subsidy, in yuan.
  const first = path.join(dir, `${batch.batchId}-1.csv`);
  await eventually(async () => expect(fs.existsSync(first)).toBe(true));
  const lines = fs
    .readFileSync(first, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 4))).toEqual([
    [`${batch.batchId}:inst-sjz-01`, '石家庄市智联职业培训学校', '0402 0000 1920 0001 234', '1440.00'],
    [`${batch.batchId}:assess-sjz-01`, '石家庄市职业技能鉴定中心', '1302 0100 0400 0003 456', '400.00'],
  ]);

  // The bank pays the institution and refuses the assessment body (account name mismatch).
  const returnFile = `付款编号,状态,银行流水号,失败原因\r\n${batch.batchId}:inst-sjz-01,成功,B0001,\r\n${batch.batchId}:assess-sjz-01,失败,,户名不符\r\n`;
  await handle.signal(m.bankReturnSignal, { batchId: batch.batchId, lines: parseBankReturn(returnFile) });

  // After a back-off the refused transfer goes out alone in the 2nd file; the bank pays it.
  const second = path.join(dir, `${batch.batchId}-2.csv`);
  await until(bed.env, handle, () => fs.existsSync(second), 3_600_000, 48);
  expect(
    fs
      .readFileSync(second, 'utf8')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]),
  ).toEqual([`${batch.batchId}:assess-sjz-01`]);
  await handle.signal(m.bankReturnSignal, {
    batchId: batch.batchId,
    lines: [{ paymentId: `${batch.batchId}:assess-sjz-01`, status: 'PAID', bankRef: 'B0002' }],
  });

  const closed = await handle.result();
  expect([closed.stage, closed.paidFen]).toEqual(['CLOSED', 144_000 + 40_000]);
  const payments = await bed.db.payment.findMany({
    where: { batchId: batch.batchId },
    orderBy: { id: 'asc' },
  });
  expect(payments.map((x) => [x.payee, x.amountFen, x.status, x.bankRef, x.attempts])).toEqual([
    ['assess-sjz-01', 40_000, 'PAID', 'B0002', 2],
    ['inst-sjz-01', 144_000, 'PAID', 'B0001', 1],
  ]);
});
