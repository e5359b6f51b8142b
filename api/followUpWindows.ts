// 就业跟踪期 per trainee for the case page. Each passed trainee's follow-up workflow holds its window (from the
// end of training to 24:00 of its last day, recomputed there when a provisional calendar is announced), so the
// case view asks the children (m.followUpStateQuery) rather than computing a second answer that could differ.
// Only while the class is in FOLLOW_UP, and a few at a time: a class has at most 50 trainees.
import type { Client } from '@temporalio/client';
import * as m from '../workflows/messages';

export const WINDOW_QUERIES_AT_ONCE = 8;

/** The windows of the trainees that have a follow-up; a trainee without one (or that does not answer) is absent. */
export async function followUpWindows(
  temporal: Client,
  classId: string,
  enrollmentIds: readonly string[],
  atOnce = WINDOW_QUERIES_AT_ONCE,
): Promise<Map<string, m.FollowUpWindow>> {
  const windows = new Map<string, m.FollowUpWindow>();
  let next = 0;
  const askInTurn = async () => {
    while (next < enrollmentIds.length) {
      const id = enrollmentIds[next++]!;
      const state = await temporal.workflow
        .getHandle(m.followUpWorkflowId(classId, id))
        .query(m.followUpStateQuery)
        .catch(() => undefined); // no follow-up (failed, under the attendance threshold) or not reachable now
      if (state?.window) windows.set(id, state.window);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, enrollmentIds.length) }, askInTurn));
  return windows;
}
