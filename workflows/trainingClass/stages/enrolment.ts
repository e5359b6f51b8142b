// 报名/实名制 (DOMAIN.md §3): trainees are enrolled (handlers.ts, one roster change at a time) until the
// institution starts training; the roster is then frozen.
import type { ClassCase } from '../context';
import { dayBefore, humanTask } from '../humanTask';

export async function enrolTrainees(c: ClassCase) {
  await c.setStage('ENROLLING', 'system', 'ENROLMENT_OPENED');
  await humanTask(
    c,
    {
      kind: 'START_TRAINING',
      role: 'INSTITUTION',
      from: dayBefore(c.s.plan.plannedStart),
      rule: 'DAYS',
      n: 1,
    },
    () => c.flags.trainingStarted,
  );
  // The start was applied under the command lock, after every enrolment that came before it.
  await c.commandsIdle();
  await c.setStage('TRAINING', c.input.institutionId, 'TRAINING_STARTED', {
    classPatch: { traineeCount: c.enrolled().length },
  });
}
