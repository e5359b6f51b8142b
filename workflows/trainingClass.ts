// One training class (补贴性职业技能培训班) from plan to payout, as DOMAIN.md "The life of a class" tells it.
// Workflow id = class id. Deterministic: every side effect is an activity, every clock a Temporal timer.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PolicyVersion } from '../domain/policy';
import type { OccupationLevelStandard } from '../domain/occupations';
import type { RuleViolation } from '../domain/rules';
import {
  advancePaymentFen,
  meetsAttendance,
  settleClass,
  subsidyTier,
  trainingSubsidyFen,
} from '../domain/subsidy';
import { shanghaiDate } from '../domain/dates';
import type { CaseEvent, DeadlineRule, PaymentOrder } from '../activities/types';
import * as m from './messages';
import { msUntil, workflowNowIso } from './clock';
import { acts, payments } from './proxies';
import { traineeFollowUpWorkflow } from './followUp';

type Deadlines = PolicyVersion['deadlines'];

class ClassCancelled extends Error {}

/** Transfers refused by the bank this many times in a row go back to finance for correction. */
const MAX_TRANSFER_ATTEMPTS = 3;

const refuse = (v: RuleViolation): never => {
  throw ApplicationFailure.create({ type: v.code, message: v.en, details: [v], nonRetryable: true });
};
const rule = (code: string, zh: string, en: string, field?: string): RuleViolation => ({
  code,
  zh,
  en,
  field,
});

export async function trainingClassWorkflow(input: m.ClassInput): Promise<m.CaseState> {
  const { classId } = input;
  const s: m.CaseState = {
    classId,
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
  let policy!: PolicyVersion;
  let standard!: OccupationLevelStandard;
  let newOccupation = false;
  let seq = 0;
  let calendarVersion = 0;
  let cancelRequested: { actor: m.Actor; reason: string } | undefined;
  let enrolInFlight = 0;
  const attendance = new Map<string, Map<string, number>>(); // lessonKey → enrollmentId → hours
  const pending: {
    review?: { actor: m.Actor; decision: m.ReviewDecision; reason?: string };
    resubmitted?: boolean;
  } = {};
  const flags = { trainingStarted: false, trainingFinished: false };
  const approvals = new Map<string, m.Actor>(); // batchId → finance approver
  const bankReturns = new Map<string, m.BankReturnLine[]>();
  let trainingEndedOn = '';
  if (input.resume) {
    // A continued run: the case as it was, and the projection's counter, so event ids and task ids go on.
    Object.assign(s, input.resume.state);
    seq = input.resume.seq;
  }

  // ---------- projection: every state change reaches the read model, in order, exactly once ----------
  let projectionTail: Promise<unknown> = Promise.resolve();
  function emit(
    action: string,
    by: string,
    patch: Omit<CaseEvent, 'workflowId' | 'classId' | 'seq' | 'at' | 'actor' | 'action' | 'stage'> = {},
  ) {
    const event: CaseEvent = {
      workflowId: classId,
      classId,
      seq: ++seq,
      at: workflowNowIso(),
      actor: by,
      action,
      stage: s.stage,
      ...patch,
    };
    s.history.push({ seq: event.seq, at: event.at, action, by, stage: s.stage });
    if (s.history.length > 100) s.history.shift(); // the full trail is in the audit table
    const done = projectionTail.then(() => acts.project(event));
    projectionTail = done.catch(() => undefined);
    return done;
  }
  function setStage(stage: m.Stage, by: string, action: string, patch: Parameters<typeof emit>[2] = {}) {
    s.stage = stage;
    upsertSearchAttributes({ Stage: [stage] });
    return emit(action, by, { ...patch, classPatch: { stage, ...patch.classPatch } });
  }

  // ---------- a human step: wait for a decision, with a clock that marks overdue and escalates ----------
  async function humanTask(
    task: { kind: string; role: string; subject?: string; from: string; rule: DeadlineRule; n: number },
    done: () => boolean,
    opts: { main?: boolean; abortable?: boolean } = { main: true, abortable: true },
  ) {
    const taskId = `${classId}:${task.kind}:${task.subject ?? ''}:${seq + 1}`;
    const clock = policy?.clock;
    const d = policy?.deadlines ?? FALLBACK_DEADLINES;
    let deadline = await acts.computeDeadline({ from: task.from, rule: task.rule, n: task.n, clock });
    let phase: 'due' | 'escalation' | 'waiting' = 'due';
    let escalationDue = '';
    const main = opts.main !== false;
    if (main)
      s.clock = {
        task: task.kind,
        dueAt: deadline.dueAt,
        provisional: deadline.provisional,
        overdue: false,
        escalated: false,
      };
    await emit(`TASK_OPENED:${task.kind}`, 'system', {
      openTasks: [
        { id: taskId, kind: task.kind, role: task.role, dueAt: deadline.dueAt, subject: task.subject },
      ],
      classPatch: main ? { dueAt: deadline.dueAt, overdue: false, escalated: false } : undefined,
    });
    if (main) upsertSearchAttributes({ Overdue: [false], DueAt: [new Date(deadline.dueAt)] });
    for (;;) {
      const armedFor = calendarVersion;
      const finished = () =>
        done() || (opts.abortable !== false && cancelRequested !== undefined) || calendarVersion !== armedFor;
      const wait =
        phase === 'due'
          ? msUntil(deadline.dueAt)
          : phase === 'escalation'
            ? msUntil(escalationDue)
            : undefined;
      const signalled =
        wait === undefined
          ? (await condition(finished), true)
          : wait > 0
            ? await condition(finished, wait)
            : finished();
      if (done()) break;
      if (opts.abortable !== false && cancelRequested) throw new ClassCancelled();
      if (signalled && calendarVersion !== armedFor) {
        // DOMAIN.md: open deadlines are recomputed when the calendar changes.
        deadline = await acts.computeDeadline({ from: task.from, rule: task.rule, n: task.n, clock });
        if (phase !== 'due')
          escalationDue = (
            await acts.computeDeadline({
              from: deadline.dueAt,
              rule: 'WORKING_DAYS',
              n: d.escalationWorkingDays,
              clock,
            })
          ).dueAt;
        if (main && s.clock)
          Object.assign(s.clock, { dueAt: deadline.dueAt, provisional: deadline.provisional });
        await emit(`DEADLINE_RECOMPUTED:${task.kind}`, 'system', {
          taskFlags: [{ id: taskId, dueAt: deadline.dueAt }],
          classPatch: main ? { dueAt: deadline.dueAt } : undefined,
        });
        if (phase === 'due' && msUntil(deadline.dueAt) > 0) continue;
      }
      if (phase === 'due') {
        if (msUntil(deadline.dueAt) > 0) continue;
        phase = 'escalation';
        escalationDue = (
          await acts.computeDeadline({
            from: deadline.dueAt,
            rule: 'WORKING_DAYS',
            n: d.escalationWorkingDays,
            clock,
          })
        ).dueAt;
        if (main && s.clock) s.clock.overdue = true;
        if (main) upsertSearchAttributes({ Overdue: [true] });
        await emit(`OVERDUE:${task.kind}`, 'system', {
          taskFlags: [{ id: taskId, overdue: true }],
          classPatch: main ? { overdue: true } : undefined,
        });
        await acts.notify({
          classId,
          role: task.role,
          organisationId: task.role === 'INSTITUTION' ? input.institutionId : undefined,
          kind: 'OVERDUE',
          message: `${task.kind} overdue since ${deadline.dueAt}`,
        });
      } else if (phase === 'escalation') {
        if (msUntil(escalationDue) > 0) continue;
        phase = 'waiting'; // escalated: the case keeps waiting for the decision, never proceeds silently
        if (main && s.clock) s.clock.escalated = true;
        await emit(`ESCALATED:${task.kind}`, 'system', {
          taskFlags: [{ id: taskId, escalated: true }],
          classPatch: main ? { escalated: true } : undefined,
        });
        await acts.notify({
          classId,
          role: 'MANAGER',
          kind: 'ESCALATION',
          message: `${task.kind} still open ${d.escalationWorkingDays} working days after its deadline`,
        });
      }
    }
    if (main) {
      s.clock = undefined;
      upsertSearchAttributes({ Overdue: [false] });
    }
    await emit(`TASK_CLOSED:${task.kind}`, 'system', {
      closeTasks: [taskId],
      classPatch: main ? { dueAt: null, overdue: false, escalated: false } : undefined,
    });
  }

  // ---------- handlers ----------
  const isInstitution = (a: m.Actor) => a.role === 'INSTITUTION' && a.organisationId === input.institutionId;
  const requireStage = (allowed: m.Stage[]) => {
    if (!allowed.includes(s.stage))
      refuse(
        rule(
          'WRONG_STAGE',
          `当前阶段（${s.stage}）不能进行此操作`,
          `Not allowed while the class is ${s.stage}`,
          'stage',
        ),
      );
  };
  const requireRole = (a: m.Actor, ok: boolean) => {
    if (!ok)
      refuse(
        rule(
          'FORBIDDEN_ACTOR',
          '无权对该班级进行此操作',
          'This actor may not do that on this class',
          'actor',
        ),
      );
  };
  const enrolled = () => s.trainees.filter((t) => t.status === 'ENROLLED');
  const trainee = (id: string) => s.trainees.find((t) => t.enrollmentId === id);

  setHandler(m.caseStateQuery, () => s);
  setHandler(m.calendarChangedSignal, () => void calendarVersion++);
  setHandler(
    m.bankReturnSignal,
    ({ batchId, lines }) => void bankReturns.set(batchId, [...(bankReturns.get(batchId) ?? []), ...lines]),
  );

  setHandler(
    m.reviewPlanUpdate,
    async ({ actor, decision, reason }) => {
      pending.review = { actor, decision, reason };
    },
    {
      validator: ({ actor, decision, reason }) => {
        requireStage(['UNDER_REVIEW']);
        requireRole(actor, actor.role === 'CASEWORKER');
        if (pending.review)
          refuse(rule('ALREADY_DECIDED', '该申请已有审核结论', 'A decision was already made', 'decision'));
        if (decision !== 'APPROVE' && !reason?.trim())
          refuse(
            rule(
              'REASON_REQUIRED',
              '退回或不予通过须说明理由',
              'A reason is required to return or reject',
              'reason',
            ),
          );
      },
    },
  );

  setHandler(
    m.resubmitPlanUpdate,
    async ({ plan }) => {
      s.plan = plan;
      pending.resubmitted = true;
    },
    {
      validator: ({ actor, plan }) => {
        requireStage(['RETURNED']);
        requireRole(actor, isInstitution(actor));
        if (plan.occupationCode !== s.plan.occupationCode || plan.level !== s.plan.level)
          refuse(
            rule(
              'OCCUPATION_CHANGED',
              '重新提交不能更改职业（工种）和等级，请重新申请开班',
              'A resubmission cannot change occupation or level; file a new class',
              'plan.occupationCode',
            ),
          );
      },
    },
  );

  setHandler(
    m.enrolTraineesUpdate,
    async ({ actor, trainees, validOnly }) => {
      enrolInFlight++;
      try {
        const result = await acts.reserveTrainees({
          classId,
          institutionId: input.institutionId,
          occupationCode: s.plan.occupationCode,
          level: s.plan.level,
          periodStart: s.plan.plannedStart,
          periodEnd: s.plan.plannedEnd,
          policyId: policy.id,
          capacityLeft: Math.min(s.plan.capacity, policy.caps.traineesPerClass) - enrolled().length,
          trainees,
          validOnly: validOnly ?? false,
        });
        for (const id of result.enrolled) {
          const t = trainees.find((x) => x.enrollmentId === id)!;
          s.trainees.push({
            enrollmentId: id,
            personKey: t.personKey,
            category: t.category,
            status: 'ENROLLED',
            attendedHours: 0,
          });
        }
        if (result.enrolled.length)
          await emit('TRAINEES_ENROLLED', actor.userId, {
            classPatch: { traineeCount: enrolled().length },
            detail: { count: result.enrolled.length },
          });
        return result;
      } finally {
        enrolInFlight--;
      }
    },
    {
      validator: ({ actor, trainees }) => {
        requireStage(['ENROLLING']);
        requireRole(actor, isInstitution(actor));
        if (flags.trainingStarted)
          refuse(
            rule(
              'ROSTER_FROZEN',
              '培训已开始，花名册已冻结',
              'Training has started: the roster is frozen',
              'trainees',
            ),
          );
        if (!trainees.length) refuse(rule('EMPTY_ROSTER', '未提交学员', 'No trainees given', 'trainees'));
        const keys = new Set(enrolled().map((t) => t.personKey));
        const ids = new Set(s.trainees.map((t) => t.enrollmentId));
        for (const [i, t] of trainees.entries()) {
          if (keys.has(t.personKey))
            refuse(
              rule(
                'ALREADY_ENROLLED',
                '该学员已在本班花名册中',
                'This person is already on the roster',
                `trainees.${i}`,
              ),
            );
          if (ids.has(t.enrollmentId))
            refuse(
              rule(
                'DUPLICATE_ENROLLMENT_ID',
                '报名编号重复',
                'Duplicate enrollment id',
                `trainees.${i}.enrollmentId`,
              ),
            );
          keys.add(t.personKey);
          ids.add(t.enrollmentId);
        }
        const cap = Math.min(s.plan.capacity, policy.caps.traineesPerClass);
        if (enrolled().length + trainees.length > cap)
          refuse(
            rule(
              'CLASS_FULL',
              `超出班级容量（${cap}人）`,
              `The class holds at most ${cap} trainees`,
              'trainees',
            ),
          );
      },
    },
  );

  setHandler(
    m.withdrawTraineeUpdate,
    async ({ actor, enrollmentId, reason }) => {
      const t = trainee(enrollmentId)!;
      t.status = 'WITHDRAWN';
      await acts.releaseTrainee({ classId, personKey: t.personKey });
      await emit('TRAINEE_WITHDRAWN', actor.userId, {
        enrollments: [{ id: enrollmentId, status: 'WITHDRAWN' }],
        classPatch: { traineeCount: enrolled().length },
        detail: { reason },
      });
    },
    {
      validator: ({ actor, enrollmentId }) => {
        requireStage(['ENROLLING']);
        requireRole(actor, isInstitution(actor));
        if (flags.trainingStarted)
          refuse(
            rule(
              'ROSTER_FROZEN',
              '培训已开始，花名册已冻结',
              'Training has started: the roster is frozen',
              'enrollmentId',
            ),
          );
        if (trainee(enrollmentId)?.status !== 'ENROLLED')
          refuse(rule('UNKNOWN_TRAINEE', '本班无此学员', 'No such trainee on this class', 'enrollmentId'));
      },
    },
  );

  setHandler(m.startTrainingUpdate, async () => void (flags.trainingStarted = true), {
    validator: ({ actor }) => {
      requireStage(['ENROLLING']);
      requireRole(actor, isInstitution(actor));
      if (flags.trainingStarted)
        refuse(rule('ALREADY_STARTED', '培训已开始', 'Training has already started', 'stage'));
      if (!enrolled().length)
        refuse(rule('EMPTY_ROSTER', '花名册为空，不能开班', 'The roster is empty', 'trainees'));
    },
  });

  setHandler(
    m.reportAttendanceUpdate,
    async ({ actor, lessons }) => {
      const rows: NonNullable<CaseEvent['attendance']> = [];
      for (const lesson of lessons) {
        const key = `${lesson.lessonDate}#${lesson.lessonNo}`;
        const byTrainee = new Map<string, number>();
        for (const e of lesson.entries) {
          byTrainee.set(e.enrollmentId, e.status === 'ABSENT' || e.status === 'LEAVE' ? 0 : e.hours);
          rows.push({
            enrollmentId: e.enrollmentId,
            lessonDate: lesson.lessonDate,
            lessonNo: lesson.lessonNo,
            status: e.status,
            hours: e.hours,
          });
        }
        attendance.set(key, byTrainee); // a lesson reported again replaces the earlier report
      }
      for (const t of enrolled())
        t.attendedHours = [...attendance.values()].reduce((sum, l) => sum + (l.get(t.enrollmentId) ?? 0), 0);
      await emit('ATTENDANCE_REPORTED', actor.userId, {
        attendance: rows,
        enrollments: enrolled().map((t) => ({ id: t.enrollmentId, attendedHours: t.attendedHours })),
      });
    },
    {
      validator: ({ actor, lessons }) => {
        requireStage(['TRAINING']);
        requireRole(actor, isInstitution(actor));
        if (flags.trainingFinished)
          refuse(rule('TRAINING_FINISHED', '培训已结束', 'Training has finished', 'stage'));
        for (const [i, lesson] of lessons.entries()) {
          if (lesson.lessonDate < s.plan.plannedStart || lesson.lessonDate > s.plan.plannedEnd)
            refuse(
              rule(
                'LESSON_OUTSIDE_PERIOD',
                '课程日期不在培训期内',
                'The lesson date is outside the training period',
                `lessons.${i}.lessonDate`,
              ),
            );
          for (const [j, e] of lesson.entries.entries()) {
            if (trainee(e.enrollmentId)?.status !== 'ENROLLED')
              refuse(
                rule(
                  'UNKNOWN_TRAINEE',
                  '本班无此学员',
                  'No such trainee on this class',
                  `lessons.${i}.entries.${j}.enrollmentId`,
                ),
              );
            if (!(e.hours >= 0 && e.hours <= 12))
              refuse(
                rule(
                  'HOURS_OUT_OF_RANGE',
                  '课时须在0至12之间',
                  'Hours must be between 0 and 12',
                  `lessons.${i}.entries.${j}.hours`,
                ),
              );
          }
        }
      },
    },
  );

  setHandler(m.finishTrainingUpdate, async () => void (flags.trainingFinished = true), {
    validator: ({ actor }) => {
      requireStage(['TRAINING']);
      requireRole(actor, isInstitution(actor));
      if (flags.trainingFinished)
        refuse(rule('TRAINING_FINISHED', '培训已结束', 'Training has finished', 'stage'));
    },
  });

  setHandler(
    m.recordAssessmentUpdate,
    async ({ actor, results }) => {
      for (const r of results)
        Object.assign(trainee(r.enrollmentId)!, { assessment: r.result, certificateNo: r.certificateNo });
      await emit('ASSESSMENT_RECORDED', actor.userId, {
        enrollments: results.map((r) => ({
          id: r.enrollmentId,
          assessment: r.result,
          certificateNo: r.certificateNo,
        })),
        classPatch: {
          passedCount: enrolled().filter((t) => t.assessment && t.assessment !== 'FAILED').length,
          certifiedCount: enrolled().filter(
            (t) => t.assessment && !['FAILED', 'TRAINING_CERT'].includes(t.assessment),
          ).length,
        },
      });
    },
    {
      validator: ({ actor, results }) => {
        requireStage(['ASSESSMENT']);
        requireRole(actor, actor.role === 'ASSESSOR' && actor.organisationId === s.plan.assessmentBodyId);
        if (!results.length) refuse(rule('EMPTY_RESULTS', '未提交考核结果', 'No results given', 'results'));
        for (const [i, r] of results.entries()) {
          if (trainee(r.enrollmentId)?.status !== 'ENROLLED')
            refuse(
              rule(
                'UNKNOWN_TRAINEE',
                '本班无此学员',
                'No such trainee on this class',
                `results.${i}.enrollmentId`,
              ),
            );
          if (r.result !== 'FAILED' && !r.certificateNo?.trim())
            refuse(
              rule(
                'CERTIFICATE_REQUIRED',
                '合格学员须填写证书编号',
                'A passed trainee needs a certificate number',
                `results.${i}.certificateNo`,
              ),
            );
        }
      },
    },
  );

  setHandler(
    m.raiseObjectionUpdate,
    async ({ actor, objectionId, lineId, reason, contactEnc }) => {
      const line = s.lines.find((l) => l.lineId === lineId)!;
      line.status = 'HELD';
      s.objections.push({ objectionId, lineId, status: 'OPEN' });
      await emit('OBJECTION_RAISED', actor.userId, {
        lines: [line],
        objections: [
          { id: objectionId, noticeId: noticeId(s.noticeRound), lineId, reason, contactEnc, status: 'OPEN' },
        ],
      });
      void resolveObjectionTask(objectionId);
      return { objectionId };
    },
    {
      validator: ({ lineId, objectionId, reason }) => {
        requireStage(['NOTICE']);
        if (!noticeOpen)
          refuse(rule('NOTICE_CLOSED', '公示期已结束', 'The public notice has closed', 'lineId'));
        const line = s.lines.find((l) => l.lineId === lineId);
        if (!line || line.noticeRound !== s.noticeRound || line.kind !== 'TRAINING')
          refuse(rule('UNKNOWN_LINE', '公示名单中无此条目', 'No such line on the notice', 'lineId'));
        if (s.objections.some((o) => o.objectionId === objectionId))
          refuse(rule('DUPLICATE_OBJECTION', '异议编号重复', 'Duplicate objection id', 'objectionId'));
        if (!reason.trim())
          refuse(rule('REASON_REQUIRED', '请填写异议理由', 'Give a reason for the objection', 'reason'));
      },
    },
  );

  setHandler(
    m.resolveObjectionUpdate,
    async ({ actor, objectionId, resolution }) => {
      const o = s.objections.find((x) => x.objectionId === objectionId)!;
      const line = s.lines.find((l) => l.lineId === o.lineId)!;
      o.status = resolution.upheld ? 'UPHELD' : 'DISMISSED';
      if (!resolution.upheld)
        line.status = noticeOpen && line.noticeRound === s.noticeRound ? 'NOTICED' : 'PAYABLE';
      else if (resolution.action === 'REMOVE')
        Object.assign(line, { status: 'REMOVED', remark: resolution.note });
      else {
        const t = trainee(line.enrollmentId!)!;
        const pct = policy.tiersPct[TIER_KEYS[resolution.tier]];
        Object.assign(line, {
          tier: resolution.tier,
          pct,
          amountFen: amountFor(t, pct),
          status: 'HELD',
          remark: resolution.note,
          corrected: true,
        });
        correctedLines.add(line.lineId);
      }
      await emit('OBJECTION_RESOLVED', actor.userId, {
        lines: [line],
        objections: [
          {
            id: objectionId,
            noticeId: noticeId(s.noticeRound),
            lineId: o.lineId,
            status: o.status,
            resolution: resolution.note,
          },
        ],
      });
    },
    {
      validator: ({ actor, objectionId, resolution }) => {
        requireRole(actor, actor.role === 'CASEWORKER');
        const o = s.objections.find((x) => x.objectionId === objectionId);
        if (!o || o.status !== 'OPEN')
          refuse(rule('UNKNOWN_OBJECTION', '无此待处理异议', 'No such open objection', 'objectionId'));
        if (resolution.upheld && resolution.action === 'CORRECT' && !(resolution.tier in TIER_KEYS))
          refuse(rule('UNKNOWN_TIER', '无此补贴档次', 'Unknown tier', 'resolution.tier'));
        if (!resolution.note?.trim())
          refuse(
            rule('REASON_REQUIRED', '请填写处理意见', 'Give the reason for the decision', 'resolution.note'),
          );
      },
    },
  );

  setHandler(m.approvePaymentUpdate, async ({ actor, batchId }) => void approvals.set(batchId, actor), {
    validator: ({ actor, batchId }) => {
      requireRole(actor, actor.role === 'FINANCE');
      const b = s.batches.find((x) => x.batchId === batchId);
      if (!b || !['AWAITING_APPROVAL', 'AWAITING_CORRECTION'].includes(b.status) || approvals.has(batchId))
        refuse(rule('UNKNOWN_BATCH', '无此待审批拨付批次', 'No such batch awaiting approval', 'batchId'));
    },
  });

  setHandler(m.cancelClassUpdate, async ({ actor, reason }) => void (cancelRequested = { actor, reason }), {
    validator: ({ actor, reason }) => {
      requireStage([
        'SUBMITTED',
        'UNDER_REVIEW',
        'RETURNED',
        'APPROVED',
        'ENROLLING',
        'TRAINING',
        'ASSESSMENT',
      ]);
      requireRole(actor, isInstitution(actor) || actor.role === 'CASEWORKER' || actor.role === 'MANAGER');
      // DOMAIN.md §1: a class cannot be withdrawn once results exist.
      if (s.trainees.some((t) => t.assessment))
        refuse(
          rule(
            'RESULTS_EXIST',
            '已有考核结果，不能撤销',
            'Results exist: the class can no longer be cancelled',
            'stage',
          ),
        );
      if (cancelRequested)
        refuse(rule('ALREADY_CANCELLED', '已申请撤销', 'Cancellation already requested', 'stage'));
      if (!reason.trim()) refuse(rule('REASON_REQUIRED', '请填写撤销理由', 'Give a reason', 'reason'));
    },
  });

  // ---------- the process ----------
  let noticeOpen = false;
  const correctedLines = new Set<string>();
  const TIER_KEYS = {
    EMPLOYED: 'employed',
    QUALIFYING_CERTIFICATE: 'qualifyingCertificate',
    SPECIAL_ABILITY_CERTIFICATE: 'specialAbilityCertificate',
    TRAINING_CERTIFICATE: 'trainingCertificate',
    NONE: 'failed',
  } as const;
  const noticeId = (round: number) => `${classId}-N${round}`;
  const amountFor = (_t: m.TraineeState, pct: number) =>
    trainingSubsidyFen({
      standardFen: standard.standardFen,
      catalogueHours: standard.minHours,
      classHours: s.plan.classHours,
      pct,
    });

  async function submitPlan() {
    ({ policy, standard, newOccupation } = await acts.bindPolicy({
      classId,
      occupationCode: s.plan.occupationCode,
      level: s.plan.level,
      bind: false,
    }));
    upsertSearchAttributes({ InstitutionId: [input.institutionId] });
    await setStage('UNDER_REVIEW', input.submittedBy.userId, 'PLAN_SUBMITTED', {
      create: { institutionId: input.institutionId, district: input.district, plan: s.plan },
    });
  }

  /** A continued run starts at review again: the policy in force is looked up anew (not yet bound). */
  async function resumeReview() {
    ({ policy, standard, newOccupation } = await acts.bindPolicy({
      classId,
      occupationCode: s.plan.occupationCode,
      level: s.plan.level,
      bind: false,
    }));
    upsertSearchAttributes({ InstitutionId: [input.institutionId], Stage: [s.stage] });
  }

  /**
   * A plan may be returned and resubmitted any number of times, each round adding to the history: when the
   * history grows long the review continues in a new run of the same workflow id, carrying the case.
   */
  async function continueReviewIfLong() {
    const limit = input.continueAsNewAfterEvents ?? 10_000;
    const info = workflowInfo();
    if (!(info.historyLength > limit || info.continueAsNewSuggested)) return;
    if (!patched('review-continue-as-new-2026-11')) return;
    await projectionTail;
    await condition(allHandlersFinished);
    await continueAsNew<typeof trainingClassWorkflow>({
      ...input,
      plan: s.plan,
      resume: { state: s, seq },
    });
  }

  /** 审核: approve, return for resubmission (any number of times), or reject. */
  async function reviewPlan(): Promise<boolean> {
    for (;;) {
      await continueReviewIfLong();
      await humanTask(
        {
          kind: 'REVIEW_PLAN',
          role: 'CASEWORKER',
          from: workflowNowIso(),
          rule: 'WORKING_DAYS',
          n: policy.deadlines.approvalWorkingDays,
        },
        () => pending.review !== undefined,
      );
      const { actor, decision, reason } = pending.review!;
      pending.review = undefined;
      s.reviewNotes.push({ decision, reason, by: actor.userId, at: workflowNowIso() });
      if (decision === 'APPROVE') {
        // DESIGN.md §4: the class runs under the policy in force when its plan was approved.
        ({ policy, standard, newOccupation } = await acts.bindPolicy({
          classId,
          occupationCode: s.plan.occupationCode,
          level: s.plan.level,
          bind: true,
        }));
        s.policyVersionId = policy.id;
        s.standardFen = standard.standardFen;
        await setStage('APPROVED', actor.userId, 'PLAN_APPROVED', {
          classPatch: { policyVersionId: policy.id },
        });
        return true;
      }
      if (decision === 'REJECT') {
        await setStage('REJECTED', actor.userId, 'PLAN_REJECTED', { detail: { reason } });
        return false;
      }
      await setStage('RETURNED', actor.userId, 'PLAN_RETURNED', { detail: { reason } });
      await humanTask(
        {
          kind: 'RESUBMIT_PLAN',
          role: 'INSTITUTION',
          from: workflowNowIso(),
          rule: 'WORKING_DAYS',
          n: policy.deadlines.resubmitWorkingDays,
        },
        () => pending.resubmitted === true,
      );
      pending.resubmitted = undefined;
      await setStage('UNDER_REVIEW', input.institutionId, 'PLAN_RESUBMITTED', {
        classPatch: { plan: s.plan },
      });
    }
  }

  /** 先行拨付: where the policy allows, part of the subsidy is advanced on approval (Harbin: 50 %). */
  async function payAdvance() {
    const amount = advancePaymentFen(policy, standard.standardFen, s.plan.capacity);
    if (amount <= 0) return;
    s.advancePaidFen = amount; // committed now, deducted at settlement
    await payBatch(`${classId}-A`, 'ADVANCE', [
      { paymentId: `${classId}-A:${input.institutionId}`, payee: input.institutionId, amountFen: amount },
    ]);
    await emit('ADVANCE_PAID', 'system', { classPatch: { advancedFen: amount } });
  }

  /** 报名/实名制: enrolment until the institution starts training; the roster is then frozen. */
  async function enrolTrainees() {
    await setStage('ENROLLING', 'system', 'ENROLMENT_OPENED');
    await humanTask(
      {
        kind: 'START_TRAINING',
        role: 'INSTITUTION',
        from: dayBefore(s.plan.plannedStart),
        rule: 'DAYS',
        n: 1,
      },
      () => flags.trainingStarted,
    );
    await condition(() => enrolInFlight === 0);
    await setStage('TRAINING', input.institutionId, 'TRAINING_STARTED', {
      classPatch: { traineeCount: enrolled().length },
    });
  }

  /** 培训: attendance is reported until the institution finishes the class. */
  async function runTraining() {
    await humanTask(
      {
        kind: 'FINISH_TRAINING',
        role: 'INSTITUTION',
        from: dayBefore(s.plan.plannedEnd),
        rule: 'DAYS',
        n: 1,
      },
      () => flags.trainingFinished,
    );
    trainingEndedOn = shanghaiDate(workflowNowIso());
    await setStage('ASSESSMENT', input.institutionId, 'TRAINING_FINISHED', {
      detail: { endedOn: trainingEndedOn },
    });
  }

  /** 考核评价: results for every trainee within 7 days after training ends; overdue escalates, the case waits. */
  async function assess() {
    await humanTask(
      {
        kind: 'RECORD_ASSESSMENT',
        role: 'ASSESSOR',
        from: workflowNowIso(),
        rule: 'DAYS',
        n: policy.deadlines.assessmentDays,
      },
      () => enrolled().every((t) => t.assessment !== undefined),
    );
    await setStage('FOLLOW_UP', 'system', 'ASSESSMENT_COMPLETE');
  }

  /** 就业跟踪: one child per passed trainee collects employment evidence for 3 months after training. */
  async function followUpEmployment() {
    const window = await acts.computeDeadline({
      from: workflowNowIso(),
      rule: 'MONTHS',
      n: policy.deadlines.followUpMonths,
      clock: policy.clock,
    });
    const candidates = enrolled().filter(
      (t) =>
        t.assessment &&
        t.assessment !== 'FAILED' &&
        meetsAttendance(t.attendedHours, s.plan.classHours, policy),
    );
    s.clock = {
      task: 'EMPLOYMENT_FOLLOW_UP',
      dueAt: window.dueAt,
      provisional: window.provisional,
      overdue: false,
      escalated: false,
    };
    await emit('FOLLOW_UP_STARTED', 'system', {
      classPatch: { dueAt: window.dueAt },
      detail: { trainees: candidates.length },
    });
    const results = await Promise.all(
      candidates.map((t) =>
        executeChild(traineeFollowUpWorkflow, {
          workflowId: m.followUpWorkflowId(classId, t.enrollmentId),
          args: [
            {
              classId,
              enrollmentId: t.enrollmentId,
              institutionId: input.institutionId,
              trainingEnd: trainingEndedOn,
              windowEndsAt: window.dueAt,
              verificationDueWorkingDays: policy.deadlines.verificationWorkingDays,
              clock: policy.clock,
            },
          ],
        }),
      ),
    );
    for (const r of results) trainee(r.enrollmentId)!.employed = r.employed;
    for (const t of enrolled()) t.employed ??= false;
    s.clock = undefined;
    await emit('FOLLOW_UP_COMPLETE', 'system', {
      classPatch: { employedCount: enrolled().filter((t) => t.employed).length, dueAt: null },
      enrollments: enrolled().map((t) => ({ id: t.enrollmentId, employed: t.employed })),
    });
  }

  /** 补贴核算: tier per trainee from the bound policy; evaluation subsidy to the assessment body. */
  async function calculateSubsidies() {
    for (const t of enrolled()) {
      const { tier, pct, reason } = subsidyTier(
        {
          enrollmentId: t.enrollmentId,
          attendedHours: t.attendedHours,
          classHours: s.plan.classHours,
          assessment: t.assessment ?? null,
          employedWithinWindow: t.employed === true,
        },
        policy,
        { newOccupation },
      );
      Object.assign(t, { tier, amountFen: amountFor(t, pct) });
      s.lines.push({
        lineId: `${classId}:T:${t.enrollmentId}`,
        enrollmentId: t.enrollmentId,
        kind: 'TRAINING',
        payee: input.institutionId,
        tier,
        pct,
        amountFen: t.amountFen!,
        status: 'NOTICED',
        remark: reason?.zh,
        noticeRound: 1,
      });
    }
    const evaluation = await acts.checkEvaluation({
      classId,
      occupationCode: s.plan.occupationCode,
      level: s.plan.level,
      periodStart: s.plan.plannedStart,
      periodEnd: trainingEndedOn,
      policyId: policy.id,
      trainees: enrolled()
        .filter((t) => t.assessment && t.assessment !== 'FAILED')
        .map((t) => ({
          enrollmentId: t.enrollmentId,
          personKey: t.personKey,
          category: t.category,
          certificate: t.assessment!,
        })),
    });
    for (const id of evaluation.eligible)
      s.lines.push({
        lineId: `${classId}:E:${id}`,
        enrollmentId: id,
        kind: 'EVALUATION',
        payee: s.plan.assessmentBodyId,
        amountFen: standard.evaluationFen,
        status: 'NOTICED',
        noticeRound: 1,
      });
    await setStage('NOTICE', 'system', 'SUBSIDY_CALCULATED', {
      lines: s.lines,
      enrollments: enrolled().map((t) => ({ id: t.enrollmentId, tier: t.tier, amountFen: t.amountFen })),
    });
  }

  /** 公示 then 拨付: notice for N working days; objected lines are held, corrected lines re-noticed. */
  async function noticeAndPay() {
    let round = 1;
    let noticed = s.lines.filter((l) => l.kind === 'TRAINING' || l.kind === 'EVALUATION');
    let batchNo = 0;
    for (;;) {
      s.noticeRound = round;
      for (const l of noticed)
        Object.assign(l, { noticeRound: round, status: l.status === 'REMOVED' ? 'REMOVED' : 'NOTICED' });
      const publishedAt = workflowNowIso();
      const period = await acts.computeDeadline({
        from: publishedAt,
        rule: 'WORKING_DAYS',
        n: policy.deadlines.noticeWorkingDays,
        clock: policy.clock,
      });
      await acts.publishNotice({
        classId,
        round,
        institutionId: input.institutionId,
        occupationCode: s.plan.occupationCode,
        level: s.plan.level,
        classHours: s.plan.classHours,
        publishedAt,
        closesAt: period.dueAt,
        endDate: period.endDate,
        provisional: period.provisional,
        lines: noticed,
        people: Object.fromEntries(enrolled().map((t) => [t.enrollmentId, t.personKey])),
      });
      noticeOpen = true;
      s.clock = {
        task: 'PUBLIC_NOTICE',
        dueAt: period.dueAt,
        provisional: period.provisional,
        overdue: false,
        escalated: false,
      };
      await setStage('NOTICE', 'system', `NOTICE_PUBLISHED:${round}`, {
        classPatch: { dueAt: period.dueAt },
        lines: noticed,
      });
      let closesAt = period.dueAt;
      for (;;) {
        const armed = calendarVersion;
        await condition(() => calendarVersion !== armed, Math.max(msUntil(closesAt), 1));
        if (calendarVersion === armed && msUntil(closesAt) <= 0) break;
        if (calendarVersion !== armed)
          closesAt = (
            await acts.computeDeadline({
              from: publishedAt,
              rule: 'WORKING_DAYS',
              n: policy.deadlines.noticeWorkingDays,
              clock: policy.clock,
            })
          ).dueAt;
      }
      noticeOpen = false;
      s.clock = undefined;
      await emit(`NOTICE_CLOSED:${round}`, 'system', { classPatch: { dueAt: null } });
      // The rest of the list is not held up by an objection (DOMAIN.md §8).
      const ready = s.lines.filter((l) => l.noticeRound === round && l.status === 'NOTICED');
      ready.forEach((l) => (l.status = 'PAYABLE'));
      await setStage('PAYOUT', 'system', 'PAYOUT_OPENED', { lines: ready });
      if (ready.length) await settle(ready, ++batchNo);
      // Objected lines wait for their resolution; dismissed ones are paid, corrected ones noticed again.
      await condition(() => s.objections.every((o) => o.status !== 'OPEN'));
      const dismissed = s.lines.filter((l) => l.status === 'PAYABLE');
      if (dismissed.length) await settle(dismissed, ++batchNo);
      noticed = s.lines.filter((l) => correctedLines.has(l.lineId));
      correctedLines.clear();
      if (!noticed.length) break;
      round++;
      await setStage('NOTICE', 'system', 'CORRECTED_LIST');
    }
    // Whatever advance could not be deducted from payments is recovered (追回).
    if (s.advancePaidFen > advanceDeducted) {
      s.recoveryFen = s.advancePaidFen - advanceDeducted;
      s.lines.push({
        lineId: `${classId}:R`,
        kind: 'RECOVERY',
        payee: input.institutionId,
        amountFen: -s.recoveryFen,
        status: 'RECOVERY_DUE',
        noticeRound: s.noticeRound,
      });
      await emit('RECOVERY_DUE', 'system', {
        lines: s.lines.slice(-1),
        classPatch: { recoveredFen: s.recoveryFen },
      });
      await acts.notify({
        classId,
        role: 'FINANCE',
        kind: 'RECOVERY',
        message: `Recover ${s.recoveryFen} fen of advance from ${input.institutionId}`,
      });
    }
  }

  let advanceDeducted = 0;
  async function settle(lines: m.SubsidyLineState[], batchNo: number) {
    const training = lines.filter((l) => l.kind === 'TRAINING');
    const settlement = settleClass(
      training.map((l) => ({
        enrollmentId: l.enrollmentId!,
        tier: l.tier!,
        pct: l.pct ?? 0,
        amountFen: l.amountFen,
      })),
      s.advancePaidFen - advanceDeducted,
    );
    advanceDeducted += settlement.advanceDeductedFen;
    if (settlement.advanceDeductedFen > 0) {
      s.lines.push({
        lineId: `${classId}:D${batchNo}`,
        kind: 'ADVANCE_DEDUCTION',
        payee: input.institutionId,
        amountFen: -settlement.advanceDeductedFen,
        status: 'PAID',
        noticeRound: s.noticeRound,
      });
    }
    const orders: PaymentOrder[] = [];
    const batchId = `${classId}-S${batchNo}`;
    if (settlement.netPayableFen > 0)
      orders.push({
        paymentId: `${batchId}:${input.institutionId}`,
        payee: input.institutionId,
        amountFen: settlement.netPayableFen,
      });
    const evaluationFen = lines
      .filter((l) => l.kind === 'EVALUATION')
      .reduce((sum, l) => sum + l.amountFen, 0);
    if (evaluationFen > 0)
      orders.push({
        paymentId: `${batchId}:${s.plan.assessmentBodyId}`,
        payee: s.plan.assessmentBodyId,
        amountFen: evaluationFen,
      });
    if (orders.length) await payBatch(batchId, 'SETTLEMENT', orders);
    lines.forEach((l) => (l.status = 'PAID'));
    await emit('LINES_PAID', 'system', { lines: s.lines.filter((l) => l.status === 'PAID') });
  }

  /** 拨付: finance approves the batch, then each payment is made exactly once; failed transfers are retried. */
  async function payBatch(batchId: string, kind: 'ADVANCE' | 'SETTLEMENT', orders: PaymentOrder[]) {
    const totalFen = orders.reduce((sum, o) => sum + o.amountFen, 0);
    const batch = { batchId, kind, totalFen, status: 'AWAITING_APPROVAL' };
    s.batches.push(batch);
    const payState = new Map(
      orders.map((o) => [
        o.paymentId,
        { ...o, status: 'PENDING', attempts: 0 } as PaymentOrder & {
          status: string;
          attempts: number;
          bankRef?: string;
          failure?: string;
        },
      ]),
    );
    const project = (status: string, approvedBy?: string) =>
      emit(`BATCH_${status}`, approvedBy ?? 'system', {
        batches: [
          {
            id: batchId,
            kind,
            totalFen,
            status,
            approvedBy,
            payments: [...payState.values()].map(
              ({ paymentId, payee, amountFen, status: st, attempts, bankRef, failure }) => ({
                id: paymentId,
                payee,
                amountFen,
                status: st,
                attempts,
                bankRef,
                failure,
              }),
            ),
          },
        ],
      });
    await project('AWAITING_APPROVAL');
    await humanTask(
      {
        kind: 'APPROVE_PAYMENT',
        role: 'FINANCE',
        subject: batchId,
        from: workflowNowIso(),
        rule: 'WORKING_DAYS',
        n: policy.deadlines.paymentApprovalWorkingDays,
      },
      () => approvals.has(batchId),
      { main: kind === 'SETTLEMENT', abortable: false },
    );
    batch.status = 'APPROVED';
    await project('APPROVED', approvals.get(batchId)!.userId);
    for (let attempt = 1; ; attempt++) {
      const open = [...payState.values()].filter((p) => p.status !== 'PAID');
      if (!open.length) break;
      open.forEach((p) => p.attempts++);
      const outcome = await payments.submitPayments({
        classId,
        batchId,
        attempt,
        payments: open.map(({ paymentId, payee, amountFen }) => ({ paymentId, payee, amountFen })),
      });
      let results: m.BankReturnLine[];
      if (outcome.mode === 'SYNC') results = outcome.results;
      else {
        batch.status = 'SUBMITTED';
        await project('SUBMITTED');
        const want = new Set(open.map((p) => p.paymentId));
        await humanTask(
          {
            kind: 'IMPORT_BANK_RETURN',
            role: 'FINANCE',
            subject: `${batchId}#${attempt}`,
            from: workflowNowIso(),
            rule: 'WORKING_DAYS',
            n: policy.deadlines.paymentApprovalWorkingDays,
          },
          () => [...want].every((id) => (bankReturns.get(batchId) ?? []).some((r) => r.paymentId === id)),
          { main: false, abortable: false },
        );
        results = (bankReturns.get(batchId) ?? []).filter((r) => want.has(r.paymentId));
        bankReturns.delete(batchId);
      }
      for (const r of results)
        Object.assign(payState.get(r.paymentId)!, {
          status: r.status,
          bankRef: r.bankRef,
          failure: r.reason,
        });
      const failed = [...payState.values()].filter((p) => p.status !== 'PAID');
      if (!failed.length) break;
      batch.status = 'PARTIALLY_FAILED';
      await project('PARTIALLY_FAILED');
      await acts.notify({
        classId,
        role: 'FINANCE',
        kind: 'PAYMENT_FAILED',
        message: `${failed.length} payment(s) of ${batchId} failed; retrying`,
      });
      if (attempt % MAX_TRANSFER_ATTEMPTS === 0) {
        // DOMAIN.md §9: failed transfers are retried or returned for correction. After a few refusals the
        // bank details are likely wrong: finance corrects them and approves the batch again.
        approvals.delete(batchId);
        batch.status = 'AWAITING_CORRECTION';
        await project('AWAITING_CORRECTION');
        await humanTask(
          {
            kind: 'CORRECT_PAYMENT',
            role: 'FINANCE',
            subject: batchId,
            from: workflowNowIso(),
            rule: 'WORKING_DAYS',
            n: policy.deadlines.paymentApprovalWorkingDays,
          },
          () => approvals.has(batchId),
          { main: false, abortable: false },
        );
        batch.status = 'APPROVED';
        await project('APPROVED', approvals.get(batchId)!.userId);
        continue;
      }
      await sleep(policy.clock ? policy.clock.secondsPerDay * 1000 : Math.min(2 ** attempt, 24) * 3_600_000); // back off before the next transfer
    }
    batch.status = 'PAID';
    const paid = kind === 'SETTLEMENT' ? totalFen : 0;
    s.paidFen += paid;
    await project('PAID');
    await emit('PAYMENTS_SETTLED', 'system', { classPatch: { paidFen: s.paidFen } });
  }

  /** An objection opens a caseworker task with its own clock (DOMAIN.md §8). */
  async function resolveObjectionTask(objectionId: string) {
    await humanTask(
      {
        kind: 'RESOLVE_OBJECTION',
        role: 'CASEWORKER',
        subject: objectionId,
        from: workflowNowIso(),
        rule: 'WORKING_DAYS',
        n: policy.deadlines.objectionWorkingDays,
      },
      () => s.objections.find((o) => o.objectionId === objectionId)?.status !== 'OPEN',
      { main: false, abortable: false },
    );
  }

  async function close(stage: 'CLOSED' | 'REJECTED' | 'CANCELLED') {
    await acts.settleSubsidyRecords({
      classId,
      outcome: stage === 'CLOSED' ? 'PAID' : 'RELEASED',
      // Only a training subsidy actually paid counts toward the person's limits (a removed line does not).
      paidPersonKeys: s.lines
        .filter((l) => l.kind === 'TRAINING' && l.status === 'PAID' && l.amountFen > 0)
        .map((l) => trainee(l.enrollmentId!)!.personKey),
    });
    if (stage === 'CANCELLED' && s.batches.some((b) => b.kind === 'ADVANCE' && b.status === 'PAID')) {
      s.recoveryFen = s.advancePaidFen; // an advance paid on a cancelled class is recovered in full (追回)
      s.lines.push({
        lineId: `${classId}:R`,
        kind: 'RECOVERY',
        payee: input.institutionId,
        amountFen: -s.recoveryFen,
        status: 'RECOVERY_DUE',
        noticeRound: 0,
      });
    }
    const final = {
      closeAllTasks: true,
      lines: s.lines.filter((l) => l.kind === 'RECOVERY'),
      classPatch: { recoveredFen: s.recoveryFen, dueAt: null, overdue: false, escalated: false },
    };
    if (stage !== 'REJECTED')
      await setStage(
        stage,
        cancelRequested?.actor.userId ?? 'system',
        stage === 'CLOSED' ? 'CASE_CLOSED' : 'CASE_CANCELLED',
        { ...final, detail: cancelRequested ? { reason: cancelRequested.reason } : undefined },
      );
    else await emit('CASE_ENDED', 'system', final);
    await projectionTail;
    await condition(allHandlersFinished);
    return s;
  }

  try {
    if (input.resume) await resumeReview();
    else await submitPlan();
    if (!(await reviewPlan())) return await close('REJECTED');
    const advance = payAdvance();
    await enrolTrainees();
    await runTraining();
    await assess();
    await followUpEmployment();
    await advance;
    await calculateSubsidies();
    await noticeAndPay();
    return await close('CLOSED');
  } catch (err) {
    if (!(err instanceof ClassCancelled)) throw err;
    s.cancelledReason = cancelRequested!.reason;
    return await close('CANCELLED');
  }

  function dayBefore(date: string): string {
    // A "due by the planned date" clock: the period of 1 day starting the day before ends on that date.
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    return `${d.toISOString().slice(0, 10)}T12:00:00+08:00`;
  }
}

// Used before a policy is bound (never in practice: the policy is bound before the first task opens).
const FALLBACK_DEADLINES: Deadlines = {
  planLeadWorkingDays: 5,
  approvalWorkingDays: 5,
  escalationWorkingDays: 3,
  resubmitWorkingDays: 10,
  assessmentDays: 7,
  followUpMonths: 3,
  noticeWorkingDays: 3,
  objectionWorkingDays: 5,
  verificationWorkingDays: 5,
  paymentApprovalWorkingDays: 5,
};
