// 案件导出: the cases a search finds as a spreadsheet (xlsx), the columns of the cases list in Chinese with the
// English beneath, every text cell spreadsheet-safe (a title from an institution cannot run as a formula).
import type { TrainingClass } from '@prisma/client';
import { LEVEL_NAMES, OCCUPATION_CATALOGUE, type Level } from '../domain/occupations';
import { STAGE_NAMES } from '../domain/stages';
import { spreadsheetText } from '../domain/text';
import { shanghaiDate } from '../domain/dates';

import { writeSheet, type SheetColumn } from './sheets';

type Row = { r: TrainingClass; names: Names };
const COLUMNS: SheetColumn<Row>[] = [
  { header: '班级编号', en: 'Class id', width: 20, cell: ({ r }) => r.id },
  { header: '培训班', en: 'Title', width: 36, cell: ({ r }) => spreadsheetText(r.title) },
  {
    header: '培训机构',
    en: 'Institution',
    width: 32,
    cell: ({ r, names: n }) => spreadsheetText(n.get(r.institutionId) ?? r.institutionId),
  },
  {
    header: '职业（工种）',
    en: 'Occupation',
    width: 20,
    cell: ({ r }) =>
      OCCUPATION_CATALOGUE.find((o) => o.code === r.occupationCode)?.name.zh ?? r.occupationCode,
  },
  { header: '等级', en: 'Level', width: 10, cell: ({ r }) => LEVEL_NAMES[r.level as Level]?.zh ?? r.level },
  { header: '区县', en: 'District', width: 12, cell: ({ r }) => spreadsheetText(r.district) },
  {
    header: '阶段',
    en: 'Stage',
    width: 12,
    cell: ({ r }) => STAGE_NAMES[r.stage as keyof typeof STAGE_NAMES]?.zh ?? r.stage,
  },
  { header: '计划开班', en: 'Planned start', width: 12, cell: ({ r }) => r.plannedStart },
  { header: '计划结业', en: 'Planned end', width: 12, cell: ({ r }) => r.plannedEnd },
  { header: '学员数', en: 'Trainees', width: 8, cell: ({ r }) => r.traineeCount },
  {
    header: '当前期限',
    en: 'Due',
    width: 12,
    cell: ({ r }) => (r.dueAt ? shanghaiDate(r.dueAt.toISOString()) : ''),
  },
  {
    header: '逾期',
    en: 'Overdue',
    width: 8,
    cell: ({ r }) => (r.escalated ? '已督办' : r.overdue ? '逾期' : ''),
  },
  {
    header: '已拨付（元）',
    en: 'Paid (yuan)',
    width: 14,
    cell: ({ r }) => r.paidFen / 100,
    numFmt: '#,##0.00',
  },
];

type Names = ReadonlyMap<string, string>;

export function casesSheet(rows: readonly TrainingClass[], names: Names): Promise<Buffer> {
  return writeSheet(
    '案件',
    COLUMNS,
    rows.map((r) => ({ r, names })),
  );
}
