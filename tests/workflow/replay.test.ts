// Replays saved histories of real cases against today's workflow code: a change that would break a
// running case (non-determinism) fails here before it reaches a bureau. Change workflows with patched().
import { Worker } from '@temporalio/worker';
import { loadHistories } from '../support/histories';
import { workflowBundle } from '../support/temporal';

const histories = loadHistories();

describe('saved case histories', () => {
  it('are on file for the class lifecycle, an objection round and a follow-up child', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining(['class-lifecycle', 'class-objection', 'trainee-follow-up']),
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
