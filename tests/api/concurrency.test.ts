// Requests that arrive together, through the real HTTP API (issue 12, "Done when"): an institution's system
// retrying, two clerks on one class. Every answer is awaited with a time limit, so a request that never
// answers is a failure with a message, not a hung test.
import type { Test } from 'supertest';
import * as m from '../../workflows/messages';
import { HEBEI_2024 } from '../../domain/policy';
import { IN_PROGRESS_LEASE_MS } from '../../api/idempotency';
import { apiPlan, eventually, rosterRows, startApiBed, type ApiBed, type Caller } from './support';

jest.setTimeout(240_000);

let t: ApiBed;
beforeAll(async () => (t = await startApiBed({ policies: [HEBEI_2024] })), 120_000);
afterAll(() => t?.teardown());

interface Answer {
  status: number;
  body: { code?: string; [k: string]: unknown };
  replayed?: boolean;
}

/** The answer, or status 0 when none came within `ms` (the request is left to its fate). */
async function answer(req: Test, ms = 30_000): Promise<Answer> {
  try {
    const res = await req.timeout(ms);
    return {
      status: res.status,
      body: res.body ?? {},
      replayed: res.headers['idempotent-replayed'] === 'true',
    };
  } catch (err) {
    if ((err as { timeout?: number }).timeout) return { status: 0, body: { code: 'NO_ANSWER' } };
    throw err;
  }
}
const is2xx = (a: Answer) => a.status >= 200 && a.status < 300;
const refusedWithRule = (a: Answer) =>
  (a.status === 409 || a.status === 422) && typeof a.body.code === 'string';
const show = (answers: Answer[]) => answers.map((a) => `${a.status} ${a.body.code ?? ''}`.trim()).join(', ');

const inst = () => t.callers.institutionKey;
const state = (classId: string) => t.bed.env.client.workflow.getHandle(classId).query(m.caseStateQuery);
const enrolledIn = async (classId: string) => {
  const s = await state(classId);
  const workflow = s.trainees.filter((x) => x.status === 'ENROLLED').length;
  const readModel = await t.bed.db.enrollment.count({ where: { classId, status: 'ENROLLED' } });
  return { workflow, readModel, stage: s.stage };
};
const stageOf = async (classId: string) =>
  (await t.bed.db.trainingClass.findUnique({ where: { id: classId }, select: { stage: true } }))?.stage;

let titles = 0;
/** Files a class through the API and, unless told otherwise, has the caseworker approve it: it then enrols. */
async function classAt(stage: 'UNDER_REVIEW' | 'ENROLLING', capacity = 10): Promise<string> {
  const plan = apiPlan({ capacity, title: `并发测试班 ${++titles}` });
  const filed = await inst().call('post', '/api/v1/institution/classes').send({ plan }).expect(202);
  const classId = filed.body.classId as string;
  await eventually(t.bed, async () => (await stageOf(classId)) === 'UNDER_REVIEW');
  if (stage === 'UNDER_REVIEW') return classId;
  await t.callers.caseworker
    .call('post', `/api/v1/cases/${classId}/review`)
    .send({ decision: 'APPROVE' })
    .expect(200);
  await eventually(t.bed, async () => (await stageOf(classId)) === 'ENROLLING');
  return classId;
}

let seeds = 300;
const enrol = (classId: string, rows: object[]) =>
  inst().call('post', `/api/v1/institution/classes/${classId}/trainees`).send({ trainees: rows });
const start = (classId: string) => inst().call('post', `/api/v1/institution/classes/${classId}/start`);
const cancel = (caller: Caller, classId: string, reason = '报名人数不足') =>
  caller.call('post', `/api/v1/cases/${classId}/cancel`).send({ reason });

describe('enrolment requests that arrive together', () => {
  it('enrols one of two rosters of 8 sent at once to a class of 10 and refuses the other with a rule code', async () => {
    const classId = await classAt('ENROLLING', 10);
    const answers = await Promise.all([
      answer(enrol(classId, rosterRows(8, ++seeds))),
      answer(enrol(classId, rosterRows(8, ++seeds))),
    ]);
    const counts = await enrolledIn(classId);
    expect({ answers: show(answers), ...counts }).toEqual({
      answers: expect.stringMatching(/^(200, (409|422) [A-Z_]+|(409|422) [A-Z_]+, 200)$/),
      workflow: 8,
      readModel: 8,
      stage: 'ENROLLING',
    });
    expect(answers.filter(refusedWithRule).map((a) => a.body.code)).toEqual(['CLASS_FULL']);
  });

  it('enrols exactly 2 of four single trainees sent at once to a class of 2', async () => {
    const classId = await classAt('ENROLLING', 2);
    const answers = await Promise.all([1, 2, 3, 4].map(() => answer(enrol(classId, rosterRows(1, ++seeds)))));
    const counts = await enrolledIn(classId);
    expect({
      ok: answers.filter(is2xx).length,
      refused: answers.filter(refusedWithRule).length,
      ...counts,
    }).toEqual({
      ok: 2,
      refused: 2,
      workflow: 2,
      readModel: 2,
      stage: 'ENROLLING',
    });
  });

  it('answers the same ID number sent twice at once with one 200 and one 409, and the class then starts', async () => {
    const classId = await classAt('ENROLLING', 10);
    const row = rosterRows(1, ++seeds);
    const answers = await Promise.all([answer(enrol(classId, row)), answer(enrol(classId, row))]);
    const enrolled = await enrolledIn(classId);
    const started = await answer(start(classId));
    // An acknowledged start must move the class on, not leave it waiting for ever on a stuck enrolment.
    let stage = '';
    for (let i = 0; i < 30 && stage !== 'TRAINING'; i++) {
      stage = (await state(classId)).stage;
      if (stage !== 'TRAINING') await t.bed.env.sleep(1_000);
    }
    let readModelStage = await stageOf(classId);
    for (let i = 0; i < 20 && stage === 'TRAINING' && readModelStage !== stage; i++) {
      await new Promise((r) => setTimeout(r, 100));
      readModelStage = await stageOf(classId);
    }
    expect({
      answers: answers.map((a) => `${a.status} ${a.body.code ?? ''}`.trim()).sort(),
      enrolled,
      start: started.status,
      stage,
      readModelStage,
    }).toEqual({
      answers: ['200', '409 ALREADY_ENROLLED'],
      enrolled: { workflow: 1, readModel: 1, stage: 'ENROLLING' },
      start: 200,
      stage: 'TRAINING',
      readModelStage: 'TRAINING',
    });
  });
});

describe('start and cancel on a case that cannot do it', () => {
  it('answers start 409 while the plan is under review, and 422 with an empty roster', async () => {
    const reviewing = await classAt('UNDER_REVIEW');
    const early = await answer(start(reviewing));
    expect([early.status, early.body.code]).toEqual([409, 'WRONG_STAGE']);
    expect(await stageOf(reviewing)).toBe('UNDER_REVIEW');

    const empty = await classAt('ENROLLING');
    const none = await answer(start(empty));
    expect([none.status, none.body.code]).toEqual([422, 'EMPTY_ROSTER']);
    expect((await state(empty)).stage).toBe('ENROLLING');
  });

  it('refuses start and cancel after a cancel, and the class stays cancelled', async () => {
    const classId = await classAt('ENROLLING');
    await enrol(classId, rosterRows(2, ++seeds)).expect(200);
    expect((await answer(cancel(t.callers.caseworker, classId))).status).toBe(202);
    await eventually(t.bed, async () => (await stageOf(classId)) === 'CANCELLED');
    const after = await Promise.all([
      answer(start(classId)),
      answer(cancel(t.callers.manager, classId, '重复撤销')),
      answer(enrol(classId, rosterRows(1, ++seeds))),
    ]);
    expect(after.filter(is2xx)).toEqual([]);
    expect(after.every((a) => a.status === 409 || a.status === 422)).toBe(true);
    expect(await stageOf(classId)).toBe('CANCELLED');
    expect(await t.bed.db.subsidyRecord.count({ where: { classId, status: 'RESERVED' } })).toBe(0);
  });

  it('gives one of two starts sent at once 200 and the other 409, and each 2xx of start and cancel at once takes effect', async () => {
    const classId = await classAt('ENROLLING');
    await enrol(classId, rosterRows(2, ++seeds)).expect(200);
    const starts = await Promise.all([answer(start(classId)), answer(start(classId))]);
    expect(starts.map((a) => a.status).sort()).toEqual([200, 409]);
    await eventually(t.bed, async () => (await state(classId)).stage === 'TRAINING');

    const other = await classAt('ENROLLING');
    await enrol(other, rosterRows(2, ++seeds)).expect(200);
    const [started, cancelled] = await Promise.all([answer(start(other)), answer(cancel(inst(), other))]);
    expect([started, cancelled].every((a) => is2xx(a) || refusedWithRule(a))).toBe(true);
    // A cancel that was acknowledged ends the class; a start acknowledged alone trains it.
    const want = is2xx(cancelled) ? 'CANCELLED' : 'TRAINING';
    await eventually(t.bed, async () => (await state(other)).stage === want, 1_000, 30);
  });
});

describe('the same command sent twice at once with one Idempotency-Key', () => {
  /**
   * Both requests at the same moment. A twin still in progress answers 409 IDEMPOTENCY_IN_PROGRESS
   * (api/idempotency.ts: "retry later"); the client then retries with the same key and must get the first
   * answer again. Either way both end with the same answer.
   */
  async function twice(caller: Caller, path: string, body: object, key: string): Promise<[Answer, Answer]> {
    const send = () => caller.call('post', path).set('Idempotency-Key', key).send(body);
    const retried = async (a: Answer) => {
      for (let i = 0; i < 100 && a.status === 409 && a.body.code === 'IDEMPOTENCY_IN_PROGRESS'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        a = await answer(send());
      }
      return a;
    };
    const [a, b] = await Promise.all([answer(send()), answer(send())]);
    return [await retried(a), await retried(b)];
  }
  /** the same answer, and one of them is the other replayed (the command ran once) */
  const same = ([a, b]: [Answer, Answer]) => {
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
    expect([a.replayed, b.replayed].filter(Boolean)).toHaveLength(1);
  };

  it('files one class', async () => {
    const plan = apiPlan({ title: '并发幂等开班' });
    const both = await twice(inst(), '/api/v1/institution/classes', { plan }, 'idem-plan-1');
    same(both);
    expect(both[0].status).toBe(202);
    await eventually(
      t.bed,
      async () => (await t.bed.db.trainingClass.count({ where: { title: '并发幂等开班' } })) === 1,
    );
  });

  it('approves, enrols, starts and cancels once each', async () => {
    const classId = await classAt('UNDER_REVIEW');
    const approve = await twice(
      t.callers.caseworker,
      `/api/v1/cases/${classId}/review`,
      { decision: 'APPROVE' },
      'idem-review-1',
    );
    same(approve);
    expect(approve[0].status).toBe(200);
    await eventually(t.bed, async () => (await stageOf(classId)) === 'ENROLLING');
    expect((await state(classId)).reviewNotes).toHaveLength(1);

    const rows = rosterRows(3, ++seeds);
    const enrolled = await twice(
      inst(),
      `/api/v1/institution/classes/${classId}/trainees`,
      { trainees: rows },
      'idem-enrol-1',
    );
    same(enrolled);
    expect(enrolled[0].status).toBe(200);
    expect(await enrolledIn(classId)).toEqual({ workflow: 3, readModel: 3, stage: 'ENROLLING' });

    const started = await twice(inst(), `/api/v1/institution/classes/${classId}/start`, {}, 'idem-start-1');
    same(started);
    expect(started[0].status).toBe(200);
    await eventually(t.bed, async () => (await state(classId)).stage === 'TRAINING');
    expect((await state(classId)).history.filter((h) => h.action === 'TRAINING_STARTED')).toHaveLength(1);

    const cancelled = await twice(
      t.callers.caseworker,
      `/api/v1/cases/${classId}/cancel`,
      { reason: '场地不可用' },
      'idem-cancel-1',
    );
    same(cancelled);
    expect(cancelled[0].status).toBe(202);
    await eventually(t.bed, async () => (await stageOf(classId)) === 'CANCELLED');
    expect(await t.bed.db.auditEvent.count({ where: { classId, action: 'CASE_CANCELLED' } })).toBe(1);
  });
});

describe('a command run again under its Idempotency-Key after its API process died mid-request', () => {
  /**
   * Found by the crash harness: the API process was SIGKILLed after the workflow applied the Update and before
   * the answer was stored. Its placeholder (status 0) is all that is left; once older than the lease, the
   * client's retry runs the request again (api/idempotency.ts). It used to send a new Update, which the
   * workflow refused (409 ALREADY_ENROLLED, WRONG_STAGE): the client was told "refused" for a command that had
   * taken effect. The run again sends the first run's Update ids and names the first run's enrolments.
   */
  const diedAfterApplying = (key: string) =>
    t.bed.db.idempotencyRecord.updateMany({
      where: { key: { endsWith: `:${key}` } },
      data: { status: 0, body: '', createdAt: new Date(Date.now() - IN_PROGRESS_LEASE_MS - 1_000) },
    });

  it('answers the roster and the start the first run applied, with the same enrolments', async () => {
    const classId = await classAt('ENROLLING');
    const path = `/api/v1/institution/classes/${classId}/trainees`;
    const body = { trainees: rosterRows(3, ++seeds) };
    const send = () => answer(inst().call('post', path).set('Idempotency-Key', 'idem-died-enrol').send(body));
    const first = await send();
    expect(first.status).toBe(200);
    await diedAfterApplying('idem-died-enrol');
    const again = await send();
    expect({ status: again.status, replayed: again.replayed }).toEqual({ status: 200, replayed: false });
    expect(again.body).toEqual(first.body);
    expect(await enrolledIn(classId)).toEqual({ workflow: 3, readModel: 3, stage: 'ENROLLING' });

    const startPath = `/api/v1/institution/classes/${classId}/start`;
    const sendStart = () => answer(inst().call('post', startPath).set('Idempotency-Key', 'idem-died-start'));
    expect((await sendStart()).status).toBe(200);
    await diedAfterApplying('idem-died-start');
    const startedAgain = await sendStart();
    expect({ status: startedAgain.status, replayed: startedAgain.replayed }).toEqual({
      status: 200,
      replayed: false,
    });
    // The Update answers once the start is applied; the stage changes after it, in the workflow's main line.
    await eventually(t.bed, async () => (await state(classId)).stage === 'TRAINING');
    expect((await state(classId)).history.filter((h) => h.action === 'TRAINING_STARTED')).toHaveLength(1);
  });

  it('finds the class a filing started instead of starting a second one', async () => {
    const title = `并发测试班 ${++titles} 中断申报`;
    const send = () =>
      answer(
        inst()
          .call('post', '/api/v1/institution/classes')
          .set('Idempotency-Key', 'idem-died-file')
          .send({ plan: apiPlan({ title }) }),
        5_000,
      );
    // The API process "dies" once the class is started: its answer is never stored, the request never answers.
    const records = t.bed.db.idempotencyRecord;
    const store = records.update;
    records.update = (() => new Promise(() => undefined)) as unknown as typeof store;
    let first: Answer;
    try {
      first = await send();
    } finally {
      records.update = store;
    }
    expect(first.status).toBe(0);
    const classes = () => t.bed.db.trainingClass.findMany({ where: { title }, select: { id: true } });
    await eventually(t.bed, async () => (await classes()).length === 1);
    const [started] = await classes();
    // What the dead process left: its placeholder, still "in progress", which the retry takes over after the lease.
    await t.bed.db.idempotencyRecord.updateMany({
      where: { key: { endsWith: ':idem-died-file' }, status: 0 },
      data: { createdAt: new Date(Date.now() - IN_PROGRESS_LEASE_MS - 1_000) },
    });
    const again = await send();
    expect({ status: again.status, classId: again.body.classId }).toEqual({
      status: 202,
      classId: started!.id,
    });
    // A second class would have been projected by now (its FILED event comes with its start).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await classes()).toEqual([started]);
  });
});
