// 留痕: staff actions outside the workflows that a bureau must be able to account for, in the AccessAudit
// table (who, when, what, why). Never the personal data itself.
import type { Request } from 'express';
import type { Prisma } from '@prisma/client';
import { randomUUID } from 'node:crypto';
import type { Principal } from './context';

/**
 * BANK_ACCOUNT_CORRECTED and PII_REVEALED: a staff member's action. ROSTER_NAME_DIFFERS: an institution enrolled
 * a registered ID number under another name than the registered one (实名制 follow-up for the bureau; the
 * institution is not told, api/roster.ts).
 */
export type AccessAction =
  | 'BANK_ACCOUNT_CORRECTED'
  | 'PII_REVEALED'
  | 'ROSTER_NAME_DIFFERS'
  /** an administrator changed a user's name or disabled/enabled the account */
  | 'USER_CHANGED'
  /** an administrator set a user's password (the user's sessions end) */
  | 'PASSWORD_RESET'
  /** someone downloaded a document of a case (a contract, a social-insurance proof: personal documents) */
  | 'ATTACHMENT_OPENED'
  /** a staff member looked up a person's lifelong training record (subject: the person's pseudonymous key) */
  | 'PERSON_RECORD_VIEWED';

export function accessAudit(
  req: Request,
  principal: Principal,
  action: AccessAction,
  subject: string,
  extra: { reason?: string; detail?: Record<string, unknown> } = {},
): Prisma.AccessAuditCreateArgs {
  return {
    data: {
      id: randomUUID(),
      userId: principal.userId,
      action,
      subject,
      reason: extra.reason ?? null,
      requestId: req.id ?? null,
      detail: extra.detail ? JSON.stringify(extra.detail) : null,
    },
  };
}
