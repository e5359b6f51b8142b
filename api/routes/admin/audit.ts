// 留痕: the access audit of staff actions on payees and personal data (bank-account corrections, revealed
// ID numbers), newest first, each naming the user who acted.
import { z } from 'zod';
import type { Api } from '../../http';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { AccessAuditRowSchema, page } from '../../responses';
import { actorNames } from '../../timeline';

export function auditRoutes(api: Api) {
  const auditSort: Sortable = { at: { column: 'at', type: 'date' }, id: { column: 'id', type: 'string' } };
  api.get(
    '/admin/audit',
    {
      tag: 'admin',
      summary: '留痕 Staff actions on payees and personal data',
      description: 'Newest first. Filters: action, subject (institution or class id), userId.',
      access: ['ADMIN', 'MANAGER'],
      query: z.object({
        ...listQueryShape,
        action: z
          .enum([
            'BANK_ACCOUNT_CORRECTED',
            'PII_REVEALED',
            'ROSTER_NAME_DIFFERS',
            'USER_CHANGED',
            'PASSWORD_RESET',
          ])
          .optional(),
        subject: z.string().max(160).optional(),
        userId: z.string().max(160).optional(),
      }),
      responses: { 200: { description: 'A page of audit rows', schema: page(AccessAuditRowSchema) } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, auditSort, '-at');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.accessAudit.findMany({
        where: {
          AND: [
            ks.where,
            query.action ? { action: query.action } : {},
            query.subject ? { subject: query.subject } : {},
            query.userId ? { userId: query.userId } : {},
          ],
        },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const names = await actorNames(
        deps.db,
        rows.map((r) => r.userId),
      );
      return {
        json: pageOf(
          rows.map((r) => ({
            ...r,
            userName: names.get(r.userId) ?? null,
            detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
          })),
          plan,
          (r) => (plan.field.column === 'at' ? r.at : r.id),
        ),
      };
    },
  );
}
