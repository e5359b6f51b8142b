// An API process whose port is taken fails with a line that says so: Express 5 hands a failed listen to the
// listen callback, which used to log "SkillFlow API listening" and let the process end with exit code 0 (a
// 20-class crash run on the cluster failed to start so: "api-2 exited during start-up with exit code 0").
// Runs the compiled API (`npm run build:server` first; scripts/test.sh builds).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, ROOT } from '../../scripts/stack';
import { startDevServer } from '../support/devServer';

jest.setTimeout(120_000);

describe('the API process on a port already taken', () => {
  let dir: string;
  let stopServer: (() => void) | undefined;
  let temporalAddress: string;
  let blocker: net.Server;
  let port: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-port-'));
    const dev = await startDevServer();
    temporalAddress = dev.address;
    stopServer = dev.stop;
    blocker = net.createServer();
    port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, r));
  });

  afterAll(async () => {
    await new Promise<void>((r) => blocker.close(() => r()));
    stopServer?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 saying it cannot listen, not 0 after "listening"', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'api', 'main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        TEMPORAL_ADDRESS: temporalAddress,
        DATABASE_URL: `file:${path.join(dir, 'skillflow.db')}`,
        LOG_LEVEL: 'info',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(1);
    expect(output).toContain('SkillFlow API cannot listen');
    expect(output).toContain('EADDRINUSE');
    expect(output).not.toContain('SkillFlow API listening');
  });
});
