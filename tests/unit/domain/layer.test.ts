/**
 * Guards the rules of the domain layer (STYLE.md "The layers"): pure code that Temporal workflows can import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
