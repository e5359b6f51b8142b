// domain/plan.ts: what a class plan must satisfy before it reaches a caseworker (DOMAIN.md §1).
import { validatePlan, type PlanContext, type PlanInput } from '../../../domain/plan';
import { WorkingCalendar } from '../../../domain/calendar';
import { HEBEI_2024 } from '../../../domain/policy';
import { codes } from './builders';

// Filed Wed 2026-09-30, the last working day before the National Day holiday (10-01..10-07, make-up Sat 10-10):
// the 5th working day after it is Tue 10-13 (10-08, 10-09, make-up 10-10, 10-12, 10-13).
const TODAY = '2026-09-30';

function aPlan(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    occupationCode: '4-03-02-01',
    level: 'LEVEL_5',
    plannedStart: '2026-10-13',
    plannedEnd: '2026-10-30',
    classHours: 72,
    capacity: 30,
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    courseTable: [{ date: '2026-10-13', hours: 8, start: '08:30', end: '17:30' }],
    assessmentBodyId: 'assess-sjz-01',
    plannedAssessmentDate: '2026-11-03',
    ...overrides,
  };
}

function aContext(overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    today: TODAY,
    calendar: new WorkingCalendar(),
    policy: HEBEI_2024,
    occupation: {
      code: '4-03-02-01',
      levels: [{ level: 'LEVEL_5', standardFen: 100_000, evaluationFen: 20_000, minHours: 80 }],
    },
    institution: {
      kind: 'TRAINING',
      validFrom: '2024-01-01',
      validTo: '2027-12-31',
      courses: ['4-03-02-01'],
    },
    assessmentBody: { kind: 'ASSESSMENT', validFrom: '2024-01-01', validTo: '2027-12-31' },
    ...overrides,
  };
}

describe('validatePlan', () => {
  it('accepts a plan filed exactly 5 working days ahead across the National Day holiday', () => {
    expect(validatePlan(aPlan(), aContext())).toEqual([]);
  });

  const cases: [string, Partial<PlanInput>, Partial<PlanContext>, string, string][] = [
    [
      'an occupation outside the catalogue',
      {},
      { occupation: undefined },
      'OCCUPATION_UNKNOWN',
      'occupationCode',
    ],
    [
      'a level the catalogue has no standard for',
      { level: 'LEVEL_1' },
      {},
      'LEVEL_NOT_IN_CATALOGUE',
      'level',
    ],
    [
      'an institution not designated for the occupation',
      {},
      {
        institution: {
          kind: 'TRAINING',
          validFrom: '2024-01-01',
          validTo: '2027-12-31',
          courses: ['4-10-01-05'],
        },
      },
      'INSTITUTION_NOT_DESIGNATED',
      'occupationCode',
    ],
    [
      'a designation that ends before the class does',
      {},
      {
        institution: {
          kind: 'TRAINING',
          validFrom: '2024-01-01',
          validTo: '2026-10-20',
          courses: ['4-03-02-01'],
        },
      },
      'INSTITUTION_DESIGNATION_EXPIRED',
      'plannedEnd',
    ],
    ['more trainees than the policy allows per class', { capacity: 51 }, {}, 'CAPACITY_EXCEEDED', 'capacity'],
    ['no trainees at all', { capacity: 0 }, {}, 'CAPACITY_INVALID', 'capacity'],
    [
      'hours more than 20 % under the catalogue',
      { classHours: 63 },
      {},
      'CLASS_HOURS_OUT_OF_RANGE',
      'classHours',
    ],
    [
      'hours more than 20 % over the catalogue',
      { classHours: 97 },
      {},
      'CLASS_HOURS_OUT_OF_RANGE',
      'classHours',
    ],
    ['an end before the start', { plannedEnd: '2026-10-12' }, {}, 'PLANNED_END_BEFORE_START', 'plannedEnd'],
    [
      'a start only 4 working days ahead',
      { plannedStart: '2026-10-10' },
      {},
      'PLAN_LEAD_TIME',
      'plannedStart',
    ],
    [
      'an assessment booked later than 7 days after the end',
      { plannedAssessmentDate: '2026-11-09' },
      {},
      'ASSESSMENT_DATE_OUT_OF_RANGE',
      'plannedAssessmentDate',
    ],
    [
      'an assessment before the training ends',
      { plannedAssessmentDate: '2026-10-29' },
      {},
      'ASSESSMENT_DATE_OUT_OF_RANGE',
      'plannedAssessmentDate',
    ],
    [
      'an assessment body that does not exist',
      {},
      { assessmentBody: undefined },
      'ASSESSMENT_BODY_UNKNOWN',
      'assessmentBodyId',
    ],
    [
      'a training institution booked as the assessment body',
      {},
      { assessmentBody: { kind: 'TRAINING', validFrom: '2024-01-01', validTo: '2027-12-31' } },
      'NOT_AN_ASSESSMENT_BODY',
      'assessmentBodyId',
    ],
    [
      'an assessment body whose listing has lapsed',
      {},
      { assessmentBody: { kind: 'ASSESSMENT', validFrom: '2024-01-01', validTo: '2026-10-31' } },
      'ASSESSMENT_BODY_EXPIRED',
      'assessmentBodyId',
    ],
    [
      'a funding channel the policy does not name',
      { fundingChannel: 'LOTTERY' },
      {},
      'FUNDING_CHANNEL_UNKNOWN',
      'fundingChannel',
    ],
    ['an empty course table', { courseTable: [] }, {}, 'COURSE_TABLE_EMPTY', 'courseTable'],
    [
      'a lesson outside the training period',
      { courseTable: [{ date: '2026-11-02', hours: 8, start: '08:30', end: '17:30' }] },
      {},
      'LESSON_OUTSIDE_PERIOD',
      'courseTable.0.date',
    ],
    [
      'a lesson of 13 hours',
      { courseTable: [{ date: '2026-10-13', hours: 13, start: '07:00', end: '20:00' }] },
      {},
      'LESSON_HOURS_OUT_OF_RANGE',
      'courseTable.0.hours',
    ],
    [
      'a lesson that ends before it starts',
      { courseTable: [{ date: '2026-10-13', hours: 4, start: '14:00', end: '10:00' }] },
      {},
      'LESSON_TIME_INVALID',
      'courseTable.0.end',
    ],
    [
      'a course table longer than the class hours',
      {
        courseTable: Array.from({ length: 10 }, (_, i) => ({
          date: `2026-10-${13 + i}`,
          hours: 8,
          start: '08:30',
          end: '17:30',
        })),
      },
      {},
      'COURSE_HOURS_EXCEED_CLASS_HOURS',
      'courseTable',
    ],
  ];

  it.each(cases)('refuses %s', (_name, plan, ctx, code, field) => {
    const violations = validatePlan(aPlan(plan), aContext(ctx));
    expect(codes(violations)).toContain(code);
    expect(violations.find((v) => v.code === code)?.field).toBe(field);
    expect(violations.every((v) => v.zh && v.en)).toBe(true);
  });

  it('reports every violation at once', () => {
    const violations = validatePlan(
      aPlan({ capacity: 99, classHours: 10, fundingChannel: 'X' }),
      aContext({ assessmentBody: undefined }),
    );
    expect(codes(violations).sort()).toEqual(
      [
        'ASSESSMENT_BODY_UNKNOWN',
        'CAPACITY_EXCEEDED',
        'CLASS_HOURS_OUT_OF_RANGE',
        'FUNDING_CHANNEL_UNKNOWN',
      ].sort(),
    );
  });

  it('accepts an occupation listed for the institution under its 2015-edition code', () => {
    const ctx = aContext({
      occupation: {
        code: '4-01-06-01',
        levels: [{ level: 'LEVEL_5', standardFen: 100_000, evaluationFen: 20_000, minHours: 80 }],
      },
      institution: {
        kind: 'TRAINING',
        validFrom: '2024-01-01',
        validTo: '2027-12-31',
        courses: ['4-01-02-02'],
      },
    });
    expect(validatePlan(aPlan({ occupationCode: '4-01-06-01' }), ctx)).toEqual([]);
  });
});
