// 留痕: the access audit of staff actions on payees and personal data (bank-account corrections, revealed
// ID numbers), newest first, each naming the user who acted.
import { z } from 'zod';
import type { Api } from '../../http';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { AccessAuditRowSchema, page } from '../../responses';
import { actorNames } from '../../timeline';
import { EXPORT_MAX_ROWS, refuseTooMany, sheetReply, writeSheet, XLSX, type SheetColumn } from '../../sheets';
import type { AccessAudit, Prisma } from '@prisma/client';
import { AUDIT_ACTION_NAMES } from '../../../domain/audit';
import { deadlineText } from '../../../domain/dates';
import { spreadsheetText } from '../../../domain/text';

const AuditQuery = z.object({
  ...listQueryShape,
  action: z.enum(Object.keys(AUDIT_ACTION_NAMES) as [string, ...string[]]).optional(),
  subject: z.string().max(160).optional(),
  userId: z.string().max(160).optional(),
});
const auditFilters = (query: z.output<typeof AuditQuery>): Prisma.AccessAuditWhereInput => ({
  AND: [
    query.action ? { action: query.action } : {},
    query.subject ? { subject: query.subject } : {},
    query.userId ? { userId: query.userId } : {},
  ],
});

type AuditRow = { row: AccessAudit; names: ReadonlyMap<string, string> };
const COLUMNS: SheetColumn<AuditRow>[] = [
  { header: '时间', en: 'When', width: 18, cell: ({ row }) => deadlineText(row.at.toISOString()) },
  {
    header: '操作人',
    en: 'By',
    width: 18,
    cell: ({ row, names }) => spreadsheetText(names.get(row.userId) ?? row.userId),
  },
  {
    header: '事项',
    en: 'Action',
    width: 22,
    cell: ({ row }) => AUDIT_ACTION_NAMES[row.action]?.zh ?? row.action,
  },
  {
    header: '对象',
    en: 'Subject',
    width: 30,
    cell: ({ row, names }) => spreadsheetText(names.get(row.subject) ?? row.subject),
  },
  { header: '依据', en: 'Basis', width: 36, cell: ({ row }) => spreadsheetText(row.reason ?? '') },
  {
    header: '请求编号',
    en: 'Request id',
    width: 38,
    cell: ({ row }) => spreadsheetText(row.requestId ?? ''),
  },
];

export function auditRoutes(api: Api) {
  const auditSort: Sortable = { at: { column: 'at', type: 'date' }, id: { column: 'id', type: 'string' } };
  api.get(
    '/admin/audit/export',
    {
      tag: 'admin',
      summary: '留痕导出 The audit rows a search finds, as a spreadsheet (xlsx)',
      description: `The same filters as GET /admin/audit, newest first: when, who (by name), the action in words, the subject (an institution by name), the basis given, the request id. At most ${EXPORT_MAX_ROWS} rows: a search that finds more is refused; narrow it.`,
      access: ['ADMIN', 'MANAGER'],
      query: AuditQuery,
      responses: { 200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX } },
      refusals: { 422: `more than ${EXPORT_MAX_ROWS} rows match (TOO_MANY_ROWS)` },
    },
    async ({ query, deps }) => {
      const where = auditFilters(query);
      refuseTooMany(await deps.db.accessAudit.count({ where }), { zh: '条留痕', en: 'audit rows' }, 'action');
      const rows = await deps.db.accessAudit.findMany({
        where,
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: EXPORT_MAX_ROWS,
      });
      const names = await actorNames(deps.db, [...rows.map((r) => r.userId), ...rows.map((r) => r.subject)]);
      return sheetReply(
        await writeSheet(
          '留痕',
          COLUMNS,
          rows.map((row) => ({ row, names })),
        ),
        'audit',
      );
    },
  );
  api.get(
    '/admin/audit',
    {
      tag: 'admin',
      summary: '留痕 Staff actions on payees and personal data',
      description: 'Newest first. Filters: action, subject (institution or class id), userId.',
      access: ['ADMIN', 'MANAGER'],
      query: AuditQuery,
      responses: { 200: { description: 'A page of audit rows', schema: page(AccessAuditRowSchema) } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, auditSort, '-at');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.accessAudit.findMany({
        where: { AND: [ks.where, auditFilters(query)] },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const names = await actorNames(deps.db, [...rows.map((r) => r.userId), ...rows.map((r) => r.subject)]);
      return {
        json: pageOf(
          rows.map((r) => ({
            ...r,
            userName: names.get(r.userId) ?? null,
            subjectName: names.get(r.subject) ?? null,
            detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
          })),
          plan,
          (r) => (plan.field.column === 'at' ? r.at : r.id),
        ),
      };
    },
  );
}
