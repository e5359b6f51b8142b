/**
 * 政策找人 benchmark (issue 16 point 3): how long one page of an enrolling class's candidates takes on a registry of
 * 1,000,000 people — the query over the registry, each row's subsidy history, and the enrolment rules on each row
 * (api/outreach.ts candidatesOf), as GET /cases/{id}/candidates runs it.
 *
 * Target: p99 ≤ 200 ms for a page of 20, for the whole city and for one district, first page and a later one. A
 * caseworker opens the tab and pages through it; 200 ms is the budget the inbox and the dashboard are held to.
 *
 *   npm run bench:candidates
 *   BENCH_REGISTRANTS=100000 npm run bench:candidates
 *
 * Runs in a fresh SQLite file under data/bench/ with the project's migrations applied, deleted afterwards
 * (BENCH_KEEP_DB=1 keeps it). Writes bench/results/candidates.json and prints a one-line summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Prisma } from '@prisma/client';
import { openDatabase } from '../platform/db';
import { applySqliteMigrations } from './sqlite';
import { rng } from '../platform/random';
import { candidatesOf } from '../api/outreach';
import type { AppDeps } from '../api/context';
import type { ClassRef } from '../api/scope';
import { seedReference } from '../prisma/reference';
import { addDays } from '../domain/dates';
import { TRAINEE_CATEGORIES } from '../domain/categories';
import { OUTREACH_PRIORITY } from '../domain/outreach';
import { OCCUPATION_CATALOGUE } from '../domain/occupations';

const REGISTRANTS = Number(process.env.BENCH_REGISTRANTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const TARGET_P99_MS = 200;
const DISTRICTS = ['长安区', '桥西区', '新华区', '裕华区', '藁城区', '鹿泉区', '栾城区'];
const RESULT_FILE = path.resolve('bench', 'results', 'candidates.json');

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

async function main(): Promise<void> {
  fs.mkdirSync(path.resolve('data', 'bench'), { recursive: true });
  const file = path.resolve('data', 'bench', `candidates-${process.pid}.db`);
  const db = openDatabase(`file:${file}`);
  await applySqliteMigrations(db);
  await seedReference(db);
  const random = rng(20261201);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const day = (from: string, span: number) => addDays(from, Math.floor(random() * span));
  const occupations = OCCUPATION_CATALOGUE.map((o) => o.code);
  const COOK = '4-03-02-01';

  const began = Date.now();
  const chunk = 400;
  for (let i = 0; i < REGISTRANTS; i += chunk) {
    const people: Prisma.Sql[] = [];
    const registrants: Prisma.Sql[] = [];
    const records: Prisma.Sql[] = [];
    for (let n = i; n < Math.min(REGISTRANTS, i + chunk); n++) {
      const key = `bench-${n}`;
      const category = pick(TRAINEE_CATEGORIES);
      people.push(
        Prisma.sql`(${key}, 'x', 'x', ${day('1960-01-01', 48 * 365)}, ${random() < 0.5 ? 'M' : 'F'})`,
      );
      registrants.push(
        Prisma.sql`(${`REG-${String(n).padStart(8, '0')}`}, ${key}, ${category}, ${OUTREACH_PRIORITY[category]}, ${pick(DISTRICTS)}, ${day('2024-01-01', 3 * 365)})`,
      );
      // a third of the registry has been trained before: one to three subsidies, some in cookery
      if (random() < 0.33)
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
          const start = day('2023-01-01', 3 * 365);
          records.push(
            Prisma.sql`(${`${key}:${k}`}, ${key}, 'TRAINING', ${`OLD-${n}-${k}`}, ${random() < 0.1 ? COOK : pick(occupations)}, 'LEVEL_5', ${start}, ${addDays(start, 20)}, ${random() < 0.9 ? 'PAID' : 'RESERVED'})`,
          );
        }
    }
    await db.$executeRaw`INSERT INTO "Person" ("personKey", "idNumberEnc", "nameEnc", "birthDate", "sex") VALUES ${Prisma.join(people)}`;
    await db.$executeRaw`INSERT INTO "Registrant" ("id", "personKey", "category", "priority", "district", "registeredOn") VALUES ${Prisma.join(registrants)}`;
    if (records.length)
      await db.$executeRaw`INSERT INTO "SubsidyRecord" ("id", "personKey", "kind", "classId", "occupationCode", "level", "periodStart", "periodEnd", "status") VALUES ${Prisma.join(records)}`;
  }
  await db.$executeRawUnsafe('ANALYZE');
  const seedSeconds = (Date.now() - began) / 1000;

  const start = addDays(new Date().toISOString().slice(0, 10), 20);
  const c: ClassRef = {
    id: 'BENCH-CLASS',
    institutionId: 'inst-sjz-01',
    assessmentBodyId: 'assess-sjz-01',
    stage: 'ENROLLING',
    district: '长安区',
    policyVersionId: 'hebei-2024',
    plan: {
      title: '中式烹调师（五级）',
      occupationCode: COOK,
      level: 'LEVEL_5',
      plannedStart: start,
      plannedEnd: addDays(start, 20),
      classHours: 80,
      capacity: 50,
      venue: 'bench',
      teachers: ['bench'],
      fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
      commitment: false,
      courseTable: [],
      assessmentBodyId: 'assess-sjz-01',
      plannedAssessmentDate: addDays(start, 23),
    },
  };
  const deps = { db } as unknown as AppDeps;
  const timed = async (opts: { district?: string; cursor?: string }) => {
    const t0 = performance.now();
    const page = await candidatesOf(deps, c, { ...opts, limit: 20 });
    return { ms: performance.now() - t0, page };
  };
  const scenarios: Record<string, ReturnType<typeof stats> & { shown: number }> = {};
  for (const [label, district] of [
    ['city', undefined],
    ['district', '桥西区'],
  ] as const) {
    const first = await timed({ district });
    const later = await timed({ district, cursor: first.page.next ?? undefined });
    for (let w = 0; w < 3; w++) await timed({ district });
    const firsts: number[] = [];
    const laters: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      firsts.push((await timed({ district })).ms);
      laters.push((await timed({ district, cursor: later.page.next ?? undefined })).ms);
    }
    scenarios[`${label}-first-page`] = { ...stats(firsts), shown: first.page.rows.length };
    scenarios[`${label}-later-page`] = { ...stats(laters), shown: later.page.rows.length };
  }
  const worst = Math.max(...Object.values(scenarios).map((s) => s.p99));
  const result = {
    bench: 'candidates',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    registrants: REGISTRANTS,
    seedSeconds: Math.round(seedSeconds),
    pageSize: 20,
    targetP99Ms: TARGET_P99_MS,
    scenarios,
    pass: worst <= TARGET_P99_MS,
  };
  fs.mkdirSync(path.dirname(RESULT_FILE), { recursive: true });
  fs.writeFileSync(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `candidates: ${REGISTRANTS} registrants, page of 20 — ${Object.entries(scenarios)
      .map(([k, s]) => `${k} p50 ${s.p50} ms p99 ${s.p99} ms (${s.shown} shown)`)
      .join(', ')}; target p99 ≤ ${TARGET_P99_MS} ms: ${result.pass ? 'met' : 'MISSED'}`,
  );
  await db.$disconnect();
  if (process.env.BENCH_KEEP_DB !== '1')
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  if (!result.pass) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
