// API keys for institutions' and assessment bodies' systems: `Authorization: Bearer sk_<prefix>_<secret>`.
// Only the sha-256 of the secret is stored; the prefix is shown to people; keys are revocable and rotatable.
import type { Db } from '../../platform/db';
import type { Principal } from '../context';
import { readableId, randomToken, sameSecret, sha256 } from './tokens';
import { TtlCache } from './cache';

const KEY_PATTERN = /^sk_([a-z0-9]{8,16})_([A-Za-z0-9_-]{20,100})$/;

export interface IssuedKey {
  id: string;
  prefix: string;
  key: string; // shown once
  institutionId: string;
  label: string;
}

export class ApiKeyStore {
  // Verified keys are memoised for 5 seconds; revoking in this process forgets them at once.
  private readonly cache = new TtlCache<Principal>(5_000, 5_000);
  constructor(private readonly db: Db) {}

  async issue(institutionId: string, label: string): Promise<IssuedKey> {
    const prefix = readableId(8);
    const secret = randomToken(32);
    const id = `key_${readableId(12)}`;
    await this.db.apiKey.create({ data: { id, institutionId, prefix, keyHash: sha256(secret), label } });
    return { id, prefix, key: `sk_${prefix}_${secret}`, institutionId, label };
  }

  async verify(presented: string): Promise<Principal | undefined> {
    const m = KEY_PATTERN.exec(presented);
    if (!m) return undefined;
    const cacheKey = sha256(presented);
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const [, prefix, secret] = m as unknown as [string, string, string];
    const row = await this.db.apiKey.findUnique({ where: { prefix }, include: { institution: true } });
    if (!row || row.revokedAt || !sameSecret(sha256(secret), row.keyHash)) return undefined;
    const principal: Principal = {
      userId: `apikey:${row.id}`,
      username: `sk_${row.prefix}`,
      displayName: `${row.institution.name} (${row.label})`,
      role: row.institution.kind === 'ASSESSMENT' ? 'ASSESSOR' : 'INSTITUTION',
      organisationId: row.institutionId,
      via: 'apiKey',
      apiKeyId: row.id,
    };
    this.cache.set(cacheKey, principal);
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
      void this.db.apiKey
        .update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
        .catch(() => undefined);
    return principal;
  }

  async revoke(id: string): Promise<boolean> {
    const { count } = await this.db.apiKey.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    this.cache.deleteWhere((p) => p.apiKeyId === id);
    return count > 0;
  }

  /** A new key for the same organisation and label; the old one stops working at once. */
  async rotate(id: string): Promise<IssuedKey | undefined> {
    const row = await this.db.apiKey.findUnique({ where: { id } });
    if (!row || row.revokedAt) return undefined;
    const issued = await this.issue(row.institutionId, row.label);
    await this.revoke(id);
    return issued;
  }
}
