/**
 * Roster-check benchmark (花名册实名制校验): how long enrolment takes to check a roster of applicants against
 * every past subsidy record (DOMAIN.md §3: "the caps above checked against all history").
 *
 * It seeds the read model's SubsidyRecord table with a deterministic population, then, per roster, runs the
 * path enrolment runs: one batched query for the applicants' paid and reserved records, grouping by person,
 * and `checkRoster` from domain/. It also times `checkRoster` alone on in-memory data (target: 500 applicants
 * × ~3 records well under 10 ms). Writes bench/results/roster.json and prints a one-line summary.
 *
 *   npm run bench:roster
 *   BENCH_PERSONS=50000 BENCH_ROSTERS=200 npm run bench:roster
 *   BENCH_DATABASE_URL=postgresql://… npm run bench:roster   (schema deployed with `npm run db:migrate`)
 *
 * SQLite (default) runs in a fresh file under data/bench/ with the project's migrations applied, deleted
 * afterwards (BENCH_KEEP_DB=1 keeps it). On PostgreSQL the rows carry a run tag and are deleted afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prisma } from '@prisma/client';
import { openDatabase, type Db } from '../platform/db';
import { applySqliteMigrations } from './sqlite';
import { rng } from '../platform/random';
import { addDays } from '../domain/dates';
import {
  checkRoster,
  TRAINEE_CATEGORIES,
  type Applicant,
  type ClassSlot,
  type SubsidyRecord,
} from '../domain/eligibility';
import { makeIdNumber, parseIdNumber } from '../domain/identity';
import { OCCUPATION_CATALOGUE, type Level } from '../domain/occupations';
import { personKey } from '../domain/pii';
import { HEBEI_2024, type PolicyVersion } from '../domain/policy';

// ---------- settings ----------

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

const settings = {
  persons: intFromEnv('BENCH_PERSONS', 333_334), // × 3 records on average ≈ 1,000,000 history rows (issue 3)
  rosters: intFromEnv('BENCH_ROSTERS', 30),
  rosterSize: intFromEnv('BENCH_ROSTER_SIZE', 500),
  warmupRosters: 5,
  domainRuns: intFromEnv('BENCH_DOMAIN_RUNS', 500),
  seed: intFromEnv('BENCH_SEED', 20261122),
};
const DOMAIN_TARGET_P99_MS = 10;
const ROSTER_TARGET_MS = 1000; // a 500-person roster against 1,000,000 past records (issue 3)
const RESULT_FILE = path.resolve('bench', 'results', 'roster.json');

// ---------- deterministic data ----------

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Area codes of districts in the shipped policies' regions (石家庄, 保定, 哈尔滨). */
const AREA_CODES = ['130102', '130104', '130105', '130602', '230102', '230103', '230104'];

interface Person {
  key: string;
  applicant: Applicant;
}

function makePeople(count: number, random: () => number, secret: string): Person[] {
  const people: Person[] = [];
  const birthDays = 14_600; // births spread over 40 years from 1968
  for (let i = 0; i < count; i++) {
    // Stepping by a prime coprime with birthDays spreads ages over the 40 years and keeps numbers unique.
    const idNumber = makeIdNumber(
      pick(random, AREA_CODES),
      addDays('1968-01-01', (i * 7919) % birthDays),
      Math.floor(i / birthDays) % 1000,
    );
    const parsed = parseIdNumber(idNumber);
    if (!parsed.ok) throw new Error(`generated an invalid ID number ${idNumber}`);
    const key = personKey(idNumber, secret);
    people.push({
      key,
      applicant: {
        personKey: key,
        birthDate: parsed.value.birthDate,
        sex: parsed.value.sex,
        category: pick(random, TRAINEE_CATEGORIES),
      },
    });
  }
  return people;
}

interface SeedRow extends SubsidyRecord {
  id: string;
}

/** 1–5 records per person (3 on average): 75 % training, 80 % paid, 10 % reserved, 10 % released. */
function makeHistory(people: readonly Person[], random: () => number, tag: string): SeedRow[] {
  const rows: SeedRow[] = [];
  let classNo = 0;
  for (const person of people) {
    const count = 1 + Math.floor(random() * 5);
    for (let j = 0; j < count; j++) {
      const occupation = pick(random, OCCUPATION_CATALOGUE);
      const level: Level = pick(random, occupation.levels).level;
      const periodStart = addDays('2023-01-01', Math.floor(random() * 1460));
      const roll = random();
      const kind = random() < 0.75 ? 'TRAINING' : 'EVALUATION';
      const classId = `${tag}class-${classNo++}`;
      rows.push({
        id: `${classId}:${person.key}:${kind}`,
        personKey: person.key,
        kind,
        classId,
        occupationCode: occupation.code,
        level,
        periodStart,
        periodEnd: addDays(periodStart, 20 + Math.floor(random() * 40)),
        status: roll < 0.8 ? 'PAID' : roll < 0.9 ? 'RESERVED' : 'RELEASED',
      });
    }
  }
  return rows;
}

function makeSlot(random: () => number, tag: string, n: number): ClassSlot {
  const occupation = pick(random, OCCUPATION_CATALOGUE);
  const periodStart = addDays('2026-03-02', Math.floor(random() * 300));
  return {
    classId: `${tag}roster-${n}`,
    occupationCode: occupation.code,
    level: pick(random, occupation.levels).level,
    periodStart,
    periodEnd: addDays(periodStart, 30),
  };
}

/** `size` distinct people, drawn by a partial Fisher–Yates shuffle of indices. */
function drawRoster(people: readonly Person[], size: number, random: () => number): Applicant[] {
  const indices = people.map((_, i) => i);
  const roster: Applicant[] = [];
  for (let i = 0; i < Math.min(size, indices.length); i++) {
    const j = i + Math.floor(random() * (indices.length - i));
    const chosen = indices[j] ?? 0;
    indices[j] = indices[i] ?? 0;
    indices[i] = chosen;
    const person = people[chosen];
    if (person) roster.push(person.applicant);
  }
  return roster;
}

// ---------- database ----------

function isPostgres(url: string): boolean {
  return /^postgres(ql)?:/.test(url);
}

async function seed(db: Db, rows: readonly SeedRow[]): Promise<void> {
  const chunk = 1000;
  for (let i = 0; i < rows.length; i += chunk) {
    await db.subsidyRecord.createMany({ data: rows.slice(i, i + chunk) });
  }
}

/** The enrolment path: one batched query for the roster's paid and reserved records, grouped by person. */
async function loadHistory(db: Db, keys: string[]): Promise<Map<string, SubsidyRecord[]>> {
  const rows = await db.subsidyRecord.findMany({
    where: { personKey: { in: keys }, status: { in: ['RESERVED', 'PAID'] } },
    select: {
      personKey: true,
      kind: true,
      classId: true,
      occupationCode: true,
      level: true,
      periodStart: true,
      periodEnd: true,
      status: true,
    },
  });
  const byPerson = new Map<string, SubsidyRecord[]>();
  for (const row of rows) {
    const record: SubsidyRecord = {
      ...row,
      kind: row.kind as SubsidyRecord['kind'],
      level: row.level as Level,
      status: row.status as SubsidyRecord['status'],
    };
    const list = byPerson.get(row.personKey);
    if (list) list.push(record);
    else byPerson.set(row.personKey, [record]);
  }
  return byPerson;
}

/** The same read as one raw SQL statement, to show what the query client itself costs. */
async function loadHistoryRaw(db: Db, keys: string[]): Promise<number> {
  const rows = await db.$queryRaw<unknown[]>(
    Prisma.sql`SELECT "personKey", "kind", "classId", "occupationCode", "level", "periodStart", "periodEnd", "status"
      FROM "SubsidyRecord" WHERE "personKey" IN (${Prisma.join(keys)}) AND "status" IN ('RESERVED', 'PAID')`,
  );
  return rows.length;
}

// ---------- measurement ----------

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(sorted.length, 1);
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(mean),
  };
}

/** checkRoster alone on in-memory data: rosterSize applicants × 3 records each. */
function benchDomainOnly(policy: PolicyVersion, people: readonly Person[], random: () => number): Stats {
  const roster = drawRoster(people, settings.rosterSize, random);
  const slot = makeSlot(random, 'domain-', 0);
  const history = new Map(
    roster.map((a, i) => [
      a.personKey,
      [
        {
          personKey: a.personKey,
          kind: 'TRAINING' as const,
          classId: `h1-${i}`,
          occupationCode: slot.occupationCode,
          level: i % 2 ? ('LEVEL_5' as const) : ('LEVEL_3' as const),
          periodStart: '2024-03-01',
          periodEnd: '2024-03-31',
          status: 'PAID' as const,
        },
        {
          personKey: a.personKey,
          kind: 'TRAINING' as const,
          classId: `h2-${i}`,
          occupationCode: '4-10-03-01',
          level: 'LEVEL_4' as const,
          periodStart: '2025-03-01',
          periodEnd: '2025-03-31',
          status: 'RESERVED' as const,
        },
        {
          personKey: a.personKey,
          kind: 'EVALUATION' as const,
          classId: `h3-${i}`,
          occupationCode: '4-10-03-01',
          level: 'LEVEL_4' as const,
          periodStart: slot.periodStart,
          periodEnd: slot.periodStart,
          status: 'PAID' as const,
        },
      ],
    ]),
  );
  for (let i = 0; i < 20; i++) checkRoster(roster, slot, history, policy);
  const samples: number[] = [];
  for (let i = 0; i < settings.domainRuns; i++) {
    const started = performance.now();
    checkRoster(roster, slot, history, policy);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function main(): Promise<void> {
  const tag = `bench-${process.pid}-${Date.now().toString(36)}:`;
  const url = process.env.BENCH_DATABASE_URL ?? `file:./data/bench/roster-${process.pid}.db`;
  const postgres = isPostgres(url);
  const random = rng(settings.seed);
  // Roster checks need room for the whole roster; the cap per class is not what is measured.
  const policy: PolicyVersion = {
    ...HEBEI_2024,
    caps: { ...HEBEI_2024.caps, traineesPerClass: settings.rosterSize },
  };

  const people = makePeople(settings.persons, random, `bench-secret-${tag}`);
  // Measured first, on a small heap: later the seeded rows and the database client make collector pauses
  // part of the picture, which the end-to-end numbers below already show.
  const domainOnly = benchDomainOnly(policy, people, random);
  const rows = makeHistory(people, random, tag);

  const db = openDatabase(url);
  try {
    if (!postgres) await applySqliteMigrations(db);
    const seedStarted = performance.now();
    await seed(db, rows);
    const seedMs = performance.now() - seedStarted;

    const query: number[] = [];
    const rawQuery: number[] = [];
    const check: number[] = [];
    const total: number[] = [];
    const violationCounts: Record<string, number> = {};
    let refused = 0;
    for (let r = 0; r < settings.warmupRosters + settings.rosters; r++) {
      const roster = drawRoster(people, settings.rosterSize, random);
      const slot = makeSlot(random, tag, r);
      const started = performance.now();
      const history = await loadHistory(
        db,
        roster.map((a) => a.personKey),
      );
      const loaded = performance.now();
      const result = checkRoster(roster, slot, history, policy);
      const done = performance.now();
      const rawStarted = performance.now();
      await loadHistoryRaw(
        db,
        roster.map((a) => a.personKey),
      );
      const rawDone = performance.now();
      if (r < settings.warmupRosters) continue;
      rawQuery.push(rawDone - rawStarted);
      query.push(loaded - started);
      check.push(done - loaded);
      total.push(done - started);
      for (const line of result) {
        if (line.violations.length > 0) refused++;
        for (const v of line.violations) violationCounts[v.code] = (violationCounts[v.code] ?? 0) + 1;
      }
    }

    const result = {
      // The headline figures: one 500-person roster against the whole history, p99 end to end.
      rosterSize: settings.rosterSize,
      historyRows: rows.length,
      ms: stats(total).p99,
      targetMs: ROSTER_TARGET_MS,
      bench: 'roster',
      startedAt: new Date().toISOString(),
      machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length },
      database: postgres ? 'postgresql' : 'sqlite',
      dataset: {
        persons: settings.persons,
        records: rows.length,
        countedRecords: rows.filter((row) => row.status !== 'RELEASED').length,
        rosters: settings.rosters,
        rosterSize: settings.rosterSize,
        seed: settings.seed,
        seedMs: Math.round(seedMs),
      },
      milliseconds: {
        query: stats(query),
        check: stats(check),
        total: stats(total),
        rawSqlQuery: stats(rawQuery),
        domainOnly,
      },
      outcome: {
        applicantsChecked: settings.rosters * settings.rosterSize,
        refused,
        violations: violationCounts,
      },
      targets: {
        domainOnlyP99Ms: DOMAIN_TARGET_P99_MS,
        met: domainOnly.p99 < DOMAIN_TARGET_P99_MS && stats(total).p99 < ROSTER_TARGET_MS,
      },
    };
    fs.mkdirSync(path.dirname(RESULT_FILE), { recursive: true });
    fs.writeFileSync(RESULT_FILE, JSON.stringify(result, null, 2) + '\n');
    console.log(
      `roster bench (${result.database}, ${settings.persons} persons, ${rows.length} records, ` +
        `${settings.rosters} rosters of ${settings.rosterSize}): ` +
        `query p50 ${result.milliseconds.query.p50} ms p99 ${result.milliseconds.query.p99} ms; ` +
        `check p50 ${result.milliseconds.check.p50} ms p99 ${result.milliseconds.check.p99} ms; ` +
        `raw-SQL query p50 ${result.milliseconds.rawSqlQuery.p50} ms; ` +
        `domain-only p99 ${domainOnly.p99} ms (target < ${DOMAIN_TARGET_P99_MS} ms: ${result.targets.met ? 'met' : 'MISSED'}) ` +
        `→ ${path.relative(process.cwd(), RESULT_FILE)}`,
    );
  } finally {
    if (postgres) await db.subsidyRecord.deleteMany({ where: { id: { startsWith: tag } } });
    await db.$disconnect();
    if (!postgres && !process.env.BENCH_KEEP_DB) {
      const file = path.resolve(url.replace(/^file:/, ''));
      for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
