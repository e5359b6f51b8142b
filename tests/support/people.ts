// Trainees for tests: valid ID numbers, registered (encrypted) in the read model, returned as applications.
import type { Db } from '../../platform/db';
import type { TraineeCategory } from '../../domain/eligibility';
import type { TraineeApplication } from '../../workflows/messages';
import { registerPeople as register, type MadeUpPerson } from '../../prisma/people';

export const TEST_PII_KEY = Buffer.alloc(32, 7);
export const TEST_PERSON_SECRET = 'test-person-secret';
export type TestPerson = MadeUpPerson;

export function registerPeople(db: Db, count: number, opts: { from?: number } = {}): Promise<TestPerson[]> {
  return register(db, { piiKey: TEST_PII_KEY, personKeySecret: TEST_PERSON_SECRET }, opts.from ?? 0, count);
}

export function applications(
  people: TestPerson[],
  prefix: string,
  category: TraineeCategory = 'REGISTERED_UNEMPLOYED',
): TraineeApplication[] {
  return people.map((p, i) => ({
    enrollmentId: `${prefix}-E${String(i + 1).padStart(3, '0')}`,
    personKey: p.personKey,
    category,
  }));
}
