// 导出 Excel: every list's spreadsheet is written the same way — one sheet, the Chinese headers in bold, the English
// beneath them in grey, both frozen; at most EXPORT_MAX_ROWS rows (a search that finds more is refused with
// TOO_MANY_ROWS: narrow it). Each list says only its columns; text cells go through spreadsheetText where a user
// wrote them (a title from an institution cannot run as a formula).
import ExcelJS from 'exceljs';
import { shanghaiDate } from '../domain/dates';
import { problems } from './problem';

/** The most rows one export writes. */
export const EXPORT_MAX_ROWS = 10_000;

import { XLSX } from './rosterFiles';

export { XLSX };

export interface SheetColumn<T> {
  header: string;
  en: string;
  width: number;
  cell: (row: T) => unknown;
  /** an Excel number format, e.g. '#,##0.00' for yuan */
  numFmt?: string;
}

export async function writeSheet<T>(
  name: string,
  columns: readonly SheetColumn<T>[],
  rows: readonly T[],
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name);
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
  sheet.addRow(columns.map((c) => c.en)).font = { italic: true, color: { argb: 'FF595959' } };
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  for (const r of rows) sheet.addRow(columns.map((c) => c.cell(r)));
  columns.forEach((c, i) => {
    if (c.numFmt) sheet.getColumn(i + 1).numFmt = c.numFmt;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** 422 TOO_MANY_ROWS on the field that narrows the search best. */
export function refuseTooMany(found: number, what: { zh: string; en: string }, path: string): void {
  if (found <= EXPORT_MAX_ROWS) return;
  throw problems.rule(
    'TOO_MANY_ROWS',
    {
      zh: `找到 ${found} ${what.zh}，一次最多导出 ${EXPORT_MAX_ROWS} 条，请缩小查询范围`,
      en: `${found} ${what.en} match; one export holds at most ${EXPORT_MAX_ROWS}: narrow the search`,
    },
    [{ path, code: 'TOO_MANY_ROWS', message: { zh: '请缩小查询范围', en: 'Narrow the search' } }],
  );
}

/** The reply that downloads a sheet as `<name>-<today in Shanghai>.xlsx`. */
export function sheetReply(sheet: Buffer, name: string) {
  const day = shanghaiDate(new Date().toISOString());
  return {
    text: sheet,
    contentType: XLSX,
    headers: { 'Content-Disposition': `attachment; filename="${name}-${day}.xlsx"` },
  };
}
