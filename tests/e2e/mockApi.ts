// A stand-in for the API, for the UI test that runs without the stack: web/dist is served from disk and
// /api/v1 answers from fixtures shaped like docs/api.md, through playwright's page.route(). index.html comes
// with the API's Content-Security-Policy and a fresh nonce, as api/securityHeaders.ts serves it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Request, Route } from 'playwright-core';
import { CSP_NONCE_PLACEHOLDER, cspDirectives } from '../../api/securityHeaders';

export const MOCK_ORIGIN = 'http://skillflow.test';
const DIST = path.join(__dirname, '..', '..', 'web', 'dist');

const users = {
  caseworker: {
    id: 'u-caseworker',
    username: 'caseworker',
    displayName: '王敏（经办人）',
    role: 'CASEWORKER',
  },
  finance: { id: 'u-finance', username: 'finance', displayName: '李强（财务）', role: 'FINANCE' },
  manager: { id: 'u-manager', username: 'manager', displayName: '张伟（科室负责人）', role: 'MANAGER' },
  inst1: { id: 'u-inst1', username: 'inst1', displayName: '智联职业培训学校', role: 'INSTITUTION' },
} as const;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const instant = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();

function plan(title: string, code: string, start: number) {
  return {
    title,
    occupationCode: code,
    level: 'LEVEL_5',
    plannedStart: day(start),
    plannedEnd: day(start + 14),
    classHours: 80,
    capacity: 20,
    venue: '石家庄市长安区中山东路88号实训楼',
    teachers: ['高级技师 刘建国', '技师 陈丽'],
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    commitment: false,
    courseTable: [0, 1, 2].map((d) => ({
      date: day(start + d),
      content: ['理论基础', '安全规范', '实操训练'][d],
      hours: 8,
      start: '08:30',
      end: '17:30',
      room: '301',
      teacher: '刘建国',
    })),
    assessmentBodyId: 'assess-sjz-01',
    plannedAssessmentDate: day(start + 18),
  };
}

function classRow(id: string, title: string, stage: string, code: string, start: number, extra = {}) {
  return {
    id,
    institutionId: 'inst-sjz-01',
    occupationCode: code,
    level: 'LEVEL_5',
    district: '长安区',
    title,
    stage,
    policyVersionId: 'hebei-2024',
    plannedStart: day(start),
    plannedEnd: day(start + 14),
    classHours: 80,
    capacity: 20,
    dueAt: instant(3),
    overdue: false,
    escalated: false,
    traineeCount: 0,
    plan: plan(title, code, start),
    ...extra,
  };
}

/** Missed deadlines, fixed so the reasons (docs/api.md overdueReason) can be written out in full. */
const REVIEW_DUE = '2026-11-20T16:00:00.000Z'; // 2026-11-20 24:00 Asia/Shanghai
const ASSESSMENT_DUE = '2026-10-08T16:00:00.000Z'; // 2026-10-08 24:00: 7 days after 09-24, past the holiday

/** The reasons the API gives an overdue task and a stuck case (domain/overdue.ts). */
export const REASONS = {
  review: {
    code: 'ESCALATED:REVIEW_PLAN',
    party: 'CASEWORKER',
    zh: '经办人 未在期限内审核开班申请，逾期自 2026-11-20 24:00 起，已上报科室负责人督办',
    en: 'The caseworker has not reviewed the class plan; overdue since 2026-11-20 24:00; escalated to the section head',
  },
  assessment: {
    code: 'OVERDUE:RECORD_ASSESSMENT',
    party: 'ASSESSMENT_BODY',
    zh: '石家庄市职业技能鉴定中心 未在期限内录入考核结果，逾期自 2026-10-08 24:00 起',
    en: '石家庄市职业技能鉴定中心 has not recorded assessment results; overdue since 2026-10-08 24:00',
  },
} as const;

const REVIEW_ID = 'SJZ-2026-000101';
const NOTICE_ID = 'SJZ-2026-000107';
const ENROLLING_ID = 'SJZ-2026-000104';
export const FOLLOW_UP_ID = 'SJZ-2026-000108';

const tasks = [
  {
    id: `${REVIEW_ID}:REVIEW_PLAN::1`,
    classId: REVIEW_ID,
    classTitle: '中式烹调师（五级）2026年第12期',
    kind: 'REVIEW_PLAN',
    role: 'CASEWORKER',
    stage: 'UNDER_REVIEW',
    institutionId: 'inst-sjz-01',
    institutionName: '智联职业培训学校',
    occupationCode: '4-03-02-01',
    occupationName: '中式烹调师',
    district: '长安区',
    dueAt: instant(4),
    overdue: false,
    escalated: false,
    assignee: null,
    assigneeName: null,
    subject: null,
    status: 'OPEN',
    createdAt: instant(-1),
  },
  {
    id: 'SJZ-2026-000102:REVIEW_PLAN::1',
    classId: 'SJZ-2026-000102',
    classTitle: '养老护理员（五级）冬季班',
    kind: 'REVIEW_PLAN',
    role: 'CASEWORKER',
    stage: 'UNDER_REVIEW',
    institutionId: 'inst-sjz-02',
    institutionName: '燕赵家政职业培训学校',
    occupationCode: '4-10-01-05',
    occupationName: '养老护理员',
    district: '桥西区',
    dueAt: REVIEW_DUE,
    overdue: true,
    escalated: true,
    assignee: 'u-caseworker',
    assigneeName: '王敏（经办人）',
    subject: null,
    status: 'OPEN',
    createdAt: instant(-9),
    overdueReason: REASONS.review,
  },
  {
    id: `${NOTICE_ID}:VERIFY_EMPLOYMENT:ev-1`,
    classId: NOTICE_ID,
    classTitle: '中式烹调师（五级）2026年第9期',
    kind: 'VERIFY_EMPLOYMENT',
    role: 'CASEWORKER',
    stage: 'FOLLOW_UP',
    institutionId: 'inst-sjz-01',
    institutionName: '智联职业培训学校',
    occupationCode: '4-03-02-01',
    occupationName: '中式烹调师',
    district: '长安区',
    dueAt: instant(1),
    overdue: false,
    escalated: false,
    assignee: null,
    assigneeName: null,
    subject: 'e-2',
    evidenceId: 'ev-1',
    status: 'OPEN',
    createdAt: instant(-3),
  },
  {
    id: 'SJZ-2026-000095:RECORD_ASSESSMENT::14',
    classId: 'SJZ-2026-000095',
    classTitle: '电工（五级）2026年第3期',
    kind: 'RECORD_ASSESSMENT',
    role: 'ASSESSOR',
    stage: 'ASSESSMENT',
    institutionId: 'inst-sjz-01',
    institutionName: '智联职业培训学校',
    occupationCode: '6-31-01-03',
    occupationName: '电工',
    district: '长安区',
    dueAt: ASSESSMENT_DUE,
    overdue: true,
    escalated: false,
    assignee: null,
    assigneeName: null,
    subject: null,
    status: 'OPEN',
    createdAt: instant(-14),
    overdueReason: REASONS.assessment,
  },
];
/** what the inbox's stand-in answers: the menu's to-do badge counts these */
export const MOCK_TASK_COUNTS = { open: tasks.length, overdue: tasks.filter((x) => x.overdue).length };

const trainees = ['王伟', '李娜', '张敏'].map((n, i) => ({
  enrollmentId: `e-${i + 1}`,
  nameMasked: `${n[0]}*${n.length > 2 ? n.slice(-1) : ''}`,
  idMasked: `130102********${1000 + i}`.slice(0, 18),
  category: ['REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT', 'GRADUATING_STUDENT'][i],
  status: 'ENROLLED',
  attendedHours: [80, 76, 60][i],
  assessment: ['SKILL_LEVEL_CERT', 'TRAINING_CERT', 'FAILED'][i],
  employed: [true, false, false][i],
  tier: ['EMPLOYED', 'TRAINING_CERTIFICATE', 'NONE'][i],
  amountFen: [110000, 55000, 0][i],
}));

function caseState(row: ReturnType<typeof classRow>, stage: string) {
  const notice = stage === 'NOTICE';
  return {
    classId: row.id,
    institutionId: row.institutionId,
    district: row.district,
    stage,
    plan: row.plan,
    policyVersionId: 'hebei-2024',
    standardFen: 110000,
    clock: {
      task: notice ? 'RESOLVE_OBJECTION' : 'REVIEW_PLAN',
      dueAt: instant(3),
      provisional: false,
      overdue: false,
      escalated: false,
    },
    reviewNotes: [],
    trainees: notice ? trainees.map(({ nameMasked: _n, idMasked: _i, ...t }) => t) : [],
    lines: notice
      ? trainees.map((t, i) => ({
          lineId: `${row.id}:${t.enrollmentId}:T`,
          enrollmentId: t.enrollmentId,
          kind: 'TRAINING',
          payee: 'inst-sjz-01',
          tier: t.tier,
          pct: [100, 50, 0][i],
          amountFen: t.amountFen,
          status: i === 1 ? 'HELD' : 'NOTICED',
          remark: i === 2 ? '考核不合格，不予补贴' : undefined,
          noticeRound: 1,
        }))
      : [],
    noticeRound: notice ? 1 : 0,
    objections: notice ? [{ objectionId: 'obj-1', lineId: `${row.id}:e-2:T`, status: 'OPEN' }] : [],
    advancePaidFen: 0,
    paidFen: 0,
    recoveryFen: 0,
    batches: notice
      ? [{ batchId: `${row.id}-S1`, kind: 'SETTLEMENT', totalFen: 110000, status: 'AWAITING_APPROVAL' }]
      : [],
    history: [],
  };
}

function timeline(stage: string) {
  const events = [
    ['PLAN_SUBMITTED', 'u-inst1', 'UNDER_REVIEW'],
    ['TASK_OPENED:REVIEW_PLAN', 'system', 'UNDER_REVIEW'],
  ];
  if (stage !== 'UNDER_REVIEW')
    events.push(
      ['PLAN_APPROVED', 'u-caseworker', 'APPROVED'],
      ['TRAINING_STARTED', 'inst-sjz-01', 'TRAINING'],
      ['TRAINING_FINISHED', 'inst-sjz-01', 'ASSESSMENT'],
      ['SUBSIDY_CALCULATED', 'system', 'NOTICE'],
      ['NOTICE_PUBLISHED:1', 'system', 'NOTICE'],
      ['OBJECTION_RAISED', 'public', 'NOTICE'],
    );
  return events.map(([action, actor, st], i) => ({
    seq: i + 1,
    at: instant(-10 + i),
    actor,
    action,
    stage: st,
  }));
}

// ---------- a class in employment follow-up (issue 15, points 1 and 7) ----------

/**
 * The trainees' window: training ended yesterday (so yesterday and today both show in the date picker's
 * month), the last day 3 months on; provisional, as when next year's holidays are not announced yet.
 */
export const FOLLOW_UP_WINDOW = {
  trainingEnd: day(-1),
  endsOn: day(90),
  endsAt: `${day(90)}T16:00:00.000Z`,
  provisional: true,
};
/** The window after the year's holidays were announced: recomputed, it ends earlier (a made-up shift). */
export const RECOMPUTED_WINDOW = {
  ...FOLLOW_UP_WINDOW,
  endsOn: day(60),
  endsAt: `${day(60)}T16:00:00.000Z`,
  provisional: false,
};
/** What the server answers when the window moved under the page; after it the case shows the new window. */
export const OUTSIDE_WINDOW_MESSAGE = `就业日期须在培训结束（${day(-1)}）之后、跟踪期截止日（${day(60)}）之前`;

const followUpTrainees = ['王伟', '李娜', '张敏', '赵磊'].map((n, i) => ({
  enrollmentId: `f-${i + 1}`,
  nameMasked: `${n[0]}*${n.slice(-1)}`,
  idMasked: `130102********${2000 + i}`,
  category: 'REGISTERED_UNEMPLOYED',
  status: 'ENROLLED',
  attendedHours: 80,
  assessment: i === 3 ? 'FAILED' : 'SKILL_LEVEL_CERT',
  certificateNo: i === 3 ? null : `ZS-${i + 1}`,
  employed: null,
  tier: null,
  amountFen: null,
  followUpWindow: i === 3 ? null : FOLLOW_UP_WINDOW,
}));

const followUpEvidence = [
  // in the window, awaiting the caseworker
  {
    id: 'ev-10',
    enrollmentId: 'f-1',
    kind: 'LABOUR_CONTRACT',
    employedOn: day(5),
    employer: '石家庄市某物业服务有限公司',
  },
  // dated the day training ended: outside the window (filed before evidence was checked on arrival)
  {
    id: 'ev-11',
    enrollmentId: 'f-2',
    kind: 'SOCIAL_INSURANCE',
    employedOn: day(-1),
    employer: '石家庄市某餐饮公司',
  },
  // rejected, with the caseworker's note: the institution files again
  {
    id: 'ev-12',
    enrollmentId: 'f-3',
    kind: 'LABOUR_CONTRACT',
    employedOn: day(3),
    employer: '石家庄市某家政公司',
    verdict: 'REJECTED',
    verifiedBy: 'u-caseworker',
    verdictNote: '劳动合同未加盖用人单位公章',
  },
].map((e) => ({ verdict: null, verifiedBy: null, verdictNote: null, createdAt: instant(-0.5), ...e }));

/**
 * The timeline as the API answers it: oldest first across the class and its children. The class and each
 * child number their own events, so the same seq appears more than once.
 */
const followUpTimeline = [
  ['PLAN_SUBMITTED', 'u-inst1', 'UNDER_REVIEW', 1, -30, null],
  ['PLAN_APPROVED', 'u-caseworker', 'APPROVED', 2, -28, null],
  ['TRAINEE_WITHDRAWN', 'u-inst1', 'ENROLLING', 3, -26, 'f-4'],
  ['TRAINING_STARTED', 'inst-sjz-01', 'TRAINING', 4, -20, null],
  ['TRAINING_FINISHED', 'inst-sjz-01', 'ASSESSMENT', 5, -1.2, null],
  ['FOLLOW_UP_STARTED', 'system', 'FOLLOW_UP', 6, -1, null],
  ['EVIDENCE_SUBMITTED', 'inst-sjz-01', 'FOLLOW_UP', 1, -0.9, 'f-3'],
  ['EVIDENCE_REJECTED', 'u-caseworker', 'FOLLOW_UP', 2, -0.8, 'f-3'],
  ['EVIDENCE_SUBMITTED', 'inst-sjz-01', 'FOLLOW_UP', 1, -0.6, 'f-1'],
  ['EVIDENCE_SUBMITTED', 'inst-sjz-01', 'FOLLOW_UP', 1, -0.5, 'f-2'],
  ['OVERDUE:VERIFY_EMPLOYMENT', 'system', 'FOLLOW_UP', 2, -0.1, 'f-2'],
].map(([action, actor, stage, seq, at, enrollmentId]) => ({
  id: `${enrollmentId ? `${FOLLOW_UP_ID}.followup.${enrollmentId}` : FOLLOW_UP_ID}:${seq}`,
  seq,
  at: instant(at as number),
  actor,
  action,
  stage,
  enrollmentId,
}));

/** The one person the stand-in registry knows (a made-up ID number with a valid check digit). */
/** 培训绩效评估: three institutions in one occupation, one with a pass rate far above the others, and its warnings. */
const formula = {
  weights: { passRate: 30, certificateRate: 10, employmentRate: 40, satisfaction: 20 },
  penalties: { perOverdueStepPerClass: 5, perUpheldObjectionPerClass: 5, perRecoveredPct: 1 },
  minTraineesToRank: 10,
  outlier: { minPeers: 2, minAssessed: 5, pointsAboveMedian: 25 },
  repeatedAttendanceMin: 5,
};
const figures = (f: Record<string, number>) => ({
  classes: 2,
  trainees: 40,
  assessed: 40,
  passed: 0,
  certified: 0,
  followedUp: 0,
  employed: 0,
  overdueSteps: 0,
  objectionsUpheld: 0,
  paidFen: 4_800_000,
  recoveredFen: 0,
  surveys: 0,
  satisfactionCentiSum: 0,
  ...f,
});
const performanceReport = {
  period: { from: '2026-01-01', to: '2026-11-30', district: null },
  policyVersionId: 'hebei-2024',
  formula,
  institutions: [
    {
      institutionId: 'inst-sjz-03',
      institutionName: '石家庄市鑫达职业培训学校',
      rank: 1,
      score: 78.8,
      penalty: 0,
      passRate: 1,
      certificateRate: 0.95,
      employmentRate: 0.6,
      satisfaction: 3.9,
      recoveredPct: 0,
      ...{
        figures: figures({
          passed: 40,
          certified: 38,
          followedUp: 40,
          employed: 24,
          surveys: 31,
          satisfactionCentiSum: 12090,
        }),
      },
    },
    {
      institutionId: 'inst-sjz-01',
      institutionName: '石家庄市智联职业培训学校',
      rank: 2,
      score: 61.4,
      penalty: 5,
      passRate: 0.75,
      certificateRate: 0.7,
      employmentRate: 0.53,
      satisfaction: 4.4,
      recoveredPct: 0,
      figures: figures({
        passed: 30,
        certified: 28,
        followedUp: 30,
        employed: 16,
        overdueSteps: 2,
        surveys: 35,
        satisfactionCentiSum: 15400,
      }),
    },
    {
      institutionId: 'inst-sjz-02',
      institutionName: '石家庄市燕赵家政职业培训学校',
      rank: 3,
      score: 55.2,
      penalty: 8,
      passRate: 0.7,
      certificateRate: 0.6,
      employmentRate: 0.5,
      satisfaction: 4.1,
      recoveredPct: 3,
      figures: figures({
        passed: 28,
        certified: 24,
        followedUp: 28,
        employed: 14,
        objectionsUpheld: 1,
        recoveredFen: 144_000,
        surveys: 20,
        satisfactionCentiSum: 8200,
      }),
    },
    {
      institutionId: 'inst-sjz-04',
      institutionName: '石家庄市新起点职业培训学校',
      rank: null,
      score: null,
      penalty: 0,
      passRate: 0.8,
      certificateRate: 0.8,
      employmentRate: null,
      satisfaction: null,
      recoveredPct: null,
      figures: figures({ classes: 1, trainees: 5, assessed: 5, passed: 4, certified: 4 }),
    },
  ],
  warnings: {
    rateOutliers: [
      {
        kind: 'PASS_RATE_OUTLIER',
        institutionId: 'inst-sjz-03',
        institutionName: '石家庄市鑫达职业培训学校',
        occupationCode: '4-03-02-01',
        occupationName: { zh: '中式烹调师', en: 'Chinese cook' },
        ratePct: 100,
        peerMedianPct: 72.5,
        peers: 2,
      },
    ],
    overlappingClasses: {
      count: 1,
      shown: [
        {
          kind: 'OVERLAPPING_CLASSES',
          person: { nameMasked: '刘*', idMasked: '130102********0024' },
          first: {
            classId: 'SJZ-2026-000088',
            institutionId: 'inst-sjz-01',
            institutionName: '石家庄市智联职业培训学校',
          },
          second: {
            classId: 'SJZ-2026-000093',
            institutionId: 'inst-sjz-03',
            institutionName: '石家庄市鑫达职业培训学校',
          },
        },
      ],
    },
    repeatedAttendance: {
      count: 1,
      shown: [{ kind: 'REPEATED_ATTENDANCE', classId: 'SJZ-2026-000093', trainees: 12, marked: 3 }],
    },
  },
  generatedAt: new Date().toISOString(),
};

/** 政策找人: three people of the registry who could join the enrolling class. */
const candidates = (
  [
    ['REG-1', '王*', '130102********0031', 'REGISTERED_UNEMPLOYED', 34, '2026-02-01'],
    ['REG-2', '李*', '130104********0042', 'REGISTERED_UNEMPLOYED', 41, '2026-05-12'],
    ['REG-3', '赵**', '130105********0023', 'RURAL_MIGRANT', 28, '2026-01-20'],
  ] as const
).map(([registrantId, nameMasked, idMasked, category, age, registeredOn]) => ({
  registrantId,
  nameMasked,
  idMasked,
  category,
  district: '长安区',
  registeredOn,
  age,
}));

export const PERSON_ID = '130104198805120017';
export const PERSON_NAME = '张三';
const PERSON_CODE = '482913';
const cook = { zh: '中式烹调师', en: 'Chinese cook' };
const personRecord = {
  person: { nameMasked: '张*', idMasked: '130104********0017', birthDate: '1988-05-12', sex: 'M' },
  classes: [
    {
      enrollmentId: 'SJZ-2025-000031-E007',
      classId: 'SJZ-2025-000031',
      title: '中式烹调师（四级）2025年第3期',
      institutionId: 'inst-sjz-01',
      institutionName: '石家庄市智联职业培训学校',
      occupationCode: '4-03-02-01',
      occupationName: cook,
      level: 'LEVEL_4',
      plannedStart: '2025-03-03',
      plannedEnd: '2025-04-11',
      classHours: 120,
      stage: 'CLOSED',
      category: 'REGISTERED_UNEMPLOYED',
      status: 'ENROLLED',
      attendedHours: 118,
      assessment: 'SKILL_LEVEL_CERT',
      certificateNo: 'S130000202500123',
      employed: true,
      tier: 'CERT_EMPLOYED',
      amountFen: 180000,
      survey: 'OPEN',
      lessons: [
        { lessonDate: '2025-03-03', lessonNo: 1, status: 'PRESENT', hours: 8 },
        { lessonDate: '2025-03-04', lessonNo: 2, status: 'LATE', hours: 8 },
        { lessonDate: '2025-03-05', lessonNo: 3, status: 'LEAVE', hours: 6 },
      ],
    },
    {
      enrollmentId: `${ENROLLING_ID}-E004`,
      classId: ENROLLING_ID,
      title: '中式面点师（五级）第5期',
      institutionId: 'inst-sjz-01',
      institutionName: '石家庄市智联职业培训学校',
      occupationCode: '4-03-02-02',
      occupationName: { zh: '中式面点师', en: 'Chinese pastry cook' },
      level: 'LEVEL_5',
      plannedStart: day(7),
      plannedEnd: day(20),
      classHours: 80,
      stage: 'ENROLLING',
      category: 'REGISTERED_UNEMPLOYED',
      status: 'ENROLLED',
      attendedHours: 0,
      assessment: null,
      certificateNo: null,
      employed: null,
      tier: null,
      amountFen: null,
      survey: 'NOT_OPEN',
      lessons: [],
    },
  ],
  objections: [
    {
      objectionId: 'OBJ-1',
      classId: 'SJZ-2025-000031',
      lineId: 'SJZ-2025-000031:SJZ-2025-000031-E007:T',
      reason: '该学员培训期间在外地务工，未实际参加培训',
      status: 'DISMISSED',
      resolution: '经核对考勤签到与实训记录，异议不成立',
      createdAt: '2025-05-06T02:30:00.000Z',
    },
  ],
  payments: [
    {
      lineId: 'SJZ-2025-000031:SJZ-2025-000031-E007:T',
      classId: 'SJZ-2025-000031',
      enrollmentId: 'SJZ-2025-000031-E007',
      kind: 'TRAINING',
      payee: 'inst-sjz-01',
      amountFen: 180000,
      status: 'PAID',
    },
  ],
  subsidies: [
    {
      kind: 'TRAINING',
      classId: 'SJZ-2025-000031',
      occupationCode: '4-03-02-01',
      occupationName: cook,
      level: 'LEVEL_4',
      periodStart: '2025-03-03',
      periodEnd: '2025-04-11',
      status: 'PAID',
    },
    {
      kind: 'TRAINING',
      classId: ENROLLING_ID,
      occupationCode: '4-03-02-02',
      occupationName: { zh: '中式面点师', en: 'Chinese pastry cook' },
      level: 'LEVEL_5',
      periodStart: day(7),
      periodEnd: day(20),
      status: 'RESERVED',
    },
  ],
  invitations: [
    {
      invitationId: 'INV-1',
      classId: ENROLLING_ID,
      title: '中式面点师（五级）第5期',
      institutionName: '石家庄市智联职业培训学校',
      plannedStart: day(7),
      plannedEnd: day(20),
      stage: 'ENROLLING',
      status: 'SENT',
      sentAt: new Date().toISOString(),
    },
  ],
  entitlements: {
    training: { used: 2, cap: 3, left: 1 },
    evaluation: { used: 0, cap: 3, left: 3 },
    closedLevels: [
      {
        occupationCode: '4-03-02-01',
        occupationName: cook,
        level: 'LEVEL_5',
        code: 'LOWER_LEVEL_AFTER_HIGHER',
        message: { zh: '已享受更高等级', en: 'A higher level was subsidised' },
      },
      {
        occupationCode: '4-03-02-01',
        occupationName: cook,
        level: 'LEVEL_4',
        code: 'SAME_OCCUPATION_LEVEL',
        message: { zh: '同一等级已享受', en: 'Already subsidised at this level' },
      },
    ],
    evaluatedOccupations: [],
  },
  policyVersionId: 'hebei-2024',
  vouchers: [] as PersonVoucher[],
};

// ---------- 电子培训券 (issue 16 point 2) ----------

type PersonVoucher = {
  voucherId: string;
  programmeId: string;
  programmeName: string;
  occupationCodes: string[];
  levels: string[];
  institutionIds: string[];
  validFrom: string;
  validUntil: string;
  status: string;
  classId: string | null;
  issuedAt: string;
};

/** A programme running (its funnel adds up: 34 issued, 15 claimed, 30 reserved, 41 redeemed) and one ended. */
export const VOUCHER_PROGRAMME_ID = 'VP-2026HZ0001';
const ENDED_PROGRAMME_ID = 'VP-2025CY0007';
const voucherProgrammes = [
  {
    programmeId: VOUCHER_PROGRAMME_ID,
    name: '2026年家政服务技能培训券',
    occupationCodes: ['4-10-01-05', '4-10-01-02'],
    levels: ['LEVEL_5', 'LEVEL_4'],
    categories: ['REGISTERED_UNEMPLOYED', 'RURAL_MIGRANT'],
    institutionIds: [],
    validFrom: day(-60),
    validUntil: day(120),
    quantity: 500,
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    createdBy: 'u-manager',
    createdAt: instant(-61),
    ended: false,
    vouchers: { issued: 120, claimed: 86, reserved: 30, redeemed: 41, expired: 0, remaining: 380 },
    redeemedFen: 4_510_000,
  },
  {
    programmeId: ENDED_PROGRAMME_ID,
    name: '2025年餐饮技能提升培训券',
    occupationCodes: ['4-03-02-01', '4-03-02-02'],
    levels: ['LEVEL_5'],
    categories: ['REGISTERED_UNEMPLOYED'],
    institutionIds: ['inst-sjz-01'],
    validFrom: day(-400),
    validUntil: day(-40),
    quantity: 200,
    fundingChannel: 'SKILL_UPGRADE_ACCOUNT',
    createdBy: 'u-manager',
    createdAt: instant(-401),
    ended: true,
    vouchers: { issued: 200, claimed: 150, reserved: 0, redeemed: 132, expired: 68, remaining: 0 },
    redeemedFen: 23_760_000,
  },
];

/**
 * The ID numbers an issue by ID number answers for: one registered, one not, one holding a voucher already (valid
 * check characters: the page checks them before sending).
 */
export const VOUCHER_IDS = {
  registered: '130105199207150039',
  unregistered: '130102199001010015',
  holding: '130104198503040028',
};

/** The demo person's vouchers: one to claim, one reserved by the enrolling class, one expired. */
const personVouchers = (claimed: Set<string>): PersonVoucher[] =>
  [
    ['TV-2026HZ000017', voucherProgrammes[0]!, 'ISSUED', null],
    [
      'TV-2026HZ000003',
      { ...voucherProgrammes[0]!, occupationCodes: ['4-03-02-02'] },
      'RESERVED',
      ENROLLING_ID,
    ],
    ['TV-2025CY000112', voucherProgrammes[1]!, 'EXPIRED', null],
  ].map(([voucherId, p, status, classId], i) => {
    const programme = p as (typeof voucherProgrammes)[number];
    return {
      voucherId: voucherId as string,
      programmeId: programme.programmeId,
      programmeName: programme.name,
      occupationCodes: programme.occupationCodes,
      levels: programme.levels,
      institutionIds: programme.institutionIds,
      validFrom: programme.validFrom,
      validUntil: programme.validUntil,
      status: claimed.has(voucherId as string) ? 'CLAIMED' : (status as string),
      classId: classId as string | null,
      issuedAt: instant(-5 - i * 30),
    };
  });

/** A programme's vouchers, two pages: the first says there is more. */
function programmeVoucherPage(status: string | null, cursor: string | null) {
  const rows = (
    [
      ['TV-2026HZ000120', '王*', '130102********0031', 'ISSUED', null],
      ['TV-2026HZ000119', '李*', '130104********0042', 'CLAIMED', null],
      ['TV-2026HZ000118', '赵**', '130105********0023', 'RESERVED', ENROLLING_ID],
      ['TV-2026HZ000117', '刘*', '130102********0024', 'REDEEMED', 'SJZ-2026-000088'],
      ['TV-2026HZ000116', '陈*', '130102********0058', 'CLAIMED', null],
    ] as const
  ).map(([voucherId, nameMasked, idMasked, st, classId], i) => ({
    voucherId,
    nameMasked,
    idMasked,
    status: st,
    issuedAt: instant(-1 - i),
    claimedAt: st === 'ISSUED' ? null : instant(-0.5 - i),
    classId,
    redeemedAt: st === 'REDEEMED' ? instant(-0.2) : null,
    expiredAt: null,
  }));
  const matching = rows.filter((r) => !status || r.status === status);
  return cursor === 'page-2'
    ? { items: matching.slice(3), nextCursor: null }
    : { items: matching.slice(0, 3), nextCursor: matching.length > 3 ? 'page-2' : null };
}

export interface MockState {
  /** every API request the page made, for header assertions */
  requests: { method: string; url: string; headers: Record<string, string>; body: string | null }[];
  reviewed: string | null;
  enrolled: { trainees: unknown[]; validOnly?: boolean; requireVoucher?: boolean } | null;
}

const json = (route: Route, status: number, body: unknown) =>
  route.fulfill({
    status,
    contentType: status >= 400 ? 'application/problem+json' : 'application/json',
    body: JSON.stringify(body),
  });

/** index.html as the API serves it (api/securityHeaders.ts spaIndex): a fresh style nonce under the real CSP. */
function indexPage() {
  const nonce = crypto.randomBytes(18).toString('base64');
  const csp = Object.entries(cspDirectives(nonce))
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
  const html = fs
    .readFileSync(path.join(DIST, 'index.html'), 'utf8')
    .split(CSP_NONCE_PLACEHOLDER)
    .join(nonce);
  return { status: 200, contentType: 'text/html', headers: { 'Content-Security-Policy': csp }, body: html };
}

/** `vouchers`: the demo person holds training vouchers (otherwise their record lists none). */
export async function installMockApi(page: Page, options: { vouchers?: boolean } = {}): Promise<MockState> {
  const state: MockState = { requests: [], reviewed: null, enrolled: null };
  const claimedVouchers = new Set<string>();
  const programmes = [...voucherProgrammes];
  const recordOf = () => ({
    ...personRecord,
    vouchers: options.vouchers ? personVouchers(claimedVouchers) : [],
  });
  let session: (typeof users)[keyof typeof users] | null = null;
  let windowRecomputed = false;
  const surveyed = new Set<string>();
  const answers = new Map<string, string>();
  const invited = new Set<string>();
  const notifications = [
    {
      id: `${REVIEW_ID}:7:0`,
      classId: REVIEW_ID,
      classTitle: '育婴员（五级）2026年第6期',
      action: 'PLAN_RETURNED',
      enrollmentId: null,
      reason: '课程表课时合计与计划课时不符，请补正',
      at: instant(-0.1),
      read: false,
    },
    {
      id: `${ENROLLING_ID}:12:0`,
      classId: ENROLLING_ID,
      classTitle: '中式烹调师（五级）2026年第8期',
      action: 'OVERDUE:START_TRAINING',
      enrollmentId: null,
      reason: null,
      at: instant(-1),
      read: false,
    },
  ];

  await page.route(`${MOCK_ORIGIN}/**`, async (route: Route, request: Request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/')) {
      if (url.pathname === '/') return route.fulfill(indexPage());
      const file = path.join(DIST, url.pathname);
      return fs.existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ status: 404, body: '' });
    }
    const method = request.method();
    state.requests.push({
      method,
      url: url.pathname + url.search,
      headers: request.headers(),
      body: request.postData(),
    });
    const p = url.pathname.replace('/api/v1', '');
    const unauthorized = () =>
      json(route, 401, {
        type: 'about:blank',
        title: '未登录',
        status: 401,
        detail: '请先登录',
        code: 'UNAUTHENTICATED',
      });

    if (p === '/auth/login' && method === 'POST') {
      const { username, password } = JSON.parse(request.postData() ?? '{}') as Record<string, string>;
      const user = users[username as keyof typeof users];
      if (!user || password !== 'SkillFlow#2026')
        return json(route, 401, {
          title: '用户名或密码错误',
          status: 401,
          detail: '用户名或密码错误',
          code: 'BAD_CREDENTIALS',
        });
      session = user;
      return json(route, 200, {
        user: { ...user, organisationId: user.role === 'INSTITUTION' ? 'inst-sjz-01' : null },
        csrfToken: 'csrf-123',
      });
    }
    if (p === '/auth/me')
      return session ? json(route, 200, { user: session, csrfToken: 'csrf-123' }) : unauthorized();
    if (p === '/auth/logout') {
      session = null;
      return route.fulfill({ status: 204 });
    }
    if (p === '/public/notices') {
      const row = classRow(NOTICE_ID, '中式烹调师（五级）2026年第9期', 'NOTICE', '4-03-02-01', -40);
      const archive = url.searchParams.get('status') === 'CLOSED';
      const q = url.searchParams.get('q');
      const about = {
        title: archive ? '中式面点师（五级）2026年第3期' : row.title,
        institutionId: 'inst-sjz-01',
        institutionName: '智联职业培训学校',
        occupationCode: archive ? '4-03-02-02' : '4-03-02-01',
        occupationName: archive ? '中式面点师' : '中式烹调师',
        district: '长安区',
      };
      const found =
        !q || [about.title, about.institutionName, about.occupationName].some((x) => x.includes(q));
      if (!found) return json(route, 200, { items: [], nextCursor: null });
      return json(route, 200, {
        items: [
          {
            id: archive ? 'SJZ-2026-000031-N1' : `${NOTICE_ID}-N1`,
            classId: archive ? 'SJZ-2026-000031' : NOTICE_ID,
            status: archive ? 'CLOSED' : 'OPEN',
            ...about,
            round: 1,
            publishedAt: instant(archive ? -60 : -1),
            closesAt: instant(archive ? -56 : 3),
            endDate: day(archive ? -56 : 3),
            rows: trainees.map((t, i) => ({
              lineId: `${row.id}:${t.enrollmentId}:T`,
              institution: '智联职业培训学校',
              occupation: '中式烹调师',
              level: 'LEVEL_5',
              classHours: 80,
              trainee: t.nameMasked,
              idNumber: t.idMasked,
              kind: 'TRAINING',
              tier: t.tier,
              amountFen: t.amountFen,
              remark: i === 2 ? '考核不合格，不予补贴' : null,
            })),
          },
        ],
        nextCursor: null,
      });
    }
    // 个人查询: the simulated channel's text comes back for the registered person, a code for a token, the record.
    if (p === '/public/me/code' && method === 'POST') {
      const { idNumber, name } = JSON.parse(request.postData() ?? '{}') as Record<string, string>;
      const known = idNumber === PERSON_ID && name === PERSON_NAME;
      return json(route, 202, {
        sent: true,
        expiresAt: instant(0.003),
        simulatedText: known
          ? `【SkillFlow】您查询本人职业培训档案的验证码为 ${PERSON_CODE}，5分钟内有效。`
          : null,
      });
    }
    if (p === '/public/me/session' && method === 'POST') {
      const { code } = JSON.parse(request.postData() ?? '{}') as Record<string, string>;
      if (code !== PERSON_CODE)
        return json(route, 422, {
          title: '验证码不正确或已过期，请重新获取',
          status: 422,
          code: 'CODE_INVALID',
          errors: [{ path: 'code', code: 'CODE_INVALID', message: '验证码不正确或已过期，请重新获取' }],
        });
      return json(route, 201, { token: 'self-token', expiresAt: instant(0.01) });
    }
    if (p === '/public/me/record' && method === 'POST')
      return json(route, 200, {
        ...recordOf(),
        classes: personRecord.classes.map((c) =>
          surveyed.has(c.enrollmentId) ? { ...c, survey: 'ANSWERED' } : c,
        ),
        invitations: personRecord.invitations.map((i) => ({
          ...i,
          status: answers.get(i.invitationId) ?? i.status,
        })),
      });
    // 政策找人: the person's answer, once
    if (p === '/public/me/invitations/respond' && method === 'POST') {
      const { invitationId = '', accept } = JSON.parse(request.postData() ?? '{}') as {
        invitationId?: string;
        accept?: boolean;
      };
      if (answers.has(invitationId))
        return json(route, 409, { title: '您已回复过该邀请', status: 409, code: 'INVITATION_ANSWERED' });
      answers.set(invitationId, accept ? 'ACCEPTED' : 'DECLINED');
      return json(route, 200, { invitationId, status: answers.get(invitationId) });
    }
    // 领取培训券: an issued voucher of the person's, once
    if (p === '/public/me/vouchers/claim' && method === 'POST') {
      const { voucherId = '' } = JSON.parse(request.postData() ?? '{}') as Record<string, string>;
      const voucher = recordOf().vouchers.find((v) => v.voucherId === voucherId);
      if (!voucher)
        return json(route, 404, { title: '未找到您的这张培训券', status: 404, code: 'NOT_FOUND' });
      if (voucher.status !== 'ISSUED')
        return json(route, 409, { title: '该培训券已领取', status: 409, code: 'VOUCHER_NOT_CLAIMABLE' });
      claimedVouchers.add(voucherId);
      return json(route, 200, { voucherId, status: 'CLAIMED' });
    }
    // 学员满意度: once per enrolment
    if (p === '/public/me/survey' && method === 'POST') {
      const { enrollmentId = '' } = JSON.parse(request.postData() ?? '{}') as Record<string, string>;
      if (surveyed.has(enrollmentId))
        return json(route, 409, { title: '您已评价过该培训班', status: 409, code: 'SURVEY_ANSWERED' });
      surveyed.add(enrollmentId);
      return json(route, 201, { enrollmentId, answeredAt: instant(0) });
    }
    if (p.startsWith('/public/notices/') && method === 'POST')
      return json(route, 201, { objectionId: 'obj-9' });
    if (!session) return unauthorized();

    // 消息中心: the institution has two, unread until read one by one or all at once; the staff have none.
    if (p === '/notifications' && method === 'GET') {
      const mine = session.role === 'INSTITUTION' ? notifications : [];
      const unreadOnly = url.searchParams.get('unread') === 'true';
      return json(route, 200, {
        items: mine.filter((n) => !unreadOnly || !n.read),
        nextCursor: null,
        unread: mine.filter((n) => !n.read).length,
      });
    }
    if (p === '/notifications/read' && method === 'POST') {
      const { ids } = JSON.parse(request.postData() ?? '{}') as { ids?: string[] };
      for (const n of notifications) if (!ids || ids.includes(n.id)) n.read = true;
      return json(route, 200, { unread: notifications.filter((n) => !n.read).length });
    }

    // 人员培训档案: one registered person with a paid class, a running one and a withdrawal.
    if (p === '/people/record' && method === 'POST') {
      const { idNumber, reason } = JSON.parse(request.postData() ?? '{}') as Record<string, string>;
      if (!reason)
        return json(route, 400, {
          title: '请求参数不正确',
          status: 400,
          code: 'VALIDATION_FAILED',
          errors: [{ path: 'reason', code: 'too_small', message: '必填' }],
        });
      if (idNumber !== PERSON_ID)
        return json(route, 404, { title: '未查到该人员：尚未在本系统登记', status: 404, code: 'NOT_FOUND' });
      return json(route, 200, recordOf());
    }

    // 电子培训券: the programmes, one set up (refused first for a fund and an occupation the server lacks),
    // issuing by ID number or by rule, a programme's vouchers a page at a time.
    if (p === '/vouchers/programmes' && method === 'GET') return json(route, 200, { items: programmes });
    if (p === '/vouchers/programmes' && method === 'POST') {
      const body = JSON.parse(request.postData() ?? '{}') as {
        name: string;
        occupationCodes: string[];
        fundingChannel: string;
      } & Record<string, unknown>;
      const errors = [
        ...body.occupationCodes.flatMap((code, i) =>
          code === '4-03-02-05'
            ? [
                {
                  path: `occupationCodes.${i}`,
                  code: 'OCCUPATION_UNKNOWN',
                  message: '职业目录中无此职业（工种）',
                },
              ]
            : [],
        ),
        ...(body.fundingChannel === 'UNEMPLOYMENT_INSURANCE_FUND'
          ? [{ path: 'fundingChannel', code: 'FUNDING_CHANNEL_UNKNOWN', message: '现行政策中无此资金渠道' }]
          : []),
      ];
      if (errors.length)
        return json(route, 422, {
          title: '业务规则不允许',
          status: 422,
          detail: errors.map((e) => e.message).join('；'),
          code: errors[0]!.code,
          errors,
        });
      const programmeId = 'VP-2026NEW001';
      programmes.unshift({
        ...(body as unknown as (typeof voucherProgrammes)[number]),
        programmeId,
        createdBy: session.id,
        createdAt: instant(0),
        ended: false,
        vouchers: {
          issued: 0,
          claimed: 0,
          reserved: 0,
          redeemed: 0,
          expired: 0,
          remaining: Number(body.quantity),
        },
        redeemedFen: 0,
      });
      return json(route, 201, { programmeId });
    }
    const issue = /^\/vouchers\/programmes\/([^/]+)\/issue$/.exec(p);
    if (issue && method === 'POST') {
      const body = JSON.parse(request.postData() ?? '{}') as {
        idNumbers?: string[];
        rule?: { district?: string; limit: number };
      };
      if (issue[1] === ENDED_PROGRAMME_ID)
        return json(route, 409, {
          title: '培训券项目已过有效期，不能再发放',
          status: 409,
          code: 'VOUCHER_PROGRAMME_ENDED',
        });
      const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
      if (body.rule)
        return json(route, 200, {
          issued: candidates.slice(0, body.rule.limit).map((c, i) => ({
            voucherId: `TV-2026HZ00020${i}`,
            nameMasked: c.nameMasked,
            idMasked: c.idMasked,
          })),
          refused: [],
        });
      const ids = body.idNumbers ?? [];
      return json(route, 200, {
        issued: ids
          .filter((id) => id === VOUCHER_IDS.registered)
          .map((id) => ({ voucherId: 'TV-2026HZ000121', nameMasked: '孙*', idMasked: mask(id) })),
        refused: ids
          .filter((id) => id !== VOUCHER_IDS.registered)
          .map((id) => ({
            ref: mask(id),
            errors: [
              id === VOUCHER_IDS.holding
                ? { code: 'VOUCHER_HELD', message: '该人员已持有本项目的培训券' }
                : { code: 'NOT_REGISTERED', message: '人员库中无此人员，请先登记（求职登记）' },
            ],
          })),
      });
    }
    if (/^\/vouchers\/programmes\/[^/]+\/vouchers$/.test(p) && method === 'GET')
      return json(
        route,
        200,
        programmeVoucherPage(url.searchParams.get('status'), url.searchParams.get('cursor')),
      );

    if (p === '/tasks') {
      const overdueOnly = url.searchParams.get('overdue') === 'true';
      // one colleague's tasks (the dashboard's overdue-by-caseworker link): claimed by 李娜
      if (url.searchParams.get('assignee') === 'u-cw') {
        const items = [{ ...tasks[0], assignee: 'u-cw', assigneeName: '李娜' }];
        return json(route, 200, { items, nextCursor: null, total: items.length });
      }
      const items = overdueOnly ? tasks.filter((x) => x.overdue) : tasks;
      return json(route, 200, { items, nextCursor: null, total: items.length });
    }
    if (/^\/tasks\/[^/]+\/(un)?claim$/.test(p)) return json(route, 200, { id: 'x', assignee: session.id });
    if (p === `/cases/${REVIEW_ID}` || p === `/cases/${NOTICE_ID}`) {
      const notice = p.endsWith(NOTICE_ID);
      const stage = notice ? 'NOTICE' : state.reviewed === 'APPROVE' ? 'ENROLLING' : 'UNDER_REVIEW';
      const row = notice
        ? classRow(NOTICE_ID, '中式烹调师（五级）2026年第9期', 'NOTICE', '4-03-02-01', -40, {
            traineeCount: 3,
          })
        : classRow(REVIEW_ID, '中式烹调师（五级）2026年第12期', stage, '4-03-02-01', 12);
      return json(route, 200, {
        case: caseState(row, stage),
        class: row,
        tasks: notice
          ? [
              { ...tasks[2], id: `${NOTICE_ID}:VERIFY_EMPLOYMENT:ev-1` },
              {
                ...tasks[0],
                id: `${NOTICE_ID}:RESOLVE_OBJECTION:obj-1:9`,
                kind: 'RESOLVE_OBJECTION',
                subject: 'obj-1',
                classId: NOTICE_ID,
              },
            ]
          : [tasks[0]],
        timeline: timeline(stage),
        trainees: notice ? trainees : [],
        evidence: notice
          ? [
              {
                id: 'ev-1',
                enrollmentId: 'e-1',
                kind: 'LABOUR_CONTRACT',
                employedOn: '2026-10-20',
                employer: '石家庄市某餐饮管理有限公司',
                verdict: null,
              },
            ]
          : [],
        objections: notice
          ? [
              {
                id: 'obj-1',
                lineId: 'x',
                reason: '该学员未实际参加培训',
                status: 'OPEN',
                contact: '13800138000',
              },
            ]
          : [],
      });
    }
    if (p === `/cases/${FOLLOW_UP_ID}`) {
      const row = classRow(FOLLOW_UP_ID, '中式烹调师（五级）2026年第10期', 'FOLLOW_UP', '4-03-02-01', -15, {
        traineeCount: 3,
        dueAt: FOLLOW_UP_WINDOW.endsAt,
      });
      const verify = (evidenceId: string, enrollmentId: string) => ({
        ...tasks[2],
        id: `${FOLLOW_UP_ID}:VERIFY_EMPLOYMENT:${evidenceId}`,
        classId: FOLLOW_UP_ID,
        subject: enrollmentId,
        evidenceId,
      });
      return json(route, 200, {
        case: {
          ...caseState(row, 'FOLLOW_UP'),
          clock: {
            task: 'EMPLOYMENT_FOLLOW_UP',
            dueAt: FOLLOW_UP_WINDOW.endsAt,
            provisional: true,
            overdue: false,
            escalated: false,
          },
        },
        class: row,
        tasks: [verify('ev-10', 'f-1'), verify('ev-11', 'f-2')],
        timeline: followUpTimeline,
        trainees: followUpTrainees.map((t) =>
          t.followUpWindow && windowRecomputed ? { ...t, followUpWindow: RECOMPUTED_WINDOW } : t,
        ),
        evidence: followUpEvidence,
        objections: [],
      });
    }
    if (p === `/institution/classes/${FOLLOW_UP_ID}/employment-evidence` && method === 'POST') {
      // The window was recomputed meanwhile: the server refuses on the date field.
      windowRecomputed = true;
      return json(route, 422, {
        title: '业务规则不允许',
        status: 422,
        detail: OUTSIDE_WINDOW_MESSAGE,
        code: 'OUTSIDE_WINDOW',
        errors: [{ path: 'employedOn', code: 'OUTSIDE_WINDOW', message: OUTSIDE_WINDOW_MESSAGE }],
      });
    }
    if (p === `/cases/${ENROLLING_ID}`) {
      const row = classRow(ENROLLING_ID, '中式面点师（五级）第5期', 'ENROLLING', '4-03-02-02', 7, {
        traineeCount: 0,
      });
      return json(route, 200, {
        case: {
          ...caseState(row, 'ENROLLING'),
          clock: {
            task: 'START_TRAINING',
            dueAt: instant(6),
            provisional: false,
            overdue: false,
            escalated: false,
          },
        },
        class: row,
        tasks: [],
        timeline: timeline('ENROLLING'),
        trainees: [],
      });
    }
    if (p === `/institution/classes/${ENROLLING_ID}/trainees` && method === 'POST') {
      state.enrolled = JSON.parse(request.postData() ?? '{}') as MockState['enrolled'];
      // 凭培训券报名: nobody here holds a voucher; all or nothing, so nobody is enrolled
      if (state.enrolled?.requireVoucher && !state.enrolled.validOnly)
        return json(route, 422, {
          title: '业务规则不允许',
          status: 422,
          detail: '本班凭培训券报名：该学员没有已领取、可在本班使用的培训券',
          code: 'VOUCHER_REQUIRED',
          errors: state.enrolled.trainees.map((_, i) => ({
            path: `trainees.${i}.voucher`,
            code: 'VOUCHER_REQUIRED',
            message: '本班凭培训券报名：该学员没有已领取、可在本班使用的培训券',
          })),
        });
      return json(route, 200, {
        enrolled: [{ enrollmentId: 'e-100', row: 0 }],
        refused: [
          {
            row: 1,
            errors: [
              {
                path: 'trainees.1.idNumber',
                code: 'SUBSIDY_CAP',
                message: { zh: '已享受3次培训补贴，不能再次补贴', en: 'Already subsidised 3 times' },
              },
            ],
          },
        ],
      });
    }
    if (p === `/cases/${REVIEW_ID}/review` && method === 'POST') {
      const body = JSON.parse(request.postData() ?? '{}') as { decision: string; reason?: string };
      if (body.decision !== 'APPROVE' && !body.reason)
        return json(route, 422, {
          title: '请填写理由',
          status: 422,
          detail: '退回或不予通过须说明理由',
          code: 'REASON_REQUIRED',
          errors: [{ path: 'reason', code: 'REASON_REQUIRED', message: '请填写理由' }],
        });
      state.reviewed = body.decision;
      return json(route, 200, { classId: REVIEW_ID, decision: body.decision });
    }
    if (
      p === '/cases/export' ||
      p === '/tasks/export' ||
      p === '/payments/export' ||
      p === '/performance/export'
    )
      return route.fulfill({
        status: 200,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        headers: { 'Content-Disposition': `attachment; filename="${p.split('/')[1]}.xlsx"` },
        body: Buffer.from('PK'),
      });
    if (p === '/cases') {
      return json(route, 200, {
        items: [
          classRow(REVIEW_ID, '中式烹调师（五级）2026年第12期', 'UNDER_REVIEW', '4-03-02-01', 12),
          classRow(NOTICE_ID, '中式烹调师（五级）2026年第9期', 'NOTICE', '4-03-02-01', -40),
        ],
        nextCursor: null,
      });
    }
    if (p === '/institution/classes' && method === 'GET') {
      return json(route, 200, {
        items: [
          classRow(REVIEW_ID, '中式烹调师（五级）2026年第12期', 'UNDER_REVIEW', '4-03-02-01', 12),
          classRow(ENROLLING_ID, '中式面点师（五级）第5期', 'ENROLLING', '4-03-02-02', 7, {
            traineeCount: 12,
          }),
        ],
        nextCursor: null,
      });
    }
    if (p === '/institution/assessment-bodies' && method === 'GET') {
      return json(route, 200, {
        items: [
          {
            id: 'assess-sjz-01',
            name: '石家庄市职业技能鉴定中心',
            district: '新华区',
            validTo: '2027-12-31',
          },
        ],
      });
    }
    if (p === '/institution/classes' && method === 'POST') {
      return json(route, 422, {
        title: '开班申请未通过校验',
        status: 422,
        detail: '计划人数超过每班上限50人',
        code: 'CAPACITY_EXCEEDED',
        errors: [{ path: 'plan.capacity', code: 'CAPACITY_EXCEEDED', message: '每班不超过50人' }],
      });
    }
    if (p === '/payments/bank-returns' && method === 'POST') {
      return json(route, 202, {
        batches: [{ batchId: `${NOTICE_ID}-S1`, classId: NOTICE_ID, lines: 2 }],
      });
    }
    if (p === '/payments/batches/SJZ-2026-000088-S1/payees') {
      return json(route, 200, {
        batchId: 'SJZ-2026-000088-S1',
        status: 'AWAITING_CORRECTION',
        payees: [
          {
            institutionId: 'inst-sjz-02',
            name: '石家庄市技师培训中心',
            bankAccount: '1302 0100 0400 0002 345',
            amountFen: 90000,
            unpaid: 1,
            lastFailure: '账户名与账号不符',
          },
        ],
      });
    }
    if (p === '/admin/institutions/inst-sjz-02/bank-account' && method === 'POST') {
      return json(route, 200, { id: 'inst-sjz-02', bankAccount: '6222020402001234567' });
    }
    if (p === '/payments/batches/SJZ-2026-000088-S1/approve' && method === 'POST') {
      return json(route, 200, { batchId: 'SJZ-2026-000088-S1', approved: true });
    }
    if (p === '/payments/batches') {
      return json(route, 200, {
        items: [
          {
            id: `${NOTICE_ID}-S1`,
            classId: NOTICE_ID,
            kind: 'SETTLEMENT',
            totalFen: 165000,
            status: 'AWAITING_APPROVAL',
            approvedBy: null,
            approvedByName: null,
            createdAt: instant(-1),
            payments: [
              {
                id: `${NOTICE_ID}-S1:inst-sjz-01`,
                payee: 'inst-sjz-01',
                payeeName: '智联职业培训学校',
                amountFen: 165000,
                status: 'PENDING',
                attempts: 0,
              },
            ],
          },
          {
            id: 'SJZ-2026-000088-S1',
            classId: 'SJZ-2026-000088',
            kind: 'SETTLEMENT',
            totalFen: 90000,
            status: 'AWAITING_CORRECTION',
            approvedBy: 'u-finance',
            approvedByName: '李强（财务）',
            createdAt: instant(-6),
            payments: [
              {
                id: 'SJZ-2026-000088-S1:inst-sjz-02',
                payee: 'inst-sjz-02',
                payeeName: '燕赵家政职业培训学校',
                amountFen: 90000,
                status: 'FAILED',
                attempts: 3,
                failure: '账户名与账号不符',
              },
            ],
          },
          {
            id: 'SJZ-2026-000099-A',
            classId: 'SJZ-2026-000099',
            kind: 'ADVANCE',
            totalFen: 800000,
            status: 'PAID',
            approvedBy: 'u-finance',
            approvedByName: '李强（财务）',
            createdAt: instant(-20),
            payments: [],
          },
        ],
        nextCursor: null,
      });
    }
    if (p === '/performance' && method === 'GET') return json(route, 200, performanceReport);
    if (p === `/cases/${ENROLLING_ID}/candidates` && method === 'GET')
      return json(route, 200, {
        items: candidates.map((c) => ({ ...c, invitation: invited.has(c.registrantId) ? 'SENT' : null })),
        nextCursor: null,
        invitations: { sent: invited.size, accepted: 1, declined: 0 },
      });
    if (p === `/cases/${ENROLLING_ID}/invitations` && method === 'GET')
      // As the API answers the class's institution: only those who said yes.
      return json(route, 200, {
        items: [
          {
            invitationId: 'INV-9',
            registrantId: 'REG-2',
            nameMasked: '李*',
            idMasked: '130104********0042',
            category: 'REGISTERED_UNEMPLOYED',
            status: 'ACCEPTED',
            sentBy: 'u-caseworker',
            sentAt: instant(-3),
            respondedAt: instant(-1),
          },
        ],
      });
    if (p === `/cases/${ENROLLING_ID}/invitations` && method === 'POST') {
      const { registrantIds = [] } = JSON.parse(request.postData() ?? '{}') as { registrantIds?: string[] };
      for (const id of registrantIds) invited.add(id);
      return json(route, 200, {
        sent: registrantIds.map((registrantId, n) => ({ registrantId, invitationId: `INV-${n}` })),
        refused: [],
      });
    }
    if (p === '/dashboard/summary') {
      return json(route, 200, {
        stages: {
          UNDER_REVIEW: 2,
          RETURNED: 1,
          ENROLLING: 1,
          TRAINING: 1,
          ASSESSMENT: 1,
          FOLLOW_UP: 1,
          NOTICE: 1,
        },
        openTasks: 9,
        overdueTasks: 2,
        escalatedTasks: 1,
        stuck: [
          {
            classId: 'SJZ-2026-000095',
            title: '电工（五级）2026年第3期',
            stage: 'ASSESSMENT',
            reason: REASONS.assessment.code,
            overdueReason: REASONS.assessment,
            since: instant(-14),
            dueAt: ASSESSMENT_DUE,
          },
          {
            classId: 'SJZ-2026-000102',
            title: '养老护理员（五级）冬季班',
            stage: 'UNDER_REVIEW',
            reason: REASONS.review.code,
            overdueReason: REASONS.review,
            since: instant(-9),
            dueAt: REVIEW_DUE,
          },
        ],
        ageing: [
          { bucket: '0–2天', count: 4 },
          { bucket: '3–5天', count: 3 },
          { bucket: '6–10天', count: 1 },
          { bucket: '>10天', count: 1 },
        ],
        rates: { pass: 0.872, certificate: 0.75, employment: 0.61 },
        money: { advancedFen: 800000, paidFen: 2315000, recoveredFen: 55000 },
        filter: { district: null, institutionId: null, from: null, to: null },
        trends: [
          '2025-12',
          '2026-01',
          '2026-02',
          '2026-03',
          '2026-04',
          '2026-05',
          '2026-06',
          '2026-07',
          '2026-08',
          '2026-09',
          '2026-10',
          '2026-11',
        ].map((month, i) => ({
          month,
          opened: 3 + (i % 4),
          closed: i < 2 ? 0 : 2 + (i % 3),
          paidFen: i < 3 ? 0 : 150_000 * (1 + (i % 5)),
        })),
        institutions: [
          {
            institutionId: 'inst-sjz-01',
            name: '石家庄市长安区职业技能培训学校',
            opened: 14,
            assessed: 120,
            passed: 104,
            certified: 90,
            followedUp: 80,
            employed: 52,
            rates: { pass: 0.8667, certificate: 0.75, employment: 0.65 },
          },
          {
            institutionId: 'inst-sjz-02',
            name: '石家庄市桥西区家政服务培训中心',
            opened: 9,
            assessed: 60,
            passed: 59,
            certified: 50,
            followedUp: 40,
            employed: 21,
            rates: { pass: 0.9833, certificate: 0.8333, employment: 0.525 },
          },
        ],
        overdueByStage: [
          { stage: 'UNDER_REVIEW', overdue: 1, escalated: 0 },
          { stage: 'ASSESSMENT', overdue: 1, escalated: 1 },
        ],
        overdueByAssignee: [
          { assignee: 'u-cw', name: '李娜', overdue: 1 },
          { assignee: null, name: null, overdue: 1 },
        ],
        generatedAt: instant(0),
      });
    }
    return json(route, 404, { title: '没有这个接口', status: 404, detail: p, code: 'NOT_FOUND' });
  });
  return state;
}
