import fc from 'fast-check';
import { fromEpochDay, toEpochDay } from '../../../domain/dates';
import {
  ageOn,
  checkCharacter,
  checkWorkingAge,
  DEFAULT_AGE_LIMITS,
  makeIdNumber,
  normaliseName,
  parseIdNumber,
  validateName,
} from '../../../domain/identity';

describe('resident ID numbers (GB 11643)', () => {
  it('computes the check character of the DOMAIN.md example', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
  });

  it('parses a valid number into area code, birth date and sex (even sequence digit = female)', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', sex: 'F' },
    });
  });

  it('trims spaces and upper-cases a final x', () => {
    const parsed = parseIdNumber(' 11010519491231002x ');
    expect(parsed.ok && parsed.value.idNumber).toBe('11010519491231002X');
  });

  const badBirthDate = (() => {
    const first17 = '110105' + '19900230' + '123';
    return first17 + checkCharacter(first17);
  })();

  it.each([
    ['1101051949123100', 'ID_FORMAT', 'too short'],
    ['A1010519491231002X', 'ID_FORMAT', 'a letter among the digits'],
    ['1101051949123100XX', 'ID_FORMAT', 'X before the last position'],
    [badBirthDate, 'ID_BIRTH_DATE', 'born on 1990-02-30'],
    ['110105194912310021', 'ID_CHECK_DIGIT', 'a wrong check character'],
  ])('refuses %s with %s (%s)', (raw, code) => {
    const parsed = parseIdNumber(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.violations.map((v) => v.code)).toEqual([code]);
      expect(parsed.violations[0]?.field).toBe('idNumber');
    }
  });

  it('builds numbers that parse back to the same birth date and sex (odd sequence = male)', () => {
    const births = fc
      .integer({ min: toEpochDay('1930-01-01'), max: toEpochDay('2020-12-31') })
      .map(fromEpochDay);
    fc.assert(
      fc.property(
        fc.integer({ min: 110000, max: 659999 }),
        births,
        fc.integer({ min: 0, max: 999 }),
        (area, birth, seq) => {
          const parsed = parseIdNumber(makeIdNumber(String(area), birth, seq));
          return (
            parsed.ok && parsed.value.birthDate === birth && parsed.value.sex === (seq % 2 === 1 ? 'M' : 'F')
          );
        },
      ),
    );
  });

  it('refuses to build a number from bad parts', () => {
    expect(() => makeIdNumber('11010', '1990-01-01', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('110105', '1990-02-30', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('110105', '1990-01-01', 1000)).toThrow(RangeError);
  });
});

describe('age', () => {
  it.each([
    ['2000-06-15', '2016-06-14', 15],
    ['2000-06-15', '2016-06-15', 16],
    ['2004-02-29', '2021-02-28', 16],
    ['2004-02-29', '2021-03-01', 17],
  ])('someone born %s is %i on %s in completed years', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it.each([
    ['a man of 59', { birthDate: '1966-03-03', sex: 'M' as const }, null],
    ['a man on his 60th birthday', { birthDate: '1966-03-02', sex: 'M' as const }, 'AGE_OUT_OF_RANGE'],
    ['a woman of 54', { birthDate: '1971-03-03', sex: 'F' as const }, null],
    ['a woman on her 55th birthday', { birthDate: '1971-03-02', sex: 'F' as const }, 'AGE_OUT_OF_RANGE'],
    ['a 16-year-old', { birthDate: '2010-03-02', sex: 'F' as const }, null],
    ['a 15-year-old', { birthDate: '2010-03-03', sex: 'M' as const }, 'AGE_OUT_OF_RANGE'],
  ])('judges %s at a class starting 2026-03-02', (_who, person, code) => {
    expect(checkWorkingAge(person, '2026-03-02', DEFAULT_AGE_LIMITS)?.code ?? null).toBe(code);
  });

  it('follows the limits of the policy version', () => {
    expect(
      checkWorkingAge({ birthDate: '1966-03-02', sex: 'M' }, '2026-03-02', {
        min: 16,
        maxMale: 63,
        maxFemale: 58,
      }),
    ).toBeNull();
  });
});

describe('names', () => {
  it.each([
    ['  张三  ', '张三'],
    ['欧阳  娜娜', '欧阳 娜娜'],
    ['买买提•艾力', '买买提·艾力'],
    ['买买提 . 艾力', '买买提·艾力'],
    ['阿依古丽・买买提', '阿依古丽·买买提'],
    ['ＺＨＡＮＧ　San', 'ZHANG San'],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normaliseName(raw)).toBe(expected);
  });

  it.each([['张三'], ['买买提·艾力'], ['John Smith']])('accepts %p', (name) => {
    expect(validateName(name)).toBeNull();
  });

  it.each([[''], ['   '], ['张'.repeat(31)], ['张三1'], ['张\u0007三']])(
    'refuses %p with NAME_INVALID',
    (name) => {
      expect(validateName(name)).toMatchObject({ code: 'NAME_INVALID', field: 'name' });
    },
  );
});
