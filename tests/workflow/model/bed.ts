// The model test's beds: a Temporal server and read model with both shipped policies, and two workers — the
// usual one (Hebei region, no advance) and one for Harbin (50 % advance) on its own task queue — so a run can
// mix classes under both policies while they share people and the subsidy history.
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import { SimulatedBank } from '../../../activities/payments';
import type { Db } from '../../../platform/db';
import { HARBIN_2022, HEBEI_2024 } from '../../../domain/policy';
import { addDays, addMonths } from '../../../domain/dates';
import { makeIdNumber, parseIdNumber } from '../../../domain/identity';
import { encryptField, personKey } from '../../../domain/pii';
import { TASK_QUEUE } from '../../../workflows/messages';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestbed, workflowBundle, type Testbed } from '../../support/temporal';
import { createTestDb } from '../../support/db';
import { temporalCliPath } from '../../support/toolchain';
import { DEV_SERVER_FLAGS, registerSearchAttributes } from '../../../worker/searchAttributes';
import { TEST_PERSON_SECRET, TEST_PII_KEY } from '../../support/people';

export type PolicyName = 'hebei' | 'harbin';
export const HARBIN_QUEUE = `${TASK_QUEUE}-harbin`;
export const queueOf = (p: PolicyName) => (p === 'harbin' ? HARBIN_QUEUE : TASK_QUEUE);

export interface ModelBed extends Testbed {
  bank: SimulatedBank;
  /** false on the dev server: workflow time runs at wall-clock speed there */
  timeSkipping: boolean;
}

/**
 * The time-skipping bed (startTestbed) plus a worker for Harbin; or, with `local`, the same on the Temporal dev
 * server. The Java test server loses queries around continue-as-new and then stops skipping time
 * (temporalio/sdk-java#1537, #1539), so plan review, the one stage that continues as new, runs on the dev server.
 */
export async function startModelBed(opts: { local?: boolean } = {}): Promise<ModelBed> {
  let bank!: SimulatedBank;
  const gateway = (db: Db) => (bank = new SimulatedBank(db));
  const bed = opts.local
    ? await startLocalTestbed(gateway)
    : await startTestbed({ policies: [HEBEI_2024, HARBIN_2022], gateway });
  const harbin = await Worker.create({
    connection: bed.env.nativeConnection,
    taskQueue: HARBIN_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db: bed.db, payments: bank, piiKey: TEST_PII_KEY, region: '哈尔滨市' }),
    maxCachedWorkflows: 100,
  });
  const running = harbin.run();
  return {
    ...bed,
    bank,
    timeSkipping: !opts.local,
    async teardown() {
      harbin.shutdown();
      const patience = new Promise((resolve) => setTimeout(resolve, 15_000).unref());
      await Promise.race([running.catch(() => undefined), patience]);
      await bed.teardown();
    },
  };
}

/** startTestbed's twin on the dev server (TestWorkflowEnvironment.createLocal with the cached Temporal CLI). */
async function startLocalTestbed(gateway: (db: Db) => SimulatedBank): Promise<Testbed> {
  const { db, cleanup } = await createTestDb([HEBEI_2024, HARBIN_2022]);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, extraArgs: DEV_SERVER_FLAGS },
  });
  await registerSearchAttributes(env.connection);
  const payments = gateway(db);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db, payments, piiKey: TEST_PII_KEY, region: '河北省' }),
    maxCachedWorkflows: 100,
  });
  const running = worker.run();
  return {
    env,
    db,
    payments,
    async teardown() {
      const patience = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
      worker.shutdown();
      await Promise.race([running.catch(() => undefined), patience(15_000)]);
      await Promise.race([env.teardown().catch(() => undefined), patience(15_000)]);
      await cleanup();
    },
  };
}

export interface ModelPerson {
  personKey: string;
}

let nextPerson = 0;
/**
 * People nobody has seen before: every run gets its own, so runs never share subsidy history. Born 30 years
 * before the (simulated, moving) today, so they stay of working age however far a long run skips time.
 */
export async function freshPeople(db: Db, today: string, count: number): Promise<ModelPerson[]> {
  const people: ModelPerson[] = [];
  while (people.length < count) {
    const n = nextPerson++;
    const birth = addDays(addMonths(today, -360), -Math.floor(n / 20_000));
    const idNumber = makeIdNumber(`1399${String(((n / 1000) % 20) | 0).padStart(2, '0')}`, birth, n % 1000);
    const parsed = parseIdNumber(idNumber);
    if (!parsed.ok) throw new Error(`made-up ID number ${idNumber} is invalid`);
    const key = personKey(idNumber, TEST_PERSON_SECRET);
    if (await db.person.findUnique({ where: { personKey: key } })) continue;
    await db.person.create({
      data: {
        personKey: key,
        idNumberEnc: encryptField(idNumber, TEST_PII_KEY),
        nameEnc: encryptField(`模型学员${n}`, TEST_PII_KEY),
        birthDate: parsed.value.birthDate,
        sex: parsed.value.sex,
      },
    });
    people.push({ personKey: key });
  }
  return people;
}

/** Training subsidies a person already had (other occupations, long ago): 2 leaves her one, 3 none. */
export async function priorSubsidies(db: Db, person: ModelPerson, count: number): Promise<void> {
  const occupations = ['6-31-01-03', '4-10-01-05', '4-14-02-02'];
  for (let i = 0; i < count; i++)
    await db.subsidyRecord.create({
      data: {
        id: `prior:${person.personKey}:${i}`,
        personKey: person.personKey,
        kind: 'TRAINING',
        classId: `PRIOR-${i}`,
        occupationCode: occupations[i]!,
        level: 'LEVEL_5',
        periodStart: `201${i}-03-01`,
        periodEnd: `201${i}-03-20`,
        status: 'PAID',
      },
    });
}
