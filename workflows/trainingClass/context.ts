// The case a class workflow holds: its state, how every change reaches the read model (emit/setStage, in
// order, exactly once), the lock that serialises the commands that change it, the background work it must finish before
// it ends, and the snapshot continue-as-new carries.
import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { PolicyVersion } from '../../domain/policy';
import type { OccupationLevelStandard } from '../../domain/occupations';
import type { CaseEvent } from '../../activities/types';
import type * as m from '../messages';
import { workflowNowIso } from '../clock';
import { acts } from '../proxies';

export type EventPatch = Omit<
  CaseEvent,
  'workflowId' | 'classId' | 'seq' | 'at' | 'actor' | 'action' | 'stage'
>;

/** The case is being cancelled: thrown out of whatever the process was waiting for. */
export class ClassCancelled extends Error {}

/**
 * A workflow mutex (Temporal's safe-message-handlers sample): handlers that change the roster run one at a
 * time, in arrival order, each seeing everything the earlier ones applied. A promise chain, not `condition`:
 * several conditions that become true together would all be released at once.
 */
export class Lock {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;
  get busy(): boolean {
    return this.holders > 0;
  }
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.holders++;
    try {
      await before;
      return await fn();
    } finally {
      this.holders--;
      release();
    }
  }
}

/**
 * How many answered Updates a case remembers by id. A client resends an Update only while it waits for the
 * answer (seconds); a few hundred cover every command in flight on one class many times over.
 */
export const ANSWERED_KEPT = 256;

export class ClassCase {
  readonly classId: string;
  readonly s: m.CaseState;
  policy!: PolicyVersion;
  standard!: OccupationLevelStandard;
  newOccupation = false;
  seq = 0;
  calendarVersion = 0;
  cancelRequested: { actor: m.Actor; reason: string } | undefined;
  /** set when the case starts to close: validators refuse everything from then on */
  ending = false;
  pending: m.PendingDecisions = {};
  /** Update id → the answer given, the latest ANSWERED_KEPT of them (handlers/command.ts); carried on */
  readonly answered = new Map<string, unknown>();
  readonly flags = { trainingStarted: false, trainingFinished: false };
  readonly attendance = new Map<string, Map<string, number>>(); // lessonKey → enrollmentId → hours
  readonly approvals = new Map<string, m.Actor>(); // batchId → finance approver
  readonly bankReturns = new Map<string, m.BankReturnLine[]>();
  trainingEndedOn = '';
  trainingEndedAt = '';
  noticeOpen = false;
  readonly correctedLines = new Set<string>();
  advanceDeducted = 0;
  /** follow-up children now running, so a calendar change reaches their windows too */
  readonly following = new Set<string>();
  /** commands that change the case apply one at a time (handlers/command.ts) */
  readonly lock = new Lock();
  private projectionTail: Promise<unknown> = Promise.resolve();
  private readonly background: Promise<unknown>[] = [];

  constructor(readonly input: m.ClassInput) {
    this.classId = input.classId;
    this.s = {
      classId: input.classId,
      institutionId: input.institutionId,
      district: input.district,
      stage: 'SUBMITTED',
      plan: input.plan,
      reviewNotes: [],
      trainees: [],
      lines: [],
      noticeRound: 0,
      objections: [],
      advancePaidFen: 0,
      paidFen: 0,
      recoveryFen: 0,
      batches: [],
      history: [],
    };
    if (input.resume) {
      // A continued run: the case as it was, the projection's counter (event and task ids go on) and any
      // decision acknowledged but not yet acted on.
      Object.assign(this.s, input.resume.state);
      this.seq = input.resume.seq;
      this.pending = { ...input.resume.pending };
      for (const [id, answer] of input.resume.answered ?? []) this.answered.set(id, answer);
    }
  }

  /** Keeps the answer to an Update by its id, forgetting the oldest beyond ANSWERED_KEPT. */
  rememberAnswer(updateId: string, answer: unknown): void {
    this.answered.set(updateId, answer);
    while (this.answered.size > ANSWERED_KEPT) this.answered.delete(this.answered.keys().next().value!);
  }

  /** Projects one event; events reach the read model in the order they were emitted. */
  emit(action: string, by: string, patch: EventPatch = {}): Promise<unknown> {
    const event: CaseEvent = {
      workflowId: this.classId,
      classId: this.classId,
      seq: ++this.seq,
      at: workflowNowIso(),
      actor: by,
      action,
      stage: this.s.stage,
      ...patch,
    };
    this.s.history.push({ seq: event.seq, at: event.at, action, by, stage: this.s.stage });
    if (this.s.history.length > 100) this.s.history.shift(); // the full trail is in the audit table
    const done = this.projectionTail.then(() => acts.project(event));
    this.projectionTail = done.catch(() => undefined);
    return done;
  }

  setStage(stage: m.Stage, by: string, action: string, patch: EventPatch = {}): Promise<unknown> {
    this.s.stage = stage;
    upsertSearchAttributes({ Stage: [stage] });
    return this.emit(action, by, { ...patch, classPatch: { stage, ...patch.classPatch } });
  }

  /** Everything projected so far has reached the read model. */
  projected(): Promise<unknown> {
    return this.projectionTail;
  }

  /** Work that runs beside the process (an advance payment, an objection's task): awaited before the end. */
  track<T>(work: Promise<T>): Promise<T> {
    this.background.push(work);
    work.catch(() => undefined); // handled: the failure surfaces where backgroundFinished() awaits it
    return work;
  }

  /** Waits for every tracked piece of work; a failure there fails the case here, not as a stray rejection. */
  async backgroundFinished(): Promise<void> {
    for (let i = 0; i < this.background.length; i++) await this.background[i];
  }

  /** No command is being applied or waiting to be. */
  commandsIdle(): Promise<void> {
    return condition(() => !this.lock.busy);
  }

  enrolled(): m.TraineeState[] {
    return this.s.trainees.filter((t) => t.status === 'ENROLLED');
  }

  trainee(enrollmentId: string): m.TraineeState | undefined {
    return this.s.trainees.find((t) => t.enrollmentId === enrollmentId);
  }

  /** The most trainees this class may hold: its planned capacity, at most the policy's cap per class. */
  capacity(): number {
    return Math.min(this.s.plan.capacity, this.policy.caps.traineesPerClass);
  }

  isInstitution(a: m.Actor): boolean {
    return a.role === 'INSTITUTION' && a.organisationId === this.input.institutionId;
  }

  noticeId(round: number): string {
    return `${this.classId}-N${round}`;
  }

  /** What continue-as-new carries: the case, the projection's counter and acknowledged decisions. */
  snapshot(): NonNullable<m.ClassInput['resume']> {
    return { state: this.s, seq: this.seq, pending: this.pending, answered: [...this.answered] };
  }
}
