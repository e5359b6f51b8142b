// Applies prisma/postgres/migrations to a PostgreSQL read model, each once, in order, in a transaction.
// (Prisma 6.19's JavaScript schema engine fails `migrate deploy` against PostgreSQL 15 here with
// "Column type 'name' could not be deserialized"; the SQL it generated is applied directly instead.)
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ROOT } from './stack';

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:/.test(url)) throw new Error('DATABASE_URL must be a postgresql:// URL');
  const dir = path.join(ROOT, 'prisma', 'postgres', 'migrations');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS "_skillflow_migrations" (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await client.query<{ name: string }>('SELECT name FROM "_skillflow_migrations"')).rows.map(
        (r) => r.name,
      ),
    );
    for (const name of fs
      .readdirSync(dir)
      .filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
      .sort()) {
      if (applied.has(name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8'));
        await client.query('INSERT INTO "_skillflow_migrations" (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
        console.log(`applied ${name}`);
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
