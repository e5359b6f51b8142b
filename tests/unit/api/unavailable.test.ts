// A 503 from the workflow service says why in the server's log (it used to say only "request failed", so a
// case wedged behind it in the crash run could not be told from Temporal being down), never to the caller; an
// Update refused only because the workflow's task is failing for a moment is sent again before that 503.
import { ServiceError, type Client } from '@temporalio/client';
import { defineUpdate } from '@temporalio/workflow';
import type { Request, Response } from 'express';
import { errorHandler, Problem } from '../../../api/problem';
import { TASK_FAILING_PAUSES_MS, update, workflowProblem, workflowTaskFailing } from '../../../api/workflow';

function respond(err: unknown) {
  const logged: { obj: object; msg: string }[] = [];
  const sent: { status?: number; body?: string } = {};
  const res = {
    headersSent: false,
    status(s: number) {
      sent.status = s;
      return this;
    },
    set() {
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  } as unknown as Response;
  const req = {
    id: 'req-1',
    originalUrl: '/api/v1/payments/batches/B-1/approve',
    headers: {},
  } as unknown as Request;
  errorHandler({ error: (obj, msg) => logged.push({ obj, msg }) })(err, req, res, () => undefined);
  return { logged, sent };
}

describe('a 503 from the workflow service', () => {
  const cause = new ServiceError('Unable to update workflow', {
    cause: new Error('9 FAILED_PRECONDITION: workflow task is failing'),
  });

  it('is TEMPORAL_UNAVAILABLE with what Temporal said kept for the log', () => {
    const p = workflowProblem(cause);
    expect(p).toBeInstanceOf(Problem);
    expect({ status: p!.status, code: p!.code }).toEqual({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
    expect(p!.reason).toBe(
      'ServiceError: Unable to update workflow: 9 FAILED_PRECONDITION: workflow task is failing',
    );
  });

  it('logs that cause with the request id and sends the caller only the problem', () => {
    const { logged, sent } = respond(workflowProblem(cause));
    expect(logged).toEqual([
      {
        obj: {
          reqId: 'req-1',
          code: 'TEMPORAL_UNAVAILABLE',
          cause: 'ServiceError: Unable to update workflow: 9 FAILED_PRECONDITION: workflow task is failing',
        },
        msg: 'service unavailable',
      },
    ]);
    expect(sent.status).toBe(503);
    expect(sent.body).not.toContain('FAILED_PRECONDITION');
    expect(JSON.parse(sent.body!)).toMatchObject({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
  });

  it('a refusal (4xx) logs nothing', () => {
    const { logged, sent } = respond(new Problem(409, 'WRONG_STAGE', { zh: '阶段不符', en: 'Wrong stage' }));
    expect(logged).toEqual([]);
    expect(sent.status).toBe(409);
  });
});

describe('an Update refused while the workflow task is failing', () => {
  // What the API logged in the year benchmark (api-1.log): the task timed out on a saturated machine.
  const failing = () =>
    new ServiceError('Workflow Update failed', {
      cause: new Error(
        '9 FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state.',
      ),
    });
  const clientAnswering = (answers: (() => unknown)[]) => {
    const calls: unknown[] = [];
    const executeUpdate = async (_def: unknown, options: unknown) => {
      calls.push(options);
      return answers[calls.length - 1]!();
    };
    const client = {
      workflow: { getHandle: () => ({ executeUpdate }) },
      withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    };
    return { calls, client: client as unknown as Client };
  };
  const def = defineUpdate<string, [string]>('approve');

  it('is sent again after a pause, with the same update, until the task works again', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { calls, client } = clientAnswering([
        () => Promise.reject(failing()),
        () => Promise.reject(failing()),
        () => Promise.resolve('ok'),
      ]);
      const answer = update(client, 'SJZ-2026-000001', def, 'x');
      await jest.advanceTimersByTimeAsync(TASK_FAILING_PAUSES_MS[0]! + TASK_FAILING_PAUSES_MS[1]!);
      await expect(answer).resolves.toBe('ok');
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((c) => JSON.stringify(c))).size).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers 503 TEMPORAL_UNAVAILABLE when the task is still failing after the last pause', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { calls, client } = clientAnswering(
        Array.from({ length: 10 }, () => () => Promise.reject(failing())),
      );
      const answer = update(client, 'SJZ-2026-000001', def, 'x');
      const settled = answer.catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(TASK_FAILING_PAUSES_MS.reduce((a, b) => a + b, 0));
      const p = (await settled) as Problem;
      expect({ status: p.status, code: p.code }).toEqual({ status: 503, code: 'TEMPORAL_UNAVAILABLE' });
      expect(calls).toHaveLength(TASK_FAILING_PAUSES_MS.length + 1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('is not sent again for any other refusal', async () => {
    const other = new ServiceError('Workflow Update failed', {
      cause: new Error('14 UNAVAILABLE: no connection'),
    });
    const { calls, client } = clientAnswering([() => Promise.reject(other), () => Promise.resolve('ok')]);
    const p = (await update(client, 'SJZ-2026-000001', def, 'x').catch((e: unknown) => e)) as Problem;
    expect(p.status).toBe(503);
    expect(calls).toHaveLength(1);
    expect(workflowTaskFailing(other)).toBe(false);
    expect(workflowTaskFailing(failing())).toBe(true);
  });
});
