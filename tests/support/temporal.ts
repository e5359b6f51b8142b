// A Temporal test bed: the time-skipping test server, a worker with the real activities on a fresh
// read model, and a client. The workflow bundle is built once per test process (DESIGN.md pitfalls).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  Runtime,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import { SimulatedBank, type PaymentGateway } from '../../activities/payments';
import type { Db } from '../../platform/db';
import { TASK_QUEUE } from '../../workflows/messages';
import type { PolicyVersion } from '../../domain/policy';
import { createTestDb } from './db';
import { testServerPath } from './toolchain';
import { registerSearchAttributes } from '../../worker/searchAttributes';
import { TEST_PII_KEY } from './people';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function workflowBundle() {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export interface Testbed {
  env: TestWorkflowEnvironment;
  db: Db;
  payments: PaymentGateway;
  teardown(): Promise<void>;
}

export async function startTestbed(
  opts: {
    region?: string;
    policies?: readonly PolicyVersion[];
    gateway?: (db: Db) => PaymentGateway;
    /** wraps the real activities, e.g. to slow one down and widen a race window */
    wrapActivities?: (real: Activities) => Activities;
  } = {},
): Promise<Testbed> {
  quietRuntime();
  const { db, cleanup } = await createTestDb(opts.policies);
  const env = await startTimeSkipping();
  await registerSearchAttributes(env.connection);
  const payments = opts.gateway?.(db) ?? new SimulatedBank(db);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: (opts.wrapActivities ?? ((a: Activities) => a))(
      createActivities({ db, payments, piiKey: TEST_PII_KEY, region: opts.region ?? '河北省' }),
    ),
    maxCachedWorkflows: 100,
  });
  const running = worker.run();
  return {
    env,
    db,
    payments,
    async teardown() {
      // A wedged test server can keep the worker from draining: give up waiting after a while.
      const patience = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
      worker.shutdown();
      await Promise.race([running.catch(() => undefined), patience(15_000)]);
      await Promise.race([env.teardown().catch(() => undefined), patience(15_000)]);
      await cleanup();
    },
  };
}

/**
 * The SDK gives the Java test server 5 seconds to start (sdk-core ephemeral_server, not configurable); a JVM on
 * a busy 2-core machine can take longer — three tries in a row timed out beside a long model run. A start that
 * timed out is tried again, up to five more times, after a pause that grows (1 s, 2 s, …) so the load can pass.
 */
async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: testServerPath() } },
      });
    } catch (err) {
      if (attempt >= 6 || !/did not start within/.test(String(err))) throw err;
      await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
    }
  }
}
