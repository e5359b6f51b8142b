// The read-model database: Prisma through a driver adapter (no engine binary), SQLite by default.
import path from 'node:path';
import fs from 'node:fs';
import { PrismaClient } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import Database from 'better-sqlite3';

export type Db = PrismaClient;

/** The PostgreSQL URL each client was opened with (the hot read path keeps a small pool of its own). */
const postgresUrls = new WeakMap<object, string>();

export function openDatabase(url: string): Db {
  if (/^postgres(ql)?:/.test(url)) {
    // The PostgreSQL profile has its own generated client (prisma/postgres/schema.prisma): same models and API.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PrismaClient: PgClient } = require('.prisma/client-pg') as { PrismaClient: typeof PrismaClient };
    const db = new PgClient({
      adapter: new PrismaPg({ connectionString: url }),
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    });
    postgresUrls.set(db, url);
    return db;
  }
  const file = url.replace(/^file:/, '');
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Worker, API and scripts share the file: WAL lets readers run beside the one writer, and a writer waits
  // for the lock (busy timeout) instead of failing.
  enableWal(file);
  return new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 15_000 }),
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
  });
}

/** Whether a client talks to PostgreSQL (the driver adapter says which database it speaks). */
export function isPostgres(db: object): boolean {
  const config = (db as { _engineConfig?: { adapter?: { provider?: string } } })._engineConfig;
  return config?.adapter?.provider === 'postgres';
}

/** The URL a PostgreSQL client was opened with (undefined for SQLite). */
export function postgresUrlOf(db: object): string | undefined {
  return postgresUrls.get(db);
}

/** Prisma's unique-constraint error: the row is already there (used for idempotent inserts). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

/**
 * Prisma's SQLite adapter opens interactive transactions with a plain (deferred) BEGIN. In WAL mode a deferred
 * transaction that read before it writes fails at once with "database is locked" when another process wrote in
 * between (SQLITE_BUSY_SNAPSHOT: the busy timeout does not apply). The worker, the API and scripts all write
 * the same file, so transactions take the write lock up front (BEGIN IMMEDIATE) and wait for it instead.
 */
function beginImmediate() {
  const proto = Database.prototype as unknown as {
    prepare: (sql: string) => unknown;
    __skillflowImmediate?: boolean;
  };
  if (proto.__skillflowImmediate) return;
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    return prepare.call(this, sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
  };
  proto.__skillflowImmediate = true;
}

function enableWal(file: string) {
  beginImmediate();
  const sqlite = new Database(file, { timeout: 15_000 });
  try {
    sqlite.pragma('journal_mode = WAL');
  } finally {
    sqlite.close();
  }
}
