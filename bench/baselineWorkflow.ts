// The benchmark's yardstick (DESIGN.md performance facts): a minimal workflow with the same number of
// Updates, activities and timers as a class, so bench/lifecycle.ts can report the class's cost as a ratio.
import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';
import { acts } from '../workflows/proxies';

export const baselineStepUpdate = defineUpdate<void, []>('baselineStep');

export async function baselineWorkflow(shape: {
  updates: number;
  activities: number;
  timers: number;
}): Promise<number> {
  let updates = 0;
  setHandler(baselineStepUpdate, () => void updates++);
  for (let i = 0; i < shape.activities; i++) await acts.noop({ i });
  for (let i = 0; i < shape.timers; i++) await sleep(10);
  await condition(() => updates >= shape.updates);
  return updates;
}
