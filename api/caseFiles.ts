// 案件导出: the cases a search finds as a spreadsheet (xlsx), the columns of the cases list in Chinese with the
// English beneath, every text cell spreadsheet-safe (a title from an institution cannot run as a formula).
import ExcelJS from 'exceljs';
import type { TrainingClass } from '@prisma/client';
import { LEVEL_NAMES, OCCUPATION_CATALOGUE, type Level } from '../domain/occupations';
import { STAGE_NAMES } from '../domain/stages';
import { spreadsheetText } from '../domain/text';
import { shanghaiDate } from '../domain/dates';

/** The most rows one export writes; a search that finds more is refused (narrow it). */
export const EXPORT_MAX_ROWS = 10_000;

const COLUMNS: {
  header: string;
  en: string;
  width: number;
  cell: (r: TrainingClass, names: Names) => unknown;
}[] = [
  { header: '班级编号', en: 'Class id', width: 20, cell: (r) => r.id },
  { header: '培训班', en: 'Title', width: 36, cell: (r) => spreadsheetText(r.title) },
  {
    header: '培训机构',
    en: 'Institution',
    width: 32,
    cell: (r, n) => spreadsheetText(n.get(r.institutionId) ?? r.institutionId),
  },
  {
    header: '职业（工种）',
    en: 'Occupation',
    width: 20,
    cell: (r) => OCCUPATION_CATALOGUE.find((o) => o.code === r.occupationCode)?.name.zh ?? r.occupationCode,
  },
  { header: '等级', en: 'Level', width: 10, cell: (r) => LEVEL_NAMES[r.level as Level]?.zh ?? r.level },
  { header: '区县', en: 'District', width: 12, cell: (r) => spreadsheetText(r.district) },
  {
    header: '阶段',
    en: 'Stage',
    width: 12,
    cell: (r) => STAGE_NAMES[r.stage as keyof typeof STAGE_NAMES]?.zh ?? r.stage,
  },
  { header: '计划开班', en: 'Planned start', width: 12, cell: (r) => r.plannedStart },
  { header: '计划结业', en: 'Planned end', width: 12, cell: (r) => r.plannedEnd },
  { header: '学员数', en: 'Trainees', width: 8, cell: (r) => r.traineeCount },
  {
    header: '当前期限',
    en: 'Due',
    width: 12,
    cell: (r) => (r.dueAt ? shanghaiDate(r.dueAt.toISOString()) : ''),
  },
  {
    header: '逾期',
    en: 'Overdue',
    width: 8,
    cell: (r) => (r.escalated ? '已督办' : r.overdue ? '逾期' : ''),
  },
  { header: '已拨付（元）', en: 'Paid (yuan)', width: 14, cell: (r) => r.paidFen / 100 },
];

type Names = ReadonlyMap<string, string>;

export async function casesSheet(rows: readonly TrainingClass[], names: Names): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('案件');
  sheet.columns = COLUMNS.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
  sheet.addRow(COLUMNS.map((c) => c.en)).font = { italic: true, color: { argb: 'FF595959' } };
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  for (const r of rows) sheet.addRow(COLUMNS.map((c) => c.cell(r, names)));
  sheet.getColumn(COLUMNS.length).numFmt = '#,##0.00';
  return Buffer.from(await book.xlsx.writeBuffer());
}
