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
