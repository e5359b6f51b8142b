// 案件导出, 待办导出 (issue 15 point 11): the cases and the tasks a search finds as spreadsheets — the same filters
// and scope as the lists, every text cell safe to open, and a search too large for one sheet refused with a reason.
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import { applyCaseEvent } from '../../activities/projection';
import type { Db } from '../../platform/db';
import { EXPORT_MAX_ROWS } from '../../api/sheets';
import { createTestDb } from '../support/db';
import {
  projectClass,
  appWithoutTemporal,
  binaryBody,
  createUser,
  INSTITUTION,
  OTHER_INSTITUTION,
  sessionCaller,
  type Caller,
} from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
let caseworker: Caller;
let institution: Caller;

const SHEETS = { cases: '案件', tasks: '待办', payments: '拨付', 'admin/audit': '留痕' } as const;

async function sheetOf(caller: Caller, query = '', list: keyof typeof SHEETS = 'cases') {
  const res = await caller
    .call('get', `/api/v1/${list}/export${query}`)
    .buffer(true)
    .parse(binaryBody)
    .expect(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toMatch(
    new RegExp(`^attachment; filename="${list.split('/').at(-1)}-\\d{4}-\\d{2}-\\d{2}\\.xlsx"$`),
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as ArrayBuffer);
  const rows: unknown[][] = [];
  book.getWorksheet(SHEETS[list])!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  await createUser(db, 'export-cw', 'CASEWORKER');
  await createUser(db, 'export-inst', 'INSTITUTION', INSTITUTION);
  caseworker = await sessionCaller(app, 'export-cw');
  institution = await sessionCaller(app, 'export-inst');
  await projectClass(db, { id: 'EXP-1', institutionId: INSTITUTION, plan: { title: '中式烹调师 导出一' } });
  await projectClass(db, {
    id: 'EXP-2',
    institutionId: INSTITUTION,
    district: '桥西区',
    plan: { title: '=HYPERLINK("http://x","点我")' },
  });
  await projectClass(db, {
    id: 'EXP-3',
    institutionId: OTHER_INSTITUTION,
    plan: { title: '养老护理员 导出三' },
  });
}, 60_000);
afterAll(async () => cleanup?.());

describe('the cases list as a spreadsheet', () => {
  it('writes every class the search finds, with Chinese and English headers, and formulas kept as text', async () => {
    const rows = await sheetOf(caseworker, '?q=EXP-&sort=id');
    expect(rows[0]!.slice(0, 3)).toEqual(['班级编号', '培训班', '培训机构']);
    expect(rows[1]!.slice(0, 3)).toEqual(['Class id', 'Title', 'Institution']);
    expect(rows.slice(2).map((r) => r[0])).toEqual(['EXP-1', 'EXP-2', 'EXP-3']);
    expect(rows[3]![1]).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(rows[2]![6]).toBe('审核中');
    // the list's filters apply: one district
    const qiaoxi = await sheetOf(caseworker, `?q=EXP-&district=${encodeURIComponent('桥西区')}`);
    expect(qiaoxi.slice(2).map((r) => r[0])).toEqual(['EXP-2']);
  });

  it('gives an institution its own classes only', async () => {
    const rows = await sheetOf(institution, '?q=EXP-&sort=id');
    expect(rows.slice(2).map((r) => r[0])).toEqual(['EXP-1', 'EXP-2']);
  });

  it(`refuses a search that finds more than ${EXPORT_MAX_ROWS} classes, and nothing is written`, async () => {
    const base = await db.trainingClass.findUniqueOrThrow({ where: { id: 'EXP-1' } });
    await db.trainingClass.createMany({
      data: Array.from({ length: EXPORT_MAX_ROWS }, (_, i) => ({
        ...base,
        id: `BULK-${String(i).padStart(5, '0')}`,
        createdAt: undefined,
        updatedAt: undefined,
      })),
    });
    const res = await caseworker.call('get', '/api/v1/cases/export').expect(422);
    expect(res.body.code).toBe('TOO_MANY_ROWS');
    expect(res.body.errors[0].path).toBe('q');
    // narrowed, it answers
    expect((await sheetOf(caseworker, '?q=EXP-')).length).toBe(2 + 3);
  }, 120_000);
});

describe('the inbox as a spreadsheet', () => {
  it('writes the tasks the filters find, with the overdue reason in words, and refuses more than a sheet holds', async () => {
    const at = '2026-11-20T16:00:00.000Z'; // 2026-11-21 00:00 in Shanghai: the end of the 20th
    await applyCaseEvent(db, {
      workflowId: 'EXP-1',
      classId: 'EXP-1',
      seq: 2,
      at,
      actor: 'test',
      action: 'TASK_OPENED:REVIEW_PLAN',
      stage: 'UNDER_REVIEW',
      openTasks: [{ id: 'EXP-1:REVIEW_PLAN', kind: 'REVIEW_PLAN', role: 'CASEWORKER', dueAt: at }],
    });
    await applyCaseEvent(db, {
      workflowId: 'EXP-1',
      classId: 'EXP-1',
      seq: 3,
      at,
      actor: 'test',
      action: 'OVERDUE:REVIEW_PLAN',
      stage: 'UNDER_REVIEW',
      taskFlags: [{ id: 'EXP-1:REVIEW_PLAN', overdue: true }],
    });
    // claimed by a caseworker: the sheet names them, never their user id
    await db.user.update({ where: { id: 'u-export-cw' }, data: { displayName: '刘洋' } });
    await db.task.update({ where: { id: 'EXP-1:REVIEW_PLAN' }, data: { assignee: 'u-export-cw' } });
    const rows = await sheetOf(caseworker, '?overdue=true', 'tasks');
    expect(rows[2]![9]).toBe('刘洋');
    expect(rows[0]!.slice(0, 3)).toEqual(['待办', '班级编号', '培训班']);
    expect(rows.slice(2).map((r) => [r[0], r[1], r[7]])).toEqual([['开班审核', 'EXP-1', '逾期']]);
    expect(rows[2]![8]).toBe('经办人 未在期限内审核开班申请，逾期自 2026-11-20 24:00 起');
    expect(rows[2]![6]).toBe('2026-11-20 24:00'); // the deadline as the reason writes it
    // nothing of another role's
    expect((await sheetOf(caseworker, '?role=FINANCE', 'tasks')).length).toBe(2);
    const base = await db.task.findUniqueOrThrow({ where: { id: 'EXP-1:REVIEW_PLAN' } });
    await db.task.createMany({
      data: Array.from({ length: EXPORT_MAX_ROWS }, (_, i) => ({ ...base, id: `BULK-T-${i}` })),
    });
    const refused = await caseworker.call('get', '/api/v1/tasks/export').expect(422);
    expect(refused.body.code).toBe('TOO_MANY_ROWS');
  }, 120_000);

  it('writes each payment of the batches a search finds with the payee and approver by name, and refuses more than a sheet holds', async () => {
    await createUser(db, 'export-fin', 'FINANCE');
    await db.user.update({ where: { id: 'u-export-fin' }, data: { displayName: '李强' } });
    const finance = await sessionCaller(app, 'export-fin');
    const payee = await db.institution.findUniqueOrThrow({ where: { id: INSTITUTION } });
    await db.paymentBatch.create({
      data: {
        id: 'EXP-1-S1',
        classId: 'EXP-1',
        kind: 'SETTLEMENT',
        totalFen: 165_000,
        status: 'PARTIALLY_FAILED',
        approvedBy: 'u-export-fin',
        payments: {
          create: [
            {
              id: 'EXP-1-S1:a',
              payee: INSTITUTION,
              amountFen: 110_000,
              status: 'PAID',
              attempts: 1,
              bankRef: 'B-1',
              paidAt: new Date('2026-11-20T02:00:00Z'),
            },
            {
              id: 'EXP-1-S1:b',
              payee: OTHER_INSTITUTION,
              amountFen: 55_000,
              status: 'FAILED',
              attempts: 3,
              failure: '=账户名与账号不符',
            },
          ],
        },
      },
    });
    await db.paymentBatch.create({
      data: { id: 'EXP-2-A', classId: 'EXP-2', kind: 'ADVANCE', totalFen: 0, status: 'AWAITING_APPROVAL' },
    });
    // the list names them too
    const listed = await finance.call('get', '/api/v1/payments/batches?classId=EXP-1').expect(200);
    expect(listed.body.items[0]).toMatchObject({ approvedBy: 'u-export-fin', approvedByName: '李强' });
    expect(listed.body.items[0].payments[0]).toMatchObject({ payee: INSTITUTION, payeeName: payee.name });
    const rows = await sheetOf(finance, '?classId=EXP-1', 'payments');
    expect(rows[0]!.slice(0, 4)).toEqual(['批次号', '班级编号', '类型', '批次状态']);
    expect(rows.slice(2)).toHaveLength(2);
    const [paid, failed] = rows.slice(2);
    expect(paid!.slice(0, 10)).toEqual([
      'EXP-1-S1',
      'EXP-1',
      '结算拨付',
      '部分失败',
      1650,
      '李强',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
      payee.name,
      1100,
      '已支付',
    ]);
    expect(paid![13]).toBe('2026-11-20 10:00');
    expect(failed!.slice(8, 13)).toEqual([550, '失败', 3, '', "'=账户名与账号不符"]);
    // a batch with no payments yet is one row; a status filters batches as the list does
    const advance = await sheetOf(finance, '?status=AWAITING_APPROVAL', 'payments');
    expect(advance.slice(2).map((r) => [r[0], r[7] ?? ''])).toEqual([['EXP-2-A', '']]);
    await db.payment.createMany({
      data: Array.from({ length: EXPORT_MAX_ROWS }, (_, i) => ({
        id: `BULK-P-${i}`,
        batchId: 'EXP-2-A',
        payee: INSTITUTION,
        amountFen: 100,
        status: 'PENDING',
      })),
    });
    const refused = await finance.call('get', '/api/v1/payments/export').expect(422);
    expect(refused.body.code).toBe('TOO_MANY_ROWS');
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'status' })]);
  }, 120_000);

  it('writes the access audit a search finds, naming who acted and the institution concerned', async () => {
    await createUser(db, 'export-mgr', 'MANAGER');
    await db.user.update({ where: { id: 'u-export-mgr' }, data: { displayName: '张伟' } });
    const manager = await sessionCaller(app, 'export-mgr');
    const institution = await db.institution.findUniqueOrThrow({ where: { id: INSTITUTION } });
    await db.accessAudit.createMany({
      data: [
        {
          id: 'AUD-1',
          at: new Date('2026-11-02T01:00:00Z'),
          userId: 'u-export-mgr',
          action: 'BANK_ACCOUNT_CORRECTED',
          subject: INSTITUTION,
          reason: '=机构来函更正账号',
          requestId: 'req-1',
        },
        {
          id: 'AUD-2',
          at: new Date('2026-11-03T01:00:00Z'),
          userId: 'u-export-mgr',
          action: 'PII_REVEALED',
          subject: 'EXP-1',
          reason: '核对身份',
        },
      ],
    });
    const rows = await sheetOf(manager, '', 'admin/audit');
    expect(rows[0]).toEqual(['时间', '操作人', '事项', '对象', '依据', '请求编号']);
    expect(rows.slice(2)).toEqual([
      ['2026-11-03 09:00', '张伟', '查看完整身份信息', 'EXP-1', '核对身份', ''],
      ['2026-11-02 09:00', '张伟', '更正收款账户', institution.name, "'=机构来函更正账号", 'req-1'],
    ]);
    const corrected = await sheetOf(manager, '?action=BANK_ACCOUNT_CORRECTED', 'admin/audit');
    expect(corrected.slice(2).map((r) => r[2])).toEqual(['更正收款账户']);
  });
});
