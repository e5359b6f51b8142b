// 承训机构 and 评价机构, the payees: finance reads them to check a payee and corrects a bank account a transfer
// keeps failing on; every correction is logged with who, which institution and why (the account number itself
// is not logged).
import { z } from 'zod';
import type { Api } from '../../http';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { BankAccountBody } from '../../schemas';
import { BankAccountCorrected, InstitutionRowSchema, page } from '../../responses';
import { problems } from '../../problem';
import { accessAudit } from '../../audit';

export function institutionAdminRoutes(api: Api) {
  const institutionSort: Sortable = {
    id: { column: 'id', type: 'string' },
    name: { column: 'name', type: 'string' },
  };
  api.get(
    '/admin/institutions',
    {
      tag: 'admin',
      summary: '机构 Training institutions and assessment bodies (payees)',
      access: ['ADMIN', 'FINANCE'],
      query: z.object({ ...listQueryShape, kind: z.enum(['TRAINING', 'ASSESSMENT']).optional() }),
      responses: { 200: { description: 'A page of institutions', schema: page(InstitutionRowSchema) } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, institutionSort, 'id');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.institution.findMany({
        where: { AND: [ks.where, query.kind ? { kind: query.kind } : {}] },
        orderBy: ks.orderBy as never,
        take: ks.take,
        select: {
          id: true,
          name: true,
          kind: true,
          district: true,
          creditCode: true,
          bankAccount: true,
          validFrom: true,
          validTo: true,
        },
      });
      return {
        json: pageOf(
          rows.map((r) => ({ ...r, kind: r.kind as 'TRAINING' | 'ASSESSMENT' })),
          plan,
          (r) => r[plan.field.column as 'id' | 'name'],
        ),
      };
    },
  );
  api.post(
    '/admin/institutions/:id/bank-account',
    {
      tag: 'admin',
      summary: '更正收款账户 Correct an institution’s bank account',
      description:
        'For a transfer the bank keeps refusing: correct the account, then approve the batch again (its CORRECT_PAYMENT task). Later transfers read the corrected account.',
      access: ['ADMIN', 'FINANCE'],
      body: BankAccountBody,
      responses: { 200: { description: 'Corrected (and logged)', schema: BankAccountCorrected } },
      refusals: { 409: 'the new account is the old one' },
    },
    async ({ params, body, deps, principal, req }) => {
      const org = await deps.db.institution.findUnique({ where: { id: params.id! } });
      if (!org) throw problems.notFound({ zh: '机构不存在', en: 'No such institution' });
      const bankAccount = body.bankAccount.replace(/\s/g, '');
      if (bankAccount === org.bankAccount.replace(/\s/g, ''))
        throw problems.conflict('BANK_ACCOUNT_UNCHANGED', {
          zh: '新账号与原账号相同',
          en: 'The new account is the same as the old one',
        });
      const last4 = (v: string) => `…${v.slice(-4)}`;
      // The correction and its record land together or not at all.
      await deps.db.$transaction([
        deps.db.institution.update({ where: { id: org.id }, data: { bankAccount } }),
        deps.db.accessAudit.create(
          accessAudit(req, principal!, 'BANK_ACCOUNT_CORRECTED', org.id, {
            reason: body.reason,
            detail: { from: last4(org.bankAccount.replace(/\s/g, '')), to: last4(bankAccount) },
          }),
        ),
      ]);
      return { json: { id: org.id, bankAccount } };
    },
  );
}
