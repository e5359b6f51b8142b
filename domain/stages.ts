// The stages of a case by name, in process order (DOMAIN.md "The life of a class"): one table for the web UI and
// for the spreadsheets the API writes.
export const STAGE_NAMES = {
  SUBMITTED: { zh: '已提交', en: 'Submitted' },
  UNDER_REVIEW: { zh: '审核中', en: 'Under review' },
  RETURNED: { zh: '已退回', en: 'Returned' },
  REJECTED: { zh: '不予通过', en: 'Rejected' },
  APPROVED: { zh: '已核准', en: 'Approved' },
  ENROLLING: { zh: '报名中', en: 'Enrolling' },
  TRAINING: { zh: '培训中', en: 'Training' },
  ASSESSMENT: { zh: '考核评价', en: 'Assessment' },
  FOLLOW_UP: { zh: '就业跟踪', en: 'Employment follow-up' },
  NOTICE: { zh: '公示中', en: 'Public notice' },
  PAYOUT: { zh: '拨付中', en: 'Payout' },
  CLOSED: { zh: '已办结', en: 'Closed' },
  CANCELLED: { zh: '已撤销', en: 'Cancelled' },
} as const satisfies Record<string, { zh: string; en: string }>;

/** The ways a case ends: after these nothing more is taken from an institution, and the dashboard counts it closed. */
export const ENDED_STAGES: readonly string[] = ['CLOSED', 'REJECTED', 'CANCELLED'];
