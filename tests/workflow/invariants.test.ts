// The class workflow's invariants (workflows/trainingClass/workflow.ts) in the hand-picked races that broke
// them: requests that arrive together, cancellation while work is in flight, continue-as-new with a decision
// pending, evidence outside its window. tests/workflow/model.test.ts generates many more interleavings.
import * as m from '../../workflows/messages';
import { trainingClassWorkflow } from '../../workflows';
import { startTestbed, type Testbed } from '../support/temporal';
import { applications, registerPeople } from '../support/people';
import {
  actors,
  approve,
  atStage,
  eventually,
  INSTITUTION,
  passAll,
  plan,
  refusal,
  startClass,
  toAssessment,
  today,
  until,
} from '../support/scenario';
import { HARBIN_2022 } from '../../domain/policy';
import { addDays } from '../../domain/dates';
import { monthsPeriod } from '../../domain/calendar';
import { loadCalendar } from '../../platform/catalogue';
import { saveHistory } from '../support/histories';

jest.setTimeout(240_000);
const DAY = 24 * 3_600_000;

let bed: Testbed;
let slowResubmission = false;
/** classes whose policy binding on approval takes a moment (the stage still reads UNDER_REVIEW meanwhile) */
const slowBinding = new Set<string>();
/** classes whose closing (the settlement of their reservations) takes a moment: the case stays open meanwhile */
const slowClosing = new Set<string>();
beforeAll(async () => {
  bed = await startTestbed({
    policies: [HARBIN_2022], // 50 % advance: every class also has an advance batch running beside it
    region: '哈尔滨市',
    wrapActivities: (real) => ({
      ...real,
      // Widens the moment between a resubmission and the review's continue-as-new (see the test below).
      async project(event) {
        if (slowResubmission && event.action === 'PLAN_RESUBMITTED')
          await new Promise((resolve) => setTimeout(resolve, 1500));
        return real.project(event);
      },
      async bindPolicy(req) {
        if (req.bind && slowBinding.has(req.classId))
          await new Promise((resolve) => setTimeout(resolve, 1500));
        return real.bindPolicy(req);
      },
      async settleSubsidyRecords(req) {
        if (slowClosing.has(req.classId)) await new Promise((resolve) => setTimeout(resolve, 1500));
        return real.settleSubsidyRecords(req);
      },
    }),
  });
});
afterAll(() => bed?.teardown());

let nextPerson = 0;
async function people(n: number, prefix: string) {
  const ps = await registerPeople(bed.db, n, { from: 5000 + nextPerson });
  nextPerson += n;
  return applications(ps, prefix);
}

async function enrollingClass(classId: string, capacity: number) {
  const handle = await startClass(bed.env, classId, plan(await today(bed.env), { capacity }));
  await approve(bed.env, handle);
  return handle;
}

const enrolledRows = (classId: string) => bed.db.enrollment.count({ where: { classId, status: 'ENROLLED' } });
const reserved = (classId: string) =>
  bed.db.subsidyRecord.count({ where: { classId, kind: 'TRAINING', status: 'RESERVED' } });

describe('the roster under requests that arrive together', () => {
  it('never enrols more than the class holds when two rosters of 8 arrive at once for 10 places', async () => {
    const handle = await enrollingClass('INV-CAP-1', 10);
    const all = await people(16, 'INV-CAP-1');
    const outcomes = await Promise.allSettled([
      handle.executeUpdate(m.enrolTraineesUpdate, {
        args: [{ actor: actors.institution, trainees: all.slice(0, 8) }],
      }),
      handle.executeUpdate(m.enrolTraineesUpdate, {
        args: [{ actor: actors.institution, trainees: all.slice(8) }],
      }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(await refusal(Promise.reject(refused.reason))).toBe('CLASS_FULL');
    const state = await handle.query(m.caseStateQuery);
    expect(state.trainees.filter((t) => t.status === 'ENROLLED')).toHaveLength(8);
    await eventually(async () => expect(await enrolledRows('INV-CAP-1')).toBe(8));
    expect(await reserved('INV-CAP-1')).toBe(8);
  });

  it('enrols exactly two of four single trainees sent at once to a class of two', async () => {
    const handle = await enrollingClass('INV-CAP-2', 2);
    const four = await people(4, 'INV-CAP-2');
    const outcomes = await Promise.allSettled(
      four.map((t) =>
        handle.executeUpdate(m.enrolTraineesUpdate, { args: [{ actor: actors.institution, trainees: [t] }] }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    for (const o of outcomes.filter((x) => x.status === 'rejected'))
      expect(await refusal(Promise.reject((o as PromiseRejectedResult).reason))).toBe('CLASS_FULL');
    expect((await handle.query(m.caseStateQuery)).trainees).toHaveLength(2);
    await eventually(async () => expect(await enrolledRows('INV-CAP-2')).toBe(2));
  });

  it('enrols a person sent twice at once only once, and the class still starts', async () => {
    const handle = await enrollingClass('INV-DUP', 10);
    const [person] = await people(1, 'INV-DUP');
    const twice = [
      { ...person!, enrollmentId: 'INV-DUP-A' },
      { ...person!, enrollmentId: 'INV-DUP-B' },
    ];
    const outcomes = await Promise.allSettled(
      twice.map((t) =>
        handle.executeUpdate(m.enrolTraineesUpdate, { args: [{ actor: actors.institution, trainees: [t] }] }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(await refusal(Promise.reject(rejected.reason))).toBe('ALREADY_ENROLLED');
    await handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: actors.institution }] });
    const training = await until(bed.env, handle, atStage('TRAINING'), 1000);
    expect(training.trainees).toHaveLength(1);
    expect(await enrolledRows('INV-DUP')).toBe(1);
  });

  it('takes back a withdrawn person under a new enrolment', async () => {
    const handle = await enrollingClass('INV-REENROL', 10);
    const [person] = await people(1, 'INV-REENROL');
    await handle.executeUpdate(m.enrolTraineesUpdate, {
      args: [{ actor: actors.institution, trainees: [person!] }],
    });
    await handle.executeUpdate(m.withdrawTraineeUpdate, {
      args: [{ actor: actors.institution, enrollmentId: person!.enrollmentId, reason: '个人原因' }],
    });
    const again = { ...person!, enrollmentId: 'INV-REENROL-AGAIN' };
    const result = await handle.executeUpdate(m.enrolTraineesUpdate, {
      args: [{ actor: actors.institution, trainees: [again] }],
    });
    expect(result).toEqual({ enrolled: ['INV-REENROL-AGAIN'], refused: [] });
    await eventually(async () =>
      expect(await bed.db.enrollment.findMany({ where: { classId: 'INV-REENROL' } })).toEqual([
        expect.objectContaining({ id: 'INV-REENROL-AGAIN', status: 'ENROLLED' }),
      ]),
    );
    expect(await reserved('INV-REENROL')).toBe(1);
  });
});

describe('cancellation', () => {
  it('lets an enrolment in flight finish, then releases every reservation and stops the unapproved advance', async () => {
    const handle = await enrollingClass('INV-CANCEL', 30);
    const roster = await people(20, 'INV-CANCEL');
    const [enrolled, cancelled] = await Promise.allSettled([
      handle.executeUpdate(m.enrolTraineesUpdate, {
        args: [{ actor: actors.institution, trainees: roster }],
      }),
      handle.executeUpdate(m.cancelClassUpdate, {
        args: [{ actor: actors.institution, reason: '场地不可用' }],
      }),
    ]);
    expect(cancelled.status).toBe('fulfilled');
    const closed = await handle.result();
    await saveHistory('class-cancelled', handle);
    expect(closed.stage).toBe('CANCELLED');
    // Whether the roster came before or after the cancel, nobody keeps a reservation on a cancelled class.
    expect(['fulfilled', 'rejected']).toContain(enrolled.status);
    expect(await reserved('INV-CANCEL')).toBe(0);
    // The advance was never approved: nothing was transferred, nothing is to recover.
    expect(closed.batches).toEqual([expect.objectContaining({ kind: 'ADVANCE', status: 'CANCELLED' })]);
    expect(closed.advancePaidFen).toBe(0);
    expect(closed.lines.filter((l) => l.kind === 'RECOVERY')).toEqual([]);
    expect(
      (await bed.db.payment.findMany({ where: { batchId: 'INV-CANCEL-A' } })).map((p) => p.status),
    ).toEqual(['CANCELLED']);
    expect(await bed.db.task.findMany({ where: { classId: 'INV-CANCEL', status: 'OPEN' } })).toEqual([]);
  });

  it('pays nothing for an advance whose approval arrives with the cancellation, or recovers what it paid', async () => {
    const handle = await enrollingClass('INV-CANCEL-PAY', 30);
    const [approval, cancel] = await Promise.allSettled([
      handle.executeUpdate(m.approvePaymentUpdate, {
        args: [{ actor: actors.finance, batchId: 'INV-CANCEL-PAY-A' }],
      }),
      handle.executeUpdate(m.cancelClassUpdate, {
        args: [{ actor: actors.caseworker, reason: '机构申请撤销' }],
      }),
    ]);
    expect(cancel.status).toBe('fulfilled');
    const closed = await handle.result();
    expect(closed.stage).toBe('CANCELLED');
    const payments = await bed.db.payment.findMany({ where: { batchId: 'INV-CANCEL-PAY-A' } });
    if (approval.status === 'fulfilled') {
      // Approved before the cancel: the transfer stands and is recovered in full (追回).
      expect(payments.map((p) => p.status)).toEqual(['PAID']);
      expect(closed.recoveryFen).toBe(closed.advancePaidFen);
      expect(closed.recoveryFen).toBe((50 * 100_000 * 30) / 100);
    } else {
      expect(await refusal(Promise.reject(approval.reason))).toBe('CLASS_ENDING');
      expect(payments.map((p) => p.status)).toEqual(['CANCELLED']);
      expect(closed.recoveryFen).toBe(0);
    }
  });

  it('refuses to start, enrol or approve once a cancellation is acknowledged', async () => {
    const handle = await enrollingClass('INV-CANCEL-LATE', 30);
    const roster = await people(2, 'INV-CANCEL-LATE');
    await handle.executeUpdate(m.enrolTraineesUpdate, {
      args: [{ actor: actors.institution, trainees: roster }],
    });
    slowClosing.add('INV-CANCEL-LATE');
    await handle.executeUpdate(m.cancelClassUpdate, {
      args: [{ actor: actors.manager, reason: '抽查发现问题' }],
    });
    // The case is closing (its reservations are being released): every command is refused.
    expect(
      await refusal(handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: actors.institution }] })),
    ).toBe('CLASS_ENDING');
    expect(
      await refusal(
        handle.executeUpdate(m.approvePaymentUpdate, {
          args: [{ actor: actors.finance, batchId: 'INV-CANCEL-LATE-A' }],
        }),
      ),
    ).toBe('CLASS_ENDING');
    expect(
      await refusal(
        handle.executeUpdate(m.enrolTraineesUpdate, {
          args: [{ actor: actors.institution, trainees: roster }],
        }),
      ),
    ).toBe('CLASS_ENDING');
    const closed = await handle.result();
    expect(closed.stage).toBe('CANCELLED');
    expect(await reserved('INV-CANCEL-LATE')).toBe(0);
  });
});

describe('continue-as-new during review', () => {
  it('carries a review decision acknowledged just before the review continues as new', async () => {
    const day = await today(bed.env);
    const handle = await bed.env.client.workflow.start(trainingClassWorkflow, {
      workflowId: 'INV-CAN',
      taskQueue: m.TASK_QUEUE,
      args: [
        {
          classId: 'INV-CAN',
          institutionId: INSTITUTION,
          district: '南岗区',
          plan: plan(day),
          submittedBy: actors.institution,
          continueAsNewAfterEvents: 30,
        },
      ],
    });
    await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    for (const round of [1, 2]) {
      await handle.executeUpdate(m.reviewPlanUpdate, {
        args: [{ actor: actors.caseworker, decision: 'RETURN', reason: `第${round}次退回` }],
      });
      const returned = await until(bed.env, handle, atStage('RETURNED'), 1000);
      slowResubmission = round === 2;
      await handle.executeUpdate(m.resubmitPlanUpdate, {
        args: [{ actor: actors.institution, plan: { ...returned.plan, venue: `第${round}版` } }],
      });
      if (round === 1) await until(bed.env, handle, (s) => s.clock?.task === 'REVIEW_PLAN', 1000);
    }
    // Round 2: the stage reads UNDER_REVIEW while the resubmission is still being projected; the approval
    // lands there, before the history-length check continues the review as new.
    await eventually(async () => expect((await handle.query(m.caseStateQuery)).stage).toBe('UNDER_REVIEW'));
    const approval = { actor: actors.caseworker, decision: 'APPROVE' as const };
    await handle.executeUpdate(m.reviewPlanUpdate, { updateId: 'INV-CAN-approve', args: [approval] });
    slowResubmission = false;
    const latest = bed.env.client.workflow.getHandle('INV-CAN');
    await eventually(async () =>
      expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId),
    );
    const enrolling = await until(bed.env, latest, atStage('ENROLLING'), 1000);
    expect(enrolling.reviewNotes.map((n) => n.decision)).toEqual(['RETURN', 'RETURN', 'APPROVE']);
    // The caseworker's client lost the answer as the run continued and sends the same Update again — it reaches
    // the new run: the same answer, nothing applied twice (the model test's run 747: it was refused
    // ALREADY_DECIDED though it had taken effect). Another Update with the same content is refused as it must be.
    await latest.executeUpdate(m.reviewPlanUpdate, { updateId: 'INV-CAN-approve', args: [approval] });
    expect(
      await refusal(
        latest.executeUpdate(m.reviewPlanUpdate, { updateId: 'INV-CAN-approve-2', args: [approval] }),
      ),
    ).toBe('WRONG_STAGE');
    expect((await latest.query(m.caseStateQuery)).reviewNotes.map((n) => n.decision)).toEqual([
      'RETURN',
      'RETURN',
      'APPROVE',
    ]);
    // The first run, which ended by continuing as new.
    await saveHistory(
      'class-continue-as-new',
      bed.env.client.workflow.getHandle('INV-CAN', handle.firstExecutionRunId),
    );
  });
});

describe('review decisions that arrive together', () => {
  it('acknowledges one decision and refuses the other while the first is still being applied', async () => {
    const handle = await startClass(bed.env, 'INV-2DEC', plan(await today(bed.env)));
    await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    slowBinding.add('INV-2DEC');
    await handle.executeUpdate(m.reviewPlanUpdate, {
      args: [{ actor: actors.caseworker, decision: 'APPROVE' }],
    });
    // The approval binds the policy (an activity) before the stage moves on: a rejection now must not be
    // acknowledged, for it would never take effect.
    expect((await handle.query(m.caseStateQuery)).stage).toBe('UNDER_REVIEW');
    expect(
      await refusal(
        handle.executeUpdate(m.reviewPlanUpdate, {
          args: [{ actor: actors.caseworker, decision: 'REJECT', reason: '材料不全' }],
        }),
      ),
    ).toBe('ALREADY_DECIDED');
    const enrolling = await until(bed.env, handle, atStage('ENROLLING'), 1000);
    expect(enrolling.reviewNotes.map((n) => n.decision)).toEqual(['APPROVE']);
  });
});

describe('employment evidence (就业材料) against the window', () => {
  it('counts the window from the end of training, refuses dates outside it on submission, and keeps the verification note', async () => {
    const handle = await startClass(bed.env, 'INV-EVIDENCE', plan(await today(bed.env)));
    const roster = await people(2, 'INV-EVIDENCE');
    await toAssessment(bed.env, handle, plan(await today(bed.env)), roster);
    const trainingEnd = await today(bed.env);
    await bed.env.sleep(5 * DAY); // the assessment body takes 5 days: the window does not move
    await passAll(bed.env, handle, roster);
    const [first, second] = roster.map((t) =>
      bed.env.client.workflow.getHandle(m.followUpWorkflowId('INV-EVIDENCE', t.enrollmentId)),
    );
    const expected = monthsPeriod(await loadCalendar(bed.db), trainingEnd, 3); // DOMAIN.md §6, art. 202/203
    await eventually(async () => expect((await first!.query(m.followUpStateQuery)).window).toBeDefined());
    const { window } = await first!.query(m.followUpStateQuery);
    expect(window).toMatchObject({ trainingEnd, endsOn: expected.endDate, endsAt: expected.dueAt });

    const submit = (h: typeof first, evidenceId: string, employedOn: string, actor = actors.institution) =>
      h!.executeUpdate(m.submitEvidenceUpdate, {
        args: [
          { actor, evidence: { evidenceId, kind: 'SOCIAL_INSURANCE', employedOn, employer: '某物业公司' } },
        ],
      });
    expect(await refusal(submit(first, 'EV-1', trainingEnd))).toBe('OUTSIDE_WINDOW');
    expect(await refusal(submit(first, 'EV-1', addDays(expected.endDate, 1)))).toBe('OUTSIDE_WINDOW');
    expect(await refusal(submit(first, 'EV-1', addDays(trainingEnd, 3), actors.otherInstitution))).toBe(
      'FORBIDDEN_ACTOR',
    );
    expect(await submit(first, 'EV-1', addDays(trainingEnd, 3))).toEqual({ evidenceId: 'EV-1' });
    expect(await submit(first, 'EV-1', addDays(trainingEnd, 3))).toEqual({ evidenceId: 'EV-1' }); // a retry
    expect((await first!.query(m.followUpStateQuery)).evidence).toHaveLength(1);
    // The caseworker's task is in the inbox when the institution hears back.
    expect(
      await bed.db.task.count({
        where: { classId: 'INV-EVIDENCE', kind: 'VERIFY_EMPLOYMENT', status: 'OPEN' },
      }),
    ).toBe(1);

    await first!.executeUpdate(m.verifyEvidenceUpdate, {
      args: [
        { actor: actors.caseworker, evidenceId: 'EV-1', verdict: 'VERIFIED', note: '社保缴费记录已核对' },
      ],
    });
    await eventually(async () =>
      expect(await bed.db.employmentEvidence.findUnique({ where: { id: 'EV-1' } })).toMatchObject({
        verdict: 'VERIFIED',
        verdictNote: '社保缴费记录已核对',
      }),
    );

    // The second trainee's evidence is filed in time but not yet judged when the window closes.
    await submit(second, 'EV-2', addDays(trainingEnd, 20));
    await bed.env.sleep(Date.parse(expected.dueAt) - (await bed.env.currentTimeMs()) + DAY);
    expect(await refusal(submit(second, 'EV-3', addDays(trainingEnd, 30)))).toBe('WINDOW_CLOSED');
  });
});
