/**
 * Guards the layers (STYLE.md "The layers", docs/ARCHITECTURE.md): the domain is pure code that Temporal
 * workflows can import, and every other server folder imports only downward.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as domain from '../../../domain';

const domainDir = join(__dirname, '../../../domain');
const files = readdirSync(domainDir).filter((f) => f.endsWith('.ts'));
const source = (file: string) => readFileSync(join(domainDir, file), 'utf8');
const importsOf = (file: string) =>
  [...source(file).matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1] ?? '');

describe('the domain layer', () => {
  it.each(files.filter((f) => f !== 'pii.ts'))(
    '%s imports only zod, chinese-days and its own files',
    (file) => {
      for (const spec of importsOf(file)) {
        expect(spec === 'zod' || spec.startsWith('chinese-days') || spec.startsWith('./')).toBe(true);
      }
    },
  );

  it.each(files.filter((f) => f !== 'pii.ts'))(
    '%s does not import pii.ts (the workflow sandbox cannot load node:crypto)',
    (file) => {
      expect(importsOf(file)).not.toContain('./pii');
    },
  );

  it('lets only pii.ts use node:crypto', () => {
    expect(importsOf('pii.ts')).toContain('node:crypto');
    expect(importsOf('pii.ts').every((spec) => spec === 'node:crypto' || spec.startsWith('./'))).toBe(true);
  });

  it.each(files)('%s never reads the clock or randomness (the date is always a parameter)', (file) => {
    const code = source(file);
    expect(code).not.toMatch(/Date\.now\(/);
    expect(code).not.toMatch(/new Date\(\s*\)/);
    expect(code).not.toMatch(/Math\.random\(/);
  });

  it('re-exports everything from index except the node:crypto helpers', () => {
    expect(typeof domain.checkTrainingEligibility).toBe('function');
    expect(typeof domain.workingDaysPeriod).toBe('function');
    expect('personKey' in domain).toBe(false);
    expect('encryptField' in domain).toBe(false);
  });
});

// ---------- the server folders ----------
const root = join(__dirname, '../../..');

interface Import {
  spec: string;
  /** the imported file relative to the project root (`workflows/messages`), for relative specifiers only */
  target?: string;
  typeOnly: boolean;
}

/** Static imports and re-exports (also multi-line and side-effect only), require() and import(). */
function importsIn(file: string, code: string): Import[] {
  const target = (spec: string) =>
    spec.startsWith('.')
      ? relative(root, resolve(root, dirname(file), spec))
          .split(sep)
          .join('/')
      : undefined;
  const found: Import[] = [];
  for (const m of code.matchAll(
    /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm,
  )) {
    const spec = m[2] ?? '';
    found.push({ spec, target: target(spec), typeOnly: m[1] !== undefined });
  }
  for (const m of code.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? '';
    found.push({ spec, target: target(spec), typeOnly: false });
  }
  return found;
}

interface Rule {
  /** folders (or files) whose code may be loaded */
  may: string[];
  /** folders (or files) that may be imported with `import type` only (erased at compile time) */
  typesFrom?: string[];
  /** packages never loaded */
  never?: RegExp;
}

// worker/, scripts/, prisma/, bench/ and tests/ assemble the rest and may import everything.
const rules: Record<string, Rule> = {
  platform: { may: ['platform', 'domain'], never: /^(@temporalio\/(workflow|worker|activity)|express)$/ },
  activities: {
    may: ['activities', 'platform', 'domain'],
    typesFrom: ['workflows/messages'],
    never: /^@temporalio\/workflow$/,
  },
  // the type of a workflow function, for a typed start; message definitions are values the API sends
  api: {
    may: ['api', 'platform', 'domain', 'workflows/messages'],
    typesFrom: ['workflows'],
    never: /^@temporalio\/(worker|activity)$/,
  },
  // the sandbox: no Node module, no I/O; activities are known by their types only (STYLE.md "Workflows")
  workflows: { may: ['workflows', 'domain'], typesFrom: ['activities'], never: /^node:|^(fs|path|crypto)$/ },
};

const within = (target: string, places: string[] = []) =>
  places.some((p) => target === p || target.startsWith(`${p}/`));

/** What `file` (relative to the root, under one of the ruled folders) imports against its folder's rule. */
function violations(file: string, code: string): string[] {
  const rule = rules[file.split('/')[0] ?? ''];
  if (!rule) throw new Error(`no layer rule for ${file}`);
  return importsIn(file, code)
    .filter(({ spec, target, typeOnly }) =>
      target === undefined
        ? rule.never?.test(spec)
        : target === 'domain/pii'
          ? !['platform', 'activities', 'api'].some((l) => file.startsWith(`${l}/`))
          : !within(target, rule.may) && !(typeOnly && within(target, rule.typesFrom)),
    )
    .map(({ spec }) => `${file} imports ${spec}`);
}

const sourcesOf = (folder: string) =>
  (readdirSync(join(root, folder), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${folder}/${f.split(sep).join('/')}`);

describe('the server layers', () => {
  it.each(Object.keys(rules))('%s/ imports only downward', (folder) => {
    const files = sourcesOf(folder);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => violations(f, readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });

  it.each([
    ['api/routes/x.ts', "import { loadSettings } from '../../worker/config';"],
    ['api/x.ts', "import { loadCalendar } from '../activities/catalogue';"],
    ['api/x.ts', "import type { CaseEvent } from '../activities/types';"],
    ['api/x.ts', "import { Worker } from '@temporalio/worker';"],
    ['api/x.ts', "import { trainingClassWorkflow } from '../workflows';"],
    ['platform/x.ts', "import {\n  createApp,\n  type AppDeps,\n} from '../api/app';"],
    ['platform/x.ts', "export { createActivities } from '../activities';"],
    ['platform/x.ts', "import type { Stage } from '../workflows/messages';"],
    ['activities/x.ts', "const { main } = require('../worker/main');"],
    ['activities/x.ts', "import { reviewPlanUpdate } from '../workflows/messages';"],
    ['activities/x.ts', "import { condition } from '@temporalio/workflow';"],
    ['workflows/x.ts', "import { createActivities } from '../activities';"],
    ['workflows/x.ts', "import { personKey } from '../domain/pii';"],
    ['workflows/x.ts', "import fs from 'node:fs';"],
  ])('would catch %s doing %j', (file, code) => {
    expect(violations(file, code)).toHaveLength(1);
  });

  it.each([
    [
      'api/routes/x.ts',
      "import { problems } from '../problem';\nimport { caseStateQuery } from '../../workflows/messages';",
    ],
    ['api/routes/x.ts', "import type { trainingClassWorkflow } from '../../workflows';"],
    ['activities/x.ts', "import type { EnrolResult } from '../workflows/messages';"],
    [
      'activities/x.ts',
      "import { openDatabase } from '../platform/db';\nimport { keyFromEnv } from '../domain/pii';",
    ],
    [
      'platform/x.ts',
      "import { keyFromEnv } from '../domain/pii';\n// import { createApp } from '../api/app';",
    ],
    [
      'workflows/x.ts',
      "import type { Activities } from '../activities';\nimport { proxyActivities } from '@temporalio/workflow';",
    ],
  ])('lets %s do %j', (file, code) => {
    expect(violations(file, code)).toEqual([]);
  });
});
