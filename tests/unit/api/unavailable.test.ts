// A 503 from the workflow service says why in the server's log (it used to say only "request failed", so a
// case wedged behind it in the crash run could not be told from Temporal being down), never to the caller.
import { ServiceError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { errorHandler, Problem } from '../../../api/problem';
import { workflowProblem } from '../../../api/workflow';

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
