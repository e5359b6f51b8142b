// The contract between the API and the class workflow: inputs, Updates, Signals and the Query.
// The API imports these definitions; the workflow implements them (STYLE.md: typed once, shared).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AssessmentResult, Tier } from '../domain/subsidy';
import type { Level } from '../domain/occupations';
import type { RuleViolation } from '../domain/rules';
import type { TraineeCategory } from '../domain/eligibility';

export const TASK_QUEUE = 'skillflow';

export const STAGES = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
  'REJECTED',
  'APPROVED',
  'ENROLLING',
  'TRAINING',
  'ASSESSMENT',
  'FOLLOW_UP',
  'NOTICE',
  'PAYOUT',
  'CLOSED',
  'CANCELLED',
] as const;
export type Stage = (typeof STAGES)[number];
export const OPEN_STAGES: readonly Stage[] = STAGES.filter(
  (s) => !['REJECTED', 'CLOSED', 'CANCELLED'].includes(s),
);

export const ROLES = [
  'CASEWORKER',
  'FINANCE',
  'MANAGER',
  'ADMIN',
  'INSTITUTION',
  'ASSESSOR',
  'PUBLIC',
  'SYSTEM',
] as const;
export type Role = (typeof ROLES)[number];

/** Who acts. Staff and organisations only: never a trainee's name or ID number. */
export interface Actor {
  userId: string;
  role: Role;
  organisationId?: string;
}

export interface CourseLesson {
  date: string;
  content: string;
  hours: number;
  start: string;
  end: string;
  room: string;
  teacher: string;
}

/** 开班申请: what an institution files for a class. */
export interface ClassPlan {
  title: string;
  occupationCode: string;
  level: Level;
  plannedStart: string;
  plannedEnd: string;
  classHours: number;
  capacity: number;
  venue: string;
  teachers: string[];
  fundingChannel: string;
  commitment: boolean; // 承诺制
  courseTable: CourseLesson[];
  assessmentBodyId: string; // 预约评价
  plannedAssessmentDate: string;
}

export interface ClassInput {
  classId: string;
  institutionId: string;
  district: string;
  plan: ClassPlan;
  submittedBy: Actor;
  /**
   * Set by the workflow itself when it continues as new during plan review (a plan returned and resubmitted
   * many times): the case so far and the projection's event counter, so nothing is projected twice.
   */
  resume?: {
    state: CaseState;
    seq: number;
    pending?: PendingDecisions;
    /**
     * The latest Updates the case answered, by Update id, with their answers: a client whose answer was lost as
     * the run continued as new sends the same Update again to the new run, and gets the same answer instead of
     * a refusal of what it already did (handlers/command.ts).
     */
    answered?: [string, unknown][];
  };
  /** History length after which review continues as new (default 10,000 events; tests set it low). */
  continueAsNewAfterEvents?: number;
}

export type ReviewDecision = 'APPROVE' | 'RETURN' | 'REJECT';

/** Decisions the workflow acknowledged but has not acted on yet; carried across continue-as-new. */
export interface PendingDecisions {
  review?: { actor: Actor; decision: ReviewDecision; reason?: string };
  resubmitted?: boolean;
}

export interface TraineeApplication {
  enrollmentId: string;
  personKey: string; // HMAC of the ID number; the number itself stays in the read model, encrypted
  category: TraineeCategory;
  exclusions?: { governmentPayroll?: boolean; fullTimeStudent?: boolean; pensioner?: boolean };
  /** 电子培训券: the roster requires a voucher; the reservation refuses a person without one usable here */
  requireVoucher?: boolean;
}

export interface EnrolResult {
  enrolled: string[];
  refused: { enrollmentId: string; violations: RuleViolation[] }[];
}

export type AttendanceStatus = 'PRESENT' | 'LEAVE' | 'LATE' | 'LEFT_EARLY' | 'ABSENT';
export interface LessonAttendance {
  lessonDate: string;
  lessonNo: number;
  entries: { enrollmentId: string; status: AttendanceStatus; hours: number }[];
}

export interface AssessmentEntry {
  enrollmentId: string;
  result: AssessmentResult;
  certificateNo?: string;
}

export type ObjectionResolution =
  | { upheld: false; note: string }
  | { upheld: true; note: string; action: 'REMOVE' }
  | { upheld: true; note: string; action: 'CORRECT'; tier: Tier };

export interface BankReturnLine {
  paymentId: string;
  status: 'PAID' | 'FAILED';
  bankRef?: string;
  reason?: string;
}

// ---------- Updates (validated; rejected ones change nothing) ----------
export const resubmitPlanUpdate = defineUpdate<void, [{ actor: Actor; plan: ClassPlan }]>('resubmitPlan');
export const reviewPlanUpdate = defineUpdate<
  void,
  [{ actor: Actor; decision: ReviewDecision; reason?: string }]
>('reviewPlan');
export const enrolTraineesUpdate = defineUpdate<
  EnrolResult,
  [{ actor: Actor; trainees: TraineeApplication[]; validOnly?: boolean }]
>('enrolTrainees');
export const withdrawTraineeUpdate = defineUpdate<
  void,
  [{ actor: Actor; enrollmentId: string; reason: string }]
>('withdrawTrainee');
export const startTrainingUpdate = defineUpdate<void, [{ actor: Actor }]>('startTraining');
export const reportAttendanceUpdate = defineUpdate<void, [{ actor: Actor; lessons: LessonAttendance[] }]>(
  'reportAttendance',
);
export const finishTrainingUpdate = defineUpdate<void, [{ actor: Actor }]>('finishTraining');
export const recordAssessmentUpdate = defineUpdate<void, [{ actor: Actor; results: AssessmentEntry[] }]>(
  'recordAssessment',
);
export const raiseObjectionUpdate = defineUpdate<
  { objectionId: string },
  [
    {
      actor: Actor;
      objectionId: string;
      lineId: string;
      reason: string;
      /** how to reach the objector, encrypted by the API with the personal-data key (never in clear) */
      contactEnc?: string;
    },
  ]
>('raiseObjection');
export const resolveObjectionUpdate = defineUpdate<
  void,
  [{ actor: Actor; objectionId: string; resolution: ObjectionResolution }]
>('resolveObjection');
export const approvePaymentUpdate = defineUpdate<void, [{ actor: Actor; batchId: string }]>('approvePayment');
export const cancelClassUpdate = defineUpdate<void, [{ actor: Actor; reason: string }]>('cancelClass');

// ---------- Signals (facts that need no answer) ----------
export const calendarChangedSignal = defineSignal('calendarChanged');
export const bankReturnSignal = defineSignal<[{ batchId: string; lines: BankReturnLine[] }]>('bankReturn');

// ---------- Per-trainee employment follow-up (就业跟踪), a child workflow ----------
export interface FollowUpInput {
  classId: string;
  enrollmentId: string;
  institutionId: string;
  trainingEnd: string;
  windowEndsAt: string; // instant: end of the follow-up window (3 months, Civil Code art. 202/203)
  /** the window was computed in a year whose holidays are not yet announced: recomputed on a calendar change */
  windowProvisional?: boolean;
  /** the policy's window length; with it the child recomputes a provisional window when the calendar changes */
  followUpMonths?: number;
  /** the instant training was recorded as finished (the window counts from that day, DOMAIN.md §6) */
  trainingEndedAt?: string;
  verificationDueWorkingDays: number;
  clock?: { secondsPerDay: number };
}
export interface FollowUpResult {
  enrollmentId: string;
  employed: boolean;
  employedOn?: string;
  evidenceId?: string;
}
export interface EvidenceSubmission {
  evidenceId: string;
  kind: 'SOCIAL_INSURANCE' | 'LABOUR_CONTRACT' | 'BUSINESS_LICENCE' | 'FLEXIBLE_EMPLOYMENT';
  employedOn: string;
  /** 用人单位 as the institution reported it */
  employer?: string;
}
/** Kept for histories recorded before evidence became an Update: new submissions use submitEvidenceUpdate. */
export const employmentEvidenceSignal = defineSignal<[EvidenceSubmission]>('employmentEvidence');
/**
 * 就业材料: the institution files a piece of evidence; refused (OUTSIDE_WINDOW, WINDOW_CLOSED) when the
 * employment date is not after the end of training and within the window, or the window has closed.
 * The same evidence id sent again with the same content answers as the first did (a retry changes nothing).
 */
export const submitEvidenceUpdate = defineUpdate<
  { evidenceId: string },
  [{ actor: Actor; evidence: EvidenceSubmission }]
>('submitEvidence');
export const verifyEvidenceUpdate = defineUpdate<
  void,
  [{ actor: Actor; evidenceId: string; verdict: 'VERIFIED' | 'REJECTED'; note?: string }]
>('verifyEvidence');
/** The follow-up window as the trainee's case shows it: from the end of training to 24:00 of `endsOn`. */
export interface FollowUpWindow {
  trainingEnd: string;
  endsOn: string;
  endsAt: string;
  provisional: boolean;
}
export const followUpStateQuery = defineQuery<{
  evidence: (EvidenceSubmission & { verdict?: string; note?: string })[];
  result?: FollowUpResult;
  window?: FollowUpWindow;
}>('followUpState');
export const followUpWorkflowId = (classId: string, enrollmentId: string) =>
  `${classId}.followup.${enrollmentId}`;

// ---------- Query: the whole case for the case page ----------
export interface TraineeState {
  enrollmentId: string;
  personKey: string;
  category: TraineeCategory;
  status: 'ENROLLED' | 'WITHDRAWN';
  attendedHours: number;
  assessment?: AssessmentResult;
  certificateNo?: string;
  employed?: boolean;
  tier?: Tier;
  amountFen?: number;
}

export interface SubsidyLineState {
  lineId: string;
  enrollmentId?: string;
  kind: 'TRAINING' | 'EVALUATION' | 'ADVANCE_DEDUCTION' | 'RECOVERY';
  payee: string;
  tier?: Tier;
  pct?: number;
  amountFen: number;
  status: 'NOTICED' | 'HELD' | 'PAYABLE' | 'PAID' | 'REMOVED' | 'RECOVERY_DUE';
  remark?: string;
  noticeRound: number;
}

export interface ClockState {
  task: string;
  dueAt: string;
  provisional: boolean;
  overdue: boolean;
  escalated: boolean;
}

export interface CaseState {
  classId: string;
  institutionId: string;
  district: string;
  stage: Stage;
  plan: ClassPlan;
  policyVersionId?: string;
  standardFen?: number;
  clock?: ClockState;
  reviewNotes: { decision: ReviewDecision; reason?: string; by: string; at: string }[];
  trainees: TraineeState[];
  lines: SubsidyLineState[];
  noticeRound: number;
  objections: { objectionId: string; lineId: string; status: 'OPEN' | 'UPHELD' | 'DISMISSED' }[];
  advancePaidFen: number;
  paidFen: number;
  recoveryFen: number;
  batches: { batchId: string; kind: 'ADVANCE' | 'SETTLEMENT'; totalFen: number; status: string }[];
  cancelledReason?: string;
  history: { seq: number; at: string; action: string; by: string; stage: Stage }[];
}
export const caseStateQuery = defineQuery<CaseState>('caseState');

/** 电子培训券: a voucher programme's workflow (workflows/vouchers.ts), started when the programme is set up. */
export interface VoucherProgrammeInput {
  programmeId: string;
  /** YYYY-MM-DD, the programme's last day */
  validUntil: string;
}
export const voucherProgrammeWorkflowId = (programmeId: string) => `voucher-programme-${programmeId}`;
