// The crash driver: SIGKILLs the worker at random moments, some of them while a payment submission or a
// projection write is in flight (told by the worker's opt-in marks, worker/chaosMarks.ts), and restarts the
// API process and the Temporal server once each. It kills only the processes of its own stack, by pid; the
// stack's supervisor (scripts/supervisor.ts) starts each again.
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { Stack, StackProcess } from '../../scripts/stack';
import { TASK_QUEUE } from '../../workflows/messages';

export interface Kill {
  at: string;
  process: StackProcess | 'postgres';
  pid: number;
  /** why now: a random moment, right after a payment submission finished (held), a projection write started */
  mode: 'random' | 'payment' | 'projection' | 'restart';
  /** the activity it interrupted, when the marks say one was in flight */
  inFlight?: string;
}

interface Mark {
  ms: number;
  pid: number;
  activity: string;
  phase: 'start' | 'end';
  id: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the marks file as it grows. */
class Marks {
  private offset = 0;
  private rest = '';
  readonly all: Mark[] = [];
  constructor(private readonly file: string) {}
  read(): Mark[] {
    let text = '';
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size > this.offset) {
          const buf = Buffer.alloc(size - this.offset);
          fs.readSync(fd, buf, 0, buf.length, this.offset);
          this.offset = size;
          text = buf.toString('utf8');
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return [];
    }
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop() ?? '';
    const fresh = lines.filter(Boolean).map((l) => {
      const [ms, pid, activity, phase, id] = l.split(' ');
      return {
        ms: Number(ms),
        pid: Number(pid),
        activity: activity!,
        phase: phase as Mark['phase'],
        id: id!,
      };
    });
    this.all.push(...fresh);
    return fresh;
  }
}

export interface KillerOptions {
  stack: Pick<Stack, 'pid'>;
  /** every worker process now (the cluster runs two); default: the stack's one */
  workers?: () => number[];
  temporalAddress: string;
  marksFile: string;
  /** how long a finished payment submission waits before reporting (SKILLFLOW_CHAOS_HOLD_MS) */
  holdMs: number;
  /**
   * Kill the worker at most this many times while a payment (projection) is in flight, never twice in the same
   * one: the activity is retried only after its start-to-close timeout (2 minutes, 30 s), so each such kill
   * stalls its class that long, and killing every retry would stall it for ever.
   */
  maxPaymentKills: number;
  maxProjectionKills: number;
  /** restart the API once a command is on its way and at least this many worker kills happened; Temporal after */
  restartApiAfterKills: number;
  /**
   * No worker kill after this many: the run keeps killing while classes are under way, so a slow (shared) machine
   * would otherwise get more kills than a fast one, and the test's strength would depend on the machine's load.
   */
  maxWorkerKills?: number;
  restartTemporalAfterKills: number;
  /** crash and restart the database once, a kill after the Temporal restart (the cluster's PostgreSQL) */
  restartDatabase?: () => Promise<void>;
  /** commands in flight now (the API is restarted while one is) */
  inFlight: () => number;
  log: (line: string) => void;
}

export class Killer {
  readonly kills: Kill[] = [];
  private stopped = false;
  private readonly marks: Marks;
  private readonly paymentsKilled = new Set<string>();
  private readonly projectionsKilled = new Set<string>();
  /** until when a finished payment submission is held (a random kill must not land on it) */
  private heldUntil = 0;
  private loop?: Promise<void>;

  constructor(private readonly o: KillerOptions) {
    this.marks = new Marks(o.marksFile);
  }

  start() {
    this.loop = this.run();
  }

  /** Stops killing and waits (a minute at most) for a worker to poll again, for the verdict's queries. */
  async stop() {
    this.stopped = true;
    await this.loop;
    await this.workerPolling(60_000);
  }

  get workerKills() {
    return this.kills.filter((k) => k.process === 'worker');
  }

  /** Waits until a worker process runs and polls the task queue; returns its pid. */
  async workerPolling(timeoutMs = 180_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const pid = this.o.stack.pid('worker');
      if (pid !== undefined && (await this.pollers().catch((): number[] => [])).includes(pid)) return pid;
      this.catchHeldPayment();
      await sleep(250);
    }
    throw new Error(`no worker polled the task queue within ${timeoutMs / 1000} s`);
  }

  /** The worker processes alive now (the cluster's two, or the stack's one). */
  private alive(fallback?: number): number[] {
    const all = this.o.workers?.() ?? [];
    if (all.length) return all;
    const pid = fallback ?? this.o.stack.pid('worker');
    return pid === undefined ? [] : [pid];
  }

  /** The new marks of live workers; notes how long a finished payment submission is held. */
  private scan(alive: number[]): Mark[] {
    const fresh = this.marks.read().filter((x) => alive.includes(x.pid));
    for (const m of fresh)
      if (m.activity === 'submitPayments' && m.phase === 'end')
        this.heldUntil = Math.max(this.heldUntil, m.ms + this.o.holdMs + 200);
    return fresh;
  }

  /** A payment submission among `marks` that has written its bank file and is still held, if one may be killed. */
  private heldPayment(marks: Mark[]): Mark | undefined {
    return marks.find(
      (m) =>
        m.activity === 'submitPayments' &&
        m.phase === 'end' &&
        Date.now() - m.ms < this.o.holdMs - 300 && // still held: not reported yet
        !this.paymentsKilled.has(m.id) &&
        this.paymentsKilled.size < this.o.maxPaymentKills,
    );
  }

  /** The bank file is written; the worker holds the result for holdMs: killed now, Temporal never hears. */
  private killPayment(m: Mark) {
    this.paymentsKilled.add(m.id);
    this.kill('worker', m.pid, 'payment', `submitPayments ${m.id} (bank file written, not reported)`);
  }

  /**
   * While the killer waits (for a worker to poll again, for a request in flight to restart the API on), a payment
   * that finishes is still killed: with few classes, their payments come together and could all fall in a wait
   * (a 3-class cluster run once had no payment kill).
   */
  private catchHeldPayment() {
    if (this.stopped) return;
    const m = this.heldPayment(this.scan(this.alive()));
    if (m) this.killPayment(m);
  }

  private async pollers(): Promise<number[]> {
    const connection = await Connection.connect({ address: this.o.temporalAddress, connectTimeout: 1000 });
    try {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: TASK_QUEUE, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      // A killed worker stays listed for a minute: only a poll after it started counts.
      return (pollers ?? []).map((p) => Number((p.identity ?? '').split('@')[0]));
    } finally {
      await connection.close();
    }
  }

  private async run() {
    const modes = ['random', 'projection', 'random', 'projection', 'random'] as const;
    for (let round = 0; !this.stopped; round++) {
      const pid = await this.workerPolling().catch(() => undefined);
      if (this.stopped || pid === undefined) break;
      const worker = this.workerKills.length;
      if (worker >= this.o.restartApiAfterKills && !this.kills.some((k) => k.process === 'api')) {
        await this.restart('api');
        continue;
      }
      if (worker >= this.o.restartTemporalAfterKills && !this.kills.some((k) => k.process === 'temporal')) {
        await this.restart('temporal');
        continue;
      }
      const { restartDatabase } = this.o;
      if (
        restartDatabase &&
        worker > this.o.restartTemporalAfterKills &&
        !this.kills.some((k) => k.process === 'postgres')
      ) {
        this.kills.push({ at: new Date().toISOString(), process: 'postgres', pid: 0, mode: 'restart' });
        this.o.log('chaos: PostgreSQL crashed (immediate stop) and started again');
        await restartDatabase();
        continue;
      }
      if (worker >= (this.o.maxWorkerKills ?? Number.POSITIVE_INFINITY)) {
        // Enough random and projection kills; a payment that finishes is still killed (at most maxPaymentKills).
        this.catchHeldPayment();
        await sleep(20);
        continue;
      }
      await this.killWorker(pid, modes[round % modes.length]!);
    }
  }

  /**
   * Waits for the moment of this round's mode (a payment finishing preempts any), then SIGKILLs the worker —
   * with several workers, the one that holds the payment or runs the projection, or a random one.
   */
  private async killWorker(pid: number, mode: 'random' | 'projection') {
    const roundStart = Date.now();
    const randomAt = Date.now() + 3_000 + Math.random() * 9_000;
    const midProjection = this.kills.filter((k) => k.mode === 'projection' && k.inFlight).length;
    if (midProjection >= this.o.maxProjectionKills) mode = 'random';
    const giveUpAt = Date.now() + 20_000;
    while (!this.stopped) {
      const alive = this.alive(pid);
      const marks = this.scan(alive);
      const payment = this.heldPayment(marks);
      if (payment) return this.killPayment(payment);
      for (const m of marks) {
        const projection =
          mode === 'projection' &&
          m.activity === 'project' &&
          m.phase === 'start' &&
          m.ms >= roundStart &&
          !this.projectionsKilled.has(m.id);
        if (projection) {
          this.projectionsKilled.add(m.id);
          this.kill('worker', m.pid, 'projection');
          // In flight if the worker never marked its end (it is dead now: the file is final for it).
          await sleep(50);
          const ended = this.marks.read().some((x) => x.pid === m.pid && x.id === m.id && x.phase === 'end');
          const kill = this.kills.at(-1)!;
          if (!ended) kill.inFlight = `project ${m.id}`;
          return;
        }
      }
      // A random kill never lands on a held payment: only the payment kills above do (at most once each).
      const due = Date.now() >= (mode === 'random' ? randomAt : giveUpAt) && Date.now() > this.heldUntil;
      if (due) return this.kill('worker', alive[Math.floor(Math.random() * alive.length)]!, 'random');
      await sleep(2);
    }
  }

  private kill(process: StackProcess, pid: number, mode: Kill['mode'], inFlight?: string) {
    try {
      globalThis.process.kill(pid, 'SIGKILL');
    } catch {
      return; // it had died already
    }
    this.kills.push({ at: new Date().toISOString(), process, pid, mode, ...(inFlight ? { inFlight } : {}) });
    this.o.log(`chaos: SIGKILL ${process} ${pid} (${mode}${inFlight ? `: ${inFlight}` : ''})`);
  }

  /** SIGKILLs the API (while a command is on its way, if one comes within 20 s) or the Temporal server. */
  private async restart(which: 'api' | 'temporal') {
    const until = Date.now() + 20_000;
    if (which === 'api')
      while (this.o.inFlight() === 0 && Date.now() < until) {
        this.catchHeldPayment();
        await sleep(5);
      }
    const pid = this.o.stack.pid(which);
    if (pid === undefined) return;
    const busy = this.o.inFlight();
    this.kill(which, pid, 'restart', which === 'api' && busy ? `${busy} request(s)` : undefined);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const next = this.o.stack.pid(which);
      if (next !== undefined && next !== pid) return;
      await sleep(100);
    }
    throw new Error(`the ${which} process did not come back within 2 minutes`);
  }
}
