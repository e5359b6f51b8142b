// 电子培训券: one programme's days. Started when the programme is set up (api/routes/vouchers.ts); sleeps until the
// programme's last day is over (24:00 Asia/Shanghai, a durable timer that outlives every restart), then expires
// the vouchers nobody has put to use. A voucher already reserved by an enrolment stays valid for that class; if it
// is released later, the release expires it (activities/vouchers.ts).
import { sleep } from '@temporalio/workflow';
import { acts } from './proxies';
import { msUntil, workflowNowIso } from './clock';
import { addDays } from '../domain/dates';
import type { VoucherProgrammeInput } from './messages';

/** The instant a programme's last day ends: 00:00 of the next day in Asia/Shanghai (UTC+8, no daylight saving). */
export function endOfLastDay(validUntil: string): string {
  return `${addDays(validUntil, 1)}T00:00:00+08:00`;
}

export async function voucherProgrammeWorkflow(input: VoucherProgrammeInput): Promise<{ expired: number }> {
  const endsAt = endOfLastDay(input.validUntil);
  while (msUntil(endsAt) > 0) await sleep(msUntil(endsAt));
  return acts.expireVoucherProgramme({ programmeId: input.programmeId, asOf: workflowNowIso() });
}
