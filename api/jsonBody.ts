// JSON request bodies, bounded before anything reads them (docs/api.md "Limits"): at most 1 MB, UTF-8 only and
// strictly decoded, at most 32 levels of nesting and 20,000 object keys. The raw bytes are checked in one pass
// before JSON.parse, so a hostile body never becomes a deep object that a handler, zod or the idempotency
// store (JSON.stringify recurses) could overflow the stack on.
import express from 'express';
import type { IncomingMessage } from 'node:http';
import { Problem, problems } from './problem';

export const JSON_LIMITS = {
  /** body-parser's limit, after any Content-Encoding is undone */
  bytes: '1mb',
  /**
   * Nested objects and arrays, the outermost counting 1. The deepest real request is 5
   * (`{ lessons: [{ entries: [{…}] }] }`); policy documents reach 3.
   */
  depth: 32,
  /**
   * Object keys in the whole body. The largest real requests stay below 10,000: a 1,000-row roster with
   * exclusions is about 7,000 keys, a 1,000-lesson course table 7,000, a class's full attendance
   * (60 lessons × 50 trainees) about 9,000.
   */
  keys: 20_000,
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Refuses what JSON.parse must never see; runs as body-parser's `verify`, on the raw bytes. */
export function checkJsonBytes(buf: Buffer, charset: string | undefined): void {
  const cs = (charset ?? 'utf-8').toLowerCase();
  // RFC 8259 §8.1: JSON exchanged between systems is UTF-8; the byte scan below relies on it too.
  if (cs !== 'utf-8' && cs !== 'utf8')
    throw new Problem(415, 'UNSUPPORTED_CHARSET', {
      zh: 'JSON请求体须使用UTF-8编码',
      en: 'JSON bodies must be encoded as UTF-8',
    });
  try {
    utf8.decode(buf);
  } catch {
    throw problems.badRequest('INVALID_UTF8', {
      zh: '请求体含有无效的UTF-8字节',
      en: 'The body contains bytes that are not valid UTF-8',
    });
  }
  // Brackets and colons inside strings do not count; UTF-8 multi-byte sequences never contain ASCII bytes.
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      // A backslash escapes the next byte (`\"` does not end the string).
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > JSON_LIMITS.depth)
        throw problems.badRequest('JSON_TOO_DEEP', {
          zh: `JSON嵌套不得超过${JSON_LIMITS.depth}层`,
          en: `JSON may nest at most ${JSON_LIMITS.depth} levels deep`,
        });
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x3a && ++keys > JSON_LIMITS.keys)
      throw problems.badRequest('JSON_TOO_MANY_KEYS', {
        zh: `JSON对象的键总数不得超过${JSON_LIMITS.keys}个`,
        en: `JSON may carry at most ${JSON_LIMITS.keys} object keys`,
      });
  }
}

/**
 * express.json with the checks above. body-parser hands `verify`'s error on with its own status when it has
 * one (our Problem's 400/415), so errorHandler answers it as problem+json. GETs and HEADs carry no body: the
 * parser is skipped for them (the inbox is read far more than written).
 */
export function jsonBody(): express.RequestHandler {
  const parser = express.json({
    limit: JSON_LIMITS.bytes,
    type: ['application/json', 'application/*+json'],
    verify: (_req: IncomingMessage, _res, buf: Buffer, charset: string) => checkJsonBytes(buf, charset),
  });
  return (req, res, next) =>
    req.method === 'GET' || req.method === 'HEAD' ? next() : parser(req, res, next);
}
