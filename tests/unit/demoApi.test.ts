// The demo seeder's client (prisma/demoApi.ts) against a stand-in API: a 503 (the workflow did not answer in
// time) is sent again with the same Idempotency-Key, as docs/api.md asks; a refusal is not.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoApi } from '../../prisma/demoApi';

let server: http.Server;
let base: string;
const keys: string[] = [];
let answers: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/api/v1/auth/login') {
      res.setHeader('Set-Cookie', 'sid=s1; HttpOnly');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ csrfToken: 'csrf-1' }));
      return;
    }
    keys.push(String(req.headers['idempotency-key']));
    const status = answers.shift() ?? 200;
    res.statusCode = status;
    res.setHeader('Content-Type', status === 200 ? 'application/json' : 'application/problem+json');
    res.end(JSON.stringify(status === 200 ? { done: true } : { status, code: `CODE_${status}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  keys.length = 0;
});

it('sends a command the workflow did not answer in time again, with the same key, and answers its outcome', async () => {
  answers = [503, 200];
  const call = await demoApi(base, 'caseworker');
  await expect(call('POST', '/cases/C-1/review', { decision: 'APPROVE' })).resolves.toEqual({ done: true });
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
});

it('gives up after the third 503, and never sends a refusal again', async () => {
  const call = await demoApi(base, 'caseworker');
  answers = [503, 503, 503, 200];
  await expect(call('POST', '/cases/C-1/review', {})).rejects.toThrow(/503/);
  expect(keys).toHaveLength(3);
  keys.length = 0;
  answers = [409];
  await expect(call('POST', '/cases/C-1/review', {})).rejects.toThrow(/409 .*CODE_409/);
  expect(keys).toHaveLength(1);
  // a new command gets a new key
  answers = [200];
  await call('POST', '/cases/C-2/review', {});
  expect(keys[1]).not.toBe(keys[0]);
});
