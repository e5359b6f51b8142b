// 公示 then 拨付 (DOMAIN.md §8–9): the claim list is published for N working days; anyone may object. Objected
// lines are held, the rest is paid; dismissed lines are paid after, corrected lines are noticed again. What
// advance the payments could not absorb is recovered (追回).
import { condition, patched } from '@temporalio/workflow';
import { msUntil, workflowNowIso } from '../../clock';
import { acts } from '../../proxies';
import type { ClassCase } from '../context';
import { settle } from './payout';
import { TIMERS_DECIDE } from '../humanTask';

export async function noticeAndPay(c: ClassCase) {
  const { s, policy, classId } = c;
  let round = 1;
  let noticed = s.lines.filter((l) => l.kind === 'TRAINING' || l.kind === 'EVALUATION');
  let batchNo = 0;
  const noticePeriod = (publishedAt: string) =>
    acts.computeDeadline({
      from: publishedAt,
      rule: 'WORKING_DAYS',
      n: policy.deadlines.noticeWorkingDays,
      clock: policy.clock,
    });
  for (;;) {
    s.noticeRound = round;
    for (const l of noticed)
      Object.assign(l, { noticeRound: round, status: l.status === 'REMOVED' ? 'REMOVED' : 'NOTICED' });
    const publishedAt = workflowNowIso();
    const period = await noticePeriod(publishedAt);
    await acts.publishNotice({
      classId,
      round,
      institutionId: c.input.institutionId,
      occupationCode: s.plan.occupationCode,
      level: s.plan.level,
      classHours: s.plan.classHours,
      publishedAt,
      closesAt: period.dueAt,
      endDate: period.endDate,
      provisional: period.provisional,
      lines: noticed,
      people: Object.fromEntries(c.enrolled().map((t) => [t.enrollmentId, t.personKey])),
    });
    c.noticeOpen = true;
    s.clock = {
      task: 'PUBLIC_NOTICE',
      dueAt: period.dueAt,
      provisional: period.provisional,
      overdue: false,
      escalated: false,
    };
    await c.setStage('NOTICE', 'system', `NOTICE_PUBLISHED:${round}`, {
      classPatch: { dueAt: period.dueAt },
      lines: noticed,
    });
    let closesAt = period.dueAt;
    for (;;) {
      const armed = c.calendarVersion;
      const changed = await condition(() => c.calendarVersion !== armed, Math.max(msUntil(closesAt), 1));
      // The timer fired: the notice period is over (decided by the timer, not by reading the clock: humanTask.ts).
      if (!changed && patched(TIMERS_DECIDE)) break;
      if (c.calendarVersion === armed && msUntil(closesAt) <= 0) break;
      if (c.calendarVersion !== armed) closesAt = (await noticePeriod(publishedAt)).dueAt;
    }
    c.noticeOpen = false;
    s.clock = undefined;
    await c.emit(`NOTICE_CLOSED:${round}`, 'system', { classPatch: { dueAt: null } });
    // The rest of the list is not held up by an objection (DOMAIN.md §8).
    const ready = s.lines.filter((l) => l.noticeRound === round && l.status === 'NOTICED');
    ready.forEach((l) => (l.status = 'PAYABLE'));
    await c.setStage('PAYOUT', 'system', 'PAYOUT_OPENED', { lines: ready });
    if (ready.length) await settle(c, ready, ++batchNo);
    // Objected lines wait for their resolution; dismissed ones are paid, corrected ones noticed again.
    await condition(() => s.objections.every((o) => o.status !== 'OPEN'));
    const dismissed = s.lines.filter((l) => l.status === 'PAYABLE');
    if (dismissed.length) await settle(c, dismissed, ++batchNo);
    noticed = s.lines.filter((l) => c.correctedLines.has(l.lineId));
    c.correctedLines.clear();
    if (!noticed.length) break;
    round++;
    await c.setStage('NOTICE', 'system', 'CORRECTED_LIST');
  }
  await recoverUnabsorbedAdvance(c);
}

/** Whatever advance could not be deducted from the payments is recovered from the institution (追回). */
async function recoverUnabsorbedAdvance(c: ClassCase) {
  const { s, classId } = c;
  if (s.advancePaidFen <= c.advanceDeducted) return;
  s.recoveryFen = s.advancePaidFen - c.advanceDeducted;
  s.lines.push({
    lineId: `${classId}:R`,
    kind: 'RECOVERY',
    payee: c.input.institutionId,
    amountFen: -s.recoveryFen,
    status: 'RECOVERY_DUE',
    noticeRound: s.noticeRound,
  });
  await c.emit('RECOVERY_DUE', 'system', {
    lines: s.lines.slice(-1),
    classPatch: { recoveredFen: s.recoveryFen },
  });
  await acts.notify({
    classId,
    role: 'FINANCE',
    kind: 'RECOVERY',
    message: `Recover ${s.recoveryFen} fen of advance from ${c.input.institutionId}`,
  });
}
