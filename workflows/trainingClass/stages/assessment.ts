// 考核评价 (DOMAIN.md §5): results for every trainee within 7 days after training ends; overdue escalates and
// the case waits for the booked assessment body.
import { workflowNowIso } from '../../clock';
import type { ClassCase } from '../context';
import { humanTask } from '../humanTask';

export async function assess(c: ClassCase) {
  await humanTask(
    c,
    {
      kind: 'RECORD_ASSESSMENT',
      role: 'ASSESSOR',
      from: workflowNowIso(),
      rule: 'DAYS',
      n: c.policy.deadlines.assessmentDays,
    },
    () => c.enrolled().every((t) => t.assessment !== undefined),
  );
  await c.setStage('FOLLOW_UP', 'system', 'ASSESSMENT_COMPLETE');
}
