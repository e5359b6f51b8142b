// 留痕: what the access audit records (api/ writes it), by name — one table for the web UI and the spreadsheet.
export const AUDIT_ACTION_NAMES: Record<string, { zh: string; en: string }> = {
  PII_REVEALED: { zh: '查看完整身份信息', en: 'Viewed full identity data' },
  BANK_ACCOUNT_CORRECTED: { zh: '更正收款账户', en: 'Corrected a bank account' },
  ROSTER_NAME_DIFFERS: { zh: '花名册姓名与登记不符', en: 'Roster name differs from the registered one' },
  USER_CHANGED: { zh: '修改或停用用户', en: 'Changed or disabled a user' },
  PASSWORD_RESET: { zh: '重置用户密码', en: 'Reset a user’s password' },
  ATTACHMENT_OPENED: { zh: '下载案件附件', en: 'Downloaded a case document' },
  PERSON_RECORD_VIEWED: { zh: '查阅人员培训档案', en: 'Viewed a person’s training record' },
};
