// Drives one model run: sets up its classes in the chosen phase, fires the generated waves of concurrent
// Updates, takes the classes on until they rest, and keeps a ledger of every call and its answer, which
// the invariants (invariants.ts) then hold against the final state.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import * as m from '../../../workflows/messages';
import { trainingClassWorkflow } from '../../../workflows';
import { addDays, shanghaiDate } from '../../../domain/dates';
import { actors, INSTITUTION, lessons, plan as classPlan, today } from '../../support/scenario';
import { freshPeople, priorSubsidies, queueOf, type ModelBed, type ModelPerson } from './bed';
import type { Cmd, ClassSpec, Run, Sent } from './commands';

/** How long a client waits for an Update's answer before calling it unanswered (real time). */
export const CALL_TIMEOUT_MS = Number(process.env.MODEL_CALL_TIMEOUT_MS ?? 20_000);
/** Simulated time every run is given at the end to settle (an activity retrying since shows attempt > 3). */
const SETTLE_MS = 90_000;
const MINUTE = 60_000;
const ENDED: readonly m.Stage[] = ['CANCELLED', 'REJECTED', 'CLOSED'];
export const hasEnded = (s: m.CaseState | undefined) => s !== undefined && ENDED.includes(s.stage);

export type Outcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'no-answer' }
  | { kind: 'error'; message: string };

export interface Prepared {
  update: UpdateDefinition<unknown, [unknown]>;
  target: string;
  args: Record<string, unknown>;
  /** what the call is about, for the invariants */
  meta: {
    reason?: string;
    venue?: string;
    decision?: m.ReviewDecision;
    enrollmentIds?: string[];
    enrollmentId?: string;
    evidence?: m.EvidenceSubmission;
    when?: 'inWindow' | 'beforeEnd' | 'afterWindow' | 'late';
    verdict?: 'VERIFIED' | 'REJECTED';
    objectionId?: string;
    lineId?: string;
    batchId?: string;
    resolution?: m.ObjectionResolution;
    wrongActor?: boolean;
  };
}

export interface Call extends Prepared {
  no: number;
  /** 0 the first request, 1 its duplicate or retry */
  copy: number;
  copies: Sent['copies'];
  /** wave number; -1 the driver's own calls, -2 commands sent after the class ended or its window closed */
  wave: number;
  kind: Cmd['kind'];
  cls: number;
  updateId: string;
  sentSeq: number;
  doneSeq: number;
  outcome: Outcome;
  /** the rules say this call must be refused (e.g. start on a cancelled class) */
  mustRefuse?: string;
}

export interface ClassCtx {
  i: number;
  id: string;
  spec: ClassSpec;
  plan: m.ClassPlan;
  cap: number;
  /** enrollment ids of the set-up roster (follow-up and notice phases) */
  roster: m.TraineeApplication[];
  /** trainees with a follow-up child */
  candidates: string[];
  trainingEnd?: string;
  window?: { endsOn: string; endsAt: string };
  /** every enrollment id any call has named for this class */
  sentEnrollments: string[];
  last?: m.CaseState;
}

export interface Violation {
  invariant: string;
  classId?: string;
  detail: string;
}

export interface RunCtx {
  bed: ModelBed;
  runNo: number;
  run: Run;
  classes: ClassCtx[];
  people: ModelPerson[];
  calls: Call[];
  seq: number;
  nextNo: number;
  violations: Violation[];
  /** set-up failed: there is no run to check */
  aborted?: boolean;
  /** a client call to the server never answered: the next run gets a fresh bed */
  hung?: boolean;
  /** on the dev server, a case had not come to rest when the state was read (quiesce gave up) */
  unrested?: boolean;
  /** workflow time when each wave had been answered (another lane may skip time meanwhile) */
  waveEndedAt: number[];
}

const TRACE = process.env.MODEL_TRACE === '1';
class SetupError extends Error {}

const sleepReal = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every client call is bounded: a wedged server or workflow becomes a finding, never a hung test. */
export class Hung extends Error {}
export async function bounded<T>(what: string, p: Promise<T>, ms = CALL_TIMEOUT_MS): Promise<T> {
  p.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hung(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Lets workflow time pass; time only skips while every workflow rests, so one that never does shows here. One
 * skip at a time per server: two concurrent skips (unlockTimeSkippingWithSleep) can leave the Java test server
 * with time skipping locked for good.
 */
const skipping = new WeakMap<object, Promise<unknown>>();
async function skip(ctx: RunCtx, ms: number) {
  // On the dev server (plan review) time is real: a few seconds let a failing activity reach attempt 3.
  if (!ctx.bed.timeSkipping) return sleepReal(Math.min(ms, 3_500));
  const mine = (skipping.get(ctx.bed.env) ?? Promise.resolve()).then(() =>
    bounded(`skipping ${Math.round(ms / 60_000)} min of workflow time`, ctx.bed.env.sleep(ms), 60_000),
  );
  skipping.set(
    ctx.bed.env,
    mine.catch(() => undefined),
  );
  await mine;
}
const handleOf = (ctx: RunCtx, c: ClassCtx) =>
  ctx.bed.env.client.workflow.getHandle<typeof trainingClassWorkflow>(c.id);
export async function stateOf(ctx: RunCtx, c: ClassCtx): Promise<m.CaseState> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bounded(`the case query of ${c.id}`, handleOf(ctx, c).query(m.caseStateQuery), 10_000);
    } catch (err) {
      // a query that meets a run continuing as new fails; the next finds the new run
      if (err instanceof Hung || attempt >= 5) throw err;
      await sleepReal(100);
    }
  }
}

/** Polls the case (real time; or letting `simStepMs` of workflow time pass between looks) until `done` holds. */
async function waitFor(
  ctx: RunCtx,
  c: ClassCtx,
  what: string,
  done: (s: m.CaseState) => boolean,
  opts: { timeoutMs?: number; simStepMs?: number; quiet?: boolean } = {},
): Promise<m.CaseState | undefined> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const asked = Date.now();
    const s = await stateOf(ctx, c);
    if (TRACE && Date.now() - asked > 2_000) {
      const d = await bounded('describe', handleOf(ctx, c).describe());
      console.log(
        `run ${ctx.runNo}: query of ${c.id} took ${Date.now() - asked} ms; ${d.status.name}, task ${JSON.stringify(d.raw.pendingWorkflowTask)} history ${d.historyLength}`,
      );
    }
    c.last = s;
    if (done(s)) return s;
    if (Date.now() > deadline) {
      if (TRACE)
        console.log(
          `run ${ctx.runNo}: ${c.id} not at ${what}: ${s.stage} clock ${JSON.stringify(s.clock)} batches ${JSON.stringify(s.batches)} objections ${JSON.stringify(s.objections)}`,
        );
      if (opts.quiet) return undefined;
      throw new SetupError(`${c.id} did not reach ${what} (stage ${s.stage})`);
    }
    if (opts.simStepMs) await skip(ctx, opts.simStepMs);
    else await sleepReal(30);
  }
}

// ---------- one Update call, recorded in the ledger ----------

function classify(err: unknown): Outcome {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure)
      return { kind: 'refused', code: cause.type ?? 'APPLICATION_FAILURE', message: cause.message };
    return { kind: 'refused', code: cause?.name ?? 'UPDATE_FAILED', message: cause?.message ?? err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test(message))
    return { kind: 'refused', code: 'CASE_CLOSED', message };
  return { kind: 'error', message };
}

async function answer(pending: Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>(
    (resolve) => (timer = setTimeout(() => resolve({ kind: 'no-answer' }), ms)),
  );
  const settled = pending.then(
    (value): Outcome => ({ kind: 'ok', value }),
    (err: unknown) => classify(err),
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(
  ctx: RunCtx,
  p: Prepared,
  at: {
    no: number;
    copy: number;
    copies: Sent['copies'];
    wave: number;
    kind: Cmd['kind'];
    cls: number;
    updateId: string;
  },
  mustRefuse?: string,
): Promise<Call> {
  const call: Call = {
    ...p,
    ...at,
    sentSeq: ++ctx.seq,
    doneSeq: 0,
    outcome: { kind: 'no-answer' },
    mustRefuse,
  };
  ctx.calls.push(call);
  const handle = ctx.bed.env.client.workflow.getHandle(p.target);
  const pending = handle.executeUpdate(p.update, { args: [p.args], updateId: at.updateId });
  pending.catch(() => undefined); // answered below, or given up on: never an unhandled rejection
  call.outcome = await answer(pending, CALL_TIMEOUT_MS);
  call.doneSeq = ++ctx.seq;
  return call;
}

/** A call of the driver's own (set-up, clean-up, checks after the end): in the ledger, never duplicated. */
async function driverCall(
  ctx: RunCtx,
  c: ClassCtx,
  kind: Cmd['kind'],
  p: Prepared,
  wave = -1,
  mustRefuse?: string,
) {
  const no = ctx.nextNo++;
  return send(
    ctx,
    p,
    { no, copy: 0, copies: 'once', wave, kind, cls: c.i, updateId: `${c.id}-u${no}` },
    mustRefuse,
  );
}

// ---------- commands → Update calls ----------

const u = <R, A>(d: UpdateDefinition<R, [A]>) => d as unknown as UpdateDefinition<unknown, [unknown]>;
const followUpId = (c: ClassCtx, enrollmentId: string) => m.followUpWorkflowId(c.id, enrollmentId);
const evidenceId = (c: ClassCtx, enrollmentId: string, tag: number | string) =>
  `${c.id}-EV-${enrollmentId.slice(c.id.length + 1)}-${tag}`;
const PUBLIC: m.Actor = { userId: 'public', role: 'PUBLIC' };

function employedOn(c: ClassCtx, when: 'inWindow' | 'beforeEnd' | 'afterWindow' | 'late'): string {
  const end = c.trainingEnd!;
  if (when === 'beforeEnd') return addDays(end, -3);
  if (when === 'afterWindow') return addDays(c.window!.endsOn, 5);
  return addDays(end, 10);
}

export function prepare(ctx: RunCtx, cmd: Cmd, no: number): Prepared | undefined {
  const c = ctx.classes[cmd.cls];
  if (!c) return undefined;
  const tag = `model ${ctx.runNo}#${no}`;
  const s = c.last;
  switch (cmd.kind) {
    case 'review': {
      const args = {
        actor: cmd.wrongActor ? actors.institution : actors.caseworker,
        decision: cmd.decision,
        reason: `审核意见 ${tag}`,
      };
      return {
        update: u(m.reviewPlanUpdate),
        target: c.id,
        args,
        meta: { reason: args.reason, decision: cmd.decision, wrongActor: cmd.wrongActor },
      };
    }
    case 'resubmit': {
      const plan = { ...(s?.plan ?? c.plan), venue: `实训场地 ${tag}` };
      return {
        update: u(m.resubmitPlanUpdate),
        target: c.id,
        args: { actor: actors.institution, plan },
        meta: { venue: plan.venue },
      };
    }
    case 'enrol': {
      const trainees: m.TraineeApplication[] = cmd.people.map((p, k) => ({
        enrollmentId: `${c.id}-E${no}x${k}`,
        personKey: ctx.people[p % ctx.people.length]!.personKey,
        category: 'REGISTERED_UNEMPLOYED',
      }));
      c.sentEnrollments.push(...trainees.map((t) => t.enrollmentId));
      return {
        update: u(m.enrolTraineesUpdate),
        target: c.id,
        args: { actor: actors.institution, trainees, validOnly: cmd.validOnly },
        meta: { enrollmentIds: trainees.map((t) => t.enrollmentId) },
      };
    }
    case 'withdraw': {
      const ids = [...c.roster.map((t) => t.enrollmentId), ...c.sentEnrollments];
      const enrollmentId = ids.length ? ids[cmd.target % ids.length]! : `${c.id}-E-nobody`;
      return {
        update: u(m.withdrawTraineeUpdate),
        target: c.id,
        args: { actor: actors.institution, enrollmentId, reason: `退学 ${tag}` },
        meta: { enrollmentId, reason: `退学 ${tag}` },
      };
    }
    case 'start':
      return {
        update: u(m.startTrainingUpdate),
        target: c.id,
        args: { actor: cmd.wrongActor ? actors.otherInstitution : actors.institution },
        meta: { wrongActor: cmd.wrongActor },
      };
    case 'cancel': {
      const actor = cmd.wrongActor ? actors.assessor : no % 2 ? actors.institution : actors.caseworker;
      return {
        update: u(m.cancelClassUpdate),
        target: c.id,
        args: { actor, reason: `撤销 ${tag}` },
        meta: { reason: `撤销 ${tag}`, wrongActor: cmd.wrongActor },
      };
    }
    case 'approveAdvance': {
      const batchId = s?.batches.find((b) => b.kind === 'ADVANCE')?.batchId ?? `${c.id}-A`;
      return {
        update: u(m.approvePaymentUpdate),
        target: c.id,
        args: { actor: cmd.wrongActor ? actors.caseworker : actors.finance, batchId },
        meta: { batchId, wrongActor: cmd.wrongActor },
      };
    }
    case 'evidence': {
      if (!c.candidates.length || !c.trainingEnd) return undefined;
      const enrollmentId = c.candidates[cmd.trainee % c.candidates.length]!;
      const evidence: m.EvidenceSubmission = {
        evidenceId: evidenceId(c, enrollmentId, cmd.tag),
        kind: 'SOCIAL_INSURANCE',
        employedOn: employedOn(c, cmd.when),
        employer: `用人单位 ${cmd.when}`,
      };
      return {
        update: u(m.submitEvidenceUpdate),
        target: followUpId(c, enrollmentId),
        args: { actor: actors.institution, evidence },
        meta: { enrollmentId, evidence, when: cmd.when },
      };
    }
    case 'verify': {
      if (!c.candidates.length) return undefined;
      const enrollmentId = c.candidates[cmd.trainee % c.candidates.length]!;
      return {
        update: u(m.verifyEvidenceUpdate),
        target: followUpId(c, enrollmentId),
        args: {
          actor: actors.caseworker,
          evidenceId: evidenceId(c, enrollmentId, cmd.tag),
          verdict: cmd.verdict,
          note: `核验 ${tag}`,
        },
        meta: { enrollmentId, verdict: cmd.verdict },
      };
    }
    case 'objection': {
      const lines = (s?.lines ?? []).filter((l) => l.kind === 'TRAINING' && l.noticeRound === s?.noticeRound);
      const lineId = lines.length ? lines[cmd.line % lines.length]!.lineId : `${c.id}:T:none`;
      const objectionId = `${c.id}-O${cmd.tag}`;
      return {
        update: u(m.raiseObjectionUpdate),
        target: c.id,
        args: { actor: PUBLIC, objectionId, lineId, reason: `异议 ${tag}` },
        meta: { objectionId, lineId, reason: `异议 ${tag}` },
      };
    }
    case 'resolve': {
      const note = `处理意见 ${tag}`;
      const resolution: m.ObjectionResolution =
        cmd.resolution === 'DISMISS'
          ? { upheld: false, note }
          : cmd.resolution === 'REMOVE'
            ? { upheld: true, action: 'REMOVE', note }
            : { upheld: true, action: 'CORRECT', tier: 'EMPLOYED', note };
      const objectionId = `${c.id}-O${cmd.tag}`;
      return {
        update: u(m.resolveObjectionUpdate),
        target: c.id,
        args: { actor: actors.caseworker, objectionId, resolution },
        meta: { objectionId, resolution },
      };
    }
    case 'approveBatch': {
      const settlement = (s?.batches ?? []).filter((b) => b.kind === 'SETTLEMENT');
      const batchId =
        settlement.find((b) => ['AWAITING_APPROVAL', 'AWAITING_CORRECTION'].includes(b.status))?.batchId ??
        settlement.at(-1)?.batchId ??
        `${c.id}-S1`;
      return {
        update: u(m.approvePaymentUpdate),
        target: c.id,
        args: { actor: cmd.wrongActor ? actors.caseworker : actors.finance, batchId },
        meta: { batchId, wrongActor: cmd.wrongActor },
      };
    }
  }
}

/** Every command of the wave at once (after its small delay); duplicates and retries alongside. */
export async function fireWave(ctx: RunCtx, wave: Sent[], waveNo: number): Promise<void> {
  const jobs = wave.map((s) => {
    const no = ctx.nextNo++;
    const p = prepare(ctx, s.cmd, no); // in wave order, so a withdraw may name an enrolment of the same wave
    return { s, no, p };
  });
  await Promise.all(
    jobs.map(async ({ s, no, p }) => {
      if (!p) return;
      if (s.delayMs) await sleepReal(s.delayMs);
      const c = ctx.classes[s.cmd.cls]!;
      const id = `${c.id}-u${no}`;
      const retry = s.copies === 'retry' && process.env.MODEL_NO_RETRY !== '1';
      const ids = s.copies === 'once' ? [id] : retry ? [id, id] : [id, `${id}-dup`];
      await Promise.all(
        ids.map((updateId, copy) =>
          send(ctx, p, { no, copy, copies: s.copies, wave: waveNo, kind: s.cmd.kind, cls: c.i, updateId }),
        ),
      );
    }),
  );
  await refresh(ctx);
  ctx.waveEndedAt[waveNo] = await bounded('the test server clock', ctx.bed.env.currentTimeMs());
}

export async function refresh(ctx: RunCtx): Promise<void> {
  await Promise.all(ctx.classes.map(async (c) => (c.last = await stateOf(ctx, c))));
}

// ---------- set-up: take every class of the run to its phase ----------

export async function setUp(ctx: RunCtx): Promise<void> {
  const { bed, run } = ctx;
  const day = await today(bed.env);
  ctx.people = await freshPeople(bed.db, day, run.people.length);
  for (const [k, prior] of run.people.entries())
    if (prior) await priorSubsidies(bed.db, ctx.people[k]!, prior);
  ctx.classes = run.classes.map((spec, i) => {
    const id = `M${ctx.runNo}C${i}`;
    const plan = classPlan(addDays(day, spec.startOffset), {
      title: `模型班 ${id}`,
      occupationCode: spec.occupation ? '4-03-02-02' : '4-03-02-01',
      capacity: spec.capacity,
    });
    return {
      i,
      id,
      spec,
      plan,
      cap: Math.min(spec.capacity, 50),
      roster: [],
      candidates: [],
      sentEnrollments: [],
    };
  });
  const { phase } = run;
  await step(ctx, 'to review', () => Promise.all(ctx.classes.map((c) => toReview(ctx, c))));
  if (phase === 'review') return;
  await step(ctx, 'to enrolling', () => Promise.all(ctx.classes.map((c) => toEnrolling(ctx, c))));
  if (phase === 'enrol') return;
  const day2 = await today(bed.env);
  const rosters = await Promise.all(
    ctx.classes.map((c) => freshPeople(bed.db, day2, Math.min(c.spec.results.length, c.cap))),
  );
  await Promise.all(ctx.classes.map((c, k) => toFollowUp(ctx, c, rosters[k]!)));
  if (phase === 'followUp') return;
  await sleepUntil(
    ctx,
    ctx.classes.map((c) => c.window!.endsAt),
  );
  await Promise.all(
    ctx.classes.map((c) =>
      waitFor(ctx, c, 'the public notice', (s) => s.stage === 'NOTICE' && s.clock?.task === 'PUBLIC_NOTICE', {
        timeoutMs: 30_000,
      }),
    ),
  );
}

/** Lets workflow time pass until a minute after the latest of these instants. */
async function sleepUntil(ctx: RunCtx, instants: string[]) {
  const target = Math.max(...instants.map((i) => Date.parse(i)));
  const now = await bounded('the test server clock', ctx.bed.env.currentTimeMs());
  if (target + MINUTE > now) await skip(ctx, target + MINUTE - now);
}

async function setupUpdate<A>(ctx: RunCtx, c: ClassCtx, def: UpdateDefinition<unknown, [A]>, args: A) {
  const out = await answer(handleOf(ctx, c).executeUpdate(def, { args: [args] }), CALL_TIMEOUT_MS);
  if (out.kind !== 'ok') throw new SetupError(`${c.id}: set-up ${def.name} → ${JSON.stringify(out)}`);
  return out.value;
}

async function toReview(ctx: RunCtx, c: ClassCtx) {
  const began = Date.now();
  await ctx.bed.env.client.workflow.start(trainingClassWorkflow, {
    workflowId: c.id,
    taskQueue: queueOf(c.spec.policy),
    args: [
      {
        classId: c.id,
        institutionId: INSTITUTION,
        district: '长安区',
        plan: c.plan,
        submittedBy: actors.institution,
        ...(c.spec.continueAsNewAfterEvents
          ? { continueAsNewAfterEvents: c.spec.continueAsNewAfterEvents }
          : {}),
      },
    ],
  });
  if (TRACE && Date.now() - began > 2_000)
    console.log(`run ${ctx.runNo}: start of ${c.id} took ${Date.now() - began} ms`);
  await waitFor(ctx, c, 'UNDER_REVIEW', (s) => s.stage === 'UNDER_REVIEW');
}

async function toEnrolling(ctx: RunCtx, c: ClassCtx) {
  await setupUpdate(ctx, c, u(m.reviewPlanUpdate), { actor: actors.caseworker, decision: 'APPROVE' });
  const harbin = c.spec.policy === 'harbin';
  const s = await waitFor(
    ctx,
    c,
    'ENROLLING',
    (x) => x.stage === 'ENROLLING' && (!harbin || x.batches.some((b) => b.kind === 'ADVANCE')),
  );
  const advance = s?.batches.find((b) => b.kind === 'ADVANCE');
  if (advance && c.spec.advanceApproved) {
    await setupUpdate(ctx, c, u(m.approvePaymentUpdate), { actor: actors.finance, batchId: advance.batchId });
    await waitFor(ctx, c, 'the advance paid', (x) =>
      x.batches.some((b) => b.batchId === advance.batchId && b.status === 'PAID'),
    );
  }
}

async function toFollowUp(ctx: RunCtx, c: ClassCtx, people: ModelPerson[]) {
  c.roster = people.map((p, k) => ({
    enrollmentId: `${c.id}-R${k + 1}`,
    personKey: p.personKey,
    category: 'REGISTERED_UNEMPLOYED',
  }));
  const ids = c.roster.map((t) => t.enrollmentId);
  const enrolled = (await setupUpdate(ctx, c, u(m.enrolTraineesUpdate), {
    actor: actors.institution,
    trainees: c.roster,
  })) as m.EnrolResult;
  if (enrolled.refused.length)
    throw new SetupError(`${c.id}: set-up roster refused ${JSON.stringify(enrolled)}`);
  await setupUpdate(ctx, c, u(m.startTrainingUpdate), { actor: actors.institution });
  await waitFor(ctx, c, 'TRAINING', (s) => s.stage === 'TRAINING');
  await setupUpdate(ctx, c, u(m.reportAttendanceUpdate), {
    actor: actors.institution,
    lessons: lessons(c.plan, ids),
  });
  await setupUpdate(ctx, c, u(m.finishTrainingUpdate), { actor: actors.institution });
  await waitFor(ctx, c, 'ASSESSMENT', (s) => s.stage === 'ASSESSMENT');
  // The first trainee passes, so every class has at least one follow-up.
  const results: m.AssessmentEntry[] = ids.map((enrollmentId, k) => {
    const result = k === 0 ? 'SKILL_LEVEL_CERT' : c.spec.results[k]!;
    return result === 'FAILED'
      ? { enrollmentId, result }
      : { enrollmentId, result, certificateNo: `C-${enrollmentId}` };
  });
  await setupUpdate(ctx, c, u(m.recordAssessmentUpdate), { actor: actors.assessor, results });
  const s = (await waitFor(ctx, c, 'FOLLOW_UP', (x) => x.stage === 'FOLLOW_UP' && x.clock !== undefined))!;
  c.candidates = results.filter((r) => r.result !== 'FAILED').map((r) => r.enrollmentId);
  let window: m.FollowUpWindow | undefined;
  for (const id of c.candidates) {
    const child = ctx.bed.env.client.workflow.getHandle(followUpId(c, id));
    for (let tries = 0; ; tries++) {
      try {
        window ??= (await bounded('the follow-up query', child.query(m.followUpStateQuery))).window;
        break;
      } catch (err) {
        if (tries > 300) throw new SetupError(`${c.id}: no follow-up for ${id}: ${String(err)}`);
        await sleepReal(30);
      }
    }
  }
  // The window as the child shows it; the old child shows none: then the class's clock and finish date.
  const finished = s.history.find((h) => h.action === 'TRAINING_FINISHED')?.at;
  c.trainingEnd =
    window?.trainingEnd ?? (finished ? shanghaiDate(finished) : shanghaiDate(new Date().toISOString()));
  const endsAt = window?.endsAt ?? s.clock!.dueAt;
  c.window = {
    endsAt,
    endsOn: window?.endsOn ?? shanghaiDate(new Date(Date.parse(endsAt) - 1).toISOString()),
  };
}

// ---------- after the waves: take the classes on until they rest ----------

/** Follow-up: the window closes; evidence still unverified is rejected by the driver; late evidence is refused. */
export async function finishFollowUp(ctx: RunCtx): Promise<void> {
  await sleepUntil(
    ctx,
    ctx.classes.map((c) => c.window!.endsAt),
  );
  await Promise.all(
    ctx.classes.map(async (c) => {
      for (const id of c.candidates) {
        const child = ctx.bed.env.client.workflow.getHandle(followUpId(c, id));
        const st = await bounded('the follow-up query', child.query(m.followUpStateQuery)).catch(
          () => undefined,
        );
        for (const e of st?.evidence ?? [])
          if (!e.verdict)
            await driverCall(ctx, c, 'verify', {
              update: u(m.verifyEvidenceUpdate),
              target: followUpId(c, id),
              args: {
                actor: actors.caseworker,
                evidenceId: e.evidenceId,
                verdict: 'REJECTED',
                note: '窗口期后清理',
              },
              meta: { enrollmentId: id, verdict: 'REJECTED' },
            });
      }
      const late = c.candidates[0];
      if (late) {
        const evidence: m.EvidenceSubmission = {
          evidenceId: evidenceId(c, late, 'late'),
          kind: 'LABOUR_CONTRACT',
          employedOn: employedOn(c, 'late'),
        };
        await driverCall(
          ctx,
          c,
          'evidence',
          {
            update: u(m.submitEvidenceUpdate),
            target: followUpId(c, late),
            args: { actor: actors.institution, evidence },
            meta: { enrollmentId: late, evidence, when: 'late' },
          },
          -2,
          'evidence filed after the window closed',
        );
      }
    }),
  );
  await Promise.all(
    ctx.classes.map(async (c) => {
      const s = await waitFor(ctx, c, 'the end of follow-up', (x) => x.stage !== 'FOLLOW_UP', {
        timeoutMs: 30_000,
        quiet: true,
      });
      if (!s)
        ctx.violations.push({
          invariant: 'NO_WEDGE',
          classId: c.id,
          detail: `still in FOLLOW_UP a minute after every follow-up window closed and all evidence had a verdict`,
        });
    }),
  );
}

/** Notice: the notice closes, the after-notice waves run, then the driver resolves and approves until closed. */
export async function finishNotice(ctx: RunCtx): Promise<void> {
  const dues = ctx.classes.flatMap((c) =>
    c.last?.clock?.task === 'PUBLIC_NOTICE' ? [c.last.clock.dueAt] : [],
  );
  if (dues.length) await sleepUntil(ctx, dues);
  await Promise.all(
    ctx.classes.map((c) =>
      waitFor(
        ctx,
        c,
        'a settlement batch',
        (s) =>
          hasEnded(s) ||
          s.objections.some((o) => o.status === 'OPEN') ||
          s.batches.some((b) => b.kind === 'SETTLEMENT' && b.status === 'AWAITING_APPROVAL'),
        { timeoutMs: 5_000, quiet: true },
      ),
    ),
  );
  for (const [k, wave] of ctx.run.afterNotice.entries()) await fireWave(ctx, wave, ctx.run.waves.length + k);
  await drive(ctx);
}

async function drive(ctx: RunCtx) {
  for (let round = 0; round < 30; round++) {
    await refresh(ctx);
    const open = ctx.classes.filter((c) => !hasEnded(c.last));
    if (!open.length) return;
    await Promise.all(
      open.map(async (c) => {
        const s = c.last!;
        for (const o of s.objections.filter((x) => x.status === 'OPEN'))
          await driverCall(ctx, c, 'resolve', {
            update: u(m.resolveObjectionUpdate),
            target: c.id,
            args: {
              actor: actors.caseworker,
              objectionId: o.objectionId,
              resolution: { upheld: false, note: '驳回' },
            },
            meta: { objectionId: o.objectionId, resolution: { upheld: false, note: '驳回' } },
          });
        for (const b of s.batches.filter((x) =>
          ['AWAITING_APPROVAL', 'AWAITING_CORRECTION'].includes(x.status),
        ))
          await driverCall(ctx, c, 'approveBatch', {
            update: u(m.approvePaymentUpdate),
            target: c.id,
            args: { actor: actors.finance, batchId: b.batchId },
            meta: { batchId: b.batchId },
          });
      }),
    );
    await refresh(ctx);
    const dues = ctx.classes.flatMap((c) =>
      !hasEnded(c.last) && c.last?.clock?.task === 'PUBLIC_NOTICE' ? [c.last.clock.dueAt] : [],
    );
    if (dues.length) await sleepUntil(ctx, dues);
    else if (round % 3 === 2) await skip(ctx, MINUTE);
    else await sleepReal(100);
  }
  for (const c of ctx.classes.filter((x) => !hasEnded(x.last)))
    ctx.violations.push({
      invariant: 'NO_WEDGE',
      classId: c.id,
      detail: `did not close after its notice: stage ${c.last?.stage}, batches ${JSON.stringify(c.last?.batches)}, objections ${JSON.stringify(c.last?.objections)}`,
    });
}

/** Commands a case that has ended (or cannot do it) must refuse. */
export async function afterTheEnd(ctx: RunCtx): Promise<void> {
  await refresh(ctx);
  await Promise.all(
    ctx.classes.map(async (c) => {
      const s = c.last;
      if (!s) return;
      const checks: Promise<Call>[] = [];
      const ended = hasEnded(s);
      const started =
        ended || !['SUBMITTED', 'UNDER_REVIEW', 'RETURNED', 'APPROVED', 'ENROLLING'].includes(s.stage);
      if (started)
        checks.push(
          driverCall(
            ctx,
            c,
            'start',
            { update: u(m.startTrainingUpdate), target: c.id, args: { actor: actors.institution }, meta: {} },
            -2,
            `start on a ${s.stage} class`,
          ),
        );
      if (ended || ['FOLLOW_UP', 'NOTICE', 'PAYOUT'].includes(s.stage))
        checks.push(
          driverCall(
            ctx,
            c,
            'cancel',
            {
              update: u(m.cancelClassUpdate),
              target: c.id,
              args: { actor: actors.institution, reason: `撤销 after ${s.stage}` },
              meta: { reason: `撤销 after ${s.stage}` },
            },
            -2,
            `cancel on a ${s.stage} class`,
          ),
        );
      const advance = s.batches.find((b) => b.kind === 'ADVANCE' && b.status !== 'PAID');
      if (advance && (s.stage === 'CANCELLED' || s.stage === 'REJECTED'))
        checks.push(
          driverCall(
            ctx,
            c,
            'approveAdvance',
            {
              update: u(m.approvePaymentUpdate),
              target: c.id,
              args: { actor: actors.finance, batchId: advance.batchId },
              meta: { batchId: advance.batchId },
            },
            -2,
            `approval of the advance of a ${s.stage} class`,
          ),
        );
      await Promise.all(checks);
    }),
  );
}

/** Gives the run bounded simulated time to settle (retrying activities show their attempts by then). */
export async function settle(ctx: RunCtx): Promise<void> {
  if (ctx.bed.timeSkipping) await skip(ctx, SETTLE_MS);
  else await quiesce(ctx);
  await refresh(ctx);
}

/**
 * On the dev server: until every class rests twice in a row — no workflow task pending, no activity except one
 * that has already failed twice (a refusal retried for ever shows as attempt > 3 to the invariants), and not a
 * run continued as new that is still waiting for its first workflow task — at most 60 s. The state is read only then: a decision acknowledged just before a continue-as-new is applied by
 * the new run after a few activities (the policy looked up, the task opened and closed), and on a loaded machine
 * that took longer than the fixed 3.5 s this used to wait, which read as an acknowledged RETURN lost (issue 12).
 * The same reading came back once the wait looked for rest: the dev server wrote the new run's first workflow
 * task ~1 s after the run started (its history: started at .639, task scheduled at 1.594), and a run with
 * nothing scheduled yet looked at rest (found with MODEL_DUMP_DIR, run 663 of a loaded 5,000-run attempt).
 */
async function quiesce(ctx: RunCtx) {
  const deadline = Date.now() + Number(process.env.MODEL_QUIESCE_MS ?? 60_000);
  let calm = 0;
  while (calm < 2 && Date.now() < deadline) {
    await sleepReal(100);
    const busy = await Promise.all(
      ctx.classes.map(async (c) => {
        const d = await bounded('describe', handleOf(ctx, c).describe());
        return (
          Boolean(d.raw.pendingWorkflowTask) ||
          (d.raw.pendingActivities ?? []).some((a) => (a.attempt ?? 1) < 3) ||
          // a run continued as new that has not had its first workflow task: the dev server schedules that
          // task up to a second after the run starts, and until then the run shows nothing pending
          (d.status.name === 'RUNNING' && d.historyLength < 4)
        );
      }),
    );
    calm = busy.some(Boolean) ? 0 : calm + 1;
  }
  if (calm < 2) ctx.unrested = true;
}

async function step<T>(ctx: RunCtx, what: string, run: () => Promise<T>): Promise<T> {
  const began = Date.now();
  if (TRACE) console.log(`run ${ctx.runNo} ${ctx.run.phase}: ${what}…`);
  try {
    return await run();
  } finally {
    if (TRACE) console.log(`run ${ctx.runNo} ${ctx.run.phase}: ${what} ${Date.now() - began} ms`);
  }
}

export async function runModel(ctx: RunCtx, phaseTail: boolean): Promise<void> {
  try {
    await step(ctx, 'set-up', () => setUp(ctx));
  } catch (err) {
    if (!(err instanceof SetupError || err instanceof Hung)) throw err;
    ctx.violations.push({
      invariant: err instanceof Hung ? 'NO_WEDGE' : 'SETUP',
      detail: `set-up: ${err.message}`,
    });
    ctx.aborted = true;
    return;
  }
  try {
    await refresh(ctx);
    for (const [k, wave] of ctx.run.waves.entries())
      await step(ctx, `wave ${k + 1}`, () => fireWave(ctx, wave, k));
    if (phaseTail && ctx.run.phase === 'followUp')
      await step(ctx, 'follow-up end', () => finishFollowUp(ctx));
    if (phaseTail && ctx.run.phase === 'notice') await step(ctx, 'notice end', () => finishNotice(ctx));
    await step(ctx, 'settle', () => settle(ctx));
    await step(ctx, 'after the end', () => afterTheEnd(ctx));
  } catch (err) {
    if (!(err instanceof SetupError || err instanceof Hung)) throw err;
    ctx.violations.push({ invariant: 'NO_WEDGE', detail: err.message });
    ctx.hung = err instanceof Hung;
    if (TRACE) await diagnose(ctx);
  }
}

async function diagnose(ctx: RunCtx) {
  for (const c of ctx.classes) {
    const d = await bounded('describe', handleOf(ctx, c).describe(), 5_000).catch((e: Error) => e.message);
    if (typeof d === 'string') console.log(`run ${ctx.runNo}: ${c.id}: ${d}`);
    else
      console.log(
        `run ${ctx.runNo}: ${c.id} ${d.runId} ${d.status.name} history ${d.historyLength} task ${JSON.stringify(d.raw.pendingWorkflowTask)} activities ${JSON.stringify(d.raw.pendingActivities)}`,
      );
  }
}

/** Ends what is still running, so later runs skip time without it (children go with their parent). */
export async function cleanUp(ctx: RunCtx): Promise<void> {
  await Promise.all(
    ctx.classes.map(async (c) => {
      try {
        const d = await bounded('describe', handleOf(ctx, c).describe());
        if (d.status.name === 'RUNNING')
          await bounded('terminate', handleOf(ctx, c).terminate('model run over'));
      } catch (err) {
        if (err instanceof Hung) ctx.hung = true; // else never started, or already gone
      }
    }),
  );
}

/**
 * Evidence of a failed run for whoever reads it next (MODEL_DUMP_DIR): every run of every class's workflow
 * (a review continues as new) with its full history, each trainee's follow-up child (where evidence and its
 * verification go; a child that does not exist or does not answer is left out), and the ledger of calls and
 * their answers.
 */
export async function dumpRun(ctx: RunCtx, violations: unknown[], dir: string): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { temporal } = await import('@temporalio/proto');
  const History = temporal.api.history.v1.History;
  const out = `${dir}/run-${ctx.runNo}-${Date.now()}`;
  await mkdir(out, { recursive: true });
  const client = ctx.bed.env.client;
  for (const c of ctx.classes) {
    const runs: string[] = [];
    try {
      for await (const w of client.workflow.list({ query: `WorkflowId = '${c.id}'` })) runs.push(w.runId);
    } catch {
      runs.push(''); // no visibility (the time-skipping server): the current run only
    }
    for (const runId of runs) {
      const history = History.fromObject(
        await client.workflow.getHandle(c.id, runId || undefined).fetchHistory(),
      );
      const name = `${out}/${c.id}-${runId || 'current'}`;
      await writeFile(`${name}.history.pb`, History.encode(history).finish()); // replayable
      await writeFile(`${name}.json`, JSON.stringify(history.toJSON(), null, 1));
    }
    for (const t of c.roster) {
      const childId = m.followUpWorkflowId(c.id, t.enrollmentId);
      try {
        const history = History.fromObject(
          await bounded(
            `the history of ${childId}`,
            client.workflow.getHandle(childId).fetchHistory(),
            10_000,
          ),
        );
        await writeFile(`${out}/${childId}.history.pb`, History.encode(history).finish());
        await writeFile(`${out}/${childId}.json`, JSON.stringify(history.toJSON(), null, 1));
      } catch {
        // no follow-up for this trainee (not passed, withdrawn), or the server no longer answers
      }
    }
  }
  await writeFile(
    `${out}/calls.json`,
    JSON.stringify({ run: ctx.run, violations, calls: ctx.calls }, null, 1),
  );
  return out;
}
