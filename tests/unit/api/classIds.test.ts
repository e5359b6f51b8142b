// Class ids under filings that arrive together (found by bench/load.ts: 50 institutions' systems filing at once
// met 503 CLASS_ID_EXHAUSTED while the read model had not caught up). Temporal is a stand-in that refuses a
// duplicate workflow id, as REJECT_DUPLICATE does, after a random delay; the read model never catches up.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../../platform/db';
import { CLASS_ID_ATTEMPTS } from '../../../api/classIds';

type StartClass = typeof import('../../../api/classIds').startClass;

function standIns(projected: string[] = []) {
  const started = new Set<string>();
  const temporal = {
    workflow: {
      start: async (_type: string, opts: { workflowId: string }) => {
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        if (started.has(opts.workflowId))
          throw new WorkflowExecutionAlreadyStartedError(
            'already started',
            opts.workflowId,
            'trainingClassWorkflow',
          );
        started.add(opts.workflowId);
      },
    },
  } as unknown as Client;
  const highest = [...projected].sort().at(-1);
  const db = {
    trainingClass: { findFirst: async () => (highest ? { id: highest } : null) },
  } as unknown as Db;
  return { deps: { db, temporal, taskQueue: 'q' }, started };
}

const input = {} as Parameters<StartClass>[1];
/** A fresh copy of the module: a process of its own (an API process, the demo seeder). */
const processOwn = (): StartClass => {
  let fn: StartClass | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module needs require
    fn = (require('../../../api/classIds') as { startClass: StartClass }).startClass;
  });
  return fn!;
};

describe('class ids for filings that arrive together', () => {
  it(`gives ${3 * CLASS_ID_ATTEMPTS} plans filed at once in one process each a number of its own, in order`, async () => {
    const startClass = processOwn();
    const { deps } = standIns();
    const n = 3 * CLASS_ID_ATTEMPTS;
    const ids = await Promise.all(Array.from({ length: n }, () => startClass(deps, input, '2026')));
    expect(new Set(ids).size).toBe(n);
    expect([...ids].sort()).toEqual(
      Array.from({ length: n }, (_, i) => `SJZ-2026-${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('starts after the highest class in the read model, and two processes filing together never share a number', async () => {
    const [api, seeder] = [processOwn(), processOwn()];
    const { deps, started } = standIns(['SJZ-2026-000040']);
    const ids = await Promise.all(
      Array.from({ length: 120 }, (_, i) => (i % 2 ? api : seeder)(deps, input, '2026')),
    );
    expect(new Set(ids).size).toBe(120);
    expect(started.size).toBe(120);
    expect(ids.every((id) => id > 'SJZ-2026-000040')).toBe(true);
  });
});
