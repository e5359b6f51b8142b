// 考核结果 as a spreadsheet: the assessment body downloads the class's roster (masked, with attendance and the
// 出勤不足 flag), fills in result and certificate number, and imports it back into the results form, where it
// checks every row before it records anything (the import records nothing itself).
import ExcelJS from 'exceljs';
import {
  ASSESSMENT_RESULT_NAMES,
  ASSESSMENT_RESULTS,
  resolveAssessmentResult,
  type AssessmentResultCode,
} from '../domain/assessmentResults';
import { violation, type RuleViolation } from '../domain/rules';
import { fieldErrorOf, problems, type FieldError } from './problem';
import { XLSX } from './rosterFiles';
import { fromList } from './templateSheets';

export { XLSX };

export interface ResultsRosterRow {
  enrollmentId: string;
  nameMasked: string;
  idMasked: string;
  attendedHours: number;
  attendanceShort: boolean | null;
}

const HEADERS = ['报名编号', '姓名', '身份证号', '出勤学时', '出勤不足', '考核结果', '证书编号'] as const;

/** The class's roster with empty result and certificate columns; results offered as a list. */
export async function resultsTemplate(rows: ResultsRosterRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('考核结果');
  sheet.columns = [
    { header: HEADERS[0], width: 28 },
    { header: HEADERS[1], width: 12 },
    { header: HEADERS[2], width: 22 },
    { header: HEADERS[3], width: 10 },
    { header: HEADERS[4], width: 10 },
    { header: HEADERS[5], width: 20 },
    { header: HEADERS[6], width: 26, style: { numFmt: '@' } },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const names = book.addWorksheet('考核结果类别');
  names.addRow(['考核结果', 'Result', '代码 Code']).font = { bold: true };
  for (const r of ASSESSMENT_RESULTS)
    names.addRow([ASSESSMENT_RESULT_NAMES[r].zh, ASSESSMENT_RESULT_NAMES[r].en, r]);
  rows.forEach((r, i) => {
    sheet.addRow([
      r.enrollmentId,
      r.nameMasked,
      r.idMasked,
      r.attendedHours,
      r.attendanceShort ? '是' : '',
      '',
      '',
    ]);
    sheet.getCell(`F${i + 2}`).dataValidation = fromList(
      '考核结果类别',
      ASSESSMENT_RESULTS.length,
      '请从列表中选择考核结果',
      { allowBlank: true },
    );
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

export interface ImportedResults {
  results: { enrollmentId: string; result: AssessmentResultCode; certificateNo?: string; sheetRow: number }[];
  errors: (FieldError & { sheetRow: number })[];
}

/**
 * The rows of a filled-in results file, each checked against the roster: a known enrolment, once, a result
 * the list knows. A row without a result is left out (the form keeps what it had). Nothing is recorded.
 */
export function resultsOfTable(table: string[][], enrolled: Set<string>): ImportedResults {
  const [header, ...body] = table;
  if (!header) throw problems.badRequest('FILE_EMPTY', { zh: '文件为空', en: 'The file is empty' });
  const find = (...names: string[]) =>
    header.findIndex((h) => names.includes(h.normalize('NFKC').trim().replace(/\s+/g, '').toLowerCase()));
  const cols = {
    enrollmentId: find('报名编号', 'enrollmentid'),
    result: find('考核结果', 'result'),
    certificateNo: find('证书编号', 'certificateno'),
  };
  const missing = Object.entries(cols).filter(([, i]) => i < 0);
  if (missing.length)
    throw problems.badRequest(
      'COLUMNS_MISSING',
      {
        zh: '文件须包含“报名编号”“考核结果”“证书编号”三列（请使用下载的结果表）',
        en: 'The file needs the columns 报名编号, 考核结果 and 证书编号 (use the downloaded results sheet)',
      },
      missing.map(([k]) => ({
        path: `file.${k}`,
        code: 'COLUMN_MISSING',
        message: { zh: '缺少此列', en: 'Column missing' },
      })),
    );
  const out: ImportedResults = { results: [], errors: [] };
  const seen = new Set<string>();
  body.forEach((r, i) => {
    const sheetRow = i + 2;
    const push = (v: RuleViolation) => out.errors.push({ ...fieldErrorOf(v, `rows.${i}`), sheetRow });
    const enrollmentId = (r[cols.enrollmentId] ?? '').trim();
    const rawResult = (r[cols.result] ?? '').trim();
    const certificateNo = (r[cols.certificateNo] ?? '').trim().slice(0, 80);
    if (!rawResult && !certificateNo) return;
    if (!enrolled.has(enrollmentId))
      return push(
        violation('UNKNOWN_TRAINEE', '本班无此报名编号', 'No such enrolment on this class', 'enrollmentId'),
      );
    if (seen.has(enrollmentId))
      return push(
        violation('DUPLICATE_IN_FILE', '同一学员出现多次', 'The same trainee appears twice', 'enrollmentId'),
      );
    seen.add(enrollmentId);
    const result = resolveAssessmentResult(rawResult);
    if (!result)
      return push(violation('RESULT_UNKNOWN', '考核结果不正确', 'Unknown assessment result', 'result'));
    out.results.push({ enrollmentId, result, ...(certificateNo ? { certificateNo } : {}), sheetRow });
  });
  return out;
}
