// The case doctor (worker/doctor.ts) against the real thing: the Temporal database of the CI run (stop 25) in
// which the crash harness met the SDK's update-order defect. Its class SJZ-2026-000003 stopped at PAYOUT: workflow
// task 325 recorded computeDeadline (event 326, for a deadline timer that fired while the task before was lost on
// a killed worker's sticky queue) before accepting finance's approval (327); every replay since fails. A worker
// on today's code meets it, and its doctor resets the run to task 325 with the approval re-applied.
// (tests/fixtures/update-order-defect/temporal.db.gz: the dev server's SQLite file; payloads are encrypted with
// that run's throw-away key below and name no real person.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { UPDATE_ORDER_DEFECT, workerDoctor } from '../../worker/doctor';
import { EncryptionCodec } from '../../platform/codec';
import { workflowBundle } from '../support/temporal';
import { startDevServer } from '../support/devServer';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'update-order-defect', 'temporal.db.gz');
const PAYLOAD_KEY = '30b98d30d9fb8789f7910adc7202cc0ee0cc73bb15407cdcf1c79e999b74cc4f';
const CLASS = 'SJZ-2026-000003';
const STOPPED_RUN = '01a2321e-be20-7878-adfe-6c598f323bbf';
const APPROVAL_UPDATE = 'idem-afede3c2eee6d9ba1cc1963700e7ccf26afe1e80';
const E = temporal.api.enums.v1.EventType;
const dataConverter = { payloadCodecs: [new EncryptionCodec(PAYLOAD_KEY)] };

jest.setTimeout(180_000);

describe('the case doctor on the class the SDK defect stopped in CI', () => {
  let dir: string;
  let stopServer: (() => void) | undefined;
  let address: string;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-doctor-'));
    fs.writeFileSync(path.join(dir, 'temporal.db'), zlib.gunzipSync(fs.readFileSync(FIXTURE)));
    const dev = await startDevServer({ dbFile: path.join(dir, 'temporal.db') });
    address = dev.address;
    stopServer = dev.stop;
    connection = await Connection.connect({ address });
    client = new Client({ connection, dataConverter });
  });

  /** The doctor as the worker process makes it (worker/main.ts: its own client with the codec), and its lines. */
  const doctorAsTheWorkerMakesIt = () => {
    const logged: string[] = [];
    const doctor = workerDoctor({
      connection,
      namespace: 'default',
      payloadKey: PAYLOAD_KEY,
      identity: 'test',
      log: (l) => logged.push(l),
    });
    return { doctor, logged };
  };

  afterAll(async () => {
    await connection?.close();
    stopServer?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('still fails to replay on this SDK with the defect’s message (if an SDK upgrade fixes it, the doctor may go)', async () => {
    const history = await client.workflow.getHandle(CLASS, STOPPED_RUN).fetchHistory();
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, history, CLASS),
    ).rejects.toThrow(UPDATE_ORDER_DEFECT);
  });

  it('is repaired by a worker that meets it: reset to task 325 with the approval re-applied, once', async () => {
    const native = await NativeConnection.connect({ address });
    const { doctor, logged } = doctorAsTheWorkerMakesIt();
    try {
      // Workflow tasks only: no activities run here (the repair is Temporal's business, not the read model's).
      const worker = await Worker.create({
        connection: native,
        taskQueue: 'skillflow',
        workflowBundle: await workflowBundle(),
        dataConverter,
      });
      expect(doctor.watch(worker)).toBe(true);
      await worker.runUntil(async () => {
        const until = Date.now() + 120_000;
        while (doctor.repairs.length === 0 && Date.now() < until)
          await new Promise((r) => setTimeout(r, 200));
      });
    } finally {
      await native.close();
    }
    expect(doctor.repairs).toEqual([
      { workflowId: CLASS, runId: STOPPED_RUN, resetToEventId: 325, newRunId: expect.any(String) },
    ]);
    expect(logged.join('\n')).toContain(`${CLASS} repaired`);
    const [repair] = doctor.repairs;
    expect((await client.workflow.getHandle(CLASS, STOPPED_RUN).describe()).status.name).toBe('TERMINATED');

    // The new run keeps the history up to the task it was reset to, and the approval is admitted again after it.
    const events = (await client.workflow.getHandle(CLASS, repair!.newRunId).fetchHistory()).events ?? [];
    const admitted = events.filter((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED);
    expect(
      admitted.map((e) => e.workflowExecutionUpdateAdmittedEventAttributes?.request?.meta?.updateId),
    ).toEqual([APPROVAL_UPDATE]);
    expect(Number(admitted[0]!.eventId)).toBeGreaterThan(324);
    expect(admitted[0]!.workflowExecutionUpdateAdmittedEventAttributes?.request?.input?.name).toBe(
      'approvePayment',
    );

    // Met again (another worker, the next attempt): the same look, no second reset.
    await expect(
      doctor.examine(STOPPED_RUN, 'Update machine does not handle this event: HistoryEvent(id: 326'),
    ).resolves.toEqual(repair);
    const runs: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${CLASS}'` })) runs.push(wf.runId);
    expect(runs.sort()).toEqual([STOPPED_RUN, repair!.newRunId].sort());
  });

  it('reads a run whose memo is encrypted, as every class started since filings carry their mark there', async () => {
    // A class's memo is a payload like any other: encrypted by the codec. (The fixture's run predates the memo.)
    const started = await client.workflow.start('trainingClassWorkflow', {
      workflowId: 'SJZ-2026-900001',
      taskQueue: 'parked', // no worker: only its description and history are read
      args: [{ classId: 'SJZ-2026-900001' }],
      memo: { filing: 'idem-memo-test' },
    });
    for (let i = 0; i < 100; i++) {
      let listed = false;
      for await (const wf of client.workflow.list({ query: `RunId = '${started.firstExecutionRunId}'` }))
        listed = wf.runId === started.firstExecutionRunId;
      if (listed) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { doctor, logged } = doctorAsTheWorkerMakesIt();
    await expect(
      doctor.examine(
        started.firstExecutionRunId,
        'Update machine does not handle this event: HistoryEvent(id: 2',
      ),
    ).resolves.toBeUndefined();
    // Looked at and refused by the diagnosis (no such shape in a fresh run), not refused by the codec.
    expect(logged).toEqual([
      expect.stringMatching(/^case doctor: SJZ-2026-900001 \(run .*\) .* not repaired: /),
    ]);
  });
});
