// 历史数据导入 (issue 15 point 14: months of closed classes so the dashboard's trends and rates mean something): an
// administrator imports the classes the bureau closed in its predecessor system. Each becomes a closed,
// read-only class, counted by the dashboard in the month it was filed and the month it closed, and by the
// performance report; all or nothing; a file sent again changes nothing. Expected figures are worked out from
// the rows below by the dashboard's rules (domain/tally.ts), not read back from an answer.
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import { HISTORY_COLUMNS } from '../../api/historyFiles';
import { recountTallies } from '../../platform/tallies';
import type { Db } from '../../platform/db';
import type { HistoryClass } from '../../domain/history';
import { createTestDb } from '../support/db';
import {
  appWithoutTemporal,
  binaryBody as binary,
  INSTITUTION,
  loggedIn,
  OTHER_INSTITUTION,
  type Caller,
} from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
let as: Record<string, Caller>;

const SOURCE = 'HB-JNPX';
const A: HistoryClass = {
  ref: 'A-0412',
  institutionId: INSTITUTION,
  district: '长安区',
  title: '中式烹调师（五级）2026年第4期',
  occupationCode: '4-03-02-01',
  level: 'LEVEL_5',
  classHours: 120,
  capacity: 40,
  openedOn: '2026-06-03',
  plannedStart: '2026-06-15',
  plannedEnd: '2026-07-31',
  assessedOn: '2026-08-04',
  closedOn: '2026-09-20',
  traineeCount: 30,
  passedCount: 27,
  certifiedCount: 25,
  employedCount: 20,
  advancedFen: 0,
  paidFen: 3_456_700,
  recoveredFen: 0,
};
const B: HistoryClass = {
  ...A,
  ref: 'B-0415',
  institutionId: OTHER_INSTITUTION,
  district: '桥西区',
  title: '中式烹调师（五级）2026年第5期',
  capacity: 30,
  openedOn: '2026-07-10',
  plannedStart: '2026-07-20',
  plannedEnd: '2026-08-31',
  assessedOn: '2026-09-03',
  closedOn: '2026-10-15',
  traineeCount: 25,
  passedCount: 20,
  certifiedCount: 18,
  employedCount: 12,
  paidFen: 2_000_000,
};
// Filed on the 1st and closed on the 31st: midnight in Shanghai is the evening before in UTC, and still counts in
// July and October.
const C: HistoryClass = {
  ...A,
  ref: 'C-0420',
  title: '中式烹调师（五级）2026年第6期',
  capacity: 50,
  openedOn: '2026-07-01',
  plannedStart: '2026-07-10',
  plannedEnd: '2026-08-20',
  assessedOn: '2026-08-25',
  closedOn: '2026-10-31',
  traineeCount: 40,
  passedCount: 36,
  certifiedCount: 30,
  employedCount: 30,
  advancedFen: 1_000_000,
  paidFen: 3_100_000,
  recoveredFen: 20_000,
};
const classId = (c: HistoryClass) => `HIST-${SOURCE}-${c.ref}`;
const importing = (classes: unknown[], source = SOURCE) =>
  as.admin!.call('post', '/api/v1/admin/history/classes').send({ source, classes });

/**
 * The counters as rows, in a fixed order (to compare what the import wrote with a recount). A cell at zero counts
 * nothing: the import leaves one in SUBMITTED (its class was filed, then closed), as the projection does for every
 * stage a class leaves, and a recount writes none.
 */
async function counters() {
  const [flows, stages] = await Promise.all([
    db.classTally.findMany({ orderBy: [{ institutionId: 'asc' }, { district: 'asc' }, { month: 'asc' }] }),
    db.stageTally.findMany({ orderBy: [{ institutionId: 'asc' }, { district: 'asc' }, { stage: 'asc' }] }),
  ]);
  return JSON.stringify(
    { flows, stages: stages.filter((s) => s.count !== 0 || s.overdue !== 0 || s.escalated !== 0) },
    (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v),
  );
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  // No class here has a workflow (an imported class never has one).
  app = appWithoutTemporal(db, { dashboardCacheMs: 0 });
  as = await loggedIn(db, app, [
    ['admin', 'ADMIN'],
    ['mgr', 'MANAGER'],
    ['cw', 'CASEWORKER'],
    ['inst', 'INSTITUTION', INSTITUTION],
  ]);
});
afterAll(async () => cleanup());

describe('importing closed classes from the predecessor system', () => {
  it('refuses every problem of every row at once and imports nothing', async () => {
    const before = await counters();
    const res = await importing([
      A,
      { ...B, passedCount: 26 },
      { ...C, closedOn: '2099-01-01', institutionId: 'inst-nowhere' },
      { ...A, title: '重复编号' },
    ]).expect(422);
    expect(res.body.code).toBe('RULES_VIOLATED');
    expect(res.body.errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual([
      'classes.1.passedCount HISTORY_COUNT_EXCEEDS',
      'classes.2.closedOn HISTORY_NOT_CLOSED',
      'classes.2.institutionId INSTITUTION_UNKNOWN',
      'classes.3.ref HISTORY_DUPLICATE_REF',
    ]);
    expect(await db.trainingClass.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
    expect(await counters()).toBe(before);
  });

  it('answers a malformed file with the field, and only an administrator imports', async () => {
    const bad = await importing([{ ...A, paidFen: 2_147_483_648, surprise: 1 }]).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'classes.0.paidFen',
      'classes.0.surprise',
    ]);
    await importing([]).expect(400);
    await importing([A], 'no spaces allowed').expect(400);
    for (const who of ['mgr', 'cw', 'inst'])
      await as[who]!.call('post', '/api/v1/admin/history/classes')
        .send({ source: SOURCE, classes: [A] })
        .expect(403);
    expect(await db.trainingClass.count()).toBe(0);
  });

  it('adds each as a closed class counted in the months it was filed and closed', async () => {
    const res = await importing([A, B, C]).expect(200);
    expect(res.body).toEqual({
      source: SOURCE,
      imported: [A, B, C].map((c) => ({ ref: c.ref, classId: classId(c) })),
      unchanged: [],
    });

    const all = (await as.mgr!.call('get', '/api/v1/dashboard/summary?to=2026-10').expect(200)).body;
    expect(all.stages).toEqual({ CLOSED: 3 });
    const month = (m: string) => all.trends.find((t: { month: string }) => t.month === m);
    expect(all.trends).toHaveLength(12);
    expect(month('2026-06')).toEqual({ month: '2026-06', opened: 1, closed: 0, paidFen: 0 });
    expect(month('2026-07')).toEqual({ month: '2026-07', opened: 2, closed: 0, paidFen: 0 });
    expect(month('2026-08')).toEqual({ month: '2026-08', opened: 0, closed: 0, paidFen: 0 });
    expect(month('2026-09')).toEqual({ month: '2026-09', opened: 0, closed: 1, paidFen: 3_456_700 });
    expect(month('2026-10')).toEqual({ month: '2026-10', opened: 0, closed: 2, paidFen: 5_100_000 });
    // passed 83 of 95 assessed, certificates 73 of 95, employed 62 of the 83 who passed (followed up)
    expect(all.rates).toEqual({ pass: 0.8737, certificate: 0.7684, employment: 0.747 });
    expect(all.money).toEqual({ advancedFen: 1_000_000, paidFen: 8_556_700, recoveredFen: 20_000 });

    // one institution, and a period of one month: only what happened in it
    const mine = (
      await as
        .mgr!.call('get', `/api/v1/dashboard/summary?institutionId=${INSTITUTION}&from=2026-10&to=2026-10`)
        .expect(200)
    ).body;
    expect(mine.stages).toEqual({ CLOSED: 2 });
    expect(mine.money).toEqual({ advancedFen: 1_000_000, paidFen: 3_100_000, recoveredFen: 20_000 });
    expect(mine.rates).toEqual({ pass: 0.9, certificate: 0.75, employment: 0.8333 });

    // What the import counted is what a recount of the class rows gives.
    const written = await counters();
    await recountTallies(db);
    expect(await counters()).toBe(written);
  });

  it('shows an imported class as closed and read-only, to those who may see it', async () => {
    const list = (await as.cw!.call('get', '/api/v1/cases?limit=50').expect(200)).body.items;
    expect(list.map((c: { id: string }) => c.id).sort()).toEqual([A, B, C].map(classId).sort());
    const a = list.find((c: { id: string }) => c.id === classId(A));
    expect(a).toMatchObject({
      stage: 'CLOSED',
      institutionId: INSTITUTION,
      traineeCount: 30,
      paidFen: 3_456_700,
      plannedEnd: '2026-07-31',
      imported: { source: SOURCE, ref: A.ref },
    });
    // the institution sees its own two, not the other's
    const own = (await as.inst!.call('get', '/api/v1/cases?limit=50').expect(200)).body.items;
    expect(own.map((c: { id: string }) => c.id).sort()).toEqual([classId(A), classId(C)]);
    await as.inst!.call('get', `/api/v1/cases/${classId(B)}`).expect(404);

    const page = (await as.cw!.call('get', `/api/v1/cases/${classId(A)}`).expect(200)).body;
    expect(page.case).toBeNull();
    expect(page.class.plan.plannedAssessmentDate).toBe('2026-08-04');
    expect(page.trainees).toEqual([]);
    expect(page.timeline).toEqual([
      expect.objectContaining({ action: 'IMPORTED', actor: expect.any(String), stage: 'CLOSED' }),
    ]);
    expect(page.timeline[0].actorName).not.toBeNull();

    // a command to it is refused as for any ended case
    const cancel = await as
      .cw!.call('post', `/api/v1/cases/${classId(A)}/cancel`)
      .send({ reason: '测试' })
      .expect(409);
    expect(cancel.body.code).toBe('CASE_CLOSED');
  });

  it('counts the classes in the institutions’ performance over the period their training ended', async () => {
    const r = (await as.mgr!.call('get', '/api/v1/performance?from=2026-07-01&to=2026-08-31').expect(200))
      .body;
    const mine = r.institutions.find((i: { institutionId: string }) => i.institutionId === INSTITUTION);
    expect(mine.figures).toMatchObject({
      classes: 2,
      trainees: 70,
      assessed: 70,
      passed: 63,
      certified: 55,
      followedUp: 63,
      employed: 50,
      paidFen: 6_556_700,
    });
  });

  it('changes nothing when the file comes again, and refuses the same class with other figures', async () => {
    const before = await counters();
    const again = await importing([A, B]).expect(200);
    expect(again.body).toEqual({
      source: SOURCE,
      imported: [],
      unchanged: [A, B].map((c) => ({ ref: c.ref, classId: classId(c) })),
    });
    const D = { ...A, ref: 'D-0501', closedOn: '2026-11-02' };
    const changed = await importing([D, { ...B, paidFen: 2_000_001 }]).expect(409);
    expect(changed.body.code).toBe('HISTORY_ALREADY_IMPORTED');
    expect(changed.body.errors).toEqual([
      expect.objectContaining({ path: 'classes.1', code: 'HISTORY_ALREADY_IMPORTED' }),
    ]);
    // D, valid on its own, was not imported either
    await as.cw!.call('get', `/api/v1/cases/${classId(D)}`).expect(404);
    expect(await counters()).toBe(before);
    expect(await db.auditEvent.count()).toBe(3);
  });

  it('imports a class once when the same file is sent twice at the same moment', async () => {
    const E = { ...A, ref: 'E-0601', closedOn: '2026-11-05' };
    const answers = await Promise.all([importing([E]), importing([E]), importing([E])]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(answers.filter((r) => r.status === 200 && r.body.imported.length === 1)).toHaveLength(1);
    expect(await db.trainingClass.count({ where: { importRef: E.ref } })).toBe(1);
    const nov = (
      await as.mgr!.call('get', '/api/v1/dashboard/summary?to=2026-11').expect(200)
    ).body.trends.at(-1);
    expect(nov).toEqual({ month: '2026-11', opened: 0, closed: 1, paidFen: A.paidFen });
  });
});

// The same import from the spreadsheet an administrator fills in (the template): money in yuan, dates and levels
// as people write them, each unreadable cell named by its row and column, and the rows' rules as in the JSON.
describe('importing closed classes from a spreadsheet', () => {
  const XLS_SOURCE = 'HB-XLS';
  const uploading = (file: Buffer, filename: string, source: string | null = XLS_SOURCE) =>
    as
      .admin!.call('post', `/api/v1/admin/history/classes/file${source === null ? '' : `?source=${source}`}`)
      .attach('file', file, filename);
  /** A row as an administrator would type it: 元 with a thousands separator, dates with slashes, the level's name. */
  const typed = (c: HistoryClass, yuan: [string, string, string]) => [
    c.ref,
    c.institutionId,
    c.district,
    c.title,
    c.occupationCode,
    '初级工（五级）',
    String(c.classHours),
    String(c.capacity),
    c.openedOn.replace(/-0?/g, '/'),
    c.plannedStart,
    c.plannedEnd,
    c.assessedOn,
    c.closedOn,
    String(c.traineeCount),
    String(c.passedCount),
    String(c.certifiedCount),
    String(c.employedCount),
    ...yuan,
  ];
  const csv = (rows: string[][]) =>
    Buffer.from(
      rows
        .map((r) => r.map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))
        .join('\r\n'),
      'utf8',
    );
  const X: HistoryClass = { ...A, ref: 'X-0701', closedOn: '2026-10-08' };
  const Y: HistoryClass = { ...B, ref: 'Y-0702', closedOn: '2026-10-09' };

  it('gives the template, and imports it filled in as the same summaries, yuan read as fen', async () => {
    const res = await as
      .admin!.call('get', '/api/v1/admin/history/template')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('历史班级')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(HISTORY_COLUMNS.map((c) => c.header));
    expect(header).toHaveLength(20);
    // the level picked from the six of the 等级 sheet; the 说明 sheet says how to fill it in
    expect(sheet.getCell('F2').dataValidation).toMatchObject({
      type: 'list',
      formulae: ["'等级'!$A$2:$A$7"],
    });
    expect(book.getWorksheet('等级')!.rowCount).toBe(7);
    expect(book.getWorksheet('说明')!.getCell('A1').text).toContain('每行一个原系统中已办结的班级');
    sheet.addRow(typed(X, ['0', '34,567.00', '0']));
    sheet.addRow(typed(Y, ['1000', '20000', '0.5']));
    const filled = Buffer.from(await book.xlsx.writeBuffer());

    const done = await uploading(filled, '历史班级.xlsx').expect(200);
    expect(done.body).toEqual({
      source: XLS_SOURCE,
      imported: [X, Y].map((c) => ({ ref: c.ref, classId: `HIST-${XLS_SOURCE}-${c.ref}` })),
      unchanged: [],
    });
    const x = await db.trainingClass.findUniqueOrThrow({ where: { id: `HIST-${XLS_SOURCE}-${X.ref}` } });
    expect(x).toMatchObject({
      stage: 'CLOSED',
      level: 'LEVEL_5',
      paidFen: 3_456_700,
      advancedFen: 0,
      importRef: X.ref,
    });
    expect(x.createdAt.toISOString()).toBe('2026-06-02T16:00:00.000Z'); // 2026/6/3, midnight in Shanghai
    const y = await db.trainingClass.findUniqueOrThrow({ where: { id: `HIST-${XLS_SOURCE}-${Y.ref}` } });
    expect(y).toMatchObject({ advancedFen: 100_000, paidFen: 2_000_000, recoveredFen: 50 });

    // the same sheet again changes nothing
    const again = await uploading(filled, '历史班级.xlsx').expect(200);
    expect(again.body.imported).toEqual([]);
    expect(again.body.unchanged).toHaveLength(2);
  });

  it('names every cell it cannot read, and imports nothing', async () => {
    const before = await db.trainingClass.count();
    const header = HISTORY_COLUMNS.map((c) => c.header);
    const bad1 = typed({ ...X, ref: 'Z-1' }, ['0', '12.345', '0']);
    bad1[8] = '2026-13-45'; // 立项日期: not a day
    const bad2 = typed({ ...Y, ref: 'Z-2' }, ['0', '100', '0']);
    bad2[5] = '八级'; // 等级
    bad2[14] = '二十'; // 合格人数
    const res = await uploading(csv([header, bad1, bad2]), 'history.csv').expect(422);
    expect(res.body.code).toBe('HISTORY_FILE_INVALID');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'classes.0.openedOn',
      'classes.0.paidFen',
      'classes.1.level',
      'classes.1.passedCount',
    ]);
    expect(await db.trainingClass.count()).toBe(before);
  });

  it('checks the rows by the same rules as the JSON import', async () => {
    const header = HISTORY_COLUMNS.map((c) => c.header);
    const res = await uploading(
      csv([header, typed({ ...X, ref: 'R-1', passedCount: 31 }, ['0', '100', '0'])]),
      'history.csv',
    ).expect(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'classes.0.passedCount', code: 'HISTORY_COUNT_EXCEEDS' }),
    ]);
    await as.cw!.call('get', `/api/v1/cases/HIST-${XLS_SOURCE}-R-1`).expect(404);
  });

  it('refuses a file without a column, without rows, or without its source, and anyone but an administrator', async () => {
    const header = HISTORY_COLUMNS.map((c) => c.header);
    const noPaid = await uploading(
      csv([header.filter((h) => h !== '拨付金额（元）'), typed(X, ['0', '1', '0']).slice(0, 19)]),
      'h.csv',
    ).expect(400);
    expect(noPaid.body.code).toBe('COLUMNS_MISSING');
    expect(noPaid.body.errors.map((e: { path: string }) => e.path)).toEqual(['file.paidFen']);
    expect((await uploading(csv([header]), 'h.csv').expect(400)).body.code).toBe('FILE_EMPTY');
    await uploading(csv([header, typed(X, ['0', '1', '0'])]), 'h.csv', null).expect(400);
    for (const who of ['mgr', 'cw', 'inst'])
      await as[who]!.call('post', `/api/v1/admin/history/classes/file?source=${XLS_SOURCE}`)
        .attach('file', csv([header]), 'h.csv')
        .expect(403);
  });
});
