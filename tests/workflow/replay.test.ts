// Replays saved histories of real cases against today's workflow code: a change that would break a
// running case (non-determinism) fails here before it reaches a bureau. Change workflows with patched().
import { Worker } from '@temporalio/worker';
import { HISTORY_VERSION, loadHistories } from '../support/histories';
import { workflowBundle } from '../support/temporal';

const histories = loadHistories();

describe('saved case histories', () => {
  it('are on file for every path a case can take, of the first layout and of the current one', () => {
    const ids = histories.map((h) => h.workflowId);
    // The first layout (one workflow file), recorded before versions were named.
    expect(ids).toEqual(expect.arrayContaining(['class-lifecycle', 'class-objection', 'trainee-follow-up']));
    // The current layout (workflows/trainingClass/): continue-as-new, a bank refusal and a cancellation too, as
    // first recorded and as the workflow is now (objections per line, review decisions held: 2026-12-01; fired timers decide: 2026-12-02).
    for (const version of ['2026-11-30', HISTORY_VERSION])
      expect(ids).toEqual(
        expect.arrayContaining(
          [
            'class-lifecycle',
            'class-objection',
            'trainee-follow-up',
            'class-continue-as-new',
            'class-bank-refusal',
            'class-cancelled',
          ].map((name) => `${name}@${version}`),
        ),
      );
  });

  it('all replay against the current workflow code', async () => {
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
