// What the API answers: one zod schema per answer, the contract a client is generated from. Each route
// declares the schema of its success answer (api/http.ts RouteSpec.responses) and the http layer encodes the
// handler's value through it, so the answer is exactly what the OpenAPI document says: a field the schema does
// not name is not sent, a value of the wrong shape fails loudly (500, logged) instead of reaching a client.
//
// The wire is the schema's input side, the handler's value its output side: an `instant` is a Date inside the
// API and ISO 8601 UTC text on the wire. The web client's types are `z.input<>` of these schemas (import type
// only: web/src/api.ts), the OpenAPI document renders them with `io: 'input'` (api/openapi.ts).
import { z } from 'zod';
import type { Tier, AssessmentResult } from '../domain/subsidy';
import { LevelSchema } from '../domain/occupations';
import { TraineeCategorySchema } from '../domain/categories';
import { RESPONSIBLE_PARTIES } from '../domain/overdue';
import { ATTACHMENT_KINDS } from '../domain/attachments';
import { PerformanceFormulaSchema } from '../domain/performance';
import { VOUCHER_STATUSES } from '../domain/vouchers';
import { STAGES, type CaseState, type ClassPlan, type TraineeState } from '../workflows/messages';
import { USER_ROLES } from './roles';
import { ASSESSMENT_RESULTS, TIERS } from './schemas';

// ---------- building blocks ----------

const INSTANT_EXAMPLE = '2026-03-02T01:00:00.000Z';
// Formats are documented (and checked by the API tests' validator, tests/api/contract.ts), not re-checked with a
// regular expression on every answer: the values were checked when they were written, or are Date#toISOString.
/** An instant: a Date in the API (Prisma's DateTime), ISO 8601 UTC text on the wire. */
export const instant = z.codec(
  z.string().meta({ format: 'date-time', examples: [INSTANT_EXAMPLE] }),
  z.date(),
  {
    decode: (text) => new Date(text),
    encode: (date) => date.toISOString(),
  },
);
/** An instant the route or the workflow already holds as ISO 8601 UTC text. */
const instantText = z.string().meta({ format: 'date-time', examples: [INSTANT_EXAMPLE] });
/** A calendar date, Asia/Shanghai. */
const day = z.string().meta({ format: 'date', examples: ['2026-03-02'] });
const int = z
  .number()
  .int()
  .meta({ examples: [1] });
/** Money: integer fen (分). */
const fen = z
  .number()
  .int()
  .meta({ description: 'integer fen (分)', examples: [150000] });
export const StageSchema = z.enum(STAGES);
const TierSchema = z.enum(TIERS);
const AssessmentResultSchema = z.enum(ASSESSMENT_RESULTS);

/** One page of a list (docs/api.md "Lists"): pass `nextCursor` back as `cursor`; null on the last page. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// ---------- errors ----------

/** RFC 9457 problem details, in the caller's language (api/problem.ts sendProblem). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: int,
  detail: z.string(),
  code: z.string().meta({ description: 'a stable code, e.g. VALIDATION_FAILED, WRONG_STAGE, CAP_EXCEEDED' }),
  instance: z.string().optional(),
  errors: z
    .array(
      z.object({
        path: z
          .string()
          .meta({ description: 'the field in the request, e.g. plan.capacity, trainees.3.idNumber' }),
        code: z.string(),
        message: z.string(),
      }),
    )
    .optional(),
});

// ---------- auth ----------

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  organisationId: z.string().nullable(),
});
export const SessionReply = z.object({ user: UserSchema, csrfToken: z.string() });
export const MeReply = z.object({
  user: UserSchema,
  csrfToken: z.string().nullable().meta({ description: 'null for an API key (it needs no CSRF token)' }),
});

// ---------- inbox ----------

/** domain/overdue.ts: who has not acted and since when, for an overdue or escalated task or case. */
export const OverdueReasonSchema = z
  .object({
    code: z.string().meta({ description: 'OVERDUE:<task kind> or ESCALATED:<task kind>' }),
    party: z.enum(RESPONSIBLE_PARTIES).meta({ description: 'whose move it is' }),
    zh: z.string(),
    en: z.string(),
  })
  .meta({
    description:
      '逾期原因: the responsible party (the institution or the booked assessment body by name), what it has not done and the missed deadline in Asia/Shanghai, e.g. "石家庄市职业技能鉴定中心 未在期限内录入考核结果，逾期自 2026-10-08 24:00 起".',
  });

/**
 * What a task is about, in words a caseworker reads on the row (the task's `subject` stays the id it names):
 * a trainee by MASKED name (names and ID numbers are never in clear in a list), a payment batch by its id and
 * amount, an objection by the notice line it objects to.
 */
export const TaskAboutSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('TRAINEE'),
      enrollmentId: z.string(),
      traineeName: z.string().meta({ description: 'masked, e.g. 张*三', examples: ['张*三'] }),
    }),
    z.object({
      type: z.literal('BATCH'),
      batchId: z.string(),
      batchKind: z
        .string()
        .nullable()
        .meta({ description: 'ADVANCE | SETTLEMENT; null if not yet projected' }),
      totalFen: fen.nullable(),
      payees: int.nullable().meta({ description: 'how many transfers the batch holds' }),
    }),
    z.object({
      type: z.literal('OBJECTION'),
      objectionId: z.string(),
      lineId: z.string().nullable(),
      lineKind: z.string().nullable().meta({ description: 'TRAINING | EVALUATION | …' }),
      amountFen: fen.nullable(),
      traineeName: z.string().nullable().meta({ description: 'the line’s trainee, masked' }),
    }),
  ])
  .meta({ description: '事项: the trainee, batch or objection the task concerns' });

export const TaskItemSchema = z.object({
  id: z.string(),
  classId: z.string(),
  classTitle: z.string().nullable(),
  kind: z.string(),
  role: z.string(),
  stage: StageSchema,
  institutionId: z.string(),
  institutionName: z.string().nullable(),
  occupationCode: z.string(),
  occupationName: z.string().nullable(),
  district: z.string(),
  dueAt: instantText.nullable(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  assignee: z.string().nullable(),
  assigneeName: z.string().nullable().meta({ description: "the assignee's display name" }),
  subject: z.string().nullable(),
  about: TaskAboutSchema.nullable().meta({ description: 'null for a task about the class as a whole' }),
  evidenceId: z.string().nullable().describe('VERIFY_EMPLOYMENT: the evidence to verify'),
  createdAt: instantText,
  overdueReason: OverdueReasonSchema.nullable().meta({ description: 'null unless overdue or escalated' }),
});
/** A page of the inbox and how many tasks match its filters in all (共 N 条). */
export const TaskPage = page(TaskItemSchema).extend({
  total: int.meta({ description: 'tasks matching the filters, on every page' }),
});
/** 待办视图: a named filter and sort shared by everyone of the caller's role. */
export const SavedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES).meta({ description: 'the team that shares it' }),
  query: z
    .record(z.string(), z.string())
    .meta({ description: 'the inbox query parameters it applies (filters and sort)' }),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  createdAt: instant,
});
export const SavedViewList = z.object({ items: z.array(SavedViewSchema) });
export const TaskClaim = z.object({
  id: z.string(),
  assignee: z.string().nullable().meta({ description: 'the user who holds the task; null once released' }),
});

// ---------- decisions (on the case routes and from the inbox) ----------

export const ReviewDone = z.object({
  classId: z.string(),
  decision: z.enum(['APPROVE', 'RETURN', 'REJECT']),
});
export const VerifyDone = z.object({ evidenceId: z.string(), verdict: z.enum(['VERIFIED', 'REJECTED']) });
export const ObjectionResolved = z.object({ objectionId: z.string(), upheld: z.boolean() });
export const BatchApproved = z.object({ batchId: z.string(), approved: z.literal(true) });
export const TaskActed = z.object({
  taskId: z.string(),
  kind: z.string(),
  result: z.union([ReviewDone, VerifyDone, ObjectionResolved, BatchApproved]),
});

// ---------- classes ----------

const CourseLessonView = z.object({
  date: day,
  content: z.string(),
  hours: z.number(),
  start: z.string(),
  end: z.string(),
  room: z.string(),
  teacher: z.string(),
});
/** 开班申请 as filed (the request's ClassPlanSchema without its checks: a stored plan is shown as it is). */
export const ClassPlanView = z.object({
  title: z.string(),
  occupationCode: z.string(),
  level: LevelSchema,
  plannedStart: day,
  plannedEnd: day,
  classHours: int,
  capacity: int,
  venue: z.string(),
  teachers: z.array(z.string()),
  fundingChannel: z.string(),
  commitment: z.boolean(),
  courseTable: z.array(CourseLessonView),
  assessmentBodyId: z.string(),
  plannedAssessmentDate: day,
});

/** A class as lists and the case page show it: the read-model row with its plan. */
export const ClassViewSchema = z.object({
  id: z.string(),
  institutionId: z.string(),
  institutionName: z.string().nullable().meta({ description: '培训机构 by name (null if not in the list)' }),
  occupationCode: z.string(),
  level: z.string(),
  district: z.string(),
  title: z.string(),
  stage: StageSchema,
  policyVersionId: z.string(),
  plannedStart: day,
  plannedEnd: day,
  classHours: int,
  capacity: int,
  commitment: z.boolean(),
  assessmentBodyId: z.string().meta({ description: 'the booked assessment body (预约评价)' }),
  assessmentBodyName: z.string().nullable().meta({ description: 'the booked assessment body by name' }),
  plan: ClassPlanView,
  dueAt: instant.nullable().meta({ description: "the deadline of the case's open clock" }),
  overdue: z.boolean(),
  escalated: z.boolean(),
  traineeCount: int,
  passedCount: int,
  certifiedCount: int,
  employedCount: int,
  advancedFen: fen,
  paidFen: fen,
  recoveredFen: fen,
  stageSince: instant,
  createdAt: instant,
  updatedAt: instant,
  imported: z
    .object({
      source: z.string().meta({ description: 'the predecessor system' }),
      ref: z.string().meta({ description: 'its number there' }),
    })
    .nullable()
    .meta({
      description:
        '历史数据导入: a closed class brought in from the predecessor system as its summary (no workflow, no trainees); null for a class SkillFlow runs',
    }),
});
export const ClassPage = page(ClassViewSchema);
/** 历史数据导入: what an import added (the classes it already held with the same figures are unchanged). */
export const HistoryImported = z.object({
  source: z.string(),
  imported: z.array(z.object({ ref: z.string(), classId: z.string() })),
  unchanged: z.array(z.object({ ref: z.string(), classId: z.string() })),
});

const TraineeStateView = z.object({
  enrollmentId: z.string(),
  category: TraineeCategorySchema,
  status: z.enum(['ENROLLED', 'WITHDRAWN']),
  attendedHours: z.number(),
  assessment: AssessmentResultSchema.optional(),
  certificateNo: z.string().optional(),
  employed: z.boolean().optional(),
  tier: TierSchema.optional(),
  amountFen: fen.optional(),
});
const SubsidyLineView = z.object({
  lineId: z.string(),
  enrollmentId: z.string().optional(),
  kind: z.enum(['TRAINING', 'EVALUATION', 'ADVANCE_DEDUCTION', 'RECOVERY']),
  payee: z.string(),
  tier: TierSchema.optional(),
  pct: z.number().optional(),
  amountFen: fen,
  status: z.enum(['NOTICED', 'HELD', 'PAYABLE', 'PAID', 'REMOVED', 'RECOVERY_DUE']),
  remark: z.string().optional(),
  noticeRound: int,
});
/** The workflow's own view of the case (caseStateQuery), trainees named by enrollment id only. */
export const CaseStateSchema = z.object({
  classId: z.string(),
  institutionId: z.string(),
  district: z.string(),
  stage: StageSchema,
  plan: ClassPlanView,
  policyVersionId: z.string().optional(),
  standardFen: fen.optional(),
  clock: z
    .object({
      task: z.string(),
      dueAt: instantText,
      provisional: z.boolean(),
      overdue: z.boolean(),
      escalated: z.boolean(),
    })
    .optional(),
  reviewNotes: z.array(
    z.object({
      decision: z.enum(['APPROVE', 'RETURN', 'REJECT']),
      reason: z.string().optional(),
      by: z.string(),
      at: instantText,
    }),
  ),
  trainees: z.array(TraineeStateView),
  lines: z.array(SubsidyLineView),
  noticeRound: int,
  objections: z.array(
    z.object({
      objectionId: z.string(),
      lineId: z.string(),
      status: z.enum(['OPEN', 'UPHELD', 'DISMISSED']),
    }),
  ),
  advancePaidFen: fen,
  paidFen: fen,
  recoveryFen: fen,
  batches: z.array(
    z.object({
      batchId: z.string(),
      kind: z.enum(['ADVANCE', 'SETTLEMENT']),
      totalFen: fen,
      status: z.string(),
    }),
  ),
  cancelledReason: z.string().optional(),
  history: z.array(
    z.object({ seq: int, at: instantText, action: z.string(), by: z.string(), stage: StageSchema }),
  ),
});

/** A task of the case as the read model holds it (the case page lists open and closed ones). */
export const CaseTaskSchema = z.object({
  id: z.string(),
  classId: z.string(),
  kind: z.string(),
  role: z.string(),
  institutionId: z.string(),
  occupationCode: z.string(),
  district: z.string(),
  stage: StageSchema,
  status: z.enum(['OPEN', 'DONE', 'CANCELLED']),
  assignee: z.string().nullable(),
  dueAt: instant.nullable(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  subject: z.string().nullable(),
  evidenceId: z.string().nullable(),
  createdAt: instant,
  closedAt: instant.nullable(),
});
/** 就业跟踪期 (DOMAIN.md §6), as the trainee's follow-up workflow holds it. */
export const FollowUpWindowSchema = z.object({
  trainingEnd: day.meta({ description: 'the recorded end of training: employment counts from the next day' }),
  endsOn: day.meta({ description: 'the last day of the window (the period ends at 24:00 of it)' }),
  endsAt: instantText.meta({ description: '24:00 of endsOn, Asia/Shanghai' }),
  provisional: z.boolean().meta({
    description: 'computed on a year whose holidays are not announced yet: recomputed when they are',
  }),
});
export const CaseTraineeSchema = z.object({
  enrollmentId: z.string(),
  nameMasked: z.string(),
  idMasked: z.string(),
  name: z.string().optional().meta({ description: 'never sent: staff reveal with POST /cases/{id}/reveal' }),
  idNumber: z
    .string()
    .optional()
    .meta({ description: 'never sent: staff reveal with POST /cases/{id}/reveal' }),
  category: z.string(),
  status: z.string(),
  attendedHours: z.number(),
  attendanceShort: z.boolean().nullable().meta({
    description:
      "出勤不足: attended below the bound policy's threshold of the class hours (no subsidy); null until training has started or before a policy is bound",
  }),
  assessment: z.string().nullable(),
  certificateNo: z.string().nullable(),
  employed: z.boolean().nullable(),
  tier: z.string().nullable(),
  amountFen: fen.nullable(),
  followUpWindow: FollowUpWindowSchema.nullable().meta({
    description: 'while the class is in FOLLOW_UP, for each trainee followed up; null otherwise',
  }),
});
export const CaseEvidenceSchema = z.object({
  id: z.string(),
  enrollmentId: z.string(),
  kind: z.string(),
  employedOn: day,
  employer: z.string().nullable(),
  verdict: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  verifiedByName: z.string().nullable().meta({ description: 'who verified it, by name' }),
  verdictNote: z.string().nullable(),
  createdAt: instant,
});
export const AttachmentSchema = z.object({
  id: z.string(),
  classId: z.string(),
  enrollmentId: z.string().nullable().meta({ description: 'the trainee the document is about, if any' }),
  kind: z.enum(ATTACHMENT_KINDS),
  fileName: z.string(),
  mediaType: z
    .string()
    .meta({ description: 'read from the file itself: application/pdf, image/png or image/jpeg' }),
  size: int.meta({ description: 'bytes' }),
  sha256: z.string().meta({ description: 'SHA-256 of the bytes as uploaded, hex' }),
  uploadedBy: z.string(),
  uploadedByName: z.string().nullable(),
  createdAt: instant,
});
export const AttachmentList = z.object({ items: z.array(AttachmentSchema) });
export const CaseObjectionSchema = z.object({
  id: z.string(),
  noticeId: z.string(),
  lineId: z.string(),
  reason: z.string(),
  status: z.string(),
  resolution: z.string().nullable(),
  createdAt: instant,
  contact: z.string().nullable().optional().meta({ description: 'staff only: how to reach the objector' }),
});
/** 案件详情: the workflow's state, the read-model row, tasks, timeline, roster, evidence and objections. */
export const CaseDetailSchema = z.object({
  case: CaseStateSchema.nullable().meta({ description: 'null when the workflow could not answer its query' }),
  class: ClassViewSchema.nullable().meta({
    description: 'null for a moment after submission (read model lag)',
  }),
  tasks: z.array(CaseTaskSchema),
  timeline: z
    .array(
      z.object({
        id: z.string(),
        seq: int.meta({
          description: 'numbered per workflow: the class and each follow-up child count their own',
        }),
        at: instant,
        actor: z.string(),
        actorName: z.string().nullable().meta({
          description:
            "the actor's display name (a user's name, an institution, an API key's institution); null for the system",
        }),
        action: z.string(),
        stage: StageSchema,
        enrollmentId: z.string().nullable().meta({ description: 'the trainee the event concerns, if one' }),
      }),
    )
    .meta({
      description: 'oldest first, in time order across the class and its follow-up children (the latest 500)',
    }),
  trainees: z.array(CaseTraineeSchema),
  evidence: z.array(CaseEvidenceSchema).meta({ description: '就业材料 as submitted' }),
  objections: z.array(CaseObjectionSchema),
});
export const CaseCancelling = z.object({ classId: z.string(), cancelling: z.literal(true) });
/** 审核要点: the domain's plan checks, each passed or failed with what failed, and the course-table totals. */
export const PlanChecksSchema = z.object({
  classId: z.string(),
  filedOn: day.meta({
    description: 'the day the plan under review was filed: the lead time is judged from it',
  }),
  checkedOn: day.meta({ description: 'today (catalogue and designations as they are today)' }),
  passed: z.boolean().meta({ description: 'every check passed' }),
  checks: z.array(
    z.object({
      id: z.string().meta({ description: 'e.g. CAPACITY, LEAD_TIME, COURSE_HOURS' }),
      label: z.object({ zh: z.string(), en: z.string() }),
      passed: z.boolean(),
      violations: z.array(
        z.object({ code: z.string(), field: z.string().nullable(), zh: z.string(), en: z.string() }),
      ),
    }),
  ),
  totals: z.object({
    lessons: int,
    courseTableHours: z.number().meta({ description: 'the course table added up' }),
    classHours: int.meta({ description: "the plan's class hours (课时)" }),
    catalogueHours: int
      .nullable()
      .meta({ description: "the catalogue's hours for the occupation and level" }),
    capacity: int,
    capacityCap: int.meta({ description: "the policy's cap of trainees per class" }),
  }),
});
/** 显示实名: the clear names and ID numbers of one trainee or the whole roster, for a limited time. */
export const RevealedNames = z.object({
  classId: z.string(),
  trainees: z.array(z.object({ enrollmentId: z.string(), name: z.string(), idNumber: z.string() })),
  until: instantText.meta({ description: 'the UI masks the names again at this time' }),
});

// ---------- institution and assessment body ----------

export const Accepted = z.object({ classId: z.string() });
/** 评价机构 an institution may book for a plan (预约评价): the published list, by name. */
export const AssessmentBodyList = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), district: z.string(), validTo: day })),
});
export const PlanResubmitted = z.object({ classId: z.string(), resubmitted: z.literal(true) });
/** 报名: `row` is the index in the request's trainees array, `sheetRow` the spreadsheet row of an import. */
export const EnrolAnswerSchema = z.object({
  enrolled: z.array(z.object({ enrollmentId: z.string(), row: int, sheetRow: int.optional() })),
  refused: z
    .array(
      z.object({
        row: int,
        sheetRow: int.optional(),
        errors: z.array(
          z.object({
            path: z.string(),
            code: z.string(),
            message: z.object({ zh: z.string(), en: z.string() }),
          }),
        ),
      }),
    )
    .meta({ description: 'with validOnly only: the rows left out, and why' }),
});
const RowError = z.object({
  path: z.string(),
  code: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
});
/** 花名册校验: every row of an import checked, nothing registered or enrolled; names and ID numbers masked. */
export const RosterCheckSchema = z.object({
  rows: z.array(
    z.object({
      row: int,
      sheetRow: int.optional(),
      name: z.string().meta({ description: 'masked' }),
      idNumber: z.string().meta({ description: 'masked' }),
      category: z.string().meta({ description: 'the category code, or the text the file gave when unknown' }),
      errors: z.array(RowError),
    }),
  ),
  valid: int,
  refused: int,
});
/** 导入考核结果: the rows a results sheet gave, read into the form (nothing recorded), and the rows refused. */
export const ImportedResultsSchema = z.object({
  results: z.array(
    z.object({
      enrollmentId: z.string(),
      result: AssessmentResultSchema,
      certificateNo: z.string().optional(),
      sheetRow: int,
    }),
  ),
  errors: z.array(RowError.extend({ sheetRow: int })),
});
export const TrainingStarted = z.object({ classId: z.string(), started: z.literal(true) });
export const TrainingFinished = z.object({ classId: z.string(), finished: z.literal(true) });
export const AttendanceReported = z.object({ classId: z.string(), lessons: int });
export const EvidenceFiled = z.object({ evidenceId: z.string() });
export const ResultsRecorded = z.object({ classId: z.string(), recorded: int });

// ---------- public notices ----------

/** A line of a public notice, masked before it was stored (张*三, 110105********002X). */
export const NoticeRowSchema = z.object({
  lineId: z.string(),
  institution: z.string(),
  occupation: z.string(),
  level: z.string(),
  classHours: int,
  trainee: z.string(),
  idNumber: z.string(),
  kind: z.string(),
  tier: z.string().nullable(),
  amountFen: fen,
  remark: z.string().nullable(),
});
export const NoticeSchema = z.object({
  id: z.string(),
  classId: z.string(),
  status: z
    .enum(['OPEN', 'CLOSED'])
    .meta({ description: 'OPEN while objections may be filed; CLOSED: archived' }),
  title: z.string(),
  institutionId: z.string(),
  institutionName: z.string(),
  occupationCode: z.string(),
  occupationName: z.string(),
  district: z.string(),
  round: int,
  publishedAt: instant,
  closesAt: instant,
  endDate: day,
  provisional: z.boolean(),
  rows: z.array(NoticeRowSchema),
});
export const NoticePage = page(NoticeSchema);
export const ObjectionFiled = z.object({ objectionId: z.string() });

// ---------- payments ----------

export const PaymentSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  payee: z.string(),
  payeeName: z.string().nullable().meta({ description: 'the payee institution by name' }),
  amountFen: fen,
  status: z.string(),
  attempts: int,
  bankRef: z.string().nullable(),
  failure: z.string().nullable(),
  paidAt: instant.nullable(),
});
export const BatchSchema = z.object({
  id: z.string(),
  classId: z.string(),
  kind: z.string(),
  totalFen: fen,
  status: z.string(),
  approvedBy: z.string().nullable(),
  approvedByName: z.string().nullable().meta({ description: 'who approved it, by name' }),
  createdAt: instant,
  payments: z.array(PaymentSchema),
});
export const BatchPage = page(BatchSchema);
export const BatchPayeesSchema = z.object({
  batchId: z.string(),
  status: z.string(),
  payees: z.array(
    z.object({
      institutionId: z.string(),
      name: z.string().nullable(),
      bankAccount: z.string().nullable(),
      amountFen: fen,
      unpaid: int,
      lastFailure: z.string().nullable(),
    }),
  ),
});
export const BankReturnAccepted = z.object({
  batches: z.array(z.object({ batchId: z.string(), classId: z.string(), lines: int })),
});

// ---------- dashboard ----------

const count = int;
const rateSet = z
  .object({
    pass: z.number().nullable(),
    certificate: z.number().nullable(),
    employment: z.number().nullable(),
  })
  .meta({
    description: 'pass and certificate rates over trainees assessed; employment over those followed up',
  });

export const DashboardSummarySchema = z.object({
  stages: z.record(z.string(), count).meta({ description: 'cases per stage' }),
  openTasks: count,
  overdueTasks: count,
  escalatedTasks: count,
  stuck: z
    .array(
      z.object({
        classId: z.string(),
        title: z.string(),
        stage: StageSchema,
        reason: z.string().meta({ description: 'OVERDUE:<task kind> or ESCALATED:<task kind>' }),
        overdueReason: OverdueReasonSchema.nullable().meta({
          description: 'the reason in words; null when the case has no open task (the read model lags)',
        }),
        since: instantText.nullable().meta({ description: 'in this stage since' }),
        dueAt: instantText.nullable().meta({ description: "the missed deadline of the case's clock" }),
      }),
    )
    .meta({ description: 'overdue cases, earliest deadline first, at most 20' }),
  ageing: z.array(z.object({ bucket: z.string(), count })),
  rates: rateSet,
  money: z.object({ advancedFen: fen, paidFen: fen, recoveredFen: fen }),
  filter: z
    .object({
      district: z.string().nullable(),
      institutionId: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
    })
    .meta({ description: 'the filter the figures answer (null: all)' }),
  trends: z
    .array(z.object({ month: z.string(), opened: count, closed: count, paidFen: fen }))
    .meta({ description: 'the 12 months up to `to` (or this month): cases opened, cases ended, money paid' }),
  institutions: z
    .array(
      z.object({
        institutionId: z.string(),
        name: z.string().nullable(),
        opened: count,
        assessed: count,
        passed: count,
        certified: count,
        followedUp: count,
        employed: count,
        rates: rateSet,
      }),
    )
    .meta({
      description: 'per institution (培训绩效): trainees assessed and passed, certificates, employment',
    }),
  overdueByStage: z.array(z.object({ stage: StageSchema, overdue: count, escalated: count })),
  overdueByAssignee: z
    .array(z.object({ assignee: z.string().nullable(), name: z.string().nullable(), overdue: count }))
    .meta({ description: 'overdue open tasks per caseworker they are assigned to (null: not assigned)' }),
  generatedAt: instantText,
});

// ---------- administration ----------

export const InstitutionRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['TRAINING', 'ASSESSMENT']),
  district: z.string(),
  creditCode: z.string(),
  bankAccount: z.string(),
  validFrom: day,
  validTo: day,
});
export const BankAccountCorrected = z.object({ id: z.string(), bankAccount: z.string() });
export const AccessAuditRowSchema = z.object({
  id: z.string(),
  at: instant,
  userId: z.string(),
  userName: z.string().nullable().meta({ description: "the user's display name (null if unknown)" }),
  action: z.string(),
  subject: z.string(),
  subjectName: z
    .string()
    .nullable()
    .meta({ description: 'the institution or user concerned by name (null for a class, or if unknown)' }),
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export const OccupationRowSchema = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  shortage: z.boolean(),
  newOccupation: z.boolean(),
  catalogVersion: z.string(),
  levels: z.array(
    z.object({
      occupationCode: z.string(),
      level: z.string(),
      standardFen: fen,
      evaluationFen: fen,
      minHours: int,
    }),
  ),
});
export const OccupationSaved = z.object({ code: z.string() });
export const PolicyRowSchema = z.object({
  id: z.string(),
  region: z.string(),
  effectiveFrom: day,
  document: z.record(z.string(), z.unknown()).meta({ description: 'the policy document (domain/policy.ts)' }),
  createdAt: instant,
});
export const PolicySaved = z.object({ id: z.string() });
export const CalendarDaySchema = z.object({
  id: z.string().meta({ description: 'the date (the cursor key)' }),
  date: day,
  kind: z.enum(['HOLIDAY', 'WORKDAY']),
  name: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: instant,
});
const yearSource = z.enum(['PACKAGE', 'ADMIN', 'PROVISIONAL']).meta({
  description:
    'PACKAGE: preloaded from the calendar library; ADMIN: entered by an administrator when announced; PROVISIONAL: not announced, weekends and fixed-date holidays only',
});
export const CalendarPage = page(CalendarDaySchema).extend({
  announcedYears: z
    .array(int)
    .meta({ description: 'years an administrator marked as announced by the State Council' }),
  packageYears: z
    .object({ from: int, to: int })
    .meta({ description: 'the years whose arrangement is preloaded from the calendar library' }),
  unannouncedYears: z.array(int).meta({
    description:
      'this year and next where the arrangement is not known: deadlines reaching into them are provisional',
  }),
});
export const CalendarYear = z.object({
  year: int,
  source: yearSource,
  workingDays: int.meta({ description: 'working days in the year under this arrangement' }),
  days: z
    .array(
      z.object({
        date: day,
        kind: z.enum(['HOLIDAY', 'WORKDAY']),
        name: z.string().nullable(),
        source: yearSource,
      }),
    )
    .meta({ description: 'the holidays and make-up working days (调休), in date order' }),
});
export const CalendarEntered = z.object({
  entries: int,
  announcedYears: z.array(int),
  signalled: z
    .object({ ok: int, failed: int })
    .meta({ description: 'open classes told to recompute deadlines' }),
});
export const AdminUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  institutionId: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: instant,
});
export const UserCreated = z.object({ id: z.string(), username: z.string(), role: z.enum(USER_ROLES) });
export const ApiKeyRowSchema = z.object({
  id: z.string(),
  institutionId: z.string(),
  prefix: z.string(),
  label: z.string(),
  revokedAt: instant.nullable(),
  lastUsedAt: instant.nullable(),
  createdAt: instant,
  display: z.string().meta({ description: 'sk_<prefix>_…' }),
});
export const IssuedKeySchema = z.object({
  id: z.string(),
  prefix: z.string(),
  key: z.string().optional().meta({
    description: 'sk_<prefix>_<secret>: in the first answer only; a replay (same Idempotency-Key) omits it',
  }),
  institutionId: z.string(),
  label: z.string(),
  display: z.string().meta({ description: 'sk_<prefix>_…' }),
});

// ---------- health (GET /api/health, outside /api/v1) ----------

const HealthCheck = z.object({
  status: z.enum(['ok', 'fail', 'unknown']),
  detail: z.string().optional(),
  ms: z.number(),
});
export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'fail']),
  checks: z.object({ database: HealthCheck, temporal: HealthCheck, worker: HealthCheck }),
  failing: z.array(z.string()).optional(),
});

// ---------- the workflow's contract and these schemas agree (checked by the compiler) ----------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type _PlanIsTheWorkflows = Assert<Same<z.output<typeof ClassPlanView>, ClassPlan>>;
type _CaseStateIsTheQuerys = Assert<
  Same<
    z.output<typeof CaseStateSchema>,
    Omit<CaseState, 'trainees'> & { trainees: Omit<TraineeState, 'personKey'>[] }
  >
>;
type _TiersAreTheDomains = Assert<Same<z.output<typeof TierSchema>, Tier>>;
type _ResultsAreTheDomains = Assert<Same<z.output<typeof AssessmentResultSchema>, AssessmentResult>>;

/** 消息中心: one notification (api/routes/notifications.ts). */
export const NotificationSchema = z.object({
  id: z.string(),
  classId: z.string(),
  classTitle: z.string().nullable(),
  action: z.string().meta({
    description:
      'the case event: PLAN_RETURNED, OVERDUE:RECORD_ASSESSMENT, ESCALATED:…, BATCH_AWAITING_CORRECTION …',
  }),
  enrollmentId: z.string().nullable().meta({ description: 'the trainee it concerns, if one' }),
  reason: z.string().nullable().meta({ description: 'the reason given with the event, if any' }),
  at: instant,
  read: z.boolean(),
});
export const NotificationPage = page(NotificationSchema).extend({
  unread: int.meta({ description: "all of the caller's unread notifications" }),
});
export const NotificationsRead = z.object({ unread: int });

const NamedSchema = z.object({ zh: z.string(), en: z.string() });
const AllowanceSchema = z.object({ used: int, cap: int, left: int });
/** 终身职业技能培训电子档案: one person's record across classes (api/routes/people.ts). */
// 电子培训券 of a person, in their record (api/routes/vouchers.ts).
export const VoucherStatusSchema = z.enum(VOUCHER_STATUSES);

export const PersonVoucherSchema = z.object({
  voucherId: z.string(),
  programmeId: z.string(),
  programmeName: z.string(),
  occupationCodes: z.array(z.string()),
  levels: z.array(LevelSchema),
  institutionIds: z.array(z.string()),
  validFrom: day,
  validUntil: day,
  status: VoucherStatusSchema,
  classId: z.string().nullable(),
  issuedAt: instant,
});

export const PersonRecordSchema = z.object({
  person: z.object({
    nameMasked: z.string(),
    idMasked: z.string(),
    birthDate: day,
    sex: z.string().meta({ description: 'M or F, from the ID number' }),
  }),
  classes: z.array(
    z.object({
      enrollmentId: z.string(),
      classId: z.string(),
      title: z.string().nullable(),
      institutionId: z.string().nullable(),
      institutionName: z.string().nullable(),
      occupationCode: z.string().nullable(),
      occupationName: NamedSchema.nullable(),
      level: LevelSchema.nullable(),
      plannedStart: day.nullable(),
      plannedEnd: day.nullable(),
      classHours: int.nullable(),
      stage: StageSchema.nullable(),
      category: z.string(),
      status: z.string().meta({ description: 'ENROLLED or WITHDRAWN' }),
      attendedHours: int,
      assessment: z.string().nullable(),
      certificateNo: z.string().nullable(),
      employed: z.boolean().nullable(),
      tier: z.string().nullable(),
      amountFen: fen.nullable(),
      survey: z.enum(['OPEN', 'ANSWERED', 'NOT_OPEN']).meta({
        description:
          'the satisfaction survey: OPEN once training is over (not for a withdrawal), ANSWERED once',
      }),
      lessons: z
        .array(
          z.object({
            lessonDate: day,
            lessonNo: int,
            status: z.string().meta({ description: 'PRESENT, LEAVE, LATE, LEFT_EARLY or ABSENT' }),
            hours: int,
          }),
        )
        .meta({ description: 'the attendance the institution reported, lesson by lesson (考勤)' }),
    }),
  ),
  objections: z
    .array(
      z.object({
        objectionId: z.string(),
        classId: z.string(),
        lineId: z.string(),
        reason: z.string(),
        status: z.string().meta({ description: 'OPEN, UPHELD or DISMISSED' }),
        resolution: z.string().nullable(),
        createdAt: instant,
      }),
    )
    .meta({
      description:
        "objections raised during a public notice to one of the person's subsidy lines, and how they were resolved (never who objected)",
    }),
  payments: z
    .array(
      z.object({
        lineId: z.string(),
        classId: z.string(),
        enrollmentId: z.string().nullable(),
        kind: z.string(),
        payee: z.string(),
        amountFen: fen,
        status: z.string(),
      }),
    )
    .meta({ description: "the subsidy lines of the person's enrolments: paid, held, removed or recovered" }),
  subsidies: z
    .array(
      z.object({
        kind: z.enum(['TRAINING', 'EVALUATION']),
        classId: z.string(),
        occupationCode: z.string(),
        occupationName: NamedSchema.nullable(),
        level: z.string(),
        periodStart: day,
        periodEnd: day,
        status: z.string().meta({ description: 'RESERVED (a running class holds it), PAID or RELEASED' }),
      }),
    )
    .meta({ description: 'every subsidy counted against the caps (凡补必进)' }),
  entitlements: z.object({
    training: AllowanceSchema,
    evaluation: AllowanceSchema,
    closedLevels: z.array(
      z.object({
        occupationCode: z.string(),
        occupationName: NamedSchema.nullable(),
        level: LevelSchema,
        code: z.enum(['SAME_OCCUPATION_LEVEL', 'LOWER_LEVEL_AFTER_HIGHER']),
        message: NamedSchema,
      }),
    ),
    evaluatedOccupations: z.array(z.string()),
  }),
  policyVersionId: z
    .string()
    .meta({ description: 'the policy whose caps were applied (the one in force today)' }),
  invitations: z
    .array(
      z.object({
        invitationId: z.string(),
        classId: z.string(),
        title: z.string().nullable(),
        institutionName: z.string().nullable(),
        plannedStart: day.nullable(),
        plannedEnd: day.nullable(),
        stage: StageSchema.nullable(),
        status: z.enum(['SENT', 'ACCEPTED', 'DECLINED']),
        sentAt: instant,
      }),
    )
    .meta({
      description: '政策找人: the classes the bureau invited the person to, newest first, and their answers',
    }),
  vouchers: z
    .array(PersonVoucherSchema)
    .meta({ description: '电子培训券: the person’s training vouchers, newest first' }),
});

/** 个人查询: a code asked for (the answer is alike whether or not the person is registered). */
export const SelfServiceCodeSent = z.object({
  sent: z.literal(true),
  expiresAt: instant,
  simulatedText: z.string().nullable().meta({
    description: 'the simulated delivery channel only (a demo): the text the person would have received',
  }),
});
export const SelfServiceOpened = z.object({ token: z.string(), expiresAt: instant });

// ---------- 培训绩效评估 (issue 16 point 4) ----------

const rate = z
  .number()
  .nullable()
  .meta({ description: '0–1; null when its denominator is 0 (not known yet)' });
const MaskedPersonSchema = z.object({ nameMasked: z.string(), idMasked: z.string() });
const ClassAtSchema = z.object({
  classId: z.string(),
  institutionId: z.string(),
  institutionName: z.string().nullable(),
});

export const PerformanceReportSchema = z.object({
  period: z.object({ from: day, to: day, district: z.string().nullable() }),
  policyVersionId: z
    .string()
    .meta({ description: 'the policy in force on `to`, whose formula scored the report' }),
  formula: PerformanceFormulaSchema.meta({
    description: 'the formula as the policy writes it (domain/performance.ts)',
  }),
  institutions: z.array(
    z.object({
      institutionId: z.string(),
      institutionName: z.string().nullable(),
      rank: int.nullable().meta({ description: '1 = best; null when too few trainees to rank' }),
      score: z.number().nullable().meta({ description: '0–100, one decimal' }),
      penalty: z.number(),
      passRate: rate,
      certificateRate: rate,
      employmentRate: rate,
      satisfaction: z.number().nullable().meta({ description: 'mean survey score 1–5' }),
      recoveredPct: z.number().nullable(),
      figures: z.object({
        classes: int,
        trainees: int,
        assessed: int,
        passed: int,
        certified: int,
        followedUp: int,
        employed: int,
        overdueSteps: int,
        objectionsUpheld: int,
        paidFen: fen,
        recoveredFen: fen,
        surveys: int,
        satisfactionCentiSum: int,
      }),
    }),
  ),
  warnings: z.object({
    rateOutliers: z.array(
      z.object({
        kind: z.enum(['PASS_RATE_OUTLIER', 'EMPLOYMENT_RATE_OUTLIER']),
        institutionId: z.string(),
        institutionName: z.string().nullable(),
        occupationCode: z.string(),
        occupationName: NamedSchema.nullable(),
        ratePct: z.number(),
        peerMedianPct: z.number(),
        peers: int,
      }),
    ),
    overlappingClasses: z.object({
      count: int,
      shown: z.array(
        z.object({
          kind: z.literal('OVERLAPPING_CLASSES'),
          person: MaskedPersonSchema,
          first: ClassAtSchema,
          second: ClassAtSchema,
        }),
      ),
    }),
    repeatedAttendance: z.object({
      count: int,
      shown: z.array(
        z.object({ kind: z.literal('REPEATED_ATTENDANCE'), classId: z.string(), trainees: int, marked: int }),
      ),
    }),
  }),
  generatedAt: instant,
});

export const SurveyAnswered = z.object({ enrollmentId: z.string(), answeredAt: instant });

// ---------- 政策找人 (issue 16 point 3) ----------

export const InvitationStatusSchema = z.enum(['SENT', 'ACCEPTED', 'DECLINED']);

export const RegistrantSaved = z.object({
  registrantId: z.string(),
  created: z.boolean().meta({ description: 'false when the person was in the registry already (updated)' }),
});

export const CandidatePage = z.object({
  items: z.array(
    z.object({
      registrantId: z.string(),
      nameMasked: z.string(),
      idMasked: z.string(),
      category: TraineeCategorySchema,
      district: z.string(),
      registeredOn: day,
      age: int.meta({ description: 'full years on the class start' }),
      invitation: InvitationStatusSchema.nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
  invitations: z.object({ sent: int, accepted: int, declined: int }),
});

export const InvitationsSent = z.object({
  sent: z.array(z.object({ registrantId: z.string(), invitationId: z.string() })),
  refused: z.array(
    z.object({
      registrantId: z.string(),
      errors: z.array(z.object({ code: z.string(), message: z.string() })),
    }),
  ),
});

export const InvitationList = z.object({
  items: z.array(
    z.object({
      invitationId: z.string(),
      registrantId: z.string(),
      nameMasked: z.string(),
      idMasked: z.string(),
      category: z.string(),
      status: InvitationStatusSchema,
      sentBy: z.string(),
      sentAt: instant,
      respondedAt: instant.nullable(),
    }),
  ),
});

export const InvitationAnswered = z.object({ invitationId: z.string(), status: InvitationStatusSchema });

// ---------- 电子培训券 (api/routes/vouchers.ts) ----------

export const VoucherProgrammeView = z.object({
  programmeId: z.string(),
  name: z.string(),
  occupationCodes: z.array(z.string()),
  levels: z.array(LevelSchema),
  categories: z.array(TraineeCategorySchema),
  institutionIds: z
    .array(z.string())
    .meta({ description: 'where the vouchers may be used; empty: anywhere' }),
  validFrom: day,
  validUntil: day.meta({ description: 'the last day a voucher may be claimed or put to use' }),
  quantity: int,
  fundingChannel: z.string(),
  createdBy: z.string(),
  createdAt: instant,
  ended: z.boolean().meta({ description: 'its last day has passed' }),
  vouchers: z
    .object({
      issued: int.meta({ description: 'all vouchers issued' }),
      claimed: int.meta({ description: 'claimed by their holders (whatever became of them since)' }),
      reserved: int.meta({ description: 'held by an enrolment now' }),
      redeemed: int.meta({ description: 'paid for: the training subsidy line was paid' }),
      expired: int,
      remaining: int.meta({ description: 'quantity not yet issued' }),
    })
    .meta({ description: 'the funnel: issued, claimed, redeemed, expired' }),
  redeemedFen: int.meta({ description: 'training subsidy paid for the redeemed vouchers, fen' }),
});

export const VoucherProgrammeList = z.object({ items: z.array(VoucherProgrammeView) });
export const VoucherProgrammeCreated = z.object({ programmeId: z.string() });

export const VouchersIssued = z.object({
  issued: z.array(z.object({ voucherId: z.string(), nameMasked: z.string(), idMasked: z.string() })),
  refused: z.array(
    z.object({
      ref: z.string().meta({ description: 'the masked ID number, or the registrant id of a rule' }),
      errors: z.array(z.object({ code: z.string(), message: z.string() })),
    }),
  ),
});

export const VoucherRowSchema = z.object({
  voucherId: z.string(),
  nameMasked: z.string(),
  idMasked: z.string(),
  status: VoucherStatusSchema,
  issuedAt: instant,
  claimedAt: instant.nullable(),
  classId: z.string().nullable(),
  redeemedAt: instant.nullable(),
  expiredAt: instant.nullable(),
});

export const VoucherClaimed = z.object({ voucherId: z.string(), status: VoucherStatusSchema });
