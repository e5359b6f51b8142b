// What every template a user fills in has (the roster's, the results sheet, the history import's): a column whose
// cells offer the rows of a list sheet, and a sheet of instructions.
import type ExcelJS from 'exceljs';

/** A cell's choice from column A of `listSheet` (its rows 2 to count + 1), refusing anything else with `error`. */
export function fromList(
  listSheet: string,
  count: number,
  error: string,
  opts: { allowBlank?: boolean; errorTitle?: string } = {},
): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: opts.allowBlank ?? false,
    formulae: [`'${listSheet}'!$A$2:$A$${count + 1}`],
    showErrorMessage: true,
    ...(opts.errorTitle ? { errorTitle: opts.errorTitle } : {}),
    error,
  };
}

/** The 说明 sheet: one line of instructions a row, in a column `width` characters wide. */
export function addNotesSheet(book: ExcelJS.Workbook, lines: readonly string[], width: number): void {
  const notes = book.addWorksheet('说明');
  notes.getColumn(1).width = width;
  for (const line of lines) notes.addRow([line]);
}
