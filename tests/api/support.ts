// The API test bed: the Temporal test bed (tests/support/temporal.ts) with the app on top, and callers of
// every kind — staff sessions (with CSRF), portal sessions, API keys — for own and other organisations. Every
// answer a caller receives is checked against the OpenAPI document (./contract.ts): an undocumented status or
// a body that does not match its documented schema fails the test.
import request from 'supertest';
import type { Test } from 'supertest';
import type { Response } from 'superagent';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import pino from 'pino';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { hashPassword } from '../../api/auth/passwords';
import { ApiKeyStore } from '../../api/auth/apiKeys';
import { loadSettings, type Settings } from '../../platform/config';
import { startTestbed, type Testbed } from '../support/temporal';
import { TEST_PERSON_SECRET, TEST_PII_KEY } from '../support/people';
import { ASSESSOR_BODY, INSTITUTION } from '../support/scenario';
import { TASK_QUEUE } from '../../workflows/messages';
import type { Db } from '../../platform/db';
import type { PolicyVersion } from '../../domain/policy';
import { makeIdNumber } from '../../domain/identity';
import { addDays, shanghaiDate } from '../../domain/dates';
import { checked } from './contract';
import type * as m from '../../workflows/messages';
import { applyCaseEvent } from '../../activities/projection';

export const OTHER_INSTITUTION = 'inst-sjz-02';
export const OTHER_ASSESSOR = 'assess-sjz-02';
export { INSTITUTION, ASSESSOR_BODY };

export type Method = 'get' | 'post' | 'delete';

export interface Caller {
  name: string;
  role: string;
  organisationId?: string;
  call(method: Method, path: string): Test;
}

export interface ApiBed {
  bed: Testbed;
  app: Express;
  settings: Settings;
  callers: Record<CallerName, Caller>;
  teardown(): Promise<void>;
}

export type CallerName =
  | 'anonymous'
  | 'caseworker'
  | 'finance'
  | 'manager'
  | 'admin'
  | 'institution'
  | 'institutionKey'
  | 'otherInstitution'
  | 'assessor'
  | 'otherAssessor';

export function testSettings(): Settings {
  return {
    ...loadSettings({}),
    taskQueue: TASK_QUEUE,
    personKeySecret: TEST_PERSON_SECRET,
    piiKey: TEST_PII_KEY.toString('hex'),
    logLevel: 'silent',
  };
}

export const PASSWORD = 'correct horse battery staple';

export async function createUser(
  db: Db,
  username: string,
  role: string,
  institutionId?: string,
  password = PASSWORD,
): Promise<string> {
  const id = `u-${username}`;
  await db.user.create({
    data: {
      id,
      username,
      displayName: username,
      role,
      passwordHash: await hashPassword(password),
      institutionId,
    },
  });
  return id;
}

/** A logged-in session: cookie kept by the agent, CSRF header on every state-changing call. */
export async function sessionCaller(app: Express, username: string, password = PASSWORD): Promise<Caller> {
  const agent = request.agent(app);
  const res = await checked(app, agent.post('/api/v1/auth/login')).send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const csrf = res.body.csrfToken as string;
  const user = res.body.user as { role: string; organisationId: string | null };
  return {
    name: username,
    role: user.role,
    organisationId: user.organisationId ?? undefined,
    call: (method, path) => {
      const t = checked(app, agent[method](path));
      return method === 'get' ? t : t.set('X-CSRF-Token', csrf);
    },
  };
}

/** Users of these roles (and organisations), each created and logged in: callers by username. */
export async function loggedIn(
  db: Db,
  app: Express,
  users: readonly (readonly [username: string, role: string, organisationId?: string])[],
): Promise<Record<string, Caller>> {
  const callers: Record<string, Caller> = {};
  for (const [username, role, org] of users) {
    await createUser(db, username, role, org);
    callers[username] = await sessionCaller(app, username);
  }
  return callers;
}

export function keyCaller(
  app: Express,
  name: string,
  role: string,
  organisationId: string,
  key: string,
): Caller {
  return {
    name,
    role,
    organisationId,
    call: (method, path) => checked(app, request(app)[method](path)).set('Authorization', `Bearer ${key}`),
  };
}

export async function startApiBed(opts: { policies?: readonly PolicyVersion[] } = {}): Promise<ApiBed> {
  const bed = await startTestbed({ policies: opts.policies });
  const settings = testSettings();
  const app = createApp({
    db: bed.db,
    temporal: bed.env.client,
    settings,
    logger: pino({ level: 'silent' }),
    dashboardCacheMs: 0,
  });
  const db = bed.db;
  for (const [id, kind, district] of [[OTHER_ASSESSOR, 'ASSESSMENT', '裕华区']] as const)
    await db.institution.create({
      data: {
        id,
        name: `${id} 评价中心`,
        kind,
        district,
        creditCode: `CC-${id}`,
        bankAccount: '6222 0000 0000 0000',
        validFrom: '2024-01-01',
        validTo: '2027-12-31',
      },
    });
  await Promise.all([
    createUser(db, 'cw', 'CASEWORKER'),
    createUser(db, 'fin', 'FINANCE'),
    createUser(db, 'mgr', 'MANAGER'),
    createUser(db, 'adm', 'ADMIN'),
    createUser(db, 'inst', 'INSTITUTION', INSTITUTION),
    createUser(db, 'inst2', 'INSTITUTION', OTHER_INSTITUTION),
  ]);
  const keys = new ApiKeyStore(db);
  const [instKey, asrKey, asr2Key] = await Promise.all([
    keys.issue(INSTITUTION, 'ERP'),
    keys.issue(ASSESSOR_BODY, 'exam system'),
    keys.issue(OTHER_ASSESSOR, 'exam system'),
  ]);
  const [caseworker, finance, manager, admin, institution, otherInstitution] = await Promise.all(
    ['cw', 'fin', 'mgr', 'adm', 'inst', 'inst2'].map((u) => sessionCaller(app, u)),
  );
  const callers: Record<CallerName, Caller> = {
    anonymous: {
      name: 'anonymous',
      role: 'PUBLIC',
      call: (method, path) => checked(app, request(app)[method](path)),
    },
    caseworker: caseworker!,
    finance: finance!,
    manager: manager!,
    admin: admin!,
    institution: institution!,
    otherInstitution: otherInstitution!,
    institutionKey: keyCaller(app, 'institution key', 'INSTITUTION', INSTITUTION, instKey.key),
    assessor: keyCaller(app, 'assessor key', 'ASSESSOR', ASSESSOR_BODY, asrKey.key),
    otherAssessor: keyCaller(app, 'other assessor key', 'ASSESSOR', OTHER_ASSESSOR, asr2Key.key),
  };
  return {
    bed,
    app,
    settings,
    callers,
    teardown: async () => {
      (app.locals.close as () => void)();
      await bed.teardown();
    },
  };
}

export async function envToday(bed: Testbed): Promise<string> {
  return shanghaiDate(new Date(await bed.env.currentTimeMs()).toISOString());
}

/** A plan the API accepts today (wall clock: the API checks the lead time against the real date). */
export function apiPlan(overrides: Partial<m.ClassPlan> = {}): m.ClassPlan {
  const today = shanghaiDate(new Date().toISOString());
  const start = addDays(today, 14);
  return {
    title: '中式烹调师（五级）API班',
    occupationCode: '4-03-02-01',
    level: 'LEVEL_5',
    plannedStart: start,
    plannedEnd: addDays(start, 20),
    classHours: 72,
    capacity: 30,
    venue: '长安区中山东路88号实训楼3层',
    teachers: ['讲师甲'],
    fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    commitment: false,
    courseTable: [
      {
        date: start,
        content: '刀工基础',
        hours: 8,
        start: '08:30',
        end: '17:30',
        room: '301',
        teacher: '讲师甲',
      },
    ],
    assessmentBodyId: ASSESSOR_BODY,
    plannedAssessmentDate: addDays(start, 23),
    ...overrides,
  };
}

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨';
/** Roster rows with valid ID numbers (made-up people); `seed` keeps files apart from each other. */
export function rosterRows(count: number, seed: number, category = '城镇登记失业人员') {
  return Array.from({ length: count }, (_, i) => {
    const n = seed * 100 + i;
    return {
      idNumber: makeIdNumber('130104', `1988-0${1 + (n % 9)}-2${n % 8}`, (n * 13) % 1000),
      name: `${SURNAMES[n % SURNAMES.length]}学员${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${String.fromCharCode(0x4e00 + n)}`,
      category,
    };
  });
}

/** Polls `check` and lets workflow time pass (time-skipping) between looks. */
export async function eventually<T>(
  bed: Testbed,
  check: () => Promise<T | undefined | false>,
  stepMs = 1_000,
  tries = 300,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await bed.env.sleep(stepMs);
  }
  throw new Error('condition not met in time');
}

/**
 * The app on a read model alone, for routes that read the read model; `close` it with the database. Its Temporal
 * knows no workflow: every call answers WorkflowNotFoundError, as for a class that does not exist (another
 * organisation's class is looked up there too) or one without a workflow (an imported class: a command to it is
 * 409 CASE_CLOSED). `dashboardCacheMs: 0` shows every change on the dashboard at once.
 */
export function appWithoutTemporal(db: Db, opts: { dashboardCacheMs?: number } = {}): Express {
  const notFound = async () => {
    throw new WorkflowNotFoundError('workflow not found', 'unknown', undefined);
  };
  const noTemporal = {
    workflow: {
      getHandle: () => ({ describe: notFound, query: notFound, executeUpdate: notFound, signal: notFound }),
    },
    workflowService: {},
  } as unknown as Client;
  return createApp({
    db,
    temporal: noTemporal,
    settings: testSettings(),
    logger: pino({ level: 'silent' }),
    ...opts,
  });
}

/** supertest keeps a binary answer (a spreadsheet) as a Buffer only with this parser. */
export function binaryBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** A class filed by the institution and approved, once the read model shows it ENROLLING: its id. */
export async function enrollingClass(
  t: ApiBed,
  title: string,
  plan: Partial<m.ClassPlan> = {},
): Promise<string> {
  const filed = await t.callers.institution
    .call('post', '/api/v1/institution/classes')
    .send({ plan: apiPlan({ title, ...plan }) })
    .expect(202);
  const classId = filed.body.classId as string;
  await eventually(t.bed, async () =>
    (await t.callers.caseworker.call('post', `/api/v1/cases/${classId}/review`).send({ decision: 'APPROVE' }))
      .status === 200
      ? true
      : undefined,
  );
  await eventually(
    t.bed,
    async () => (await t.bed.db.trainingClass.findUnique({ where: { id: classId } }))?.stage === 'ENROLLING',
  );
  return classId;
}

/**
 * A class in the read model as the projection writes it when its plan is filed — and, given a later stage, moved
 * there — for the tests of routes that read the read model alone.
 */
export async function projectClass(
  db: Db,
  c: { id: string; institutionId: string; district?: string; plan?: Partial<m.ClassPlan>; stage?: m.Stage },
): Promise<void> {
  const event = { workflowId: c.id, classId: c.id, at: new Date().toISOString(), actor: 'test' };
  await applyCaseEvent(db, {
    ...event,
    seq: 1,
    action: 'PLAN_SUBMITTED',
    stage: 'UNDER_REVIEW',
    create: { institutionId: c.institutionId, district: c.district ?? '长安区', plan: apiPlan(c.plan) },
    classPatch: { stage: 'UNDER_REVIEW' },
  });
  if (c.stage && c.stage !== 'UNDER_REVIEW')
    await applyCaseEvent(db, {
      ...event,
      seq: 2,
      action: 'STAGE',
      stage: c.stage,
      classPatch: { stage: c.stage },
    });
}
