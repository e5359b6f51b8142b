// A benchmark's own SQLite file (the project's migrations applied in order, as `prisma migrate deploy` would). The
// seeded random numbers its data is drawn with are platform/random.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../platform/db';

/** Applies the project's SQLite migrations, in order, to a fresh file. */
export async function applySqliteMigrations(db: Db): Promise<void> {
  const dir = path.resolve('prisma', 'migrations');
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const sql = fs.readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8');
    const statements = sql
      .split(/;\s*\n/)
      .map((s) =>
        s
          .split('\n')
          .filter((line) => !line.trim().startsWith('--'))
          .join('\n')
          .trim(),
      )
      .filter((s) => s.length > 0);
    for (const statement of statements) await db.$executeRawUnsafe(statement);
  }
}
