// Finance and the bank, as the harnesses play them (bench/chaos.ts, bench/year.ts): finance approves every batch
// awaiting approval; the bank takes each transfer file once (`<batchId>-<attempt>.csv` in the bank folder),
// transfers its lines, refuses the ones `refuse` names, and its return file goes back through the API (again if
// the batch still waits for it half a minute later). A refused line comes back in the batch's next file.
import fs from 'node:fs';
import path from 'node:path';

/** How the desk calls the API as a finance officer. */
export interface FinanceCalls {
  get(path: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: string | object, contentType?: string): Promise<{ status: number; body: unknown }>;
}

export interface BankDesk {
  /** transfers the bank made, by payment id */
  readonly transfers: Map<string, number>;
  /** lines the bank refused (each comes back in a later file) */
  readonly refused: () => number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function openBankDesk(opts: {
  fin: FinanceCalls;
  bankDir: string;
  log: (line: string) => void;
  /** the bank's reason for refusing a line of a file's attempt, or undefined to transfer it */
  refuse?: (paymentId: string, attempt: number) => string | undefined;
}): BankDesk {
  const { fin, bankDir, log } = opts;
  const transfers = new Map<string, number>();
  const filesTaken = new Set<string>();
  const returned = new Map<string, { at: number; csv: string }>();
  let refused = 0;
  let running = true;
  const items = (body: unknown) => (body as { items?: { id: string }[] } | undefined)?.items ?? [];
  const loop = (async () => {
    while (running) {
      // A call that failed (an overloaded or restarting API) is tried again on the next round.
      await round().catch((err: unknown) => log(`bank: ${String(err).slice(0, 200)}`));
      await sleep(1_000);
    }
  })();
  async function round() {
    {
      const waiting = await fin.get('/api/v1/payments/batches?status=AWAITING_APPROVAL&limit=200');
      // Each batch on its own: one whose approval fails (its case stopped) does not hold the ones after it.
      for (const b of items(waiting.body))
        await fin
          .post(`/api/v1/payments/batches/${encodeURIComponent(b.id)}/approve`, {})
          .catch((err: unknown) => log(`bank: approving ${b.id}: ${String(err).slice(0, 200)}`));
      const submitted = await fin.get('/api/v1/payments/batches?status=SUBMITTED&limit=200');
      for (const b of items(submitted.body)) {
        const latest = latestFile(bankDir, b.id);
        if (!latest) continue;
        if (!filesTaken.has(latest.file)) {
          filesTaken.add(latest.file);
          const ids = fs
            .readFileSync(path.join(bankDir, latest.file), 'utf8')
            .replace(/^\ufeff/, '')
            .split(/\r?\n/)
            .slice(1)
            .filter(Boolean)
            .map((l) => l.split(',')[0]!);
          const rows = ids.map((id) => {
            const reason = opts.refuse?.(id, latest.attempt);
            if (reason) {
              refused++;
              return `${id},失败,,${reason}`;
            }
            transfers.set(id, (transfers.get(id) ?? 0) + 1);
            return `${id},成功,BANK-${id},`;
          });
          returned.set(b.id, { at: 0, csv: ['付款编号,状态,银行流水号,失败原因', ...rows].join('\r\n') });
        }
        const r = returned.get(b.id);
        if (r && Date.now() - r.at > 30_000) {
          r.at = Date.now();
          const res = await fin
            .post('/api/v1/payments/bank-returns', r.csv, 'text/csv')
            .catch((err: unknown) => ({ status: 0, body: String(err).slice(0, 200) }));
          if (res.status !== 202)
            log(`bank: return for ${b.id} answered ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
  }
  return {
    transfers,
    refused: () => refused,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The transfer file of a batch's latest attempt (`<batchId>-<attempt>.csv`). */
function latestFile(dir: string, batchId: string): { file: string; attempt: number } | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const pattern = new RegExp(`^${batchId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)\\.csv$`);
  return fs
    .readdirSync(dir)
    .flatMap((file) => {
      const m = pattern.exec(file);
      return m ? [{ file, attempt: Number(m[1]) }] : [];
    })
    .sort((a, b) => b.attempt - a.attempt)[0];
}
