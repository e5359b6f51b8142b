// The foundation as a newcomer meets it: the whole system comes up on one machine, reports healthy,
// serves the web UI and the Temporal UI, and keeps every case and its stage across a restart.
import { Client, Connection } from '@temporalio/client';
import { startStack, type TestStack } from '../support/stack';
import { EncryptionCodec } from '../../platform/codec';
import * as m from '../../workflows/messages';

jest.setTimeout(300_000);

async function caseStages(stack: TestStack): Promise<Record<string, string>> {
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  const client = new Client({
    connection,
    dataConverter: { payloadCodecs: [new EncryptionCodec(stack.env.SKILLFLOW_PAYLOAD_KEY!)] },
  });
  try {
    const stages: Record<string, string> = {};
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'trainingClassWorkflow'` })) {
      stages[wf.workflowId] = (await client.workflow.getHandle(wf.workflowId).query(m.caseStateQuery)).stage;
    }
    return stages;
  } finally {
    await connection.close();
  }
}

describe('SkillFlow on one machine', () => {
  let stack: TestStack | undefined;
  afterAll(async () => {
    await stack?.stop();
    stack?.remove();
  });

  it('starts healthy with demo cases in several stages, and resumes the same cases after a restart', async () => {
    stack = await startStack();
    const health = await fetch(stack.urls.health);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const web = await fetch(stack.urls.web);
    expect([web.status, web.headers.get('content-type')]).toEqual([
      200,
      expect.stringContaining('text/html'),
    ]);
    expect((await fetch(stack.urls.temporalUi)).status).toBe(200);

    const before = await caseStages(stack);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(7);
    expect(new Set(Object.values(before))).toEqual(
      new Set(['UNDER_REVIEW', 'RETURNED', 'ENROLLING', 'TRAINING', 'ASSESSMENT', 'FOLLOW_UP']),
    );

    const dataDir = stack.dataDir;
    await stack.stop();
    expect((await fetch(stack.urls.health).catch(() => undefined))?.status).toBeUndefined();
    stack = await startStack({ dataDir });
    expect((await fetch(stack.urls.health)).status).toBe(200);
    expect(await caseStages(stack)).toEqual(before);
  });
});
