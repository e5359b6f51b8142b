// What every route receives: the app's dependencies and who is calling.
import type { Client } from '@temporalio/client';
import type pino from 'pino';
import type { Db } from '../platform/db';
import type { Settings } from '../platform/config';
import type { Actor } from '../workflows/messages';
import type { AbuseLimits } from './limits';
import { STAFF_ROLES, type UserRole } from './roles';

export { USER_ROLES, STAFF_ROLES, ORGANISATION_ROLES, type UserRole } from './roles';

export interface AppDeps {
  db: Db;
  temporal: Client;
  settings: Settings;
  logger?: pino.Logger;
  /** Dashboard summary memo (ms). A manager's dashboard may be a few seconds old; 0 turns it off. */
  dashboardCacheMs?: number;
  /** Login and objection limits (api/limits.ts LIMITS unless given, e.g. by a fuzz run from one address). */
  limits?: AbuseLimits;
}

export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: UserRole;
  organisationId?: string;
  via: 'session' | 'apiKey';
  sessionId?: string;
  csrfToken?: string;
  apiKeyId?: string;
}

export const isStaff = (p: Principal | undefined) =>
  p !== undefined && (STAFF_ROLES as readonly string[]).includes(p.role);

export function actorOf(p: Principal): Actor {
  return p.organisationId
    ? { userId: p.userId, role: p.role, organisationId: p.organisationId }
    : { userId: p.userId, role: p.role };
}

export const PUBLIC_ACTOR: Actor = { userId: 'public', role: 'PUBLIC' };

/** The region whose policy versions apply to new plans (a city bureau runs one region's policy). */
export const regionOf = () => process.env.SKILLFLOW_REGION ?? '河北省';
/** Class ids read `<prefix>-<year>-<6 digits>`, e.g. SJZ-2026-000042. */
export const classPrefixOf = () => process.env.SKILLFLOW_CLASS_PREFIX ?? 'SJZ';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
