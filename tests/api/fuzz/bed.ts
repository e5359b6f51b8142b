// The fuzz test bed: the API test bed (tests/api/support.ts) with classes parked in every interesting stage, so
// hostile requests reach real objects (a class under review, a roster, a notice with an objection, a payment
// batch awaiting approval …) and not only 404s. The fuzz talks to its own app on the same bed, whose logger
// keeps the errors behind any 5xx, and calls as its own users, so a fuzzed logout or a locked username never
// takes a caller away.
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { Writable } from 'node:stream';
import { createApp } from '../../../api/app';
import { ApiKeyStore } from '../../../api/auth/apiKeys';
import { SESSION_COOKIE, SessionStore } from '../../../api/auth/sessions';
import { HEBEI_2024 } from '../../../domain/policy';
import { OCCUPATION_CATALOGUE } from '../../../domain/occupations';
import { addDays } from '../../../domain/dates';
import { lessons } from '../../support/scenario';
import type * as m from '../../../workflows/messages';
import {
  ASSESSOR_BODY,
  INSTITUTION,
  OTHER_INSTITUTION,
  apiPlan,
  createUser,
  envToday,
  eventually,
  rosterRows,
  startApiBed,
  type ApiBed,
  type Caller,
} from '../support';

export const FUZZ_CALLERS = [
  'anonymous',
  'caseworker',
  'finance',
  'manager',
  'admin',
  'institution',
  'institutionKey',
  'otherInstitution',
  'assessor',
  'assessorSession',
  'otherAssessor',
  'badKey',
] as const;
export type FuzzCallerName = (typeof FUZZ_CALLERS)[number];

/** Session users of the fuzz (never offered to the fuzzed login, so their names are never locked). */
const SESSION_USERS: Partial<Record<FuzzCallerName, [string, string, string?]>> = {
  caseworker: ['fz-cw', 'CASEWORKER'],
  finance: ['fz-fin', 'FINANCE'],
  manager: ['fz-mgr', 'MANAGER'],
  admin: ['fz-adm', 'ADMIN'],
  institution: ['fz-inst', 'INSTITUTION', INSTITUTION],
  otherInstitution: ['fz-inst2', 'INSTITUTION', OTHER_INSTITUTION],
  assessorSession: ['fz-asr', 'ASSESSOR', ASSESSOR_BODY],
};

export interface LoggedError {
  message: string;
  at: string;
}

export interface FuzzBed {
  api: ApiBed;
  app: Express;
  callers: Record<FuzzCallerName, Caller>;
  /** logs in again after a fuzzed logout ended the session */
  relogin(name: FuzzCallerName): Promise<void>;
  /** errors the app logged (the cause behind a 5xx), newest last */
  errors: LoggedError[];
  /** real ids by name, e.g. `class:ENROLLING`, `task:REVIEW_PLAN`, `line:NOTICE` */
  pools: Record<string, string[]>;
  refreshPools(): Promise<void>;
  /** parks a fresh class in every stage (the long run's accepted writes move the first ones along) */
  restage(): Promise<void>;
  /** seconds spent building the stages */
  setupSeconds: number;
  teardown(): Promise<void>;
}

const DAY = 24 * 3_600_000;

export async function startFuzzBed(log: (msg: string) => void = () => undefined): Promise<FuzzBed> {
  const started = Date.now();
  const t = await startApiBed({ policies: [HEBEI_2024] });
  const errors: LoggedError[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const line = JSON.parse(chunk.toString('utf8')) as {
          err?: { message?: string; stack?: string };
          msg?: string;
        };
        const frame = (line.err?.stack ?? '')
          .split('\n')
          .find((l) => /^\s+at /.test(l) && !/node_modules|node:internal|<anonymous>/.test(l));
        // Prisma's messages run over many lines: the first says which call, the last what was wrong with it.
        const lines = (line.err?.message ?? line.msg ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !/^[\d→\s]/.test(l) && !/^[{}()[\]]/.test(l));
        const message = lines.length > 2 ? `${lines[0]} … ${lines[lines.length - 1]}` : lines.join(' ');
        errors.push({ message, at: (frame ?? '').trim().replace(/^at /, '') });
        if (errors.length > 5_000) errors.splice(0, 1_000);
      } catch {
        errors.push({ message: chunk.toString('utf8').slice(0, 500), at: '' });
      }
      done();
    },
  });
  const app = createApp({
    db: t.bed.db,
    temporal: t.bed.env.client,
    settings: t.settings,
    logger: pino({ level: 'error' }, sink),
    dashboardCacheMs: 0,
  });

  await buildStages(t, log);

  const db = t.bed.db;
  for (const [username, role, org] of Object.values(SESSION_USERS)) await createUser(db, username, role, org);
  const keys = new ApiKeyStore(db);
  // Keys the fuzz may revoke or rotate: never the keys it calls with.
  for (const label of ['victim 1', 'victim 2', 'victim 3']) await keys.issue(INSTITUTION, label);
  const [instKey, asrKey, asr2Key] = await Promise.all([
    keys.issue(INSTITUTION, 'fuzz ERP'),
    keys.issue(ASSESSOR_BODY, 'fuzz exam system'),
    keys.issue('assess-sjz-02', 'fuzz exam system'),
  ]);
  const victims = (await db.apiKey.findMany({ where: { label: { startsWith: 'victim' } } })).map((k) => k.id);

  // The fuzz's own callers send bytes as they are and judge every answer itself (send.ts), the contract
  // included: they are not the test bed's checked callers.
  const keyed = (name: string, role: string, org: string, key: string): Caller => ({
    name,
    role,
    organisationId: org,
    call: (method, path) => requestOf(app, method, path).set('Authorization', `Bearer ${key}`),
  });
  const callers = {
    anonymous: { name: 'anonymous', role: 'PUBLIC', call: (method, path) => requestOf(app, method, path) },
    institutionKey: keyed('institution key', 'INSTITUTION', INSTITUTION, instKey.key),
    assessor: keyed('assessor key', 'ASSESSOR', ASSESSOR_BODY, asrKey.key),
    otherAssessor: keyed('other assessor key', 'ASSESSOR', 'assess-sjz-02', asr2Key.key),
    badKey: keyed('revoked-looking key', 'NONE', '', 'sk_nope_0000000000000000000000'),
  } as Record<FuzzCallerName, Caller>;
  // Sessions are opened straight in the store, not through the login route: the fuzzed logins may have slowed
  // this client down (as they should), and a session caller keeps no cookie jar, so a fuzzed login cannot swap
  // whose session it holds.
  const sessions = new SessionStore(db);
  const relogin = async (name: FuzzCallerName) => {
    const username = SESSION_USERS[name]?.[0];
    if (!username) return;
    const user = await db.user.findUniqueOrThrow({ where: { username } });
    const { token, principal } = await sessions.create(user);
    callers[name] = {
      name: username,
      role: user.role,
      organisationId: user.institutionId ?? undefined,
      call: (method, path) => {
        const t = request(app)[method](path).set('Cookie', `${SESSION_COOKIE}=${token}`);
        return method === 'get' ? t : t.set('X-CSRF-Token', principal.csrfToken!);
      },
    };
  };
  for (const name of Object.keys(SESSION_USERS) as FuzzCallerName[]) await relogin(name);

  const pools: Record<string, string[]> = {};
  const refreshPools = async () => {
    for (const k of Object.keys(pools)) delete pools[k];
    Object.assign(pools, await collectPools(t, victims));
  };
  await refreshPools();
  return {
    api: t,
    app,
    callers,
    relogin,
    errors,
    pools,
    refreshPools,
    restage: async () => {
      // The catalogue and calendar as shipped again: accepted fuzz writes (an occupation's hours, a holiday)
      // would otherwise refuse the fresh plans. Should something else stand in the way, the run goes on with the
      // stages it has.
      await restoreCatalogue(db);
      await buildStages(t, log).catch((err: unknown) => log(`could not park fresh stages: ${String(err)}`));
      await refreshPools();
    },
    setupSeconds: (Date.now() - started) / 1000,
    teardown: async () => {
      (app.locals.close as () => void)();
      await t.teardown();
    },
  };
}

function requestOf(app: Express, method: 'get' | 'post' | 'delete', path: string) {
  return request(app)[method](path);
}

/**
 * Classes in every stage a request can meet. Two classes go the long way (3-month follow-up, then notice), a week
 * apart, so that when the second is in its notice (公示) the first has reached payout (拨付) and waits for finance;
 * the others are driven afterwards and stay where they are: nothing advances time during the fuzz.
 */
let round = 0;
async function buildStages(t: ApiBed, log: (msg: string) => void): Promise<void> {
  // Each round enrols other people: the same ones again would be refused (same occupation and level, overlap).
  const people = 71 + 10 * round++;
  const { institutionKey: inst, caseworker: cw, assessor, anonymous } = t.callers;
  const db = t.bed.db;
  const stage = async (id: string) => (await db.trainingClass.findUnique({ where: { id } }))?.stage;
  const reach = (id: string, s: string, stepMs = 1_000, tries = 300) =>
    eventually(t.bed, async () => (await stage(id)) === s, stepMs, tries);

  const file = async (title: string) => {
    const plan = apiPlan({ title });
    const res = await inst.call('post', '/api/v1/institution/classes').send({ plan });
    if (res.status !== 202) throw new Error(`filing ${title}: ${res.status} ${res.text}`);
    const id = res.body.classId as string;
    await reach(id, 'UNDER_REVIEW');
    return { id, plan };
  };
  const review = async (id: string, decision: 'APPROVE' | 'RETURN') => {
    await eventually(t.bed, async () => {
      const r = await cw
        .call('post', `/api/v1/cases/${id}/review`)
        .send({ decision, reason: decision === 'RETURN' ? '课程表不完整' : undefined });
      return r.status === 200;
    });
    await reach(id, decision === 'APPROVE' ? 'ENROLLING' : 'RETURNED');
  };
  const enrol = async (id: string, seed: number, count = 3) => {
    const res = await inst
      .call('post', `/api/v1/institution/classes/${id}/trainees`)
      .send({ trainees: rosterRows(count, seed) });
    if (res.status !== 200 || res.body.refused.length)
      throw new Error(`enrolling ${id}: ${res.status} ${res.text}`);
    return (res.body.enrolled as { enrollmentId: string; row: number }[])
      .sort((a, b) => a.row - b.row)
      .map((e) => e.enrollmentId);
  };
  const start = async (id: string) => {
    const res = await inst.call('post', `/api/v1/institution/classes/${id}/start`);
    if (res.status !== 200) throw new Error(`starting ${id}: ${res.status} ${res.text}`);
    await reach(id, 'TRAINING');
  };
  const finish = async (id: string, plan: m.ClassPlan, ids: string[]) => {
    const att = await inst
      .call('post', `/api/v1/institution/classes/${id}/attendance`)
      .send({ lessons: lessons(plan, ids) });
    if (att.status !== 200) throw new Error(`attendance ${id}: ${att.status} ${att.text}`);
    const res = await inst.call('post', `/api/v1/institution/classes/${id}/finish`);
    if (res.status !== 200) throw new Error(`finishing ${id}: ${res.status} ${res.text}`);
    await reach(id, 'ASSESSMENT');
  };
  const assess = async (id: string, ids: string[]) => {
    const results: m.AssessmentEntry[] = ids.map((e, i) =>
      i === ids.length - 1
        ? { enrollmentId: e, result: 'FAILED' }
        : { enrollmentId: e, result: 'SKILL_LEVEL_CERT', certificateNo: `C-${id}-${i}` },
    );
    const res = await assessor.call('post', `/api/v1/assessor/classes/${id}/results`).send({ results });
    if (res.status !== 200) throw new Error(`results ${id}: ${res.status} ${res.text}`);
    await reach(id, 'FOLLOW_UP');
  };
  const toFollowUp = async (c: { id: string; plan: m.ClassPlan }, ids: string[]) => {
    await start(c.id);
    await finish(c.id, c.plan, ids);
    await assess(c.id, ids);
  };

  // The long way: payout and notice.
  const payout = await file('育婴员 fuzz payout');
  const notice = await file('养老护理员 fuzz notice');
  await review(payout.id, 'APPROVE');
  await review(notice.id, 'APPROVE');
  const payoutIds = await enrol(payout.id, people + 0);
  const noticeIds = await enrol(notice.id, people + 1);
  await toFollowUp(payout, payoutIds);
  log(`payout class ${payout.id} in follow-up`);
  await t.bed.env.sleep(7 * DAY);
  await toFollowUp(notice, noticeIds);
  log(`notice class ${notice.id} in follow-up`);
  await reach(notice.id, 'NOTICE', 12 * 3_600_000, 400);
  await reach(payout.id, 'PAYOUT', 3_600_000, 400);
  const open = await db.publicNotice.findFirst({ where: { classId: notice.id, status: 'OPEN' } });
  if (!open) throw new Error('no open notice');
  const rows = JSON.parse(open.rows) as { lineId: string }[];
  const objected = await anonymous
    .call('post', `/api/v1/public/notices/${open.id}/objections`)
    .send({ lineId: rows[0]!.lineId, reason: '该学员未实际参加培训', contact: '13800138000' });
  if (objected.status !== 201) throw new Error(`objection: ${objected.status} ${objected.text}`);
  await eventually(
    t.bed,
    async () =>
      (await db.task.count({ where: { classId: notice.id, kind: 'RESOLVE_OBJECTION', status: 'OPEN' } })) > 0,
  );
  log(`notice ${open.id} open with an objection; payout class waits for finance`);

  // The short way: every earlier stage, one class each.
  await file('电工 fuzz review');
  const returned = await file('焊工 fuzz returned');
  await review(returned.id, 'RETURN');
  const enrolling = await file('保育师 fuzz enrolling');
  await review(enrolling.id, 'APPROVE');
  await enrol(enrolling.id, people + 2);
  const training = await file('美发师 fuzz training');
  await review(training.id, 'APPROVE');
  const trainingIds = await enrol(training.id, people + 3);
  await start(training.id);
  const assessment = await file('茶艺师 fuzz assessment');
  await review(assessment.id, 'APPROVE');
  const assessmentIds = await enrol(assessment.id, people + 4);
  await start(assessment.id);
  await finish(assessment.id, assessment.plan, assessmentIds);
  const followUp = await file('中式面点师 fuzz follow-up');
  await review(followUp.id, 'APPROVE');
  const followUpIds = await enrol(followUp.id, people + 5);
  await toFollowUp(followUp, followUpIds);
  const employedOn = addDays(await envToday(t.bed), 1);
  await eventually(t.bed, async () => {
    const r = await inst.call('post', `/api/v1/institution/classes/${followUp.id}/employment-evidence`).send({
      enrollmentId: followUpIds[0],
      kind: 'LABOUR_CONTRACT',
      employedOn,
      employer: '石家庄市某家政公司',
    });
    return r.status === 201;
  });
  await eventually(
    t.bed,
    async () =>
      (await db.task.count({ where: { classId: followUp.id, kind: 'VERIFY_EMPLOYMENT', status: 'OPEN' } })) >
      0,
  );
  const cancelled = await file('插花员 fuzz cancelled');
  const c = await cw.call('post', `/api/v1/cases/${cancelled.id}/cancel`).send({ reason: '计划调整' });
  if (c.status !== 202) throw new Error(`cancel: ${c.status} ${c.text}`);
  await reach(cancelled.id, 'CANCELLED');
  void trainingIds;
  log('every stage parked');
}

/** Occupations, their levels and the calendar as shipped (seedReference only creates what is missing). */
async function restoreCatalogue(db: ApiBed['bed']['db']): Promise<void> {
  for (const o of OCCUPATION_CATALOGUE) {
    const occupation = {
      nameZh: o.name.zh,
      nameEn: o.name.en,
      shortage: o.shortage,
      newOccupation: o.newOccupation,
    };
    await db.occupation.upsert({
      where: { code: o.code },
      update: occupation,
      create: { code: o.code, ...occupation },
    });
    for (const l of o.levels) {
      const level = { standardFen: l.standardFen, evaluationFen: l.evaluationFen, minHours: l.minHours };
      await db.occupationLevel.upsert({
        where: { occupationCode_level: { occupationCode: o.code, level: l.level } },
        update: level,
        create: { occupationCode: o.code, level: l.level, ...level },
      });
    }
  }
  await db.calendarDay.deleteMany({ where: { createdBy: { startsWith: 'u-fz-' } } });
}

/** The real ids a request may name, by kind and stage; refreshed when accepted writes create new ones. */
async function collectPools(t: ApiBed, victimKeys: string[]): Promise<Record<string, string[]>> {
  const db = t.bed.db;
  const pools: Record<string, string[]> = {};
  const add = (name: string, value: string | null | undefined) => {
    if (!value) return;
    const list = (pools[name] ??= []);
    if (!list.includes(value)) list.push(value);
  };
  const classes = await db.trainingClass.findMany({ orderBy: { id: 'asc' } });
  const stageOf = new Map(classes.map((c) => [c.id, c.stage]));
  for (const c of classes) {
    add('class', c.id);
    add(`class:${c.stage}`, c.id);
    if (c.institutionId !== INSTITUTION) add('class:foreign', c.id);
  }
  for (const e of await db.enrollment.findMany({ orderBy: { id: 'asc' } })) {
    add('enrollment', e.id);
    add(`enrollment:${stageOf.get(e.classId)}`, e.id);
  }
  for (const task of await db.task.findMany({ orderBy: { id: 'asc' } })) {
    add('task', task.id);
    add(`task:${task.kind}`, task.id);
    if (task.status === 'OPEN') add('task:open', task.id);
  }
  for (const n of await db.publicNotice.findMany({ orderBy: { id: 'asc' } })) {
    add('notice', n.id);
    if (n.status === 'OPEN') add('notice:open', n.id);
    for (const row of JSON.parse(n.rows) as { lineId?: string }[]) add('line', row.lineId);
  }
  for (const o of await db.objection.findMany({ orderBy: { id: 'asc' } })) add('objection', o.id);
  for (const e of await db.employmentEvidence.findMany({ orderBy: { id: 'asc' } })) add('evidence', e.id);
  for (const b of await db.paymentBatch.findMany({ orderBy: { id: 'asc' } })) add('batch', b.id);
  for (const p of await db.payment.findMany({ orderBy: { id: 'asc' } })) add('payment', p.id);
  for (const i of await db.institution.findMany({ orderBy: { id: 'asc' } })) add('institution', i.id);
  for (const u of await db.user.findMany({ orderBy: { id: 'asc' } })) {
    add('user', u.id);
    if (!u.username.startsWith('fz-')) add('username', u.username);
  }
  for (const o of await db.occupation.findMany({ orderBy: { code: 'asc' } })) add('occupation', o.code);
  for (const p of await db.policyVersion.findMany({ orderBy: { id: 'asc' } })) add('policy', p.id);
  for (const k of victimKeys) add('apikey', k);
  return pools;
}
