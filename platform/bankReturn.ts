// The bank's return file (银行回盘文件), read by the API when finance uploads it and by tests that play the
// bank. The batch-transfer file going the other way is written by FileBatchGateway (activities/payments.ts).

/** Reads the bank's return file: 付款编号,状态(成功/失败),银行流水号,失败原因 */
export function parseBankReturn(
  text: string,
): { paymentId: string; status: 'PAID' | 'FAILED'; bankRef?: string; reason?: string }[] {
  const rows = text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  return rows.slice(1).map((line, i) => {
    const [paymentId, status, bankRef, reason] = line.split(',').map((c) => c.trim());
    if (!paymentId || !status) throw new Error(`line ${i + 2}: payment id and status are required`);
    const ok = status === '成功' || status.toUpperCase() === 'PAID';
    if (!ok && !(status === '失败' || status.toUpperCase() === 'FAILED'))
      throw new Error(`line ${i + 2}: unknown status ${status}`);
    return {
      paymentId,
      status: ok ? 'PAID' : 'FAILED',
      bankRef: bankRef || undefined,
      reason: reason || undefined,
    };
  });
}
