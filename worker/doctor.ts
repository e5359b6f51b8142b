// The case doctor: repairs a case that a known defect of the Temporal SDK stopped, and only that one.
//
// The defect (sdk-core, the engine under the TypeScript SDK 1.24; cf. temporalio/sdk-rust#943 and #1146): a
// workflow task is lost (the worker holding it died, or it waited on a dead worker's sticky queue until it
// timed out) while something happened to the case (a timer fired, an activity finished), and an Update arrives
// before the next task. The next task then records the workflow's own commands (what it did about the timer)
// before the Update's acceptance; a replay of that history (another worker, a restart, a full cache) puts the
// Update first, and fails with "[TMPRL1100] Nondeterminism error: Update machine does not handle this event".
// Every later task fails the same way: the case stops for good, with a decision the API acknowledged in it.
// The workflow code cannot prevent it (the order of the two is the SDK's), so the worker repairs the case:
// it resets the run to that workflow task, Temporal re-applies the Update (and any Signal) received after it,
// and the case goes on from where it was, each command applied once (Update ids and the activities' own
// idempotency keys make the re-run of the task's activities harmless).
//
// It repairs nothing else: another nondeterminism (a workflow change without patched()) is logged for a person,
// and so is this one in a class whose follow-up children still run (a reset ends the old run, and the children
// with it) or in a follow-up child itself (its class waits on the run a reset would end). The crash harness (bench/chaos.ts) met it in CI: one class stopped at PAYOUT with its approval accepted.
import type { EventEmitter } from 'node:events';
import { Client, type Connection } from '@temporalio/client';
import { coresdk, temporal } from '@temporalio/proto';
import { EncryptionCodec } from '../platform/codec';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;
const EVICTION_NONDETERMINISM = coresdk.workflow_activation.RemoveFromCache.EvictionReason.NONDETERMINISM;

/** The failure message the defect produces, naming the first event that no longer matches. */
export const UPDATE_ORDER_DEFECT = /Update machine does not handle this event: HistoryEvent\(id: (\d+)/;

export type Diagnosis =
  { repair: true; resetToEventId: number; why: string } | { repair: false; why: string };

const idOf = (e: HistoryEvent) => Number(e.eventId);

/**
 * Whether `events` (one run's history) shows the defect behind `failure` (a nondeterminism message), and the
 * workflow task to reset to: the completed task whose commands put the workflow's own command before an Update's
 * acceptance, after a task that was lost (timed out or failed).
 */
export function diagnose(events: HistoryEvent[], failure: string): Diagnosis {
  const named = UPDATE_ORDER_DEFECT.exec(failure);
  if (!named) return { repair: false, why: `not the SDK's update-order defect: ${failure.slice(0, 200)}` };
  const badId = Number(named[1]);
  const bad = events.findIndex((e) => idOf(e) === badId);
  if (bad < 0) return { repair: false, why: `event ${badId} is not in the history` };
  let completed = bad - 1;
  while (completed >= 0 && events[completed]!.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) completed--;
  if (completed < 0) return { repair: false, why: `no completed workflow task before event ${badId}` };
  // The task's commands (up to the next task): the named one, then an Update's acceptance.
  let next = completed + 1;
  while (next < events.length && events[next]!.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) next++;
  const commands = events.slice(completed + 1, next);
  const accepted = commands.findIndex((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  const namedAt = commands.findIndex((e) => idOf(e) === badId);
  if (accepted < 0 || namedAt < 0 || namedAt >= accepted)
    return { repair: false, why: `event ${badId} is not a command recorded before an Update's acceptance` };
  // Since the task before, a task was lost.
  let previous = completed - 1;
  while (previous >= 0 && events[previous]!.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) previous--;
  const lost = events
    .slice(previous + 1, completed)
    .some(
      (e) =>
        e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT ||
        e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    );
  if (!lost)
    return { repair: false, why: `no workflow task was lost before event ${idOf(events[completed]!)}` };
  const open = openChildren(events);
  if (open.length)
    return {
      repair: false,
      why: `the update-order defect, but ${open.length} follow-up child workflow(s) still run (${open
        .slice(0, 3)
        .join(', ')}): a reset would end them with the old run; reset by hand after they finish`,
    };
  const resetTo = idOf(events[completed]!);
  return {
    repair: true,
    resetToEventId: resetTo,
    why: `the SDK's update-order defect: workflow task ${resetTo} recorded event ${badId} before an Update's acceptance, after a lost task`,
  };
}

/** Child workflows started in this history and not yet ended. */
export function openChildren(events: HistoryEvent[]): string[] {
  const started = new Map<number, string>();
  for (const e of events) {
    const a = e.childWorkflowExecutionStartedEventAttributes;
    if (e.eventType === E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED && a)
      started.set(Number(a.initiatedEventId), a.workflowExecution?.workflowId ?? '?');
  }
  for (const e of events) {
    const ended =
      e.childWorkflowExecutionCompletedEventAttributes ??
      e.childWorkflowExecutionFailedEventAttributes ??
      e.childWorkflowExecutionCanceledEventAttributes ??
      e.childWorkflowExecutionTimedOutEventAttributes ??
      e.childWorkflowExecutionTerminatedEventAttributes;
    if (ended) started.delete(Number(ended.initiatedEventId));
  }
  return [...started.values()];
}

export interface DoctorOptions {
  client: Client;
  namespace: string;
  log: (line: string) => void;
  /** who resets (the worker's identity) */
  identity: string;
}

export interface Repair {
  workflowId: string;
  runId: string;
  resetToEventId: number;
  newRunId: string;
}

/** Examines each run whose workflow task failed with nondeterminism, once, and repairs the known defect. */
export class CaseDoctor {
  private readonly seen = new Map<string, Promise<Repair | undefined>>();
  readonly repairs: Repair[] = [];

  constructor(private readonly o: DoctorOptions) {}

  /** Listens to the worker's evictions (the SDK's own; `evictionsEmitter` is how its replayer learns them). */
  watch(worker: unknown): boolean {
    const emitter = (worker as { evictionsEmitter?: EventEmitter }).evictionsEmitter;
    if (!emitter || typeof emitter.on !== 'function') {
      this.o.log(
        'case doctor: this SDK version does not report evictions; cases stopped by its defect are not repaired',
      );
      return false;
    }
    emitter.on(
      'eviction',
      (e: { runId?: string; evictJob?: { reason?: number | null; message?: string | null } }) => {
        if (e.runId && e.evictJob?.reason === EVICTION_NONDETERMINISM)
          void this.examine(e.runId, e.evictJob.message ?? '');
      },
    );
    return true;
  }

  /** Looks at the run once (a second failure of the same run waits for the first look); never throws. */
  examine(runId: string, failure: string): Promise<Repair | undefined> {
    let look = this.seen.get(runId);
    if (!look) {
      look = this.look(runId, failure).catch((err: unknown) => {
        this.o.log(`case doctor: could not examine run ${runId}: ${String(err)}`);
        this.seen.delete(runId); // asked again at its next failure
        return undefined;
      });
      this.seen.set(runId, look);
    }
    return look;
  }

  private async look(runId: string, failure: string): Promise<Repair | undefined> {
    const { client, namespace } = this.o;
    let workflowId: string | undefined;
    for await (const wf of client.workflow.list({ query: `RunId = '${runId.replace(/'/g, '')}'` })) {
      workflowId = wf.workflowId;
      break;
    }
    if (!workflowId) throw new Error('not found in visibility yet');
    const handle = client.workflow.getHandle(workflowId, runId);
    const { status, parentExecution } = await handle.describe();
    if (status.name !== 'RUNNING') return undefined; // repaired already (by another worker) or ended
    if (parentExecution) {
      // A follow-up child (its evidence is an Update too): its parent class waits on this run, which a reset ends.
      this.o.log(
        `case doctor: ${workflowId} (run ${runId}, a child of ${parentExecution.workflowId}) fails with nondeterminism; ` +
          `not repaired: a reset would end the run its class waits on; reset it by hand`,
      );
      return undefined;
    }
    const history = await handle.fetchHistory();
    const diagnosis = diagnose(history.events ?? [], failure);
    if (!diagnosis.repair) {
      this.o.log(
        `case doctor: ${workflowId} (run ${runId}) fails with nondeterminism; not repaired: ${diagnosis.why}`,
      );
      return undefined;
    }
    type Request = temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest;
    const { runId: newRunId } = (await client.workflowService.resetWorkflowExecution({
      namespace,
      workflowExecution: { workflowId, runId },
      // an int64 (Long) field; protobufjs takes a number
      workflowTaskFinishEventId: diagnosis.resetToEventId as unknown as Request['workflowTaskFinishEventId'],
      // The same request from every worker that meets the failure: Temporal resets once.
      requestId: `case-doctor-${runId}-${diagnosis.resetToEventId}`,
      reason: `SkillFlow case doctor: ${diagnosis.why}; reset with the Update re-applied`,
      identity: this.o.identity,
    })) as temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse;
    const repair = { workflowId, runId, resetToEventId: diagnosis.resetToEventId, newRunId: newRunId ?? '' };
    this.repairs.push(repair);
    this.o.log(
      `case doctor: ${workflowId} repaired: ${diagnosis.why}; run ${runId} reset to event ${diagnosis.resetToEventId}, ` +
        `new run ${repair.newRunId}`,
    );
    return repair;
  }
}

/**
 * The doctor a worker process runs (worker/main.ts): a client of its own on `connection`, with the cases' payload
 * codec. Without the codec, describing a run fails ("Unknown encoding: binary/encrypted") and the doctor examines
 * nothing; so it was in every real worker until a crash-harness run caught it (tests/e2e/caseDoctor.test.ts).
 */
export function workerDoctor(opts: {
  connection: Connection;
  namespace: string;
  payloadKey: string;
  identity: string;
  log: (line: string) => void;
}): CaseDoctor {
  return new CaseDoctor({
    client: new Client({
      connection: opts.connection,
      namespace: opts.namespace,
      dataConverter: { payloadCodecs: [new EncryptionCodec(opts.payloadKey)] },
    }),
    namespace: opts.namespace,
    identity: opts.identity,
    log: opts.log,
  });
}
