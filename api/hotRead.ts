// Hot read queries (the inbox, the dashboard) on SQLite go straight to a read-only better-sqlite3 connection
// with cached prepared statements: Prisma's driver adapter prepares every raw query anew, which costs more
// than the indexed query itself (DESIGN.md: well under 1 ms of CPU per inbox request). PostgreSQL (and any
// failure to open the file) runs the same SQL through Prisma's $queryRaw. Rendered list pages are reused
// while nothing has changed on both profiles (see `rendered`).
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import type { Prisma } from '@prisma/client';
import { isPostgres, postgresUrlOf, type Db } from '../platform/db';

type Row = Record<string, unknown>;

/** Prisma writes SQLite DateTime as ISO text with an explicit +00:00 offset; bind values the same way. */
const bindable = (v: unknown) =>
  v instanceof Date ? v.toISOString().replace('Z', '+00:00') : typeof v === 'boolean' ? (v ? 1 : 0) : v;

/** A thread with its own read-only connection, so a long aggregate never blocks the event loop. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 5000 });
const statements = new Map();
const run = ({ sql, values }) => {
  let stmt = statements.get(sql);
  if (!stmt) {
    if (statements.size > 500) statements.clear();
    stmt = db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt.all(...values);
};
parentPort.on('message', ({ id, queries }) => {
  try {
    // one read transaction: every query of a batch sees the same committed state
    parentPort.postMessage({ id, results: db.transaction(() => queries.map(run))() });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});`;

export class HotReader {
  private sqlite: Promise<Database.Database | undefined> | undefined;
  private worker:
    | {
        thread: Worker;
        next: number;
        waiting: Map<number, (r: { results?: Row[][]; error?: string }) => void>;
      }
    | undefined;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly pages = new Map<string, { version: number | string; body: Buffer }>();
  private dataVersion: Database.Statement | undefined;
  private pg: Pool | undefined;
  constructor(private readonly db: Db) {}

  private open(): Promise<Database.Database | undefined> {
    this.sqlite ??= (async () => {
      if (isPostgres(this.db)) return undefined;
      try {
        const files = await this.db.$queryRawUnsafe<{ name: string; file: string }[]>('PRAGMA database_list');
        const file = files.find((f) => f.name === 'main')?.file;
        if (!file) return undefined;
        return new Database(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
      } catch {
        return undefined;
      }
    })();
    return this.sqlite;
  }

  async all<T extends Row = Row>(query: Prisma.Sql): Promise<T[]> {
    const sqlite = await this.open();
    if (!sqlite) return this.db.$queryRaw<T[]>(query);
    let stmt = this.statements.get(query.sql);
    if (!stmt) {
      if (this.statements.size > 500) this.statements.clear();
      stmt = sqlite.prepare(query.sql);
      this.statements.set(query.sql, stmt);
    }
    return stmt.all(...query.values.map(bindable)) as T[];
  }

  /**
   * Like `all`, but each row as an array in the order of `columns` (the query's aliases, in its select order).
   * Building an object per row is half the cost of a 50-row page; the inbox builds its items itself.
   */
  async tuples(query: Prisma.Sql, columns: readonly string[]): Promise<unknown[][]> {
    const sqlite = await this.open();
    if (!sqlite) {
      const rows = await this.db.$queryRaw<Row[]>(query);
      return rows.map((r) => columns.map((c) => r[c]));
    }
    const key = `raw:${query.sql}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      if (this.statements.size > 500) this.statements.clear();
      stmt = sqlite.prepare(query.sql).raw(true);
      this.statements.set(key, stmt);
    }
    return stmt.all(...query.values.map(bindable)) as unknown[][];
  }

  /**
   * What the database has committed, as a value that changes whenever it does (undefined: unknown, so render).
   * SQLite: `PRAGMA data_version` moves whenever any other connection (the worker's projection, this API's
   * writes) commits. PostgreSQL: the current snapshot (`xmax:xip…`): two snapshots with the same text see
   * exactly the same committed transactions, and a snapshot taken later sees every commit an earlier one saw,
   * so equal text before and after means nothing was committed in between. (A WAL position would not do: a
   * commit is written to the WAL a moment before other sessions can see it.)
   */
  private async committed(): Promise<number | string | undefined> {
    const sqlite = await this.open();
    if (sqlite) {
      this.dataVersion ??= sqlite.prepare('PRAGMA data_version').pluck();
      return this.dataVersion.get() as number;
    }
    const url = postgresUrlOf(this.db);
    if (!url) return undefined;
    if (!this.pg) {
      this.pg = new Pool({ connectionString: url, max: 2, idleTimeoutMillis: 30_000 });
      this.pg.on('error', () => undefined); // an idle connection dropped: the next look opens another
    }
    try {
      const r = await this.pg.query<{ v: string }>({
        name: 'skillflow_snapshot',
        text: 'SELECT pg_current_snapshot()::text AS v',
      });
      return r.rows[0]?.v;
    } catch {
      return undefined;
    }
  }

  /**
   * The rendered answer to a list query, reused for as long as nothing in the database has changed (see
   * `committed`), so a reused page is never stale. Many staff looking at the same inbox view between two
   * changes cost one query.
   */
  async rendered(query: Prisma.Sql, columns: readonly string[], render: (rows: unknown[][]) => string) {
    // Read before the query: a change committed in between leaves an entry that the next look discards.
    const version = await this.committed();
    if (version === undefined) return Buffer.from(render(await this.tuples(query, columns)));
    const key = `${query.sql}\u0000${JSON.stringify(query.values.map(bindable))}`;
    const hit = this.pages.get(key);
    if (hit && hit.version === version) return hit.body;
    const body = Buffer.from(render(await this.tuples(query, columns)));
    this.pages.delete(key);
    if (this.pages.size >= 256) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, { version, body });
    return body;
  }

  /**
   * Several queries on the separate thread in one message and one read transaction (SQLite): each one's rows,
   * in order. The event loop goes on serving requests meanwhile, so a page built from a dozen aggregates (the
   * dashboard) uses the machine's second core. PostgreSQL: the same queries through Prisma, at once.
   */
  async offThreadAll(queries: Prisma.Sql[]): Promise<Row[][]> {
    const sqlite = await this.open();
    if (!sqlite) return Promise.all(queries.map((q) => this.db.$queryRaw<Row[]>(q)));
    if (!this.worker) {
      const thread = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { file: sqlite.name, driver: require.resolve('better-sqlite3') },
      });
      thread.unref();
      const worker = {
        thread,
        next: 0,
        waiting: new Map<number, (r: { results?: Row[][]; error?: string }) => void>(),
      };
      thread.on('message', (m: { id: number; results?: Row[][]; error?: string }) => {
        worker.waiting.get(m.id)?.(m);
        worker.waiting.delete(m.id);
      });
      // A thread that fails or stops (an uncaught error, terminate, out of memory) answers every batch still
      // waiting with an error; the next batch starts a new thread.
      const gone = (why: string) => {
        for (const done of worker.waiting.values()) done({ error: why });
        worker.waiting.clear();
        if (this.worker === worker) this.worker = undefined;
      };
      thread.on('error', (err) => gone(err.message));
      thread.on('exit', (code) => gone(`the read thread stopped (exit code ${code})`));
      this.worker = worker;
    }
    const worker = this.worker;
    const id = worker.next++;
    const answer = await new Promise<{ results?: Row[][]; error?: string }>((resolve) => {
      worker.waiting.set(id, resolve);
      worker.thread.postMessage({
        id,
        queries: queries.map((q) => ({ sql: q.sql, values: q.values.map(bindable) })),
      });
    });
    if (answer.error !== undefined) throw new Error(answer.error);
    return answer.results ?? queries.map(() => []);
  }

  close(): void {
    void this.worker?.thread.terminate();
    void this.sqlite?.then((s) => s?.close());
    void this.pg?.end().catch(() => undefined);
    this.pg = undefined;
  }
}
