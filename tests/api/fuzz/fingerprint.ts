// A fingerprint of the read model: every table's rows, hashed per table, so a refused request that changed
// anything is caught and the tables (and rows) it touched can be named. On SQLite the file is read through its
// own read-only connection (about a millisecond for the whole model); on PostgreSQL through Prisma.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Db } from '../../../platform/db';

/**
 * Left out: the Idempotency-Key store (a refused request is remembered so its retry gets the same answer, by
 * design), the access log (reads are logged too), an API key's last-use stamp (touched by any call), and the tries
 * on a self-service code (a wrong code is refused AND counted against the code, by design: five and it is spent).
 */
const SKIPPED_TABLES = new Set(['IdempotencyRecord', 'AccessAudit']);
const SKIPPED_COLUMNS: Record<string, string[]> = { ApiKey: ['lastUsedAt'], SelfServiceCode: ['attempts'] };

export interface TableState {
  count: number;
  hash: string;
  /** row JSON by its first column (the primary key, or its first part) */
  rows: Map<string, string>;
}
export type Fingerprint = Map<string, TableState>;

export interface Fingerprinter {
  take(): Promise<Fingerprint>;
  close(): void;
}

export async function fingerprinter(db: Db): Promise<Fingerprinter> {
  const files = (await db.$queryRawUnsafe('PRAGMA database_list').catch(() => [])) as { file?: string }[];
  const file = files.find((f) => f.file)?.file;
  if (file) {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const tables = (
      sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'",
        )
        .all() as { name: string }[]
    )
      .map((r) => r.name)
      .filter((n) => !SKIPPED_TABLES.has(n))
      .sort();
    const statements = tables.map((name) => [name, sqlite.prepare(`SELECT * FROM "${name}"`)] as const);
    return {
      take: async () => {
        const fp: Fingerprint = new Map();
        // One read transaction: every table as of the same moment.
        sqlite.transaction(() => {
          for (const [name, stmt] of statements)
            fp.set(name, stateOf(name, stmt.all() as Record<string, unknown>[]));
        })();
        return fp;
      },
      close: () => sqlite.close(),
    };
  }
  const tables = (
    (await db.$queryRawUnsafe(
      "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%'",
    )) as { name: string }[]
  )
    .map((r) => r.name)
    .filter((n) => !SKIPPED_TABLES.has(n))
    .sort();
  return {
    take: async () => {
      const fp: Fingerprint = new Map();
      for (const name of tables)
        fp.set(
          name,
          stateOf(name, (await db.$queryRawUnsafe(`SELECT * FROM "${name}"`)) as Record<string, unknown>[]),
        );
      return fp;
    },
    close: () => undefined,
  };
}

function stateOf(table: string, rows: Record<string, unknown>[]): TableState {
  const skip = SKIPPED_COLUMNS[table] ?? [];
  const byKey = new Map<string, string>();
  const lines: string[] = [];
  for (const row of rows) {
    for (const c of skip) delete row[c];
    const json = JSON.stringify(row, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v,
    );
    lines.push(json);
    const values = Object.values(row);
    byKey.set(`${String(values[0])}|${values.length > 1 ? String(values[1]) : ''}`, json);
  }
  lines.sort();
  return { count: rows.length, hash: createHash('sha1').update(lines.join('\n')).digest('hex'), rows: byKey };
}

export interface TableChange {
  table: string;
  before: number;
  after: number;
  added: string[];
  removed: string[];
  changed: string[];
}

/** What differs between two fingerprints, table by table (row keys, at most a few per kind). */
export function diff(a: Fingerprint, b: Fingerprint): TableChange[] {
  const out: TableChange[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    if (x && y && x.hash === y.hash) continue;
    const xr = x?.rows ?? new Map<string, string>();
    const yr = y?.rows ?? new Map<string, string>();
    const added = [...yr.keys()].filter((k) => !xr.has(k));
    const removed = [...xr.keys()].filter((k) => !yr.has(k));
    const changed = [...yr.keys()].filter((k) => xr.has(k) && xr.get(k) !== yr.get(k));
    out.push({
      table: name,
      before: x?.count ?? 0,
      after: y?.count ?? 0,
      added: added.slice(0, 5),
      removed: removed.slice(0, 5),
      changed: changed.slice(0, 5),
    });
  }
  return out;
}

export function same(a: Fingerprint, b: Fingerprint): boolean {
  if (a.size !== b.size) return false;
  for (const [name, x] of a) if (b.get(name)?.hash !== x.hash) return false;
  return true;
}

/**
 * Waits until the read model stops changing (the workflow's projection writes after the API has answered):
 * `quietMs` without a change, at most `maxMs`. Returns the settled fingerprint.
 */
export async function settle(fp: Fingerprinter, quietMs = 300, maxMs = 8_000): Promise<Fingerprint> {
  const started = Date.now();
  let last = await fp.take();
  let stableSince = Date.now();
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 60));
    const next = await fp.take();
    if (!same(last, next)) {
      last = next;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) break;
  }
  return last;
}
