// 历史数据导入 from a sheet: the cells an administrator types, read as the import's summaries (api/historyFiles.ts).
import { HISTORY_COLUMNS, historyOfTable, isoDateOf, levelOf } from '../../../api/historyFiles';
import { Problem } from '../../../api/problem';

const header = HISTORY_COLUMNS.map((c) => c.header);

describe('reading the history sheet', () => {
  it('reads a date as people write it, and nothing else', () => {
    expect(isoDateOf('2026-05-03')).toBe('2026-05-03');
    expect(isoDateOf('2026/5/3')).toBe('2026-05-03');
    expect(isoDateOf('2026.12.31')).toBe('2026-12-31');
    expect(isoDateOf('2026年5月3日')).toBe('2026-05-03');
    expect(isoDateOf(' 2026/05/03 ')).toBe('2026-05-03');
    for (const bad of ['26/5/3', '2026-5', '3/5/2026', '2026-05-03T00:00', ''])
      expect(isoDateOf(bad)).toBeUndefined();
  });

  it('reads a level by its code or its name in either language', () => {
    expect(levelOf('LEVEL_4')).toBe('LEVEL_4');
    expect(levelOf('level_4')).toBe('LEVEL_4');
    expect(levelOf('中级工（四级）')).toBe('LEVEL_4');
    expect(levelOf('中级工(四级)')).toBe('LEVEL_4'); // half-width brackets
    expect(levelOf('专项职业能力')).toBe('SPECIAL_ABILITY');
    expect(levelOf('Senior technician (level 1)')).toBe('LEVEL_1');
    expect(levelOf('四级')).toBeUndefined();
    expect(levelOf('')).toBeUndefined();
  });

  it('takes the columns in any order, by header or field name, and money in yuan as fen', () => {
    const fields = HISTORY_COLUMNS.map((c) => c.field);
    const row: Record<string, string> = {
      ref: 'R1',
      institutionId: 'inst-1',
      district: '长安区',
      title: '班',
      occupationCode: '4-03-02-01',
      level: '初级工（五级）',
      classHours: '120',
      capacity: '40',
      openedOn: '2026/6/3',
      plannedStart: '2026-06-15',
      plannedEnd: '2026-07-31',
      assessedOn: '2026-08-04',
      closedOn: '2026-09-20',
      traineeCount: '30',
      passedCount: '27.0',
      certifiedCount: '25',
      employedCount: '20',
      advancedFen: '¥1,000',
      paidFen: '34,567.5',
      recoveredFen: '0.01',
    };
    // reversed order, the money headers without （元）, the ref by its field name
    const heads = [...header]
      .reverse()
      .map((h) => h.replace('（元）', ''))
      .map((h) => (h === '原系统班级编号' ? 'ref' : h));
    const { classes, errors } = historyOfTable([heads, [...fields].reverse().map((f) => row[f]!)]);
    expect(errors).toEqual([]);
    expect(classes).toEqual([
      {
        ref: 'R1',
        institutionId: 'inst-1',
        district: '长安区',
        title: '班',
        occupationCode: '4-03-02-01',
        level: 'LEVEL_5',
        classHours: 120,
        capacity: 40,
        openedOn: '2026-06-03',
        plannedStart: '2026-06-15',
        plannedEnd: '2026-07-31',
        assessedOn: '2026-08-04',
        closedOn: '2026-09-20',
        traineeCount: 30,
        passedCount: 27,
        certifiedCount: 25,
        employedCount: 20,
        advancedFen: 100_000,
        paidFen: 3_456_750,
        recoveredFen: 1,
      },
    ]);
  });

  it('names each unreadable cell by its row and field', () => {
    const cells = (over: Record<number, string>) =>
      HISTORY_COLUMNS.map(
        (c, i) => over[i] ?? (c.kind === 'date' ? '2026-01-01' : c.kind === 'level' ? 'LEVEL_5' : '1'),
      );
    const { errors } = historyOfTable([
      header,
      cells({}),
      cells({ 6: '-3', 17: '1.234', 18: '-5', 9: '明天' }),
    ]);
    expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      'classes.1.classHours CELL_UNREADABLE',
      'classes.1.plannedStart CELL_UNREADABLE',
      'classes.1.advancedFen CELL_UNREADABLE',
      'classes.1.paidFen CELL_UNREADABLE',
    ]);
  });

  it('refuses a sheet without rows or without a column, naming the column', () => {
    expect(() => historyOfTable([header])).toThrow(Problem);
    expect(() => historyOfTable([])).toThrow(Problem);
    try {
      historyOfTable([header.filter((h) => h !== '办结日期' && h !== '等级'), []]);
      throw new Error('read a sheet without two columns');
    } catch (e) {
      expect(e).toBeInstanceOf(Problem);
      expect((e as Problem).status).toBe(400);
      expect((e as Problem).errors.map((x) => x.path)).toEqual(['file.level', 'file.closedOn']);
    }
  });
});
