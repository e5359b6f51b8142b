// A fresh, migrated SQLite read model per test suite, with the reference data loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { openDatabase, type Db } from '../../platform/db';
import { seedReference } from '../../prisma/reference';
import type { PolicyVersion } from '../../domain/policy';

export function migrateSqlite(file: string): void {
  const dir = path.join(__dirname, '..', '..', 'prisma', 'migrations');
  const sqlite = new Database(file);
  for (const m of fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .sort()) {
    sqlite.exec(fs.readFileSync(path.join(dir, m, 'migration.sql'), 'utf8'));
  }
  sqlite.close();
}

/**
 * A fresh PostgreSQL database with prisma/postgres/migrations applied, when SKILLFLOW_TEST_DATABASE_URL names a
 * PostgreSQL server (e.g. postgresql://postgres@localhost:5432/postgres): the same suites then run on the
 * PostgreSQL profile. A fresh machine has no PostgreSQL, so CI runs them on SQLite (the default).
 */
async function createPostgresTestDb(server: string) {
  const name = `sf_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const dir = path.join(__dirname, '..', '..', 'prisma', 'postgres', 'migrations');
  for (const m of fs
    .readdirSync(dir)
    .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
    .sort())
    await client.query(fs.readFileSync(path.join(dir, m, 'migration.sql'), 'utf8'));
  await client.end();
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDb(
  policies?: readonly PolicyVersion[],
): Promise<{ db: Db; file: string; url: string; cleanup: () => Promise<void> }> {
  const server = process.env.SKILLFLOW_TEST_DATABASE_URL;
  if (server) {
    const pg = await createPostgresTestDb(server);
    const db = openDatabase(pg.url);
    await seedReference(db, policies);
    return {
      db,
      file: '',
      url: pg.url,
      cleanup: async () => {
        await db.$disconnect();
        await pg.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-'));
  const file = path.join(dir, 'test.db');
  migrateSqlite(file);
  const url = `file:${file}`;
  const db = openDatabase(url);
  await seedReference(db, policies);
  return {
    db,
    file,
    url,
    cleanup: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
