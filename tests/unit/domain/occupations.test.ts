import {
  findOccupation,
  isOnLadder,
  LEVEL_NAMES,
  LEVELS,
  levelRank,
  OCCUPATION_CATALOGUE,
  OccupationSchema,
  standardFor,
} from '../../../domain/occupations';

const byCode = (code: string) => {
  const occupation = findOccupation(code);
  if (!occupation) throw new Error(`missing ${code}`);
  return occupation;
};

describe('levels', () => {
  it('ranks special ability below the ladder from level 5 (初级) up to level 1 (高级技师)', () => {
    expect(LEVELS.map(levelRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(levelRank('LEVEL_1')).toBeGreaterThan(levelRank('LEVEL_3'));
    expect(isOnLadder('SPECIAL_ABILITY')).toBe(false);
    expect(isOnLadder('LEVEL_5')).toBe(true);
    expect(LEVEL_NAMES.LEVEL_2.zh).toContain('技师');
  });
});

describe('the occupation catalogue', () => {
  it('holds at least 32 occupations, each valid against the schema, with unique codes', () => {
    expect(OCCUPATION_CATALOGUE.length).toBeGreaterThanOrEqual(32);
    for (const occupation of OCCUPATION_CATALOGUE)
      expect(OccupationSchema.safeParse(occupation).success).toBe(true);
    expect(new Set(OCCUPATION_CATALOGUE.map((o) => o.code)).size).toBe(OCCUPATION_CATALOGUE.length);
  });

  it.each([
    ['4-03-02-01', '中式烹调师'],
    ['6-31-01-03', '电工'],
    ['6-18-02-04', '焊工'],
    ['4-10-01-05', '养老护理员'],
    ['5-05-01-02', '农业经理人'],
  ])('lists %s as %s', (code, zh) => {
    expect(byCode(code).name.zh).toBe(zh);
  });

  it('pays 1000 / 1500 / 2000 yuan for levels 5 / 4 / 3 and 600 for special ability', () => {
    const cook = byCode('4-03-02-02');
    expect(standardFor(cook, 'LEVEL_5')?.standardFen).toBe(100_000);
    expect(standardFor(cook, 'LEVEL_4')?.standardFen).toBe(150_000);
    expect(standardFor(cook, 'LEVEL_3')?.standardFen).toBe(200_000);
    expect(standardFor(cook, 'LEVEL_2')?.standardFen).toBe(250_000);
    expect(standardFor(cook, 'LEVEL_1')?.standardFen).toBe(300_000);
    expect(standardFor(cook, 'SPECIAL_ABILITY')?.standardFen).toBe(60_000);
  });

  it('raises the standard of a shortage occupation by 10 %', () => {
    const welder = byCode('6-18-02-04');
    expect(welder.shortage).toBe(true);
    expect(standardFor(welder, 'LEVEL_4')?.standardFen).toBe(165_000);
    expect(standardFor(welder, 'LEVEL_4')?.evaluationFen).toBe(33_000);
  });

  it('has no standard for a level the occupation does not have', () => {
    expect(standardFor(byCode('4-14-02-02'), 'LEVEL_5')).toBeUndefined();
  });

  it('marks ministry-published new occupations', () => {
    expect(byCode('4-01-06-02').newOccupation).toBe(true);
    expect(byCode('5-05-01-02').newOccupation).toBe(true);
    expect(byCode('4-03-02-01').newOccupation).toBe(false);
  });

  it('finds an occupation by its 2015-edition code', () => {
    expect(findOccupation('4-01-02-07')?.name.zh).toBe('互联网营销师');
    expect(findOccupation('9-99-99-99')).toBeUndefined();
  });

  it('refuses an occupation with a malformed code or a level listed twice', () => {
    const valid = byCode('4-03-02-01');
    expect(OccupationSchema.safeParse({ ...valid, code: '40302' }).success).toBe(false);
    const level = valid.levels[0];
    expect(OccupationSchema.safeParse({ ...valid, levels: [level, level] }).success).toBe(false);
    expect(
      OccupationSchema.safeParse({
        ...valid,
        levels: [{ level: 'LEVEL_5', standardFen: 1.5, evaluationFen: 0, minHours: 80 }],
      }).success,
    ).toBe(false);
  });
});
