// Trainees for tests: valid ID numbers, registered (encrypted) in the read model, returned as applications.
import type { Db } from '../../activities/db';
import { makeIdNumber, parseIdNumber } from '../../domain/identity';
import { encryptField, personKey } from '../../domain/pii';
import type { TraineeCategory } from '../../domain/eligibility';
import type { TraineeApplication } from '../../workflows/messages';

export const TEST_PII_KEY = Buffer.alloc(32, 7);
export const TEST_PERSON_SECRET = 'test-person-secret';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';

export interface TestPerson {
  idNumber: string;
  name: string;
  personKey: string;
}

export async function registerPeople(
  db: Db,
  count: number,
  opts: { from?: number; birthYear?: number } = {},
): Promise<TestPerson[]> {
  const people: TestPerson[] = [];
  for (let i = 0; i < count; i++) {
    const n = (opts.from ?? 0) + i;
    const idNumber = makeIdNumber(
      '130102',
      `${opts.birthYear ?? 1990}-0${1 + (n % 9)}-1${n % 9}`,
      (n * 7) % 1000,
    );
    const parsed = parseIdNumber(idNumber);
    if (!parsed.ok) throw new Error(`bad test id ${idNumber}`);
    const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 3) % GIVEN.length]}${n % 2 ? GIVEN[(n * 5) % GIVEN.length] : ''}`;
    const key = personKey(idNumber, TEST_PERSON_SECRET);
    await db.person.upsert({
      where: { personKey: key },
      update: {},
      create: {
        personKey: key,
        idNumberEnc: encryptField(idNumber, TEST_PII_KEY),
        nameEnc: encryptField(name, TEST_PII_KEY),
        birthDate: parsed.value.birthDate,
        sex: parsed.value.sex,
      },
    });
    people.push({ idNumber, name, personKey: key });
  }
  return people;
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
