/**
 * Why a task or case is late, in business words (逾期原因): who has not done what, and since when.
 * DOMAIN.md "The life of a class" names one party per step (the caseworker reviews, the institution trains,
 * the booked assessment body assesses, finance pays); "How time is counted": a deadline is 24:00 of its last
 * day in Asia/Shanghai. Pure: the caller looks up the organisation names and passes them in.
 */
import { deadlineText } from './dates';

/** The parties that act on tasks: the bureau's caseworkers and finance, the institution, the assessment body. */
export const RESPONSIBLE_PARTIES = ['CASEWORKER', 'INSTITUTION', 'ASSESSMENT_BODY', 'FINANCE'] as const;
export type ResponsibleParty = (typeof RESPONSIBLE_PARTIES)[number];

/** What the responsible party has not done, as the end of "… has not …" / "…未在期限内…". */
interface Duty {
  party: ResponsibleParty;
  zh: string;
  en: string;
}

/** The task kinds the class and follow-up workflows open, and whose move each one is. */
export const TASK_DUTIES: Readonly<Record<string, Duty>> = {
  REVIEW_PLAN: { party: 'CASEWORKER', zh: '审核开班申请', en: 'reviewed the class plan' },
  RESUBMIT_PLAN: {
    party: 'INSTITUTION',
    zh: '补正并重新提交开班申请',
    en: 'resubmitted the returned class plan',
  },
  START_TRAINING: { party: 'INSTITUTION', zh: '开班', en: 'started training' },
  FINISH_TRAINING: { party: 'INSTITUTION', zh: '结业', en: 'finished training' },
  RECORD_ASSESSMENT: { party: 'ASSESSMENT_BODY', zh: '录入考核结果', en: 'recorded assessment results' },
  VERIFY_EMPLOYMENT: { party: 'CASEWORKER', zh: '核验就业材料', en: 'verified the employment evidence' },
  RESOLVE_OBJECTION: { party: 'CASEWORKER', zh: '处理公示异议', en: 'resolved the objection to the notice' },
  APPROVE_PAYMENT: { party: 'FINANCE', zh: '审批拨付批次', en: 'approved the payment batch' },
  IMPORT_BANK_RETURN: { party: 'FINANCE', zh: '导入银行回单', en: "imported the bank's return file" },
  CORRECT_PAYMENT: {
    party: 'FINANCE',
    zh: '更正收款信息并重新审批',
    en: 'corrected the payee details and approved the batch again',
  },
};

/** A task's role (Task.role) as the party, for a kind this table does not know yet. */
const PARTY_OF_ROLE: Readonly<Record<string, ResponsibleParty>> = {
  CASEWORKER: 'CASEWORKER',
  INSTITUTION: 'INSTITUTION',
  ASSESSOR: 'ASSESSMENT_BODY',
  FINANCE: 'FINANCE',
};

const PARTY_NAMES: Readonly<Record<ResponsibleParty, { zh: string; en: string }>> = {
  CASEWORKER: { zh: '经办人', en: 'The caseworker' },
  INSTITUTION: { zh: '培训机构', en: 'The training institution' },
  ASSESSMENT_BODY: { zh: '考核评价机构', en: 'The assessment body' },
  FINANCE: { zh: '财务', en: 'Finance' },
};

export interface LateTask {
  /** Task.kind, e.g. RECORD_ASSESSMENT. */
  kind: string;
  /** Task.role, used only for a kind missing from TASK_DUTIES. */
  role?: string | null;
  /** The missed deadline, ISO UTC. */
  dueAt: string | null;
  escalated: boolean;
  /** The class's institution (培训机构), by name where the read model has it. */
  institution?: { id: string; name?: string | null };
  /** The assessment body booked with the plan (预约评价), by name where the read model has it. */
  assessmentBody?: { id: string; name?: string | null };
}

export interface OverdueReason {
  /** The audit trail's action: OVERDUE:<kind> or ESCALATED:<kind>. */
  code: string;
  party: ResponsibleParty;
  zh: string;
  en: string;
}

/**
 * '市职业技能鉴定中心 未在期限内录入考核结果，逾期自 2026-10-08 24:00 起' /
 * '市职业技能鉴定中心 has not recorded assessment results; overdue since 2026-10-08 24:00'; an escalated task
 * adds that the section head (科室负责人) has it now.
 */
export function overdueReason(task: LateTask): OverdueReason {
  const duty = TASK_DUTIES[task.kind] ?? {
    party: PARTY_OF_ROLE[task.role ?? ''] ?? 'CASEWORKER',
    zh: `办结待办（${task.kind}）`,
    en: `completed the task ${task.kind}`,
  };
  const org =
    duty.party === 'INSTITUTION'
      ? task.institution
      : duty.party === 'ASSESSMENT_BODY'
        ? task.assessmentBody
        : undefined;
  const orgName = org?.name || org?.id || undefined;
  const who = orgName ? { zh: orgName, en: orgName } : PARTY_NAMES[duty.party];
  const since = task.dueAt ? deadlineText(task.dueAt) : undefined;
  const zhWhen = since ? `，逾期自 ${since} 起` : '，已逾期';
  const enWhen = since ? `; overdue since ${since}` : '; overdue';
  return {
    code: `${task.escalated ? 'ESCALATED' : 'OVERDUE'}:${task.kind}`,
    party: duty.party,
    zh: `${who.zh} 未在期限内${duty.zh}${zhWhen}${task.escalated ? '，已上报科室负责人督办' : ''}`,
    en: `${who.en} has not ${duty.en}${enWhen}${task.escalated ? '; escalated to the section head' : ''}`,
  };
}
