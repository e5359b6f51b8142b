// A command whose workflow no worker answers (every worker down, or the one that must replay it stuck). The SDK's
// executeUpdate polls for the outcome for ever, so such a request used to hang until the caller gave up; the 503
// WORKFLOW_TIMEOUT the API documents never came. Now it comes after SKILLFLOW_UPDATE_TIMEOUT_MS, as a problem, and
// the key is free for the retry it asks for.
import { Client } from '@temporalio/client';
import pino from 'pino';
import { createApp } from '../../api/app';
import { apiPlan, eventually, sessionCaller, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

const TIMEOUT_MS = 1_500;
let t: ApiBed;
beforeAll(async () => (t = await startApiBed()), 120_000);
afterAll(() => t?.teardown());

it('answers 503 WORKFLOW_TIMEOUT after the configured wait when no worker answers, and runs the retry again', async () => {
  // A class filed and waiting for review, as usual.
  const filed = await t.callers.institutionKey
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan({ title: '无人应答测试班' }) })
    .expect(202);
  const classId = filed.body.classId as string;
  const stage = async () =>
    (await t.bed.db.trainingClass.findUnique({ where: { id: classId }, select: { stage: true } }))?.stage;
  await eventually(t.bed, async () => (await stage()) === 'UNDER_REVIEW');
  // Its workflow now runs where no worker polls: the same id, on a task queue nobody serves.
  const client = t.bed.env.client;
  await client.workflow.getHandle(classId).terminate('the test takes its worker away');
  await client.workflow.start('trainingClassWorkflow', {
    taskQueue: 'no-worker-polls-this',
    workflowId: classId,
    args: [],
  });

  // An API whose commands wait 1.5 s, on a client of its own (the wait is set per client).
  const own = new Client({
    connection: t.bed.env.connection,
    namespace: client.options.namespace,
    dataConverter: client.options.dataConverter,
  });
  const app = createApp({
    db: t.bed.db,
    temporal: own,
    settings: { ...t.settings, updateTimeoutMs: TIMEOUT_MS },
    logger: pino({ level: 'silent' }),
  });
  try {
    const caseworker = await sessionCaller(app, 'cw');
    const review = () =>
      caseworker
        .call('post', `/api/v1/cases/${classId}/review`)
        .set('Idempotency-Key', 'review-nobody-answers')
        .send({ decision: 'APPROVE' })
        .timeout(30_000);

    const began = Date.now();
    const first = await review();
    const waited = Date.now() - began;
    expect(first.status).toBe(503);
    expect(first.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(first.body).toMatchObject({ status: 503, code: 'WORKFLOW_TIMEOUT' });
    expect(first.body.detail).toContain('工作流暂未响应');
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(waited).toBeLessThan(TIMEOUT_MS + 10_000);

    // Not remembered: the retry with the same key runs again (not 409 IDEMPOTENCY_IN_PROGRESS, not a replay).
    const again = await review();
    expect(again.status).toBe(503);
    expect(again.body).toMatchObject({ code: 'WORKFLOW_TIMEOUT' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    // and nothing changed in the read model meanwhile
    expect(await stage()).toBe('UNDER_REVIEW');
  } finally {
    (app.locals.close as () => void)();
    await client.workflow
      .getHandle(classId)
      .terminate('end of test')
      .catch(() => undefined);
  }
});
