// Issue 15, point 9, through the API: the assessment body's list narrows to the classes awaiting results, a
// trainee under the attendance threshold is flagged (出勤不足), and results come in as a spreadsheet — the class's
// own results sheet downloaded, filled in, read back into the form row by row (nothing recorded until the
// form is submitted), with each unreadable row named.
import ExcelJS from 'exceljs';
import { HEBEI_2024 } from '../../domain/policy';
import { lessons } from '../support/scenario';
import * as m from '../../workflows/messages';
import { apiPlan, binaryBody as binary, eventually, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(180_000);

let t: ApiBed;
beforeAll(async () => (t = await startApiBed({ policies: [HEBEI_2024] })));
afterAll(() => t?.teardown());

interface Trainee {
  enrollmentId: string;
  nameMasked: string;
  idMasked: string;
  attendedHours: number;
  attendanceShort: boolean | null;
}

describe('results from the assessment body', () => {
  it('lists the classes awaiting results, flags short attendance and reads a filled-in results sheet', async () => {
    const { institution: inst, caseworker: cw, assessor, otherAssessor } = t.callers;
    const plan = apiPlan({ title: '中式烹调师（五级）考核结果班' });
    const classId = (await inst.call('post', '/api/v1/institution/classes').send({ plan }).expect(202)).body
      .classId as string;
    const stageIs = (stage: string) => async () =>
      (await cw.call('get', `/api/v1/cases/${classId}`).expect(200)).body.case?.stage === stage;
    await eventually(t.bed, stageIs('UNDER_REVIEW'));
    await cw.call('post', `/api/v1/cases/${classId}/review`).send({ decision: 'APPROVE' }).expect(200);
    await eventually(t.bed, stageIs('ENROLLING'));
    const enrolled = await inst
      .call('post', `/api/v1/institution/classes/${classId}/trainees`)
      .send({ trainees: rosterRows(3, 23) })
      .expect(200);
    const [full, failing, short] = (enrolled.body.enrolled as { enrollmentId: string; row: number }[])
      .sort((a, b) => a.row - b.row)
      .map((e) => e.enrollmentId) as [string, string, string];
    // Before training nobody is short of anything.
    const before = (await assessor.call('get', `/api/v1/cases/${classId}`).expect(200)).body
      .trainees as Trainee[];
    expect(before.map((x) => x.attendanceShort)).toEqual([null, null, null]);

    await inst.call('post', `/api/v1/institution/classes/${classId}/start`).expect(200);
    await eventually(t.bed, stageIs('TRAINING'));
    // 9 lessons of 8 hours; the third trainee misses the first 3 (48 of 72 hours, under 80 %).
    await inst
      .call('post', `/api/v1/institution/classes/${classId}/attendance`)
      .send({ lessons: lessons(plan, [full, failing, short], { [short]: 3 }) })
      .expect(200);
    await inst.call('post', `/api/v1/institution/classes/${classId}/finish`).expect(200);
    await eventually(t.bed, stageIs('ASSESSMENT'));

    // The list narrowed to what the body can act on.
    const awaiting = await assessor
      .call('get', '/api/v1/assessor/classes?stage=ASSESSMENT&limit=200')
      .expect(200);
    expect(awaiting.body.items.map((c: { id: string }) => c.id)).toContain(classId);
    expect(awaiting.body.items.every((c: { stage: string }) => c.stage === 'ASSESSMENT')).toBe(true);

    const trainees = await eventually(t.bed, async () => {
      const v = (await assessor.call('get', `/api/v1/cases/${classId}`).expect(200)).body
        .trainees as Trainee[];
      return v.find((x) => x.enrollmentId === short)?.attendedHours === 48 ? v : undefined;
    });
    const flag = (id: string) => trainees.find((x) => x.enrollmentId === id)!.attendanceShort;
    expect([flag(full), flag(failing), flag(short)]).toEqual([false, false, true]);

    // The class's results sheet: every enrolled trainee, masked, with attendance and the flag.
    const sheet = await assessor
      .call('get', `/api/v1/assessor/classes/${classId}/results-sheet`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(sheet.body as ArrayBuffer);
    const ws = book.getWorksheet('考核结果')!;
    const values = (r: number) => (ws.getRow(r).values as unknown[]).slice(1);
    expect(values(1)).toEqual([
      '报名编号',
      '姓名',
      '身份证号',
      '出勤学时',
      '出勤不足',
      '考核结果',
      '证书编号',
    ]);
    const rowOf = new Map([2, 3, 4].map((r) => [String(ws.getCell(`A${r}`).value), r]));
    expect([...rowOf.keys()].sort()).toEqual([full, failing, short].sort());
    expect(ws.getCell(`D${rowOf.get(short)}`).value).toBe(48);
    expect(ws.getCell(`E${rowOf.get(short)}`).value).toBe('是');
    expect(ws.getCell(`E${rowOf.get(full)}`).value ?? '').toBe('');
    expect(String(ws.getCell(`B${rowOf.get(full)}`).value)).toContain('*');
    expect(JSON.stringify(values(rowOf.get(full)!))).toMatch(/\d{6}\*{8}[\dX]{4}/);
    expect(ws.getCell('F2').dataValidation).toMatchObject({ type: 'list' });

    // Filled in as an assessor would: names from the list, the short trainee left for later, and two mistakes.
    ws.getCell(`F${rowOf.get(full)}`).value = '职业技能等级证书';
    ws.getCell(`G${rowOf.get(full)}`).value = 'ZS-2026-0001';
    ws.getCell(`F${rowOf.get(failing)}`).value = '不合格';
    ws.addRow(['SJZ-2099-000001-XXXXXX', '', '', '', '', '不合格', '']);
    ws.getCell(`F${rowOf.get(short)}`).value = '优秀';
    const filled = Buffer.from(await book.xlsx.writeBuffer());
    const read = await assessor
      .call('post', `/api/v1/assessor/classes/${classId}/results/import`)
      .attach('file', filled, 'results.xlsx')
      .expect(200);
    expect(read.body.results).toEqual(
      expect.arrayContaining([
        {
          enrollmentId: full,
          result: 'SKILL_LEVEL_CERT',
          certificateNo: 'ZS-2026-0001',
          sheetRow: rowOf.get(full),
        },
        { enrollmentId: failing, result: 'FAILED', sheetRow: rowOf.get(failing) },
      ]),
    );
    expect(read.body.results).toHaveLength(2);
    expect(
      (read.body.errors as { sheetRow: number; code: string }[]).map((e) => [e.sheetRow, e.code]).sort(),
    ).toEqual(
      [
        [5, 'UNKNOWN_TRAINEE'],
        [rowOf.get(short), 'RESULT_UNKNOWN'],
      ].sort(),
    );
    // Read into the form, not recorded.
    const state = (await cw.call('get', `/api/v1/cases/${classId}`).expect(200)).body.case as m.CaseState;
    expect(state.stage).toBe('ASSESSMENT');
    expect(state.trainees.every((x) => !x.assessment)).toBe(true);

    // Only the booked body, and only files with the sheet's columns.
    await otherAssessor.call('get', `/api/v1/assessor/classes/${classId}/results-sheet`).expect(404);
    const wrong = await assessor
      .call('post', `/api/v1/assessor/classes/${classId}/results/import`)
      .attach('file', Buffer.from('姓名,结果\r\n张三,合格\r\n', 'utf8'), {
        filename: 'r.csv',
        contentType: 'text/csv',
      })
      .expect(400);
    expect(wrong.body.code).toBe('COLUMNS_MISSING');
  });
});
