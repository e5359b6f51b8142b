/**
 * Resident ID numbers (居民身份证号, GB 11643-1999) and names, for real-name management (实名制).
 * DOMAIN.md "Actors": 6-digit area code, 8-digit birth date, 3-digit sequence (odd = male),
 * check character = Σ(digit × weight) mod 11 mapped to '10X98765432'.
 */
import { isIsoDate } from './dates';
import { fail, ok, violation, type Result, type RuleViolation } from './rules';
import { unsafeCharacterIn, unsafeTextViolation } from './text';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** GB 11643 check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

export interface ParsedId {
  idNumber: string;
  areaCode: string;
  birthDate: string;
  sex: 'M' | 'F';
}

/** Trims, upper-cases a final x, then checks format, birth date and check character. */
export function parseIdNumber(raw: string): Result<ParsedId> {
  const idNumber = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return fail(
      violation(
        'ID_FORMAT',
        '身份证号码格式不正确：应为18位，前17位为数字，最后一位为数字或X',
        'The ID number must have 18 characters: 17 digits and a final digit or X',
        'idNumber',
      ),
    );
  }
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isIsoDate(birthDate) || Number(idNumber.slice(6, 10)) < 1900) {
    return fail(
      violation(
        'ID_BIRTH_DATE',
        `身份证号码中的出生日期无效（${birthDate}）`,
        `The birth date in the ID number is not a real date (${birthDate})`,
        'idNumber',
      ),
    );
  }
  const expected = checkCharacter(idNumber.slice(0, 17));
  if (idNumber[17] !== expected) {
    return fail(
      violation(
        'ID_CHECK_DIGIT',
        '身份证号码校验位错误，请核对号码',
        'The ID number check character is wrong; please re-check the number',
        'idNumber',
      ),
    );
  }
  const sequenceDigit = Number(idNumber[16]);
  return ok({
    idNumber,
    areaCode: idNumber.slice(0, 6),
    birthDate,
    sex: sequenceDigit % 2 === 1 ? 'M' : 'F',
  });
}

/** The canonical written form: trimmed, inner spaces removed, final x upper-cased, full-width digits folded. */
export function normaliseIdNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * Builds a valid ID number: for tests and demonstration data only (never for real people).
 * seq 0..999 is the 3-digit sequence; its last digit decides the sex (odd = male).
 */
export function makeIdNumber(areaCode: string, birthDate: string, seq: number): string {
  if (!/^\d{6}$/.test(areaCode)) throw new RangeError(`area code must be 6 digits: ${areaCode}`);
  if (!isIsoDate(birthDate)) throw new RangeError(`not a birth date: ${birthDate}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 999) throw new RangeError(`sequence must be 0..999: ${seq}`);
  const first17 = `${areaCode}${birthDate.replace(/-/g, '')}${seq.toString().padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** Completed years of age on a date; someone born on 02-29 turns a year older on 03-01 in common years. */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  const hadBirthday = onDate.slice(5) >= birthDate.slice(5);
  return hadBirthday ? years : years - 1;
}

export interface AgeLimits {
  min: number;
  maxMale: number;
  maxFemale: number;
}

/** DOMAIN.md "Who may be subsidised": working age 16–60 (men) / 16–55 (women) by default. */
export const DEFAULT_AGE_LIMITS: AgeLimits = { min: 16, maxMale: 60, maxFemale: 55 };

/**
 * Working age on a date (DOMAIN.md: "status is judged as it is when training starts", so pass the class
 * start). A person qualifies from the min-th birthday until the day before the birthday on which they reach
 * the retirement age (达到法定退休年龄): a man is eligible at 59 years and 364 days, not on his 60th birthday.
 * The limits are a policy setting (the 2025 retirement-age reform raises them step by step).
 */
export function checkWorkingAge(
  parsed: Pick<ParsedId, 'birthDate' | 'sex'>,
  onDate: string,
  limits: AgeLimits,
): RuleViolation | null {
  const age = ageOn(parsed.birthDate, onDate);
  const max = parsed.sex === 'M' ? limits.maxMale : limits.maxFemale;
  if (age >= limits.min && age < max) return null;
  const sexZh = parsed.sex === 'M' ? '男性' : '女性';
  const sexEn = parsed.sex === 'M' ? 'men' : 'women';
  return violation(
    'AGE_OUT_OF_RANGE',
    `开班时年龄${age}周岁，不在劳动年龄范围内（${sexZh}须年满${limits.min}周岁且未满${max}周岁）`,
    `Aged ${age} at class start, outside working age (${sexEn}: at least ${limits.min} and under ${max})`,
    'birthDate',
  );
}

/** Keep names comparable: NFKC, trimmed, inner whitespace collapsed, middle dots unified for minority names. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*[·•・.‧∙⋅]\s*/g, '·');
}

const MAX_NAME_LENGTH = 30;

/**
 * A person's name as an ID card prints it: letters of any script (incl. 〇), the middle dot of minority
 * names, and the space, hyphen and apostrophe of names in Latin letters, starting with a letter. So markup
 * (`<b>`) and spreadsheet formulas (`=HYPERLINK(…)`) can never be a name, and nothing invisible either.
 */
const NAME_CHARACTERS = /^[\p{L}\p{M}〇][\p{L}\p{M}〇 ·'’-]*$/u;

export function validateName(name: string): RuleViolation | null {
  // Checked before normalising: NFKC and whitespace folding would hide a newline or turn it into a space.
  const unsafe = unsafeCharacterIn(name);
  if (unsafe) return { ...unsafeTextViolation(unsafe, 'name'), code: 'NAME_INVALID' };
  const normalised = normaliseName(name);
  if (normalised.length === 0)
    return violation('NAME_INVALID', '姓名不能为空', 'The name must not be empty', 'name');
  if ([...normalised].length > MAX_NAME_LENGTH) {
    return violation(
      'NAME_INVALID',
      `姓名不能超过${MAX_NAME_LENGTH}个字符`,
      `The name must not exceed ${MAX_NAME_LENGTH} characters`,
      'name',
    );
  }
  if (/\p{N}/u.test(normalised.replace(/〇/g, ''))) {
    return violation('NAME_INVALID', '姓名不能包含数字', 'The name must not contain digits', 'name');
  }
  if (!NAME_CHARACTERS.test(normalised)) {
    return violation(
      'NAME_INVALID',
      '姓名只能由文字、间隔号“·”、空格、连字符或撇号组成',
      'A name may contain only letters, the middle dot ·, spaces, hyphens and apostrophes',
      'name',
    );
  }
  return null;
}
