/**
 * Rule violations as values (STYLE.md "Domain code": a rule violation is a value, not a thrown string).
 * Every check in `domain/` reports what is wrong with a code the API and UI can key on, the field it
 * concerns, and a message a caseworker (经办人) understands in Chinese and in English.
 */

export interface RuleViolation {
  /** Stable machine code, e.g. 'TRAINING_CAP_REACHED'. */
  code: string;
  /** The input field the violation concerns, when there is one. */
  field?: string;
  zh: string;
  en: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; violations: RuleViolation[] };

export function violation(code: string, zh: string, en: string, field?: string): RuleViolation {
  return field === undefined ? { code, zh, en } : { code, field, zh, en };
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(...violations: RuleViolation[]): Result<T> {
  return { ok: false, violations };
}
