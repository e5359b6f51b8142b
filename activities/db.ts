// The read-model database: Prisma through a driver adapter (no engine binary), SQLite by default.
import path from 'node:path';
import fs from 'node:fs';
import { PrismaClient } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

export type Db = PrismaClient;

export function openDatabase(url: string): Db {
  if (/^postgres(ql)?:/.test(url))
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  const file = url.replace(/^file:/, '');
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
}

/** Prisma's unique-constraint error: the row is already there (used for idempotent inserts). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}
