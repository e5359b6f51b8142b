// Saved workflow histories for replay tests (STYLE.md: a changed workflow must still replay running cases).
// `RECORD_HISTORIES=1 npx jest tests/workflow` rewrites them from the scenarios that save one (binary protobuf).
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORY_DIR = path.join(__dirname, '..', 'histories');

export async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
  fs.writeFileSync(
    path.join(HISTORY_DIR, `${name}.history.pb`),
    temporal.api.history.v1.History.encode(history).finish(),
  );
}

export function loadHistories(): { workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return fs
    .readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.history.pb'))
    .map((f) => ({
      workflowId: f.replace(/\.history\.pb$/, ''),
      history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORY_DIR, f))),
    }));
}
