/**
 * One scenario builder for the domain tests (STYLE.md "Tests"): people, class slots, history and outcomes
 * with sensible defaults, overridden per case.
 */
import type { Applicant, ClassSlot, SubsidyRecord } from '../../../domain/eligibility';
import type { TraineeOutcome } from '../../../domain/subsidy';

export function anApplicant(overrides: Partial<Applicant> = {}): Applicant {
  return {
    personKey: 'person-1',
    birthDate: '1990-05-01',
    sex: 'M',
    category: 'REGISTERED_UNEMPLOYED',
    ...overrides,
  };
}

/** A March 2026 class of 中式烹调师 (4-03-02-01) at level 4. */
export function aSlot(overrides: Partial<ClassSlot> = {}): ClassSlot {
  return {
    classId: 'class-new',
    occupationCode: '4-03-02-01',
    level: 'LEVEL_4',
    periodStart: '2026-03-02',
    periodEnd: '2026-03-31',
    ...overrides,
  };
}

let recordSeq = 0;
/** A paid training subsidy of an earlier, non-overlapping class of another occupation. */
export function aRecord(overrides: Partial<SubsidyRecord> = {}): SubsidyRecord {
  recordSeq += 1;
  return {
    personKey: 'person-1',
    kind: 'TRAINING',
    classId: `class-old-${recordSeq}`,
    occupationCode: '4-10-01-06',
    level: 'LEVEL_5',
    periodStart: '2025-03-01',
    periodEnd: '2025-03-31',
    status: 'PAID',
    ...overrides,
  };
}

/** A trainee who attended every hour of a 120-hour class and passed with a skill-level certificate. */
export function anOutcome(overrides: Partial<TraineeOutcome> = {}): TraineeOutcome {
  return {
    enrollmentId: 'enrol-1',
    attendedHours: 120,
    classHours: 120,
    assessment: 'SKILL_LEVEL_CERT',
    employedWithinWindow: false,
    ...overrides,
  };
}

export function codes(violations: readonly { code: string }[]): string[] {
  return violations.map((v) => v.code);
}
