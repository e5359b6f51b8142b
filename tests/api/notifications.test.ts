// 消息中心 (issue 15 point 11): each case event that somebody should know of becomes a notification for exactly
// those people — an institution hears of its own plan's decision, a missed deadline reaches whoever the task waits
// for (its assignee, or the booked assessment body), an escalation also the section head — written once with the
// event, read and unread per user. The events are applied as the workflows send them (activities/projection.ts).
import type { Express } from 'express';
import type { Db } from '../../platform/db';
import type { CaseEvent } from '../../activities/types';
import { applyCaseEvent } from '../../activities/projection';
import { createTestDb } from '../support/db';
import {
  appWithoutTemporal,
  ASSESSOR_BODY,
  loggedIn,
  INSTITUTION,
  OTHER_ASSESSOR,
  OTHER_INSTITUTION,
  projectClass,
  type Caller,
} from './support';

let db: Db;
let cleanup: () => Promise<void>;
let app: Express;
const as: Record<string, Caller> = {};

const MINE = 'NTF-CLASS-1';
const THEIRS = 'NTF-CLASS-2';
let seq = 10;
let clock = Date.parse('2026-12-01T02:00:00.000Z');

/** The next event of a class's workflow (or of a trainee's follow-up child), a minute after the last. */
async function happen(classId: string, action: string, patch: Partial<CaseEvent> = {}, workflowId = classId) {
  clock += 60_000;
  const event: CaseEvent = {
    workflowId,
    classId,
    seq: ++seq,
    at: new Date(clock).toISOString(),
    actor: 'system',
    action,
    stage: 'UNDER_REVIEW',
    ...patch,
  };
  await applyCaseEvent(db, event);
  return event;
}

interface Item {
  id: string;
  classId: string;
  classTitle: string | null;
  action: string;
  enrollmentId: string | null;
  reason: string | null;
  at: string;
  read: boolean;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  unread: number;
}

const inbox = async (who: string, query = ''): Promise<Page> =>
  (await as[who]!.call('get', `/api/v1/notifications${query}`).expect(200)).body as Page;
const actions = async (who: string) => (await inbox(who)).items.map((n) => `${n.classId} ${n.action}`);

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  app = appWithoutTemporal(db);
  await projectClass(db, { id: MINE, institutionId: INSTITUTION, plan: { title: '育婴员（五级）第9期' } });
  await projectClass(db, { id: THEIRS, institutionId: OTHER_INSTITUTION });
  await db.institution.create({
    data: {
      id: OTHER_ASSESSOR,
      name: `${OTHER_ASSESSOR} 评价中心`,
      kind: 'ASSESSMENT',
      district: '裕华区',
      creditCode: `CC-${OTHER_ASSESSOR}`,
      bankAccount: '6222 0000 0000 0000',
      validFrom: '2024-01-01',
      validTo: '2027-12-31',
    },
  });
  Object.assign(
    as,
    await loggedIn(db, app, [
      ['inst', 'INSTITUTION', INSTITUTION],
      ['other', 'INSTITUTION', OTHER_INSTITUTION],
      ['cw', 'CASEWORKER'],
      ['cw2', 'CASEWORKER'],
      ['fin', 'FINANCE'],
      ['mgr', 'MANAGER'],
      ['asr', 'ASSESSOR', ASSESSOR_BODY],
      ['asr2', 'ASSESSOR', OTHER_ASSESSOR],
    ] as const),
  );
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await cleanup();
});

describe('who hears of what', () => {
  it('tells an institution of the decision on its own plan, with the reason, and nobody else', async () => {
    await happen(MINE, 'PLAN_RETURNED', {
      stage: 'RETURNED',
      detail: { reason: '课程表课时与计划不符' },
      classPatch: { stage: 'RETURNED' },
    });
    await happen(THEIRS, 'PLAN_APPROVED', { stage: 'APPROVED', classPatch: { stage: 'APPROVED' } });

    const mine = await inbox('inst');
    expect(mine.items).toEqual([
      expect.objectContaining({
        classId: MINE,
        classTitle: '育婴员（五级）第9期',
        action: 'PLAN_RETURNED',
        reason: '课程表课时与计划不符',
        read: false,
      }),
    ]);
    expect(mine.unread).toBe(1);
    expect(await actions('other')).toEqual([`${THEIRS} PLAN_APPROVED`]);
    // Staff hear nothing of a plan's decision: they took it.
    for (const who of ['cw', 'fin', 'mgr', 'asr']) expect(await actions(who)).toEqual([]);
  });

  it('writes an event’s notifications once, however often the projection is given it', async () => {
    const event = await happen(MINE, 'PLAN_APPROVED', {
      stage: 'APPROVED',
      classPatch: { stage: 'APPROVED' },
    });
    await applyCaseEvent(db, event);
    await applyCaseEvent(db, event);
    expect((await actions('inst')).filter((a) => a === `${MINE} PLAN_APPROVED`)).toHaveLength(1);
  });

  it('tells the booked assessment body that training has finished, not another body', async () => {
    await happen(MINE, 'TRAINING_FINISHED', { stage: 'ASSESSMENT', classPatch: { stage: 'ASSESSMENT' } });
    expect(await actions('asr')).toEqual([`${MINE} TRAINING_FINISHED`]);
    expect(await actions('asr2')).toEqual([]);
  });

  it('sends a missed deadline to whoever the task waits for, and an escalation also to the section head', async () => {
    await happen(MINE, 'TASK_OPENED:RECORD_ASSESSMENT', {
      stage: 'ASSESSMENT',
      openTasks: [{ id: `${MINE}:RECORD_ASSESSMENT:1`, kind: 'RECORD_ASSESSMENT', role: 'ASSESSOR' }],
    });
    await happen(MINE, 'OVERDUE:RECORD_ASSESSMENT', {
      stage: 'ASSESSMENT',
      taskFlags: [{ id: `${MINE}:RECORD_ASSESSMENT:1`, overdue: true }],
    });
    expect((await actions('asr'))[0]).toBe(`${MINE} OVERDUE:RECORD_ASSESSMENT`);
    expect(await actions('asr2')).toEqual([]);
    expect(await actions('mgr')).toEqual([]);

    await happen(MINE, 'ESCALATED:RECORD_ASSESSMENT', {
      stage: 'ASSESSMENT',
      taskFlags: [{ id: `${MINE}:RECORD_ASSESSMENT:1`, escalated: true }],
    });
    expect(await actions('mgr')).toEqual([`${MINE} ESCALATED:RECORD_ASSESSMENT`]);
    expect((await actions('asr'))[0]).toBe(`${MINE} ESCALATED:RECORD_ASSESSMENT`);
    expect(await actions('cw')).toEqual([]);
  });

  it('sends an overdue verification to its assignee only, or to every caseworker while nobody has it', async () => {
    const child = `${MINE}-E001-followup`;
    const task = (n: number) => `${MINE}:VERIFY_EMPLOYMENT:EV${n}`;
    for (const n of [1, 2])
      await happen(
        MINE,
        'TASK_OPENED:VERIFY_EMPLOYMENT',
        {
          stage: 'FOLLOW_UP',
          openTasks: [{ id: task(n), kind: 'VERIFY_EMPLOYMENT', role: 'CASEWORKER', evidenceId: `EV${n}` }],
        },
        child,
      );
    await db.task.update({ where: { id: task(1) }, data: { assignee: 'u-cw2' } });
    for (const n of [1, 2])
      await happen(
        MINE,
        'OVERDUE:VERIFY_EMPLOYMENT',
        { stage: 'FOLLOW_UP', taskFlags: [{ id: task(n), overdue: true }] },
        child,
      );
    expect(await actions('cw')).toEqual([`${MINE} OVERDUE:VERIFY_EMPLOYMENT`]);
    expect(await actions('cw2')).toEqual([
      `${MINE} OVERDUE:VERIFY_EMPLOYMENT`,
      `${MINE} OVERDUE:VERIFY_EMPLOYMENT`,
    ]);
  });

  it('tells finance of a transfer that needs correcting and names the trainee of a rejected piece of evidence', async () => {
    await happen(MINE, 'BATCH_AWAITING_CORRECTION', {
      stage: 'PAYOUT',
      batches: [{ id: `${MINE}-B1`, kind: 'SETTLEMENT', totalFen: 150000, status: 'AWAITING_CORRECTION' }],
    });
    expect((await actions('fin'))[0]).toBe(`${MINE} BATCH_AWAITING_CORRECTION`);
    await db.enrollment.create({
      data: { id: `${MINE}-E001`, classId: MINE, personKey: 'pk-ntf-1', category: 'REGISTERED_UNEMPLOYED' },
    });
    await happen(
      MINE,
      'EVIDENCE_REJECTED',
      {
        stage: 'FOLLOW_UP',
        evidence: [
          {
            id: 'EV9',
            enrollmentId: `${MINE}-E001`,
            kind: 'LABOUR_CONTRACT',
            employedOn: '2026-12-01',
            verdict: 'REJECTED',
            verdictNote: '合同未盖章',
          },
        ],
      },
      `${MINE}-E001-followup`,
    );
    expect((await inbox('inst')).items[0]).toMatchObject({
      action: 'EVIDENCE_REJECTED',
      enrollmentId: `${MINE}-E001`,
      reason: '合同未盖章',
    });
  });
});

describe('read and unread', () => {
  it('marks one read, lists only the unread ones on request, then all read up to the newest', async () => {
    const before = await inbox('inst');
    // Newest first, by the time of the event; none read yet.
    expect(before.items.map((n) => n.action)).toEqual([
      'EVIDENCE_REJECTED',
      'PLAN_APPROVED',
      'PLAN_RETURNED',
    ]);
    expect(before.unread).toBe(3);

    const first = before.items[0]!;
    const after = await as
      .inst!.call('post', '/api/v1/notifications/read')
      .send({ ids: [first.id] })
      .expect(200);
    expect(after.body).toEqual({ unread: before.unread - 1 });
    const listed = await inbox('inst');
    expect(listed.items.find((n) => n.id === first.id)?.read).toBe(true);
    const unreadOnly = await inbox('inst', '?unread=true');
    expect(unreadOnly.items.map((n) => n.id)).not.toContain(first.id);
    expect(unreadOnly.items).toHaveLength(before.unread - 1);

    // Another institution's notification named in the request is left alone, for them and for the caller.
    const theirs = (await inbox('other')).items[0]!;
    await as
      .inst!.call('post', '/api/v1/notifications/read')
      .send({ ids: [theirs.id] })
      .expect(200);
    expect((await inbox('other')).unread).toBe(1);
    expect((await inbox('inst')).unread).toBe(before.unread - 1);

    const all = await as.inst!.call('post', '/api/v1/notifications/read').send({}).expect(200);
    expect(all.body).toEqual({ unread: 0 });
    expect((await inbox('inst')).items.every((n) => n.read)).toBe(true);
    expect((await inbox('inst', '?unread=true')).items).toEqual([]);

    // What happens afterwards is unread again.
    await happen(MINE, 'PAYMENTS_SETTLED', { stage: 'PAYOUT' });
    const later = await inbox('inst', '?unread=true');
    expect(later.unread).toBe(1);
    expect(later.items.map((n) => n.action)).toEqual(['PAYMENTS_SETTLED']);
  });

  it('pages newest first with a cursor', async () => {
    const all = await inbox('inst');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const pageOfTwo: Page = await inbox('inst', q);
      expect(pageOfTwo.items.length).toBeLessThanOrEqual(2);
      seen.push(...pageOfTwo.items.map((n) => n.id));
      cursor = pageOfTwo.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((n) => n.id));
  });
});

describe('bad requests', () => {
  it('refuses a stranger, an unknown parameter and a malformed body with a field-level problem', async () => {
    await as.inst!.call('get', '/api/v1/notifications?mine=yes').expect(400);
    const bad = await as.inst!.call('post', '/api/v1/notifications/read').send({ ids: 'all' }).expect(400);
    expect(bad.body.errors[0].path).toBe('ids');
    await as.inst!.call('post', '/api/v1/notifications/read').send({ ids: [] }).expect(400);
    await as.inst!.call('get', '/api/v1/notifications?cursor=nonsense').expect(400);
    const anonymous = await import('supertest').then((m) => m.default(app).get('/api/v1/notifications'));
    expect(anonymous.status).toBe(401);
  });
});
