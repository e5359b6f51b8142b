/**
 * The rules a class's commands are checked against (DOMAIN.md "The life of a class"), as values: the class
 * workflow's validators refuse with these, and re-check them inside a handler once earlier requests have been
 * applied, so a rule holds however requests interleave. Pure: no Temporal, no I/O.
 */
import { violation, type RuleViolation } from './rules';

/** DOMAIN.md §4: a lesson (and one trainee's attendance in it) lasts at most a long working day. */
export const MAX_LESSON_HOURS = 12;

export type Check = RuleViolation | undefined;

export const wrongStage = (stage: string, allowed: readonly string[]): Check =>
  allowed.includes(stage)
    ? undefined
    : violation(
        'WRONG_STAGE',
        `当前阶段（${stage}）不能进行此操作`,
        `Not allowed while the class is ${stage}`,
        'stage',
      );

export const forbiddenActor = (allowed: boolean, zh = '无权对该班级进行此操作'): Check =>
  allowed ? undefined : violation('FORBIDDEN_ACTOR', zh, 'This actor may not do that on this class', 'actor');

/** Once a cancellation is acknowledged, or the case is closing, nothing else is taken. */
export const classEnding = (ending: boolean): Check =>
  ending
    ? violation(
        'CLASS_ENDING',
        '该班级已撤销或正在办结，不再受理此操作',
        'The class is cancelled or closing and takes no further commands',
        'stage',
      )
    : undefined;

export const reasonRequired = (text: string | undefined, zh: string, en: string, field = 'reason'): Check =>
  text?.trim() ? undefined : violation('REASON_REQUIRED', zh, en, field);

export const rosterFrozen = (started: boolean, field: string): Check =>
  started
    ? violation(
        'ROSTER_FROZEN',
        '培训已开始，花名册已冻结',
        'Training has started: the roster is frozen',
        field,
      )
    : undefined;

/**
 * 报名: a roster is admitted only as a whole — nobody twice on the class (by person or enrolment id) and no
 * more than the class holds (the plan's capacity, at most the policy's cap per class).
 */
export function rosterAdmits(roster: {
  enrolledPersonKeys: Iterable<string>;
  knownEnrollmentIds: Iterable<string>;
  enrolledCount: number;
  capacity: number;
  applicants: readonly { personKey: string; enrollmentId: string }[];
}): Check {
  if (!roster.applicants.length)
    return violation('EMPTY_ROSTER', '未提交学员', 'No trainees given', 'trainees');
  const keys = new Set(roster.enrolledPersonKeys);
  const ids = new Set(roster.knownEnrollmentIds);
  for (const [i, t] of roster.applicants.entries()) {
    if (keys.has(t.personKey))
      return violation(
        'ALREADY_ENROLLED',
        '该学员已在本班花名册中',
        'This person is already on the roster',
        `trainees.${i}`,
      );
    if (ids.has(t.enrollmentId))
      return violation(
        'DUPLICATE_ENROLLMENT_ID',
        '报名编号重复',
        'Duplicate enrollment id',
        `trainees.${i}.enrollmentId`,
      );
    keys.add(t.personKey);
    ids.add(t.enrollmentId);
  }
  if (roster.enrolledCount + roster.applicants.length > roster.capacity)
    return violation(
      'CLASS_FULL',
      `超出班级容量（${roster.capacity}人）`,
      `The class holds at most ${roster.capacity} trainees`,
      'trainees',
    );
  return undefined;
}

export const lessonHoursInRange = (hours: number, field: string): Check =>
  hours >= 0 && hours <= MAX_LESSON_HOURS
    ? undefined
    : violation(
        'HOURS_OUT_OF_RANGE',
        `课时须在0至${MAX_LESSON_HOURS}之间`,
        `Hours must be between 0 and ${MAX_LESSON_HOURS}`,
        field,
      );

/**
 * DOMAIN.md §6: employment counts when it began after training ended and no later than the window's last day
 * (3 months after the end of training, Civil Code art. 202/203).
 */
export function employmentWithinWindow(
  employedOn: string,
  window: { trainingEnd: string; endsOn: string },
  field = 'employedOn',
): Check {
  if (employedOn > window.trainingEnd && employedOn <= window.endsOn) return undefined;
  return violation(
    'OUTSIDE_WINDOW',
    `就业日期须在培训结束（${window.trainingEnd}）之后、跟踪期截止日（${window.endsOn}）之前`,
    `The employment date must be after the end of training (${window.trainingEnd}) and no later than ${window.endsOn}`,
    field,
  );
}

export const windowClosed = (closed: boolean): Check =>
  closed
    ? violation(
        'WINDOW_CLOSED',
        '就业跟踪期已结束，不再接收就业材料',
        'The employment follow-up window has closed',
        'evidence',
      )
    : undefined;
