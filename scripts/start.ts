// `npm start`: SkillFlow on one machine with embedded defaults. A process that dies is restarted (see
// scripts/supervisor.ts); one that keeps dying stops everything and `npm start` exits with status 1.
// Ctrl-C (or SIGTERM, SIGHUP) stops every child process; starting again resumes the same cases
// (everything lives under data/).
import path from 'node:path';
import { ROOT, startStack } from './stack';
import { DEMO_PASSWORD, DEMO_USERS } from '../prisma/demo';

async function main() {
  const dataDir = path.resolve(process.env.SKILLFLOW_DATA_DIR ?? path.join(ROOT, 'data'));
  const relative = path.relative(process.cwd(), dataDir);
  const shownDataDir = relative && !relative.startsWith('..') ? relative : dataDir;
  const stack = await startStack({
    dataDir,
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
    temporalUiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    apiPort: Number(process.env.PORT ?? 3000),
    seedDemo: process.env.SKILLFLOW_DEMO !== '0',
    demoClock: process.env.SKILLFLOW_DEMO_CLOCK !== '0',
    output: 'inherit',
  });
  const lines = [
    '',
    'SkillFlow is running.',
    `  Web UI (zh-CN / English)   ${stack.urls.web}`,
    `  API docs (OpenAPI)         ${stack.urls.apiDocs}`,
    `  Health                     ${stack.urls.health}`,
    `  Temporal UI                ${stack.urls.temporalUi}`,
    '',
    `Demo logins (password ${DEMO_PASSWORD}):`,
    ...DEMO_USERS.map((u) => `  ${u.username.padEnd(12)} ${u.role.padEnd(12)} ${u.displayName}`),
    '',
    `Press Ctrl-C to stop. Data is kept in ${shownDataDir}/; starting again ` +
      'resumes the same cases. A process that dies is restarted.',
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  let failed = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping SkillFlow...');
    await stack.stop();
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  void stack.gaveUp.then(async (reason) => {
    failed = true;
    await stack.stop();
    console.error(`skillflow: stopped because ${reason}. See the output above for its errors.`);
    process.exit(1);
  });
}

main().catch((err) => {
  console.error(`skillflow: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
