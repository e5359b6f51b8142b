// One class from plan to payout through the HTTP API alone: the institution's system (API key) files and
// runs the class, the caseworker and finance act from the inbox, the assessment body records results, and
// the public objects to a notice line.
import { HEBEI_2024 } from '../../domain/policy';
import { addDays } from '../../domain/dates';
import { lessons } from '../support/scenario';
import type * as m from '../../workflows/messages';
import {
  ASSESSOR_BODY,
  apiPlan,
  envToday,
  eventually,
  rosterRows,
  startApiBed,
  type ApiBed,
} from './support';

// The whole lifecycle through the API: about 30 s on a quiet machine, over 180 s on a loaded 2-core one.
jest.setTimeout(480_000);

let t: ApiBed;
beforeAll(async () => (t = await startApiBed({ policies: [HEBEI_2024] })));
afterAll(() => t?.teardown());

interface CaseView {
  case: m.CaseState | null;
  class: { stage: string } | null;
  trainees: { enrollmentId: string; nameMasked: string; idMasked: string; amountFen: number | null }[];
  evidence: { id: string; enrollmentId: string; employer: string | null }[];
  objections: { id: string; reason: string; status: string; contact?: string | null }[];
}

describe('an institution drives a class from plan to payout through the API', () => {
  it('files, enrols, trains, assesses, follows up, notices and gets paid exactly the tier amounts', async () => {
    const { institutionKey: inst, caseworker: cw, finance: fin, assessor, anonymous, manager } = t.callers;
    const getCase = async (id: string) =>
      (await cw.call('get', `/api/v1/cases/${id}`).expect(200)).body as CaseView;
    const stageIs = (id: string, stage: string) => async () => (await getCase(id)).case?.stage === stage;

    // 开班申请
    const plan = apiPlan();
    const filed = await inst.call('post', '/api/v1/institution/classes').send({ plan }).expect(202);
    const classId = filed.body.classId as string;
    expect(classId).toMatch(/^SJZ-\d{4}-\d{6}$/);
    await eventually(t.bed, stageIs(classId, 'UNDER_REVIEW'));

    // 审核 from the inbox: the task is there with the class title and institution name joined in.
    const review = await eventually(t.bed, async () => {
      const inbox = await cw.call('get', '/api/v1/tasks?kind=REVIEW_PLAN').expect(200);
      return inbox.body.items.find((x: { classId: string }) => x.classId === classId);
    });
    expect(review).toMatchObject({
      classTitle: plan.title,
      institutionName: '石家庄市智联职业培训学校',
      role: 'CASEWORKER',
    });
    const act = (caller: typeof cw, taskId: string) =>
      caller.call('post', `/api/v1/tasks/${encodeURIComponent(taskId)}/act`);
    await cw.call('post', `/api/v1/tasks/${encodeURIComponent(review.id)}/claim`).expect(200);
    // Acting on it: the decision must be the one the task asks for, by the role it belongs to.
    const wrongKind = await act(cw, review.id).send({ kind: 'APPROVE_PAYMENT' }).expect(409);
    expect(wrongKind.body.code).toBe('TASK_KIND_MISMATCH');
    await act(fin, review.id).send({ kind: 'REVIEW_PLAN', decision: 'APPROVE' }).expect(403);
    const missing = await act(cw, review.id).send({ kind: 'REVIEW_PLAN' }).expect(400);
    expect(missing.body.errors[0].path).toBe('decision');
    const reviewed = await act(cw, review.id).send({ kind: 'REVIEW_PLAN', decision: 'APPROVE' }).expect(200);
    expect(reviewed.body).toEqual({
      taskId: review.id,
      kind: 'REVIEW_PLAN',
      result: { classId, decision: 'APPROVE' },
    });
    await eventually(t.bed, stageIs(classId, 'ENROLLING'));

    // 报名 (6 trainees), 开班, 考勤 (the last trainee misses 2 of 9 lessons: 78 % < 80 %), 结业.
    const rows = rosterRows(6, 1);
    const enrolled = await inst
      .call('post', `/api/v1/institution/classes/${classId}/trainees`)
      .send({ trainees: rows })
      .expect(200);
    expect(enrolled.body.refused).toEqual([]);
    const ids = (enrolled.body.enrolled as { enrollmentId: string; row: number }[])
      .sort((a, b) => a.row - b.row)
      .map((e) => e.enrollmentId);
    await inst.call('post', `/api/v1/institution/classes/${classId}/start`).expect(200);
    await eventually(t.bed, stageIs(classId, 'TRAINING'));
    await inst
      .call('post', `/api/v1/institution/classes/${classId}/attendance`)
      .send({ lessons: lessons(plan, ids, { [ids[5]!]: 2 }) })
      .expect(200);
    await inst.call('post', `/api/v1/institution/classes/${classId}/finish`).expect(200);
    await eventually(t.bed, stageIs(classId, 'ASSESSMENT'));

    // 考核结果 by the booked assessment body.
    const results: m.AssessmentEntry[] = [
      { enrollmentId: ids[0]!, result: 'SKILL_LEVEL_CERT', certificateNo: 'C-1' },
      { enrollmentId: ids[1]!, result: 'SKILL_LEVEL_CERT', certificateNo: 'C-2' },
      { enrollmentId: ids[2]!, result: 'SKILL_LEVEL_CERT', certificateNo: 'C-3' },
      { enrollmentId: ids[3]!, result: 'TRAINING_CERT', certificateNo: 'T-4' },
      { enrollmentId: ids[4]!, result: 'FAILED' },
      { enrollmentId: ids[5]!, result: 'SKILL_LEVEL_CERT', certificateNo: 'C-6' },
    ];
    await assessor.call('post', `/api/v1/assessor/classes/${classId}/results`).send({ results }).expect(200);
    await eventually(t.bed, stageIs(classId, 'FOLLOW_UP'));

    // 就业材料 for the first two, verified by the caseworker from the inbox.
    const employedOn = addDays(await envToday(t.bed), 10);
    const evidence: string[] = [];
    for (const id of ids.slice(0, 2)) {
      const res = await eventually(t.bed, async () => {
        const r = await inst.call('post', `/api/v1/institution/classes/${classId}/employment-evidence`).send({
          enrollmentId: id,
          kind: 'SOCIAL_INSURANCE',
          employedOn,
          employer: '石家庄市长安区某物业公司',
        });
        return r.status === 201 ? r : undefined;
      });
      evidence.push(res.body.evidenceId);
    }
    const verifyTasks = await eventually(t.bed, async () => {
      const r = await cw.call('get', `/api/v1/tasks?kind=VERIFY_EMPLOYMENT`).expect(200);
      const mine = r.body.items.filter((x: { classId: string }) => x.classId === classId);
      return mine.length === 2 ? (mine as { id: string; subject: string }[]) : undefined;
    });
    // The first from the inbox, the second on the case page.
    const first = verifyTasks.find((x) => x.subject === ids[0])!;
    const verified = await act(cw, first.id)
      .send({ kind: 'VERIFY_EMPLOYMENT', verdict: 'VERIFIED' })
      .expect(200);
    expect(verified.body.result).toEqual({ evidenceId: evidence[0], verdict: 'VERIFIED' });
    await cw
      .call('post', `/api/v1/cases/${classId}/trainees/${ids[1]}/evidence/${evidence[1]}/verify`)
      .send({ verdict: 'VERIFIED' })
      .expect(200);

    // The 3-month window passes; the claim list is published (公示), masked, and someone objects to a line.
    await eventually(t.bed, stageIs(classId, 'NOTICE'), 6 * 3_600_000, 800);
    const notices = await anonymous.call('get', `/api/v1/public/notices?classId=${classId}`).expect(200);
    const notice = notices.body.items[0];
    expect(notice.rows.filter((r: { kind: string }) => r.kind === 'TRAINING')).toHaveLength(6);
    const line = notice.rows.find((r: { kind: string }) => r.kind === 'TRAINING');
    expect(line.trainee).toMatch(/\*/);
    expect(line.idNumber).toMatch(/^130104\*{8}\w{4}$/);
    const objection = await anonymous
      .call('post', `/api/v1/public/notices/${notice.id}/objections`)
      .send({ lineId: line.lineId, reason: '该学员未实际参加培训', contact: '13800138000' })
      .expect(201);
    const resolveTask = await eventually(t.bed, async () => {
      const r = await cw.call('get', '/api/v1/tasks?kind=RESOLVE_OBJECTION').expect(200);
      return r.body.items.find((x: { classId: string }) => x.classId === classId);
    });
    expect(resolveTask.subject).toBe(objection.body.objectionId);
    // What the institution and the objector entered reaches the caseworker; the objector's contact does not
    // reach the institution, and is kept encrypted in the read model.
    const seenByStaff = await getCase(classId);
    expect(seenByStaff.evidence).toHaveLength(2);
    expect(seenByStaff.evidence.every((e) => e.employer === '石家庄市长安区某物业公司')).toBe(true);
    expect(seenByStaff.objections).toEqual([
      expect.objectContaining({
        id: objection.body.objectionId,
        reason: '该学员未实际参加培训',
        contact: '13800138000',
        status: 'OPEN',
      }),
    ]);
    const seenByInstitution = (await inst.call('get', `/api/v1/cases/${classId}`).expect(200))
      .body as CaseView;
    expect(seenByInstitution.objections[0]).not.toHaveProperty('contact');
    const stored = await t.bed.db.objection.findUnique({ where: { id: objection.body.objectionId } });
    expect(stored?.contact).not.toContain('13800138000');
    const halfDecided = await act(cw, resolveTask.id)
      .send({ kind: 'RESOLVE_OBJECTION', upheld: true, note: '属实' })
      .expect(400);
    expect(halfDecided.body.errors[0].path).toBe('action');
    await act(cw, resolveTask.id)
      .send({ kind: 'RESOLVE_OBJECTION', upheld: false, note: '经核查属实参训' })
      .expect(200);

    // 拨付: finance approves every settlement batch from the inbox until the case closes.
    const approved = new Set<string>();
    await eventually(
      t.bed,
      async () => {
        const tasks = await fin.call('get', '/api/v1/tasks?kind=APPROVE_PAYMENT').expect(200);
        for (const task of tasks.body.items.filter((x: { classId: string }) => x.classId === classId)) {
          if (approved.has(task.subject)) continue;
          await act(fin, task.id).send({ kind: 'APPROVE_PAYMENT' }).expect(200);
          approved.add(task.subject);
        }
        return (await getCase(classId)).case?.stage === 'CLOSED';
      },
      3_600_000,
      400,
    );

    // DOMAIN.md §7 under hebei-2024 (tiers 100 / 80 / 50 / 0 %, no advance), 中式烹调师 level 5: standard
    // 100000 fen for the catalogue's 80 hours; the plan has 72 hours → 100000 × 72 / 80 = 90000 fen at 100 %.
    //   ids[0], ids[1] skill-level certificate + employed → 100 % → 90000 each
    //   ids[2]         skill-level certificate, not employed → 80 % → 72000
    //   ids[3]         training certificate only → 50 % → 45000
    //   ids[4]         failed → 0;  ids[5] attended 56 of 72 hours (78 % < 80 %) → 0
    //   training: 90000 + 90000 + 72000 + 45000 = 297000 fen, to the institution
    // Evaluation subsidy (to the assessment body): 20 % of the standard = 20000 fen for each key-group trainee
    // (all are registered unemployed) with a skill-level certificate, attendance aside:
    //   ids[0], ids[1], ids[2], ids[5] → 4 × 20000 = 80000 fen
    // Paid: 297000 + 80000 − 0 advance = 377000 fen.
    const closed = await getCase(classId);
    expect(ids.map((id) => closed.trainees.find((x) => x.enrollmentId === id)?.amountFen)).toEqual([
      90_000, 90_000, 72_000, 45_000, 0, 0,
    ]);
    const evaluationLines = closed
      .case!.lines.filter((l) => l.kind === 'EVALUATION')
      .map((l) => [l.enrollmentId, l.payee, l.amountFen]);
    expect(evaluationLines.sort()).toEqual(
      [ids[0], ids[1], ids[2], ids[5]].map((id) => [id, ASSESSOR_BODY, 20_000]).sort(),
    );
    expect(closed.case!.paidFen).toBe(377_000);
    expect(closed.trainees.every((x) => /\*/.test(x.nameMasked) && /\*{8}/.test(x.idMasked))).toBe(true);

    const batches = await fin.call('get', `/api/v1/payments/batches?classId=${classId}`).expect(200);
    expect(batches.body.items.every((b: { status: string }) => b.status === 'PAID')).toBe(true);
    const csv = await fin
      .call('get', `/api/v1/payments/batches/${[...approved][0]}/export?all=1`)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('石家庄市智联职业培训学校');

    const dashboard = await manager.call('get', '/api/v1/dashboard/summary').expect(200);
    expect(dashboard.body.stages.CLOSED).toBeGreaterThanOrEqual(1);
    expect(dashboard.body.money.paidFen).toBe(377_000); // the only class on this test bed
    expect(dashboard.body.rates.pass).not.toBeNull();
  });
});
