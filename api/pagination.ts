// One way to page, sort and filter every list (docs/api.md "Lists"): `?limit=1..200&cursor=&sort=field|-field`,
// answered `{ items, nextCursor }`. Keyset pagination on (sort field, id), so a page costs one indexed range
// scan however deep it is. Null sort values come first ascending and last descending (SQLite's order, spelled
// out for PostgreSQL with NULLS FIRST/LAST).
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { problems } from './problem';

export const listQueryShape = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(600).optional(),
  sort: z.string().max(40).optional(),
};

export const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export interface SortField {
  /** column name in the table (for raw SQL) and the Prisma field */
  column: string;
  type: 'string' | 'date' | 'number';
  nullable?: boolean;
}
export type Sortable = Record<string, SortField>;

export interface ListPlan {
  limit: number;
  key: string;
  field: SortField;
  dir: 'asc' | 'desc';
  after?: { v: string | number | Date | null; id: string };
}

interface CursorBody {
  s: string;
  v: string | number | null;
  id: string;
}

export function planList(
  q: { limit: number; cursor?: string; sort?: string },
  sortable: Sortable,
  defaultSort: string,
): ListPlan {
  const sort = q.sort ?? defaultSort;
  const dir = sort.startsWith('-') ? 'desc' : 'asc';
  const key = sort.replace(/^[-+]/, '');
  // Own keys only: `constructor`, `__proto__` or `toString` must not find Object.prototype's members.
  const field = Object.hasOwn(sortable, key) ? sortable[key] : undefined;
  if (!field)
    throw problems.badRequest(
      'SORT_INVALID',
      {
        zh: `不能按该字段排序，可选：${Object.keys(sortable).join(', ')}`,
        en: `Cannot sort by that field; choose one of ${Object.keys(sortable).join(', ')}`,
      },
      [
        {
          path: 'sort',
          code: 'SORT_INVALID',
          message: { zh: '不支持的排序字段', en: 'Unsupported sort field' },
        },
      ],
    );
  const plan: ListPlan = { limit: q.limit, key, field, dir };
  if (q.cursor) {
    let c: CursorBody | undefined;
    try {
      c = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as CursorBody;
    } catch {
      c = undefined;
    }
    const valid =
      c &&
      typeof c === 'object' &&
      c.s === `${dir === 'desc' ? '-' : ''}${key}` &&
      typeof c.id === 'string' &&
      (c.v === null || typeof c.v === 'string' || typeof c.v === 'number');
    if (!valid || !c)
      throw problems.badRequest(
        'CURSOR_INVALID',
        { zh: '分页游标无效或与排序不符', en: 'The cursor is invalid or belongs to another sort' },
        [{ path: 'cursor', code: 'CURSOR_INVALID', message: { zh: '游标无效', en: 'Invalid cursor' } }],
      );
    let v: string | number | Date | null = c.v;
    if (v !== null && field.type === 'date') {
      const d = new Date(String(v));
      if (Number.isNaN(d.getTime()))
        throw problems.badRequest('CURSOR_INVALID', { zh: '分页游标无效', en: 'Invalid cursor' });
      v = d;
    }
    plan.after = { v, id: c.id };
  }
  return plan;
}

/** Slices the extra row fetched to learn whether another page exists, and writes its cursor. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  plan: ListPlan,
  valueOf: (row: T) => unknown,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, plan.limit);
  const last = items[items.length - 1];
  if (rows.length <= plan.limit || !last) return { items, nextCursor: null };
  const raw = valueOf(last);
  const v =
    raw === null || raw === undefined
      ? null
      : raw instanceof Date
        ? raw.toISOString()
        : (raw as string | number);
  const body: CursorBody = { s: `${plan.dir === 'desc' ? '-' : ''}${plan.key}`, v, id: last.id };
  return { items, nextCursor: Buffer.from(JSON.stringify(body), 'utf8').toString('base64url') };
}

/** Prisma `where` (keyset) and `orderBy` for a plan. */
export function prismaKeyset(
  plan: ListPlan,
  idField = 'id',
): { where: Record<string, unknown>; orderBy: object[]; take: number } {
  const f = plan.field.column;
  const id0 = idField;
  const nulls = plan.field.nullable ? { nulls: plan.dir === 'asc' ? 'first' : 'last' } : {};
  const orderBy =
    f === id0
      ? [{ [f]: plan.dir }]
      : [{ [f]: plan.field.nullable ? { sort: plan.dir, ...nulls } : plan.dir }, { [id0]: plan.dir }];
  if (!plan.after) return { where: {}, orderBy, take: plan.limit + 1 };
  const { v, id } = plan.after;
  const cmp = plan.dir === 'asc' ? 'gt' : 'lt';
  let where: Record<string, unknown>;
  if (v === null)
    where =
      plan.dir === 'asc'
        ? { OR: [{ [f]: null, [id0]: { gt: id } }, { NOT: { [f]: null } }] }
        : { [f]: null, [id0]: { lt: id } };
  else
    where = {
      OR: [
        { [f]: { [cmp]: v } },
        { [f]: v, [id0]: { [cmp]: id } },
        ...(plan.dir === 'desc' && plan.field.nullable ? [{ [f]: null }] : []),
      ],
    };
  return { where, orderBy, take: plan.limit + 1 };
}

/** The same keyset as SQL fragments, for the hot lists written as one raw query. `alias` is a table alias. */
export function sqlKeyset(plan: ListPlan, alias: string): { where: Prisma.Sql; orderBy: Prisma.Sql } {
  const col = Prisma.raw(`${alias}."${plan.field.column}"`);
  const id = Prisma.raw(`${alias}."id"`);
  const dir = Prisma.raw(plan.dir === 'asc' ? 'ASC' : 'DESC');
  const nulls = Prisma.raw(plan.field.nullable ? (plan.dir === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : '');
  const orderBy = Prisma.sql`${col} ${dir}${nulls}, ${id} ${dir}`;
  if (!plan.after) return { where: Prisma.sql`1=1`, orderBy };
  const { v, id: afterId } = plan.after;
  const op = Prisma.raw(plan.dir === 'asc' ? '>' : '<');
  let where: Prisma.Sql;
  if (v === null)
    where =
      plan.dir === 'asc'
        ? Prisma.sql`((${col} IS NULL AND ${id} > ${afterId}) OR ${col} IS NOT NULL)`
        : Prisma.sql`(${col} IS NULL AND ${id} < ${afterId})`;
  else {
    const orNull = Prisma.raw(
      plan.dir === 'desc' && plan.field.nullable ? ` OR ${alias}."${plan.field.column}" IS NULL` : '',
    );
    where = Prisma.sql`(${col} ${op} ${v} OR (${col} = ${v} AND ${id} ${op} ${afterId})${orNull})`;
  }
  return { where, orderBy };
}
