/**
 * Text that people and machines read back (case pages, public notices, exports, logs) is safe by
 * construction: what could make it say something else than it shows is refused at the door, everything
 * else is stored as given and escaped where it is shown (React renders text, exports neutralise formulas).
 *
 * Refused everywhere: control characters (C0, DEL, C1; a free-text field keeps tab and newlines),
 * bidirectional-text controls (a U+202E turns "gnp.exe" around on screen) and invisible characters
 * (zero-width spaces and joiners, word joiner, BOM, soft hyphen, tag characters) that make two texts look
 * the same while they differ. Lone surrogates are not text at all.
 */
import { violation, type RuleViolation } from './rules';

export type UnsafeKind = 'CONTROL' | 'BIDI' | 'INVISIBLE' | 'SURROGATE';

export interface UnsafeCharacter {
  kind: UnsafeKind;
  /** the code point as people write it, e.g. U+202E */
  codePoint: string;
  /** where it is: the n-th character of the text, counting from 1 */
  position: number;
}

export interface TextRule {
  /** free text with lines: tab, line feed and carriage return are allowed */
  lines?: boolean;
}

/** Bidi controls: ALM, LRM/RLM, embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI). */
const isBidi = (cp: number) =>
  cp === 0x061c ||
  cp === 0x200e ||
  cp === 0x200f ||
  (cp >= 0x202a && cp <= 0x202e) ||
  (cp >= 0x2066 && cp <= 0x2069);

/**
 * Invisible: zero-width space/non-joiner/joiner, word joiner and invisible operators, BOM, soft hyphen,
 * Mongolian vowel separator, line/paragraph separators, deprecated format controls, interlinear annotation
 * marks, tag characters.
 */
const isInvisible = (cp: number) =>
  cp === 0x00ad ||
  cp === 0x180e ||
  (cp >= 0x200b && cp <= 0x200d) ||
  cp === 0x2028 ||
  cp === 0x2029 ||
  (cp >= 0x2060 && cp <= 0x2064) ||
  (cp >= 0x206a && cp <= 0x206f) ||
  cp === 0xfeff ||
  (cp >= 0xfff9 && cp <= 0xfffb) ||
  (cp >= 0xe0000 && cp <= 0xe007f);

/** C0, DEL and C1; free text with lines keeps tab, line feed and carriage return. */
const isControl = (cp: number, lines: boolean) =>
  (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) && !(lines && (cp === 0x09 || cp === 0x0a || cp === 0x0d));

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;

/** The first character the rule refuses, or undefined when the text is safe to store and show. */
export function unsafeCharacterIn(text: string, rule: TextRule = {}): UnsafeCharacter | undefined {
  const lines = rule.lines === true;
  let position = 0;
  for (let i = 0; i < text.length;) {
    position += 1;
    const cp = text.codePointAt(i)!;
    // codePointAt pairs a well-formed surrogate pair; a surrogate left over is a lone one.
    const kind: UnsafeKind | undefined = isSurrogate(cp)
      ? 'SURROGATE'
      : isBidi(cp)
        ? 'BIDI'
        : isInvisible(cp)
          ? 'INVISIBLE'
          : isControl(cp, lines)
            ? 'CONTROL'
            : undefined;
    if (kind) return { kind, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, position };
    i += cp > 0xffff ? 2 : 1;
  }
  return undefined;
}

const KIND_TEXT: Record<UnsafeKind, { zh: string; en: string }> = {
  CONTROL: { zh: '控制字符', en: 'a control character' },
  BIDI: { zh: '文字方向控制符', en: 'a text-direction (bidi) control' },
  INVISIBLE: { zh: '不可见字符', en: 'an invisible character' },
  SURROGATE: { zh: '无效的Unicode代理项', en: 'an invalid Unicode surrogate' },
};

/** The field error for unsafe text: which character, what it is, where (zh + en). */
export function unsafeTextViolation(found: UnsafeCharacter, field?: string): RuleViolation {
  const kind = KIND_TEXT[found.kind];
  return violation(
    'TEXT_UNSAFE_CHARACTER',
    `含有不允许的${kind.zh}（${found.codePoint}，第${found.position}个字符）`,
    `contains ${kind.en} (${found.codePoint} at position ${found.position}), which is not allowed`,
    field,
  );
}

/** null when the text is safe; otherwise the violation naming the field. */
export function checkText(text: string, field?: string, rule: TextRule = {}): RuleViolation | null {
  const found = unsafeCharacterIn(text, rule);
  return found ? unsafeTextViolation(found, field) : null;
}

/**
 * A spreadsheet cell that cannot run as a formula (OWASP "CSV injection"): a text starting with
 * = + - @, a tab or a carriage return gets a leading apostrophe, which Excel and LibreOffice show as text.
 * For cells a person opens in a spreadsheet; numbers written by the program itself need no guard.
 */
export function spreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
