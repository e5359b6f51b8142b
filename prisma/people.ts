// Made-up trainees for the demo, tests and benchmarks: valid resident ID numbers (GB 11643) and names,
// registered in the read model the way the API does it (person key = HMAC; number and name encrypted).
import type { Db } from '../platform/db';
import { makeIdNumber, parseIdNumber } from '../domain/identity';
import { encryptField, personKey } from '../domain/pii';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';

export interface MadeUpPerson {
  idNumber: string;
  name: string;
  personKey: string;
}

export interface PersonKeys {
  piiKey: Buffer;
  personKeySecret: string;
}

/** Person number n, always the same: born 1980–1999, a Shijiazhuang area code. */
export function madeUpPerson(n: number, secret: string): MadeUpPerson {
  const idNumber = makeIdNumber('130102', `19${80 + (n % 20)}-0${1 + (n % 9)}-1${n % 9}`, n % 1000);
  const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 3) % GIVEN.length]}${n % 2 ? GIVEN[(n * 7) % GIVEN.length] : ''}`;
  return { idNumber, name, personKey: personKey(idNumber, secret) };
}

export async function registerPeople(
  db: Db,
  keys: PersonKeys,
  from: number,
  count: number,
): Promise<MadeUpPerson[]> {
  const people: MadeUpPerson[] = [];
  for (let n = from; n < from + count; n++) {
    const person = madeUpPerson(n, keys.personKeySecret);
    const parsed = parseIdNumber(person.idNumber);
    if (!parsed.ok) throw new Error(`made-up ID number ${n} is invalid`);
    await db.person.upsert({
      where: { personKey: person.personKey },
      update: {},
      create: {
        personKey: person.personKey,
        idNumberEnc: encryptField(person.idNumber, keys.piiKey),
        nameEnc: encryptField(person.name, keys.piiKey),
        birthDate: parsed.value.birthDate,
        sex: parsed.value.sex,
      },
    });
    people.push(person);
  }
  return people;
}
