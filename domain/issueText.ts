/**
 * A zod issue in Chinese and in English, so every refusal can be answered in the caller's language.
 * Schemas write their own messages as "中文 | English"; zod's built-in messages come from its zh-CN and en
 * locales, chosen per answer (never by changing zod's global configuration).
 */
import { z } from 'zod';

export interface Bilingual {
  zh: string;
  en: string;
}

const SEPARATOR = ' | ';
const CJK = /[\u3400-\u9fff]/;
const zhLocale = z.locales.zhCN().localeError;
const enLocale = z.locales.en().localeError;

/** A schema message in both languages: `bilingual('日期格式须为YYYY-MM-DD', 'a date YYYY-MM-DD')`. */
export const bilingual = (zh: string, en: string): string => `${zh}${SEPARATOR}${en}`;

/** "中文 | English" → its halves; undefined for a message in one language. */
export function splitBilingual(message: string): Bilingual | undefined {
  const at = message.indexOf(SEPARATOR);
  if (at < 0) return undefined;
  const zh = message.slice(0, at);
  const en = message.slice(at + SEPARATOR.length);
  return CJK.test(zh) ? { zh, en } : undefined;
}

function localised(locale: typeof zhLocale, issue: z.core.$ZodIssue): string | undefined {
  try {
    const out = locale(issue as never);
    if (typeof out === 'string') return out;
    if (out && typeof out === 'object' && 'message' in out) return String(out.message);
  } catch {
    /* a locale that cannot describe this issue: fall back to the message zod made */
  }
  return undefined;
}

/**
 * The issue's message in both languages. zod's locales describe the received value's type, so parse with
 * `{ reportInput: true }` when the issue is to be worded (the input itself is never shown).
 */
export function issueText(issue: z.core.$ZodIssue): Bilingual {
  const both = splitBilingual(issue.message);
  if (both) return both;
  if (CJK.test(issue.message)) return { zh: issue.message, en: localised(enLocale, issue) ?? issue.message };
  return { zh: localised(zhLocale, issue) ?? issue.message, en: issue.message };
}
