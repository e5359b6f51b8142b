// Issue 15, point 2: the inbox says what each task is about (the trainee by masked name, the payment batch and
// its amount, the objected line), how many tasks match in all, sorts by the documented fields only, and keeps
// saved views that a role's team shares and no other role sees. One class driven from plan to payment on the
// time-skipping server, with a second class waiting for review beside it.
import { HEBEI_2024 } from '../../domain/policy';
import { addDays } from '../../domain/dates';
import { maskName } from '../../domain/masking';
import { lessons } from '../support/scenario';
import {
  apiPlan,
  createUser,
  envToday,
  eventually,
  rosterRows,
  sessionCaller,
  startApiBed,
  type ApiBed,
  type Caller,
} from './support';

jest.setTimeout(420_000);

interface About {
  type: 'TRAINEE' | 'BATCH' | 'OBJECTION';
  enrollmentId?: string;
  traineeName?: string | null;
  batchId?: string;
  batchKind?: string | null;
  totalFen?: number | null;
  payees?: number | null;
  objectionId?: string;
  lineId?: string | null;
  lineKind?: string | null;
  amountFen?: number | null;
}
interface Item {
  id: string;
  classId: string;
  kind: string;
  subject: string | null;
  dueAt: string | null;
  createdAt: string;
  evidenceId: string | null;
  about: About | null;
}
interface InboxPage {
  items: Item[];
  nextCursor: string | null;
  total: number;
}

let t: ApiBed;
let classId: string;
let reviewClassId: string;
/** the trainees of the class, by enrollment id: name and ID number as the institution sent them */
const people = new Map<string, { name: string; idNumber: string }>();
let passed: string[] = [];

const inbox = async (caller: Caller, query: string): Promise<InboxPage> =>
  (await caller.call('get', `/api/v1/tasks?${query}`).expect(200)).body as InboxPage;

beforeAll(async () => {
  t = await startApiBed({ policies: [HEBEI_2024] });
  const { institution: inst, caseworker: cw, assessor } = t.callers;
  const view = async () => (await cw.call('get', `/api/v1/cases/${classId}`).expect(200)).body;
  const stageIs = (stage: string) => async () => (await view()).case?.stage === stage;

  // A class left waiting for review: another class and another kind in the caseworker's inbox.
  reviewClassId = (
    await inst
      .call('post', '/api/v1/institution/classes')
      .send({ plan: apiPlan({ title: '养老护理员（五级）待审核班' }) })
      .expect(202)
  ).body.classId;

  // The class the inbox test works on: four trainees, three pass, each reports a job during follow-up.
  const plan = apiPlan({ title: '育婴员（五级）待办测试班' });
  classId = (await inst.call('post', '/api/v1/institution/classes').send({ plan }).expect(202)).body.classId;
  await eventually(t.bed, stageIs('UNDER_REVIEW'));
  await cw.call('post', `/api/v1/cases/${classId}/review`).send({ decision: 'APPROVE' }).expect(200);
  await eventually(t.bed, stageIs('ENROLLING'));
  const rows = rosterRows(4, 11);
  const enrolled = await inst
    .call('post', `/api/v1/institution/classes/${classId}/trainees`)
    .send({ trainees: rows })
    .expect(200);
  const ids = (enrolled.body.enrolled as { enrollmentId: string; row: number }[])
    .sort((a, b) => a.row - b.row)
    .map((e) => e.enrollmentId);
  ids.forEach((id, i) => people.set(id, { name: rows[i]!.name, idNumber: rows[i]!.idNumber }));
  await inst.call('post', `/api/v1/institution/classes/${classId}/start`).expect(200);
  await eventually(t.bed, stageIs('TRAINING'));
  await inst
    .call('post', `/api/v1/institution/classes/${classId}/attendance`)
    .send({ lessons: lessons(plan, ids) })
    .expect(200);
  await inst.call('post', `/api/v1/institution/classes/${classId}/finish`).expect(200);
  await eventually(t.bed, stageIs('ASSESSMENT'));
  passed = ids.slice(0, 3);
  await assessor
    .call('post', `/api/v1/assessor/classes/${classId}/results`)
    .send({
      results: [
        ...passed.map((enrollmentId, i) => ({
          enrollmentId,
          result: 'SKILL_LEVEL_CERT',
          certificateNo: `C-${i + 1}`,
        })),
        { enrollmentId: ids[3], result: 'FAILED' },
      ],
    })
    .expect(200);
  await eventually(t.bed, stageIs('FOLLOW_UP'));
  const employedOn = addDays(await envToday(t.bed), 5);
  for (const enrollmentId of passed)
    await eventually(t.bed, async () => {
      const r = await inst.call('post', `/api/v1/institution/classes/${classId}/employment-evidence`).send({
        enrollmentId,
        kind: 'LABOUR_CONTRACT',
        employedOn,
        employer: '石家庄市某家政服务有限公司',
      });
      return r.status === 201;
    });
  await eventually(t.bed, async () => {
    const page = await inbox(cw, 'kind=VERIFY_EMPLOYMENT');
    return page.items.filter((x) => x.classId === classId).length === 3;
  });
});
afterAll(() => t?.teardown());

describe('what an inbox row is about', () => {
  it('names the trainee of each evidence task by masked name, never the name or ID number in clear', async () => {
    const res = await t.callers.caseworker.call('get', '/api/v1/tasks?kind=VERIFY_EMPLOYMENT').expect(200);
    const items = (res.body as InboxPage).items;
    expect(items.map((x) => x.about?.enrollmentId).sort()).toEqual([...passed].sort());
    for (const item of items) {
      const person = people.get(item.subject!)!;
      expect(item.about).toEqual({
        type: 'TRAINEE',
        enrollmentId: item.subject,
        traineeName: maskName(person.name),
      });
      expect(item.about?.traineeName).toMatch(/\*/);
    }
    // Nowhere in the answer: not a name, not an ID number.
    for (const { name, idNumber } of people.values()) {
      expect(res.text).not.toContain(name);
      expect(res.text).not.toContain(idNumber);
    }
    // A plan review is about the class as a whole.
    const review = (await inbox(t.callers.caseworker, 'kind=REVIEW_PLAN')).items[0]!;
    expect(review.classId).toBe(reviewClassId);
    expect(review.about).toBeNull();
  });
});

describe('the total and the pages', () => {
  it('counts every task the filters match, on every page, whatever the page size', async () => {
    const cw = t.callers.caseworker;
    const all = await inbox(cw, 'limit=200');
    expect(all.total).toBe(4); // three verifications and one plan review
    expect(all.items).toHaveLength(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await inbox(
        cw,
        `kind=VERIFY_EMPLOYMENT&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.total).toBe(3);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(3);
    // A filter that matches nothing: an empty page and a total of 0; another role's inbox does not count ours.
    expect(await inbox(cw, 'kind=RECORD_ASSESSMENT')).toEqual({ total: 0, items: [], nextCursor: null });
    expect((await inbox(t.callers.finance, '')).total).toBe(0);
  });
});

describe('sorting the inbox', () => {
  const orderOf = (items: Item[], field: (x: Item) => string) => items.map(field);
  const ascending = (v: string[]) => [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it.each([
    ['kind', (x: Item) => x.kind],
    ['class', (x: Item) => x.classId],
    ['createdAt', (x: Item) => x.createdAt],
    ['dueAt', (x: Item) => x.dueAt ?? ''],
  ])('sorts by %s both ways, and pages in that order', async (key, field) => {
    const cw = t.callers.caseworker;
    const up = await inbox(cw, `sort=${key}&limit=200`);
    expect(orderOf(up.items, field)).toEqual(ascending(orderOf(up.items, field)));
    const down = await inbox(cw, `sort=-${key}&limit=200`);
    expect(orderOf(down.items, field)).toEqual(ascending(orderOf(down.items, field)).reverse());
    // Page by page in the same order as one long page.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await inbox(cw, `sort=-${key}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(down.items.map((x) => x.id));
  });

  it('sorts by kind so that the plan review and the verifications come apart', async () => {
    const kinds = (await inbox(t.callers.caseworker, 'sort=-kind')).items.map((x) => x.kind);
    expect(kinds).toEqual(['VERIFY_EMPLOYMENT', 'VERIFY_EMPLOYMENT', 'VERIFY_EMPLOYMENT', 'REVIEW_PLAN']);
  });

  it.each(['title', 'constructor', '__proto__', '-toString', 'subject'])(
    'refuses sort=%s with a 400 that names the sort field',
    async (sort) => {
      const res = await t.callers.caseworker
        .call('get', `/api/v1/tasks?sort=${encodeURIComponent(sort)}`)
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('SORT_INVALID');
      expect(res.body.errors[0].path).toBe('sort');
    },
  );
});

describe('saved views of a team', () => {
  let secondCaseworker: Caller;
  beforeAll(async () => {
    await createUser(t.bed.db, 'cw-two', 'CASEWORKER');
    secondCaseworker = await sessionCaller(t.app, 'cw-two');
  });

  it('are shared by everyone of the role, unseen by another role, and deleted by the team', async () => {
    const { caseworker: cw, finance, manager } = t.callers;
    const saved = await cw
      .call('post', '/api/v1/tasks/views')
      .send({ name: '我的逾期核验', query: { kind: 'VERIFY_EMPLOYMENT', overdue: 'true', sort: '-dueAt' } })
      .expect(201);
    expect(saved.body).toMatchObject({
      name: '我的逾期核验',
      role: 'CASEWORKER',
      query: { kind: 'VERIFY_EMPLOYMENT', overdue: 'true', sort: '-dueAt' },
      createdBy: 'u-cw',
      createdByName: 'cw',
    });
    // The other caseworker (same team) sees it; finance and the manager do not.
    const team = await secondCaseworker.call('get', '/api/v1/tasks/views').expect(200);
    expect(team.body.items.map((v: { id: string }) => v.id)).toEqual([saved.body.id]);
    expect((await finance.call('get', '/api/v1/tasks/views').expect(200)).body.items).toEqual([]);
    expect((await manager.call('get', '/api/v1/tasks/views').expect(200)).body.items).toEqual([]);
    // Finance keeps its own, unseen by caseworkers.
    const theirs = await finance
      .call('post', '/api/v1/tasks/views')
      .send({ name: '待审批拨付', query: { kind: 'APPROVE_PAYMENT', sort: 'createdAt' } })
      .expect(201);
    expect((await cw.call('get', '/api/v1/tasks/views').expect(200)).body.items).toHaveLength(1);
    // Another role's view cannot be deleted (not found); the team's can, by anyone of the team.
    await cw.call('delete', `/api/v1/tasks/views/${theirs.body.id}`).expect(404);
    await finance.call('delete', `/api/v1/tasks/views/${saved.body.id}`).expect(404);
    await secondCaseworker.call('delete', `/api/v1/tasks/views/${saved.body.id}`).expect(204);
    expect((await cw.call('get', '/api/v1/tasks/views').expect(200)).body.items).toEqual([]);
    await cw.call('delete', `/api/v1/tasks/views/${saved.body.id}`).expect(404);
    expect((await finance.call('get', '/api/v1/tasks/views').expect(200)).body.items).toHaveLength(1);
  });

  it('apply as the inbox query they hold', async () => {
    const cw = t.callers.caseworker;
    const saved = await cw
      .call('post', '/api/v1/tasks/views')
      .send({ name: '就业核验', query: { kind: 'VERIFY_EMPLOYMENT', sort: '-class' } })
      .expect(201);
    const query = new URLSearchParams(saved.body.query as Record<string, string>).toString();
    const page = await inbox(cw, query);
    expect(page.total).toBe(3);
    expect(page.items.every((x) => x.kind === 'VERIFY_EMPLOYMENT')).toBe(true);
    await cw.call('delete', `/api/v1/tasks/views/${saved.body.id}`).expect(204);
  });

  it('refuse a taken name with a 409 on the name, and bad input with a 400 naming the field', async () => {
    const cw = t.callers.caseworker;
    const first = await cw
      .call('post', '/api/v1/tasks/views')
      .send({ name: '本周到期', query: { sort: 'dueAt' } })
      .expect(201);
    const again = await secondCaseworker
      .call('post', '/api/v1/tasks/views')
      .send({ name: '本周到期', query: {} })
      .expect(409);
    expect(again.body.errors[0].path).toBe('name');
    const cases: [unknown, string][] = [
      [{ name: '按标题', query: { sort: 'title' } }, 'query.sort'],
      [{ name: '原型', query: { sort: '-constructor' } }, 'query.sort'],
      [{ name: '', query: {} }, 'name'],
      [{ name: 'x'.repeat(41), query: {} }, 'name'],
      [{ name: '多余', query: { colour: 'red' } }, 'query.colour'],
      [{ name: '逾期', query: { overdue: 'yes' } }, 'query.overdue'],
      [{ name: '日期', query: { dueBefore: '2026-13-40' } }, 'query.dueBefore'],
      [{ query: {} }, 'name'],
      [{ name: 7, query: {} }, 'name'],
    ];
    for (const [body, path] of cases) {
      const res = await cw.call('post', '/api/v1/tasks/views').send(body as object);
      expect([res.status, res.body.errors?.map((e: { path: string }) => e.path)]).toEqual([
        400,
        expect.arrayContaining([path]),
      ]);
    }
    await cw.call('delete', `/api/v1/tasks/views/${first.body.id}`).expect(204);
  });

  it('check who is calling: no one anonymous, no institution or assessment body', async () => {
    const { anonymous, institution, institutionKey, assessor } = t.callers;
    await anonymous.call('get', '/api/v1/tasks/views').expect(401);
    await anonymous.call('post', '/api/v1/tasks/views').send({ name: 'x', query: {} }).expect(401);
    await anonymous.call('delete', '/api/v1/tasks/views/view-1').expect(401);
    for (const caller of [institution, institutionKey, assessor]) {
      await caller.call('get', '/api/v1/tasks/views').expect(403);
      await caller.call('post', '/api/v1/tasks/views').send({ name: 'x', query: {} }).expect(403);
      await caller.call('delete', '/api/v1/tasks/views/view-1').expect(403);
      await caller.call('get', '/api/v1/tasks').expect(403);
    }
  });
});

describe('acting through the day', () => {
  it('verifies from the inbox, then shows the objection’s line and the batch with its amount', async () => {
    const { caseworker: cw, finance: fin, anonymous } = t.callers;
    const act = (caller: Caller, id: string) =>
      caller.call('post', `/api/v1/tasks/${encodeURIComponent(id)}/act`);

    // Several verifications, each its own call with its own note; acting twice on one is refused (closed).
    const tasks = (await inbox(cw, 'kind=VERIFY_EMPLOYMENT')).items;
    for (const [i, task] of tasks.entries())
      await act(cw, task.id)
        .send({ kind: 'VERIFY_EMPLOYMENT', verdict: 'VERIFIED', note: `合同核验无误 ${i + 1}` })
        .expect(200);
    await eventually(t.bed, async () => (await inbox(cw, 'kind=VERIFY_EMPLOYMENT')).total === 0);
    const twice = await act(cw, tasks[0]!.id).send({ kind: 'VERIFY_EMPLOYMENT', verdict: 'VERIFIED' });
    expect(twice.status).toBe(409);

    // 公示: an objection to a trainee's line names the line, its amount and the trainee, masked.
    const stage = async () =>
      (await cw.call('get', `/api/v1/cases/${classId}`).expect(200)).body.case?.stage as string;
    await eventually(t.bed, async () => (await stage()) === 'NOTICE', 6 * 3_600_000, 800);
    const notice = (await anonymous.call('get', `/api/v1/public/notices?classId=${classId}`).expect(200)).body
      .items[0];
    const line = notice.rows.find((r: { kind: string }) => r.kind === 'TRAINING');
    const objection = await anonymous
      .call('post', `/api/v1/public/notices/${notice.id}/objections`)
      .send({ lineId: line.lineId, reason: '该学员未实际参加培训' })
      .expect(201);
    const resolve = await eventually(t.bed, async () =>
      (await inbox(cw, 'kind=RESOLVE_OBJECTION')).items.find((x) => x.classId === classId),
    );
    const lineRow = await t.bed.db.subsidyLine.findUnique({ where: { id: line.lineId } });
    expect(resolve.about).toEqual({
      type: 'OBJECTION',
      objectionId: objection.body.objectionId,
      lineId: line.lineId,
      lineKind: 'TRAINING',
      amountFen: lineRow!.amountFen,
      traineeName: maskName(people.get(lineRow!.enrollmentId!)!.name),
    });
    await act(cw, resolve.id)
      .send({ kind: 'RESOLVE_OBJECTION', upheld: false, note: '经核查属实参训' })
      .expect(200);

    // 拨付: finance sees the batch by id, kind and amount as the payment list has it.
    const approval = await eventually(
      t.bed,
      async () => (await inbox(fin, 'kind=APPROVE_PAYMENT')).items.find((x) => x.classId === classId),
      3_600_000,
      400,
    );
    const batches = (await fin.call('get', `/api/v1/payments/batches?classId=${classId}`).expect(200)).body
      .items as { id: string; kind: string; totalFen: number; payments?: unknown[] }[];
    const batch = batches.find((b) => b.id === approval.subject)!;
    expect(approval.about).toMatchObject({
      type: 'BATCH',
      batchId: batch.id,
      batchKind: batch.kind,
      totalFen: batch.totalFen,
    });
    expect(approval.about!.payees).toBeGreaterThan(0);
    expect((await inbox(fin, 'kind=APPROVE_PAYMENT')).total).toBeGreaterThan(0);
    await act(fin, approval.id).send({ kind: 'APPROVE_PAYMENT' }).expect(200);
  });
});
