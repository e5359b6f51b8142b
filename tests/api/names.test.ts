// Issue 15, point 6: people and organisations by name, never by id where a name exists — the class lists and
// the case page name the institution and the booked assessment body, the timeline and the access audit name
// who acted, and a plan picks its assessment body from a list by name. On the read model alone (a class row
// and its audit events as the projection writes them; the workflow's query is not needed for these).
import { createApp } from '../../api/app';
import { createTestDb } from '../support/db';
import { appWithoutTemporal, apiPlan, createUser, PASSWORD } from './support';
import { checkedAgent } from './contract';

const CLASS = 'SJZ-2026-000077';
const INSTITUTION_NAME = '石家庄市智联职业培训学校';
const ASSESSMENT_BODY_NAME = '石家庄市职业技能鉴定中心';

let t: Awaited<ReturnType<typeof createTestDb>>;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestDb();
  await createUser(t.db, 'cw', 'CASEWORKER');
  await createUser(t.db, 'admin', 'ADMIN');
  await createUser(t.db, 'inst', 'INSTITUTION', 'inst-sjz-01');
  await createUser(t.db, 'other', 'INSTITUTION', 'inst-sjz-02');
  await t.db.user.update({ where: { id: 'u-cw' }, data: { displayName: '王芳' } });
  await t.db.user.update({ where: { id: 'u-inst' }, data: { displayName: '赵敏（智联）' } });
  await t.db.apiKey.create({
    data: { id: 'key-1', institutionId: 'inst-sjz-01', prefix: 'ab12cd34', keyHash: 'x', label: '教务系统' },
  });
  // Not on the list to book: a training institution, and an assessment body whose designation has lapsed.
  await t.db.institution.create({
    data: {
      id: 'assess-old',
      name: '已撤销的评价机构',
      kind: 'ASSESSMENT',
      district: '长安区',
      creditCode: '12130100MB0000099X',
      bankAccount: '1302 0100 0400 0009 999',
      validFrom: '2015-01-01',
      validTo: '2020-12-31',
    },
  });
  const plan = apiPlan();
  await t.db.trainingClass.create({
    data: {
      id: CLASS,
      institutionId: 'inst-sjz-01',
      occupationCode: plan.occupationCode,
      level: plan.level,
      district: '长安区',
      title: plan.title,
      stage: 'UNDER_REVIEW',
      policyVersionId: 'hebei-2024',
      plannedStart: plan.plannedStart,
      plannedEnd: plan.plannedEnd,
      classHours: plan.classHours,
      capacity: plan.capacity,
      assessmentBodyId: plan.assessmentBodyId,
      plan: JSON.stringify(plan),
    },
  });
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 1, minute));
  const events = [
    { seq: 1, actor: 'apikey:key-1', action: 'PLAN_SUBMITTED' },
    { seq: 2, actor: 'system', action: 'POLICY_BOUND' },
    { seq: 3, actor: 'u-cw', action: 'PLAN_RETURNED' },
    { seq: 4, actor: 'u-inst', action: 'PLAN_RESUBMITTED' },
    // the workflow records some of the institution's steps by the institution's id
    { seq: 5, actor: 'inst-sjz-01', action: 'TRAINING_STARTED' },
  ];
  for (const e of events)
    await t.db.auditEvent.create({
      data: {
        id: `${CLASS}:${e.seq}`,
        classId: CLASS,
        workflowId: CLASS,
        seq: e.seq,
        at: at(e.seq),
        actor: e.actor,
        action: e.action,
        stage: 'UNDER_REVIEW',
      },
    });
  await t.db.accessAudit.create({
    data: { id: 'aa-1', userId: 'u-cw', action: 'PII_REVEALED', subject: CLASS, reason: '核对身份' },
  });
  app = appWithoutTemporal(t.db);
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await t.cleanup();
});

/** A session through the contract-checking agent: every answer is checked against its documented schema. */
async function login(username: string) {
  const agent = checkedAgent(app);
  await agent.post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200);
  return { get: (path: string) => agent.get(path).expect(200) };
}

const named = {
  institutionId: 'inst-sjz-01',
  institutionName: INSTITUTION_NAME,
  assessmentBodyId: 'assess-sjz-01',
  assessmentBodyName: ASSESSMENT_BODY_NAME,
};

describe('names instead of ids', () => {
  it('names the institution and the booked assessment body in the case list and the institution’s own list', async () => {
    const cases = await (await login('cw')).get('/api/v1/cases');
    expect(cases.body.items).toEqual([expect.objectContaining(named)]);
    const own = await (await login('inst')).get('/api/v1/institution/classes');
    expect(own.body.items).toEqual([expect.objectContaining(named)]);
  });

  it('names everyone who acted on the case in its timeline, and the system as nobody in particular', async () => {
    const detail = await (await login('cw')).get(`/api/v1/cases/${CLASS}`);
    expect(detail.body.class).toEqual(expect.objectContaining(named));
    const actors = (detail.body.timeline as { actor: string; actorName: string | null }[]).map((e) => [
      e.actor,
      e.actorName,
    ]);
    expect(actors).toEqual([
      ['apikey:key-1', `${INSTITUTION_NAME}（教务系统）`],
      ['system', null],
      ['u-cw', '王芳'],
      ['u-inst', '赵敏（智联）'],
      ['inst-sjz-01', INSTITUTION_NAME],
    ]);
  });

  it('names the user behind each row of the access audit', async () => {
    const audit = await (await login('admin')).get('/api/v1/admin/audit');
    expect(audit.body.items).toEqual([expect.objectContaining({ userId: 'u-cw', userName: '王芳' })]);
  });

  it('offers an institution the assessment bodies it may book, by name, and nothing else', async () => {
    const list = await (await login('inst')).get('/api/v1/institution/assessment-bodies');
    const items = list.body.items as { id: string; name: string }[];
    expect(items).toContainEqual(
      expect.objectContaining({ id: 'assess-sjz-01', name: ASSESSMENT_BODY_NAME }),
    );
    expect(items.map((i) => i.id)).not.toContain('assess-old');
    expect(items.map((i) => i.id)).not.toContain('inst-sjz-01');
    for (const i of items) expect(i.name).not.toBe(i.id);
  });
});
