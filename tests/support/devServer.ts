// A Temporal dev server of its own for a test (the CLI `npm start` runs), optionally on a given SQLite file,
// answering on a free port; `stop()` kills it.
import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { freePort } from '../../scripts/stack';
import { temporalCliPath } from './toolchain';

export async function startDevServer(opts: { dbFile?: string } = {}) {
  const [port, uiPort] = [await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
  ];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  const server = spawn(temporalCliPath(), [...args, '--headless', '--log-level', 'error'], {
    stdio: 'ignore',
  });
  const stop = () => void server.kill('SIGKILL');
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await (await Connection.connect({ address, connectTimeout: 1_000 })).close();
      return { address, stop };
    } catch (err) {
      if (Date.now() > until) {
        stop();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
