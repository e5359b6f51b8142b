/**
 * Plan submission checks (开班申请, DOMAIN.md "The life of a class" §1): what a class plan must satisfy before
 * it reaches a caseworker. Pure: the caller loads the catalogue entries, the policy in force and the calendar.
 * Every violation is reported at once (a violation is a value, STYLE.md), each with the plan field it concerns.
 */
import { daysPeriod, workingDaysPeriod, type WorkingCalendar } from './calendar';
import { compareDates } from './dates';
import { LEGACY_OCCUPATION_CODES, type Level, type OccupationLevelStandard } from './occupations';
import type { PolicyVersion } from './policy';
import { violation, type RuleViolation } from './rules';
import { checkClassHours } from './subsidy';
import { MAX_LESSON_HOURS } from './classRules';

/** The plan fields these rules read (structurally the workflow's ClassPlan). */
export interface PlanInput {
  occupationCode: string;
  level: Level;
  plannedStart: string;
  plannedEnd: string;
  classHours: number;
  capacity: number;
  fundingChannel: string;
  courseTable: { date: string; hours: number; start: string; end: string }[];
  assessmentBodyId: string;
  plannedAssessmentDate: string;
}

export interface Designation {
  /** TRAINING (培训机构) or ASSESSMENT (评价机构) */
  kind: string;
  validFrom: string;
  validTo: string;
}

export interface PlanContext {
  /** the filing date, Asia/Shanghai */
  today: string;
  calendar: WorkingCalendar;
  policy: PolicyVersion;
  /** the catalogue entry of plan.occupationCode, undefined when it is not in the catalogue */
  occupation?: { code: string; levels: readonly OccupationLevelStandard[] };
  /** the filing institution: occupation codes it may run (承训机构目录) and its designation period */
  institution: Designation & { courses: readonly string[] };
  /** the booked assessment body (预约评价), undefined when no such institution exists */
  assessmentBody?: Designation;
}

export function validatePlan(plan: PlanInput, ctx: PlanContext): RuleViolation[] {
  const out: RuleViolation[] = [];
  const add = (v: RuleViolation | null) => void (v && out.push(v));
  const { policy, calendar } = ctx;

  // Catalogue (两目录): the occupation and level exist, and the institution is designated for them.
  const standard = ctx.occupation?.levels.find((l) => l.level === plan.level);
  if (!ctx.occupation)
    add(
      violation(
        'OCCUPATION_UNKNOWN',
        `职业（工种）${plan.occupationCode}不在目录中`,
        `Occupation ${plan.occupationCode} is not in the catalogue`,
        'occupationCode',
      ),
    );
  else if (!standard)
    add(
      violation(
        'LEVEL_NOT_IN_CATALOGUE',
        '该职业（工种）目录中无此等级的补贴标准',
        'The catalogue has no subsidy standard for this occupation at this level',
        'level',
      ),
    );
  const codes = new Set([
    plan.occupationCode,
    LEGACY_OCCUPATION_CODES[plan.occupationCode] ?? plan.occupationCode,
  ]);
  if (!ctx.institution.courses.some((c) => codes.has(c) || codes.has(LEGACY_OCCUPATION_CODES[c] ?? c)))
    add(
      violation(
        'INSTITUTION_NOT_DESIGNATED',
        '本机构未列入该职业（工种）的承训机构目录',
        'The institution is not designated to train this occupation',
        'occupationCode',
      ),
    );
  if (ctx.institution.kind !== 'TRAINING')
    add(
      violation(
        'NOT_A_TRAINING_INSTITUTION',
        '仅培训机构可申请开班',
        'Only a training institution files class plans',
      ),
    );
  if (
    compareDates(plan.plannedStart, ctx.institution.validFrom) < 0 ||
    compareDates(plan.plannedEnd, ctx.institution.validTo) > 0
  )
    add(
      violation(
        'INSTITUTION_DESIGNATION_EXPIRED',
        `培训期不在本机构承训资格有效期（${ctx.institution.validFrom}至${ctx.institution.validTo}）内`,
        `The training period is outside the institution's designation (${ctx.institution.validFrom} to ${ctx.institution.validTo})`,
        'plannedEnd',
      ),
    );

  // Size and hours.
  if (plan.capacity < 1)
    add(
      violation(
        'CAPACITY_INVALID',
        '计划人数至少为1人',
        'The class must plan at least one trainee',
        'capacity',
      ),
    );
  else if (plan.capacity > policy.caps.traineesPerClass)
    add(
      violation(
        'CAPACITY_EXCEEDED',
        `每班不得超过${policy.caps.traineesPerClass}人`,
        `A class may have at most ${policy.caps.traineesPerClass} trainees`,
        'capacity',
      ),
    );
  if (standard) add(checkClassHours(plan.classHours, standard.minHours, policy));

  // Dates: the period, the lead time before the start, the assessment within N days after the end.
  const periodOk = compareDates(plan.plannedEnd, plan.plannedStart) >= 0;
  if (!periodOk)
    add(
      violation(
        'PLANNED_END_BEFORE_START',
        '结束日期早于开始日期',
        'The planned end is before the planned start',
        'plannedEnd',
      ),
    );
  const lead = policy.deadlines.planLeadWorkingDays;
  const earliestStart = workingDaysPeriod(calendar, ctx.today, lead).endDate;
  if (compareDates(plan.plannedStart, earliestStart) < 0)
    add(
      violation(
        'PLAN_LEAD_TIME',
        `开班申请须至少提前${lead}个工作日提交：最早开班日期为${earliestStart}`,
        `A plan is filed at least ${lead} working days ahead: the earliest start is ${earliestStart}`,
        'plannedStart',
      ),
    );
  if (periodOk) {
    const latest = daysPeriod(calendar, plan.plannedEnd, policy.deadlines.assessmentDays).endDate;
    if (
      compareDates(plan.plannedAssessmentDate, plan.plannedEnd) < 0 ||
      compareDates(plan.plannedAssessmentDate, latest) > 0
    )
      add(
        violation(
          'ASSESSMENT_DATE_OUT_OF_RANGE',
          `考核评价须在培训结束后${policy.deadlines.assessmentDays}日内完成（${plan.plannedEnd}至${latest}）`,
          `The assessment is due within ${policy.deadlines.assessmentDays} days after training ends (${plan.plannedEnd} to ${latest})`,
          'plannedAssessmentDate',
        ),
      );
  }

  // The booked assessment body (预约评价) is on the published list and valid on the assessment date.
  const body = ctx.assessmentBody;
  if (!body)
    add(
      violation(
        'ASSESSMENT_BODY_UNKNOWN',
        '所选评价机构不存在',
        'No such assessment body',
        'assessmentBodyId',
      ),
    );
  else if (body.kind !== 'ASSESSMENT')
    add(
      violation(
        'NOT_AN_ASSESSMENT_BODY',
        '所选机构不是考核评价机构',
        'The chosen institution is not an assessment body',
        'assessmentBodyId',
      ),
    );
  else if (
    compareDates(plan.plannedAssessmentDate, body.validFrom) < 0 ||
    compareDates(plan.plannedAssessmentDate, body.validTo) > 0
  )
    add(
      violation(
        'ASSESSMENT_BODY_EXPIRED',
        '评价机构在计划考核日期不在有效期内',
        'The assessment body is not designated on the planned assessment date',
        'assessmentBodyId',
      ),
    );

  if (!policy.fundingChannels.includes(plan.fundingChannel))
    add(
      violation(
        'FUNDING_CHANNEL_UNKNOWN',
        '资金渠道不在政策允许范围内',
        'The funding channel is not one the policy allows',
        'fundingChannel',
      ),
    );

  // Course table (课程表): lessons inside the period, each a sensible length, together no more than the class hours.
  if (plan.courseTable.length === 0)
    add(violation('COURSE_TABLE_EMPTY', '课程表不能为空', 'The course table is empty', 'courseTable'));
  let total = 0;
  plan.courseTable.forEach((lesson, i) => {
    total += lesson.hours;
    if (
      periodOk &&
      (compareDates(lesson.date, plan.plannedStart) < 0 || compareDates(lesson.date, plan.plannedEnd) > 0)
    )
      add(
        violation(
          'LESSON_OUTSIDE_PERIOD',
          '课程日期不在培训期内',
          'The lesson date is outside the training period',
          `courseTable.${i}.date`,
        ),
      );
    if (!(lesson.hours > 0 && lesson.hours <= MAX_LESSON_HOURS))
      add(
        violation(
          'LESSON_HOURS_OUT_OF_RANGE',
          `每节课课时须大于0且不超过${MAX_LESSON_HOURS}`,
          `A lesson lasts more than 0 and at most ${MAX_LESSON_HOURS} hours`,
          `courseTable.${i}.hours`,
        ),
      );
    if (!(lesson.start < lesson.end))
      add(
        violation(
          'LESSON_TIME_INVALID',
          '下课时间须晚于上课时间',
          'A lesson ends after it starts',
          `courseTable.${i}.end`,
        ),
      );
  });
  if (total > plan.classHours)
    add(
      violation(
        'COURSE_HOURS_EXCEED_CLASS_HOURS',
        `课程表合计${total}学时，超过计划课时${plan.classHours}学时`,
        `The course table adds up to ${total} hours, more than the ${plan.classHours} class hours`,
        'courseTable',
      ),
    );
  return out;
}
