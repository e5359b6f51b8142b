// Staff and portal sessions: an httpOnly `sf_session` cookie holding a random token; the Session table keeps
// only its sha-256, with a CSRF token that state-changing requests must echo in `X-CSRF-Token`.
import type { Request, Response } from 'express';
import type { Db } from '../../platform/db';
import type { Principal, UserRole } from '../context';
import { randomToken, sha256 } from './tokens';
import { TtlCache } from './cache';

export const SESSION_COOKIE = 'sf_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 3_600_000;

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  institutionId: string | null;
  disabled: boolean;
}

export function principalOfUser(user: UserRow, extra: Partial<Principal> = {}): Principal {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role as UserRole,
    ...(user.institutionId ? { organisationId: user.institutionId } : {}),
    via: 'session',
    ...extra,
  };
}

export class SessionStore {
  // Each request would otherwise cost one query for its session: a 5-second memo keeps the inbox fast.
  // Logout in this process takes effect at once; in another process within 5 seconds.
  private readonly cache = new TtlCache<Principal & { expiresAt: number }>(5_000, 20_000);
  private readonly recent = new TtlCache<Principal & { expiresAt: number }>(5_000, 20_000);
  constructor(private readonly db: Db) {}

  async create(user: UserRow): Promise<{ token: string; principal: Principal; expiresAt: Date }> {
    const token = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    const id = sha256(token);
    await this.db.session.create({ data: { id, userId: user.id, csrfToken, expiresAt } });
    return { token, principal: principalOfUser(user, { sessionId: id, csrfToken }), expiresAt };
  }

  async find(token: string): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined;
    // The memo is keyed by the token itself (held in memory only): a cached request needs no hash.
    const cached = this.recent.get(token);
    if (cached && cached.expiresAt > Date.now() && this.cache.get(cached.sessionId!) === cached)
      return cached;
    const id = sha256(token);
    const row = await this.db.session.findUnique({ where: { id }, include: { user: true } });
    if (!row || row.expiresAt.getTime() <= Date.now() || row.user.disabled) return undefined;
    const principal = {
      ...principalOfUser(row.user, { sessionId: id, csrfToken: row.csrfToken }),
      expiresAt: row.expiresAt.getTime(),
    };
    this.cache.set(id, principal);
    this.recent.set(token, principal);
    return principal;
  }

  async destroy(sessionId: string): Promise<void> {
    this.cache.delete(sessionId);
    await this.db.session.deleteMany({ where: { id: sessionId } });
  }

  forgetUser(userId: string): void {
    this.cache.deleteWhere((p) => p.userId === userId);
  }
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // Served over TLS (settings.tls, set by createApp) or this request came over TLS (a trusted proxy says so).
    secure: req.secure || req.app.locals.tls === true,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
