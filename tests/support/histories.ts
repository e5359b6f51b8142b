// Saved workflow histories for replay tests (STYLE.md: a changed workflow must still replay running cases).
// `RECORD_HISTORIES=1 npx jest tests/workflow` records the scenarios that save one, as binary protobuf, into a
// new file per workflow version (`<name>@<version>.history.pb`). A file once recorded is never overwritten:
// running cases of that version depend on it.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORY_DIR = path.join(__dirname, '..', 'histories');
/** The workflow version new recordings belong to: bump it when the workflow code changes. */
export const HISTORY_VERSION = '2026-12-02';

export function historyFile(name: string, version = HISTORY_VERSION): string {
  return path.join(HISTORY_DIR, `${name}@${version}.history.pb`);
}

export async function saveHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const file = historyFile(name);
  if (fs.existsSync(file)) return; // never overwrite a recorded version
  const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
  fs.writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
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
