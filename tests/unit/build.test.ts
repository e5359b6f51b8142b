// The compiled server holds nothing whose source is gone: a stale file shadows a current one (a stale
// dist/workflows/trainingClass.js was loaded instead of dist/workflows/trainingClass/index.js, so `npm start`
// ran the workflow of an earlier layout while every test of the source passed). The test command builds dist/
// first (scripts/test.sh); `npm run build:server` empties it before compiling.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

function compiled(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return compiled(full);
    return e.name.endsWith('.js') ? [path.relative(DIST, full)] : [];
  });
}

describe('the compiled server (dist/)', () => {
  it('has a source for every file, so nothing stale can be loaded', () => {
    expect(fs.existsSync(DIST)).toBe(true); // built by scripts/test.sh before the suites run
    const orphans = compiled(DIST).filter((js) => {
      const base = path.join(ROOT, js.replace(/\.js$/, ''));
      return !['.ts', '.tsx', '.js'].some((ext) => fs.existsSync(base + ext));
    });
    expect(orphans).toEqual([]);
  });
});
