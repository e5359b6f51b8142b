/**
 * Masking for public-notice lists (公示). DOMAIN.md §8: names and ID numbers are masked.
 *
 * Names: the first and the last character stay visible, every character between them becomes '*';
 * a two-character name keeps only its first ('张三' → '张*'), a one-character name shows nothing.
 * Minority and transliterated names keep their separators ('·' after normalisation, or a space) so the
 * shape stays readable, and the same rule applies to the letters around them:
 * '买买提·艾力' → '买**·*力', '阿·吉' → '阿·*'.
 */
import { normaliseIdNumber, normaliseName } from './identity';

const SEPARATOR = /^[· ]$/;

export function maskName(name: string): string {
  const chars = [...normaliseName(name)];
  const letterPositions = chars.flatMap((ch, i) => (SEPARATOR.test(ch) ? [] : [i]));
  const count = letterPositions.length;
  const visible = new Set<number>();
  if (count >= 2) visible.add(letterPositions[0] ?? -1);
  if (count >= 3) visible.add(letterPositions[count - 1] ?? -1);
  return chars.map((ch, i) => (SEPARATOR.test(ch) || visible.has(i) ? ch : '*')).join('');
}

/** 18-digit numbers show the first 6 (area code) and the last 4: '110105********002X'. */
export function maskIdNumber(idNumber: string): string {
  const chars = [...normaliseIdNumber(idNumber)];
  const n = chars.length;
  const [head, tail] = n >= 12 ? [6, 4] : n >= 4 ? [1, 1] : [0, 0];
  return chars.map((ch, i) => (i < head || i >= n - tail ? ch : '*')).join('');
}
