// 电子培训券 in the settlement and release activities (activities/index.ts with activities/vouchers.ts): the paid
// people's vouchers are redeemed, the others' go back to their holders (or expire when the programme has ended), a
// withdrawal releases one, and the programme's timer expires the unused ones — each once, whatever is retried.
import { createActivities } from '../../../activities';
import type { PaymentGateway } from '../../../activities/payments';
import type { Db } from '../../../platform/db';
import { addDays, shanghaiDate } from '../../../domain/dates';
import { createTestDb } from '../../support/db';

let db: Db;
let cleanup: () => Promise<void>;
const today = shanghaiDate(new Date().toISOString());
const noBank = {} as PaymentGateway;
const acts = () => createActivities({ db, payments: noBank, piiKey: Buffer.alloc(32, 1), region: 'TEST' });
const CLASS = 'VCH-CLASS-1';

async function programme(id: string, validUntil: string) {
  await db.voucherProgramme.create({
    data: {
      id,
      name: id,
      occupationCodes: '["4-03-02-01"]',
      levels: '["LEVEL_5"]',
      categories: '["REGISTERED_UNEMPLOYED"]',
      institutionIds: '[]',
      validFrom: addDays(today, -30),
      validUntil,
      quantity: 10,
      fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
      createdBy: 'u-mgr',
    },
  });
}
async function voucher(id: string, programmeId: string, personKey: string, status: string, classId?: string) {
  await db.voucher.create({
    data: {
      id,
      programmeId,
      personKey,
      status,
      issuedBy: 'u-cw',
      ...(classId ? { classId, enrollmentId: `${classId}-${personKey}` } : {}),
    },
  });
}
const statusOf = async (id: string) => (await db.voucher.findUnique({ where: { id } }))?.status;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await programme('VP-OPEN', addDays(today, 30));
  await programme('VP-ENDED', addDays(today, -1));
});
afterAll(() => cleanup());

test('a paid class redeems its paid people’s vouchers and gives the others back, once however often it is run', async () => {
  await voucher('TV-paid', 'VP-OPEN', 'p-paid', 'RESERVED', CLASS);
  await voucher('TV-failed', 'VP-OPEN', 'p-failed', 'RESERVED', CLASS);
  await voucher('TV-failed-ended', 'VP-ENDED', 'p-failed2', 'RESERVED', CLASS);
  await voucher('TV-elsewhere', 'VP-OPEN', 'p-other', 'RESERVED', 'VCH-CLASS-9');
  for (let run = 0; run < 2; run++)
    await acts().settleSubsidyRecords({ classId: CLASS, outcome: 'PAID', paidPersonKeys: ['p-paid'] });
  expect(await statusOf('TV-paid')).toBe('REDEEMED');
  expect(await statusOf('TV-failed')).toBe('CLAIMED');
  expect(await statusOf('TV-failed-ended')).toBe('EXPIRED');
  expect(await statusOf('TV-elsewhere')).toBe('RESERVED');
  expect(await db.voucher.findUnique({ where: { id: 'TV-failed' } })).toMatchObject({
    classId: null,
    enrollmentId: null,
  });
});

test('a class that ends unpaid (cancelled, rejected) redeems nothing', async () => {
  await voucher('TV-cancelled', 'VP-OPEN', 'p-c', 'RESERVED', 'VCH-CLASS-2');
  await acts().settleSubsidyRecords({ classId: 'VCH-CLASS-2', outcome: 'RELEASED', paidPersonKeys: ['p-c'] });
  expect(await statusOf('TV-cancelled')).toBe('CLAIMED');
});

test('a withdrawal releases the withdrawn person’s voucher only', async () => {
  await voucher('TV-w', 'VP-OPEN', 'p-w', 'RESERVED', 'VCH-CLASS-3');
  await voucher('TV-stay', 'VP-OPEN', 'p-stay', 'RESERVED', 'VCH-CLASS-3');
  await acts().releaseTrainee({ classId: 'VCH-CLASS-3', personKey: 'p-w' });
  expect(await statusOf('TV-w')).toBe('CLAIMED');
  expect(await statusOf('TV-stay')).toBe('RESERVED');
});

test('the programme’s timer expires its unused vouchers, not one in use, and nothing before its last day is over', async () => {
  await programme('VP-T', today);
  await voucher('TV-t-issued', 'VP-T', 'p-t1', 'ISSUED');
  await voucher('TV-t-claimed', 'VP-T', 'p-t2', 'CLAIMED');
  await voucher('TV-t-reserved', 'VP-T', 'p-t3', 'RESERVED', 'VCH-CLASS-4');
  // the timer cannot fire early, but if it did: on its last day nothing expires
  expect(await acts().expireVoucherProgramme({ programmeId: 'VP-T', asOf: `${today}T15:59:00Z` })).toEqual({
    expired: 0,
  });
  const after = `${addDays(today, 1)}T00:00:00+08:00`;
  expect(await acts().expireVoucherProgramme({ programmeId: 'VP-T', asOf: after })).toEqual({ expired: 2 });
  expect(await acts().expireVoucherProgramme({ programmeId: 'VP-T', asOf: after })).toEqual({ expired: 0 });
  expect([
    await statusOf('TV-t-issued'),
    await statusOf('TV-t-claimed'),
    await statusOf('TV-t-reserved'),
  ]).toEqual(['EXPIRED', 'EXPIRED', 'RESERVED']);
});
