// 电子培训券 in the read model: the changes enrolment, withdrawal, settlement and expiry make to vouchers, each in
// the transaction of the subsidy change it goes with (activities/index.ts), each an update guarded by the status
// it starts from (domain/vouchers.ts nextVoucherStatus), so a retried activity changes nothing twice and no
// voucher is reserved or redeemed twice.
import type { Prisma, Voucher } from '@prisma/client';
import type { Db } from '../platform/db';
import { shanghaiDate } from '../domain/dates';
import { programmeOf, voucherForEnrolment, type VoucherSlot } from '../domain/vouchers';
import type { RuleViolation } from '../domain/rules';

type Tx = Prisma.TransactionClient | Db;

/** The voucher each enrolment will take, or its refusal, by domain/vouchers.ts voucherForEnrolment. */
export async function vouchersFor(
  tx: Tx,
  slot: VoucherSlot & { classId: string },
  applications: { enrollmentId: string; personKey: string; requireVoucher?: boolean }[],
): Promise<{ chosen: Map<string, Voucher>; refused: Map<string, RuleViolation[]> }> {
  const chosen = new Map<string, Voucher>();
  const refused = new Map<string, RuleViolation[]>();
  if (!applications.length) return { chosen, refused };
  const held = await tx.voucher.findMany({
    where: {
      personKey: { in: applications.map((a) => a.personKey) },
      status: { in: ['CLAIMED', 'RESERVED'] },
    },
  });
  const programmes = new Map(
    (
      await tx.voucherProgramme.findMany({
        where: { id: { in: [...new Set(held.map((v) => v.programmeId))] } },
      })
    ).map((p) => [p.id, programmeOf(p)]),
  );
  for (const a of applications) {
    const { voucher, violations } = voucherForEnrolment(
      held.filter((v) => v.personKey === a.personKey),
      programmes,
      slot,
      { enrollmentId: a.enrollmentId, required: a.requireVoucher ?? false },
    );
    if (voucher) chosen.set(a.enrollmentId, voucher);
    else if (violations.length) refused.set(a.enrollmentId, violations);
  }
  return { chosen, refused };
}

/** Reserves the chosen vouchers for their enrolments; each moves only from CLAIMED (or is already this one's). */
export async function reserveVouchers(tx: Tx, classId: string, chosen: Map<string, Voucher>) {
  for (const [enrollmentId, v] of chosen) {
    if (v.status === 'RESERVED' && v.enrollmentId === enrollmentId) continue;
    const moved = await tx.voucher.updateMany({
      where: { id: v.id, status: 'CLAIMED' },
      data: { status: 'RESERVED', classId, enrollmentId },
    });
    // Only this transaction holds the person (db.ts: one writer on SQLite, the person's row locked on PostgreSQL).
    if (moved.count !== 1) throw new Error(`voucher ${v.id} changed during its reservation`);
  }
}

/** Withdrawal, a failed assessment or an ended class: the voucher is the person's again, or expired if its days are over. */
export async function releaseVouchers(
  tx: Tx,
  where: { classId: string; personKey?: string; personKeyNotIn?: string[] },
) {
  const rows = await tx.voucher.findMany({
    where: {
      classId: where.classId,
      status: 'RESERVED',
      ...(where.personKey ? { personKey: where.personKey } : {}),
      ...(where.personKeyNotIn ? { personKey: { notIn: where.personKeyNotIn } } : {}),
    },
  });
  if (!rows.length) return;
  const today = shanghaiDate(new Date().toISOString());
  const ended = new Set(
    (
      await tx.voucherProgramme.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.programmeId))] }, validUntil: { lt: today } },
        select: { id: true },
      })
    ).map((p) => p.id),
  );
  for (const r of rows)
    await tx.voucher.updateMany({
      where: { id: r.id, status: 'RESERVED' },
      data: ended.has(r.programmeId)
        ? { status: 'EXPIRED', expiredAt: new Date(), classId: null, enrollmentId: null }
        : { status: 'CLAIMED', classId: null, enrollmentId: null },
    });
}

/** The subsidy paid: the vouchers of the paid people are redeemed. */
export async function redeemVouchers(tx: Tx, classId: string, personKeys: string[]) {
  if (!personKeys.length) return;
  await tx.voucher.updateMany({
    where: { classId, status: 'RESERVED', personKey: { in: personKeys } },
    data: { status: 'REDEEMED', redeemedAt: new Date() },
  });
}

/**
 * A programme's last day has passed (on `asOfDay`, the day of the programme workflow's timer, Asia/Shanghai):
 * its vouchers not in use expire. Returns how many.
 */
export async function expireVouchers(db: Db, programmeId: string, asOfDay: string): Promise<number> {
  const p = await db.voucherProgramme.findUnique({ where: { id: programmeId } });
  if (!p || p.validUntil >= asOfDay) return 0;
  const r = await db.voucher.updateMany({
    where: { programmeId, status: { in: ['ISSUED', 'CLAIMED'] } },
    data: { status: 'EXPIRED', expiredAt: new Date() },
  });
  return r.count;
}
