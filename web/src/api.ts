// The HTTP client for docs/api.md: session cookie, X-CSRF-Token on state-changing calls, an Idempotency-Key on
// every POST, Accept-Language from the UI's language, and RFC 9457 problem+json errors as ApiError.
import type { z } from 'zod';
// Types only (erased from the bundle): the schemas each route encodes its answer through (api/responses.ts).
import type * as r from '../../api/responses';
import type * as q from '../../api/schemas';
import type { CaseState, ClassPlan, Stage } from '../../workflows/messages';
import type { OverdueReason } from '../../domain/overdue';
import type { VoucherProgrammeSchema } from '../../domain/vouchers';

export type { CaseState, ClassPlan, OverdueReason, Stage };

/** What the API sends for a schema, and what it takes: the wire side (an instant is ISO text there). */
type Wire<S extends z.ZodType> = z.input<S>;

export type User = Wire<typeof r.UserSchema>;
export type Role = User['role'];
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
/** An inbox item. */
export type Task = Wire<typeof r.TaskItemSchema>;
/** What an inbox item is about: a trainee (masked), a payment batch, an objected line. */
export type TaskAbout = NonNullable<Task['about']>;
/** A page of the inbox with the number of tasks its filters match. */
export type TaskPage = Wire<typeof r.TaskPage>;
/** 待办视图: a named inbox query shared by the caller's role. */
export type SavedView = Wire<typeof r.SavedViewSchema>;
/** A decision taken from the inbox (POST /tasks/:id/act), by the task's kind. */
export type TaskDecision =
  | ({ kind: 'VERIFY_EMPLOYMENT' } & Wire<typeof q.VerifyBody>)
  | ({ kind: 'RESOLVE_OBJECTION' } & Wire<typeof q.ResolveObjectionBody>)
  | ({ kind: 'REVIEW_PLAN' } & Wire<typeof q.ReviewBody>)
  | { kind: 'APPROVE_PAYMENT' }
  | { kind: 'CORRECT_PAYMENT' };
/** A task on the case page (open or closed). */
export type CaseTask = Wire<typeof r.CaseTaskSchema>;
/** 消息中心: a page of the caller's notifications and their unread count. */
export type NotificationPage = Wire<typeof r.NotificationPage>;
export type Notification = NotificationPage['items'][number];
/** 人员培训档案: one person's record across classes and what is left of the caps. */
export type PersonRecord = Wire<typeof r.PersonRecordSchema>;
export type PerformanceReport = Wire<typeof r.PerformanceReportSchema>;
export type CandidatePage = Wire<typeof r.CandidatePage>;
export type InvitationList = Wire<typeof r.InvitationList>;
/** A class as lists and the case page show it (read-model row and plan). */
export type ClassRow = Wire<typeof r.ClassViewSchema>;
export type CaseDetail = Wire<typeof r.CaseDetailSchema>;
export type TraineeRow = Wire<typeof r.CaseTraineeSchema>;
export type TimelineEvent = CaseDetail['timeline'][number];
export type EvidenceRow = Wire<typeof r.CaseEvidenceSchema>;
export type ObjectionRow = Wire<typeof r.CaseObjectionSchema>;
/** 审核要点: the domain's plan checks and the course-table totals. */
export type PlanChecks = Wire<typeof r.PlanChecksSchema>;
/** 显示实名: clear names for a limited time. */
export type RevealedNames = Wire<typeof r.RevealedNames>;
export type AdminUser = Wire<typeof r.AdminUserSchema>;
export type AdminApiKey = Wire<typeof r.ApiKeyRowSchema>;
export type IssuedKey = Wire<typeof r.IssuedKeySchema>;
export type CalendarEntry = Wire<typeof r.CalendarDaySchema>;
export type CalendarYearDay = Wire<typeof r.CalendarYear>['days'][number];
export type AuditRow = Wire<typeof r.AccessAuditRowSchema>;
export type InstitutionRow = Wire<typeof r.InstitutionRowSchema>;
export type AssessmentBodyList = Wire<typeof r.AssessmentBodyList>;
export type BatchPayees = Wire<typeof r.BatchPayeesSchema>;
export type Payment = Wire<typeof r.PaymentSchema>;
export type Batch = Wire<typeof r.BatchSchema>;
export type NoticeRow = Wire<typeof r.NoticeRowSchema>;
export type Attachment = Wire<typeof r.AttachmentSchema>;
export type AttachmentKind = Attachment['kind'];
export type Notice = Wire<typeof r.NoticeSchema>;
export type DashboardSummary = Wire<typeof r.DashboardSummarySchema>;
/** 报名 answer: `row` is the index in the request's trainees array, `sheetRow` the spreadsheet row of an import. */
export type EnrolAnswer = Wire<typeof r.EnrolAnswerSchema>;
/** 导入考核结果: the rows a results sheet gave (into the form; nothing recorded) and the rows refused. */
export type ImportedResults = Wire<typeof r.ImportedResultsSchema>;
/** 花名册校验: every row of a roster file and its problems, masked; nobody enrolled. */
export type RosterCheck = Wire<typeof r.RosterCheckSchema>;
/** 电子培训券: a programme with its funnel, one of its vouchers (masked), a person's voucher in their record. */
export type VoucherProgramme = Wire<typeof r.VoucherProgrammeView>;
export type VoucherRow = Wire<typeof r.VoucherRowSchema>;
export type VoucherStatus = Wire<typeof r.VoucherStatusSchema>;
export type PersonVoucher = Wire<typeof r.PersonVoucherSchema>;
export type VoucherProgrammeBody = Wire<typeof VoucherProgrammeSchema>;
/** Whom to issue vouchers to: people named by ID number, or a targeting rule (api/routes/vouchers.ts IssueBody). */
export type VoucherIssue = { idNumbers: string[] } | { rule: { district?: string; limit: number } };
export type VouchersIssued = Wire<typeof r.VouchersIssued>;
/** 历史数据导入: the classes a history import added, and those it already held with the same figures. */
export type HistoryImported = Wire<typeof r.HistoryImported>;
/** Text the API gives in both languages (answers that are not problems keep both). */
export type Bilingual = EnrolAnswer['refused'][number]['errors'][number]['message'];

/** What forms send (the request schemas of api/schemas.ts). */
export type UserBody = Wire<typeof q.UserBody>;
export type ObjectionResolution = Wire<typeof q.ResolveObjectionBody>;
export type EvidenceKind = Wire<typeof q.EvidenceBody>['kind'];
export type AssessmentResult = Wire<typeof q.ResultsBody>['results'][number]['result'];

/** A problem+json answer; a request that never got one (the network failed) has status 0. */
export type Problem = Partial<Wire<typeof r.ProblemSchema>> & { status: number };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status() {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;
let language = 'zh-CN';
let onUnauthorized: (() => void) | null = null;

export const setCsrfToken = (token: string | null) => (csrfToken = token);
export const setApiLanguage = (lang: string) => (language = lang);
/** Called when a session call answers 401, so the shell can show the login page. */
export const setUnauthorizedHandler = (fn: (() => void) | null) => (onUnauthorized = fn);

/**
 * crypto.randomUUID() exists only in secure contexts (https, localhost); an intranet served over plain http
 * still has getRandomValues, so build the same RFC 4122 v4 id from it there.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
  as: 'json' | 'blob' = 'json',
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: as === 'json' ? 'application/json' : '*/*',
    'Accept-Language': language,
  };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (method === 'POST') headers['Idempotency-Key'] = newIdempotencyKey();
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), { method, headers, body: payload, credentials: 'include' });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK' });
  }
  const type = res.headers.get('content-type') ?? '';
  if (res.ok && as === 'blob') return (await res.blob()) as T;
  const data: unknown = type.includes('json') ? await res.json().catch(() => undefined) : undefined;
  if (!res.ok) {
    const problem = { status: res.status, ...(data as Partial<Problem> | undefined) } as Problem;
    if (res.status === 401 && !path.endsWith('/auth/login') && !path.endsWith('/auth/me')) onUnauthorized?.();
    throw new ApiError(problem);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T = unknown>(path: string, body?: unknown, query?: Query) =>
    request<T>('POST', path, body ?? {}, query),
  del: <T = unknown>(path: string, body?: unknown) => request<T>('DELETE', path, body),
  /** A file the API answers (a spreadsheet), as a Blob to save. */
  blob: (method: 'GET' | 'POST', path: string, body?: unknown) =>
    request<Blob>(method, path, body, undefined, 'blob'),
};

/** A query as `?a=1&b=2` (empty values left out), for the downloads a link cannot carry headers for. */
function queryString(query: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return q ? `?${q}` : '';
}

/** Saves a Blob the API answered under a file name, as a download link would. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const endpoints = {
  login: (username: string, password: string) =>
    api.post<Wire<typeof r.SessionReply>>(`${v1}/auth/login`, { username, password }),
  logout: () => api.post<void>(`${v1}/auth/logout`),
  me: () => api.get<Wire<typeof r.MeReply>>(`${v1}/auth/me`),

  notifications: (query: Query) => api.get<NotificationPage>(`${v1}/notifications`, query),
  /** Those notifications read, or without ids all of the caller's up to now. */
  readNotifications: (ids?: string[]) =>
    api.post<Wire<typeof r.NotificationsRead>>(`${v1}/notifications/read`, ids ? { ids } : {}),
  /** The ID number goes in the body, never the URL; the reason is kept in the access audit. */
  personRecord: (idNumber: string, reason: string) =>
    api.post<PersonRecord>(`${v1}/people/record`, { idNumber, reason }),
  /** 个人查询: a code to the person, the code for a token, the token for their own record. */
  selfServiceCode: (idNumber: string, name: string) =>
    api.post<Wire<typeof r.SelfServiceCodeSent>>(`${v1}/public/me/code`, { idNumber, name }),
  selfServiceSession: (idNumber: string, code: string) =>
    api.post<Wire<typeof r.SelfServiceOpened>>(`${v1}/public/me/session`, { idNumber, code }),
  selfServiceRecord: (token: string) => api.post<PersonRecord>(`${v1}/public/me/record`, { token }),
  /** 学员满意度: three scores 1–5 and an optional comment, once per enrolment after training. */
  selfServiceSurvey: (
    token: string,
    body: { enrollmentId: string; teaching: number; practice: number; overall: number; comment?: string },
  ) => api.post<Wire<typeof r.SurveyAnswered>>(`${v1}/public/me/survey`, { token, ...body }),
  tasks: (query: Query) => api.get<TaskPage>(`${v1}/tasks`, query),
  actOnTask: (id: string, decision: TaskDecision) =>
    api.post<Wire<typeof r.TaskActed>>(`${v1}/tasks/${enc(id)}/act`, decision),
  taskViews: () => api.get<Wire<typeof r.SavedViewList>>(`${v1}/tasks/views`),
  saveTaskView: (name: string, query: Record<string, string>) =>
    api.post<SavedView>(`${v1}/tasks/views`, { name, query }),
  deleteTaskView: (id: string) => api.del<void>(`${v1}/tasks/views/${enc(id)}`),
  claimTask: (id: string) => api.post<Wire<typeof r.TaskClaim>>(`${v1}/tasks/${enc(id)}/claim`),
  unclaimTask: (id: string) => api.post<Wire<typeof r.TaskClaim>>(`${v1}/tasks/${enc(id)}/unclaim`),

  cases: (query: Query) => api.get<Page<ClassRow>>(`${v1}/cases`, query),
  caseDetail: (id: string) => api.get<CaseDetail>(`${v1}/cases/${enc(id)}`),
  planChecks: (id: string) => api.get<PlanChecks>(`${v1}/cases/${enc(id)}/plan-checks`),
  /** 显示实名: one trainee (enrollmentId) or the whole roster, with the reason the access audit records. */
  reveal: (id: string, reason: string, enrollmentId?: string) =>
    api.post<RevealedNames>(`${v1}/cases/${enc(id)}/reveal`, { reason, enrollmentId }),
  review: (id: string, decision: Wire<typeof q.ReviewBody>['decision'], reason?: string) =>
    api.post<Wire<typeof r.ReviewDone>>(`${v1}/cases/${enc(id)}/review`, { decision, reason }),
  cancel: (id: string, reason: string) =>
    api.post<Wire<typeof r.CaseCancelling>>(`${v1}/cases/${enc(id)}/cancel`, { reason }),
  resolveObjection: (id: string, objectionId: string, body: Wire<typeof q.ResolveObjectionBody>) =>
    api.post<Wire<typeof r.ObjectionResolved>>(
      `${v1}/cases/${enc(id)}/objections/${enc(objectionId)}/resolve`,
      body,
    ),
  verifyEvidence: (id: string, enrollmentId: string, evidenceId: string, body: Wire<typeof q.VerifyBody>) =>
    api.post<Wire<typeof r.VerifyDone>>(
      `${v1}/cases/${enc(id)}/trainees/${enc(enrollmentId)}/evidence/${enc(evidenceId)}/verify`,
      body,
    ),

  bookedClasses: (query: Query) => api.get<Page<ClassRow>>(`${v1}/assessor/classes`, query),
  recordResults: (id: string, results: Wire<typeof q.ResultsBody>['results']) =>
    api.post<Wire<typeof r.ResultsRecorded>>(`${v1}/assessor/classes/${enc(id)}/results`, { results }),
  resultsSheet: (id: string) => api.blob('GET', `${v1}/assessor/classes/${enc(id)}/results-sheet`),
  /** 附件: a case's documents (or one trainee's), their upload, and one document's bytes. */
  attachments: (id: string, enrollmentId?: string) =>
    api.get<Wire<typeof r.AttachmentList>>(`${v1}/cases/${enc(id)}/attachments`, { enrollmentId }),
  uploadAttachment: (id: string, file: File, kind: AttachmentKind, enrollmentId?: string) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<Attachment>(`${v1}/cases/${enc(id)}/attachments`, form, { kind, enrollmentId });
  },
  attachmentFile: (id: string, attachmentId: string) =>
    api.blob('GET', `${v1}/cases/${enc(id)}/attachments/${enc(attachmentId)}`),
  importResults: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<ImportedResults>(`${v1}/assessor/classes/${enc(id)}/results/import`, form);
  },
  /** 评价机构 a plan may book, by name. */
  assessmentBodies: () => api.get<AssessmentBodyList>(`${v1}/institution/assessment-bodies`),
  myClasses: (query: Query) => api.get<Page<ClassRow>>(`${v1}/institution/classes`, query),
  submitPlan: (plan: ClassPlan) => api.post<Wire<typeof r.Accepted>>(`${v1}/institution/classes`, { plan }),
  resubmitPlan: (id: string, plan: ClassPlan) =>
    api.post<Wire<typeof r.PlanResubmitted>>(`${v1}/institution/classes/${enc(id)}/plan`, { plan }),
  /** requireVoucher (凭培训券报名): only people holding a claimed training voucher usable in the class. */
  enrol: (
    id: string,
    trainees: Wire<typeof q.EnrolBody>['trainees'],
    validOnly: boolean,
    requireVoucher = false,
  ) =>
    api.post<EnrolAnswer>(`${v1}/institution/classes/${enc(id)}/trainees`, {
      trainees,
      validOnly,
      ...(requireVoucher ? { requireVoucher } : {}),
    }),
  checkRoster: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<RosterCheck>(`${v1}/institution/classes/${enc(id)}/trainees/import/check`, form);
  },
  refusedRosterRows: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.blob('POST', `${v1}/institution/classes/${enc(id)}/trainees/import/refused`, form);
  },
  rosterTemplate: () => api.blob('GET', `${v1}/institution/roster-template`),
  casesExport: (query: Query) => api.blob('GET', `${v1}/cases/export${queryString(query)}`),
  tasksExport: (query: Query) => api.blob('GET', `${v1}/tasks/export${queryString(query)}`),
  paymentsExport: (query: Query) => api.blob('GET', `${v1}/payments/export${queryString(query)}`),
  importRoster: (id: string, file: File, validOnly: boolean, requireVoucher = false) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<EnrolAnswer>(`${v1}/institution/classes/${enc(id)}/trainees/import`, form, {
      validOnly: validOnly ? 1 : undefined,
      requireVoucher: requireVoucher ? 1 : undefined,
    });
  },
  submitEvidence: (id: string, body: Wire<typeof q.EvidenceBody>) =>
    api.post<Wire<typeof r.EvidenceFiled>>(`${v1}/institution/classes/${enc(id)}/employment-evidence`, body),
  startTraining: (id: string) =>
    api.post<Wire<typeof r.TrainingStarted>>(`${v1}/institution/classes/${enc(id)}/start`),
  finishTraining: (id: string) =>
    api.post<Wire<typeof r.TrainingFinished>>(`${v1}/institution/classes/${enc(id)}/finish`),

  notices: (query: Query = {}) => api.get<Page<Notice>>(`${v1}/public/notices`, query),
  object: (noticeId: string, body: Wire<typeof q.ObjectionBody>) =>
    api.post<Wire<typeof r.ObjectionFiled>>(`${v1}/public/notices/${enc(noticeId)}/objections`, body),

  batches: (query: Query) => api.get<Page<Batch>>(`${v1}/payments/batches`, query),
  approveBatch: (batchId: string) =>
    api.post<Wire<typeof r.BatchApproved>>(`${v1}/payments/batches/${enc(batchId)}/approve`),
  exportBatchUrl: (batchId: string) => `${v1}/payments/batches/${enc(batchId)}/export`,
  importBankReturn: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<Wire<typeof r.BankReturnAccepted>>(`${v1}/payments/bank-returns`, form);
  },
  users: (query: Query) => api.get<Page<AdminUser>>(`${v1}/admin/users`, query),
  updateUser: (id: string, body: Wire<typeof q.UserUpdateBody>) =>
    api.post<AdminUser>(`${v1}/admin/users/${enc(id)}`, body),
  resetPassword: (id: string, password: string) =>
    api.post<void>(`${v1}/admin/users/${enc(id)}/password`, { password }),
  createUser: (body: Wire<typeof q.UserBody>) =>
    api.post<Wire<typeof r.UserCreated>>(`${v1}/admin/users`, body),
  apiKeys: (query: Query) => api.get<Page<AdminApiKey>>(`${v1}/admin/api-keys`, query),
  issueApiKey: (body: Wire<typeof q.ApiKeyBody>) => api.post<IssuedKey>(`${v1}/admin/api-keys`, body),
  rotateApiKey: (id: string) => api.post<IssuedKey>(`${v1}/admin/api-keys/${enc(id)}/rotate`),
  revokeApiKey: (id: string) => api.del<void>(`${v1}/admin/api-keys/${enc(id)}`),
  calendar: (query: Query) => api.get<Wire<typeof r.CalendarPage>>(`${v1}/admin/calendar`, query),
  calendarYear: (year: number) => api.get<Wire<typeof r.CalendarYear>>(`${v1}/admin/calendar/years/${year}`),
  addCalendar: (body: Wire<typeof q.CalendarBody>) =>
    api.post<Wire<typeof r.CalendarEntered>>(`${v1}/admin/calendar`, body),
  audit: (query: Query) => api.get<Page<AuditRow>>(`${v1}/admin/audit`, query),
  /** 历史数据导入: the sheet to fill in, and a filled-in sheet imported (all or nothing). */
  historyTemplate: () => api.blob('GET', `${v1}/admin/history/template`),
  importHistoryFile: (source: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<HistoryImported>(`${v1}/admin/history/classes/file`, form, { source });
  },
  usersExport: () => api.blob('GET', `${v1}/admin/users/export`),
  auditExport: (query: Query) => api.blob('GET', `${v1}/admin/audit/export${queryString(query)}`),
  institutions: (query: Query) => api.get<Page<InstitutionRow>>(`${v1}/admin/institutions`, query),
  batchPayees: (batchId: string) => api.get<BatchPayees>(`${v1}/payments/batches/${enc(batchId)}/payees`),
  correctBankAccount: (institutionId: string, body: Wire<typeof q.BankAccountBody>) =>
    api.post<Wire<typeof r.BankAccountCorrected>>(
      `${v1}/admin/institutions/${enc(institutionId)}/bank-account`,
      body,
    ),

  dashboard: (query: Query = {}) => api.get<DashboardSummary>(`${v1}/dashboard/summary`, query),
  /** 政策找人: the registry's people who could join an enrolling class, invitations to them, and their answers. */
  candidates: (id: string, query: Query) =>
    api.get<CandidatePage>(`${v1}/cases/${enc(id)}/candidates`, query),
  /** The invitations of a class; the class's institution gets only those who said yes. */
  invitations: (id: string) => api.get<InvitationList>(`${v1}/cases/${enc(id)}/invitations`),
  invite: (id: string, registrantIds: string[]) =>
    api.post<Wire<typeof r.InvitationsSent>>(`${v1}/cases/${enc(id)}/invitations`, { registrantIds }),
  respondToInvitation: (token: string, invitationId: string, accept: boolean) =>
    api.post<Wire<typeof r.InvitationAnswered>>(`${v1}/public/me/invitations/respond`, {
      token,
      invitationId,
      accept,
    }),
  performance: (query: Query = {}) => api.get<PerformanceReport>(`${v1}/performance`, query),
  performanceExport: (query: Query = {}) => api.blob('GET', `${v1}/performance/export${queryString(query)}`),

  /** 电子培训券: programmes (policy data) with their funnel, issuing, a programme's vouchers, the person's claim. */
  voucherProgrammes: () => api.get<Wire<typeof r.VoucherProgrammeList>>(`${v1}/vouchers/programmes`),
  createVoucherProgramme: (body: VoucherProgrammeBody) =>
    api.post<Wire<typeof r.VoucherProgrammeCreated>>(`${v1}/vouchers/programmes`, body),
  issueVouchers: (id: string, body: VoucherIssue) =>
    api.post<VouchersIssued>(`${v1}/vouchers/programmes/${enc(id)}/issue`, body),
  programmeVouchers: (id: string, query: Query) =>
    api.get<Page<VoucherRow>>(`${v1}/vouchers/programmes/${enc(id)}/vouchers`, query),
  claimVoucher: (token: string, voucherId: string) =>
    api.post<Wire<typeof r.VoucherClaimed>>(`${v1}/public/me/vouchers/claim`, { token, voucherId }),
};

/**
 * The case page's data with a class row always present: while the read model lags, one built from the workflow
 * state (its plan, when the workflow could not answer either, is absent; its instants unknown).
 */
export type CaseView = Omit<CaseDetail, 'class'> & {
  class: Omit<ClassRow, 'plan' | 'stageSince' | 'createdAt' | 'updatedAt'> &
    Partial<Pick<ClassRow, 'plan' | 'stageSince' | 'createdAt' | 'updatedAt'>>;
};

export function caseView(detail: CaseDetail, id: string): CaseView {
  const c = detail.case;
  const row: CaseView['class'] = detail.class ?? {
    id,
    institutionId: c?.institutionId ?? '',
    institutionName: null,
    occupationCode: c?.plan.occupationCode ?? '',
    level: c?.plan.level ?? '',
    district: c?.district ?? '',
    title: c?.plan.title ?? id,
    stage: c?.stage ?? 'SUBMITTED',
    policyVersionId: c?.policyVersionId ?? '',
    plannedStart: c?.plan.plannedStart ?? '',
    plannedEnd: c?.plan.plannedEnd ?? '',
    classHours: c?.plan.classHours ?? 0,
    capacity: c?.plan.capacity ?? 0,
    commitment: c?.plan.commitment ?? false,
    assessmentBodyId: c?.plan.assessmentBodyId ?? '',
    assessmentBodyName: null,
    plan: c?.plan,
    dueAt: c?.clock?.dueAt ?? null,
    overdue: c?.clock?.overdue ?? false,
    escalated: c?.clock?.escalated ?? false,
    traineeCount: c?.trainees.length ?? 0,
    passedCount: 0,
    certifiedCount: 0,
    employedCount: 0,
    advancedFen: c?.advancePaidFen ?? 0,
    paidFen: c?.paidFen ?? 0,
    recoveredFen: c?.recoveryFen ?? 0,
    imported: null, // a class the workflow knows is one SkillFlow runs
  };
  return {
    ...detail,
    class: row,
    tasks: detail.tasks ?? [],
    timeline: detail.timeline ?? [],
    trainees: detail.trainees ?? [],
  };
}
