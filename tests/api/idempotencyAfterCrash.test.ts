// Found by the crash harness (bench/chaos.ts): a command whose API process is killed while it runs leaves its
// Idempotency-Key placeholder (status 0) behind, and every retry with that key was refused 409
// IDEMPOTENCY_IN_PROGRESS for the 24 h the record is kept; the client could not learn the outcome and could only
// go on with a new key. A placeholder older than any request can take (IN_PROGRESS_LEASE_MS) is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import { idempotent, IN_PROGRESS_LEASE_MS } from '../../api/idempotency';
import type { Principal } from '../../api/context';
import { openDatabase, type Db } from '../../platform/db';
import { migrateSqlite } from '../support/db';

let dir: string;
let db: Db;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillflow-idem-'));
  migrateSqlite(path.join(dir, 'rm.db'));
  db = openDatabase(`file:${path.join(dir, 'rm.db')}`);
});
afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const request = {
  method: 'POST',
  originalUrl: '/api/v1/institution/classes/SJZ-2026-000001/start',
  body: {},
  ip: '127.0.0.1',
  get: (name: string) => (name.toLowerCase() === 'idempotency-key' ? 'retry-after-crash' : undefined),
} as unknown as Request;
const principal = { userId: 'apikey:key_1' } as Principal;

const started = async () => ({ status: 200, json: { started: true } });

test('answers a retry whose first request died with its API process', async () => {
  // The first request writes its placeholder and then its process is SIGKILLed: its run never finishes.
  void idempotent(db, request, principal, () => new Promise(() => undefined));
  for (let i = 0; i < 100 && !(await db.idempotencyRecord.count()); i++)
    await new Promise((r) => setTimeout(r, 20));
  // A retry while the first may still be running is told so.
  await expect(idempotent(db, request, principal, started)).rejects.toMatchObject({
    status: 409,
    code: 'IDEMPOTENCY_IN_PROGRESS',
  });
  // The restarted API gets the client's retry after longer than any request can take: it runs.
  await db.idempotencyRecord.updateMany({
    data: { createdAt: new Date(Date.now() - IN_PROGRESS_LEASE_MS - 1_000) },
  });
  expect(await idempotent(db, request, principal, started)).toMatchObject({ status: 200 });
  // and from then on the key answers with that reply.
  expect(await idempotent(db, request, principal, started)).toMatchObject({
    status: 200,
    headers: { 'Idempotent-Replayed': 'true' },
  });
});
