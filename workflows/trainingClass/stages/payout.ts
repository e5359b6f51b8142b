// 先行拨付 and 拨付 (DOMAIN.md §2, §9): finance approves each batch, then each payment is made exactly once
// (the gateway is keyed by payment id); refused transfers are retried with backoff and, after a few refusals,
// go back to finance for correction. Money lines always sum to their batch.
import { patched, sleep } from '@temporalio/workflow';
import { needsCorrection, transferBackoffMs } from '../../../domain/payout';
import { advancePaymentFen, settleClass } from '../../../domain/subsidy';
import type { PaymentOrder } from '../../../activities/types';
import type * as m from '../../messages';
import { workflowNowIso } from '../../clock';
import { acts, payments } from '../../proxies';
import { ClassCancelled, type ClassCase } from '../context';
import { humanTask } from '../humanTask';

/**
 * 先行拨付: where the policy allows, part of the subsidy is advanced on approval (Harbin: 50 %). Runs beside
 * enrolment and training. A cancellation before finance approves it stops it: nothing was transferred.
 */
export async function payAdvance(c: ClassCase) {
  const amount = advancePaymentFen(c.policy, c.standard.standardFen, c.s.plan.capacity);
  if (amount <= 0) return;
  c.s.advancePaidFen = amount; // committed now, deducted at settlement
  const batchId = `${c.classId}-A`;
  try {
    await payBatch(
      c,
      batchId,
      'ADVANCE',
      [{ paymentId: `${batchId}:${c.input.institutionId}`, payee: c.input.institutionId, amountFen: amount }],
      { abortable: true },
    );
  } catch (err) {
    if (!(err instanceof ClassCancelled)) throw err;
    c.s.advancePaidFen = 0;
    const batch = c.s.batches.find((b) => b.batchId === batchId)!;
    batch.status = 'CANCELLED';
    await c.emit('BATCH_CANCELLED', c.cancelRequested?.actor.userId ?? 'system', {
      batches: [
        {
          id: batchId,
          kind: 'ADVANCE',
          totalFen: batch.totalFen,
          status: 'CANCELLED',
          payments: [
            {
              id: `${batchId}:${c.input.institutionId}`,
              payee: c.input.institutionId,
              amountFen: amount,
              status: 'CANCELLED',
              attempts: 0,
            },
          ],
        },
      ],
      classPatch: { advancedFen: 0 },
    });
    return;
  }
  await c.emit('ADVANCE_PAID', 'system', { classPatch: { advancedFen: amount } });
}

/** Pays the lines of one settlement batch: training lines less the advance not yet deducted, evaluation lines. */
export async function settle(c: ClassCase, lines: m.SubsidyLineState[], batchNo: number) {
  const { s, classId } = c;
  const training = lines.filter((l) => l.kind === 'TRAINING');
  const settlement = settleClass(
    training.map((l) => ({
      enrollmentId: l.enrollmentId!,
      tier: l.tier!,
      pct: l.pct ?? 0,
      amountFen: l.amountFen,
    })),
    s.advancePaidFen - c.advanceDeducted,
  );
  // A batch absorbs no more advance than it earns, so its lines sum to what is paid; the rest of the advance
  // is deducted from later batches or recovered (notice.ts).
  const deducted =
    settlement.recoveryFen > 0 && patched('advance-deduction-capped-2026-11')
      ? settlement.advanceDeductedFen - settlement.recoveryFen
      : settlement.advanceDeductedFen;
  c.advanceDeducted += deducted;
  if (deducted > 0)
    s.lines.push({
      lineId: `${classId}:D${batchNo}`,
      kind: 'ADVANCE_DEDUCTION',
      payee: c.input.institutionId,
      amountFen: -deducted,
      status: 'PAID',
      noticeRound: s.noticeRound,
    });
  const orders: PaymentOrder[] = [];
  const batchId = `${classId}-S${batchNo}`;
  if (settlement.netPayableFen > 0)
    orders.push({
      paymentId: `${batchId}:${c.input.institutionId}`,
      payee: c.input.institutionId,
      amountFen: settlement.netPayableFen,
    });
  const evaluationFen = lines.filter((l) => l.kind === 'EVALUATION').reduce((sum, l) => sum + l.amountFen, 0);
  if (evaluationFen > 0)
    orders.push({
      paymentId: `${batchId}:${s.plan.assessmentBodyId}`,
      payee: s.plan.assessmentBodyId,
      amountFen: evaluationFen,
    });
  if (orders.length) await payBatch(c, batchId, 'SETTLEMENT', orders);
  lines.forEach((l) => (l.status = 'PAID'));
  await c.emit('LINES_PAID', 'system', { lines: s.lines.filter((l) => l.status === 'PAID') });
}

type PaymentState = PaymentOrder & { status: string; attempts: number; bankRef?: string; failure?: string };

/** 拨付: finance approves the batch, then each payment is made exactly once; refused transfers are retried. */
export async function payBatch(
  c: ClassCase,
  batchId: string,
  kind: 'ADVANCE' | 'SETTLEMENT',
  orders: PaymentOrder[],
  opts: { abortable?: boolean } = {},
) {
  const { s, policy, classId } = c;
  const abortable = opts.abortable === true;
  const totalFen = orders.reduce((sum, o) => sum + o.amountFen, 0);
  const batch = { batchId, kind, totalFen, status: 'AWAITING_APPROVAL' };
  s.batches.push(batch);
  const payState = new Map<string, PaymentState>(
    orders.map((o) => [o.paymentId, { ...o, status: 'PENDING', attempts: 0 }]),
  );
  const project = (status: string, approvedBy?: string) =>
    c.emit(`BATCH_${status}`, approvedBy ?? 'system', {
      batches: [
        {
          id: batchId,
          kind,
          totalFen,
          status,
          approvedBy,
          payments: [...payState.values()].map(
            ({ paymentId, payee, amountFen, status: st, attempts, bankRef, failure }) => ({
              id: paymentId,
              payee,
              amountFen,
              status: st,
              attempts,
              bankRef,
              failure,
            }),
          ),
        },
      ],
    });
  /** Finance approves the batch (again, after correcting a payee): the case waits for its approval. */
  const financeTask = (taskKind: string, subject: string, main: boolean, isAbortable: boolean) =>
    humanTask(
      c,
      {
        kind: taskKind,
        role: 'FINANCE',
        subject,
        from: workflowNowIso(),
        rule: 'WORKING_DAYS',
        n: policy.deadlines.paymentApprovalWorkingDays,
      },
      () => c.approvals.has(batchId),
      { main, abortable: isAbortable },
    );
  await project('AWAITING_APPROVAL');
  await financeTask('APPROVE_PAYMENT', batchId, kind === 'SETTLEMENT', abortable);
  batch.status = 'APPROVED';
  await project('APPROVED', c.approvals.get(batchId)!.userId);
  for (let attempt = 1; ; attempt++) {
    const open = [...payState.values()].filter((p) => p.status !== 'PAID');
    if (!open.length) break;
    open.forEach((p) => p.attempts++);
    const outcome = await payments.submitPayments({
      classId,
      batchId,
      attempt,
      payments: open.map(({ paymentId, payee, amountFen }) => ({ paymentId, payee, amountFen })),
    });
    let results: m.BankReturnLine[];
    if (outcome.mode === 'SYNC') results = outcome.results;
    else {
      batch.status = 'SUBMITTED';
      await project('SUBMITTED');
      const want = new Set(open.map((p) => p.paymentId));
      // The transfer file is with the bank: its return file must be imported, cancelled class or not.
      await humanTask(
        c,
        {
          kind: 'IMPORT_BANK_RETURN',
          role: 'FINANCE',
          subject: `${batchId}#${attempt}`,
          from: workflowNowIso(),
          rule: 'WORKING_DAYS',
          n: policy.deadlines.paymentApprovalWorkingDays,
        },
        () => [...want].every((id) => (c.bankReturns.get(batchId) ?? []).some((r) => r.paymentId === id)),
        { main: false, abortable: false },
      );
      results = (c.bankReturns.get(batchId) ?? []).filter((r) => want.has(r.paymentId));
      c.bankReturns.delete(batchId);
    }
    for (const r of results)
      Object.assign(payState.get(r.paymentId)!, { status: r.status, bankRef: r.bankRef, failure: r.reason });
    const failed = [...payState.values()].filter((p) => p.status !== 'PAID');
    if (!failed.length) break;
    batch.status = 'PARTIALLY_FAILED';
    await project('PARTIALLY_FAILED');
    await acts.notify({
      classId,
      role: 'FINANCE',
      kind: 'PAYMENT_FAILED',
      message: `${failed.length} payment(s) of ${batchId} failed; retrying`,
    });
    if (needsCorrection(policy, attempt)) {
      // DOMAIN.md §9: failed transfers are retried or returned for correction. After a few refusals the bank
      // details are likely wrong: finance corrects them and approves the batch again.
      c.approvals.delete(batchId);
      batch.status = 'AWAITING_CORRECTION';
      await project('AWAITING_CORRECTION');
      const nothingPaid = [...payState.values()].every((p) => p.status !== 'PAID');
      await financeTask('CORRECT_PAYMENT', batchId, false, abortable && nothingPaid);
      batch.status = 'APPROVED';
      await project('APPROVED', c.approvals.get(batchId)!.userId);
      continue;
    }
    await sleep(transferBackoffMs(policy, attempt)); // back off before the next transfer
  }
  batch.status = 'PAID';
  const paid = kind === 'SETTLEMENT' ? totalFen : 0;
  s.paidFen += paid;
  await project('PAID');
  await c.emit('PAYMENTS_SETTLED', 'system', { classPatch: { paidFen: s.paidFen } });
}
