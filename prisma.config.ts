// Prisma CLI configuration: the JavaScript schema engine with a driver adapter, so no engine binary is
// downloaded (DESIGN.md toolchain facts). DATABASE_URL picks the profile: file:… → SQLite, postgres… → PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const url = process.env.DATABASE_URL ?? 'file:./data/skillflow.db';
const postgres = /^postgres(ql)?:/.test(url);
process.env.DATABASE_URL = url;
if (!postgres) fs.mkdirSync(path.dirname(path.resolve(url.replace(/^file:/, ''))), { recursive: true });

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: postgres ? path.join('prisma', 'postgres', 'schema.prisma') : path.join('prisma', 'schema.prisma'),
  migrations: {
    path: postgres ? path.join('prisma', 'postgres', 'migrations') : path.join('prisma', 'migrations'),
  },
  async adapter() {
    return postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  },
});
