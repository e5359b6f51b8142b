// The read model as the workflows describe it: each CaseEvent is applied once, in one transaction
// (DESIGN.md principle 1). Replaying an event, as an activity retry does, changes nothing.
import type { Prisma } from '@prisma/client';
import type { Db } from '../platform/db';
import { isUniqueViolation } from '../platform/db';
import type { CaseEvent } from './types';
import { countClass, countTasks, NEW_ROW, TALLY_COLUMNS, TASK_TALLY_COLUMNS } from '../platform/tallies';
import type { TallyRow } from '../domain/tally';
import { audiencesOf, mayNotify, type TaskOfEvent } from '../domain/notifications';

type Tx = Prisma.TransactionClient;

export async function applyCaseEvent(db: Db, e: CaseEvent): Promise<void> {
  try {
    await db.$transaction(async (tx) => {
      await tx.projectionEvent.create({ data: { workflowId: e.workflowId, seq: e.seq } });
      await applyClass(tx, e);
      await applyTasks(tx, e);
      await applyDetails(tx, e);
      await applyNotifications(tx, e);
      await tx.auditEvent.create({
        data: {
          id: `${e.workflowId}:${e.seq}`,
          classId: e.classId,
          workflowId: e.workflowId,
          seq: e.seq,
          at: new Date(e.at),
          actor: e.actor,
          action: e.action,
          stage: e.stage,
          enrollmentId: traineeOf(e),
          detail: e.detail ? JSON.stringify(e.detail) : null,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) return; // already applied
    throw err;
  }
}

/**
 * The trainee an event concerns, for the timeline: the one enrolment, piece of evidence or subsidy line it names
 * (a withdrawal, an objection to a line, a verdict). An event about several trainees, or none, names nobody;
 * the API adds the trainee of a follow-up child's events from the child's workflow id.
 */
export function traineeOf(e: CaseEvent): string | null {
  const named = new Set([
    ...(e.enrollments ?? []).map((x) => x.id),
    ...(e.evidence ?? []).map((x) => x.enrollmentId),
    ...(e.lines ?? []).flatMap((l) => (l.enrollmentId ? [l.enrollmentId] : [])),
  ]);
  return named.size === 1 ? [...named][0]! : null;
}

async function applyClass(tx: Tx, e: CaseEvent) {
  if (e.create) {
    const p = e.create.plan;
    await tx.trainingClass.upsert({
      where: { id: e.classId },
      update: {},
      create: {
        id: e.classId,
        institutionId: e.create.institutionId,
        district: e.create.district,
        occupationCode: p.occupationCode,
        level: p.level,
        title: p.title,
        stage: e.stage,
        policyVersionId: '',
        plannedStart: p.plannedStart,
        plannedEnd: p.plannedEnd,
        classHours: p.classHours,
        capacity: p.capacity,
        commitment: p.commitment,
        assessmentBodyId: p.assessmentBodyId,
        plan: JSON.stringify(p),
        stageSince: new Date(e.at),
      },
    });
    await bumpStage(tx, undefined, e.stage);
    await countClass(
      tx,
      { institutionId: e.create.institutionId, district: e.create.district },
      e.at,
      undefined,
      {
        ...NEW_ROW,
        stage: e.stage,
      },
    );
  }
  if (!e.classPatch || e.workflowId !== e.classId) return;
  const current = await tx.trainingClass.findUnique({
    where: { id: e.classId },
    select: { lastEventSeq: true, institutionId: true, district: true, ...TALLY_COLUMNS },
  });
  if (!current || current.lastEventSeq > e.seq) return;
  const { plan, dueAt, ...rest } = e.classPatch;
  const data: Prisma.TrainingClassUpdateInput = { ...rest, lastEventSeq: e.seq };
  if (plan)
    Object.assign(data, {
      plan: JSON.stringify(plan),
      title: plan.title,
      plannedStart: plan.plannedStart,
      plannedEnd: plan.plannedEnd,
      classHours: plan.classHours,
      capacity: plan.capacity,
      assessmentBodyId: plan.assessmentBodyId,
    });
  if (dueAt !== undefined) data.dueAt = dueAt ? new Date(dueAt) : null;
  if (rest.stage && rest.stage !== current.stage) {
    data.stageSince = new Date(e.at);
    await bumpStage(tx, current.stage, rest.stage);
    await tx.task.updateMany({ where: { classId: e.classId, status: 'OPEN' }, data: { stage: rest.stage } });
  }
  await tx.trainingClass.update({ where: { id: e.classId }, data });
  const after = { ...current } as TallyRow;
  for (const k of Object.keys(TALLY_COLUMNS) as (keyof TallyRow)[])
    if (rest[k] !== undefined) Object.assign(after, { [k]: rest[k] });
  await countClass(tx, current, e.at, current, after);
}

async function bumpStage(tx: Tx, from: string | undefined, to: string) {
  if (from)
    await tx.stageCount.upsert({
      where: { stage: from },
      create: { stage: from, count: 0 },
      update: { count: { decrement: 1 } },
    });
  await tx.stageCount.upsert({
    where: { stage: to },
    create: { stage: to, count: 1 },
    update: { count: { increment: 1 } },
  });
}

async function applyTasks(tx: Tx, e: CaseEvent) {
  // The rows this event may change, as they were: the open-task counters move by the difference.
  const named = [
    ...(e.openTasks ?? []).map((t) => t.id),
    ...(e.closeTasks ?? []),
    ...(e.taskFlags ?? []).map((f) => f.id),
  ];
  if (!named.length && !e.closeAllTasks) return;
  const before = await tx.task.findMany({
    where: {
      OR: [{ id: { in: named } }, ...(e.closeAllTasks ? [{ classId: e.classId, status: 'OPEN' }] : [])],
    },
    select: TASK_TALLY_COLUMNS,
  });
  await changeTasks(tx, e);
  const after = await tx.task.findMany({
    where: { id: { in: [...new Set([...named, ...before.map((t) => t.id)])] } },
    select: TASK_TALLY_COLUMNS,
  });
  await countTasks(tx, before, after);
}

async function changeTasks(tx: Tx, e: CaseEvent) {
  if (e.openTasks?.length) {
    const cls = await tx.trainingClass.findUnique({
      where: { id: e.classId },
      select: { institutionId: true, occupationCode: true, district: true, stage: true },
    });
    if (!cls) throw new Error(`class ${e.classId} is not projected yet`);
    for (const t of e.openTasks) {
      await tx.task.upsert({
        where: { id: t.id },
        update: {},
        create: {
          id: t.id,
          classId: e.classId,
          kind: t.kind,
          role: t.role,
          institutionId: cls.institutionId,
          occupationCode: cls.occupationCode,
          district: cls.district,
          stage: cls.stage,
          status: 'OPEN',
          dueAt: t.dueAt ? new Date(t.dueAt) : null,
          subject: t.subject ?? null,
          evidenceId: t.evidenceId ?? null,
          createdAt: new Date(e.at),
        },
      });
    }
  }
  if (e.closeTasks?.length)
    await tx.task.updateMany({
      where: { id: { in: e.closeTasks }, status: 'OPEN' },
      data: { status: 'DONE', closedAt: new Date(e.at) },
    });
  if (e.closeAllTasks)
    await tx.task.updateMany({
      where: { classId: e.classId, status: 'OPEN' },
      data: { status: 'CANCELLED', closedAt: new Date(e.at) },
    });
  for (const f of e.taskFlags ?? []) {
    await tx.task.updateMany({
      where: { id: f.id },
      data: { overdue: f.overdue, escalated: f.escalated, dueAt: f.dueAt ? new Date(f.dueAt) : undefined },
    });
  }
}

async function applyDetails(tx: Tx, e: CaseEvent) {
  for (const en of e.enrollments ?? []) {
    const { id, ...data } = en;
    await tx.enrollment.updateMany({ where: { id }, data });
  }
  for (const a of e.attendance ?? []) {
    const id = `${a.enrollmentId}:${a.lessonDate}:${a.lessonNo}`;
    const data = {
      classId: e.classId,
      enrollmentId: a.enrollmentId,
      lessonDate: a.lessonDate,
      lessonNo: a.lessonNo,
      status: a.status,
      hours: a.hours,
    };
    await tx.attendanceRecord.upsert({ where: { id }, create: { id, ...data }, update: data });
  }
  for (const l of e.lines ?? []) {
    const data = {
      classId: e.classId,
      enrollmentId: l.enrollmentId ?? null,
      payee: l.payee,
      kind: l.kind,
      tier: l.tier ?? null,
      pct: l.pct ?? null,
      amountFen: l.amountFen,
      status: l.status,
      remark: l.remark ?? null,
      noticeId: l.noticeRound ? `${e.classId}-N${l.noticeRound}` : null,
    };
    await tx.subsidyLine.upsert({ where: { id: l.lineId }, create: { id: l.lineId, ...data }, update: data });
  }
  for (const o of e.objections ?? []) {
    await tx.objection.upsert({
      where: { id: o.id },
      create: {
        id: o.id,
        classId: e.classId,
        noticeId: o.noticeId,
        lineId: o.lineId,
        reason: o.reason ?? '',
        contact: o.contactEnc ?? null,
        status: o.status,
        resolution: o.resolution ?? null,
      },
      update: { status: o.status, resolution: o.resolution ?? undefined },
    });
  }
  for (const b of e.batches ?? []) {
    await tx.paymentBatch.upsert({
      where: { id: b.id },
      create: {
        id: b.id,
        classId: e.classId,
        kind: b.kind,
        totalFen: b.totalFen,
        status: b.status,
        approvedBy: b.approvedBy ?? null,
      },
      update: { totalFen: b.totalFen, status: b.status, approvedBy: b.approvedBy ?? undefined },
    });
    for (const p of b.payments ?? []) {
      const existing = await tx.payment.findUnique({ where: { id: p.id }, select: { status: true } });
      const status = existing?.status === 'PAID' ? 'PAID' : p.status; // the ledger's PAID is final
      await tx.payment.upsert({
        where: { id: p.id },
        create: {
          id: p.id,
          batchId: b.id,
          payee: p.payee,
          amountFen: p.amountFen,
          status,
          attempts: p.attempts ?? 0,
          bankRef: p.bankRef ?? null,
          failure: p.failure ?? null,
        },
        update: { status, attempts: p.attempts, bankRef: p.bankRef ?? undefined, failure: p.failure ?? null },
      });
    }
  }
  for (const ev of e.evidence ?? []) {
    const data = {
      classId: e.classId,
      enrollmentId: ev.enrollmentId,
      kind: ev.kind,
      employedOn: ev.employedOn,
      employer: ev.employer ?? null,
      verdict: ev.verdict ?? null,
      verifiedBy: ev.verifiedBy ?? null,
      verdictNote: ev.verdictNote ?? null,
    };
    await tx.employmentEvidence.upsert({
      where: { id: ev.id },
      create: { id: ev.id, ...data },
      update: {
        verdict: ev.verdict ?? undefined,
        verifiedBy: ev.verifiedBy ?? undefined,
        verdictNote: ev.verdictNote ?? undefined,
      },
    });
  }
  if (e.action.startsWith('NOTICE_CLOSED'))
    await tx.publicNotice.updateMany({
      where: { classId: e.classId, status: 'OPEN' },
      data: { status: 'CLOSED' },
    });
}

/** The reason an event gives, if any: a returned or rejected plan, a cancellation, a rejected piece of evidence. */
function reasonOf(e: CaseEvent): string | null {
  const reason = (e.detail as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === 'string' && reason.trim()) return reason.trim();
  return e.evidence?.find((x) => x.verdictNote)?.verdictNote ?? null;
}

/** 消息中心: the event's notifications (domain/notifications.ts says who hears of what), once per event. */
async function applyNotifications(tx: Tx, e: CaseEvent) {
  if (!mayNotify(e.action)) return;
  const flagged = e.taskFlags?.[0]?.id;
  const task: TaskOfEvent | undefined = flagged
    ? ((await tx.task.findUnique({ where: { id: flagged }, select: { role: true, assignee: true } })) ??
      undefined)
    : undefined;
  const audiences = audiencesOf(e.action, task);
  if (!audiences.length) return;
  const cls = await tx.trainingClass.findUnique({
    where: { id: e.classId },
    select: { institutionId: true, assessmentBodyId: true },
  });
  if (!cls) return; // nothing to tell anyone about a class the read model has not seen
  const reason = reasonOf(e);
  await tx.notification.createMany({
    data: audiences.map((a, n) => ({
      id: `${e.workflowId}:${e.seq}:${n}`,
      classId: e.classId,
      action: e.action,
      role: a.role,
      organisationId:
        a.organisation === 'institution'
          ? cls.institutionId
          : a.organisation === 'assessmentBody'
            ? cls.assessmentBodyId
            : null,
      userId: a.assignee ?? null,
      enrollmentId: traineeOf(e),
      reason,
      at: new Date(e.at),
    })),
  });
}
