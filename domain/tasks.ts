// The kinds of task a case opens (workflows/trainingClass/humanTask.ts and the stages) by name: one table for the
// web UI and for the spreadsheets the API writes.
export const TASK_KIND_NAMES: Record<string, { zh: string; en: string }> = {
  REVIEW_PLAN: { zh: '开班审核', en: 'Review class plan' },
  RESUBMIT_PLAN: { zh: '补正开班申请', en: 'Resubmit class plan' },
  START_TRAINING: { zh: '开班', en: 'Start training' },
  FINISH_TRAINING: { zh: '结业', en: 'Finish training' },
  RECORD_ASSESSMENT: { zh: '录入考核结果', en: 'Record assessment' },
  VERIFY_EMPLOYMENT: { zh: '就业核验', en: 'Verify employment' },
  RESOLVE_OBJECTION: { zh: '异议处理', en: 'Resolve objection' },
  APPROVE_PAYMENT: { zh: '拨付审批', en: 'Approve payment' },
  IMPORT_BANK_RETURN: { zh: '导入银行回单', en: 'Import bank return' },
  PAYMENT_FAILED: { zh: '拨付失败处理', en: 'Failed payment' },
  CORRECT_PAYMENT: { zh: '更正收款信息', en: 'Correct payee details' },
};
