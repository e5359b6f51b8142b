// The end of a case, whichever way it ends. In order: take no more commands, let the roster changes and the
// background work in flight finish (an advance already with the bank is paid, one not yet approved is
// stopped), settle the subsidy reservations (paid lines count toward the person's limits, the rest are
// released), recover an advance paid on a cancelled class, close every open task, then wait for the handlers.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { acts } from '../../proxies';
import type * as m from '../../messages';
import type { ClassCase } from '../context';

export async function close(c: ClassCase, stage: 'CLOSED' | 'REJECTED' | 'CANCELLED'): Promise<m.CaseState> {
  const { s, classId } = c;
  c.ending = true;
  await c.commandsIdle();
  await c.backgroundFinished();
  await acts.settleSubsidyRecords({
    classId,
    outcome: stage === 'CLOSED' ? 'PAID' : 'RELEASED',
    // Only a training subsidy actually paid counts toward the person's limits (a removed line does not).
    paidPersonKeys: s.lines
      .filter((l) => l.kind === 'TRAINING' && l.status === 'PAID' && l.amountFen > 0)
      .map((l) => c.trainee(l.enrollmentId!)!.personKey),
  });
  if (stage === 'CANCELLED' && s.batches.some((b) => b.kind === 'ADVANCE' && b.status === 'PAID')) {
    s.recoveryFen = s.advancePaidFen; // an advance paid on a cancelled class is recovered in full (追回)
    s.lines.push({
      lineId: `${classId}:R`,
      kind: 'RECOVERY',
      payee: c.input.institutionId,
      amountFen: -s.recoveryFen,
      status: 'RECOVERY_DUE',
      noticeRound: 0,
    });
  }
  const final = {
    closeAllTasks: true,
    lines: s.lines.filter((l) => l.kind === 'RECOVERY'),
    classPatch: { recoveredFen: s.recoveryFen, dueAt: null, overdue: false, escalated: false },
  };
  if (stage !== 'REJECTED')
    await c.setStage(
      stage,
      c.cancelRequested?.actor.userId ?? 'system',
      stage === 'CLOSED' ? 'CASE_CLOSED' : 'CASE_CANCELLED',
      { ...final, detail: c.cancelRequested ? { reason: c.cancelRequested.reason } : undefined },
    );
  else await c.emit('CASE_ENDED', 'system', final);
  await c.projected();
  await condition(allHandlersFinished);
  return s;
}
