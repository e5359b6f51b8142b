// 历史数据导入 as a spreadsheet: the predecessor system's export of closed classes, one class per row, read into
// the same summaries the JSON import takes (POST /admin/history/classes). Money is written in yuan (元) as a
// person writes it and read digit by digit into fen; dates as YYYY-MM-DD or 2026/5/3; the level by its code or
// its Chinese name. A cell that cannot be read is named with its row and column; nothing is imported then.
import ExcelJS from 'exceljs';
import { HISTORY_COLUMNS, type HistoryColumnKind as Kind } from '../domain/history';
import { LEVEL_NAMES, LEVELS, type Level } from '../domain/occupations';
import { yuanToFen } from '../domain/money';
import { violation, type RuleViolation } from '../domain/rules';
import { fieldErrorOf, problems, type FieldError } from './problem';
import { XLSX } from './rosterFiles';
import { addNotesSheet, fromList } from './templateSheets';

export { HISTORY_COLUMNS, XLSX };

/** A header as people vary it: full-width brackets, spaces, case, and the (元) left off. */
const norm = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\(元\)$/, '')
    .toLowerCase();

/** A level by its code (LEVEL_4) or its Chinese or English name (中级工（四级）). */
export function levelOf(text: string): Level | undefined {
  const t = norm(text);
  return LEVELS.find((l) => norm(l) === t || norm(LEVEL_NAMES[l].zh) === t || norm(LEVEL_NAMES[l].en) === t);
}

/** YYYY-MM-DD from 2026-05-03, 2026/5/3, 2026.5.3 or 2026年5月3日; undefined for anything else. */
export function isoDateOf(text: string): string | undefined {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : undefined;
}

const CELL_PROBLEM: Record<Exclude<Kind, 'text'>, { zh: string; en: string }> = {
  level: {
    zh: '等级须为专项职业能力、初级工（五级）至高级技师（一级）之一',
    en: 'The level must be one of 专项职业能力, 初级工（五级） … 高级技师（一级） (or its code)',
  },
  int: { zh: '须为不小于0的整数', en: 'Must be a whole number, 0 or more' },
  date: { zh: '日期须写作2026-05-03或2026/5/3', en: 'Write the date as 2026-05-03 or 2026/5/3' },
  yuan: {
    zh: '金额须为元，最多两位小数（如1500或1500.50）',
    en: 'An amount in yuan with at most two decimals (1500 or 1500.50)',
  },
};

function cellValue(kind: Kind, text: string): { value: unknown } | { problem: Exclude<Kind, 'text'> } {
  const t = text.trim();
  switch (kind) {
    case 'text':
      return { value: t };
    case 'level': {
      const level = levelOf(t);
      return level ? { value: level } : { problem: 'level' };
    }
    case 'int':
      return /^\d{1,9}(\.0+)?$/.test(t) ? { value: Number.parseInt(t, 10) } : { problem: 'int' };
    case 'date': {
      const iso = isoDateOf(t);
      return iso ? { value: iso } : { problem: 'date' };
    }
    case 'yuan': {
      const plain = t.replace(/[,，\s]/g, '').replace(/^[¥￥]/, '');
      if (plain.startsWith('-') || plain === '') return { problem: 'yuan' };
      try {
        return { value: yuanToFen(plain) };
      } catch {
        return { problem: 'yuan' };
      }
    }
  }
}

/**
 * The rows of the sheet as summaries for the import (`classes`), and every cell it could not read as
 * `classes.N.field` (N counts data rows from 0: the sheet's row N + 2). A missing column is a 400 naming it.
 */
export function historyOfTable(table: string[][]): {
  classes: Record<string, unknown>[];
  errors: FieldError[];
} {
  const [header, ...body] = table;
  if (!header || !body.length)
    throw problems.badRequest('FILE_EMPTY', {
      zh: '文件中没有班级（第一行为表头，从第二行起每行一个班级）',
      en: 'The file holds no class (the first row is the header, then one class per row)',
    });
  const heads = header.map(norm);
  const at = HISTORY_COLUMNS.map((c) =>
    heads.findIndex((h) => h === norm(c.header) || h === c.field.toLowerCase()),
  );
  const missing = HISTORY_COLUMNS.filter((_, i) => at[i]! < 0);
  if (missing.length)
    throw problems.badRequest(
      'COLUMNS_MISSING',
      {
        zh: `文件缺少${missing.length}列：${missing.map((c) => c.header).join('、')}（请使用下载的模板）`,
        en: `The file lacks ${missing.length} column(s): ${missing.map((c) => c.field).join(', ')} (use the template)`,
      },
      missing.map((c) => ({
        path: `file.${c.field}`,
        code: 'COLUMN_MISSING',
        message: { zh: `缺少“${c.header}”列`, en: `Column ${c.header} (${c.field}) missing` },
      })),
    );
  const errors: FieldError[] = [];
  const classes = body.map((row, i) => {
    const summary: Record<string, unknown> = {};
    HISTORY_COLUMNS.forEach((c, k) => {
      const read = cellValue(c.kind, row[at[k]!] ?? '');
      if ('value' in read) summary[c.field] = read.value;
      else {
        const p = CELL_PROBLEM[read.problem];
        const v: RuleViolation = violation('CELL_UNREADABLE', p.zh, p.en, c.field);
        errors.push(fieldErrorOf(v, `classes.${i}`));
      }
    });
    return summary;
  });
  return { classes, errors };
}

/** The template: the header the import reads, levels offered as a list, and a sheet that says how to fill it. */
export async function historyTemplate(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('历史班级');
  sheet.columns = HISTORY_COLUMNS.map((c) => ({
    header: c.header,
    width: c.width,
    // codes and refs as text, so Excel keeps leading zeros and does not turn 6-31-01-03 into a date
    ...(c.kind === 'text' ? { style: { numFmt: '@' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const levels = book.addWorksheet('等级');
  levels.addRow(['等级', 'Level', '代码 Code']).font = { bold: true };
  for (const l of LEVELS) levels.addRow([LEVEL_NAMES[l].zh, LEVEL_NAMES[l].en, l]);
  const levelColumn = HISTORY_COLUMNS.findIndex((c) => c.kind === 'level') + 1;
  for (let r = 2; r <= 501; r++)
    sheet.getRow(r).getCell(levelColumn).dataValidation = fromList(
      '等级',
      LEVELS.length,
      '请从列表中选择等级',
    );
  addNotesSheet(
    book,
    [
      '每行一个原系统中已办结的班级；第一行为表头，请勿修改；每次最多500个班级，文件不超过2 MB。',
      '日期写作2026-05-03或2026/5/3；金额以元为单位，最多两位小数；等级从列表中选择。',
      '培训人数不超过计划人数，合格人数不超过培训人数，取证人数、就业人数不超过合格人数；追回金额不超过预拨金额。',
      '日期依次为立项、开班、结业、考核、办结（不得倒序），办结日期不晚于今天。',
      '同一来源、同一原系统班级编号再次导入时，数据相同则不变，数据不同则整批拒绝（不导入任何班级）。',
      'One closed class of the predecessor system per row; keep the header row; at most 500 classes, 2 MB.',
      'Dates as 2026-05-03 or 2026/5/3; money in yuan with at most two decimals; pick the level from the list.',
    ],
    110,
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
