/**
 * 拨付 (DOMAIN.md §9): how a refused bank transfer is retried. The policy may say otherwise; these are the
 * defaults for a policy that is silent (and for histories recorded before the policy said it).
 */
import type { PolicyVersion } from './policy';

export const DEFAULT_TRANSFERS = { attemptsBeforeCorrection: 3, firstBackoffHours: 2, maxBackoffHours: 24 };

export function transferRetry(policy: Pick<PolicyVersion, 'transfers'>) {
  return policy.transfers ?? DEFAULT_TRANSFERS;
}

/** The pause before transfer attempt `attempt + 1`; on a compressed clock, one "day". */
export function transferBackoffMs(
  policy: Pick<PolicyVersion, 'transfers' | 'clock'>,
  attempt: number,
): number {
  if (policy.clock) return policy.clock.secondsPerDay * 1000;
  const t = transferRetry(policy);
  return Math.min(t.firstBackoffHours * 2 ** (attempt - 1), t.maxBackoffHours) * 3_600_000;
}

/** After this many refusals in a row the batch goes back to finance for correction. */
export function needsCorrection(policy: Pick<PolicyVersion, 'transfers'>, attempt: number): boolean {
  return attempt % transferRetry(policy).attemptsBeforeCorrection === 0;
}

type Named = { zh: string; en: string };

/** Batch kinds, batch and payment statuses by name: one table for the web UI and the spreadsheets the API writes. */
export const BATCH_KIND_NAMES: Record<string, Named> = {
  ADVANCE: { zh: '先行拨付', en: 'Advance' },
  SETTLEMENT: { zh: '结算拨付', en: 'Settlement' },
};

export const BATCH_STATUS_NAMES: Record<string, Named> = {
  AWAITING_APPROVAL: { zh: '待审批', en: 'Awaiting approval' },
  APPROVED: { zh: '已审批', en: 'Approved' },
  SUBMITTED: { zh: '已提交银行', en: 'Sent to bank' },
  PAID: { zh: '已支付', en: 'Paid' },
  PARTIALLY_FAILED: { zh: '部分失败', en: 'Partially failed' },
  AWAITING_CORRECTION: { zh: '待更正收款信息', en: 'Awaiting correction' },
};

export const PAYMENT_STATUS_NAMES: Record<string, Named> = {
  PENDING: { zh: '待支付', en: 'Pending' },
  PAID: { zh: '已支付', en: 'Paid' },
  FAILED: { zh: '失败', en: 'Failed' },
};
