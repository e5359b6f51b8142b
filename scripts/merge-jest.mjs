// Adds the results of later jest runs (the crash harness's short forms, run one after the other by
// scripts/test.sh) to the main run's JSON report, so the summary CI prints counts every test of the command.
//   node scripts/merge-jest.mjs <main.json> <more.json>...
import fs from 'node:fs';

const [target, ...others] = process.argv.slice(2);
if (!target) throw new Error('usage: node scripts/merge-jest.mjs <main.json> <more.json>...');
const main = JSON.parse(fs.readFileSync(target, 'utf8'));
const COUNTS = [
  'numFailedTestSuites',
  'numFailedTests',
  'numPassedTestSuites',
  'numPassedTests',
  'numPendingTestSuites',
  'numPendingTests',
  'numRuntimeErrorTestSuites',
  'numTodoTests',
  'numTotalTestSuites',
  'numTotalTests',
];
for (const file of others) {
  if (!fs.existsSync(file)) {
    // A run that wrote no report (it crashed before jest could): one failure, named.
    main.numFailedTests += 1;
    main.numTotalTests += 1;
    main.success = false;
    console.error(`skillflow: ${file} is missing: counted as a failed test`);
    continue;
  }
  const more = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const key of COUNTS) main[key] = (main[key] ?? 0) + (more[key] ?? 0);
  main.success = Boolean(main.success && more.success);
  main.testResults = [...(main.testResults ?? []), ...(more.testResults ?? [])];
}
fs.writeFileSync(target, JSON.stringify(main));
