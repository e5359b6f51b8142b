// Every message a class takes: the case query, two signals (facts that need no answer) and the commands,
// each an Update checked by domain/ rules on arrival and again when it applies (command.ts).
import { setHandler } from '@temporalio/workflow';
import * as m from '../../messages';
import type { ClassCase } from '../context';
import { forwardCalendarChange } from '../stages/followUp';
import { planCommands } from './plan';
import { rosterCommands } from './roster';
import { trainingCommands } from './training';
import { noticeCommands } from './notice';

export function installHandlers(c: ClassCase) {
  setHandler(m.caseStateQuery, () => c.s);
  setHandler(m.calendarChangedSignal, () => {
    c.calendarVersion++; // open deadlines are recomputed (humanTask.ts), follow-up windows too
    forwardCalendarChange(c);
  });
  setHandler(
    m.bankReturnSignal,
    ({ batchId, lines }) =>
      void c.bankReturns.set(batchId, [...(c.bankReturns.get(batchId) ?? []), ...lines]),
  );
  planCommands(c);
  rosterCommands(c);
  trainingCommands(c);
  noticeCommands(c);
}
