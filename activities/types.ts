// Shapes shared by the workflows and their activities. No personal data travels in these: trainees are
// referred to by enrollment id and person key (an HMAC of the ID number).
import type { Stage, ClassPlan, SubsidyLineState, TraineeApplication } from '../workflows/messages';
import type { Level } from '../domain/occupations';
import type { AssessmentResult } from '../domain/subsidy';
import type { TraineeCategory } from '../domain/eligibility';

export type DeadlineRule = 'WORKING_DAYS' | 'DAYS' | 'MONTHS';

export interface DeadlineRequest {
  /** the instant of the event that starts the period (its day is not counted, Civil Code art. 201) */
  from: string;
  rule: DeadlineRule;
  n: number;
  /** compressed clock for demos and benchmarks: a "day" lasts this many seconds */
  clock?: { secondsPerDay: number };
}

export interface TaskOpen {
  id: string;
  kind: string;
  role: string;
  dueAt?: string;
  subject?: string;
  /** VERIFY_EMPLOYMENT: the piece of evidence the task is about */
  evidenceId?: string;
}

/** One state change of a case, written to the read model once (keyed by workflow id + seq). */
export interface CaseEvent {
  workflowId: string;
  classId: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  stage: Stage;
  create?: { institutionId: string; district: string; plan: ClassPlan };
  classPatch?: Partial<{
    stage: Stage;
    plan: ClassPlan;
    dueAt: string | null;
    overdue: boolean;
    escalated: boolean;
    policyVersionId: string;
    traineeCount: number;
    passedCount: number;
    certifiedCount: number;
    employedCount: number;
    advancedFen: number;
    paidFen: number;
    recoveredFen: number;
  }>;
  openTasks?: TaskOpen[];
  closeTasks?: string[];
  /** the case ended: every task still open is cancelled */
  closeAllTasks?: boolean;
  taskFlags?: { id: string; overdue?: boolean; escalated?: boolean; dueAt?: string }[];
  enrollments?: {
    id: string;
    status?: 'ENROLLED' | 'WITHDRAWN';
    attendedHours?: number;
    assessment?: AssessmentResult;
    certificateNo?: string;
    employed?: boolean;
    tier?: string;
    amountFen?: number;
  }[];
  attendance?: {
    enrollmentId: string;
    lessonDate: string;
    lessonNo: number;
    status: string;
    hours: number;
  }[];
  lines?: SubsidyLineState[];
  objections?: {
    id: string;
    noticeId: string;
    lineId: string;
    reason?: string;
    contactEnc?: string;
    status: string;
    resolution?: string;
  }[];
  batches?: {
    id: string;
    kind: 'ADVANCE' | 'SETTLEMENT';
    totalFen: number;
    status: string;
    approvedBy?: string;
    payments?: {
      id: string;
      payee: string;
      amountFen: number;
      status: string;
      attempts?: number;
      bankRef?: string;
      failure?: string;
    }[];
  }[];
  evidence?: {
    id: string;
    enrollmentId: string;
    kind: string;
    employedOn: string;
    employer?: string;
    verdict?: string;
    verifiedBy?: string;
    /** the caseworker's note on the verdict */
    verdictNote?: string;
  }[];
  detail?: Record<string, unknown>;
}

export interface ReserveRequest {
  classId: string;
  institutionId: string;
  occupationCode: string;
  level: Level;
  periodStart: string;
  periodEnd: string;
  policyId: string;
  capacityLeft: number;
  trainees: TraineeApplication[];
  validOnly: boolean;
}

export interface EvaluationRequest {
  classId: string;
  occupationCode: string;
  level: Level;
  periodStart: string;
  periodEnd: string;
  policyId: string;
  trainees: {
    enrollmentId: string;
    personKey: string;
    category: TraineeCategory;
    certificate: AssessmentResult;
  }[];
}

export interface NoticeRequest {
  classId: string;
  round: number;
  institutionId: string;
  occupationCode: string;
  level: Level;
  classHours: number;
  publishedAt: string;
  closesAt: string;
  endDate: string;
  provisional: boolean;
  lines: SubsidyLineState[];
  /** enrollmentId → personKey, for masking names (the activity reads the encrypted names) */
  people: Record<string, string>;
}

export interface PaymentOrder {
  paymentId: string;
  payee: string;
  amountFen: number;
}

export interface PaymentSubmission {
  classId: string;
  batchId: string;
  attempt: number;
  payments: PaymentOrder[];
}

export type PaymentOutcome =
  | {
      mode: 'SYNC';
      results: { paymentId: string; status: 'PAID' | 'FAILED'; bankRef?: string; reason?: string }[];
    }
  | { mode: 'ASYNC'; file: string };

export interface Notification {
  classId: string;
  role: string;
  organisationId?: string;
  kind: string;
  message: string;
}
