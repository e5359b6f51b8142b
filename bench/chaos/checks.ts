// What must hold after the crash run (issue 14, item 1): every case reached its expected end; every payment
// id appears exactly once in the bank files and the ledger; batch totals reconcile to the fen with their
// payments and lines; the read model agrees with each workflow's query; no open task belongs to a closed case.
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Db } from '../../platform/db';
import { caseStateQuery, type CaseState } from '../../workflows/messages';

export interface Verdict {
  lost: number;
  extraClasses: number;
  duplicatePayments: number;
  reconcileErrors: number;
  projectionMismatches: number;
  openTasksOfClosedCases: number;
  paidFenPerClass: number[];
  problems: string[];
}

/** Every line of every bank transfer file: payment id → the amounts (fen) it was listed with. */
export function bankFileLines(dir: string): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  if (!fs.existsSync(dir)) return lines;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
    const rows = fs
      .readFileSync(path.join(dir, file), 'utf8')
      .replace(/^\ufeff/, '')
      .split(/\r?\n/);
    for (const row of rows.slice(1).filter(Boolean)) {
      const cells = row.split(',');
      const id = cells[0]!;
      lines.set(id, [...(lines.get(id) ?? []), yuanToFen(cells[3]!)]);
    }
  }
  return lines;
}

/** "1234.56" (as the transfer file writes amounts) → 123456 fen, without floating point. */
export function yuanToFen(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

export async function verify(opts: {
  db: Db;
  client: Client;
  classIds: string[];
  bankDir: string;
  /** transfers the bank made, by payment id */
  bankTransfers: Map<string, number>;
}): Promise<Verdict> {
  const { db, client, classIds, bankDir, bankTransfers } = opts;
  const problems: string[] = [];
  const say = (p: string) => problems.length < 50 && problems.push(p);
  let lost = 0;
  let duplicatePayments = 0;
  let reconcileErrors = 0;
  let projectionMismatches = 0;
  const paidFenPerClass: number[] = [];

  // Classes the run filed: exactly these, each once (a retried filing must not start a second class).
  const workflows: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'trainingClassWorkflow'` }))
    workflows.push(wf.workflowId);
  const filed = new Set(classIds);
  const extra = [...new Set(workflows)].filter((id) => !filed.has(id));
  if (extra.length) say(`classes nobody filed in this run (a filing applied twice?): ${extra.join(', ')}`);
  const rows = await db.trainingClass.findMany({ select: { id: true } });
  const extraRows = rows.filter((r) => !filed.has(r.id)).map((r) => r.id);
  if (extraRows.length) say(`read-model classes nobody filed: ${extraRows.join(', ')}`);

  const states = new Map<string, CaseState>();
  const askUntil = Date.now() + 120_000;
  for (const classId of classIds) {
    const handle = client.workflow.getHandle(classId);
    let status = (await handle.describe().catch(() => undefined))?.status.name;
    // The driver saw the case CLOSED in its Query, which comes before the case's last projection and its
    // completion: a worker killed in between finishes them once it is back. Wait for that, within the verdict's
    // two minutes (a case stuck for good is still reported below).
    while ((status === 'RUNNING' || status === undefined) && Date.now() < askUntil) {
      await new Promise((r) => setTimeout(r, 2_000));
      status = (await handle.describe().catch(() => undefined))?.status.name;
    }
    // The workflow's own answer: its Query; a closed case's final state is also its result.
    const result =
      status === 'COMPLETED'
        ? ((await handle.result().catch(() => undefined)) as CaseState | undefined)
        : undefined;
    // A query needs a live worker: the last one killed may still be starting, so it is asked again, each time
    // for 10 s at most, until the verdict's two minutes for all queries are spent.
    const ask = async (): Promise<CaseState> => {
      for (;;)
        try {
          return await client.connection.withDeadline(Date.now() + 10_000, () =>
            handle.query(caseStateQuery),
          );
        } catch (err) {
          if (Date.now() > askUntil) throw err;
          await new Promise((r) => setTimeout(r, 3_000));
        }
    };
    let state = await ask().catch((err: unknown) => {
      projectionMismatches++; // the read model cannot be compared with an answer the workflow cannot give
      say(`${classId}: query failed: ${String(err).slice(0, 300)}`);
      return undefined;
    });
    state ??= result;
    if (status !== 'COMPLETED' || state?.stage !== 'CLOSED' || !(state.paidFen > 0)) {
      lost++;
      say(
        `${classId}: ended ${status ?? 'unknown'} at ${state?.stage ?? '?'} with ${state?.paidFen ?? '?'} fen paid`,
      );
    }
    if (state) {
      states.set(classId, state);
      paidFenPerClass.push(state.paidFen);
    }
  }
  // Every class ran the same roster and results: each must have been paid the same.
  const expectedPaid = mode(paidFenPerClass);
  for (const [classId, s] of states)
    if (s.stage === 'CLOSED' && s.paidFen !== expectedPaid) {
      lost++;
      say(`${classId}: paid ${s.paidFen} fen where every other class was paid ${expectedPaid}`);
    }

  // Payments: the bank files, the bank's own transfers and the ledger (read model) name each payment once.
  const files = bankFileLines(bankDir);
  for (const [id, amounts] of files)
    if (amounts.length > 1) {
      duplicatePayments += amounts.length - 1;
      say(`payment ${id} is in the bank files ${amounts.length} times`);
    }
  for (const [id, n] of bankTransfers)
    if (n > 1) {
      duplicatePayments += n - 1;
      say(`the bank transferred payment ${id} ${n} times`);
    }
  const batches = await db.paymentBatch.findMany({
    where: { classId: { in: classIds } },
    include: { payments: true },
  });
  const ledgerIds = new Set<string>();
  for (const b of batches) {
    const sum = b.payments.reduce((s, p) => s + p.amountFen, 0);
    if (sum !== b.totalFen) {
      reconcileErrors++;
      say(`batch ${b.id}: total ${b.totalFen} fen, its payments sum to ${sum}`);
    }
    for (const p of b.payments) {
      ledgerIds.add(p.id);
      const inFiles = files.get(p.id) ?? [];
      if (p.status !== 'PAID' || !p.bankRef) {
        reconcileErrors++;
        say(`payment ${p.id}: ${p.status} in the ledger (bank ref ${p.bankRef ?? 'none'})`);
      }
      if (inFiles.length === 0) {
        reconcileErrors++;
        say(`payment ${p.id} is in the ledger but in no bank file`);
      } else if (inFiles[0] !== p.amountFen) {
        reconcileErrors++;
        say(`payment ${p.id}: ${p.amountFen} fen in the ledger, ${inFiles[0]} in the bank file`);
      }
      if ((bankTransfers.get(p.id) ?? 0) === 0) {
        reconcileErrors++;
        say(`payment ${p.id} is in the ledger but the bank never transferred it`);
      }
    }
  }
  for (const id of files.keys())
    if (!ledgerIds.has(id)) {
      reconcileErrors++;
      say(`payment ${id} is in a bank file but not in the ledger`);
    }

  // Per class: what the workflow paid = its settlement batches = its paid lines, to the fen.
  for (const [classId, s] of states) {
    const settled = s.batches.filter((b) => b.kind === 'SETTLEMENT').reduce((n, b) => n + b.totalFen, 0);
    const linesPaid = s.lines.filter((l) => l.status === 'PAID').reduce((n, l) => n + l.amountFen, 0);
    if (settled !== s.paidFen || linesPaid !== s.paidFen) {
      reconcileErrors++;
      say(`${classId}: paid ${s.paidFen} fen, settlement batches ${settled}, paid lines ${linesPaid}`);
    }
  }

  // The read model against each workflow's query.
  for (const [classId, s] of states) {
    const mismatch = (what: string, rm: unknown, wf: unknown) => {
      if (JSON.stringify(rm) === JSON.stringify(wf)) return;
      projectionMismatches++;
      say(`${classId} ${what}: read model ${JSON.stringify(rm)} ≠ workflow ${JSON.stringify(wf)}`);
    };
    const row = await db.trainingClass.findUnique({ where: { id: classId } });
    mismatch('class', row && { stage: row.stage, paidFen: row.paidFen, trainees: row.traineeCount }, {
      stage: s.stage,
      paidFen: s.paidFen,
      trainees: s.trainees.length,
    });
    const lines = await db.subsidyLine.findMany({ where: { classId }, orderBy: { id: 'asc' } });
    mismatch(
      'lines',
      lines.map((l) => [l.id, l.kind, l.amountFen, l.status]),
      [...s.lines]
        .sort((a, b) => (a.lineId < b.lineId ? -1 : 1))
        .map((l) => [l.lineId, l.kind, l.amountFen, l.status]),
    );
    mismatch(
      'batches',
      batches
        .filter((b) => b.classId === classId)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((b) => [b.id, b.kind, b.totalFen, b.status]),
      [...s.batches]
        .sort((a, b) => (a.batchId < b.batchId ? -1 : 1))
        .map((b) => [b.batchId, b.kind, b.totalFen, b.status]),
    );
    const enrolled = await db.enrollment.count({ where: { classId } });
    mismatch('enrolments', enrolled, s.trainees.length);
    // Every event the workflow numbered was applied once, none skipped.
    const seqs = await db.projectionEvent.findMany({ where: { workflowId: classId }, select: { seq: true } });
    const maxSeq = Math.max(0, ...seqs.map((e) => e.seq));
    const lastSeq = Math.max(0, ...s.history.map((h) => h.seq));
    mismatch('projected events', { count: seqs.length, last: maxSeq }, { count: maxSeq, last: lastSeq });
  }

  // No open task belongs to a closed case.
  const open = await db.task.findMany({
    where: {
      status: 'OPEN',
      classId: { in: [...states].filter(([, s]) => s.stage === 'CLOSED').map(([id]) => id) },
    },
    select: { id: true },
  });
  for (const t of open) say(`task ${t.id} is still open on a closed case`);

  return {
    lost,
    extraClasses: extra.length + extraRows.length,
    duplicatePayments,
    reconcileErrors,
    projectionMismatches,
    openTasksOfClosedCases: open.length,
    paidFenPerClass,
    problems,
  };
}

function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
