import { randomBytes } from 'node:crypto';
import { decryptField, encryptField, keyFromEnv, personKey } from '../../../domain/pii';

const key = Buffer.alloc(32, 7);

describe('personKey', () => {
  it('is a stable hex HMAC of the normalised ID number', () => {
    const a = personKey('11010519491231002X', 'secret');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(personKey(' 11010519491231002x', 'secret')).toBe(a);
  });

  it('differs between secrets and between people', () => {
    expect(personKey('11010519491231002X', 'other')).not.toBe(personKey('11010519491231002X', 'secret'));
    expect(personKey('110105194912310037', 'secret')).not.toBe(personKey('11010519491231002X', 'secret'));
  });

  it('refuses an empty secret', () => {
    expect(() => personKey('11010519491231002X', '')).toThrow();
  });
});

describe('field encryption (AES-256-GCM)', () => {
  it('round-trips a value and tags the format version', () => {
    const enc = encryptField('张三丰 11010519491231002X', key);
    expect(enc.startsWith('v1.')).toBe(true);
    expect(decryptField(enc, key)).toBe('张三丰 11010519491231002X');
  });

  it('uses a fresh IV each time', () => {
    expect(encryptField('same', key)).not.toBe(encryptField('same', key));
  });

  it('refuses a tampered value', () => {
    const enc = encryptField('11010519491231002X', key);
    const raw = Buffer.from(enc.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => decryptField('v1.' + raw.toString('base64'), key)).toThrow();
  });

  it('refuses the wrong key, an unknown version and a short key', () => {
    const enc = encryptField('x', key);
    expect(() => decryptField(enc, randomBytes(32))).toThrow();
    expect(() => decryptField('v2.' + enc.slice(3), key)).toThrow(/version/);
    expect(() => encryptField('x', Buffer.alloc(16))).toThrow(/32-byte/);
  });
});

describe('keyFromEnv', () => {
  it('accepts 64 hex characters', () => {
    expect(keyFromEnv('ab'.repeat(32), 'PII_KEY')).toEqual(Buffer.alloc(32, 0xab));
  });

  it('accepts base64 of 32 bytes', () => {
    const bytes = randomBytes(32);
    expect(keyFromEnv(bytes.toString('base64'), 'PII_KEY')).toEqual(bytes);
  });

  it.each([[undefined], [''], ['short'], ['ab'.repeat(31)], [Buffer.alloc(16).toString('base64')]])(
    'refuses %p naming the setting',
    (value) => {
      expect(() => keyFromEnv(value, 'PII_KEY')).toThrow(/PII_KEY/);
    },
  );
});
