// 报名/实名制: each row is checked with domain/identity.ts (ID number, name, working age at the class start)
// before anything is stored; the person is registered by keyed hash with the number and name encrypted, and
// only enrollment ids and person keys reach the workflow (DESIGN.md §5). All or nothing unless validOnly.
// A refused roster changes nothing: a class that cannot take a roster now is refused before anyone is
// registered, and the people a roster registered are removed again when the workflow refuses them (the
// workflow's reservation reads them, so they have to be there before it runs).
import { randomUUID } from 'node:crypto';
import type { AppDeps, Principal } from './context';
import type { AccessAction } from './audit';
import { actorOf } from './context';
import type { ClassRef } from './scope';
import { checkWorkingAge, normaliseName, parseIdNumber, validateName } from '../domain/identity';
import { maskIdNumber, maskName } from '../domain/masking';
import { decryptField, encryptField, keyFromEnv, personKey } from '../domain/pii';
import { TRAINEE_CATEGORIES, TRAINEE_CATEGORY_NAMES, type TraineeCategory } from '../domain/categories';
import { violation, type RuleViolation } from '../domain/rules';
import { wrongStage } from '../domain/classRules';
import { isUniqueViolation } from '../platform/db';
import { caseStateQuery, enrolTraineesUpdate, type TraineeApplication } from '../workflows/messages';
import { fieldErrorOf, Problem, problems, type FieldError } from './problem';
import { policyOf, todayInShanghai } from './planContext';
import { callWorkflow, statusOfRule, update } from './workflow';
import { readableId } from './auth/tokens';
import { requestSeed } from './idempotency';

export interface RosterRow {
  idNumber: string;
  name: string;
  category: string;
  exclusions?: TraineeApplication['exclusions'];
  /** the spreadsheet row, for imports */
  sheetRow?: number;
}

/** A category by its code or its Chinese name (人员类别), as spreadsheets write it. */
export function resolveCategory(raw: string): TraineeCategory | undefined {
  const text = raw.normalize('NFKC').trim();
  const code = text.toUpperCase();
  if ((TRAINEE_CATEGORIES as readonly string[]).includes(code)) return code as TraineeCategory;
  const byName = TRAINEE_CATEGORIES.filter((c) => TRAINEE_CATEGORY_NAMES[c].zh === text);
  if (byName.length === 1) return byName[0];
  if ([...text].length >= 4) {
    const partial = TRAINEE_CATEGORIES.filter((c) => TRAINEE_CATEGORY_NAMES[c].zh.includes(text));
    if (partial.length === 1) return partial[0];
  }
  return undefined;
}

// Where a rule's field lands in the request row.
const FIELD_MAP: Record<string, string> = { personKey: 'idNumber', birthDate: 'idNumber', trainees: '' };

export interface EnrolAnswer {
  enrolled: { enrollmentId: string; row: number; sheetRow?: number }[];
  refused: {
    row: number;
    sheetRow?: number;
    errors: { path: string; code: string; message: { zh: string; en: string } }[];
  }[];
}

/**
 * The checks a roster's rows get before anyone is registered (the same ones whether the roster is enrolled or
 * only checked): category, name, ID number, working age at the planned start, the same person twice.
 * The subsidy rules that need the person's history (limits, overlapping classes) are the workflow's, at
 * enrolment.
 */
async function checkRows(deps: AppDeps, c: ClassRef, rows: RosterRow[]) {
  const policy = await policyOf(deps, c.policyVersionId, todayInShanghai());
  const errors = new Map<number, FieldError[]>();
  const push = (i: number, v: RuleViolation) =>
    errors.set(i, [...(errors.get(i) ?? []), fieldErrorOf(v, `trainees.${i}`, FIELD_MAP)]);

  const checked = rows.map((r, i) => {
    const category = resolveCategory(r.category);
    if (!category)
      push(i, violation('CATEGORY_UNKNOWN', '人员类别不正确', 'Unknown trainee category', 'category'));
    const nameProblem = validateName(r.name);
    if (nameProblem) push(i, nameProblem);
    const parsed = parseIdNumber(r.idNumber);
    if (!parsed.ok) parsed.violations.forEach((v) => push(i, v));
    else {
      const age = checkWorkingAge(parsed.value, c.plan.plannedStart, policy.ageLimits);
      if (age) push(i, age);
    }
    return { category, parsed: parsed.ok ? parsed.value : undefined, name: normaliseName(r.name) };
  });

  const keys = new Map<number, string>();
  const seen = new Map<string, number>();
  checked.forEach((row, i) => {
    if (!row.parsed) return;
    const key = personKey(row.parsed.idNumber, deps.settings.personKeySecret);
    const first = seen.get(key);
    if (first !== undefined)
      push(
        i,
        violation(
          'DUPLICATE_IN_ROSTER',
          `与第${first + 1}行为同一人`,
          `The same person as row ${first + 1}`,
          'idNumber',
        ),
      );
    else seen.set(key, i);
    keys.set(i, key);
  });
  return { checked, keys, errors, push };
}

export interface RosterCheck {
  rows: {
    row: number;
    sheetRow?: number;
    /** masked: the check answers before anyone is registered, and the page shows what the file said */
    name: string;
    idNumber: string;
    category: string;
    errors: FieldError[];
  }[];
  valid: number;
  refused: number;
}

/** A roster checked row by row, nothing registered or enrolled: what the institution sees before it enrols. */
export async function checkRoster(deps: AppDeps, c: ClassRef, rows: RosterRow[]): Promise<RosterCheck> {
  const { checked, errors } = await checkRows(deps, c, rows);
  const out = rows.map((r, i) => ({
    row: i,
    ...(r.sheetRow !== undefined ? { sheetRow: r.sheetRow } : {}),
    name: maskName(r.name),
    idNumber: maskIdNumber(r.idNumber),
    category: checked[i]!.category ?? r.category.trim(),
    errors: errors.get(i) ?? [],
  }));
  return { rows: out, valid: out.filter((r) => !r.errors.length).length, refused: errors.size };
}

export async function enrolRows(
  deps: AppDeps,
  c: ClassRef,
  principal: Principal,
  rows: RosterRow[],
  validOnly: boolean,
  opts: { requireVoucher?: boolean } = {},
): Promise<EnrolAnswer> {
  const piiKey = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
  const { checked, keys, errors, push } = await checkRows(deps, c, rows);

  // 实名制: a registered ID number should come with the name it was registered with. A different name is not
  // refused: that answer would tell the institution the number is registered (an unregistered one is taken
  // with any name) and let it try names until one fits. The row is enrolled under the registered person, whose
  // name stays as registered, and the bureau is told (ROSTER_NAME_DIFFERS in the access audit).
  const existing = new Map(
    (await deps.db.person.findMany({ where: { personKey: { in: [...keys.values()] } } })).map((p) => [
      p.personKey,
      p,
    ]),
  );
  const nameDiffers = new Set<number>();
  for (const [i, key] of keys) {
    const person = existing.get(key);
    if (!person || errors.has(i)) continue;
    let stored: string;
    try {
      stored = normaliseName(decryptField(person.nameEnc, piiKey));
    } catch {
      stored = '';
    }
    if (stored && stored !== checked[i]!.name) nameDiffers.add(i);
  }

  const refusedRows = (): EnrolAnswer['refused'] =>
    [...errors.entries()]
      .sort(([a], [b]) => a - b)
      .map(([row, errs]) => ({ row, sheetRow: rows[row]?.sheetRow, errors: errs }));
  const allErrors = () => [...errors.entries()].sort(([a], [b]) => a - b).flatMap(([, e]) => e);
  const valid = rows.map((_, i) => i).filter((i) => !errors.has(i));
  if ((errors.size && !validOnly) || valid.length === 0) throw refusal(allErrors());

  await refuseUnlessEnrolling(deps, c);

  /** the people this roster registered: removed again if the workflow refuses them */
  const registered = new Map<number, string>();
  for (const i of valid) {
    const key = keys.get(i)!;
    if (existing.has(key)) continue;
    const parsed = checked[i]!.parsed!;
    try {
      await deps.db.person.create({
        data: {
          personKey: key,
          idNumberEnc: encryptField(parsed.idNumber, piiKey),
          nameEnc: encryptField(checked[i]!.name, piiKey),
          birthDate: parsed.birthDate,
          sex: parsed.sex,
        },
      });
      registered.set(i, key);
    } catch (err) {
      // Registered a moment ago by another roster: that one's person, not ours to remove.
      if (!isUniqueViolation(err)) throw err;
    }
  }

  // Enrolment ids seeded by the request's Idempotency-Key: run again, it names the enrolments the first run made.
  const applications: TraineeApplication[] = valid.map((i) => ({
    enrollmentId: `${c.id}-${readableId(6, requestSeed(`${c.id} enrol row ${i}`))}`,
    personKey: keys.get(i)!,
    category: checked[i]!.category!,
    ...(rows[i]!.exclusions ? { exclusions: rows[i]!.exclusions } : {}),
    ...(opts.requireVoucher ? { requireVoucher: true } : {}),
  }));
  const rowOf = new Map(applications.map((a, k) => [a.enrollmentId, valid[k]!]));
  const result = await update(
    deps.temporal,
    c.id,
    enrolTraineesUpdate,
    { actor: actorOf(principal), trainees: applications, validOnly },
    {
      path: (f) => {
        const m = /^trainees\.(\d+)(.*)$/.exec(f ?? '');
        if (!m) return f;
        const row = valid[Number(m[1])];
        const rest = m[2] === '.enrollmentId' ? '' : m[2];
        return row === undefined ? f : `trainees.${row}${rest}`;
      },
    },
  ).catch(async (err: unknown) => {
    // Refused (4xx): nobody was enrolled. A 5xx leaves the outcome open (a timed-out update may still be
    // applied), so its people stay: the reservation would not find them otherwise.
    if (err instanceof Problem && err.status < 500) await unregister(deps, [...registered.values()]);
    throw err;
  });
  const enrolledRows = new Set(result.enrolled.map((id) => rowOf.get(id)));
  await unregister(
    deps,
    [...registered].filter(([row]) => !enrolledRows.has(row)).map(([, key]) => key),
  );
  const differing = result.enrolled
    .map((enrollmentId) => ({ enrollmentId, row: rowOf.get(enrollmentId)! }))
    .filter(({ row }) => nameDiffers.has(row));
  if (differing.length)
    await deps.db.accessAudit.createMany({
      data: differing.map(({ enrollmentId, row }) => ({
        id: randomUUID(),
        userId: principal.userId,
        action: 'ROSTER_NAME_DIFFERS' satisfies AccessAction,
        subject: c.id,
        // which enrollment, never the names: a caseworker compares them on the case page (?reveal=1, audited)
        detail: JSON.stringify({ enrollmentId, row }),
      })),
    });
  for (const r of result.refused) {
    const row = rowOf.get(r.enrollmentId);
    if (row === undefined) continue;
    r.violations.forEach((v) => push(row, v));
  }
  if (result.refused.length && !validOnly) throw refusal(allErrors());
  return {
    enrolled: result.enrolled.map((enrollmentId) => {
      const row = rowOf.get(enrollmentId)!;
      return { enrollmentId, row, sheetRow: rows[row]?.sheetRow };
    }),
    refused: refusedRows(),
  };
}

/**
 * 409 WRONG_STAGE before anyone is registered, as the workflow's validator would answer. The read model may
 * not show an approval yet: when it says the class is not enrolling, the workflow's own stage decides.
 */
async function refuseUnlessEnrolling(deps: AppDeps, c: ClassRef) {
  if (c.stage === 'ENROLLING') return;
  const stage = c.row
    ? (
        await callWorkflow(() => deps.temporal.workflow.getHandle(c.id).query(caseStateQuery), {
          knownToExist: true,
        })
      ).stage
    : c.stage;
  const wrong = wrongStage(stage, ['ENROLLING']);
  if (!wrong) return;
  const text = { zh: wrong.zh, en: wrong.en };
  throw new Problem(statusOfRule(wrong.code), wrong.code, text, [
    { path: wrong.field ?? '', code: wrong.code, message: text },
  ]);
}

/**
 * Removes people a refused roster registered, unless something holds them by now (an enrolment or a subsidy
 * record: another roster took them meanwhile). One transaction, so no reservation lands in between.
 */
async function unregister(deps: AppDeps, keys: string[]) {
  if (!keys.length) return;
  await deps.db.$transaction(async (tx) => {
    const where = { personKey: { in: keys } };
    const held = new Set(
      [
        ...(await tx.enrollment.findMany({ where, select: { personKey: true } })),
        ...(await tx.subsidyRecord.findMany({ where, select: { personKey: true } })),
      ].map((r) => r.personKey),
    );
    await tx.person.deleteMany({ where: { personKey: { in: keys.filter((k) => !held.has(k)) } } });
  });
}

function refusal(errors: FieldError[]) {
  const first = errors[0];
  return problems.rule(
    errors.length === 1 && first ? first.code : 'ROSTER_REFUSED',
    errors.length === 1 && first
      ? first.message
      : {
          zh: `花名册有${errors.length}处不符合规则，未报名任何学员`,
          en: `${errors.length} problems in the roster; nobody was enrolled`,
        },
    errors,
  );
}
