// PaymentGateway (拨付): how money leaves. Each payment is made exactly once, keyed by its payment id.
// The default adapter writes the bank's batch-transfer file and waits for the bank's return file;
// the simulated bank (demo, tests) answers at once. Both consult the ledger first, so a retried activity
// never pays twice.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../platform/db';
import type { PaymentOutcome, PaymentSubmission } from './types';
import { formatFen } from '../domain/money';

export interface PaymentGateway {
  submit(submission: PaymentSubmission): Promise<PaymentOutcome>;
}

export interface Payee {
  id: string;
  name: string;
  bankAccount: string;
}

async function payees(db: Db, ids: string[]): Promise<Map<string, Payee>> {
  const rows = await db.institution.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, bankAccount: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

async function alreadyPaid(db: Db, ids: string[]): Promise<Map<string, string | null>> {
  const rows = await db.payment.findMany({
    where: { id: { in: ids }, status: 'PAID' },
    select: { id: true, bankRef: true },
  });
  return new Map(rows.map((r) => [r.id, r.bankRef]));
}

/**
 * Answers at once. `failNext` makes the next calls throw, as a bank outage would (for tests). A transfer to an
 * account in `unknownAccounts` (spaces ignored) is refused until the payee's account is corrected.
 */
export class SimulatedBank implements PaymentGateway {
  readonly transfers: { paymentId: string; amountFen: number }[] = [];
  /** payment ids the bank refuses (a wrong account), as a bank return would say */
  readonly refuse = new Set<string>();
  private readonly unknownAccounts: Set<string>;
  constructor(
    private readonly db: Db,
    public failNext = 0,
    unknownAccounts: readonly string[] = [],
  ) {
    this.unknownAccounts = new Set(unknownAccounts.map((a) => a.replace(/\s/g, '')));
  }

  async submit(sub: PaymentSubmission): Promise<PaymentOutcome> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('bank unavailable (simulated)');
    }
    const paid = await alreadyPaid(
      this.db,
      sub.payments.map((p) => p.paymentId),
    );
    const accounts = this.unknownAccounts.size
      ? await payees(this.db, [...new Set(sub.payments.map((p) => p.payee))])
      : new Map<string, Payee>();
    const unknown = (payee: string) => {
      const account = accounts.get(payee)?.bankAccount.replace(/\s/g, '');
      return account !== undefined && this.unknownAccounts.has(account);
    };
    const results: { paymentId: string; status: 'PAID' | 'FAILED'; bankRef?: string; reason?: string }[] = [];
    for (const p of sub.payments) {
      if ((this.refuse.has(p.paymentId) || unknown(p.payee)) && !paid.has(p.paymentId)) {
        results.push({ paymentId: p.paymentId, status: 'FAILED' as const, reason: '账户名与账号不符' });
        continue;
      }
      let bankRef = paid.get(p.paymentId) ?? undefined;
      if (!paid.has(p.paymentId)) {
        bankRef = `SIM-${p.paymentId}`;
        this.transfers.push({ paymentId: p.paymentId, amountFen: p.amountFen });
        await recordPaid(this.db, sub.batchId, p.paymentId, p.payee, p.amountFen, bankRef);
      }
      results.push({ paymentId: p.paymentId, status: 'PAID' as const, bankRef });
    }
    return { mode: 'SYNC', results };
  }
}

export async function recordPaid(
  db: Db,
  batchId: string,
  paymentId: string,
  payee: string,
  amountFen: number,
  bankRef: string,
) {
  await db.paymentBatch.upsert({
    where: { id: batchId },
    create: {
      id: batchId,
      classId: batchId.replace(/-[AS]\d*$/, ''),
      kind: batchId.endsWith('-A') ? 'ADVANCE' : 'SETTLEMENT',
      totalFen: 0,
      status: 'APPROVED',
    },
    update: {},
  });
  await db.payment.upsert({
    where: { id: paymentId },
    create: {
      id: paymentId,
      batchId,
      payee,
      amountFen,
      status: 'PAID',
      attempts: 1,
      bankRef,
      paidAt: new Date(),
    },
    update: { status: 'PAID', bankRef, paidAt: new Date() },
  });
}

/** Writes a CSV batch-transfer file (UTF-8 with BOM, as Chinese banks' import tools expect). */
export class FileBatchGateway implements PaymentGateway {
  constructor(
    private readonly db: Db,
    private readonly dir: string,
  ) {}

  async submit(sub: PaymentSubmission): Promise<PaymentOutcome> {
    const paid = await alreadyPaid(
      this.db,
      sub.payments.map((p) => p.paymentId),
    );
    const open = sub.payments.filter((p) => !paid.has(p.paymentId));
    if (!open.length)
      return {
        mode: 'SYNC',
        results: sub.payments.map((p) => ({
          paymentId: p.paymentId,
          status: 'PAID',
          bankRef: paid.get(p.paymentId) ?? undefined,
        })),
      };
    const accounts = await payees(
      this.db,
      open.map((p) => p.payee),
    );
    const lines = ['付款编号,收款单位,收款账号,金额(元),用途'];
    for (const p of open) {
      const a = accounts.get(p.payee);
      lines.push(
        [
          p.paymentId,
          csv(a?.name ?? p.payee),
          csv(a?.bankAccount ?? ''),
          formatFen(p.amountFen).replace(/,/g, ''),
          csv(`职业技能培训补贴 ${sub.classId}`),
        ].join(','),
      );
    }
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${sub.batchId}-${sub.attempt}.csv`);
    fs.writeFileSync(file, '\ufeff' + lines.join('\r\n') + '\r\n'); // same name, same content: a retry rewrites it harmlessly
    return { mode: 'ASYNC', file };
  }
}

function csv(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
