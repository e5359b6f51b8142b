/** @type {import('jest').Config} */

// The generated suites run in every test run in a short form and as their own npm scripts in a long one:
// tests/workflow/model.test.ts (fast-check interleavings of concurrent commands; MODEL_RUNS, default 200,
// `npm run test:model` 5,000) and tests/api/fuzz.test.ts (hostile requests against every documented
// operation as every role; FUZZ_REQUESTS, default 1,500, `npm run test:fuzz` 20,000).
// tests/chaos/ (the crash harness, bench/chaos.ts: SIGKILLs workers, restarts the API, Temporal and on the cluster
// PostgreSQL) runs only when CHAOS_CLASSES is set: scripts/test.sh runs its short forms (3 classes, on the stack and
// on the cluster) after the other suites, one after the other on an otherwise idle machine — it times its kills by
// the activities in flight, and once, beside the other suites on a loaded 2-core machine, a payment approval got no
// answer within its 600 s. `npm run test:chaos` and `npm run test:chaos:cluster` are the 20-class long forms.
// tests/e2e/finance.test.ts (finance's day on the demo's compressed clock, where a day lasts a second and a public
// notice three) runs only with SKILLFLOW_SOLO=1: scripts/test.sh runs it alone after the other suites, before the
// crash harness. Beside them on a loaded 2-core machine its demo seeding twice missed its moment (once the notice
// closed before the demo's objection; once the inbox's bulk approval got no answer within 20 s); alone it passed
// every time.
const generated = [
  '/tests/workflow/model/scratch', // an engineer's scratch files, never part of a run
  ...(process.env.CHAOS_CLASSES ? [] : ['/tests/chaos/']),
  ...(process.env.SKILLFLOW_SOLO ? [] : ['/tests/e2e/finance.test.ts']),
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
};

// Every suite on the default profile (SQLite read model).
const sqlite = {
  ...shared,
  displayName: 'sqlite',
  roots: ['<rootDir>/tests'],
  testPathIgnorePatterns: ['/node_modules/', ...generated],
};

// The PostgreSQL profile (issue 14): the API and workflow suites again, each on a database of its own on the
// throw-away server scripts/test.sh starts (scripts/postgres.sh) and names in SKILLFLOW_PG_SERVER. Left out, to
// keep the run near 30 minutes on a fresh machine: the model test (its 200 generated runs take 9 minutes and
// exercise the workflow, whose read-model writes the other suites cover here), the fuzz test (hostile HTTP
// input; the rules it checks are the API's, the same on both profiles; its read-model fingerprint does run on
// PostgreSQL with FUZZ on SKILLFLOW_TEST_DATABASE_URL) and the replay test (histories only, no read model).
const postgresql = {
  ...shared,
  displayName: 'postgresql',
  roots: ['<rootDir>/tests/api', '<rootDir>/tests/workflow'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...generated,
    '/tests/workflow/model',
    '/tests/workflow/replay',
    '/tests/api/fuzz.test.ts',
  ],
  setupFiles: ['<rootDir>/tests/support/postgresProfile.ts'],
};

module.exports = {
  projects: process.env.SKILLFLOW_PG_SERVER ? [sqlite, postgresql] : [sqlite],
  // Jest reads the test timeout from the top level once there are several projects (theirs is ignored).
  testTimeout: 60000,
  maxWorkers: 2,
  // A test that gives up on a wedged server may leave its child processes behind; never hang CI on them.
  forceExit: true,
};
