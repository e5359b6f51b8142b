// A fresh, migrated SQLite read model per test suite, with the reference data loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../activities/db';
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

export async function createTestDb(
  policies?: readonly PolicyVersion[],
): Promise<{ db: Db; file: string; url: string; cleanup: () => Promise<void> }> {
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
