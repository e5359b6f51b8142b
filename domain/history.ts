/**
 * 历史数据导入: a class the bureau closed in its predecessor system, brought in as its summary so the dashboard's
 * trends and the institutions' performance reach back before SkillFlow. Pure: the caller loads the institution
 * and the catalogue entry. An imported class is closed and read-only; it has no workflow, no trainees' names and
 * no timeline beyond its import (api/routes/admin/history.ts). A class still running is filed as a plan instead,
 * so the process runs it. Every violation is reported at once, each with the row's field it concerns.
 */
import { compareDates } from './dates';
import { LEGACY_OCCUPATION_CODES, type Level } from './occupations';
import { violation, type RuleViolation } from './rules';

/** One closed class as the predecessor system reports it (money in fen). */
export interface HistoryClass {
  /** its number in the predecessor system (unique there) */
  ref: string;
  institutionId: string;
  district: string;
  title: string;
  occupationCode: string;
  level: Level;
  classHours: number;
  capacity: number;
  /** 开班申请 filed: the class counts as opened in this month */
  openedOn: string;
  plannedStart: string;
  plannedEnd: string;
  /** 考核评价 held */
  assessedOn: string;
  /** 办结: the class counts as closed, its results and money in this month */
  closedOn: string;
  traineeCount: number;
  passedCount: number;
  certifiedCount: number;
  employedCount: number;
  advancedFen: number;
  paidFen: number;
  recoveredFen: number;
}

export type HistoryColumnKind = 'text' | 'level' | 'int' | 'date' | 'yuan';
/**
 * The columns of the history sheet (api/historyFiles.ts reads and writes it; the web names a refused cell by them),
 * in order: the summary's field, its header, what the cell holds (money in yuan there), the column's width.
 */
export const HISTORY_COLUMNS: readonly {
  field: keyof HistoryClass;
  header: string;
  /** the header in English, for the English UI (the sheet's headers are Chinese) */
  en: string;
  kind: HistoryColumnKind;
  width: number;
}[] = [
  { field: 'ref', header: '原系统班级编号', en: 'Ref in the predecessor system', kind: 'text', width: 18 },
  { field: 'institutionId', header: '培训机构编号', en: 'Institution id', kind: 'text', width: 16 },
  { field: 'district', header: '区县', en: 'District', kind: 'text', width: 12 },
  { field: 'title', header: '班级名称', en: 'Class title', kind: 'text', width: 30 },
  { field: 'occupationCode', header: '职业编码', en: 'Occupation code', kind: 'text', width: 14 },
  { field: 'level', header: '等级', en: 'Level', kind: 'level', width: 18 },
  { field: 'classHours', header: '课时', en: 'Class hours', kind: 'int', width: 8 },
  { field: 'capacity', header: '计划人数', en: 'Capacity', kind: 'int', width: 10 },
  { field: 'openedOn', header: '立项日期', en: 'Filed on', kind: 'date', width: 12 },
  { field: 'plannedStart', header: '开班日期', en: 'Training start', kind: 'date', width: 12 },
  { field: 'plannedEnd', header: '结业日期', en: 'Training end', kind: 'date', width: 12 },
  { field: 'assessedOn', header: '考核日期', en: 'Assessed on', kind: 'date', width: 12 },
  { field: 'closedOn', header: '办结日期', en: 'Closed on', kind: 'date', width: 12 },
  { field: 'traineeCount', header: '培训人数', en: 'Trainees', kind: 'int', width: 10 },
  { field: 'passedCount', header: '合格人数', en: 'Passed', kind: 'int', width: 10 },
  { field: 'certifiedCount', header: '取证人数', en: 'Certified', kind: 'int', width: 10 },
  { field: 'employedCount', header: '就业人数', en: 'Employed', kind: 'int', width: 10 },
  { field: 'advancedFen', header: '预拨金额（元）', en: 'Advance (yuan)', kind: 'yuan', width: 14 },
  { field: 'paidFen', header: '拨付金额（元）', en: 'Paid (yuan)', kind: 'yuan', width: 14 },
  { field: 'recoveredFen', header: '追回金额（元）', en: 'Recovered (yuan)', kind: 'yuan', width: 14 },
];

export interface HistoryContext {
  /** the import's date, Asia/Shanghai */
  today: string;
  /** the institution `institutionId` names, undefined when there is none */
  institution?: { kind: string };
  /** the catalogue entry of the occupation (or of the code its legacy code became), undefined when none */
  occupation?: { levels: readonly { level: string }[] };
}

/** The catalogue code an imported occupation code is looked up under (2015-edition codes that changed). */
export const catalogueCodeOf = (code: string): string => LEGACY_OCCUPATION_CODES[code] ?? code;

/** The dates of a class in the order they happen: each field must not fall before the one above it. */
const DATE_ORDER = [
  ['openedOn', '开班申请日期', 'the filing date'],
  ['plannedStart', '开班日期', 'the start of training'],
  ['plannedEnd', '结业日期', 'the end of training'],
  ['assessedOn', '考核日期', 'the assessment'],
  ['closedOn', '办结日期', 'the closing date'],
] as const;

/** Each count must not exceed the one it is a part of. */
const COUNT_PARTS = [
  ['traineeCount', 'capacity', '培训人数', '计划人数', 'trainees', 'the capacity'],
  ['passedCount', 'traineeCount', '合格人数', '培训人数', 'passed', 'the trainees'],
  ['certifiedCount', 'passedCount', '取证人数', '合格人数', 'certified', 'those who passed'],
  ['employedCount', 'passedCount', '就业人数', '合格人数', 'employed', 'those who passed'],
] as const;

export function checkHistoryClass(row: HistoryClass, ctx: HistoryContext): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!ctx.institution)
    out.push(
      violation(
        'INSTITUTION_UNKNOWN',
        `机构${row.institutionId}不存在`,
        `No institution ${row.institutionId}`,
        'institutionId',
      ),
    );
  else if (ctx.institution.kind !== 'TRAINING')
    out.push(
      violation(
        'NOT_A_TRAINING_INSTITUTION',
        '导入的班级须属于培训机构',
        'An imported class belongs to a training institution',
        'institutionId',
      ),
    );
  if (!ctx.occupation)
    out.push(
      violation(
        'OCCUPATION_UNKNOWN',
        `职业（工种）${row.occupationCode}不在目录中`,
        `Occupation ${row.occupationCode} is not in the catalogue`,
        'occupationCode',
      ),
    );
  else if (!ctx.occupation.levels.some((l) => l.level === row.level))
    out.push(
      violation(
        'LEVEL_NOT_IN_CATALOGUE',
        '该职业（工种）目录中无此等级',
        'The catalogue has no such level for this occupation',
        'level',
      ),
    );

  for (let i = 1; i < DATE_ORDER.length; i++) {
    const [before, beforeZh, beforeEn] = DATE_ORDER[i - 1]!;
    const [field, zh, en] = DATE_ORDER[i]!;
    if (compareDates(row[field], row[before]) < 0)
      out.push(
        violation(
          'HISTORY_DATES_OUT_OF_ORDER',
          `${zh}不能早于${beforeZh}`,
          `${en[0]!.toUpperCase()}${en.slice(1)} cannot come before ${beforeEn}`,
          field,
        ),
      );
  }
  if (compareDates(row.closedOn, ctx.today) > 0)
    out.push(
      violation(
        'HISTORY_NOT_CLOSED',
        '只能导入已办结的班级：办结日期不能晚于今天',
        'Only closed classes are imported: the closing date cannot be after today',
        'closedOn',
      ),
    );

  for (const [part, whole, partZh, wholeZh, partEn, wholeEn] of COUNT_PARTS)
    if (row[part] > row[whole])
      out.push(
        violation(
          'HISTORY_COUNT_EXCEEDS',
          `${partZh}（${row[part]}）不能多于${wholeZh}（${row[whole]}）`,
          `${partEn[0]!.toUpperCase()}${partEn.slice(1)} (${row[part]}) cannot exceed ${wholeEn} (${row[whole]})`,
          part,
        ),
      );
  if (row.recoveredFen > row.advancedFen)
    out.push(
      violation(
        'HISTORY_RECOVERY_EXCEEDS_ADVANCE',
        '追回金额不能多于预拨金额',
        'The recovered amount cannot exceed the advance',
        'recoveredFen',
      ),
    );
  return out;
}

/**
 * Every row of an import file, each row's problems with their field under the row's index (`3.passedCount`), and a
 * ref the file repeats (on the later row). `contextOf` gives the row's institution and catalogue entry.
 */
export function checkHistoryFile(
  rows: readonly HistoryClass[],
  contextOf: (row: HistoryClass) => HistoryContext,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  const firstRow = new Map<string, number>();
  rows.forEach((row, i) => {
    const earlier = firstRow.get(row.ref);
    if (earlier !== undefined)
      out.push(
        violation(
          'HISTORY_DUPLICATE_REF',
          `编号${row.ref}与第${earlier + 1}行重复`,
          `Ref ${row.ref} repeats row ${earlier + 1}`,
          `${i}.ref`,
        ),
      );
    else firstRow.set(row.ref, i);
    for (const v of checkHistoryClass(row, contextOf(row)))
      out.push({ ...v, field: v.field === undefined ? `${i}` : `${i}.${v.field}` });
  });
  return out;
}

/** Whether two imports of one class say the same (importing a file again changes nothing). */
export function sameHistoryClass(a: HistoryClass, b: HistoryClass): boolean {
  return (Object.keys(a) as (keyof HistoryClass)[]).every((k) => a[k] === b[k]);
}
