// The worker process: registers the workflows and activities on the task queue, with the payload codec.
import os from 'node:os';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities';
import { openDatabase } from '../platform/db';
import { ensureTallies } from '../platform/tallies';
import { FileBatchGateway, SimulatedBank } from '../activities/payments';
import { keyFromEnv } from '../domain/pii';
import { loadSettings } from '../platform/config';
import { EncryptionCodec } from '../platform/codec';
import { withChaosMarks } from './chaosMarks';
import { workerDoctor } from './doctor';

async function main() {
  const settings = loadSettings();
  const db = openDatabase(settings.databaseUrl);
  // The dashboard's counters, counted once from the class rows when a read model predates them (before this
  // worker projects anything; on a rolling upgrade of several workers, stop the old ones first).
  const { recounted } = await ensureTallies(db);
  if (recounted) console.log(`dashboard counters recounted from ${recounted} classes`);
  const payments =
    settings.paymentGateway === 'file'
      ? new FileBatchGateway(db, settings.bankDir)
      : new SimulatedBank(db, 0, settings.simulatedBankRefuses);
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: settings.temporalNamespace,
    taskQueue: settings.taskQueue,
    // Bundled at start from the compiled workflows; production images may pre-bundle instead.
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') }),
    // withChaosMarks: the crash harness's opt-in hook (worker/chaosMarks.ts); returns them as they are unless
    // SKILLFLOW_CHAOS_MARKS is set.
    activities: withChaosMarks(
      createActivities({
        db,
        payments,
        piiKey: keyFromEnv(settings.piiKey, 'SKILLFLOW_PII_KEY'),
        region: settings.region,
      }),
    ),
    dataConverter: { payloadCodecs: [new EncryptionCodec(settings.payloadKey)] },
    maxCachedWorkflows: settings.workflowCacheSize,
  });
  // The case doctor (worker/doctor.ts) repairs a case the SDK's update-order defect stopped, as it is met.
  const doctorConnection = await Connection.connect({ address: settings.temporalAddress });
  workerDoctor({
    connection: doctorConnection,
    namespace: settings.temporalNamespace,
    payloadKey: settings.payloadKey,
    identity: `${process.pid}@${os.hostname()} case doctor`,
    log: (line) => console.log(line),
  }).watch(worker);
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `worker polling task queue "${settings.taskQueue}" on ${settings.temporalAddress}` +
      ` (${settings.workflowCacheSize} workflows cached)`,
  );
  await worker.run();
  await doctorConnection.close();
  await connection.close();
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
