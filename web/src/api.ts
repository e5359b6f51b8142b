// The HTTP client for docs/api.md: session cookie, X-CSRF-Token on state-changing calls, an Idempotency-Key on
// every POST, Accept-Language from the UI's language, and RFC 9457 problem+json errors as ApiError.
import type { CaseState, ClassPlan, Stage } from '../../workflows/messages';
import type { OverdueReason } from '../../domain/overdue';

export type { CaseState, ClassPlan, OverdueReason, Stage };
export type Role = 'CASEWORKER' | 'FINANCE' | 'MANAGER' | 'ADMIN' | 'INSTITUTION' | 'ASSESSOR';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Task {
  id: string;
  classId: string;
  classTitle: string;
  kind: string;
  role: string;
  stage: Stage;
  institutionId: string;
  institutionName?: string | null;
  occupationCode: string;
  occupationName?: string | null;
  district: string;
  dueAt: string | null;
  overdue: boolean;
  escalated: boolean;
  assignee: string | null;
  subject: string | null;
  /** VERIFY_EMPLOYMENT: the evidence to verify */
  evidenceId?: string | null;
  /** OPEN | DONE | CANCELLED (the case page lists all of a class's tasks). */
  status?: string;
  createdAt: string;
  /** Who has not acted and since when, in both languages; null unless overdue or escalated (inbox only). */
  overdueReason?: OverdueReason | null;
}

/** A read-model row of a class (prisma TrainingClass); the API may add display names. */
export interface ClassRow {
  id: string;
  institutionId: string;
  institutionName?: string | null;
  occupationCode: string;
  occupationName?: string | null;
  level: string;
  district: string;
  title: string;
  stage: Stage;
  plannedStart: string;
  plannedEnd: string;
  classHours: number;
  capacity: number;
  dueAt: string | null;
  overdue: boolean;
  escalated: boolean;
  traineeCount: number;
  plan?: ClassPlan;
  advancedFen?: number;
  paidFen?: number;
  recoveredFen?: number;
  stageSince?: string;
  createdAt?: string;
}

export interface TraineeRow {
  enrollmentId: string;
  nameMasked: string;
  idMasked: string;
  name?: string;
  idNumber?: string;
  category: string;
  status: string;
  attendedHours: number;
  assessment: string | null;
  employed: boolean | null;
  tier: string | null;
  amountFen: number | null;
}

export interface TimelineEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  stage: Stage;
}

export interface CaseDetail {
  /** The workflow's own view (a Query); null when the workflow could not answer. */
  case: CaseState | null;
  /** The read-model row; null for a moment after submission, before the projection catches up. */
  class: ClassRow | null;
  tasks: Task[];
  timeline: TimelineEvent[];
  trainees: TraineeRow[];
  /** 就业材料 as the institution submitted them (absent from older API answers). */
  evidence?: EvidenceRow[];
  /** 异议 as raised; `contact` only for staff. */
  objections?: ObjectionRow[];
}

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  institutionId: string | null;
  disabled: boolean;
}
export interface AdminApiKey {
  id: string;
  institutionId: string;
  display: string;
  label: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}
export interface IssuedKey {
  id: string;
  key: string;
  institutionId: string;
  label: string;
}
export interface CalendarEntry {
  id: string;
  date: string;
  kind: 'HOLIDAY' | 'WORKDAY';
  name: string | null;
}
export interface AuditRow {
  id: string;
  at: string;
  userId: string;
  action: string;
  subject: string;
  reason: string | null;
  detail: Record<string, unknown> | null;
}
export interface InstitutionRow {
  id: string;
  name: string;
  kind: 'TRAINING' | 'ASSESSMENT';
}

export interface BatchPayees {
  batchId: string;
  status: string;
  payees: {
    institutionId: string;
    name: string | null;
    bankAccount: string | null;
    amountFen: number;
    unpaid: number;
    lastFailure: string | null;
  }[];
}

export interface EvidenceRow {
  id: string;
  enrollmentId: string;
  kind: string;
  employedOn: string;
  employer: string | null;
  verdict: string | null;
}

export interface ObjectionRow {
  id: string;
  lineId: string;
  reason: string;
  status: string;
  contact?: string | null;
}

export interface Payment {
  id: string;
  payee: string;
  amountFen: number;
  status: string;
  attempts?: number;
  bankRef?: string | null;
  failure?: string | null;
}

export interface Batch {
  id: string;
  classId: string;
  kind: string;
  totalFen: number;
  status: string;
  approvedBy?: string | null;
  createdAt?: string;
  payments?: Payment[];
}

export interface NoticeRow {
  lineId: string;
  institution: string;
  occupation: string;
  level: string;
  classHours: number;
  trainee: string;
  idNumber: string;
  kind: string;
  tier: string | null;
  amountFen: number;
  remark: string | null;
}

export interface Notice {
  id: string;
  classId: string;
  round: number;
  publishedAt: string;
  closesAt: string;
  endDate: string;
  rows: NoticeRow[];
}

export interface DashboardSummary {
  stages: Partial<Record<Stage, number>>;
  openTasks: number;
  overdueTasks: number;
  escalatedTasks: number;
  stuck: {
    classId: string;
    title: string;
    stage: Stage;
    reason: string;
    /** The reason in words; null when the case has no open task to blame. */
    overdueReason?: OverdueReason | null;
    since: string;
    dueAt: string | null;
  }[];
  ageing: { bucket: string; count: number }[];
  rates: { pass: number | null; certificate: number | null; employment: number | null };
  money: { advancedFen: number; paidFen: number; recoveredFen: number };
}

/** Text the API gives in both languages (answers that are not problems keep both). */
export type Bilingual = string | { zh: string; en: string };

/** 报名 answer: `row` is the index in the request's trainees array, `sheetRow` the spreadsheet row of an import. */
export interface EnrolAnswer {
  enrolled: { enrollmentId: string; row: number; sheetRow?: number }[];
  refused: {
    row?: number;
    sheetRow?: number;
    enrollmentId?: string;
    errors?: { path: string; code: string; message: Bilingual }[];
    violations?: { code: string; zh: string; en: string }[];
  }[];
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { path: string; code?: string; message: string }[];
}

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

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
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
};

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const endpoints = {
  login: (username: string, password: string) =>
    api.post<{ user: User; csrfToken: string }>(`${v1}/auth/login`, { username, password }),
  logout: () => api.post<void>(`${v1}/auth/logout`),
  me: () => api.get<{ user: User; csrfToken: string }>(`${v1}/auth/me`),

  tasks: (query: Query) => api.get<Page<Task>>(`${v1}/tasks`, query),
  claimTask: (id: string) => api.post(`${v1}/tasks/${enc(id)}/claim`),
  unclaimTask: (id: string) => api.post(`${v1}/tasks/${enc(id)}/unclaim`),

  cases: (query: Query) => api.get<Page<ClassRow>>(`${v1}/cases`, query),
  caseDetail: (id: string, reveal = false) =>
    api.get<CaseDetail>(`${v1}/cases/${enc(id)}`, reveal ? { reveal: 1 } : undefined),
  review: (id: string, decision: 'APPROVE' | 'RETURN' | 'REJECT', reason?: string) =>
    api.post(`${v1}/cases/${enc(id)}/review`, { decision, reason }),
  cancel: (id: string, reason: string) => api.post(`${v1}/cases/${enc(id)}/cancel`, { reason }),
  resolveObjection: (
    id: string,
    objectionId: string,
    body: { upheld: boolean; action?: 'REMOVE' | 'CORRECT'; tier?: string; note: string },
  ) => api.post(`${v1}/cases/${enc(id)}/objections/${enc(objectionId)}/resolve`, body),
  verifyEvidence: (
    id: string,
    enrollmentId: string,
    evidenceId: string,
    body: { verdict: 'VERIFIED' | 'REJECTED'; note?: string },
  ) =>
    api.post(`${v1}/cases/${enc(id)}/trainees/${enc(enrollmentId)}/evidence/${enc(evidenceId)}/verify`, body),

  bookedClasses: (query: Query) => api.get<Page<ClassRow>>(`${v1}/assessor/classes`, query),
  recordResults: (id: string, results: { enrollmentId: string; result: string; certificateNo?: string }[]) =>
    api.post(`${v1}/assessor/classes/${enc(id)}/results`, { results }),
  myClasses: (query: Query) => api.get<Page<ClassRow>>(`${v1}/institution/classes`, query),
  submitPlan: (plan: ClassPlan) => api.post<{ classId: string }>(`${v1}/institution/classes`, { plan }),
  resubmitPlan: (id: string, plan: ClassPlan) =>
    api.post(`${v1}/institution/classes/${enc(id)}/plan`, { plan }),
  enrol: (id: string, trainees: { idNumber: string; name: string; category: string }[], validOnly: boolean) =>
    api.post<EnrolAnswer>(`${v1}/institution/classes/${enc(id)}/trainees`, { trainees, validOnly }),
  importRoster: (id: string, file: File, validOnly: boolean) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<EnrolAnswer>(
      `${v1}/institution/classes/${enc(id)}/trainees/import`,
      form,
      validOnly ? { validOnly: 1 } : undefined,
    );
  },
  submitEvidence: (
    id: string,
    body: { enrollmentId: string; kind: string; employedOn: string; employer?: string },
  ) => api.post<{ evidenceId: string }>(`${v1}/institution/classes/${enc(id)}/employment-evidence`, body),
  startTraining: (id: string) => api.post(`${v1}/institution/classes/${enc(id)}/start`),
  finishTraining: (id: string) => api.post(`${v1}/institution/classes/${enc(id)}/finish`),

  notices: () => api.get<Page<Notice> | Notice[]>(`${v1}/public/notices`),
  object: (noticeId: string, body: { lineId: string; reason: string; contact?: string }) =>
    api.post<{ objectionId: string }>(`${v1}/public/notices/${enc(noticeId)}/objections`, body),

  batches: (query: Query) => api.get<Page<Batch>>(`${v1}/payments/batches`, query),
  approveBatch: (batchId: string) => api.post(`${v1}/payments/batches/${enc(batchId)}/approve`),
  exportBatchUrl: (batchId: string) => `${v1}/payments/batches/${enc(batchId)}/export`,
  importBankReturn: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<{ batches: { batchId: string; classId: string; lines: number }[] }>(
      `${v1}/payments/bank-returns`,
      form,
    );
  },
  users: (query: Query) => api.get<Page<AdminUser>>(`${v1}/admin/users`, query),
  createUser: (body: {
    username: string;
    displayName: string;
    role: string;
    password: string;
    institutionId?: string;
  }) => api.post<AdminUser>(`${v1}/admin/users`, body),
  apiKeys: (query: Query) => api.get<Page<AdminApiKey>>(`${v1}/admin/api-keys`, query),
  issueApiKey: (body: { institutionId: string; label: string }) =>
    api.post<IssuedKey>(`${v1}/admin/api-keys`, body),
  rotateApiKey: (id: string) => api.post<IssuedKey>(`${v1}/admin/api-keys/${enc(id)}/rotate`),
  revokeApiKey: (id: string) => api.del(`${v1}/admin/api-keys/${enc(id)}`),
  calendar: (query: Query) =>
    api.get<Page<CalendarEntry> & { announcedYears: number[] }>(`${v1}/admin/calendar`, query),
  addCalendar: (body: { announcedYears?: number[]; entries: Omit<CalendarEntry, 'id'>[] }) =>
    api.post<{ entries: number; signalled: { ok: number; failed: number } }>(`${v1}/admin/calendar`, body),
  audit: (query: Query) => api.get<Page<AuditRow>>(`${v1}/admin/audit`, query),
  institutions: (query: Query) => api.get<Page<InstitutionRow>>(`${v1}/admin/institutions`, query),
  batchPayees: (batchId: string) => api.get<BatchPayees>(`${v1}/payments/batches/${enc(batchId)}/payees`),
  correctBankAccount: (institutionId: string, body: { bankAccount: string; reason: string }) =>
    api.post(`${v1}/admin/institutions/${enc(institutionId)}/bank-account`, body),

  dashboard: () => api.get<DashboardSummary>(`${v1}/dashboard/summary`),
};

/** The case page's data with a class row always present (built from the workflow state while the read model lags). */
export type CaseView = Omit<CaseDetail, 'class'> & { class: ClassRow };

export function caseView(detail: CaseDetail, id: string): CaseView {
  const c = detail.case;
  const row: ClassRow = detail.class ?? {
    id,
    institutionId: c?.institutionId ?? '',
    occupationCode: c?.plan.occupationCode ?? '',
    level: c?.plan.level ?? '',
    district: c?.district ?? '',
    title: c?.plan.title ?? id,
    stage: c?.stage ?? 'SUBMITTED',
    plannedStart: c?.plan.plannedStart ?? '',
    plannedEnd: c?.plan.plannedEnd ?? '',
    classHours: c?.plan.classHours ?? 0,
    capacity: c?.plan.capacity ?? 0,
    dueAt: c?.clock?.dueAt ?? null,
    overdue: c?.clock?.overdue ?? false,
    escalated: c?.clock?.escalated ?? false,
    traineeCount: c?.trainees.length ?? 0,
  };
  return {
    ...detail,
    class: row,
    tasks: detail.tasks ?? [],
    timeline: detail.timeline ?? [],
    trainees: detail.trainees ?? [],
  };
}
