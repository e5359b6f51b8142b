// 历史数据导入 (domain/history.ts): what a closed class from the predecessor system must satisfy before it joins the
// dashboard's counters. Each rule on a row that breaks only it, and every problem of a row reported at once.
import {
  checkHistoryClass,
  checkHistoryFile,
  sameHistoryClass,
  type HistoryClass,
  type HistoryContext,
} from '../../../domain/history';

const row = (over: Partial<HistoryClass> = {}): HistoryClass => ({
  ref: '2026-0412',
  institutionId: 'inst-sjz-01',
  district: '长安区',
  title: '中式烹调师（五级）2026年第4期',
  occupationCode: '4-03-02-01',
  level: 'LEVEL_5',
  classHours: 120,
  capacity: 40,
  openedOn: '2026-05-06',
  plannedStart: '2026-05-20',
  plannedEnd: '2026-06-30',
  assessedOn: '2026-07-03',
  closedOn: '2026-10-15',
  traineeCount: 38,
  passedCount: 35,
  certifiedCount: 33,
  employedCount: 28,
  advancedFen: 0,
  paidFen: 4_123_450,
  recoveredFen: 0,
  ...over,
});
const ctx: HistoryContext = {
  today: '2026-12-02',
  institution: { kind: 'TRAINING' },
  occupation: { levels: [{ level: 'LEVEL_5' }, { level: 'LEVEL_4' }] },
};
const codes = (r: HistoryClass, c: HistoryContext = ctx) =>
  checkHistoryClass(r, c).map((v) => `${v.code}@${v.field ?? ''}`);

describe('a closed class from the predecessor system', () => {
  it('passes when its dates follow one another, its counts are parts of each other and it closed by today', () => {
    expect(codes(row())).toEqual([]);
    // every date the same day, and closed today: still in order
    const day = '2026-12-02';
    expect(
      codes(row({ openedOn: day, plannedStart: day, plannedEnd: day, assessedOn: day, closedOn: day })),
    ).toEqual([]);
  });

  it('names the institution and the catalogue entry it cannot find', () => {
    expect(codes(row(), { ...ctx, institution: undefined })).toEqual(['INSTITUTION_UNKNOWN@institutionId']);
    expect(codes(row(), { ...ctx, institution: { kind: 'ASSESSMENT' } })).toEqual([
      'NOT_A_TRAINING_INSTITUTION@institutionId',
    ]);
    expect(codes(row(), { ...ctx, occupation: undefined })).toEqual(['OCCUPATION_UNKNOWN@occupationCode']);
    expect(codes(row({ level: 'LEVEL_1' }))).toEqual(['LEVEL_NOT_IN_CATALOGUE@level']);
  });

  it('refuses each date before the one it follows, on the later date', () => {
    expect(codes(row({ plannedStart: '2026-05-05' }))).toEqual(['HISTORY_DATES_OUT_OF_ORDER@plannedStart']);
    expect(codes(row({ plannedEnd: '2026-05-19' }))).toEqual(['HISTORY_DATES_OUT_OF_ORDER@plannedEnd']);
    expect(codes(row({ assessedOn: '2026-06-29' }))).toEqual(['HISTORY_DATES_OUT_OF_ORDER@assessedOn']);
    expect(codes(row({ closedOn: '2026-07-02' }))).toEqual(['HISTORY_DATES_OUT_OF_ORDER@closedOn']);
  });

  it('imports only what has closed: a closing date after today is refused', () => {
    expect(codes(row({ closedOn: '2026-12-03' }))).toEqual(['HISTORY_NOT_CLOSED@closedOn']);
  });

  it('refuses a count larger than the one it is part of, and a recovery larger than the advance', () => {
    expect(codes(row({ traineeCount: 41 }))).toEqual(['HISTORY_COUNT_EXCEEDS@traineeCount']);
    expect(codes(row({ passedCount: 39 }))).toEqual(['HISTORY_COUNT_EXCEEDS@passedCount']);
    expect(codes(row({ certifiedCount: 36 }))).toEqual(['HISTORY_COUNT_EXCEEDS@certifiedCount']);
    expect(codes(row({ employedCount: 36 }))).toEqual(['HISTORY_COUNT_EXCEEDS@employedCount']);
    expect(codes(row({ advancedFen: 100, recoveredFen: 101 }))).toEqual([
      'HISTORY_RECOVERY_EXCEEDS_ADVANCE@recoveredFen',
    ]);
    expect(codes(row({ advancedFen: 100, recoveredFen: 100 }))).toEqual([]);
  });

  it('reports every problem of a row at once, in both languages', () => {
    const found = checkHistoryClass(row({ passedCount: 39, closedOn: '2027-01-04', employedCount: 40 }), {
      ...ctx,
      institution: undefined,
    });
    expect(found.map((v) => v.code)).toEqual([
      'INSTITUTION_UNKNOWN',
      'HISTORY_NOT_CLOSED',
      'HISTORY_COUNT_EXCEEDS',
      'HISTORY_COUNT_EXCEEDS',
    ]);
    expect(found[2]).toMatchObject({
      zh: '合格人数（39）不能多于培训人数（38）',
      en: 'Passed (39) cannot exceed the trainees (38)',
    });
  });

  it('knows the same class imported again from one that differs in any figure', () => {
    expect(sameHistoryClass(row(), row())).toBe(true);
    expect(sameHistoryClass(row(), row({ paidFen: 4_123_451 }))).toBe(false);
    expect(sameHistoryClass(row(), row({ closedOn: '2026-10-16' }))).toBe(false);
  });

  it('checks a file row by row, naming each problem under its row, and a ref the file repeats on the later row', () => {
    const found = checkHistoryFile(
      [row(), row({ ref: 'B', passedCount: 39 }), row({ title: '同一编号' })],
      () => ctx,
    );
    expect(found.map((v) => `${v.code}@${v.field}`)).toEqual([
      'HISTORY_COUNT_EXCEEDS@1.passedCount',
      'HISTORY_DUPLICATE_REF@2.ref',
    ]);
    expect(found[1]).toMatchObject({ zh: '编号2026-0412与第1行重复', en: 'Ref 2026-0412 repeats row 1' });
    expect(checkHistoryFile([row(), row({ ref: 'B' })], () => ctx)).toEqual([]);
  });
});
