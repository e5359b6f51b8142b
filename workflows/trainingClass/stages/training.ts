// 培训 (DOMAIN.md §4): attendance is reported until the institution finishes the class.
import { shanghaiDate } from '../../../domain/dates';
import { workflowNowIso } from '../../clock';
import type { ClassCase } from '../context';
import { dayBefore, humanTask } from '../humanTask';

export async function runTraining(c: ClassCase) {
  await humanTask(
    c,
    {
      kind: 'FINISH_TRAINING',
      role: 'INSTITUTION',
      from: dayBefore(c.s.plan.plannedEnd),
      rule: 'DAYS',
      n: 1,
    },
    () => c.flags.trainingFinished,
  );
  c.trainingEndedAt = workflowNowIso();
  c.trainingEndedOn = shanghaiDate(c.trainingEndedAt);
  await c.setStage('ASSESSMENT', c.input.institutionId, 'TRAINING_FINISHED', {
    detail: { endedOn: c.trainingEndedOn },
  });
}
