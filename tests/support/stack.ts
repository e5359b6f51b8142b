// The whole system as `npm start` runs it (real Temporal dev server, worker and API processes, demo data),
// in a temporary data folder on free ports: for end-to-end and browser tests. Needs `npm run build` first
// (scripts/test.sh does it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, logLines, startStack as start, type Stack } from '../../scripts/stack';

export interface TestStack {
  baseUrl: string;
  urls: Stack['urls'];
  env: Record<string, string>;
  dataDir: string;
  /** stops every process; the data folder stays until `remove` */
  stop(): Promise<void>;
  remove(): void;
  /**
   * The stack's log lines that say something went wrong (the supervisor restarting a process, a worker that
   * failed a task, an API answer of 5xx, warnings), the last `n`: what a failing test prints, since the data
   * folder with the whole log is removed after it.
   */
  troubles(n?: number): string;
}

const TROUBLE =
  /restart|exited|died|gave up|WARN|ERROR|fail|timed? ?out|case doctor|nondetermin|"level":[456]0|"status":5\d\d|"ms":[1-9]\d{4,}/i;

/**
 * `demoClock`: the demo's compressed-clock classes too (about 90 s more seeding; tests that need a payout ask
 * for them, the others start without).
 */
export async function startStack(
  opts: { dataDir?: string; seedDemo?: boolean; demoClock?: boolean } = {},
): Promise<TestStack> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-stack-'));
  const stack = await start({
    dataDir,
    temporalPort: await freePort(),
    temporalUiPort: await freePort(),
    apiPort: await freePort(),
    seedDemo: opts.seedDemo ?? true,
    demoClock: opts.demoClock ?? false,
    output: 'file',
  });
  return {
    baseUrl: stack.urls.web.replace(/\/$/, ''),
    urls: stack.urls,
    env: stack.env,
    dataDir,
    stop: () => stack.stop(),
    remove: () => fs.rmSync(dataDir, { recursive: true, force: true }),
    troubles: (n = 60) =>
      logLines(dataDir)
        .filter((l) => TROUBLE.test(l))
        .slice(-n)
        .map((l) => l.slice(0, 400))
        .join('\n'),
  };
}
