// GET /api/health: the database answers, Temporal answers, and a worker has polled the task queue lately.
import type { Request, Response } from 'express';
import { temporal as proto } from '@temporalio/proto';
import type { z } from 'zod';
import type { AppDeps } from '../context';
import type { HealthSchema } from '../responses';

type Check = { status: 'ok' | 'fail' | 'unknown'; detail?: string; ms: number };

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

async function timed(run: () => Promise<Omit<Check, 'ms'>>): Promise<Check> {
  const t = Date.now();
  try {
    return { ...(await withTimeout(run(), 2_000)), ms: Date.now() - t };
  } catch (err) {
    return {
      status: 'fail',
      detail: err instanceof Error ? err.message.slice(0, 200) : 'error',
      ms: Date.now() - t,
    };
  }
}

const POLLER_FRESH_MS = 60_000;

export function healthHandler(deps: AppDeps) {
  return async (_req: Request, res: Response) => {
    const service = deps.temporal.workflowService;
    const [database, temporal, worker] = await Promise.all([
      timed(async () => (await deps.db.$queryRawUnsafe('SELECT 1'), { status: 'ok' as const })),
      timed(async () => (await service.getSystemInfo({}), { status: 'ok' as const })),
      timed(async () => {
        try {
          const answer = await service.describeTaskQueue({
            namespace: deps.settings.temporalNamespace,
            taskQueue: {
              name: deps.settings.taskQueue,
              kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
            },
            taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          });
          const now = Date.now();
          const fresh = (answer.pollers ?? []).some((p) => {
            const s = p.lastAccessTime?.seconds;
            const at = s === undefined || s === null ? 0 : Number(s) * 1000;
            return at > now - POLLER_FRESH_MS;
          });
          return fresh
            ? { status: 'ok' as const }
            : {
                status: 'fail' as const,
                detail: `no worker polled ${deps.settings.taskQueue} in the last minute`,
              };
        } catch (err) {
          // The time-skipping test server does not implement DescribeTaskQueue.
          if (err instanceof Error && /unimplemented|not implemented/i.test(err.message))
            return { status: 'unknown' as const, detail: 'the server cannot describe task queues' };
          throw err;
        }
      }),
    ]);
    const checks = { database, temporal, worker };
    const failing = Object.entries(checks)
      .filter(([, c]) => c.status === 'fail')
      .map(([k]) => k);
    const status = failing.length
      ? 'fail'
      : Object.values(checks).some((c) => c.status !== 'ok')
        ? 'degraded'
        : 'ok';
    res
      .status(failing.length ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .json({ status, checks, ...(failing.length ? { failing } : {}) } satisfies z.input<
        typeof HealthSchema
      >);
  };
}
