// A class from plan to payout on the time-skipping server, paying exactly the expected fen.
import * as m from '../../workflows/messages';
import { startTestbed, type Testbed } from '../support/temporal';
import { applications, registerPeople } from '../support/people';
import { actors, atStage, lessons, plan, startClass, today, until } from '../support/scenario';
import { HARBIN_2022, HEBEI_2024 } from '../../domain/policy';
import { addDays } from '../../domain/dates';
import { saveHistory } from '../support/histories';

// Outcome mix of a 30-trainee class (中式烹调师 L5, standard 100000 fen, 72 of 80 catalogue hours → 90 %):
// 1–8 certificate + employed → 100 % → 90000; 9–16 certificate only → 80 % → 72000;
// 17–22 training certificate only → 50 % → 45000; 23–26 failed → 0; 27–30 under 80 % attendance → 0.
const EXPECTED_FEN = [
  ...Array(8).fill(90_000),
  ...Array(8).fill(72_000),
  ...Array(6).fill(45_000),
  ...Array(8).fill(0),
];
const TRAINING_GROSS = 1_566_000;
const EVALUATION_FEN = 20 * 20_000; // 20 passed with a skill-level certificate, all registered unemployed (a key group)

async function runClass(bed: Testbed, classId: string) {
  const { env } = bed;
  const p = plan(await today(env));
  const handle = await startClass(env, classId, p);
  await until(env, handle, atStage('UNDER_REVIEW'), 1000);
  await handle.executeUpdate(m.reviewPlanUpdate, {
    args: [{ actor: actors.caseworker, decision: 'APPROVE' }],
  });
  const enrolling = await until(env, handle, atStage('ENROLLING'), 1000);
  const advance = enrolling.batches.find((b) => b.kind === 'ADVANCE');
  if (advance)
    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: advance.batchId }],
    });

  const people = await registerPeople(bed.db, 30, { from: classId.length * 31 });
  const apps = applications(people, classId);
  const result = await handle.executeUpdate(m.enrolTraineesUpdate, {
    args: [{ actor: actors.institution, trainees: apps }],
  });
  expect(result.refused).toEqual([]);
  await handle.executeUpdate(m.startTrainingUpdate, { args: [{ actor: actors.institution }] });
  await until(env, handle, atStage('TRAINING'), 1000);

  const ids = apps.map((a) => a.enrollmentId);
  const lowAttendance = Object.fromEntries(ids.slice(26).map((id) => [id, 2])); // 56 of 72 hours = 78 %
  await handle.executeUpdate(m.reportAttendanceUpdate, {
    args: [{ actor: actors.institution, lessons: lessons(p, ids, lowAttendance) }],
  });
  await handle.executeUpdate(m.finishTrainingUpdate, { args: [{ actor: actors.institution }] });
  await until(env, handle, atStage('ASSESSMENT'), 1000);

  const results: m.AssessmentEntry[] = ids.map((id, i) =>
    i < 16 || i >= 26
      ? { enrollmentId: id, result: 'SKILL_LEVEL_CERT', certificateNo: `S${i}` }
      : i < 22
        ? { enrollmentId: id, result: 'TRAINING_CERT', certificateNo: `T${i}` }
        : { enrollmentId: id, result: 'FAILED' },
  );
  await handle.executeUpdate(m.recordAssessmentUpdate, { args: [{ actor: actors.assessor, results }] });
  await until(env, handle, atStage('FOLLOW_UP'), 1000);

  // Employment evidence for the first 8, verified by a caseworker; the others find no job in 3 months.
  const employedOn = addDays(await today(env), 20);
  for (const id of ids.slice(0, 8)) {
    const child = env.client.workflow.getHandle(m.followUpWorkflowId(classId, id));
    await waitForChild(bed, classId, id);
    await child.executeUpdate(m.submitEvidenceUpdate, {
      args: [
        {
          actor: actors.institution,
          evidence: { evidenceId: `ev-${id}`, kind: 'SOCIAL_INSURANCE', employedOn },
        },
      ],
    });
    await child.executeUpdate(m.verifyEvidenceUpdate, {
      args: [
        { actor: actors.caseworker, evidenceId: `ev-${id}`, verdict: 'VERIFIED', note: '社保缴费记录已核对' },
      ],
    });
  }
  // The 3-month window passes in seconds of wall time; then the notice runs 3 working days.
  const atPayout = await until(
    env,
    handle,
    (s) => s.batches.some((b) => b.status === 'AWAITING_APPROVAL' && b.kind === 'SETTLEMENT'),
    6 * 3_600_000,
    800,
  );
  return { handle, atPayout, ids };
}

async function waitFor(check: () => Promise<boolean>, tries = 100) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met');
}

async function waitForChild(bed: Testbed, classId: string, id: string) {
  await waitFor(async () => {
    try {
      await bed.env.client.workflow.getHandle(m.followUpWorkflowId(classId, id)).describe();
      return true;
    } catch {
      return false;
    }
  });
}

jest.setTimeout(240_000);

describe('a class under the Hebei 2024 policy', () => {
  let bed: Testbed;
  beforeAll(async () => (bed = await startTestbed({ policies: [HEBEI_2024] })));
  afterAll(() => bed?.teardown());

  it('pays every trainee of a mixed 30-person class exactly the tier amount, and the assessment body its evaluation subsidy', async () => {
    const { handle, atPayout, ids } = await runClass(bed, 'HB-2026-0001');
    const lines = atPayout.lines.filter((l) => l.kind === 'TRAINING');
    expect(lines.map((l) => [l.enrollmentId, l.amountFen])).toEqual(
      ids.map((id, i) => [id, EXPECTED_FEN[i]]),
    );
    expect(lines.slice(26).every((l) => l.tier === 'NONE' && /出勤/.test(l.remark ?? ''))).toBe(true);
    const batch = atPayout.batches.find((b) => b.kind === 'SETTLEMENT')!;
    expect(batch.totalFen).toBe(TRAINING_GROSS + EVALUATION_FEN);

    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: batch.batchId }],
    });
    const closed = await handle.result();
    await saveHistory('class-lifecycle', handle);
    await saveHistory(
      'trainee-follow-up',
      bed.env.client.workflow.getHandle(m.followUpWorkflowId('HB-2026-0001', ids[0]!)),
    );
    expect(closed.stage).toBe('CLOSED');
    expect(closed.paidFen).toBe(TRAINING_GROSS + EVALUATION_FEN);

    // The read model agrees, to the fen, and each payment was made once.
    const payments = await bed.db.payment.findMany({ where: { batchId: batch.batchId } });
    expect(payments.map((p) => [p.payee, p.amountFen, p.status]).sort()).toEqual([
      ['assess-sjz-01', EVALUATION_FEN, 'PAID'],
      ['inst-sjz-01', TRAINING_GROSS, 'PAID'],
    ]);
    const row = await bed.db.trainingClass.findUniqueOrThrow({ where: { id: 'HB-2026-0001' } });
    expect([row.stage, row.paidFen, row.traineeCount, row.employedCount]).toEqual([
      'CLOSED',
      TRAINING_GROSS + EVALUATION_FEN,
      30,
      8,
    ]);
    expect(await bed.db.task.count({ where: { classId: 'HB-2026-0001', status: 'OPEN' } })).toBe(0);
    // Only subsidies actually paid count toward a person's 3-subsidy limit.
    expect(
      await bed.db.subsidyRecord.count({
        where: { classId: 'HB-2026-0001', kind: 'TRAINING', status: 'PAID' },
      }),
    ).toBe(22);
  });
});

describe('a class under the Harbin 2022 policy (50 % advance)', () => {
  let bed: Testbed;
  beforeAll(async () => (bed = await startTestbed({ policies: [HARBIN_2022], region: '哈尔滨市' })));
  afterAll(() => bed?.teardown());

  it('advances 50 % on approval and deducts it from the settlement', async () => {
    const { handle, atPayout } = await runClass(bed, 'HRB-2026-0001');
    const advance = (50 * 100_000 * 30) / 100; // 50 % of the standard for 30 planned trainees
    expect(atPayout.advancePaidFen).toBe(advance);
    const batch = atPayout.batches.find((b) => b.kind === 'SETTLEMENT')!;
    expect(batch.totalFen).toBe(TRAINING_GROSS - advance + EVALUATION_FEN);
    await handle.executeUpdate(m.approvePaymentUpdate, {
      args: [{ actor: actors.finance, batchId: batch.batchId }],
    });
    const closed = await handle.result();
    expect(closed.lines.find((l) => l.kind === 'ADVANCE_DEDUCTION')?.amountFen).toBe(-advance);
    expect(closed.recoveryFen).toBe(0);
  });
});
