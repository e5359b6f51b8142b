// The inbox's hot path without Temporal: rendered pages reused only while nothing in the database changed,
// and the request log (ids, paths, statuses; never query strings).
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { checkedAgent, checkedRequest } from './contract';
import { Prisma } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { HotReader } from '../../api/hotRead';
import { createTestDb } from '../support/db';
import { createUser, PASSWORD, testSettings } from './support';
import type { Db } from '../../platform/db';

const noTemporal = { workflow: {}, workflowService: {} } as unknown as Client;

async function addTask(db: Db, id: string, dueAt: string, role = 'CASEWORKER') {
  await db.task.create({
    data: {
      id,
      classId: id.split(':')[0]!,
      kind: 'REVIEW_PLAN',
      role,
      institutionId: 'inst-sjz-01',
      occupationCode: '4-10-01-02',
      district: '长安区',
      stage: 'UNDER_REVIEW',
      status: 'OPEN',
      dueAt: new Date(dueAt),
    },
  });
}

/** A write from a connection of its own, as the worker's projection writes (SQLite file or PostgreSQL URL). */
async function writeElsewhere(t: { file: string; url: string }, sql: string, id: string) {
  if (!t.file) {
    const other = new PgClient({ connectionString: t.url });
    await other.connect();
    await other.query(sql.replace('?', '$1'), [id]);
    await other.end();
    return;
  }
  const other = new Database(t.file);
  other.prepare(sql).run(id);
  other.close();
}

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/** Each test of the block: a fresh read model with two open tasks (the second for `secondRole`) and a reader. */
function eachWithTwoTasks(secondRole: string, use: (t: TestDb, hot: HotReader) => void) {
  let t: TestDb;
  let hot: HotReader;
  beforeEach(async () => {
    t = await createTestDb();
    hot = new HotReader(t.db);
    await addTask(t.db, 'SJZ-2026-000001:REVIEW_PLAN::1', '2026-03-02T01:00:00Z');
    await addTask(t.db, 'SJZ-2026-000002:REVIEW_PLAN::1', '2026-03-03T01:00:00Z', secondRole);
    use(t, hot);
  });
  afterEach(async () => {
    hot.close();
    await t.cleanup();
  });
}

// Both profiles: SQLite pages are keyed on its data_version, PostgreSQL pages on the current snapshot.
describe('rendered list pages', () => {
  let t: TestDb;
  let hot: HotReader;
  eachWithTwoTasks('CASEWORKER', (db, reader) => ((t = db), (hot = reader)));

  const openTasks = (role: string) =>
    Prisma.sql`SELECT "id", "assignee" FROM "Task" WHERE "status" = 'OPEN' AND "role" = ${role} ORDER BY "id"`;

  it('answers the same view from one query until a change is committed, then shows the change', async () => {
    let renders = 0;
    const render = (rows: unknown[][]) => (renders++, JSON.stringify(rows));
    const first = await hot.rendered(openTasks('CASEWORKER'), ['id', 'assignee'], render);
    if (t.file) {
      const again = await hot.rendered(openTasks('CASEWORKER'), ['id', 'assignee'], render);
      expect(again).toBe(first);
      expect(renders).toBe(1);
    } else {
      // A PostgreSQL snapshot is the whole server's: the other suites' databases on the same test server commit
      // too, and each of their commits costs this page a render. Unchanged here, some look must reuse the page.
      let reused = false;
      for (let i = 0; i < 50 && !reused; i++) {
        const before = renders;
        const again = await hot.rendered(openTasks('CASEWORKER'), ['id', 'assignee'], render);
        expect(again.toString()).toBe(first.toString());
        reused = renders === before;
      }
      expect(reused).toBe(true);
    }

    // A write through the app's own Prisma connection...
    await t.db.task.update({ where: { id: 'SJZ-2026-000001:REVIEW_PLAN::1' }, data: { assignee: 'u-cw' } });
    const afterClaim = JSON.parse(
      (await hot.rendered(openTasks('CASEWORKER'), ['id', 'assignee'], render)).toString(),
    );
    expect(afterClaim).toEqual([
      ['SJZ-2026-000001:REVIEW_PLAN::1', 'u-cw'],
      ['SJZ-2026-000002:REVIEW_PLAN::1', null],
    ]);

    // ...and one from another connection, as the worker's projection writes.
    await writeElsewhere(
      t,
      `UPDATE "Task" SET "status" = 'DONE' WHERE "id" = ?`,
      'SJZ-2026-000002:REVIEW_PLAN::1',
    );
    const afterDone = JSON.parse(
      (await hot.rendered(openTasks('CASEWORKER'), ['id', 'assignee'], render)).toString(),
    );
    expect(afterDone).toEqual([['SJZ-2026-000001:REVIEW_PLAN::1', 'u-cw']]);
    if (t.file) expect(renders).toBe(3);
  });

  it('keeps views with different parameters apart', async () => {
    await addTask(t.db, 'SJZ-2026-000003:APPROVE_PAYMENT::1', '2026-03-04T01:00:00Z', 'FINANCE');
    const render = (rows: unknown[][]) => JSON.stringify(rows.map((r) => r[0]));
    const caseworker = await hot.rendered(openTasks('CASEWORKER'), ['id', 'assignee'], render);
    const finance = await hot.rendered(openTasks('FINANCE'), ['id', 'assignee'], render);
    expect(JSON.parse(caseworker.toString())).toHaveLength(2);
    expect(JSON.parse(finance.toString())).toEqual(['SJZ-2026-000003:APPROVE_PAYMENT::1']);
  });
});

// The dashboard's aggregates run as one batch on the read thread (SQLite) or through Prisma (PostgreSQL).
describe('a batch of aggregates off the event loop', () => {
  let t: TestDb;
  let hot: HotReader;
  eachWithTwoTasks('FINANCE', (db, reader) => ((t = db), (hot = reader)));

  const dueBefore = (at: Date) =>
    Prisma.sql`SELECT COUNT(*) AS "n" FROM "Task" WHERE "status" = 'OPEN' AND "overdue" = ${false} AND "dueAt" < ${at}`;
  const ids = (role: string) => Prisma.sql`SELECT "id" FROM "Task" WHERE "role" = ${role} ORDER BY "id"`;

  it('answers each query its own rows, in order, with dates and flags bound as the app writes them', async () => {
    const [before, caseworker, finance] = await hot.offThreadAll([
      dueBefore(new Date('2026-03-02T12:00:00Z')),
      ids('CASEWORKER'),
      ids('FINANCE'),
    ]);
    expect(Number(before![0]!.n)).toBe(1);
    expect(caseworker).toEqual([{ id: 'SJZ-2026-000001:REVIEW_PLAN::1' }]);
    expect(finance).toEqual([{ id: 'SJZ-2026-000002:REVIEW_PLAN::1' }]);
  });

  it('sees what another connection committed since the last batch', async () => {
    const at = new Date('2026-03-04T00:00:00Z');
    expect(Number((await hot.offThreadAll([dueBefore(at)]))[0]![0]!.n)).toBe(2);
    await writeElsewhere(
      t,
      `UPDATE "Task" SET "status" = 'DONE' WHERE "id" = ?`,
      'SJZ-2026-000001:REVIEW_PLAN::1',
    );
    expect(Number((await hot.offThreadAll([dueBefore(at)]))[0]![0]!.n)).toBe(1);
  });

  it('refuses a batch with a broken query with its error, and answers the next one', async () => {
    await expect(
      hot.offThreadAll([ids('CASEWORKER'), Prisma.sql`SELECT "nope" FROM "Task"`]),
    ).rejects.toThrow(/nope/);
    expect(await hot.offThreadAll([ids('FINANCE')])).toEqual([[{ id: 'SJZ-2026-000002:REVIEW_PLAN::1' }]]);
  });

  // SQLite only: PostgreSQL has no read thread (its batches go through Prisma's pool), so there is none to stop.
  const onSqlite = process.env.SKILLFLOW_TEST_DATABASE_URL ? it.skip : it;
  onSqlite(
    'answers a batch waiting on a thread that stopped with an error, and the next one on a new thread',
    async () => {
      await hot.offThreadAll([ids('FINANCE')]); // the thread is up
      const thread = (hot as unknown as { worker: { thread: { terminate(): Promise<number> } } }).worker
        .thread;
      const waiting = hot.offThreadAll([ids('CASEWORKER')]);
      void thread.terminate(); // before the batch is posted: it never gets an answer from this thread
      const hung = new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5_000).unref());
      await expect(Promise.race([waiting, hung])).rejects.toThrow(/the read thread stopped/);
      expect(await hot.offThreadAll([ids('CASEWORKER')])).toEqual([
        [{ id: 'SJZ-2026-000001:REVIEW_PLAN::1' }],
      ]);
    },
  );
});

describe('the inbox over HTTP', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let lines: Record<string, unknown>[];
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    t = await createTestDb();
    await createUser(t.db, 'cw', 'CASEWORKER');
    await t.db.user.update({ where: { id: 'u-cw' }, data: { displayName: '王敏' } });
    await addTask(t.db, 'SJZ-2026-000001:REVIEW_PLAN::1', '2026-03-02T01:00:00Z');
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = createApp({
      db: t.db,
      temporal: noTemporal,
      settings: testSettings(),
      logger: pino({ level: 'info' }, sink),
    });
  });
  afterAll(async () => {
    (app.locals.close as () => void)();
    await t.cleanup();
  });

  it('shows a claim at once, logs each request by id and path only, and reads the session among other cookies', async () => {
    const agent = checkedAgent(app);
    const login = await agent.post('/api/v1/auth/login').send({ username: 'cw', password: PASSWORD });
    expect(login.status).toBe(200);
    const csrf = login.body.csrfToken as string;
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;

    const before = await checkedRequest(app)
      .get('/api/v1/tasks?district=长安区&limit=10')
      .set('Cookie', `theme=dark; ${cookie}; lang=zh-CN`)
      .set('X-Request-Id', 'req-inbox-1');
    expect(before.status).toBe(200);
    expect(before.headers['x-request-id']).toBe('req-inbox-1');
    expect(before.body.items).toEqual([
      expect.objectContaining({
        id: 'SJZ-2026-000001:REVIEW_PLAN::1',
        assignee: null,
        assigneeName: null,
        overdue: false,
      }),
    ]);
    expect(before.body.items[0].dueAt).toBe('2026-03-02T01:00:00.000Z');

    const claim = await agent
      .post('/api/v1/tasks/SJZ-2026-000001:REVIEW_PLAN::1/claim')
      .set('X-CSRF-Token', csrf);
    expect(claim.status).toBe(200);
    const after = await agent.get('/api/v1/tasks?district=长安区&limit=10');
    expect(after.body.items[0]).toMatchObject({ assignee: 'u-cw', assigneeName: '王敏' });

    const line = lines.find((l) => l.reqId === 'req-inbox-1');
    expect(line).toMatchObject({ method: 'GET', path: '/api/v1/tasks', status: 200 });
    expect(JSON.stringify(lines)).not.toContain('长安区');
    expect(JSON.stringify(lines)).not.toContain(cookie.split('=')[1]);
  });

  it('gives a request without a usable id a fresh one', async () => {
    const res = await checkedRequest(app)
      .get('/api/v1/public/notices')
      .set('X-Request-Id', 'bad id with spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
