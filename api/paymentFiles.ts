// 拨付导出: the payments of the batches a search finds as a spreadsheet (xlsx) — one row per payment with its
// batch: class, kind, batch status and total, who approved it, the payee by name, the amount, the bank's
// answer (status, attempts, reference, failure, paid at). Amounts are numbers in yuan; bank accounts are not in it.
import type { Payment, PaymentBatch } from '@prisma/client';
import { BATCH_KIND_NAMES, BATCH_STATUS_NAMES, PAYMENT_STATUS_NAMES } from '../domain/payout';
import { spreadsheetText } from '../domain/text';
import { deadlineText } from '../domain/dates';
import { writeSheet, type SheetColumn } from './sheets';

export interface PaymentLine {
  batch: PaymentBatch;
  payment: Payment | null;
  /** institution and user names by id */
  names: ReadonlyMap<string, string>;
}

const local = (d: Date | null) => (d ? deadlineText(d.toISOString()) : '');
const named = (table: Record<string, { zh: string }>, code: string) => table[code]?.zh ?? code;
const YUAN = '#,##0.00';

const COLUMNS: SheetColumn<PaymentLine>[] = [
  { header: '批次号', en: 'Batch', width: 24, cell: ({ batch }) => batch.id },
  { header: '班级编号', en: 'Class id', width: 20, cell: ({ batch }) => batch.classId },
  { header: '类型', en: 'Kind', width: 10, cell: ({ batch }) => named(BATCH_KIND_NAMES, batch.kind) },
  {
    header: '批次状态',
    en: 'Batch status',
    width: 14,
    cell: ({ batch }) => named(BATCH_STATUS_NAMES, batch.status),
  },
  {
    header: '批次金额（元）',
    en: 'Batch total (yuan)',
    width: 16,
    cell: ({ batch }) => batch.totalFen / 100,
    numFmt: YUAN,
  },
  {
    header: '审批人',
    en: 'Approved by',
    width: 16,
    cell: ({ batch, names }) =>
      spreadsheetText(batch.approvedBy ? (names.get(batch.approvedBy) ?? batch.approvedBy) : ''),
  },
  { header: '生成时间', en: 'Created', width: 18, cell: ({ batch }) => local(batch.createdAt) },
  {
    header: '收款方',
    en: 'Payee',
    width: 30,
    cell: ({ payment, names }) => spreadsheetText(payment ? (names.get(payment.payee) ?? payment.payee) : ''),
  },
  {
    header: '金额（元）',
    en: 'Amount (yuan)',
    width: 14,
    cell: ({ payment }) => (payment ? payment.amountFen / 100 : ''),
    numFmt: YUAN,
  },
  {
    header: '支付状态',
    en: 'Payment status',
    width: 10,
    cell: ({ payment }) => (payment ? named(PAYMENT_STATUS_NAMES, payment.status) : ''),
  },
  { header: '尝试次数', en: 'Attempts', width: 8, cell: ({ payment }) => payment?.attempts ?? '' },
  {
    header: '银行流水号',
    en: 'Bank reference',
    width: 20,
    cell: ({ payment }) => spreadsheetText(payment?.bankRef ?? ''),
  },
  {
    header: '失败原因',
    en: 'Failure',
    width: 24,
    cell: ({ payment }) => spreadsheetText(payment?.failure ?? ''),
  },
  { header: '到账时间', en: 'Paid at', width: 18, cell: ({ payment }) => local(payment?.paidAt ?? null) },
];

export function paymentsSheet(lines: readonly PaymentLine[]): Promise<Buffer> {
  return writeSheet('拨付', COLUMNS, lines);
}
