// The spreadsheets around a roster import (花名册): the template an institution fills in, and the rows a check
// refused, as they were in the file with the reason beside each, to correct and import again.
import ExcelJS from 'exceljs';
import { TRAINEE_CATEGORIES, TRAINEE_CATEGORY_NAMES } from '../domain/categories';
import type { RosterCheck, RosterRow } from './roster';
import { addNotesSheet, fromList } from './templateSheets';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ROSTER_HEADERS = ['姓名', '身份证号', '人员类别'] as const;
const TEMPLATE_ROWS = 1000;

/** A cell that would start a spreadsheet formula is written as text with an apostrophe, as in the bank file. */
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function rosterSheet(book: ExcelJS.Workbook, extra: string[] = []) {
  const sheet = book.addWorksheet('花名册');
  sheet.columns = [
    { header: ROSTER_HEADERS[0], key: 'name', width: 14 },
    // text, so Excel keeps all 18 characters of an ID number (as a number it rounds after 15 digits)
    { header: ROSTER_HEADERS[1], key: 'idNumber', width: 24, style: { numFmt: '@' } },
    { header: ROSTER_HEADERS[2], key: 'category', width: 22 },
    ...extra.map((header) => ({ header, width: header === '错误原因' ? 60 : 10 })),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return sheet;
}

/** The import template: the three columns the import reads, categories offered as a list. */
export async function rosterTemplate(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = rosterSheet(book);
  const categories = book.addWorksheet('人员类别');
  categories.columns = [
    { header: '人员类别', key: 'zh', width: 30 },
    { header: 'Category', key: 'en', width: 40 },
    { header: '代码 Code', key: 'code', width: 28 },
  ];
  categories.getRow(1).font = { bold: true };
  for (const code of TRAINEE_CATEGORIES)
    categories.addRow({
      zh: TRAINEE_CATEGORY_NAMES[code].zh,
      en: TRAINEE_CATEGORY_NAMES[code].en,
      code,
    });
  for (let r = 2; r <= TEMPLATE_ROWS + 1; r++)
    sheet.getCell(`C${r}`).dataValidation = fromList(
      '人员类别',
      TRAINEE_CATEGORIES.length,
      '请从列表中选择人员类别',
      { errorTitle: '人员类别' },
    );
  addNotesSheet(
    book,
    [
      '每行一名学员：姓名、18位居民身份证号、人员类别（从列表中选择，或写“人员类别”表中的名称或代码）。',
      '第一行为表头，请勿修改；每次最多导入1000行，文件不超过2 MB。',
      'One trainee per row: name, 18-character resident ID number, category (pick from the list).',
      'Keep the header row as it is; at most 1,000 rows and 2 MB per import.',
    ],
    100,
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The refused rows as the file gave them, with the row they came from and every reason, in Chinese. */
export async function refusedRowsWorkbook(rows: RosterRow[], check: RosterCheck): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = rosterSheet(book, ['原行号', '错误原因']);
  for (const r of check.rows.filter((x) => x.errors.length)) {
    const source = rows[r.row]!;
    sheet.addRow([
      safe(source.name),
      safe(source.idNumber),
      safe(source.category),
      r.sheetRow ?? r.row + 1,
      r.errors.map((e) => e.message.zh).join('；'),
    ]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
