// 拨付: payment batches, finance approval through the class workflow, the bank transfer file, and the
// bank's return file (signalled to each batch's class workflow).
import { z } from 'zod';
import type { Api } from '../http';
import { actorOf, type AppDeps, type Principal } from '../context';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import { update, callWorkflow } from '../workflow';
import { Problem, problems, zodProblem } from '../problem';
import { BANK_RETURN_LIMITS, BankReturnFile } from '../schemas';
import { BankReturnAccepted, BatchApproved, BatchPage, BatchPayeesSchema } from '../responses';
import { decodeText, uploadedFile } from '../upload';
import { parseBankReturn } from '../../platform/bankReturn';
import { formatFen } from '../../domain/money';
import { spreadsheetText } from '../../domain/text';
import type { Prisma } from '@prisma/client';
import { paymentsSheet, type PaymentLine } from '../paymentFiles';
import { actorNames } from '../timeline';
import { EXPORT_MAX_ROWS, refuseTooMany, sheetReply, XLSX } from '../sheets';
import { approvePaymentUpdate, bankReturnSignal, type BankReturnLine } from '../../workflows/messages';

const SORTABLE: Sortable = {
  createdAt: { column: 'createdAt', type: 'date' },
  totalFen: { column: 'totalFen', type: 'number' },
  id: { column: 'id', type: 'string' },
};

const BatchQuery = z.object({
  ...listQueryShape,
  status: z
    .string()
    .regex(/^[A-Z_]{1,30}$/)
    .optional(),
  classId: z.string().max(160).optional(),
});
const batchFilters = (query: z.output<typeof BatchQuery>): Prisma.PaymentBatchWhereInput => ({
  AND: [query.status ? { status: query.status } : {}, query.classId ? { classId: query.classId } : {}],
});

/** The payees (institutions) and approvers (users) of some batches by name (the timeline's look-up). */
const namesOf = (
  deps: AppDeps,
  batches: readonly { approvedBy: string | null; payments: { payee: string }[] }[],
) =>
  actorNames(deps.db, [
    ...batches.flatMap((b) => b.payments.map((p) => p.payee)),
    ...batches.flatMap((b) => (b.approvedBy ? [b.approvedBy] : [])),
  ]);

/** A batch id is `<classId>-A` (advance) or `<classId>-S<n>` (settlement). */
const classOfBatch = (batchId: string) => batchId.replace(/-(A|S\d+)$/, '');

/**
 * A text cell of a CSV a person opens in Excel: a leading = + - @ tab or CR is neutralised (OWASP CSV
 * injection, domain/text.ts), then quoted when needed. Amounts are written as numbers, not through here.
 */
function csvCell(value: string): string {
  const safe = spreadsheetText(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function paymentRoutes(api: Api) {
  api.get(
    '/payments/batches',
    {
      tag: 'payments',
      summary: '拨付批次 Payment batches with their payments',
      access: ['FINANCE', 'MANAGER'],
      query: BatchQuery,
      responses: { 200: { description: 'A page of batches', schema: BatchPage } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, SORTABLE, '-createdAt');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.paymentBatch.findMany({
        where: { AND: [ks.where, batchFilters(query)] },
        orderBy: ks.orderBy as never,
        take: ks.take,
        include: { payments: { orderBy: { id: 'asc' } } },
      });
      const page = pageOf(rows, plan, (r) => r[plan.field.column as 'createdAt' | 'totalFen' | 'id']);
      const names = await namesOf(deps, page.items);
      return {
        json: {
          ...page,
          items: page.items.map((b) => ({
            ...b,
            approvedByName: b.approvedBy ? (names.get(b.approvedBy) ?? null) : null,
            payments: b.payments.map((p) => ({ ...p, payeeName: names.get(p.payee) ?? null })),
          })),
        },
      };
    },
  );

  api.get(
    '/payments/export',
    {
      tag: 'payments',
      summary: '拨付导出 The payments of the batches a search finds, as a spreadsheet (xlsx)',
      description: `The same filters and sort as GET /payments/batches, one row per payment with its batch (a batch without payments has one row): batch, class, kind, batch status and total, who approved it, the payee by name, amount, payment status, attempts, bank reference, failure, paid at. No bank accounts. At most ${EXPORT_MAX_ROWS} rows: a search that finds more is refused; narrow it.`,
      access: ['FINANCE', 'MANAGER'],
      query: BatchQuery,
      responses: {
        200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX },
      },
      refusals: { 422: `more than ${EXPORT_MAX_ROWS} payments match (TOO_MANY_ROWS)` },
    },
    async ({ query, deps }) => {
      const where = batchFilters(query);
      const [payments, empty] = await Promise.all([
        deps.db.payment.count({ where: { batch: where } }),
        deps.db.paymentBatch.count({ where: { AND: [where, { payments: { none: {} } }] } }),
      ]);
      refuseTooMany(payments + empty, { zh: '笔拨付', en: 'payments' }, 'status');
      const plan = planList({ ...query, limit: EXPORT_MAX_ROWS, cursor: undefined }, SORTABLE, '-createdAt');
      const batches = await deps.db.paymentBatch.findMany({
        where,
        orderBy: prismaKeyset(plan).orderBy as never,
        take: EXPORT_MAX_ROWS,
        include: { payments: { orderBy: { id: 'asc' } } },
      });
      const names = await namesOf(deps, batches);
      const lines = batches.flatMap((batch): PaymentLine[] =>
        batch.payments.length
          ? batch.payments.map((payment) => ({ batch, payment, names }))
          : [{ batch, payment: null, names }],
      );
      return sheetReply(await paymentsSheet(lines), 'payments');
    },
  );

  api.post(
    '/payments/batches/:batchId/approve',
    {
      tag: 'payments',
      summary: '拨付审批 Approve a payment batch',
      access: ['FINANCE'],
      responses: { 200: { description: 'Approved: the transfers go to the bank', schema: BatchApproved } },
      refusals: {
        409: 'the batch is not awaiting approval, or the case has ended',
        422: 'a rule of the process refuses it',
        503: 'the workflow did not answer in time',
      },
    },
    async ({ params, principal, deps }) => ({ json: await approveBatch(deps, principal!, params.batchId!) }),
  );

  api.get(
    '/payments/batches/:batchId/payees',
    {
      tag: 'payments',
      summary: '收款方 The payees of a batch, with their accounts and the bank’s last answer',
      access: ['FINANCE'],
      responses: { 200: { description: 'The payees', schema: BatchPayeesSchema } },
    },
    async ({ params, deps }) => {
      const batch = await deps.db.paymentBatch.findUnique({
        where: { id: params.batchId! },
        include: { payments: { orderBy: { id: 'asc' } } },
      });
      if (!batch) throw problems.notFound({ zh: '拨付批次不存在', en: 'No such payment batch' });
      const orgs = new Map(
        (
          await deps.db.institution.findMany({
            where: { id: { in: [...new Set(batch.payments.map((p) => p.payee))] } },
            select: { id: true, name: true, bankAccount: true },
          })
        ).map((o) => [o.id, o]),
      );
      const payees = [...new Set(batch.payments.map((p) => p.payee))].sort().map((payee) => {
        const mine = batch.payments.filter((p) => p.payee === payee);
        return {
          institutionId: payee,
          name: orgs.get(payee)?.name ?? null,
          bankAccount: orgs.get(payee)?.bankAccount ?? null,
          amountFen: mine.reduce((sum, p) => sum + p.amountFen, 0),
          unpaid: mine.filter((p) => p.status !== 'PAID').length,
          lastFailure: mine.find((p) => p.failure)?.failure ?? null,
        };
      });
      return { json: { batchId: batch.id, status: batch.status, payees } };
    },
  );

  api.get(
    '/payments/batches/:batchId/export',
    {
      tag: 'payments',
      summary: '银行转账文件 The bank transfer file (CSV, UTF-8 with BOM)',
      description:
        'For finance to check and hand to the bank. A text cell that would start a spreadsheet formula (= + - @, tab, CR) is prefixed with an apostrophe; amounts are plain numbers.',
      access: ['FINANCE'],
      query: z.object({ all: z.enum(['1', '0', 'true', 'false']).optional() }),
      responses: {
        200: { description: 'The file (Content-Disposition: attachment)', contentType: 'text/csv' },
      },
    },
    async ({ params, query, deps }) => {
      const batch = await deps.db.paymentBatch.findUnique({
        where: { id: params.batchId! },
        include: { payments: { orderBy: { id: 'asc' } } },
      });
      if (!batch) throw problems.notFound({ zh: '拨付批次不存在', en: 'No such payment batch' });
      const all = query.all === '1' || query.all === 'true';
      const payments = batch.payments.filter((p) => all || p.status !== 'PAID');
      const payees = new Map(
        (
          await deps.db.institution.findMany({
            where: { id: { in: payments.map((p) => p.payee) } },
            select: { id: true, name: true, bankAccount: true },
          })
        ).map((i) => [i.id, i]),
      );
      const lines = ['付款编号,收款单位,收款账号,金额(元),用途,状态'];
      for (const p of payments) {
        const a = payees.get(p.payee);
        lines.push(
          [
            csvCell(p.id),
            csvCell(a?.name ?? p.payee),
            csvCell(a?.bankAccount ?? ''),
            formatFen(p.amountFen).replace(/,/g, ''),
            csvCell(`职业技能培训补贴 ${batch.classId}`),
            p.status,
          ].join(','),
        );
      }
      return {
        text: '\ufeff' + lines.join('\r\n') + '\r\n',
        contentType: 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="${batch.id}.csv"` },
      };
    },
  );

  api.post(
    '/payments/bank-returns',
    {
      tag: 'payments',
      summary: '银行回单导入 Import the bank return file',
      description: `CSV 付款编号,状态(成功/失败),银行流水号,失败原因 as text/csv body or multipart \`file\`. At most ${BANK_RETURN_LIMITS.lines} lines; a payment id at most ${BANK_RETURN_LIMITS.paymentId} characters, a bank reference ${BANK_RETURN_LIMITS.bankRef}, a reason ${BANK_RETURN_LIMITS.reason} (one line, no control, bidi or invisible characters). Each batch's lines are signalled to its class workflow. 202.`,
      access: ['FINANCE'],
      upload: { maxBytes: 2 * 1024 * 1024, types: ['text/csv', 'multipart/form-data'] },
      responses: { 202: { description: 'Signalled to each batch’s class', schema: BankReturnAccepted } },
      refusals: {
        400: 'a file that is not a bank return file, has no lines or too many, or a field too long or with unsafe characters (errors[].path = lines.N.field)',
        409: 'the file names payments of a case that has ended (CASE_CLOSED, errors[].path = lines.N.paymentId)',
        422: 'the file names payments that do not exist (errors[].path = lines.N.paymentId)',
        503: 'the workflow service is unavailable',
      },
    },
    async ({ req, deps }) => {
      let lines: BankReturnLine[];
      try {
        lines = parseBankReturn(decodeText(uploadedFile(req).data));
      } catch (err) {
        if (err instanceof Error && !('status' in err))
          throw problems.badRequest('BANK_RETURN_INVALID', {
            zh: `回单文件格式错误：${err.message}`,
            en: `Bad bank return file: ${err.message}`,
          });
        throw err;
      }
      const shape = BankReturnFile.safeParse({ lines }, { reportInput: true });
      if (!shape.success) throw zodProblem(shape.error.issues);
      if (!lines.length)
        throw problems.badRequest('BANK_RETURN_EMPTY', {
          zh: '回单文件没有记录',
          en: 'The file has no lines',
        });
      const payments = new Map(
        (
          await deps.db.payment.findMany({
            where: { id: { in: lines.map((l) => l.paymentId) } },
            include: { batch: { select: { classId: true } } },
          })
        ).map((p) => [p.id, p]),
      );
      const unknown = lines.map((l, i) => ({ l, i })).filter(({ l }) => !payments.has(l.paymentId));
      if (unknown.length)
        throw problems.rule(
          'UNKNOWN_PAYMENT',
          { zh: '回单中有未知的付款编号', en: 'The file names unknown payments' },
          unknown.map(({ i }) => ({
            path: `lines.${i}.paymentId`,
            code: 'UNKNOWN_PAYMENT',
            message: { zh: '无此付款', en: 'No such payment' },
          })),
        );
      const byBatch = new Map<string, { classId: string; lines: BankReturnLine[] }>();
      for (const l of lines) {
        const p = payments.get(l.paymentId)!;
        const entry = byBatch.get(p.batchId) ?? { classId: p.batch.classId, lines: [] };
        entry.lines.push(l);
        byBatch.set(p.batchId, entry);
      }
      // Every class first, then the signals: a file naming a payment of an ended case is refused whole, before
      // any batch hears of it (the read model knows the class, so a workflow not found has ended).
      const ended = new Set<string>();
      for (const classId of new Set([...byBatch.values()].map((b) => b.classId))) {
        const running = await callWorkflow(
          async () => (await deps.temporal.workflow.getHandle(classId).describe()).status.name === 'RUNNING',
          { knownToExist: true },
        ).catch((err: unknown) => {
          if (err instanceof Problem && err.code === 'CASE_CLOSED') return false;
          throw err;
        });
        if (!running) ended.add(classId);
      }
      if (ended.size)
        throw problems.conflict(
          'CASE_CLOSED',
          { zh: '回单中有已办结案件的付款', en: 'The file names payments of cases that have ended' },
          lines
            .map((l, i) => ({ l, i }))
            .filter(({ l }) => ended.has(payments.get(l.paymentId)!.batch.classId))
            .map(({ i }) => ({
              path: `lines.${i}.paymentId`,
              code: 'CASE_CLOSED',
              message: { zh: '该付款所属案件已办结', en: 'The payment’s case has ended' },
            })),
        );
      for (const [batchId, { classId, lines: batchLines }] of byBatch)
        await callWorkflow(
          () =>
            deps.temporal.workflow
              .getHandle(classId)
              .signal(bankReturnSignal, { batchId, lines: batchLines }),
          { knownToExist: true },
        );
      return {
        status: 202,
        json: {
          batches: [...byBatch].map(([batchId, b]) => ({
            batchId,
            classId: b.classId,
            lines: b.lines.length,
          })),
        },
      };
    },
  );
}

/** 拨付审批 (also a corrected batch approved again): shared with the inbox's act route. */
export async function approveBatch(deps: AppDeps, principal: Principal, batchId: string) {
  const batch = await deps.db.paymentBatch.findUnique({ where: { id: batchId } });
  const classId = batch?.classId ?? classOfBatch(batchId);
  if (!batch && !(await deps.db.trainingClass.findUnique({ where: { id: classId }, select: { id: true } })))
    throw problems.notFound({ zh: '拨付批次不存在', en: 'No such payment batch' });
  await update(
    deps.temporal,
    classId,
    approvePaymentUpdate,
    { actor: actorOf(principal), batchId },
    { path: (f) => (f === 'batchId' ? 'batchId' : f) },
  );
  return { batchId, approved: true as const };
}
