// The crash harness's client gives up at the run's deadline, saying what the API last answered: in CI (stop 25)
// it retried a payment approval that answered 503 for ten minutes, and the run outlived its test's hook.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiCaller, newStats } from '../../../bench/chaos/client';

describe('the crash harness client', () => {
  let server: http.Server;
  let base: string;
  let answered = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      answered++;
      res.writeHead(503, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ status: 503, code: 'TEMPORAL_UNAVAILABLE' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('stops retrying a command the API keeps answering 503 at the deadline, with that answer', async () => {
    const stats = newStats();
    // Four seconds hold at least three tries by the back-off alone (0, 0.1 s, 0.3 s; then 0.7 s, 1.5 s, 3.1 s), and
    // still three when each try takes a second on a loaded machine (stop 29's rehearsal saw two in 1.5 s).
    const deadline = Date.now() + 4_000;
    const caller = ApiCaller.withKey(base, stats, 'key', { deadline });
    const before = answered;
    await expect(caller.command('/api/v1/payments/batches/B-1/approve', {})).rejects.toThrow(
      /POST \/api\/v1\/payments\/batches\/B-1\/approve: gave up; last answer: 503 .*TEMPORAL_UNAVAILABLE/,
    );
    const gaveUp = Date.now();
    expect(gaveUp).toBeGreaterThanOrEqual(deadline);
    expect(gaveUp - deadline).toBeLessThan(6_000); // one back-off of 2 s at most, and a loaded machine's slack
    expect(answered - before).toBeGreaterThanOrEqual(3);
    expect(stats.retries).toBe(answered - before);
  });

  it('also bounds a single call by its own limit when it comes first', async () => {
    const caller = ApiCaller.withKey(base, newStats(), 'key', {
      giveUpAfterMs: 500,
      deadline: Date.now() + 60_000,
    });
    const started = Date.now();
    await expect(caller.get('/api/v1/cases/SJZ-2026-000001')).rejects.toThrow(/gave up; last answer: 503/);
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});
