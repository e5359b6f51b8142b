// Payload codec: every workflow input, result, Update and Query payload is AES-256-GCM encrypted before it
// reaches the Temporal server, so neither the server nor its UI holds personal data in clear (DESIGN.md §5).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { keyFromEnv } from '../domain/pii';

const ENCODING = 'binary/encrypted';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  private readonly key: Buffer;
  constructor(
    key: string,
    private readonly keyId = 'k1',
  ) {
    this.key = keyFromEnv(key, 'SKILLFLOW_PAYLOAD_KEY');
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const plain = Buffer.from(encodePayload(payload));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encoder.encode(ENCODING),
          'encryption-key-id': encoder.encode(this.keyId),
        },
        data: Buffer.concat([iv, cipher.getAuthTag(), body]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCODING || !payload.data) return payload;
      const data = Buffer.from(payload.data);
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      return decodePayload(plain);
    });
  }
}

// A payload is { metadata: Record<string, Uint8Array>, data: Uint8Array }: store it as JSON with base64 fields.
function encodePayload(payload: Payload): Uint8Array {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {}))
    if (v) metadata[k] = Buffer.from(v).toString('base64');
  return encoder.encode(
    JSON.stringify({ m: metadata, d: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') }),
  );
}

function decodePayload(bytes: Uint8Array): Payload {
  const parsed = JSON.parse(decoder.decode(bytes)) as { m: Record<string, string>; d: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(parsed.m)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(parsed.d, 'base64')) };
}
