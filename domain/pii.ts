/**
 * Protection of personal data (DESIGN.md principle 5). The only domain file that may use node:crypto:
 * never import it from another domain file, because workflow code imports `domain/` inside the Temporal
 * sandbox, which cannot load Node modules. `domain/index.ts` does not re-export it.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { normaliseIdNumber } from './identity';

/**
 * A stable pseudonymous key for a person: hex HMAC-SHA256 of the normalised ID number.
 * Lets history (caps, overlaps) be matched across classes without storing the ID number in clear.
 */
export function personKey(idNumber: string, secret: string): string {
  if (secret.length === 0) throw new Error('personKey needs a non-empty secret');
  return createHmac('sha256', secret).update(normaliseIdNumber(idNumber), 'utf8').digest('hex');
}

const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES)
    throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key, got ${key.length} bytes`);
}

/** AES-256-GCM with a random 12-byte IV: 'v1.' + base64(iv | tag | ciphertext). */
export function encryptField(plain: string, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return VERSION + Buffer.concat([iv, tag, ciphertext]).toString('base64');
}

/** Reverses encryptField; throws when the value was altered or the key is wrong. */
export function decryptField(enc: string, key: Buffer): string {
  assertKey(key);
  if (!enc.startsWith(VERSION)) throw new Error('encrypted field has an unknown format version');
  const raw = Buffer.from(enc.slice(VERSION.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted field is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
}

/**
 * Reads a 32-byte key from an environment value: 64 hex characters or base64 of 32 bytes.
 * `purpose` names the setting in the error, e.g. keyFromEnv(process.env.PII_KEY, 'PII_KEY').
 */
export function keyFromEnv(value: string | undefined, purpose: string): Buffer {
  const text = value?.trim() ?? '';
  if (text === '')
    throw new Error(`${purpose} is not set: provide a 32-byte key as 64 hex characters or base64`);
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) || /^[A-Za-z0-9_-]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === KEY_BYTES) return decoded;
  }
  throw new Error(
    `${purpose} must be a 32-byte key written as 64 hex characters or base64 (e.g. \`openssl rand -base64 32\`)`,
  );
}
