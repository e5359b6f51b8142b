// 审核要点: the plan checks a caseworker reviews, run again by the SAME domain rules that refused or admitted the
// plan when it was filed (domain/plan.ts validatePlan), as of the day the plan under review was filed (so the
// lead time is judged as it was), against today's catalogue and designations (a designation withdrawn since
// shows). The rules report only what is wrong; the list below only names the groups they belong to, so the
// reviewer also sees what passed. Any code not named here still shows, as its own failed check.
import type { z } from 'zod';
import type { TrainingClass } from '@prisma/client';
import type { AppDeps } from './context';
import { loadPlanContext, policyOf, todayInShanghai } from './planContext';
import { shanghaiDate } from '../domain/dates';
import { validatePlan } from '../domain/plan';
import type { RuleViolation } from '../domain/rules';
import type { PlanChecksSchema } from './responses';
import type * as m from '../workflows/messages';

type Label = { zh: string; en: string };

/** The groups of validatePlan's codes, in the order a reviewer reads a plan. */
const GROUPS: { id: string; label: Label; codes: readonly string[] }[] = [
  {
    id: 'OCCUPATION',
    label: { zh: '职业（工种）及等级在目录中', en: 'Occupation and level are in the catalogue' },
    codes: ['OCCUPATION_UNKNOWN', 'LEVEL_NOT_IN_CATALOGUE'],
  },
  {
    id: 'INSTITUTION',
    label: {
      zh: '培训机构具备该职业承训资格且在有效期内',
      en: 'The institution is designated for it, in date',
    },
    codes: ['INSTITUTION_NOT_DESIGNATED', 'NOT_A_TRAINING_INSTITUTION', 'INSTITUTION_DESIGNATION_EXPIRED'],
  },
  {
    id: 'CAPACITY',
    label: { zh: '计划人数不超过每班上限', en: 'Capacity within the cap per class' },
    codes: ['CAPACITY_INVALID', 'CAPACITY_EXCEEDED'],
  },
  {
    id: 'CLASS_HOURS',
    label: { zh: '计划课时符合目录课时', en: 'Class hours match the catalogue' },
    codes: ['CLASS_HOURS_OUT_OF_RANGE'],
  },
  {
    id: 'PERIOD',
    label: { zh: '培训期起止日期有效', en: 'The training period is valid' },
    codes: ['PLANNED_END_BEFORE_START'],
  },
  {
    id: 'LEAD_TIME',
    label: { zh: '按规定提前提交开班申请', en: 'Filed the required working days ahead' },
    codes: ['PLAN_LEAD_TIME'],
  },
  {
    id: 'ASSESSMENT_DATE',
    label: { zh: '考核评价日期在规定期限内', en: 'Assessment date within the allowed days' },
    codes: ['ASSESSMENT_DATE_OUT_OF_RANGE'],
  },
  {
    id: 'ASSESSMENT_BODY',
    label: { zh: '评价机构有效', en: 'The assessment body is designated on that date' },
    codes: ['ASSESSMENT_BODY_UNKNOWN', 'NOT_AN_ASSESSMENT_BODY', 'ASSESSMENT_BODY_EXPIRED'],
  },
  {
    id: 'FUNDING_CHANNEL',
    label: { zh: '资金渠道符合政策', en: 'The funding channel is one the policy allows' },
    codes: ['FUNDING_CHANNEL_UNKNOWN'],
  },
  {
    id: 'COURSE_TABLE',
    label: { zh: '课程表完整，课程在培训期内', en: 'Course table complete, lessons inside the period' },
    codes: [
      'COURSE_TABLE_EMPTY',
      'LESSON_OUTSIDE_PERIOD',
      'LESSON_HOURS_OUT_OF_RANGE',
      'LESSON_TIME_INVALID',
    ],
  },
  {
    id: 'COURSE_HOURS',
    label: { zh: '课程表合计学时不超过计划课时', en: 'Course table hours within the class hours' },
    codes: ['COURSE_HOURS_EXCEED_CLASS_HOURS'],
  },
];

const message = (v: RuleViolation) => ({ code: v.code, field: v.field ?? null, zh: v.zh, en: v.en });

/** The checks of the plan as the read model holds it (the plan under review), as of `filedAt`. */
export async function planChecks(
  deps: AppDeps,
  row: TrainingClass,
  filedAt: Date,
): Promise<z.output<typeof PlanChecksSchema>> {
  const plan = JSON.parse(row.plan) as m.ClassPlan;
  const filedOn = shanghaiDate(filedAt.toISOString());
  const ctx = await loadPlanContext(deps, plan, row.institutionId);
  // The policy bound at submission (the one the plan was filed under), and the day it was filed.
  const policy = await policyOf(deps, row.policyVersionId, filedOn);
  const violations = validatePlan(plan, { ...ctx, today: filedOn, policy });
  const grouped = new Set(GROUPS.flatMap((g) => g.codes));
  const checks = [
    ...GROUPS.map((g) => {
      const found = violations.filter((v) => g.codes.includes(v.code));
      return { id: g.id, label: g.label, passed: found.length === 0, violations: found.map(message) };
    }),
    ...violations
      .filter((v) => !grouped.has(v.code))
      .map((v) => ({ id: v.code, label: { zh: v.zh, en: v.en }, passed: false, violations: [message(v)] })),
  ];
  const courseTableHours = plan.courseTable.reduce((sum, l) => sum + l.hours, 0);
  const standard = ctx.occupation?.levels.find((l) => l.level === plan.level);
  return {
    classId: row.id,
    filedOn,
    checkedOn: todayInShanghai(),
    passed: violations.length === 0,
    checks,
    totals: {
      lessons: plan.courseTable.length,
      courseTableHours,
      classHours: plan.classHours,
      catalogueHours: standard?.minHours ?? null,
      capacity: plan.capacity,
      capacityCap: policy.caps.traineesPerClass,
    },
  };
}
