// `npm start`: SkillFlow on one machine with embedded defaults. Ctrl-C stops every child process;
// starting again resumes the same cases (everything lives under data/).
import path from 'node:path';
import { ROOT, startStack } from './stack';
import { DEMO_PASSWORD, DEMO_USERS } from '../prisma/demo';

async function main() {
  const stack = await startStack({
    dataDir: process.env.SKILLFLOW_DATA_DIR ?? path.join(ROOT, 'data'),
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
    temporalUiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    apiPort: Number(process.env.PORT ?? 3000),
    seedDemo: process.env.SKILLFLOW_DEMO !== '0',
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
    'Press Ctrl-C to stop. Data is kept in data/; starting again resumes the same cases.',
    '',
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping SkillFlow...');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(`skillflow: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
