// 终身职业技能培训电子档案 (issue 16 point 1): a person's whole record across classes and what remains of the caps,
// for the bureau's staff only, looked up by ID number in the body with a reason that the access audit keeps —
// names and ID numbers masked, never in a URL or the audit.
import type { Express } from 'express';
import type { Db } from '../../platform/db';
import { createTestDb } from '../support/db';
import { registerPeople, type TestPerson } from '../support/people';
import { maskIdNumber, maskName } from '../../domain/masking';
import { makeIdNumber } from '../../domain/identity';
import {
  appWithoutTemporal,
  loggedIn,
  INSTITUTION,
  OTHER_INSTITUTION,
  projectClass,
  type Caller,
} from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
const as: Record<string, Caller> = {};
let trainee: TestPerson;
let stranger: TestPerson;

const COOK = '4-03-02-01';
const PAID_CLASS = 'REC-CLASS-1';
const RUNNING_CLASS = 'REC-CLASS-2';
const WITHDRAWN_CLASS = 'REC-CLASS-3';
const REASON = '学员来电咨询剩余补贴次数';

const lookUp = (who: string, idNumber: string, reason = REASON) =>
  as[who]!.call('post', '/api/v1/people/record').send({ idNumber, reason });

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  [trainee, stranger] = (await registerPeople(db, 2, { from: 700 })) as [TestPerson, TestPerson];
  const pk = trainee!.personKey;
  await projectClass(db, {
    id: PAID_CLASS,
    institutionId: INSTITUTION,
    stage: 'CLOSED',
    plan: { title: '中式烹调师（四级）2025年第3期', occupationCode: COOK, level: 'LEVEL_4' },
  });
  await projectClass(db, {
    id: RUNNING_CLASS,
    institutionId: OTHER_INSTITUTION,
    stage: 'TRAINING',
    plan: { title: '育婴员（五级）2026年第9期', occupationCode: '4-10-01-02', level: 'LEVEL_5' },
  });
  await projectClass(db, { id: WITHDRAWN_CLASS, institutionId: INSTITUTION, stage: 'CLOSED' });
  const enrol = (id: string, classId: string, data: Record<string, unknown> = {}) =>
    db.enrollment.create({
      data: { id, classId, personKey: pk, category: 'REGISTERED_UNEMPLOYED', ...data },
    });
  await enrol(`${PAID_CLASS}-E001`, PAID_CLASS, {
    attendedHours: 120,
    assessment: 'SKILL_LEVEL_CERT',
    certificateNo: 'S130000202500123',
    employed: true,
    tier: 'CERT_EMPLOYED',
    amountFen: 180000,
  });
  await enrol(`${RUNNING_CLASS}-E004`, RUNNING_CLASS, { attendedHours: 16 });
  await enrol(`${WITHDRAWN_CLASS}-E002`, WITHDRAWN_CLASS, { status: 'WITHDRAWN' });
  const record = (classId: string, data: Record<string, unknown>) =>
    db.subsidyRecord.create({
      data: {
        id: `${classId}:${pk}:${String(data.kind)}`,
        personKey: pk,
        classId,
        periodStart: '2025-03-01',
        periodEnd: '2025-03-31',
        ...data,
      } as never,
    });
  await record(PAID_CLASS, { kind: 'TRAINING', occupationCode: COOK, level: 'LEVEL_4', status: 'PAID' });
  await record(PAID_CLASS, { kind: 'EVALUATION', occupationCode: COOK, level: 'LEVEL_4', status: 'PAID' });
  await record(RUNNING_CLASS, {
    kind: 'TRAINING',
    occupationCode: '4-10-01-02',
    level: 'LEVEL_5',
    status: 'RESERVED',
  });
  await record(WITHDRAWN_CLASS, {
    kind: 'TRAINING',
    occupationCode: COOK,
    level: 'LEVEL_3',
    status: 'RELEASED',
  });
  await db.subsidyLine.create({
    data: {
      id: `${PAID_CLASS}:${PAID_CLASS}-E001:T`,
      classId: PAID_CLASS,
      enrollmentId: `${PAID_CLASS}-E001`,
      payee: INSTITUTION,
      kind: 'TRAINING',
      tier: 'CERT_EMPLOYED',
      amountFen: 180000,
      status: 'PAID',
    },
  });
  // Attendance lesson by lesson (reported out of order; someone else's lesson in the same class too) and
  // objections: one to this person's paid line, one to another person's line.
  const lesson = (
    enrollmentId: string,
    lessonDate: string,
    lessonNo: number,
    status: string,
    hours: number,
  ) =>
    db.attendanceRecord.create({
      data: {
        id: `${enrollmentId}:${lessonDate}:${lessonNo}`,
        classId: RUNNING_CLASS,
        enrollmentId,
        lessonDate,
        lessonNo,
        status,
        hours,
      },
    });
  await lesson(`${RUNNING_CLASS}-E004`, '2026-11-03', 2, 'LATE', 8);
  await lesson(`${RUNNING_CLASS}-E004`, '2026-11-02', 1, 'PRESENT', 8);
  await lesson(`${RUNNING_CLASS}-E004`, '2026-11-04', 3, 'ABSENT', 0);
  await lesson(`${RUNNING_CLASS}-E009`, '2026-11-02', 1, 'PRESENT', 8);
  const objection = (id: string, lineId: string, data: Record<string, unknown>) =>
    db.objection.create({
      data: {
        id,
        classId: PAID_CLASS,
        noticeId: `${PAID_CLASS}:1`,
        lineId,
        contact: 'enc:contact',
        ...data,
      } as never,
    });
  await objection('OBJ-1', `${PAID_CLASS}:${PAID_CLASS}-E001:T`, {
    reason: '该学员培训期间在外地务工',
    status: 'DISMISSED',
    resolution: '经核对考勤与监控记录，异议不成立',
  });
  await objection('OBJ-2', `${PAID_CLASS}:${PAID_CLASS}-E007:T`, { reason: '另一名学员', status: 'OPEN' });
  Object.assign(
    as,
    await loggedIn(db, app, [
      ['cw', 'CASEWORKER'],
      ['mgr', 'MANAGER'],
      ['fin', 'FINANCE'],
      ['adm', 'ADMIN'],
      ['inst', 'INSTITUTION', INSTITUTION],
    ] as const),
  );
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await cleanup();
});

describe('a person’s lifelong training record', () => {
  it('lists every class with its outcome, each subsidy, and what is left of the caps', async () => {
    const res = await lookUp('cw', trainee.idNumber).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const r = res.body;
    expect(r.person).toEqual({
      nameMasked: maskName(trainee.name),
      idMasked: maskIdNumber(trainee.idNumber),
      birthDate: `${trainee.idNumber.slice(6, 10)}-${trainee.idNumber.slice(10, 12)}-${trainee.idNumber.slice(12, 14)}`,
      sex: expect.stringMatching(/^[MF]$/),
    });
    expect(r.classes).toHaveLength(3);
    expect(r.classes[0]).toMatchObject({
      classId: PAID_CLASS,
      title: '中式烹调师（四级）2025年第3期',
      institutionName: expect.any(String),
      occupationName: { zh: '中式烹调师', en: expect.any(String) },
      level: 'LEVEL_4',
      stage: 'CLOSED',
      status: 'ENROLLED',
      attendedHours: 120,
      assessment: 'SKILL_LEVEL_CERT',
      certificateNo: 'S130000202500123',
      employed: true,
      amountFen: 180000,
    });
    expect(r.classes.map((c: { status: string }) => c.status)).toEqual(['ENROLLED', 'ENROLLED', 'WITHDRAWN']);
    expect(r.payments).toEqual([
      expect.objectContaining({ classId: PAID_CLASS, kind: 'TRAINING', amountFen: 180000, status: 'PAID' }),
    ]);
    expect(
      r.subsidies.map(
        (s: { classId: string; kind: string; status: string }) => `${s.classId} ${s.kind} ${s.status}`,
      ),
    ).toEqual([
      `${PAID_CLASS} TRAINING PAID`,
      `${PAID_CLASS} EVALUATION PAID`,
      `${RUNNING_CLASS} TRAINING RESERVED`,
      `${WITHDRAWN_CLASS} TRAINING RELEASED`,
    ]);
    // Hebei 2024: 3 training subsidies (the paid one and the running class's reservation count; the released
    // one does not), 3 evaluation subsidies, once per occupation.
    expect(r.entitlements.training).toEqual({ used: 2, cap: 3, left: 1 });
    expect(r.entitlements.evaluation).toEqual({ used: 1, cap: 3, left: 2 });
    expect(r.entitlements.evaluatedOccupations).toEqual([COOK]);
    const closed = r.entitlements.closedLevels.map(
      (c: { occupationCode: string; level: string; code: string }) =>
        `${c.occupationCode} ${c.level} ${c.code}`,
    );
    expect(closed).toEqual([
      `${COOK} LEVEL_5 LOWER_LEVEL_AFTER_HIGHER`,
      `${COOK} LEVEL_4 SAME_OCCUPATION_LEVEL`,
      '4-10-01-02 LEVEL_5 SAME_OCCUPATION_LEVEL',
    ]);
    expect(r.policyVersionId).toBe('hebei-2024');
    // Nothing in clear.
    expect(JSON.stringify(r)).not.toContain(trainee.name);
    expect(JSON.stringify(r)).not.toContain(trainee.idNumber);
  });

  it('records every look-up with its reason and the person’s key, never the ID number', async () => {
    await lookUp('mgr', trainee.idNumber, '核查重复享受补贴').expect(200);
    // Registered (as a roster once registered them) but never subsidised: an empty record, every cap open.
    const fresh = (await lookUp('fin', stranger.idNumber, '核查拨付对象').expect(200)).body;
    expect(fresh.classes).toEqual([]);
    expect(fresh.entitlements).toMatchObject({
      training: { used: 0, cap: 3, left: 3 },
      evaluation: { used: 0, cap: 3, left: 3 },
      closedLevels: [],
    });
    const nobody = makeIdNumber('130104', '1991-02-03', 78);
    await lookUp('fin', nobody, '核查拨付对象').expect(404);
    const rows = await db.accessAudit.findMany({
      where: { action: 'PERSON_RECORD_VIEWED' },
      orderBy: { at: 'asc' },
    });
    expect(rows.map((a) => [a.userId, a.subject, a.reason, JSON.parse(a.detail!)])).toEqual([
      ['u-cw', trainee.personKey, REASON, { found: true, classes: 3 }],
      ['u-mgr', trainee.personKey, '核查重复享受补贴', { found: true, classes: 3 }],
      ['u-fin', stranger.personKey, '核查拨付对象', { found: true, classes: 0 }],
      ['u-fin', expect.stringMatching(/^[0-9a-f]{64}$/), '核查拨付对象', { found: false, classes: 0 }],
    ]);
    expect(JSON.stringify(rows)).not.toContain(trainee.idNumber);
  });

  it('answers 404 for someone never registered here, 422 for a malformed ID number, 400 without a reason', async () => {
    const nobody = makeIdNumber('130104', '1991-02-03', 77);
    expect((await lookUp('cw', nobody).expect(404)).body.code).toBe('NOT_FOUND');
    const bad = await lookUp('cw', '13010419910203007').expect(422);
    expect(bad.body.errors[0]).toMatchObject({ path: 'idNumber', code: 'ID_FORMAT' });
    const noReason = await as
      .cw!.call('post', '/api/v1/people/record')
      .send({ idNumber: trainee.idNumber })
      .expect(400);
    expect(noReason.body.errors[0].path).toBe('reason');
  });

  it('is for the bureau’s staff who handle cases: not an institution, not the administrator', async () => {
    await lookUp('inst', trainee.idNumber).expect(403);
    await lookUp('adm', trainee.idNumber).expect(403);
  });

  it('shows the attendance lesson by lesson and the objections to the person’s own lines, without the objector', async () => {
    const r = (await lookUp('cw', trainee.idNumber).expect(200)).body;
    const running = r.classes.find((c: { classId: string }) => c.classId === RUNNING_CLASS);
    expect(running.lessons).toEqual([
      { lessonDate: '2026-11-02', lessonNo: 1, status: 'PRESENT', hours: 8 },
      { lessonDate: '2026-11-03', lessonNo: 2, status: 'LATE', hours: 8 },
      { lessonDate: '2026-11-04', lessonNo: 3, status: 'ABSENT', hours: 0 },
    ]);
    expect(r.classes.find((c: { classId: string }) => c.classId === PAID_CLASS).lessons).toEqual([]);
    expect(r.objections).toEqual([
      {
        objectionId: 'OBJ-1',
        classId: PAID_CLASS,
        lineId: `${PAID_CLASS}:${PAID_CLASS}-E001:T`,
        reason: '该学员培训期间在外地务工',
        status: 'DISMISSED',
        resolution: '经核对考勤与监控记录，异议不成立',
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(r)).not.toContain('enc:contact');
  });
});
