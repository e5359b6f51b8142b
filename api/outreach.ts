// 政策找人 (issue 16 point 3): the candidates of a class from the registry, best-ranked first. The query narrows the
// registry by what SQL can judge cheaply and never more strictly than the rules (category, a birth-date window
// wider than working age, no training subsidy in the occupation, under the cap of training subsidies, not on the
// class), in the order of the outreach index (priority, registeredOn, id); then each row of the page is judged by
// domain/outreach.ts candidateVerdict — the enrolment rules themselves — and kept only when it passes.
import { Prisma } from '@prisma/client';
import type { Registrant } from '@prisma/client';
import type { AppDeps } from './context';
import type { ClassRef } from './scope';
import { policyOf, todayInShanghai } from './planContext';
import { birthDateWindow, candidateVerdict } from '../domain/outreach';
import { TraineeCategorySchema } from '../domain/categories';
import type { SubsidyRecord } from '../domain/eligibility';
import type { PolicyVersion } from '../domain/policy';
import type { Level } from '../domain/occupations';
import type { RuleViolation } from '../domain/rules';
import { ageOn } from '../domain/identity';

/** A page asks the database for this many rows per candidate it shows, to make up for those the rules refuse. */
const OVERFETCH = 2;

export interface CandidateRow {
  registrant: Registrant;
  birthDate: string;
  sex: string;
  nameEnc: string;
  idNumberEnc: string;
}

/** The cursor: the last row's place in the outreach order. */
export interface CandidateCursor {
  priority: number;
  registeredOn: string;
  id: string;
}

export const encodeCursor = (c: CandidateCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
export function decodeCursor(text: string | undefined): CandidateCursor | undefined {
  if (!text) return undefined;
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CandidateCursor;
    if (typeof c.priority === 'number' && typeof c.registeredOn === 'string' && typeof c.id === 'string')
      return c;
  } catch {
    // not ours: start again from the top
  }
  return undefined;
}

export function slotOf(c: ClassRef) {
  return {
    classId: c.id,
    occupationCode: c.plan.occupationCode,
    level: c.plan.level as Level,
    periodStart: c.plan.plannedStart,
    periodEnd: c.plan.plannedEnd,
  };
}

/** The registry rows the query lets through, in outreach order after the cursor. */
async function narrowed(
  deps: AppDeps,
  c: ClassRef,
  policy: PolicyVersion,
  opts: { district?: string; after?: CandidateCursor; take: number },
): Promise<CandidateRow[]> {
  const male = birthDateWindow(policy, 'M', c.plan.plannedStart);
  const female = birthDateWindow(policy, 'F', c.plan.plannedStart);
  const after = opts.after
    ? Prisma.sql`AND (r."priority", r."registeredOn", r."id") > (${opts.after.priority}, ${opts.after.registeredOn}, ${opts.after.id})`
    : Prisma.empty;
  const district = opts.district ? Prisma.sql`AND r."district" = ${opts.district}` : Prisma.empty;
  const rows = await deps.db.$queryRaw<
    {
      id: string;
      personKey: string;
      category: string;
      priority: number | bigint;
      district: string;
      registeredOn: string;
      createdAt: Date | string;
      birthDate: string;
      sex: string;
      nameEnc: string;
      idNumberEnc: string;
    }[]
  >(Prisma.sql`
    SELECT r."id", r."personKey", r."category", r."priority", r."district", r."registeredOn", r."createdAt",
           p."birthDate", p."sex", p."nameEnc", p."idNumberEnc"
    FROM "Registrant" r JOIN "Person" p ON p."personKey" = r."personKey"
    WHERE r."category" IN (${Prisma.join(policy.eligibleCategories)}) ${district} ${after}
      AND ((p."sex" = 'M' AND p."birthDate" BETWEEN ${male.earliest} AND ${male.latest})
        OR (p."sex" = 'F' AND p."birthDate" BETWEEN ${female.earliest} AND ${female.latest}))
      AND NOT EXISTS (SELECT 1 FROM "SubsidyRecord" s WHERE s."personKey" = r."personKey" AND s."kind" = 'TRAINING'
                      AND s."status" <> 'RELEASED' AND s."occupationCode" = ${c.plan.occupationCode})
      AND (SELECT COUNT(DISTINCT s."classId") FROM "SubsidyRecord" s WHERE s."personKey" = r."personKey"
           AND s."kind" = 'TRAINING' AND s."status" <> 'RELEASED') < ${policy.caps.trainingSubsidiesPerPerson}
      AND NOT EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."classId" = ${c.id} AND e."personKey" = r."personKey"
                      AND e."status" = 'ENROLLED')
    ORDER BY r."priority", r."registeredOn", r."id"
    LIMIT ${opts.take}`);
  return rows.map((r) => ({
    registrant: {
      id: r.id,
      personKey: r.personKey,
      category: r.category,
      priority: Number(r.priority),
      district: r.district,
      registeredOn: r.registeredOn,
      createdAt: new Date(r.createdAt),
    },
    birthDate: r.birthDate,
    sex: r.sex,
    nameEnc: r.nameEnc,
    idNumberEnc: r.idNumberEnc,
  }));
}

/** Every subsidy record of these people, as the rules read them. */
export async function historiesOf(deps: AppDeps, personKeys: readonly string[]): Promise<SubsidyRecord[]> {
  if (!personKeys.length) return [];
  const rows = await deps.db.subsidyRecord.findMany({ where: { personKey: { in: [...personKeys] } } });
  return rows as SubsidyRecord[];
}

/** The rules' verdict on one registrant for the class: no violations, a candidate. */
export function verdictOf(
  row: Pick<CandidateRow, 'registrant' | 'birthDate' | 'sex'>,
  c: ClassRef,
  history: readonly SubsidyRecord[],
  policy: PolicyVersion,
): RuleViolation[] {
  const category = TraineeCategorySchema.safeParse(row.registrant.category);
  if (!category.success) return [{ code: 'CATEGORY_UNKNOWN', zh: '人员类别无效', en: 'Unknown category' }];
  return candidateVerdict(
    {
      personKey: row.registrant.personKey,
      birthDate: row.birthDate,
      sex: row.sex === 'F' ? 'F' : 'M',
      category: category.data,
    },
    slotOf(c),
    history,
    policy,
  );
}

/**
 * One page of candidates: up to `limit`, each passing the rules; `next` continues after the last row the query
 * read (so a page of refusals still moves on).
 */
export async function candidatesOf(
  deps: AppDeps,
  c: ClassRef,
  opts: { district?: string; cursor?: string; limit: number },
): Promise<{ policy: PolicyVersion; rows: CandidateRow[]; next: string | null }> {
  const policy = await policyOf(deps, c.policyVersionId, todayInShanghai());
  const found: CandidateRow[] = [];
  let after = decodeCursor(opts.cursor);
  // a few reads at most: each reads OVERFETCH × the rows still wanted
  for (let round = 0; round < 5 && found.length < opts.limit; round++) {
    const want = opts.limit - found.length;
    const rows = await narrowed(deps, c, policy, { district: opts.district, after, take: want * OVERFETCH });
    const history = await historiesOf(
      deps,
      rows.map((r) => r.registrant.personKey),
    );
    let read = 0;
    for (const row of rows) {
      read += 1;
      after = {
        priority: row.registrant.priority,
        registeredOn: row.registrant.registeredOn,
        id: row.registrant.id,
      };
      if (verdictOf(row, c, history, policy).length === 0) found.push(row);
      if (found.length === opts.limit) break;
    }
    // the registry has nothing after what was read
    if (rows.length < want * OVERFETCH && read === rows.length) return { policy, rows: found, next: null };
  }
  return { policy, rows: found, next: after ? encodeCursor(after) : null };
}

export const ageOfCandidate = (row: Pick<CandidateRow, 'birthDate'>, c: ClassRef) =>
  ageOn(row.birthDate, c.plan.plannedStart);
