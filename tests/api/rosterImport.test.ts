// 花名册导入 before anything is enrolled (issue 15, point 3): a file checked row by row with every row's problems,
// the refused rows as a spreadsheet to correct, and a template whose filled-in copy imports as it is.
import ExcelJS from 'exceljs';
import { HEBEI_2024 } from '../../domain/policy';
import { makeIdNumber } from '../../domain/identity';
import { binaryBody as binary, enrollingClass, rosterRows, startApiBed, type ApiBed } from './support';

jest.setTimeout(120_000);

let t: ApiBed;
let enrolling = '';
beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  enrolling = await enrollingClass(t, '育婴员 roster import class');
});
afterAll(() => t?.teardown());

async function sheetOf(file: Buffer, name?: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = name ? wb.getWorksheet(name)! : wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return { wb, ws, rows };
}

async function xlsx(rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['姓名', '身份证号', '人员类别']);
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const people = rosterRows(4, 61);
const tooOld = makeIdNumber('130104', '1940-01-01', 11);
/** one good row, and one of each problem a row alone shows */
const mixed = () =>
  xlsx([
    [people[0]!.name, people[0]!.idNumber, '城镇登记失业人员'],
    ['张三3', people[1]!.idNumber, '就业困难人员'],
    [people[2]!.name, people[0]!.idNumber, 'REGISTERED_UNEMPLOYED'],
    [people[3]!.name, tooOld, '外星人'],
  ]);

describe('a roster file checked before anything is enrolled', () => {
  it('lists every row with every problem, masked, and registers and enrols nobody', async () => {
    const peopleBefore = await t.bed.db.person.count();
    const res = await t.callers.institution
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import/check`)
      .attach('file', await mixed(), 'roster.xlsx')
      .expect(200);
    expect(res.body.valid).toBe(1);
    expect(res.body.refused).toBe(3);
    const codes = (i: number) =>
      (res.body.rows[i].errors as { code: string; path: string }[]).map((e) => `${e.path} ${e.code}`).sort();
    expect(res.body.rows.map((r: { sheetRow: number }) => r.sheetRow)).toEqual([2, 3, 4, 5]);
    expect(codes(0)).toEqual([]);
    expect(codes(1)).toEqual(['trainees.1.name NAME_INVALID']);
    expect(codes(2)).toEqual(['trainees.2.idNumber DUPLICATE_IN_ROSTER']);
    expect(codes(3)).toEqual([
      'trainees.3.category CATEGORY_UNKNOWN',
      'trainees.3.idNumber AGE_OUT_OF_RANGE',
    ]);
    // What the file said, masked: the first 6 and last 4 of an ID number, a name's first (and last) character.
    expect(res.body.rows[0]).toMatchObject({
      idNumber: `${people[0]!.idNumber.slice(0, 6)}********${people[0]!.idNumber.slice(-4)}`,
      name: expect.stringMatching(/^.\*+.$/),
      category: 'REGISTERED_UNEMPLOYED',
    });
    expect(res.body.rows[3].category).toBe('外星人');
    expect(JSON.stringify(res.body)).not.toContain(people[0]!.idNumber);
    expect(JSON.stringify(res.body)).not.toContain(people[0]!.name);
    expect(await t.bed.db.person.count()).toBe(peopleBefore);
    expect(await t.bed.db.enrollment.count({ where: { classId: enrolling } })).toBe(0);
  });

  it('answers the refused rows as the file gave them, with the file row and every reason', async () => {
    const res = await t.callers.institution
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import/refused`)
      .attach('file', await mixed(), 'roster.xlsx')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`${enrolling}-refused-rows.xlsx`);
    const { rows } = await sheetOf(res.body as Buffer);
    expect(rows[0]).toEqual(['姓名', '身份证号', '人员类别', '原行号', '错误原因']);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['张三3', people[1]!.idNumber, '就业困难人员', '3'],
      [people[2]!.name, people[0]!.idNumber, 'REGISTERED_UNEMPLOYED', '4'],
      [people[3]!.name, tooOld, '外星人', '5'],
    ]);
    expect(rows[3]![4]).toContain('人员类别不正确');
    expect(rows[2]![4]).toContain('与第1行为同一人');
    expect(await t.bed.db.enrollment.count({ where: { classId: enrolling } })).toBe(0);
  });

  it('writes a cell that would start a formula as text', async () => {
    const res = await t.callers.institution
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import/refused`)
      .attach(
        'file',
        await xlsx([['=HYPERLINK("http://x")', people[0]!.idNumber, '城镇登记失业人员']]),
        'r.xlsx',
      )
      .buffer(true)
      .parse(binary)
      .expect(200);
    const { ws } = await sheetOf(res.body as Buffer);
    expect(ws.getCell('A2').value).toBe(`'=HYPERLINK("http://x")`);
    expect(ws.getCell('A2').formula).toBeUndefined();
  });

  it('offers a template whose filled-in copy imports as it is', async () => {
    const res = await t.callers.institution
      .call('get', '/api/v1/institution/roster-template')
      .buffer(true)
      .parse(binary)
      .expect(200);
    const { wb, ws, rows } = await sheetOf(res.body as Buffer, '花名册');
    expect(rows).toEqual([['姓名', '身份证号', '人员类别']]);
    expect(ws.getColumn(2).numFmt).toBe('@'); // an ID number stays text: 18 digits, not 1.30104E+17
    expect(ws.getCell('C2').dataValidation).toMatchObject({ type: 'list' });
    const categories = (await sheetOf(res.body as Buffer, '人员类别')).rows.slice(1).map((r) => r[0]);
    expect(categories).toContain('城镇登记失业人员');
    ws.getCell('A2').value = people[0]!.name;
    ws.getCell('B2').value = people[0]!.idNumber;
    ws.getCell('C2').value = categories[0]!;
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const enrolled = await t.callers.institution
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import`)
      .attach('file', filled, 'roster.xlsx')
      .expect(200);
    expect(enrolled.body.enrolled).toEqual([expect.objectContaining({ sheetRow: 2 })]);
  });

  it('keeps the files to the class’s own institution', async () => {
    const other = await t.callers.otherInstitution
      .call('post', `/api/v1/institution/classes/${enrolling}/trainees/import/check`)
      .attach('file', await mixed(), 'roster.xlsx');
    expect(other.status).toBe(404);
    const caseworker = await t.callers.caseworker.call('get', '/api/v1/institution/roster-template');
    expect(caseworker.status).toBe(403);
  });
});
