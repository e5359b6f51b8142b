// Chinese and English names for the codes the API returns. Tiers, levels and trainee categories come
// from the pure domain tables; the rest are display names the UI owns.
import type { Stage } from '../../workflows/messages';
import type { VoucherStatus } from '../../domain/vouchers';
import type { Named } from './i18n';

export { TIER_NAMES } from '../../domain/subsidy';
export { AUDIT_ACTION_NAMES } from '../../domain/audit';
export { ROLE_NAMES } from '../../domain/roles';
import { ATTACHMENT_KIND_NAMES as DOMAIN_ATTACHMENT_KIND_NAMES } from '../../domain/attachments';
export const ATTACHMENT_KIND_NAMES = DOMAIN_ATTACHMENT_KIND_NAMES;
export { BATCH_KIND_NAMES, BATCH_STATUS_NAMES, PAYMENT_STATUS_NAMES } from '../../domain/payout';
import { OCCUPATION_CATALOGUE } from '../../domain/occupations';
import { STAGE_NAMES as DOMAIN_STAGE_NAMES } from '../../domain/stages';
import { TASK_KIND_NAMES as DOMAIN_TASK_KIND_NAMES } from '../../domain/tasks';
import { ASSESSMENT_RESULT_NAMES } from '../../domain/assessmentResults';
export { LEVEL_NAMES, LEVELS } from '../../domain/occupations';
export { OCCUPATION_CATALOGUE };
export { TRAINEE_CATEGORY_NAMES, TRAINEE_CATEGORIES } from '../../domain/categories';
export { VOUCHER_STATUS_NAMES, VOUCHER_STATUSES } from '../../domain/vouchers';

export const STAGE_NAMES: Record<Stage, Named> = DOMAIN_STAGE_NAMES;

export const STAGE_COLORS: Record<Stage, string> = {
  SUBMITTED: 'default',
  UNDER_REVIEW: 'processing',
  RETURNED: 'warning',
  REJECTED: 'error',
  APPROVED: 'cyan',
  ENROLLING: 'blue',
  TRAINING: 'geekblue',
  ASSESSMENT: 'purple',
  FOLLOW_UP: 'magenta',
  NOTICE: 'gold',
  PAYOUT: 'lime',
  CLOSED: 'success',
  CANCELLED: 'default',
};

/** The main line of a case, shown as steps on the case page (RETURNED/REJECTED/CANCELLED are side exits). */
export const MAIN_STAGES: Stage[] = [
  'UNDER_REVIEW',
  'APPROVED',
  'ENROLLING',
  'TRAINING',
  'ASSESSMENT',
  'FOLLOW_UP',
  'NOTICE',
  'PAYOUT',
  'CLOSED',
];

export const TASK_KIND_NAMES: Record<string, Named> = DOMAIN_TASK_KIND_NAMES;

/** A case's clock (CaseState.clock.task) is a task, or one of these periods that nobody has to act on. */
export const CLOCK_NAMES: Record<string, Named> = {
  ...TASK_KIND_NAMES,
  EMPLOYMENT_FOLLOW_UP: { zh: '就业跟踪期', en: 'Employment follow-up window' },
  PUBLIC_NOTICE: { zh: '公示期', en: 'Public notice period' },
};

/** The policy's funding channels (domain/policy.ts defaults). */
export const FUNDING_CHANNEL_NAMES: Record<string, Named> = {
  EMPLOYMENT_SUBSIDY_FUND: { zh: '就业补助资金', en: 'Employment subsidy fund' },
  SKILL_UPGRADE_ACCOUNT: { zh: '职业技能提升行动专账资金', en: 'Skill-upgrade special account' },
  UNEMPLOYMENT_INSURANCE_FUND: { zh: '失业保险基金', en: 'Unemployment insurance fund' },
};

/** 电子培训券: issued, claimed, reserved by an enrolment, redeemed (paid for), expired. */
export const VOUCHER_STATUS_COLORS: Record<VoucherStatus, string> = {
  ISSUED: 'blue',
  CLAIMED: 'cyan',
  RESERVED: 'gold',
  REDEEMED: 'green',
  EXPIRED: 'default',
};

export const ASSESSMENT_NAMES: Record<string, Named> = ASSESSMENT_RESULT_NAMES;

export const ENROLLMENT_STATUS_NAMES: Record<string, Named> = {
  ENROLLED: { zh: '在册', en: 'Enrolled' },
  WITHDRAWN: { zh: '已退出', en: 'Withdrawn' },
};

/** 考勤: how a trainee attended a lesson, as the institution reported it. */
export const ATTENDANCE_STATUS_NAMES: Record<string, Named> = {
  PRESENT: { zh: '出勤', en: 'Present' },
  LEAVE: { zh: '请假', en: 'On leave' },
  LATE: { zh: '迟到', en: 'Late' },
  LEFT_EARLY: { zh: '早退', en: 'Left early' },
  ABSENT: { zh: '缺勤', en: 'Absent' },
};

export const LINE_KIND_NAMES: Record<string, Named> = {
  TRAINING: { zh: '培训补贴', en: 'Training subsidy' },
  EVALUATION: { zh: '评价补贴', en: 'Evaluation subsidy' },
  ADVANCE: { zh: '先行拨付', en: 'Advance' },
  ADVANCE_DEDUCTION: { zh: '扣减先行拨付', en: 'Advance deducted' },
  RECOVERY: { zh: '追回', en: 'Recovery' },
};

export const LINE_STATUS_NAMES: Record<string, Named> = {
  NOTICED: { zh: '公示中', en: 'In notice' },
  HELD: { zh: '异议暂缓', en: 'Held (objection)' },
  PAYABLE: { zh: '待拨付', en: 'Payable' },
  PAID: { zh: '已拨付', en: 'Paid' },
  REMOVED: { zh: '已剔除', en: 'Removed' },
  RECOVERY_DUE: { zh: '待追回', en: 'Recovery due' },
};

export const BATCH_COLORS: Record<string, string> = {
  AWAITING_APPROVAL: 'gold',
  APPROVED: 'blue',
  SUBMITTED: 'processing',
  PAID: 'green',
  PARTIALLY_FAILED: 'red',
  AWAITING_CORRECTION: 'red',
};

export const OBJECTION_STATUS_NAMES: Record<string, Named> = {
  OPEN: { zh: '待处理', en: 'Open' },
  UPHELD: { zh: '成立', en: 'Upheld' },
  DISMISSED: { zh: '不成立', en: 'Dismissed' },
};

/** 就业材料 kinds: the documents employment evidence is (domain/attachments.ts names them once). */
export const EVIDENCE_KIND_NAMES: Record<string, Named> = Object.fromEntries(
  (['SOCIAL_INSURANCE', 'LABOUR_CONTRACT', 'BUSINESS_LICENCE', 'FLEXIBLE_EMPLOYMENT'] as const).map((k) => [
    k,
    DOMAIN_ATTACHMENT_KIND_NAMES[k],
  ]),
);

/** Timeline actions; `TASK_OPENED:REVIEW_PLAN` reads as the action followed by the task's name. */
export const ACTION_NAMES: Record<string, Named> = {
  PLAN_SUBMITTED: { zh: '提交开班申请', en: 'Plan submitted' },
  IMPORTED: { zh: '历史数据导入', en: 'Imported from the predecessor system' },
  PLAN_APPROVED: { zh: '审核通过', en: 'Plan approved' },
  PLAN_RETURNED: { zh: '退回补正', en: 'Plan returned' },
  PLAN_REJECTED: { zh: '不予通过', en: 'Plan rejected' },
  PLAN_RESUBMITTED: { zh: '重新提交', en: 'Plan resubmitted' },
  ADVANCE_PAID: { zh: '先行拨付', en: 'Advance paid' },
  ENROLMENT_OPENED: { zh: '开放报名', en: 'Enrolment opened' },
  TRAINEES_ENROLLED: { zh: '学员报名', en: 'Trainees enrolled' },
  TRAINEE_WITHDRAWN: { zh: '学员退出', en: 'Trainee withdrawn' },
  TRAINING_STARTED: { zh: '开班', en: 'Training started' },
  ATTENDANCE_REPORTED: { zh: '报送考勤', en: 'Attendance reported' },
  TRAINING_FINISHED: { zh: '结业', en: 'Training finished' },
  ASSESSMENT_RECORDED: { zh: '录入考核结果', en: 'Assessment recorded' },
  ASSESSMENT_COMPLETE: { zh: '考核完成', en: 'Assessment complete' },
  FOLLOW_UP_STARTED: { zh: '开始就业跟踪', en: 'Follow-up started' },
  FOLLOW_UP_COMPLETE: { zh: '就业跟踪完成', en: 'Follow-up complete' },
  EVIDENCE_SUBMITTED: { zh: '提交就业材料', en: 'Evidence submitted' },
  EVIDENCE_VERIFIED: { zh: '就业材料核验通过', en: 'Evidence verified' },
  EVIDENCE_REJECTED: { zh: '就业材料核验不通过', en: 'Evidence rejected' },
  EMPLOYMENT_CONFIRMED: { zh: '确认就业', en: 'Employment confirmed' },
  FOLLOW_UP_WINDOW_CLOSED: { zh: '就业跟踪期届满', en: 'Follow-up window closed' },
  SUBSIDY_CALCULATED: { zh: '补贴核算', en: 'Subsidy calculated' },
  NOTICE_PUBLISHED: { zh: '发布公示', en: 'Notice published' },
  NOTICE_CLOSED: { zh: '公示结束', en: 'Notice closed' },
  CORRECTED_LIST: { zh: '更正名单', en: 'List corrected' },
  OBJECTION_RAISED: { zh: '提出异议', en: 'Objection raised' },
  OBJECTION_RESOLVED: { zh: '异议处理', en: 'Objection resolved' },
  PAYOUT_OPENED: { zh: '进入拨付', en: 'Payout opened' },
  LINES_PAID: { zh: '补贴已拨付', en: 'Lines paid' },
  PAYMENTS_SETTLED: { zh: '拨付完成', en: 'Payments settled' },
  RECOVERY_DUE: { zh: '待追回', en: 'Recovery due' },
  TASK_OPENED: { zh: '生成待办', en: 'Task opened' },
  TASK_CLOSED: { zh: '待办办结', en: 'Task closed' },
  OVERDUE: { zh: '逾期', en: 'Overdue' },
  ESCALATED: { zh: '督办', en: 'Escalated' },
  DEADLINE_RECOMPUTED: { zh: '期限重算', en: 'Deadline recomputed' },
  BATCH_AWAITING_APPROVAL: { zh: '拨付批次待审批', en: 'Batch awaiting approval' },
  BATCH_APPROVED: { zh: '拨付批次已审批', en: 'Batch approved' },
  BATCH_SUBMITTED: { zh: '拨付批次已提交银行', en: 'Batch sent to bank' },
  BATCH_PAID: { zh: '拨付批次已支付', en: 'Batch paid' },
  BATCH_PARTIALLY_FAILED: { zh: '拨付批次部分失败', en: 'Batch partially failed' },
  BATCH_AWAITING_CORRECTION: { zh: '拨付批次待更正收款信息', en: 'Batch awaiting correction' },
  CASE_CLOSED: { zh: '办结', en: 'Case closed' },
  CASE_CANCELLED: { zh: '撤销', en: 'Case cancelled' },
  CASE_ENDED: { zh: '结束', en: 'Case ended' },
};

/** The demo catalogue's name for an occupation code (the API may also send occupationName). */
export function occupationNamed(code: string | undefined): Named | undefined {
  return code ? OCCUPATION_CATALOGUE.find((o) => o.code === code)?.name : undefined;
}

/** Codes by their names in a line, 中式烹调师、养老护理员 (a code the table lacks stays a code). */
export function namesOf(
  codes: readonly string[],
  named: (code: string) => Named | undefined,
  i18n: { lang: string; name: (n: Named | undefined, fallback?: string) => string },
): string {
  return codes.map((c) => i18n.name(named(c), c)).join(i18n.lang === 'en' ? ', ' : '、');
}

/** 'TASK_OPENED:REVIEW_PLAN' → 生成待办 · 开班审核; 'NOTICE_PUBLISHED:2' → 发布公示 · 2. */
export function actionLabel(
  action: string,
  name: (n: Named | undefined, fallback?: string) => string,
): string {
  if (ACTION_NAMES[action]) return name(ACTION_NAMES[action]);
  const [head = action, ...rest] = action.split(':');
  const tail = rest.join(':');
  const base = name(ACTION_NAMES[head], head);
  return tail ? `${base} · ${name(TASK_KIND_NAMES[tail], tail)}` : base;
}
