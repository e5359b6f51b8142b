// Random tokens and their hashes at rest (sessions, CSRF, API keys).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/** Short, readable, unambiguous id part (no 0/o/1/l): for key prefixes and generated ids. */
export function readableId(length = 8, seed?: string): string {
  // From a seed: the same id for the same seed (a request run again under its Idempotency-Key).
  const bytes = seed === undefined ? randomBytes(length) : createHash('sha256').update(seed, 'utf8').digest();
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
