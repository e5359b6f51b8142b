// Request schemas (the answers' schemas are in api/responses.ts). Shapes only: a wrong type or a missing field is 400; whether the
// content is allowed is a rule in domain/ or in the workflow's validator (422/409). Request objects are strict
// at every level: an unknown (or misspelt) field is a 400 naming it, never silently dropped.
import { ASSESSMENT_RESULTS } from '../domain/assessmentResults';
import { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import { MAX_LESSON_HOURS } from '../domain/classRules';
import { LevelSchema, OccupationCodeSchema, OccupationSchema } from '../domain/occupations';
import { unsafeCharacterIn, unsafeTextViolation, type TextRule } from '../domain/text';
import { USER_ROLES } from './roles';

/** The domain's text rule (domain/text.ts) as a zod check: the first unsafe character, named, in zh | en. */
const safeText = (rule: TextRule) => (s: string, ctx: z.core.$RefinementCtx<string>) => {
  const found = unsafeCharacterIn(s, rule);
  if (!found) return;
  const v = unsafeTextViolation(found);
  ctx.addIssue({ code: 'custom', message: `${v.zh} | ${v.en}`, input: s });
};
const bounded = (max: number, min: number, rule: TextRule) =>
  z.string().trim().min(min).max(max).superRefine(safeText(rule));
/**
 * Free text (reasons, notes, content): may run over lines (tab and newlines kept), trimmed, bounded; no
 * control, bidi or invisible characters (domain/text.ts). Stored as given otherwise: markup and formulas are
 * harmless text here, because the UI renders text and exports neutralise formulas.
 */
export const text = (max: number, min = 1) => bounded(max, min, { lines: true });
/** A name or a one-line label (titles, teachers, display names, employers, contacts): free text on one line. */
export const name = (max: number, min = 1) => bounded(max, min, {});
export const id = z
  .string()
  .min(1)
  .max(160)
  .regex(/^[\p{L}\p{N}._:#@+-]+$/u, '标识格式无效 | invalid identifier');
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: '日期格式须为YYYY-MM-DD | a date YYYY-MM-DD' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式须为HH:MM | a time HH:MM');

export const CourseLessonSchema = z.strictObject({
  date: isoDate,
  content: text(200),
  hours: z.number().finite().min(0).max(24),
  start: clockTime,
  end: clockTime,
  room: name(100),
  teacher: name(60),
});

export const ClassPlanSchema = z.strictObject({
  title: name(120),
  occupationCode: OccupationCodeSchema,
  level: LevelSchema,
  plannedStart: isoDate,
  plannedEnd: isoDate,
  classHours: z.number().int().min(1).max(5000),
  capacity: z.number().int().min(1).max(10_000),
  venue: name(200),
  teachers: z.array(name(60)).min(1).max(100),
  fundingChannel: text(60),
  commitment: z.boolean().default(false),
  courseTable: z.array(CourseLessonSchema).max(1000),
  assessmentBodyId: id,
  plannedAssessmentDate: isoDate,
});
export const PlanBody = z.strictObject({ plan: ClassPlanSchema });

export const LoginBody = z.strictObject({ username: text(100), password: z.string().min(1).max(256) });

export const ReviewBody = z.strictObject({
  decision: z.enum(['APPROVE', 'RETURN', 'REJECT']),
  /** 审核意见: optional with APPROVE, required with RETURN and REJECT; kept in the case's review notes */
  reason: text(2000).optional(),
});
export const ReasonBody = z.strictObject({ reason: text(2000) });
/**
 * 显示实名: why the names are needed (the access audit's basis, required) and, for one trainee, whose; without
 * enrollmentId the whole roster is revealed.
 */
export const RevealBody = z.strictObject({
  reason: text(500, 2),
  enrollmentId: id.optional(),
});

export const TIERS = [
  'EMPLOYED',
  'QUALIFYING_CERTIFICATE',
  'SPECIAL_ABILITY_CERTIFICATE',
  'TRAINING_CERTIFICATE',
  'NONE',
] as const;
export const ResolveObjectionBody = z
  .strictObject({
    upheld: z.boolean(),
    action: z.enum(['REMOVE', 'CORRECT']).optional(),
    tier: z.enum(TIERS).optional(),
    note: text(2000),
  })
  .superRefine((b, ctx) => {
    if (b.upheld && !b.action)
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: '支持异议时须选择处理方式 | action is required when upheld',
      });
    if (b.upheld && b.action === 'CORRECT' && !b.tier)
      ctx.addIssue({
        code: 'custom',
        path: ['tier'],
        message: '更正时须给出补贴档次 | tier is required to correct',
      });
  });

export const VerifyBody = z.strictObject({
  verdict: z.enum(['VERIFIED', 'REJECTED']),
  note: text(2000).optional(),
});

export const ExclusionsSchema = z.strictObject({
  governmentPayroll: z.boolean().optional(),
  fullTimeStudent: z.boolean().optional(),
  pensioner: z.boolean().optional(),
});
/** A roster row as typed: its content (ID check digit, name, category) is checked as a rule (422 per row). */
export const TraineeRowSchema = z.strictObject({
  idNumber: z.string().max(64),
  name: z.string().max(120),
  category: z.string().max(60),
  exclusions: ExclusionsSchema.optional(),
});
export const EnrolBody = z.strictObject({
  trainees: z.array(TraineeRowSchema).min(1).max(1000),
  validOnly: z.boolean().optional(),
  requireVoucher: z
    .boolean()
    .optional()
    .meta({ description: '电子培训券: enrol only people holding a claimed voucher usable in this class' }),
});

export const AttendanceBody = z.strictObject({
  lessons: z
    .array(
      z.strictObject({
        lessonDate: isoDate,
        lessonNo: z.number().int().min(1).max(50),
        entries: z
          .array(
            z.strictObject({
              enrollmentId: id,
              status: z.enum(['PRESENT', 'LEAVE', 'LATE', 'LEFT_EARLY', 'ABSENT']),
              hours: z.number().finite().min(0).max(MAX_LESSON_HOURS),
            }),
          )
          .max(1000),
      }),
    )
    .min(1)
    .max(500),
});

export const EvidenceBody = z.strictObject({
  enrollmentId: id,
  kind: z.enum(['SOCIAL_INSURANCE', 'LABOUR_CONTRACT', 'BUSINESS_LICENCE', 'FLEXIBLE_EMPLOYMENT']),
  employedOn: isoDate,
  employer: name(200).optional(),
});

export { ASSESSMENT_RESULTS };
export const ResultsBody = z.strictObject({
  results: z
    .array(
      z.strictObject({
        enrollmentId: id,
        result: z.enum(ASSESSMENT_RESULTS),
        certificateNo: name(80).optional(),
      }),
    )
    .min(1)
    .max(1000),
});

/** A bank account number as banks print it (digits, spaces allowed between groups). */
export const BankAccountBody = z.strictObject({
  bankAccount: z
    .string()
    .max(40)
    .regex(/^\d[\d ]{6,38}\d$/, '银行账号应为8至32位数字 | a bank account is 8 to 32 digits')
    .refine(
      (v) => v.replace(/\s/g, '').length <= 32,
      '银行账号应为8至32位数字 | a bank account is 8 to 32 digits',
    ),
  reason: text(500),
});

export const ObjectionBody = z.strictObject({
  lineId: id,
  reason: text(2000),
  contact: name(200).optional(),
});

export const UserBody = z.strictObject({
  username: z
    .string()
    .regex(/^[A-Za-z0-9._-]{3,40}$/, '用户名为3至40位字母、数字或._- | 3–40 letters, digits or ._-'),
  displayName: name(60),
  role: z.enum(USER_ROLES),
  password: z.string().min(10).max(256),
  institutionId: id.optional(),
});
/** 编辑用户: a new display name, or the account disabled (its sessions end) or enabled again. */
export const UserUpdateBody = z
  .strictObject({ displayName: name(60).optional(), disabled: z.boolean().optional() })
  .refine((b) => b.displayName !== undefined || b.disabled !== undefined, {
    message: '请至少修改一项 | change at least one field',
    path: ['displayName'],
  });
/** 重置密码: the administrator sets a new password; the user's sessions end. */
export const PasswordResetBody = z.strictObject({ password: z.string().min(10).max(256) });
export const ApiKeyBody = z.strictObject({ institutionId: id, label: name(60) });
export const CalendarBody = z.strictObject({
  announcedYears: z.array(z.number().int().min(2000).max(2100)).max(10).default([]),
  entries: z
    .array(z.strictObject({ date: isoDate, kind: z.enum(['HOLIDAY', 'WORKDAY']), name: name(60).optional() }))
    .max(400)
    .default([]),
});

/** A catalogue entry as the administrator enters it: the domain's shape, its names one-line safe text. */
export const OccupationBody = OccupationSchema.safeExtend({
  name: z.strictObject({ zh: name(60), en: name(120) }),
});

/**
 * The bank's return file, line by line as parsed (platform/bankReturn.ts). Bounded so that each batch's lines,
 * signalled to its class workflow, stay well inside Temporal's payload limit (2 MB per payload on a default
 * server): at most 1000 lines of at most (200 + 64 + 200) characters, each at most 3 bytes once JSON-encoded.
 * The bank's reference and reason are shown on case pages: one-line safe text (domain/text.ts).
 */
export const BANK_RETURN_LIMITS = { lines: 1000, paymentId: 200, bankRef: 64, reason: 200 } as const;
export const BankReturnFile = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        paymentId: z.string().min(1).max(BANK_RETURN_LIMITS.paymentId),
        status: z.enum(['PAID', 'FAILED']),
        bankRef: name(BANK_RETURN_LIMITS.bankRef).optional(),
        reason: name(BANK_RETURN_LIMITS.reason).optional(),
      }),
    )
    .max(BANK_RETURN_LIMITS.lines),
});

/**
 * 历史数据导入: closed classes from the predecessor system (domain/history.ts says what each must satisfy). Money
 * per class stays within a 32-bit column of the PostgreSQL profile (21,474,836.47 yuan); counts within a class.
 */
export const HISTORY_LIMITS = { classes: 500, fen: 2_147_483_647, trainees: 10_000 } as const;
const count = z.number().int().min(0).max(HISTORY_LIMITS.trainees);
const historyFen = z.number().int().min(0).max(HISTORY_LIMITS.fen);
export const HistoryClassSchema = z.strictObject({
  ref: id.max(60),
  institutionId: id,
  district: name(40),
  title: name(120),
  occupationCode: OccupationCodeSchema,
  level: LevelSchema,
  classHours: z.number().int().min(1).max(5000),
  capacity: z.number().int().min(1).max(HISTORY_LIMITS.trainees),
  openedOn: isoDate,
  plannedStart: isoDate,
  plannedEnd: isoDate,
  assessedOn: isoDate,
  closedOn: isoDate,
  traineeCount: count,
  passedCount: count,
  certifiedCount: count,
  employedCount: count,
  advancedFen: historyFen,
  paidFen: historyFen,
  recoveredFen: historyFen,
});
export const HistoryImportBody = z.strictObject({
  source: id
    .max(40)
    .meta({ description: 'the predecessor system, e.g. "HB-JNPX" (its name as the bureau calls it)' }),
  classes: z.array(HistoryClassSchema).min(1).max(HISTORY_LIMITS.classes),
});
