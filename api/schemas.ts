// Request (and a few response) schemas. Shapes only: a wrong type or a missing field is 400; whether the
// content is allowed is a rule in domain/ or in the workflow's validator (422/409).
import { z } from 'zod';
import { isIsoDate } from '../domain/dates';
import { MAX_LESSON_HOURS } from '../domain/classRules';
import { LevelSchema, OccupationCodeSchema } from '../domain/occupations';
import { RESPONSIBLE_PARTIES } from '../domain/overdue';
import { USER_ROLES } from './context';
import { STAGES } from '../workflows/messages';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** No lone surrogates (String.prototype.isWellFormed, spelled out for the ES2022 lib). */
const isWellFormed = (s: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
/** Free text: well-formed Unicode (no lone surrogates), no control characters, trimmed, bounded. */
export const text = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => isWellFormed(s) && !CONTROL.test(s), {
      message: '含有无效字符 | contains invalid characters',
    });
export const id = z
  .string()
  .min(1)
  .max(160)
  .regex(/^[\p{L}\p{N}._:#@+-]+$/u, '标识格式无效 | invalid identifier');
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: '日期格式须为YYYY-MM-DD | a date YYYY-MM-DD' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式须为HH:MM | a time HH:MM');

export const CourseLessonSchema = z.object({
  date: isoDate,
  content: text(200),
  hours: z.number().finite().min(0).max(24),
  start: clockTime,
  end: clockTime,
  room: text(100),
  teacher: text(60),
});

export const ClassPlanSchema = z.object({
  title: text(120),
  occupationCode: OccupationCodeSchema,
  level: LevelSchema,
  plannedStart: isoDate,
  plannedEnd: isoDate,
  classHours: z.number().int().min(1).max(5000),
  capacity: z.number().int().min(1).max(10_000),
  venue: text(200),
  teachers: z.array(text(60)).min(1).max(100),
  fundingChannel: text(60),
  commitment: z.boolean().default(false),
  courseTable: z.array(CourseLessonSchema).max(1000),
  assessmentBodyId: id,
  plannedAssessmentDate: isoDate,
});
export const PlanBody = z.object({ plan: ClassPlanSchema });

export const LoginBody = z.object({ username: text(100), password: z.string().min(1).max(256) });

export const ReviewBody = z.object({
  decision: z.enum(['APPROVE', 'RETURN', 'REJECT']),
  reason: text(2000).optional(),
});
export const ReasonBody = z.object({ reason: text(2000) });

export const TIERS = [
  'EMPLOYED',
  'QUALIFYING_CERTIFICATE',
  'SPECIAL_ABILITY_CERTIFICATE',
  'TRAINING_CERTIFICATE',
  'NONE',
] as const;
export const ResolveObjectionBody = z
  .object({
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

export const VerifyBody = z.object({
  verdict: z.enum(['VERIFIED', 'REJECTED']),
  note: text(2000).optional(),
});

export const ExclusionsSchema = z.object({
  governmentPayroll: z.boolean().optional(),
  fullTimeStudent: z.boolean().optional(),
  pensioner: z.boolean().optional(),
});
/** A roster row as typed: its content (ID check digit, name, category) is checked as a rule (422 per row). */
export const TraineeRowSchema = z.object({
  idNumber: z.string().max(64),
  name: z.string().max(120),
  category: z.string().max(60),
  exclusions: ExclusionsSchema.optional(),
});
export const EnrolBody = z.object({
  trainees: z.array(TraineeRowSchema).min(1).max(1000),
  validOnly: z.boolean().optional(),
});

export const AttendanceBody = z.object({
  lessons: z
    .array(
      z.object({
        lessonDate: isoDate,
        lessonNo: z.number().int().min(1).max(50),
        entries: z
          .array(
            z.object({
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

export const EvidenceBody = z.object({
  enrollmentId: id,
  kind: z.enum(['SOCIAL_INSURANCE', 'LABOUR_CONTRACT', 'BUSINESS_LICENCE', 'FLEXIBLE_EMPLOYMENT']),
  employedOn: isoDate,
  employer: text(200).optional(),
});

export const ResultsBody = z.object({
  results: z
    .array(
      z.object({
        enrollmentId: id,
        result: z.enum([
          'QUALIFICATION_CERT',
          'SKILL_LEVEL_CERT',
          'SPECIAL_ABILITY_CERT',
          'TRAINING_CERT',
          'FAILED',
        ]),
        certificateNo: text(80).optional(),
      }),
    )
    .min(1)
    .max(1000),
});

/** A bank account number as banks print it (digits, spaces allowed between groups). */
export const BankAccountBody = z.object({
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

export const ObjectionBody = z.object({ lineId: id, reason: text(2000), contact: text(200).optional() });

export const UserBody = z.object({
  username: z
    .string()
    .regex(/^[A-Za-z0-9._-]{3,40}$/, '用户名为3至40位字母、数字或._- | 3–40 letters, digits or ._-'),
  displayName: text(60),
  role: z.enum(USER_ROLES),
  password: z.string().min(10).max(256),
  institutionId: id.optional(),
});
export const ApiKeyBody = z.object({ institutionId: id, label: text(60) });
export const CalendarBody = z.object({
  announcedYears: z.array(z.number().int().min(2000).max(2100)).max(10).default([]),
  entries: z
    .array(z.object({ date: isoDate, kind: z.enum(['HOLIDAY', 'WORKDAY']), name: text(60).optional() }))
    .max(400)
    .default([]),
});

export const StageSchema = z.enum(STAGES);

// ---------- responses (for the OpenAPI document) ----------
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
});
export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  organisationId: z.string().nullable(),
});
export const SessionReply = z.object({ user: UserSchema, csrfToken: z.string() });
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

export const TaskItemSchema = z.object({
  id: z.string(),
  classId: z.string(),
  classTitle: z.string().nullable(),
  kind: z.string(),
  role: z.string(),
  stage: z.string(),
  institutionId: z.string(),
  institutionName: z.string().nullable(),
  occupationCode: z.string(),
  occupationName: z.string().nullable(),
  district: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  assignee: z.string().nullable(),
  subject: z.string().nullable(),
  evidenceId: z.string().nullable().describe('VERIFY_EMPLOYMENT: the evidence to verify'),
  createdAt: z.string(),
  overdueReason: OverdueReasonSchema.nullable().meta({ description: 'null unless overdue or escalated' }),
});
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const Accepted = z.object({ classId: z.string() });
