// (Values are compared as JSON: rows from the read model and Temporal payloads may come from another realm
// than jest's, so node's deep equality would call equal arrays different.)
// The invariants of issue 12, checked after every model run against the workflow's own state (the caseState
// Query), the read model and the ledger of calls. Each violation names its invariant:
//   CAPACITY          enrolled ≤ min(plan capacity, policy cap), in the workflow and in the read model
//   ONCE_PER_CLASS    a person is enrolled at most once per class
//   RESERVATIONS      a RESERVED subsidy belongs to a trainee enrolled in a class that has not ended, and an
//                     enrolled trainee of a running class holds one; an ended class holds none
//   ACKNOWLEDGED      every Update that answered success is reflected in the final state
//   REFUSED_NO_TRACE  a refused Update left nothing behind; nothing changed without an acknowledged Update
//   RULES             what the rules forbid is refused (start/cancel/approve after the end, evidence outside
//                     the window) and what they allow is accepted (evidence inside the window)
//   RETRY             the same Update id sent twice gets the same answer
//   NO_WEDGE          every call is answered, no activity retries (attempt > 3), no workflow task keeps failing
//   MONEY             nothing paid for a cancelled/rejected class beyond the advance already transferred (and
//                     that is recovered); batches, payments, transfers and lines sum exactly
//   PROJECTION        the read model shows the stage and roster the workflow holds
//   ELIGIBILITY       across the classes of a run (which share people): nobody holds more than 3 training
//                     subsidies (paid or reserved), two for one occupation and level, or two whose periods overlap
import * as m from '../../../workflows/messages';
import {
  bounded,
  Hung,
  hasEnded,
  refresh,
  stateOf,
  type Call,
  type ClassCtx,
  type RunCtx,
  type Violation,
} from './driver';

const BEFORE_TRAINING: readonly m.Stage[] = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
  'APPROVED',
  'ENROLLING',
];
const REVIEWING: readonly m.Stage[] = ['SUBMITTED', 'UNDER_REVIEW', 'RETURNED'];

const ok = (c: Call) => c.outcome.kind === 'ok';
const refused = (c: Call) => c.outcome.kind === 'refused';
const show = (c: Call) =>
  `#${c.no}${c.copy ? `'` : ''} ${c.kind}${c.wave >= 0 ? ` (wave ${c.wave + 1})` : c.wave === -1 ? ' (driver)' : ' (after)'} → ${
    c.outcome.kind === 'refused' ? `refused ${c.outcome.code}` : c.outcome.kind
  }`;

async function eventually(check: () => Promise<string[]>, timeoutMs = 4_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problems = await check();
    if (!problems.length || Date.now() > deadline) return problems;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function checkInvariants(ctx: RunCtx): Promise<Violation[]> {
  const out: Violation[] = [];
  if (ctx.aborted) return out;
  try {
    await checkAll(ctx, out);
  } catch (err) {
    if (!(err instanceof Hung)) throw err;
    ctx.hung = true;
    out.push({ invariant: 'NO_WEDGE', detail: `while checking: ${err.message}` });
  }
  return out;
}

async function checkAll(ctx: RunCtx, out: Violation[]) {
  await refresh(ctx);
  for (const c of ctx.classes) {
    if (!c.last) continue;
    const add = (invariant: string, detail: string) => out.push({ invariant, classId: c.id, detail });
    const calls = ctx.calls.filter((x) => x.cls === c.i);
    checkRoster(ctx, c, calls, add);
    checkDecisions(ctx, c, calls, add);
    await checkFollowUp(ctx, c, calls, add);
    await checkReadModel(ctx, c, add);
    await checkMoney(ctx, c, calls, add);
    await checkWedges(ctx, c, add);
  }
  await checkEligibility(ctx, out);
  checkCalls(ctx, out);
}

/** DOMAIN.md "Who may be subsidised" and §3, held across classes that enrolled the same people at once. */
async function checkEligibility(ctx: RunCtx, out: Violation[]) {
  const classIds = new Set(ctx.classes.map((c) => c.id));
  for (const [k, person] of ctx.people.entries()) {
    const held = await ctx.bed.db.subsidyRecord.findMany({
      where: { personKey: person.personKey, kind: 'TRAINING', status: { in: ['RESERVED', 'PAID'] } },
    });
    const mine = held.filter((r) => classIds.has(r.classId));
    if (!mine.length) continue;
    const add = (detail: string) =>
      out.push({
        invariant: 'ELIGIBILITY',
        classId: mine.map((r) => r.classId).join('+'),
        detail: `person ${k}: ${detail}`,
      });
    if (held.length > 3)
      add(
        `holds ${held.length} training subsidies (${held.map((r) => `${r.classId} ${r.status}`).join(', ')})`,
      );
    for (const [i, a] of held.entries())
      for (const b of held.slice(i + 1)) {
        if (!classIds.has(a.classId) && !classIds.has(b.classId)) continue;
        if (a.occupationCode === b.occupationCode && a.level === b.level)
          add(`${a.classId} and ${b.classId} both subsidise ${a.occupationCode} ${a.level}`);
        if (a.periodStart <= b.periodEnd && b.periodStart <= a.periodEnd)
          add(
            `${a.classId} (${a.periodStart}–${a.periodEnd}) and ${b.classId} (${b.periodStart}–${b.periodEnd}) overlap`,
          );
      }
  }
}

type Add = (invariant: string, detail: string) => void;

function checkRoster(ctx: RunCtx, c: ClassCtx, calls: Call[], add: Add) {
  const s = c.last!;
  const enrolled = s.trainees.filter((t) => t.status === 'ENROLLED');
  if (enrolled.length > c.cap)
    add('CAPACITY', `${enrolled.length} enrolled in a class of ${c.cap} (workflow)`);
  const keys = enrolled.map((t) => t.personKey);
  if (new Set(keys).size !== keys.length)
    add('ONCE_PER_CLASS', `a person enrolled twice: ${enrolled.map((t) => t.enrollmentId).join(', ')}`);

  const enrolCalls = calls.filter((x) => x.kind === 'enrol');
  const ackedIds = new Set([
    ...c.roster.map((t) => t.enrollmentId),
    ...enrolCalls.filter(ok).flatMap((x) => (x.outcome as { value: m.EnrolResult }).value.enrolled ?? []),
  ]);
  for (const x of enrolCalls.filter(ok)) {
    const value = (x.outcome as { value: m.EnrolResult }).value;
    for (const id of value.enrolled ?? [])
      if (!s.trainees.some((t) => t.enrollmentId === id))
        add('ACKNOWLEDGED', `${show(x)} answered ${id} enrolled, but the roster does not have it`);
    for (const r of value.refused ?? [])
      if (s.trainees.some((t) => t.enrollmentId === r.enrollmentId) && !ackedIds.has(r.enrollmentId))
        add('REFUSED_NO_TRACE', `${show(x)} refused ${r.enrollmentId}, yet it is on the roster`);
  }
  for (const t of s.trainees)
    if (!ackedIds.has(t.enrollmentId))
      add(
        'REFUSED_NO_TRACE',
        `${t.enrollmentId} is on the roster (${t.status}) but no acknowledged enrolment named it`,
      );

  const withdraws = calls.filter((x) => x.kind === 'withdraw');
  for (const x of withdraws.filter(ok)) {
    const t = s.trainees.find((y) => y.enrollmentId === x.meta.enrollmentId);
    if (t?.status !== 'WITHDRAWN')
      add('ACKNOWLEDGED', `${show(x)} of ${x.meta.enrollmentId}, but it is ${t?.status}`);
  }
  for (const t of s.trainees.filter((y) => y.status === 'WITHDRAWN'))
    if (!withdraws.some((x) => ok(x) && x.meta.enrollmentId === t.enrollmentId))
      add('REFUSED_NO_TRACE', `${t.enrollmentId} is WITHDRAWN with no acknowledged withdrawal`);
}

function checkDecisions(ctx: RunCtx, c: ClassCtx, calls: Call[], add: Add) {
  const s = c.last!;
  const acked = (kind: Call['kind'], main = true) =>
    calls.filter((x) => x.kind === kind && ok(x) && (!main || x.wave !== -2));
  const cancels = acked('cancel');
  const rejects = acked('review').filter((x) => x.meta.decision === 'REJECT');
  const endedByCancelOrReject = () =>
    (s.stage === 'CANCELLED' && cancels.length > 0) || (s.stage === 'REJECTED' && rejects.length > 0);

  // review decisions
  for (const x of calls.filter((y) => y.kind === 'review')) {
    const noted = s.reviewNotes.some((n) => n.reason === x.meta.reason && n.decision === x.meta.decision);
    if (ok(x) && !noted)
      add('ACKNOWLEDGED', `${show(x)} ${x.meta.decision}, but the case has no such decision`);
    const twin = calls.some((y) => y.no === x.no && y !== x && ok(y));
    if (!ok(x) && noted && !twin)
      add('REFUSED_NO_TRACE', `${show(x)} ${x.meta.decision}, yet it was recorded`);
  }
  for (const x of acked('review')) {
    if (x.meta.decision === 'APPROVE' && (REVIEWING.includes(s.stage) || s.stage === 'REJECTED'))
      add('ACKNOWLEDGED', `${show(x)} APPROVE, but the case is ${s.stage}`);
    if (x.meta.decision === 'REJECT' && !endedByCancelOrReject())
      add('ACKNOWLEDGED', `${show(x)} REJECT, but the case is ${s.stage}`);
  }
  const resubmits = calls.filter((x) => x.kind === 'resubmit');
  if (resubmits.some(ok) && !resubmits.some((x) => ok(x) && x.meta.venue === s.plan.venue))
    add(
      'ACKNOWLEDGED',
      `an acknowledged resubmission, but the plan is not any acknowledged one (${s.plan.venue})`,
    );
  for (const x of resubmits.filter(refused))
    if (s.plan.venue === x.meta.venue && !resubmits.some((y) => y.no === x.no && ok(y)))
      add('REFUSED_NO_TRACE', `${show(x)}, yet the plan is the one it sent`);

  // start and cancel
  const starts = acked('start');
  if (starts.length && BEFORE_TRAINING.includes(s.stage))
    add('ACKNOWLEDGED', `${show(starts[0]!)}, but the class is still ${s.stage}`);
  if (starts.length && s.stage === 'CANCELLED' && !cancels.length)
    add('ACKNOWLEDGED', `${show(starts[0]!)}, but the class was cancelled without an acknowledged cancel`);
  if (
    (ctx.run.phase === 'review' || ctx.run.phase === 'enrol') &&
    !starts.length &&
    !BEFORE_TRAINING.includes(s.stage) &&
    !hasEnded(s)
  )
    add('REFUSED_NO_TRACE', `the class is ${s.stage} without an acknowledged start`);
  for (const x of cancels)
    if (!endedByCancelOrReject()) add('ACKNOWLEDGED', `${show(x)}, but the class is ${s.stage}`);
  if (s.stage === 'CANCELLED') {
    if (!cancels.length) add('REFUSED_NO_TRACE', 'the class is CANCELLED without an acknowledged cancel');
    else if (!cancels.some((x) => x.meta.reason === s.cancelledReason))
      add('REFUSED_NO_TRACE', `cancelled for "${s.cancelledReason}", which no acknowledged cancel gave`);
  }

  // objections
  const raises = calls.filter((x) => x.kind === 'objection');
  for (const x of raises.filter(ok))
    if (!s.objections.some((o) => o.objectionId === x.meta.objectionId && o.lineId === x.meta.lineId))
      add(
        'ACKNOWLEDGED',
        `${show(x)} ${x.meta.objectionId} on ${x.meta.lineId}, but the case has no such objection`,
      );
  for (const o of s.objections)
    if (!raises.some((x) => ok(x) && x.meta.objectionId === o.objectionId))
      add('REFUSED_NO_TRACE', `objection ${o.objectionId} exists with no acknowledged raise`);
  const resolves = calls.filter((x) => x.kind === 'resolve');
  for (const x of resolves.filter(ok)) {
    const o = s.objections.find((y) => y.objectionId === x.meta.objectionId);
    const want = x.meta.resolution!.upheld ? 'UPHELD' : 'DISMISSED';
    const others = resolves.filter(
      (y) => ok(y) && y.meta.objectionId === x.meta.objectionId && y.no !== x.no,
    );
    if (o?.status !== want && !others.length)
      add('ACKNOWLEDGED', `${show(x)} ${want} for ${x.meta.objectionId}, but it is ${o?.status}`);
    if (others.some((y) => y.meta.resolution!.upheld !== x.meta.resolution!.upheld))
      add('ACKNOWLEDGED', `two different resolutions of ${x.meta.objectionId} were both acknowledged`);
    const line = s.lines.find((l) => l.lineId === o?.lineId);
    const r = x.meta.resolution!;
    if (o && line && r.upheld && r.action === 'REMOVE' && line.status !== 'REMOVED' && !others.length)
      add('ACKNOWLEDGED', `${show(x)} REMOVE, but line ${line.lineId} is ${line.status}`);
  }
  for (const o of s.objections.filter((y) => y.status !== 'OPEN'))
    if (!resolves.some((x) => ok(x) && x.meta.objectionId === o.objectionId))
      add('REFUSED_NO_TRACE', `objection ${o.objectionId} is ${o.status} with no acknowledged resolution`);
}

async function checkFollowUp(ctx: RunCtx, c: ClassCtx, calls: Call[], add: Add) {
  if (!c.candidates.length) return;
  const s = c.last!;
  const submits = calls.filter((x) => x.kind === 'evidence');
  const verifies = calls.filter((x) => x.kind === 'verify');
  const followUpOver =
    !BEFORE_TRAINING.includes(s.stage) && !['TRAINING', 'ASSESSMENT', 'FOLLOW_UP'].includes(s.stage);
  for (const enrollmentId of c.candidates) {
    const child = ctx.bed.env.client.workflow.getHandle(m.followUpWorkflowId(c.id, enrollmentId));
    const st = await bounded('the follow-up query', child.query(m.followUpStateQuery)).catch(() => undefined);
    if (!st) continue;
    const mine = submits.filter((x) => x.meta.enrollmentId === enrollmentId);
    for (const x of mine) {
      const e = st.evidence.find((y) => y.evidenceId === x.meta.evidence!.evidenceId);
      const sameId = mine.filter((y) => y.meta.evidence!.evidenceId === x.meta.evidence!.evidenceId);
      if (ok(x) && !e)
        add(
          'ACKNOWLEDGED',
          `${show(x)} ${x.meta.evidence!.evidenceId}, but the follow-up has no such evidence`,
        );
      if (
        ok(x) &&
        e &&
        e.employedOn !== x.meta.evidence!.employedOn &&
        !sameId.some((y) => ok(y) && y.meta.evidence!.employedOn === e.employedOn)
      )
        add(
          'ACKNOWLEDGED',
          `${show(x)} ${x.meta.evidence!.evidenceId}, but the follow-up holds other content`,
        );
      if (refused(x) && e && !sameId.some(ok))
        add('REFUSED_NO_TRACE', `${show(x)} ${x.meta.evidence!.evidenceId}, yet the follow-up holds it`);
      // DOMAIN.md §6 and the submitEvidence contract: refused outside the window, accepted inside it.
      if (x.wave >= 0 && (x.meta.when === 'beforeEnd' || x.meta.when === 'afterWindow') && ok(x))
        add(
          'RULES',
          `${show(x)}: employment on ${x.meta.evidence!.employedOn} (${x.meta.when}) was accepted`,
        );
      const sameContent = sameId.every((y) => y.meta.evidence!.employedOn === x.meta.evidence!.employedOn);
      // Once employment is verified the follow-up is over: later evidence may be refused.
      const confirmed = verifies.some(
        (y) =>
          y.meta.enrollmentId === enrollmentId &&
          ok(y) &&
          y.meta.verdict === 'VERIFIED' &&
          (y.wave <= x.wave || y.doneSeq < x.doneSeq),
      );
      const windowOpen = (ctx.waveEndedAt[x.wave] ?? Infinity) < Date.parse(c.window!.endsAt);
      if (
        x.wave >= 0 &&
        windowOpen &&
        x.meta.when === 'inWindow' &&
        sameContent &&
        !confirmed &&
        !ok(x) &&
        x.outcome.kind !== 'no-answer'
      )
        add(
          'RULES',
          `${show(x)}: evidence of employment on ${x.meta.evidence!.employedOn}, inside the window, was not accepted`,
        );
    }
    for (const e of st.evidence)
      if (!mine.some((x) => ok(x) && x.meta.evidence!.evidenceId === e.evidenceId))
        add('REFUSED_NO_TRACE', `evidence ${e.evidenceId} is held with no acknowledged submission`);
    const verified = verifies.filter((x) => x.meta.enrollmentId === enrollmentId && ok(x));
    for (const x of verified) {
      const id = (x.args as { evidenceId: string }).evidenceId;
      const e = st.evidence.find((y) => y.evidenceId === id);
      if (e?.verdict !== x.meta.verdict)
        add('ACKNOWLEDGED', `${show(x)} ${x.meta.verdict} of ${id}, but its verdict is ${e?.verdict}`);
    }
    if (followUpOver && s.stage !== 'CANCELLED') {
      const t = s.trainees.find((y) => y.enrollmentId === enrollmentId);
      const employed = verified.some((x) => x.meta.verdict === 'VERIFIED');
      if (t && (t.employed ?? false) !== employed)
        add(
          'ACKNOWLEDGED',
          `${enrollmentId} ends employed=${t.employed}, but a VERIFIED verification was ${employed ? '' : 'not '}acknowledged`,
        );
    }
  }
}

async function checkReadModel(ctx: RunCtx, c: ClassCtx, add: Add) {
  const s = c.last!;
  const db = ctx.bed.db;
  const enrolled = s.trainees.filter((t) => t.status === 'ENROLLED');
  const problems = await eventually(async () => {
    const p: string[] = [];
    const rows = await db.enrollment.findMany({ where: { classId: c.id, status: 'ENROLLED' } });
    if (rows.length > c.cap)
      p.push(`CAPACITY|${rows.length} ENROLLED rows in the read model for a class of ${c.cap}`);
    const rowKeys = rows.map((r) => r.personKey);
    if (new Set(rowKeys).size !== rowKeys.length) p.push('ONCE_PER_CLASS|a person has two ENROLLED rows');
    const a = rows.map((r) => r.id).sort();
    const b = enrolled.map((t) => t.enrollmentId).sort();
    if (a.join() !== b.join())
      p.push(`PROJECTION|read model enrolled [${a.join(', ')}] ≠ workflow [${b.join(', ')}]`);
    // (another lane may skip time meanwhile and move the case on: compare with the case as it is now)
    const now = await stateOf(ctx, c);
    const row = await db.trainingClass.findUnique({ where: { id: c.id }, select: { stage: true } });
    if (row?.stage !== now.stage) p.push(`PROJECTION|read model stage ${row?.stage} ≠ workflow ${now.stage}`);

    const reserved = await db.subsidyRecord.findMany({ where: { classId: c.id, status: 'RESERVED' } });
    if (hasEnded(s)) {
      if (reserved.length)
        p.push(
          `RESERVATIONS|${s.stage} class still holds ${reserved.length} RESERVED subsidies (${reserved.map((r) => r.kind).join(', ')})`,
        );
    } else {
      const keys = new Set(enrolled.map((t) => t.personKey));
      const training = new Set(reserved.filter((r) => r.kind === 'TRAINING').map((r) => r.personKey));
      for (const r of reserved)
        if (!keys.has(r.personKey))
          p.push(`RESERVATIONS|a ${r.kind} reservation of a person not enrolled (${r.id})`);
      for (const t of enrolled)
        if (!training.has(t.personKey))
          p.push(`RESERVATIONS|enrolled ${t.enrollmentId} holds no TRAINING reservation`);
    }
    return p;
  });
  for (const p of problems) {
    const [invariant, detail] = p.split('|');
    add(invariant!, detail!);
  }
}

async function checkMoney(ctx: RunCtx, c: ClassCtx, calls: Call[], add: Add) {
  const s = c.last!;
  const db = ctx.bed.db;
  const approvals = calls.filter((x) => (x.kind === 'approveAdvance' || x.kind === 'approveBatch') && ok(x));
  for (const b of s.batches) {
    const row = await db.paymentBatch.findUnique({ where: { id: b.batchId }, include: { payments: true } });
    if (!row) {
      add('PROJECTION', `batch ${b.batchId} is not in the read model`);
      continue;
    }
    const sum = row.payments.reduce((n, p) => n + p.amountFen, 0);
    if (row.totalFen !== b.totalFen || (row.payments.length && sum !== b.totalFen))
      add(
        'MONEY',
        `batch ${b.batchId}: workflow ${b.totalFen}, read model ${row.totalFen}, payments sum ${sum}`,
      );
    const transfers = ctx.bed.bank.transfers.filter((t) => t.paymentId.startsWith(`${b.batchId}:`));
    const ids = transfers.map((t) => t.paymentId);
    if (new Set(ids).size !== ids.length) add('MONEY', `a payment of ${b.batchId} was transferred twice`);
    if (b.status === 'PAID' && transfers.reduce((n, t) => n + t.amountFen, 0) !== b.totalFen)
      add(
        'MONEY',
        `batch ${b.batchId} is PAID but the bank moved ${transfers.reduce((n, t) => n + t.amountFen, 0)} of ${b.totalFen}`,
      );
    const approvedAtSetup = b.kind === 'ADVANCE' && c.spec.advanceApproved && ctx.run.phase !== 'review';
    if (b.status === 'PAID' && !approvedAtSetup && !approvals.some((x) => x.meta.batchId === b.batchId))
      add('MONEY', `batch ${b.batchId} was paid without an acknowledged approval`);
  }
  for (const x of approvals.filter((y) => y.wave !== -2)) {
    const b = s.batches.find((y) => y.batchId === x.meta.batchId);
    if (!b) add('ACKNOWLEDGED', `${show(x)} of ${x.meta.batchId}, but the case has no such batch`);
    else if (b.status !== 'PAID' && s.stage !== 'CANCELLED' && s.stage !== 'REJECTED')
      add('ACKNOWLEDGED', `${show(x)} of ${x.meta.batchId}, but it is ${b.status}`);
  }
  const paid = (kind: 'ADVANCE' | 'SETTLEMENT') =>
    s.batches.filter((b) => b.kind === kind && b.status === 'PAID').reduce((n, b) => n + b.totalFen, 0);
  const deducted = -s.lines
    .filter((l) => l.kind === 'ADVANCE_DEDUCTION')
    .reduce((n, l) => n + l.amountFen, 0);
  if (paid('SETTLEMENT') !== s.paidFen)
    add('MONEY', `paidFen ${s.paidFen} ≠ settlement batches paid ${paid('SETTLEMENT')}`);
  if (s.stage === 'CLOSED') {
    const lines = s.lines
      .filter((l) => (l.kind === 'TRAINING' || l.kind === 'EVALUATION') && l.status === 'PAID')
      .reduce((n, l) => n + l.amountFen, 0);
    if (lines - deducted !== s.paidFen)
      add(
        'MONEY',
        `paid lines ${lines} − advance deducted ${deducted} ≠ paid ${s.paidFen}; batches ${s.batches
          .map((b) => `${b.batchId} ${b.totalFen} ${b.status}`)
          .join(', ')}; lines ${s.lines
          .map((l) => `${l.lineId.slice(c.id.length + 1)} ${l.amountFen} ${l.status} r${l.noticeRound}`)
          .join(
            ', ',
          )}; objections ${s.objections.map((o) => `${o.objectionId.slice(c.id.length + 1)}→${o.lineId.slice(c.id.length + 1)} ${o.status}`).join(', ')}`,
      );
    if (s.recoveryFen !== paid('ADVANCE') - deducted)
      add('MONEY', `recovery ${s.recoveryFen} ≠ advance paid ${paid('ADVANCE')} − deducted ${deducted}`);
  }
  if (hasEnded(s) && s.advancePaidFen !== paid('ADVANCE'))
    add(
      'MONEY',
      `the case says ${s.advancePaidFen} fen advanced, the paid advance batches ${paid('ADVANCE')}`,
    );
  if (s.stage === 'CANCELLED' || s.stage === 'REJECTED') {
    if (paid('SETTLEMENT')) add('MONEY', `${paid('SETTLEMENT')} fen settled for a ${s.stage} class`);
    if (s.recoveryFen !== paid('ADVANCE'))
      add('MONEY', `${s.stage} class: advance paid ${paid('ADVANCE')}, recovery due ${s.recoveryFen}`);
    const waiting = await db.paymentBatch.findMany({ where: { classId: c.id, status: 'AWAITING_APPROVAL' } });
    if (waiting.length)
      add('MONEY', `${s.stage} class leaves batch ${waiting.map((w) => w.id).join(', ')} awaiting approval`);
  }
}

async function checkWedges(ctx: RunCtx, c: ClassCtx, add: Add) {
  const ids = [c.id, ...c.candidates.map((e) => m.followUpWorkflowId(c.id, e))];
  for (const id of ids) {
    const d = await bounded('describe', ctx.bed.env.client.workflow.getHandle(id).describe()).catch(
      () => undefined,
    );
    if (!d) continue;
    if (['FAILED', 'TIMED_OUT', 'TERMINATED'].includes(d.status.name) && id === c.id)
      add('NO_WEDGE', `${id} is ${d.status.name}`);
    if (d.status.name !== 'RUNNING' && d.raw.pendingActivities?.length)
      add(
        'NO_WEDGE',
        `${id} is ${d.status.name} with ${d.raw.pendingActivities.map((a) => a.activityType?.name).join(', ')} still scheduled (work nobody awaited)`,
      );
    for (const a of d.raw.pendingActivities ?? [])
      if ((a.attempt ?? 0) > (ctx.bed.timeSkipping ? 3 : 2))
        add(
          'NO_WEDGE',
          `${id}: activity ${a.activityType?.name} at attempt ${a.attempt}: ${a.lastFailure?.message ?? ''}`.trim(),
        );
    const task = d.raw.pendingWorkflowTask;
    if (task && (task.attempt ?? 0) > 2) add('NO_WEDGE', `${id}: workflow task at attempt ${task.attempt}`);
  }
}

function checkCalls(ctx: RunCtx, out: Violation[]) {
  for (const x of ctx.calls) {
    const classId = ctx.classes[x.cls]?.id;
    if (x.outcome.kind === 'no-answer')
      out.push({ invariant: 'NO_WEDGE', classId, detail: `${show(x)}: never answered` });
    if (x.outcome.kind === 'error')
      out.push({ invariant: 'NO_WEDGE', classId, detail: `${show(x)}: ${x.outcome.message}` });
    if (x.mustRefuse && ok(x))
      out.push({ invariant: 'RULES', classId, detail: `${x.mustRefuse} was accepted` });
  }
  // A retry (the same Update id) must get the first answer: a success both times, with the same value, or a
  // refusal both times (the server forgets a rejected Update, so the retry may hear "update not found").
  const byId = new Map<string, Call[]>();
  for (const x of ctx.calls.filter((y) => y.copies === 'retry'))
    byId.set(x.updateId, [...(byId.get(x.updateId) ?? []), x]);
  for (const [id, pair] of byId) {
    const [a, b] = pair;
    if (!a || !b || a.outcome.kind === 'no-answer' || b.outcome.kind === 'no-answer') continue;
    // The server keeps an accepted Update's outcome but forgets a rejected one: a retry that arrives after a
    // rejection is validated afresh and may be accepted. What must never happen: an accepted Update whose
    // retry is refused or answered differently. Two copies in flight together can have their answers arrive in
    // either order (a run had the rejection of the copy sent first arrive after the other copy's success), so a
    // refusal breaks the rule only if it was sent after the success had come back: the server knew the Update
    // then. Two successes must carry the same value whenever they came.
    const oks = [a, b].filter((x) => x.outcome.kind === 'ok');
    const refusal = [a, b].find((x) => x.outcome.kind !== 'ok');
    const same =
      oks.length === 2
        ? JSON.stringify(oks[0]!.outcome.kind === 'ok' && oks[0]!.outcome.value) ===
          JSON.stringify(oks[1]!.outcome.kind === 'ok' && oks[1]!.outcome.value)
        : oks.length === 0 || refusal!.sentSeq < oks[0]!.doneSeq;
    if (!same)
      out.push({
        invariant: 'RETRY',
        classId: ctx.classes[a.cls]?.id,
        detail: `Update ${id} answered ${JSON.stringify(a.outcome)} and then ${JSON.stringify(b.outcome)}`,
      });
  }
}
