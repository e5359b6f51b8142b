/**
 * Trainee categories (培训对象). DOMAIN.md "Who may be subsidised" (policy, Hebei 2024): the six key groups
 * (六类人员) plus eligible enterprise employees (企业职工). Kept apart from eligibility.ts so that policy.ts
 * can name categories without an import cycle.
 */
import { z } from 'zod';

export const TRAINEE_CATEGORIES = [
  'POVERTY_MONITORED',
  'GRADUATING_STUDENT',
  'UNENROLLED_SCHOOL_LEAVER',
  'RURAL_MIGRANT',
  'REGISTERED_UNEMPLOYED',
  'EMPLOYMENT_DIFFICULTY',
  'ENTERPRISE_EMPLOYEE',
] as const;

export const TraineeCategorySchema = z.enum(TRAINEE_CATEGORIES);
export type TraineeCategory = z.infer<typeof TraineeCategorySchema>;
/** The brief's name for the schema: `TraineeCategory.parse(x)` reads well at call sites. */
export const TraineeCategory = TraineeCategorySchema;

/** The six key groups (六类人员): the only ones eligible for the skills-evaluation subsidy. */
export const KEY_GROUPS: readonly TraineeCategory[] = [
  'POVERTY_MONITORED',
  'GRADUATING_STUDENT',
  'UNENROLLED_SCHOOL_LEAVER',
  'RURAL_MIGRANT',
  'REGISTERED_UNEMPLOYED',
  'EMPLOYMENT_DIFFICULTY',
];

export const TRAINEE_CATEGORY_NAMES: Record<TraineeCategory, { zh: string; en: string }> = {
  POVERTY_MONITORED: { zh: '防止返贫监测对象', en: 'Household monitored for risk of returning to poverty' },
  GRADUATING_STUDENT: { zh: '毕业年度高校毕业生', en: 'College graduate in the graduation year' },
  UNENROLLED_SCHOOL_LEAVER: {
    zh: '城乡未继续升学的应届初高中毕业生',
    en: 'Junior or senior high-school leaver not continuing study',
  },
  RURAL_MIGRANT: { zh: '农村转移就业劳动者', en: 'Rural worker moving to non-farm work' },
  REGISTERED_UNEMPLOYED: { zh: '城镇登记失业人员', en: 'Registered urban unemployed person' },
  EMPLOYMENT_DIFFICULTY: { zh: '就业困难人员', en: 'Person with employment difficulties' },
  ENTERPRISE_EMPLOYEE: { zh: '企业职工', en: 'Enterprise employee' },
};

export function isKeyGroup(category: TraineeCategory): boolean {
  return KEY_GROUPS.includes(category);
}
