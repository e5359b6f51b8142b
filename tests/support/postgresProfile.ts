// Set-up of jest.config.js's "postgresql" project: every suite in it opens its read model on the throw-away
// PostgreSQL server scripts/test.sh started (scripts/postgres.sh), through tests/support/db.ts.
const server = process.env.SKILLFLOW_PG_SERVER;
if (!server) throw new Error('the postgresql project needs SKILLFLOW_PG_SERVER (scripts/test.sh sets it)');
process.env.SKILLFLOW_TEST_DATABASE_URL = server;
