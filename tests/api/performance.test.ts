// 培训绩效评估 (issue 16 point 4): the institutions' ranking for a period from the read model, scored by the policy's
// formula (DEFAULT_PERFORMANCE: pass 30, certificate 10, employment 40, satisfaction 20; 5 points per overdue step
// or upheld objection per class), with its warnings; the spreadsheet; and the trainees' survey that feeds it.
import type { Express } from 'express';
import ExcelJS from 'exceljs';
import type { Db } from '../../platform/db';
import { createTestDb } from '../support/db';
import { registerPeople, type TestPerson } from '../support/people';
import { maskName } from '../../domain/masking';
import {
  appWithoutTemporal,
  binaryBody,
  INSTITUTION,
  loggedIn,
  OTHER_INSTITUTION,
  projectClass,
  type Caller,
} from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
let as: Record<string, Caller> = {};
let people: TestPerson[];

const THIRD = 'inst-test-03';
const COOK = '4-03-02-01';
const PERIOD = 'from=2026-01-01&to=2026-06-30';

/** A class that trained, ended on `end`, with its counters as the projection keeps them. */
async function aClass(
  id: string,
  institutionId: string,
  counts: { trainees: number; passed: number; certified: number; employed: number },
  opts: { start?: string; end?: string; stage?: 'CLOSED' | 'CANCELLED' } = {},
) {
  await projectClass(db, {
    id,
    institutionId,
    stage: opts.stage ?? 'CLOSED',
    plan: {
      occupationCode: COOK,
      plannedStart: opts.start ?? '2026-03-01',
      plannedEnd: opts.end ?? '2026-03-31',
    },
  });
  await db.trainingClass.update({
    where: { id },
    data: {
      traineeCount: counts.trainees,
      passedCount: counts.passed,
      certifiedCount: counts.certified,
      employedCount: counts.employed,
    },
  });
}

async function enrol(classId: string, n: number, person: TestPerson) {
  const id = `${classId}-E${String(n).padStart(3, '0')}`;
  await db.enrollment.create({
    data: { id, classId, personKey: person.personKey, category: 'REGISTERED_UNEMPLOYED' },
  });
  return id;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  people = await registerPeople(db, 7, { from: 900 });
  await db.institution.create({
    data: {
      id: THIRD,
      name: '石家庄市测试第三职业培训学校',
      kind: 'TRAINING',
      district: '新华区',
      creditCode: '52130105MJ0000003C',
      bankAccount: '0000',
      validFrom: '2024-01-01',
      validTo: '2027-12-31',
      courses: JSON.stringify([COOK]),
    },
  });
  // pass 12/20, certificates 10/20, employed 6 of the 12 followed up
  await aClass('PERF-A1', INSTITUTION, { trainees: 20, passed: 12, certified: 10, employed: 6 });
  // pass 13/20, certificates 13/20, employed 6/13; training 2026-03-15 to 04-15 (overlaps A1)
  await aClass(
    'PERF-B1',
    OTHER_INSTITUTION,
    { trainees: 20, passed: 13, certified: 13, employed: 6 },
    { start: '2026-03-15', end: '2026-04-15' },
  );
  // everyone passed: 100 % against the peers' 60 and 65
  await aClass('PERF-C1', THIRD, { trainees: 20, passed: 20, certified: 20, employed: 10 });
  // not counted: ended before the period, and cancelled
  await aClass(
    'PERF-A0',
    INSTITUTION,
    { trainees: 20, passed: 0, certified: 0, employed: 0 },
    { end: '2025-12-20' },
  );
  await aClass(
    'PERF-AX',
    INSTITUTION,
    { trainees: 20, passed: 0, certified: 0, employed: 0 },
    { stage: 'CANCELLED' },
  );

  // two steps the institution was late with on A1, and one of the caseworker's (not the institution's doing)
  const task = (id: string, classId: string, role: string, overdue: boolean) =>
    db.task.create({
      data: {
        id,
        classId,
        kind: 'SUBMIT_EVIDENCE',
        role,
        institutionId: INSTITUTION,
        occupationCode: COOK,
        district: '长安区',
        stage: 'FOLLOW_UP',
        status: 'DONE',
        overdue,
      },
    });
  await task('PERF-A1:T1', 'PERF-A1', 'INSTITUTION', true);
  await task('PERF-A1:T2', 'PERF-A1', 'INSTITUTION', true);
  await task('PERF-A1:T3', 'PERF-A1', 'CASEWORKER', true);
  await task('PERF-A1:T4', 'PERF-A1', 'INSTITUTION', false);
  // one objection upheld against B1, one dismissed
  for (const [id, status] of [
    ['OBJ-1', 'UPHELD'],
    ['OBJ-2', 'DISMISSED'],
  ] as const)
    await db.objection.create({
      data: { id, classId: 'PERF-B1', noticeId: 'N1', lineId: 'L1', reason: '未参加培训', status },
    });

  // the same person in A1 and B1 (two institutions, overlapping dates)
  const [p0, p1, ...others] = people as [TestPerson, TestPerson, ...TestPerson[]];
  const a1 = await enrol('PERF-A1', 1, p0);
  await enrol('PERF-B1', 1, p0);
  const a2 = await enrol('PERF-A1', 2, p1);
  // two survey answers on A1: mean 5 and mean 3 → satisfaction 4
  await db.satisfactionSurvey.create({
    data: {
      enrollmentId: a1,
      classId: 'PERF-A1',
      institutionId: INSTITUTION,
      teaching: 5,
      practice: 5,
      overall: 5,
    },
  });
  await db.satisfactionSurvey.create({
    data: {
      enrollmentId: a2,
      classId: 'PERF-A1',
      institutionId: INSTITUTION,
      teaching: 3,
      practice: 4,
      overall: 2,
    },
  });
  // five trainees of C1 with one copied sheet: absent on the 2nd, late on the 3rd
  const c1 = others; // five people in no other class
  for (const [i, p] of c1.entries()) {
    const enrollmentId = await enrol('PERF-C1', i + 1, p);
    for (const [lessonDate, status] of [
      ['2026-03-02', 'PRESENT'],
      ['2026-03-03', 'ABSENT'],
      ['2026-03-04', 'LATE'],
    ] as const)
      await db.attendanceRecord.create({
        data: {
          id: `${enrollmentId}:${lessonDate}:1`,
          classId: 'PERF-C1',
          enrollmentId,
          lessonDate,
          lessonNo: 1,
          status,
          hours: status === 'ABSENT' ? 0 : 8,
        },
      });
  }
  as = await loggedIn(db, app, [
    ['cw', 'CASEWORKER'],
    ['mgr', 'MANAGER'],
    ['inst', 'INSTITUTION', INSTITUTION],
  ] as const);
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await cleanup();
});

describe('the institutions’ performance report', () => {
  it('ranks the institutions by the policy’s formula over the classes that ended in the period', async () => {
    const r = (await as.mgr!.call('get', `/api/v1/performance?${PERIOD}`).expect(200)).body;
    expect(r.period).toEqual({ from: '2026-01-01', to: '2026-06-30', district: null });
    expect(r.policyVersionId).toBe('hebei-2024');
    // C: (30 × 1 + 10 × 1 + 40 × 0.5) / 80 = 75 · B: (30 × .65 + 10 × .65 + 40 × 6/13) / 80 = 55.6, less 5 for the
    // upheld objection · A: 30 × .6 + 10 × .5 + 40 × .5 + 20 × (4 − 1) / 4 = 58, less 2 late steps × 5
    expect(
      r.institutions.map((i: { institutionId: string; rank: number; score: number }) => [
        i.institutionId,
        i.rank,
        i.score,
      ]),
    ).toEqual([
      [THIRD, 1, 75],
      [OTHER_INSTITUTION, 2, 50.6],
      [INSTITUTION, 3, 48],
    ]);
    const a = r.institutions[2];
    expect(a).toMatchObject({
      institutionName: '石家庄市智联职业培训学校',
      passRate: 0.6,
      certificateRate: 0.5,
      employmentRate: 0.5,
      satisfaction: 4,
      penalty: 10,
    });
    // A0 (ended in 2025) and AX (cancelled) are not in it
    expect(a.figures).toMatchObject({
      classes: 1,
      trainees: 20,
      overdueSteps: 2,
      objectionsUpheld: 0,
      surveys: 2,
    });
    expect(r.institutions[1].figures.objectionsUpheld).toBe(1);
  });

  it('warns of the pass rate far above the peers, the person in two overlapping classes, and the copied sheet', async () => {
    const w = (await as.cw!.call('get', `/api/v1/performance?${PERIOD}`).expect(200)).body.warnings;
    expect(w.rateOutliers).toEqual([
      {
        kind: 'PASS_RATE_OUTLIER',
        institutionId: THIRD,
        institutionName: '石家庄市测试第三职业培训学校',
        occupationCode: COOK,
        occupationName: { zh: '中式烹调师', en: expect.any(String) },
        ratePct: 100,
        peerMedianPct: 62.5,
        peers: 2,
      },
    ]);
    expect(w.overlappingClasses.count).toBe(1);
    expect(w.overlappingClasses.shown[0]).toMatchObject({
      person: { nameMasked: maskName(people[0]!.name) },
      first: { classId: 'PERF-A1', institutionId: INSTITUTION },
      second: { classId: 'PERF-B1', institutionId: OTHER_INSTITUTION },
    });
    // masked: never the name or the ID number in clear
    expect(JSON.stringify(w)).not.toContain(people[0]!.idNumber);
    expect(JSON.stringify(w)).not.toContain(people[0]!.name);
    expect(w.repeatedAttendance).toEqual({
      count: 1,
      shown: [{ kind: 'REPEATED_ATTENDANCE', classId: 'PERF-C1', trainees: 5, marked: 2 }],
    });
  });

  it('counts nothing outside the period, and narrows to a district', async () => {
    const before = (
      await as.mgr!.call('get', '/api/v1/performance?from=2025-01-01&to=2025-12-31').expect(200)
    ).body;
    expect(before.institutions.map((i: { institutionId: string }) => i.institutionId)).toEqual([INSTITUTION]);
    expect(before.institutions[0]).toMatchObject({ rank: 1, passRate: 0, figures: { classes: 1 } });
    const elsewhere = (await as.mgr!.call('get', `/api/v1/performance?${PERIOD}&district=桥西区`).expect(200))
      .body;
    expect(elsewhere.institutions).toEqual([]);
  });

  it('refuses a period that ends before it starts, on the field', async () => {
    const res = await as.mgr!.call('get', '/api/v1/performance?from=2026-07-01&to=2026-06-30').expect(422);
    expect(res.body.code).toBe('PERIOD_REVERSED');
    expect(res.body.errors[0].path).toBe('from');
    await as.mgr!.call('get', '/api/v1/performance?from=2026-02-30').expect(400);
  });

  it('is the bureau’s: an institution may not see it', async () => {
    await as.inst!.call('get', `/api/v1/performance?${PERIOD}`).expect(403);
  });

  it('exports the ranking as a spreadsheet in rank order', async () => {
    const res = await as
      .mgr!.call('get', `/api/v1/performance/export?${PERIOD}`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="performance-\d{4}-\d{2}-\d{2}\.xlsx"/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1, 5);
    expect(row(1)).toEqual(['排名', '培训机构', '机构编号', '得分']);
    expect(row(3)).toEqual([1, '石家庄市测试第三职业培训学校', THIRD, 75]);
    expect(row(5)).toEqual([3, '石家庄市智联职业培训学校', INSTITUTION, 48]);
    // C has its pass-rate warning, A and B the overlap
    const warnings = [3, 4, 5].map((n) => sheet.getRow(n).getCell(16).value);
    expect(warnings).toEqual([1, 1, 1]);
  });
});
