// Issue 15, point 4: a caseworker reviews a plan seeing the checks the domain ran (each passed or failed, with
// its message in zh and en) and the course table's total hours against the plan's class hours, and approves
// with an optional opinion (审核意见) that the case keeps in its review notes; return and reject still need one.
import { HEBEI_2024 } from '../../domain/policy';
import { addDays } from '../../domain/dates';
import { apiPlan, ASSESSOR_BODY, eventually, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

let t: ApiBed;
beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
});
afterAll(() => t?.teardown());

const stageOf = async (classId: string) =>
  (await t.bed.db.trainingClass.findUnique({ where: { id: classId } }))?.stage;

async function fileUnderReview(title: string) {
  const plan = apiPlan({ title });
  plan.courseTable.push({
    ...plan.courseTable[0]!,
    date: addDays(plan.plannedStart, 1),
    content: '热菜',
    hours: 6,
  });
  const filed = await t.callers.institution
    .call('post', '/api/v1/institution/classes')
    .send({ plan })
    .expect(202);
  const classId = filed.body.classId as string;
  await eventually(t.bed, async () => (await stageOf(classId)) === 'UNDER_REVIEW');
  return { classId, plan };
}

interface Check {
  id: string;
  passed: boolean;
  label: { zh: string; en: string };
  violations: { code: string; field: string | null; zh: string; en: string }[];
}

describe('plan review', () => {
  it('lists every plan check with the one a withdrawn designation fails, and the course-table totals', async () => {
    const { classId, plan } = await fileUnderReview('中式烹调师（五级）审核要点班');
    // Since filing, the booked assessment body's designation ended before the planned assessment date.
    const body = await t.bed.db.institution.findUniqueOrThrow({ where: { id: ASSESSOR_BODY } });
    await t.bed.db.institution.update({
      where: { id: ASSESSOR_BODY },
      data: { validTo: addDays(plan.plannedAssessmentDate, -1) },
    });
    try {
      const res = await t.callers.caseworker.call('get', `/api/v1/cases/${classId}/plan-checks`).expect(200);
      const checks = res.body.checks as Check[];
      const failed = checks.filter((c) => !c.passed);
      expect(failed.map((c) => c.id)).toEqual(['ASSESSMENT_BODY']);
      expect(failed[0]!.violations).toEqual([
        {
          code: 'ASSESSMENT_BODY_EXPIRED',
          field: 'assessmentBodyId',
          zh: '评价机构在计划考核日期不在有效期内',
          en: 'The assessment body is not designated on the planned assessment date',
        },
      ]);
      // What passed shows too: the lead time (judged from the filing day), capacity, hours, course table.
      for (const id of ['OCCUPATION', 'INSTITUTION', 'CAPACITY', 'CLASS_HOURS', 'LEAD_TIME', 'COURSE_HOURS'])
        expect(checks.find((c) => c.id === id)).toMatchObject({ passed: true, violations: [] });
      expect(checks.every((c) => c.label.zh && c.label.en)).toBe(true);
      expect(res.body.passed).toBe(false);
      expect(res.body.totals).toEqual({
        lessons: 2,
        courseTableHours: 14,
        classHours: plan.classHours,
        catalogueHours: expect.any(Number),
        capacity: plan.capacity,
        capacityCap: HEBEI_2024.caps.traineesPerClass,
      });
      // A manager oversees the review and sees the same; the institution does not.
      await t.callers.manager.call('get', `/api/v1/cases/${classId}/plan-checks`).expect(200);
      await t.callers.institution.call('get', `/api/v1/cases/${classId}/plan-checks`).expect(403);
    } finally {
      await t.bed.db.institution.update({ where: { id: ASSESSOR_BODY }, data: { validTo: body.validTo } });
    }
    const again = await t.callers.caseworker.call('get', `/api/v1/cases/${classId}/plan-checks`).expect(200);
    expect((again.body.checks as Check[]).every((c) => c.passed)).toBe(true);
    expect(again.body.passed).toBe(true);
  });

  it('keeps the opinion given with an approval in the review notes the case page shows', async () => {
    const { classId } = await fileUnderReview('中式烹调师（五级）审核意见班');
    const opinion = '材料齐全，课程安排合理，同意开班。';
    await t.callers.caseworker
      .call('post', `/api/v1/cases/${classId}/review`)
      .send({ decision: 'APPROVE', reason: opinion })
      .expect(200);
    await eventually(t.bed, async () => (await stageOf(classId)) === 'ENROLLING');
    const page = await t.callers.caseworker.call('get', `/api/v1/cases/${classId}`).expect(200);
    expect(page.body.case.reviewNotes.at(-1)).toMatchObject({
      decision: 'APPROVE',
      reason: opinion,
      by: 'u-cw',
    });
    // The institution sees the opinion on its class too.
    const own = await t.callers.institution.call('get', `/api/v1/cases/${classId}`).expect(200);
    expect(own.body.case.reviewNotes.at(-1).reason).toBe(opinion);
  });

  it('approves without an opinion but refuses a return without one', async () => {
    const { classId } = await fileUnderReview('中式烹调师（五级）退回须说明理由班');
    const refused = await t.callers.caseworker
      .call('post', `/api/v1/cases/${classId}/review`)
      .send({ decision: 'RETURN' })
      .expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    await t.callers.caseworker
      .call('post', `/api/v1/cases/${classId}/review`)
      .send({ decision: 'APPROVE' })
      .expect(200);
    await eventually(t.bed, async () => (await stageOf(classId)) === 'ENROLLING');
    const page = await t.callers.caseworker.call('get', `/api/v1/cases/${classId}`).expect(200);
    expect(page.body.case.reviewNotes.at(-1)).toMatchObject({ decision: 'APPROVE' });
    expect(page.body.case.reviewNotes.at(-1).reason).toBeUndefined();
  });
});
