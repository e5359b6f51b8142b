/** @type {import('jest').Config} */

// The generated suites run in every test run in a short form and as their own npm scripts in a long one:
// tests/workflow/model.test.ts (fast-check interleavings of concurrent commands; MODEL_RUNS, default 200,
// `npm run test:model` 5,000) and tests/api/fuzz.test.ts (hostile requests against every documented
// operation as every role; FUZZ_REQUESTS, default 1,500, `npm run test:fuzz` 20,000).
// tests/chaos/chaos.test.ts (the crash harness, bench/chaos.ts: SIGKILLs the worker, restarts the API and Temporal)
// runs in every test run in its short form (3 classes, about 4 minutes); `npm run test:chaos` runs 20 classes.
// tests/chaos/replayAfterKill.test.ts documents a history recorded before patch timers-decide-2026-12 that can
// never replay (test.failing); it runs with the long form only.
const generated = [
  '/tests/workflow/model/scratch', // an engineer's scratch files, never part of a run
  ...(process.env.CHAOS_CLASSES ? [] : ['/tests/chaos/replayAfterKill']),
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...generated],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
  maxWorkers: 2,
  // A test that gives up on a wedged server may leave its child processes behind; never hang CI on them.
  forceExit: true,
};
