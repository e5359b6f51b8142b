/**
 * Occupation catalogue with subsidy standards (职业(工种)目录及补贴标准). DOMAIN.md "Catalogues".
 * Codes follow the Occupational Classification of the PRC, 2022 edition (中华人民共和国职业分类大典（2022年版）);
 * LEGACY_OCCUPATION_CODES maps 2015-edition codes that changed, for data written under the old edition.
 */
import { z } from 'zod';
import { percentOf, type Fen } from './money';
import { bilingual } from './issueText';

export const LEVELS = ['SPECIAL_ABILITY', 'LEVEL_5', 'LEVEL_4', 'LEVEL_3', 'LEVEL_2', 'LEVEL_1'] as const;
export type Level = (typeof LEVELS)[number];
export const LevelSchema = z.enum(LEVELS);

export const LEVEL_NAMES: Record<Level, { zh: string; en: string }> = {
  SPECIAL_ABILITY: { zh: '专项职业能力', en: 'Special vocational ability' },
  LEVEL_5: { zh: '初级工（五级）', en: 'Junior (level 5)' },
  LEVEL_4: { zh: '中级工（四级）', en: 'Intermediate (level 4)' },
  LEVEL_3: { zh: '高级工（三级）', en: 'Senior (level 3)' },
  LEVEL_2: { zh: '技师（二级）', en: 'Technician (level 2)' },
  LEVEL_1: { zh: '高级技师（一级）', en: 'Senior technician (level 1)' },
};

/**
 * Position on the skill ladder: SPECIAL_ABILITY 0, LEVEL_5 1 … LEVEL_1 5.
 * Special vocational ability is not a rung of the ladder (see isOnLadder); its rank only orders lists.
 */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** Levels 5…1 form the ladder on which "a lower level after a higher one" is judged. */
export function isOnLadder(level: Level): boolean {
  return level !== 'SPECIAL_ABILITY';
}

export const OccupationLevelStandardSchema = z.strictObject({
  level: LevelSchema,
  /** Training subsidy standard per person (补贴标准), fen. */
  standardFen: z.number().int().nonnegative(),
  /** Skills-evaluation subsidy (职业技能评价补贴) per person, fen. */
  evaluationFen: z.number().int().nonnegative(),
  /** Catalogue class hours (课时); a class may deviate within the policy's tolerance. */
  minHours: z.number().int().positive(),
});
export type OccupationLevelStandard = z.infer<typeof OccupationLevelStandardSchema>;

export const OccupationCodeSchema = z
  .string()
  .regex(
    /^\d-\d{2}-\d{2}-\d{2}$/,
    bilingual('职业编码格式如4-03-02-01', 'occupation code looks like 4-03-02-01'),
  );

export const OccupationSchema = z
  .strictObject({
    code: OccupationCodeSchema,
    name: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
    /** Urgently needed occupation (急需紧缺): may carry a higher standard. */
    shortage: z.boolean(),
    /** New occupation published by the ministry (人社部发布的新职业): a training certificate then qualifies (DOMAIN.md §7). */
    newOccupation: z.boolean(),
    levels: z.array(OccupationLevelStandardSchema).min(1),
  })
  .refine((o) => new Set(o.levels.map((l) => l.level)).size === o.levels.length, {
    message: bilingual('每个等级只能出现一次', 'each level appears at most once'),
    path: ['levels'],
  });
export type Occupation = z.infer<typeof OccupationSchema>;

export function standardFor(
  occupation: Pick<Occupation, 'levels'>,
  level: Level,
): OccupationLevelStandard | undefined {
  return occupation.levels.find((l) => l.level === level);
}

// --- Demonstration catalogue -------------------------------------------------------------------

/**
 * Standards per level in fen: 1000 / 1500 / 2000 yuan for levels 5 / 4 / 3 (DOMAIN.md: Wuxi and the national
 * skill-upgrade figures), technician 2500, senior technician 3000 (Heilongjiang), special ability 600.
 */
export const BASE_STANDARD_FEN: Record<Level, Fen> = {
  SPECIAL_ABILITY: 60_000,
  LEVEL_5: 100_000,
  LEVEL_4: 150_000,
  LEVEL_3: 200_000,
  LEVEL_2: 250_000,
  LEVEL_1: 300_000,
};
/** Shortage occupations (急需紧缺) are paid 10 % above the base standard in this catalogue. */
export const SHORTAGE_UPLIFT_PCT = 10;
/** Evaluation subsidy as a share of the training standard in this catalogue. */
export const EVALUATION_SHARE_PCT = 20;
/** Catalogue class hours per level (a policy may publish others per occupation). */
export const DEFAULT_MIN_HOURS: Record<Level, number> = {
  SPECIAL_ABILITY: 60,
  LEVEL_5: 80,
  LEVEL_4: 120,
  LEVEL_3: 160,
  LEVEL_2: 200,
  LEVEL_1: 240,
};

const ALL_SKILL_LEVELS: Level[] = ['LEVEL_5', 'LEVEL_4', 'LEVEL_3', 'LEVEL_2', 'LEVEL_1'];
const JUNIOR_TO_SENIOR: Level[] = ['LEVEL_5', 'LEVEL_4', 'LEVEL_3'];

interface CatalogueOptions {
  shortage?: boolean;
  newOccupation?: boolean;
  hours?: Partial<Record<Level, number>>;
}

function occupation(
  code: string,
  zh: string,
  en: string,
  levels: Level[],
  options: CatalogueOptions = {},
): Occupation {
  const shortage = options.shortage ?? false;
  return {
    code,
    name: { zh, en },
    shortage,
    newOccupation: options.newOccupation ?? false,
    levels: levels.map((level) => {
      const base = BASE_STANDARD_FEN[level];
      const standardFen = shortage ? percentOf(base, 100 + SHORTAGE_UPLIFT_PCT) : base;
      return {
        level,
        standardFen,
        evaluationFen: percentOf(standardFen, EVALUATION_SHARE_PCT),
        minHours: options.hours?.[level] ?? DEFAULT_MIN_HOURS[level],
      };
    }),
  };
}

/**
 * A catalogue of real occupations for demonstrations and tests; the administrator maintains the real one.
 * Levels follow the national occupational standards where known (e.g. 劳动关系协调师 starts at level 4,
 * 健康管理师 at level 3); "new" marks occupations the ministry published in the 2019–2020 batches.
 */
export const OCCUPATION_CATALOGUE: Occupation[] = [
  // 餐饮服务人员 4-03-02
  occupation('4-03-02-01', '中式烹调师', 'Chinese cuisine cook', ALL_SKILL_LEVELS),
  occupation('4-03-02-02', '中式面点师', 'Chinese pastry cook', ['SPECIAL_ABILITY', ...ALL_SKILL_LEVELS]),
  occupation('4-03-02-03', '西式烹调师', 'Western cuisine cook', JUNIOR_TO_SENIOR),
  occupation('4-03-02-04', '西式面点师', 'Western pastry cook', JUNIOR_TO_SENIOR),
  occupation('4-03-02-05', '餐厅服务员', 'Restaurant server', JUNIOR_TO_SENIOR),
  occupation('4-03-02-06', '营养配餐员', 'Nutrition catering worker', ['LEVEL_4', 'LEVEL_3']),
  occupation('4-03-02-07', '茶艺师', 'Tea art specialist', ['SPECIAL_ABILITY', ...JUNIOR_TO_SENIOR]),
  occupation('4-03-02-08', '咖啡师', 'Barista', JUNIOR_TO_SENIOR, { hours: { LEVEL_5: 90 } }),
  // 生活照料服务人员 4-10-01 (康养: Hebei 2024 key action)
  occupation('4-10-01-02', '育婴员', 'Infant care worker', JUNIOR_TO_SENIOR, { hours: { LEVEL_5: 120 } }),
  occupation('4-10-01-03', '保育师', 'Childcare worker', JUNIOR_TO_SENIOR, { shortage: true }),
  occupation('4-10-01-05', '养老护理员', 'Elderly care worker', ['SPECIAL_ABILITY', ...ALL_SKILL_LEVELS], {
    shortage: true,
  }),
  occupation(
    '4-10-01-06',
    '家政服务员',
    'Domestic service worker',
    ['SPECIAL_ABILITY', ...JUNIOR_TO_SENIOR],
    { shortage: true },
  ),
  // 美容美发 4-10-03, 保健服务 4-10-04
  occupation('4-10-03-01', '美容师', 'Beautician', [
    'SPECIAL_ABILITY',
    'LEVEL_5',
    'LEVEL_4',
    'LEVEL_3',
    'LEVEL_2',
  ]),
  occupation('4-10-03-02', '美发师', 'Hairdresser', ['LEVEL_5', 'LEVEL_4', 'LEVEL_3', 'LEVEL_2']),
  occupation('4-10-03-03', '美甲师', 'Nail technician', JUNIOR_TO_SENIOR),
  occupation('4-10-04-02', '保健按摩师', 'Health massage therapist', JUNIOR_TO_SENIOR),
  // 修理 4-12
  occupation('4-12-01-01', '汽车维修工', 'Motor vehicle maintenance worker', ALL_SKILL_LEVELS, {
    shortage: true,
  }),
  occupation('4-12-02-01', '计算机维修工', 'Computer repair worker', JUNIOR_TO_SENIOR),
  // 销售与电子商务 4-01 (数字技能: Hebei 2024 key action)
  occupation('4-01-02-01', '营销员', 'Salesperson', JUNIOR_TO_SENIOR),
  occupation('4-01-06-01', '电子商务师', 'E-commerce specialist', [
    'LEVEL_5',
    'LEVEL_4',
    'LEVEL_3',
    'LEVEL_2',
  ]),
  occupation('4-01-06-02', '互联网营销师', 'Internet marketing specialist', ALL_SKILL_LEVELS, {
    newOccupation: true,
  }),
  occupation('4-13-01-05', '全媒体运营师', 'Omni-media operator', ['LEVEL_4', 'LEVEL_3', 'LEVEL_2'], {
    newOccupation: true,
  }),
  // 信息技术 4-04
  occupation('4-04-05-01', '计算机程序设计员', 'Computer programmer', ['LEVEL_4', 'LEVEL_3', 'LEVEL_2']),
  occupation('4-04-05-05', '人工智能训练师', 'Artificial intelligence trainer', ALL_SKILL_LEVELS, {
    shortage: true,
    newOccupation: true,
  }),
  // 安全保护, 人力资源服务 4-07
  occupation('4-07-05-01', '保安员', 'Security guard', JUNIOR_TO_SENIOR),
  occupation('4-07-03-02', '劳动关系协调师', 'Labour relations coordinator', [
    'LEVEL_4',
    'LEVEL_3',
    'LEVEL_2',
    'LEVEL_1',
  ]),
  occupation('4-07-03-04', '企业人力资源管理师', 'Enterprise human resources manager', [
    'LEVEL_4',
    'LEVEL_3',
    'LEVEL_2',
    'LEVEL_1',
  ]),
  // 健康服务 4-14
  occupation('4-14-01-02', '医疗护理员', 'Medical care assistant', ['LEVEL_5', 'LEVEL_4'], {
    hours: { LEVEL_5: 120 },
  }),
  occupation('4-14-01-03', '健康照护师', 'Health caregiver', JUNIOR_TO_SENIOR, {
    shortage: true,
    newOccupation: true,
  }),
  occupation('4-14-02-02', '健康管理师', 'Health manager', ['LEVEL_3', 'LEVEL_2', 'LEVEL_1']),
  // 农业生产服务 5-05
  occupation('5-05-01-02', '农业经理人', 'Agricultural manager', JUNIOR_TO_SENIOR, { newOccupation: true }),
  // 机械加工, 焊接 6-18; 设备修理 6-31; 建筑施工 6-29 (制造业技能根基: Hebei 2024 key action)
  occupation('6-18-01-01', '车工', 'Lathe operator', ALL_SKILL_LEVELS, { shortage: true }),
  occupation('6-18-01-02', '铣工', 'Milling machine operator', ALL_SKILL_LEVELS),
  occupation('6-18-02-04', '焊工', 'Welder', ALL_SKILL_LEVELS, { shortage: true }),
  occupation('6-31-01-02', '机修钳工', 'Maintenance fitter', ALL_SKILL_LEVELS),
  occupation('6-31-01-03', '电工', 'Electrician', ALL_SKILL_LEVELS, { shortage: true }),
  occupation('6-29-01-01', '砌筑工', 'Bricklayer', JUNIOR_TO_SENIOR),
  occupation(
    '6-29-03-03',
    '电梯安装维修工',
    'Elevator installation and maintenance worker',
    JUNIOR_TO_SENIOR,
  ),
];

/**
 * 2015-edition codes (and the 2020 new-occupation announcements made under it) that the 2022 edition changed.
 * Old records and imports may still carry them.
 */
export const LEGACY_OCCUPATION_CODES: Readonly<Record<string, string>> = {
  '4-01-02-02': '4-01-06-01', // 电子商务师
  '4-01-02-07': '4-01-06-02', // 互联网营销师
  '4-13-05-04': '4-13-01-05', // 全媒体运营师
};

/** Finds an occupation by its code, accepting a 2015-edition code that the 2022 edition changed. */
export function findOccupation(
  code: string,
  catalogue: readonly Occupation[] = OCCUPATION_CATALOGUE,
): Occupation | undefined {
  const current = LEGACY_OCCUPATION_CODES[code] ?? code;
  return catalogue.find((o) => o.code === current);
}
