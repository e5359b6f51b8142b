// The other paths a class can take, its clocks, and the rules its validators enforce.
import * as m from '../../workflows/messages';
import { trainingClassWorkflow } from '../../workflows/trainingClass';
import { startTestbed, type Testbed } from '../support/temporal';
import { applications, registerPeople } from '../support/people';
import {
  actors,
  approve,
  INSTITUTION,
  eventually,
  atStage,
  enrol,
  passAll,
  plan,
  refusal,
  startClass,
  toAssessment,
  today,
  until,
} from '../support/scenario';
import { HEBEI_2024 } from '../../domain/policy';
import { addDays } from '../../domain/dates';
import { Context } from '@temporalio/activity';
import { SimulatedBank } from '../../activities/payments';
import type { PaymentSubmission } from '../../activities/types';
import { saveHistory } from '../support/histories';

jest.setTimeout(180_000);
const DAY = 24 * 3_600_000;

let bed: Testbed;
let bank: SimulatedBank;
/** Every call that reaches the bank: the workflow's transfer attempt, the activity's retry attempt, and when. */
const bankCalls: { batchId: string; attempt: number; activityAttempt: number; atMs: number }[] = [];
/** Runs before a call reaches the bank, so a test can change the bank's answer for a given attempt. */
let beforeBankCall: (sub: PaymentSubmission) => void = () => {};
beforeAll(async () => {
  bed = await startTestbed({
    policies: [HEBEI_2024],
    gateway: (db) => {
      bank = new SimulatedBank(db);
      return {
        submit: async (sub) => {
          bankCalls.push({
            batchId: sub.batchId,
            attempt: sub.attempt,
            activityAttempt: Context.current().info.attempt,
            // The test server's clock, which moves on by every interval it skips.
            atMs: await bed.env.currentTimeMs(),
          });
          beforeBankCall(sub);
          return bank.submit(sub);
        },
      };
    },
  });
});
afterAll(() => bed?.teardown());

describe('plan review (审核)', () => {
  it('continues as new when returns and resubmissions make the history long, and the case carries on', async () => {
    const day = await today(bed.env);
    const handle = await bed.env.client.workflow.start(trainingClassWorkflow, {
      workflowId: 'P-LONG-REVIEW',
      taskQueue: m.TASK_QUEUE,
      args: [
        {
          classId: 'P-LONG-REVIEW',
          institutionId: INSTITUTION,
          district: '长安区',
          plan: plan(day),
          submittedBy: actors.institution,
          continueAsNewAfterEvents: 30,
        },
      ],
    });
    await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    for (const round of [1, 2]) {
      await handle.executeUpdate(m.reviewPlanUpdate, {
        args: [{ actor: actors.caseworker, decision: 'RETURN', reason: `第${round}次退回：课程表不完整` }],
      });
      const returned = await until(bed.env, handle, atStage('RETURNED'), 1000);
      await handle.executeUpdate(m.resubmitPlanUpdate, {
        args: [{ actor: actors.institution, plan: { ...returned.plan, venue: `第${round}版实训地点` } }],
      });
      await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    }
    // A new run of the same workflow id holds the case as it was.
    const latest = bed.env.client.workflow.getHandle('P-LONG-REVIEW');
    await eventually(async () =>
      expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId),
    );
    const current = await until(
      bed.env,
      latest,
      (c) => c.stage === 'UNDER_REVIEW' && c.clock?.task === 'REVIEW_PLAN',
      1000,
    );
    expect(current.reviewNotes.map((n) => n.reason)).toEqual([
      '第1次退回：课程表不完整',
      '第2次退回：课程表不完整',
    ]);
    expect(current.plan.venue).toBe('第2版实训地点');
    // The projection went on numbering its events: nothing dropped as a repeat, one review task open.
    await eventually(async () =>
      expect(
        await bed.db.task.count({ where: { classId: 'P-LONG-REVIEW', kind: 'REVIEW_PLAN', status: 'OPEN' } }),
      ).toBe(1),
    );
    const seqs = (
      await bed.db.auditEvent.findMany({ where: { classId: 'P-LONG-REVIEW' }, orderBy: { seq: 'asc' } })
    ).map((a) => a.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(seqs.length).toBeGreaterThan(10);

    const enrolling = await approve(bed.env, latest);
    expect(enrolling.policyVersionId).toBe('hebei-2024');
    expect((await bed.db.trainingClass.findUniqueOrThrow({ where: { id: 'P-LONG-REVIEW' } })).stage).toBe(
      'ENROLLING',
    );
  });

  it('returns a plan with reasons, takes the resubmission and approves it', async () => {
    const handle = await startClass(bed.env, 'P-RETURN');
    await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    expect(
      await refusal(
        handle.executeUpdate(m.reviewPlanUpdate, {
          args: [{ actor: actors.caseworker, decision: 'RETURN' }],
        }),
      ),
    ).toBe('REASON_REQUIRED');
    await handle.executeUpdate(m.reviewPlanUpdate, {
      args: [{ actor: actors.caseworker, decision: 'RETURN', reason: '课程表不完整' }],
    });
    const returned = await until(bed.env, handle, atStage('RETURNED'), 1000);
    expect(returned.reviewNotes[0]).toMatchObject({ decision: 'RETURN', reason: '课程表不完整' });
    await eventually(async () =>
      expect(
        await bed.db.task.count({
          where: { classId: 'P-RETURN', kind: 'RESUBMIT_PLAN', role: 'INSTITUTION', status: 'OPEN' },
        }),
      ).toBe(1),
    );

    const revised = { ...returned.plan, venue: '新华区实训基地' };
    expect(
      await refusal(
        handle.executeUpdate(m.resubmitPlanUpdate, {
          args: [{ actor: actors.otherInstitution, plan: revised }],
        }),
      ),
    ).toBe('FORBIDDEN_ACTOR');
    await handle.executeUpdate(m.resubmitPlanUpdate, {
      args: [{ actor: actors.institution, plan: revised }],
    });
    await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    const enrolling = await approve(bed.env, handle);
    expect(enrolling.plan.venue).toBe('新华区实训基地');
    expect(
      (await bed.db.trainingClass.findUniqueOrThrow({ where: { id: 'P-RETURN' } })).policyVersionId,
    ).toBe('hebei-2024');
  });

  it('rejects a plan and ends the case with no open task', async () => {
    const handle = await startClass(bed.env, 'P-REJECT');
    await until(bed.env, handle, atStage('UNDER_REVIEW'), 1000);
    expect(
      await refusal(
        handle.executeUpdate(m.reviewPlanUpdate, {
          args: [{ actor: actors.institution, decision: 'APPROVE' }],
        }),
      ),
    ).toBe('FORBIDDEN_ACTOR');
    await handle.executeUpdate(m.reviewPlanUpdate, {
      args: [{ actor: actors.caseworker, decision: 'REJECT', reason: '该机构不在承训机构目录内' }],
    });
    expect((await handle.result()).stage).toBe('REJECTED');
    expect((await bed.db.trainingClass.findUniqueOrThrow({ where: { id: 'P-REJECT' } })).stage).toBe(
      'REJECTED',
    );
    expect(await bed.db.task.count({ where: { classId: 'P-REJECT', status: 'OPEN' } })).toBe(0);
  });

  it('marks an unreviewed plan overdue after 5 working days, escalates 3 working days later, and keeps waiting', async () => {
    const handle = await startClass(bed.env, 'P-SLA');
    const open = await until(bed.env, handle, (s) => s.clock?.task === 'REVIEW_PLAN', 1000);
    const due = Date.parse(open.clock!.dueAt);
    expect(open.clock!.dueAt.endsWith('T16:00:00.000Z')).toBe(true); // 24:00 Asia/Shanghai
    const overdue = await until(bed.env, handle, (s) => s.clock?.overdue === true, DAY / 4);
    expect(
      Date.parse(overdue.history.find((h) => h.action === 'OVERDUE:REVIEW_PLAN')!.at),
    ).toBeGreaterThanOrEqual(due);
    expect(overdue.stage).toBe('UNDER_REVIEW');
    const escalated = await until(bed.env, handle, (s) => s.clock?.escalated === true, DAY / 4);
    expect(escalated.stage).toBe('UNDER_REVIEW'); // never proceeds silently
    await eventually(async () => {
      const task = await bed.db.task.findFirstOrThrow({ where: { classId: 'P-SLA', kind: 'REVIEW_PLAN' } });
      expect([task.overdue, task.escalated, task.status]).toEqual([true, true, 'OPEN']);
      expect((await bed.db.trainingClass.findUniqueOrThrow({ where: { id: 'P-SLA' } })).overdue).toBe(true);
    });
    await approve(bed.env, handle);
    await eventually(async () =>
      expect(
        (await bed.db.task.findFirstOrThrow({ where: { classId: 'P-SLA', kind: 'REVIEW_PLAN' } })).status,
      ).toBe('DONE'),
    );
  });
});

describe('enrolment (报名/实名制)', () => {
  it('refuses a person who already had 3 training subsidies, and one sitting in an overlapping class', async () => {
    const handle = await startClass(bed.env, 'P-CAPS');
    const s = await approve(bed.env, handle);
    const [capped, busy, fine] = await registerPeople(bed.db, 3, { from: 500 });
    for (const [i, occupationCode] of ['6-31-01-03', '4-10-01-05', '4-03-02-02'].entries()) {
      await bed.db.subsidyRecord.create({
        data: {
          id: `old-${i}`,
          personKey: capped!.personKey,
          kind: 'TRAINING',
          classId: `OLD-${i}`,
          occupationCode,
          level: 'LEVEL_5',
          periodStart: `202${i}-03-01`,
          periodEnd: `202${i}-03-20`,
          status: 'PAID',
        },
      });
    }
    await bed.db.subsidyRecord.create({
      data: {
        id: 'other-running',
        personKey: busy!.personKey,
        kind: 'TRAINING',
        classId: 'OTHER',
        occupationCode: '6-31-01-03',
        level: 'LEVEL_5',
        periodStart: addDays(s.plan.plannedStart, 3),
        periodEnd: addDays(s.plan.plannedEnd, 3),
        status: 'RESERVED',
      },
    });

    const apps = applications([capped!, busy!, fine!], 'P-CAPS');
    const all = await enrol(handle, apps);
    expect(all.enrolled).toEqual([]); // all-or-nothing by default: nothing half-applied
    expect(
      Object.fromEntries(all.refused.map((r) => [r.enrollmentId, r.violations.map((v) => v.code)])),
    ).toEqual({
      'P-CAPS-E001': ['TRAINING_CAP_REACHED'],
      'P-CAPS-E002': ['OVERLAPPING_CLASS'],
    });
    expect(await bed.db.enrollment.count({ where: { classId: 'P-CAPS' } })).toBe(0);
    const valid = await handle.executeUpdate(m.enrolTraineesUpdate, {
      args: [{ actor: actors.institution, trainees: apps, validOnly: true }],
    });
    expect(valid.enrolled).toEqual(['P-CAPS-E003']);
    expect(await refusal(enrol(handle, [apps[2]!]))).toBe('ALREADY_ENROLLED');
  });

  it('lets only one of two classes enrolling the same person at once take her last subsidy', async () => {
    const [person] = await registerPeople(bed.db, 1, { from: 600 });
    for (const [i, occupationCode] of ['6-31-01-03', '4-10-01-05'].entries()) {
      await bed.db.subsidyRecord.create({
        data: {
          id: `last-${i}`,
          personKey: person!.personKey,
          kind: 'TRAINING',
          classId: `PAST-${i}`,
          occupationCode,
          level: 'LEVEL_5',
          periodStart: `202${i}-05-01`,
          periodEnd: `202${i}-05-20`,
          status: 'PAID',
        },
      });
    }
    const day = await today(bed.env);
    const a = await startClass(bed.env, 'P-RACE-A', plan(day, { occupationCode: '4-03-02-01' }));
    const b = await startClass(
      bed.env,
      'P-RACE-B',
      plan(addDays(day, 40), { occupationCode: '4-03-02-02', classHours: 80 }),
    );
    await approve(bed.env, a);
    await approve(bed.env, b);
    const results = await Promise.all([
      enrol(a, applications([person!], 'P-RACE-A')),
      enrol(b, applications([person!], 'P-RACE-B')),
    ]);
    expect(results.map((r) => r.enrolled.length).sort()).toEqual([0, 1]);
    expect(results.flatMap((r) => r.refused.flatMap((x) => x.violations.map((v) => v.code)))).toEqual([
      'TRAINING_CAP_REACHED',
    ]);
    expect(
      await bed.db.subsidyRecord.count({
        where: { personKey: person!.personKey, status: { in: ['RESERVED', 'PAID'] } },
      }),
    ).toBe(3);
  });

  it('cancels a class with a reason, releases its reservations, and refuses cancelling once results exist', async () => {
    const handle = await startClass(bed.env, 'P-CANCEL');
    await approve(bed.env, handle);
    const people = await registerPeople(bed.db, 2, { from: 700 });
    await enrol(handle, applications(people, 'P-CANCEL'));
    expect(
      await refusal(handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: actors.caseworker }] })),
    ).toBe('FORBIDDEN_ACTOR');
    await handle.executeUpdate(m.cancelClassUpdate, {
      args: [{ actor: actors.institution, reason: '报名人数不足' }],
    });
    const done = await handle.result();
    expect([done.stage, done.cancelledReason]).toEqual(['CANCELLED', '报名人数不足']);
    expect(await bed.db.subsidyRecord.count({ where: { classId: 'P-CANCEL', status: 'RESERVED' } })).toBe(0);
    expect(await bed.db.task.count({ where: { classId: 'P-CANCEL', status: 'OPEN' } })).toBe(0);

    const p = plan(await today(bed.env));
    const other = await startClass(bed.env, 'P-NOCANCEL', p);
    const trainees = applications(await registerPeople(bed.db, 2, { from: 710 }), 'P-NOCANCEL');
    await toAssessment(bed.env, other, p, trainees);
    await passAll(bed.env, other, trainees);
    expect(
      await refusal(
        other.executeUpdate(m.cancelClassUpdate, { args: [{ actor: actors.manager, reason: '测试' }] }),
      ),
    ).toBe('WRONG_STAGE');
  });
});

describe('assessment, notice and payout', () => {
  it('marks assessment overdue 7 days after training ends, escalates, and still takes the results', async () => {
    const p = plan(await today(bed.env));
    const handle = await startClass(bed.env, 'P-ASSESS', p);
    const trainees = applications(await registerPeople(bed.db, 2, { from: 800 }), 'P-ASSESS');
    await toAssessment(bed.env, handle, p, trainees);
    const waiting = await until(bed.env, handle, (x) => x.clock?.task === 'RECORD_ASSESSMENT', 1000);
    expect(
      await refusal(
        handle.executeUpdate(m.recordAssessmentUpdate, {
          args: [
            {
              actor: { ...actors.assessor, organisationId: 'assess-other' },
              results: [{ enrollmentId: trainees[0]!.enrollmentId, result: 'FAILED' }],
            },
          ],
        }),
      ),
    ).toBe('FORBIDDEN_ACTOR');
    const overdue = await until(bed.env, handle, (s) => s.clock?.overdue === true, DAY / 2);
    const finished = Date.parse(waiting.history.find((h) => h.action === 'TRAINING_FINISHED')!.at);
    expect(Date.parse(overdue.clock!.dueAt) - finished).toBeGreaterThanOrEqual(7 * DAY);
    await until(bed.env, handle, (s) => s.clock?.escalated === true, DAY / 2);
    await eventually(async () =>
      expect(
        await bed.db.task.count({
          where: { classId: 'P-ASSESS', kind: 'RECORD_ASSESSMENT', overdue: true, escalated: true },
        }),
      ).toBe(1),
    );
    await passAll(bed.env, handle, trainees);
  });

  it('holds an objected line, pays the rest, re-notices the corrected line and pays it after its own notice', async () => {
    const p = plan(await today(bed.env));
    const handle = await startClass(bed.env, 'P-OBJECT', p);
    const trainees = applications(await registerPeople(bed.db, 3, { from: 900 }), 'P-OBJECT');
    await toAssessment(bed.env, handle, p, trainees);
    await passAll(bed.env, handle, trainees);
    const notice = await until(bed.env, handle, (x) => x.clock?.task === 'PUBLIC_NOTICE', DAY / 2); // open for objections
    const line = notice.lines.find(
      (l) => l.enrollmentId === trainees[0]!.enrollmentId && l.kind === 'TRAINING',
    )!;
    expect(line.amountFen).toBe(72_000);
    const published = await bed.db.publicNotice.findFirstOrThrow({
      where: { classId: 'P-OBJECT', round: 1 },
    });
    const rows = JSON.parse(published.rows) as { trainee: string; idNumber: string }[];
    expect(rows.every((r) => /\*/.test(r.trainee) && /^\d{6}\*{8}[\dX]{4}$/.test(r.idNumber))).toBe(true);

    await handle.executeUpdate(m.raiseObjectionUpdate, {
      args: [
        {
          actor: { userId: 'public', role: 'PUBLIC' },
          objectionId: 'OBJ-1',
          lineId: line.lineId,
          reason: '该学员已在企业就业，补贴档次有误',
        },
      ],
    });
    await handle.executeUpdate(m.resolveObjectionUpdate, {
      args: [
        {
          actor: actors.caseworker,
          objectionId: 'OBJ-1',
          resolution: {
            upheld: true,
            action: 'CORRECT',
            tier: 'EMPLOYED',
            note: '核实社保缴费记录，更正为就业档',
          },
        },
      ],
    });
    // After the first notice the other two trainees' lines are paid; the corrected one waits for its own notice.
    const first = await until(
      bed.env,
      handle,
      (s) => s.batches.some((b) => b.status === 'AWAITING_APPROVAL'),
      DAY / 4,
    );
    const batch1 = first.batches.find((b) => b.status === 'AWAITING_APPROVAL')!;
    expect(batch1.totalFen).toBe(2 * 72_000 + 3 * 20_000);
    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: batch1.batchId }],
    });
    const second = await until(
      bed.env,
      handle,
      (s) => s.noticeRound === 2 && s.batches.some((b) => b.status === 'AWAITING_APPROVAL'),
      DAY / 4,
    );
    expect(await bed.db.publicNotice.count({ where: { classId: 'P-OBJECT' } })).toBe(2);
    const batch2 = second.batches.find((b) => b.status === 'AWAITING_APPROVAL')!;
    expect(batch2.totalFen).toBe(90_000);
    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: batch2.batchId }],
    });
    const closed = await handle.result();
    await saveHistory('class-objection', handle);
    expect(closed.paidFen).toBe(2 * 72_000 + 90_000 + 3 * 20_000);
  });

  /** A class at its public notice, several objections raised against the first trainee's training line. */
  async function objectionsToOneLine(classId: string, from: number, objectionIds: string[]) {
    const p = plan(await today(bed.env));
    const handle = await startClass(bed.env, classId, p);
    const trainees = applications(await registerPeople(bed.db, 3, { from }), classId);
    await toAssessment(bed.env, handle, p, trainees);
    await passAll(bed.env, handle, trainees);
    const notice = await until(bed.env, handle, (x) => x.clock?.task === 'PUBLIC_NOTICE', DAY / 2);
    const line = notice.lines.find(
      (l) => l.enrollmentId === trainees[0]!.enrollmentId && l.kind === 'TRAINING',
    )!;
    for (const objectionId of objectionIds)
      await handle.executeUpdate(m.raiseObjectionUpdate, {
        args: [
          {
            actor: { userId: 'public', role: 'PUBLIC' },
            objectionId,
            lineId: line.lineId,
            reason: '档次有误',
          },
        ],
      });
    const resolve = (objectionId: string, resolution: m.ObjectionResolution) =>
      handle.executeUpdate(m.resolveObjectionUpdate, {
        args: [{ actor: actors.caseworker, objectionId, resolution }],
      });
    const approveNext = async (when: (s: m.CaseState) => boolean) => {
      const s = await until(
        bed.env,
        handle,
        (x) => when(x) && x.batches.some((b) => b.status === 'AWAITING_APPROVAL'),
        DAY / 4,
      );
      const batch = s.batches.find((b) => b.status === 'AWAITING_APPROVAL')!;
      await handle.executeUpdate(m.approvePaymentUpdate, {
        args: [{ actor: actors.finance, batchId: batch.batchId }],
      });
      return batch.totalFen;
    };
    return { handle, line, resolve, approveNext };
  }

  it("pays a line two people objected to once: a dismissal does not undo the other objection's correction", async () => {
    const { handle, resolve, approveNext } = await objectionsToOneLine('P-OBJ2C', 914, ['OBJ-A', 'OBJ-B']);
    await resolve('OBJ-A', {
      upheld: true,
      action: 'CORRECT',
      tier: 'EMPLOYED',
      note: '核实就业，更正为就业档',
    });
    await resolve('OBJ-B', { upheld: false, note: '与已处理异议重复' });
    // First notice: the two untouched training lines and the three evaluation lines; the corrected line waits.
    expect(await approveNext(() => true)).toBe(2 * 72_000 + 3 * 20_000);
    expect(await approveNext((s) => s.noticeRound === 2)).toBe(90_000);
    const closed = await handle.result();
    expect(closed.paidFen).toBe(2 * 72_000 + 90_000 + 3 * 20_000);
    expect(closed.batches.filter((b) => b.status === 'PAID')).toHaveLength(2);
  });

  it('never pays a removed line, whatever the other objection to it says, and refuses to correct it', async () => {
    const { handle, line, resolve, approveNext } = await objectionsToOneLine('P-OBJ2R', 937, [
      'OBJ-A',
      'OBJ-B',
      'OBJ-C',
    ]);
    // Dismissing one objection while the other is open keeps the line held.
    await resolve('OBJ-B', { upheld: false, note: '理由不成立' });
    expect((await handle.query(m.caseStateQuery)).lines.find((l) => l.lineId === line.lineId)!.status).toBe(
      'HELD',
    );
    await resolve('OBJ-A', { upheld: true, action: 'REMOVE', note: '该学员未实际参训' });
    expect(
      await refusal(
        resolve('OBJ-C', { upheld: true, action: 'CORRECT', tier: 'EMPLOYED', note: '更正档次' }),
      ),
    ).toBe('LINE_REMOVED');
    // Nor can anyone object to it again: holding it once more would let a later decision pay it.
    expect(
      await refusal(
        handle.executeUpdate(m.raiseObjectionUpdate, {
          args: [
            {
              actor: { userId: 'public', role: 'PUBLIC' },
              objectionId: 'OBJ-D',
              lineId: line.lineId,
              reason: '再次异议',
            },
          ],
        }),
      ),
    ).toBe('LINE_REMOVED');
    await resolve('OBJ-C', { upheld: false, note: '已移出名单' });
    expect(await approveNext(() => true)).toBe(2 * 72_000 + 3 * 20_000);
    const closed = await handle.result();
    expect(closed.lines.find((l) => l.lineId === line.lineId)!.status).toBe('REMOVED');
    expect(closed.noticeRound).toBe(1);
    expect(closed.paidFen).toBe(2 * 72_000 + 3 * 20_000);
  });

  it('returns a transfer the bank keeps refusing to finance for correction, then pays it once', async () => {
    const p = plan(await today(bed.env));
    const handle = await startClass(bed.env, 'P-PAYBAD', p);
    // Born 1999: young enough however far the earlier tests of this file have moved the test server's clock
    // (a full run has moved it about 20 years by here; people born 1990 were then 56).
    const trainees = applications(await registerPeople(bed.db, 1, { from: 979 }), 'P-PAYBAD');
    await toAssessment(bed.env, handle, p, trainees);
    await passAll(bed.env, handle, trainees);
    const s = await until(
      bed.env,
      handle,
      (x) => x.batches.some((b) => b.status === 'AWAITING_APPROVAL'),
      DAY / 2,
    );
    const batch = s.batches.find((b) => b.status === 'AWAITING_APPROVAL')!;
    const institutionPayment = `${batch.batchId}:inst-sjz-01`;
    bank.refuse.add(institutionPayment); // 账户名与账号不符
    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: batch.batchId }],
    });
    const returned = await until(
      bed.env,
      handle,
      (x) => x.batches.some((b) => b.status === 'AWAITING_CORRECTION'),
      DAY / 4,
    );
    expect(returned.stage).toBe('PAYOUT');
    await eventually(async () => {
      const task = await bed.db.task.findFirstOrThrow({
        where: { classId: 'P-PAYBAD', kind: 'CORRECT_PAYMENT', status: 'OPEN' },
      });
      expect(task.role).toBe('FINANCE');
      const payment = await bed.db.payment.findUniqueOrThrow({ where: { id: institutionPayment } });
      expect([payment.status, payment.attempts]).toEqual(['FAILED', 3]);
    });
    bank.refuse.delete(institutionPayment); // the account was corrected
    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: batch.batchId }],
    });
    expect((await handle.result()).stage).toBe('CLOSED');
    expect(bank.transfers.filter((t) => t.paymentId === institutionPayment)).toHaveLength(1);
  });

  it('retries a failed bank transfer with backoff and pays each payment exactly once', async () => {
    const p = plan(await today(bed.env));
    const handle = await startClass(bed.env, 'P-PAYFAIL', p);
    // Born 1998 and 1999, as above.
    const trainees = applications(await registerPeople(bed.db, 2, { from: 998 }), 'P-PAYFAIL');
    await toAssessment(bed.env, handle, p, trainees);
    await passAll(bed.env, handle, trainees);
    const s = await until(
      bed.env,
      handle,
      (x) => x.batches.some((b) => b.status === 'AWAITING_APPROVAL'),
      DAY / 2,
    );
    const batch = s.batches.find((b) => b.status === 'AWAITING_APPROVAL')!;
    const institutionPayment = `${batch.batchId}:inst-sjz-01`;
    const assessorPayment = `${batch.batchId}:assess-sjz-01`;
    // The bank is down for the first two calls (the activity retries them), then refuses the institution's
    // transfer twice (the workflow retries it) and takes it on the third transfer attempt.
    bank.failNext = 2;
    bank.refuse.add(institutionPayment);
    beforeBankCall = (sub) => {
      if (sub.batchId === batch.batchId && sub.attempt >= 3) bank.refuse.delete(institutionPayment);
    };
    try {
      await handle.executeUpdate(m.approvePaymentUpdate, {
        args: [{ actor: actors.finance, batchId: batch.batchId }],
      });
      const closed = await handle.result();
      expect(closed.stage).toBe('CLOSED');
      await saveHistory('class-bank-refusal', handle);
    } finally {
      beforeBankCall = () => {};
      bank.refuse.delete(institutionPayment);
    }

    const calls = bankCalls.filter((c) => c.batchId === batch.batchId);
    expect(calls.map((c) => [c.attempt, c.activityAttempt])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [3, 1],
    ]);
    const gaps = calls.slice(1).map((c, i) => c.atMs - calls[i]!.atMs);
    const SECOND = 1_000;
    const HOUR = 3_600_000;
    // A bank outage: the activity's retry policy waits 2 s, then 2 × 2 s, before calling again.
    expect(gaps[0]).toBeGreaterThanOrEqual(2 * SECOND);
    expect(gaps[1]).toBeGreaterThanOrEqual(4 * SECOND);
    // A refused transfer: the workflow waits 2^attempt hours (at most 24) before the next transfer attempt.
    expect(gaps[2]).toBeGreaterThanOrEqual(2 * HOUR);
    expect(gaps[3]).toBeGreaterThanOrEqual(4 * HOUR);

    // Each payment reached the bank as a transfer exactly once: 2 trainees with a skill-level certificate,
    // not employed: 80 % of 100000 fen × 72/80 hours = 72000 each to the institution; evaluation subsidy
    // 20000 each to the assessment body.
    const transfers = bank.transfers.filter((t) => t.paymentId.startsWith(batch.batchId));
    expect(transfers.map((t) => [t.paymentId, t.amountFen]).sort()).toEqual([
      [assessorPayment, 2 * 20_000],
      [institutionPayment, 2 * 72_000],
    ]);
    expect(batch.totalFen).toBe(2 * 72_000 + 2 * 20_000);
  });
});
