// The payment submission heartbeats while the gateway works (activities/index.ts): with the payments proxy's
// heartbeat timeout, a worker killed mid-submission is noticed in seconds, not after the 2-minute start-to-close
// (the crash harness saw a class wait minutes for every kill that hit its payment).
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../activities';
import type { PaymentGateway } from '../../../activities/payments';
import type { Db } from '../../../platform/db';

test('submitPayments heartbeats at once and every 3 seconds until the gateway answers', async () => {
  const slowBank: PaymentGateway = {
    // answers at 7.5 s: the beats at 3 and 6 s come before it even if a busy machine delays them by up to 1.5 s
    submit: () => new Promise((resolve) => setTimeout(() => resolve({ mode: 'SYNC', results: [] }), 7_500)),
  };
  const acts = createActivities({
    db: {} as Db,
    payments: slowBank,
    piiKey: Buffer.alloc(32, 1),
    region: 'TEST',
  });
  const env = new MockActivityEnvironment();
  const beats: number[] = [];
  const began = Date.now();
  env.on('heartbeat', () => beats.push(Date.now() - began));
  const outcome = await env.run(acts.submitPayments, {
    classId: 'SJZ-2026-000001',
    batchId: 'SJZ-2026-000001-S1',
    attempt: 1,
    payments: [],
  });
  expect(outcome).toEqual({ mode: 'SYNC', results: [] });
  expect(beats.length).toBe(3); // at once, after 3 s and after 6 s
  expect(beats[0]).toBeLessThan(500);
  // and none after the answer
  await new Promise((r) => setTimeout(r, 3_500));
  expect(beats.length).toBe(3);
}, 20_000);
