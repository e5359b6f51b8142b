// Processes a test run left behind: a suite's stack (Temporal dev server, worker, API) or browser whose jest
// worker was force-exited ("A worker process has failed to exit gracefully") goes on running as an orphan, and
// the crash harness that runs next (scripts/test.sh) then shares two cores with it. Lists and stops them.
//   node scripts/reap.mjs          says what it stopped
//   node scripts/reap.mjs --list   only says what it would stop
// A process is a leftover when all of these hold: it runs in this checkout (its working directory), its parent
// is gone (it was handed to PID 1), and it belongs to a test — its database or data folder is in the temporary
// directory, or it is a Chromium. `npm start` (data under the checkout, a live parent) is never touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fs.realpathSync(path.resolve(path.dirname(SELF), '..'));
const TMP = fs.realpathSync(os.tmpdir());

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every process of this machine: pid, parent, working directory, command line and environment. */
export function processes() {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      const stat = read(`/proc/${d}/stat`);
      if (!stat) return [];
      // "pid (comm) state ppid ...": the command may hold spaces and parentheses; the last ')' ends it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let cwd;
      try {
        cwd = fs.readlinkSync(`/proc/${d}/cwd`);
      } catch {
        return [];
      }
      const args = (read(`/proc/${d}/cmdline`) ?? '').split('\0').filter(Boolean);
      const env = (read(`/proc/${d}/environ`) ?? '').split('\0');
      return [{ pid: Number(d), ppid, cwd, args, env }];
    });
}

/** Whether a process is a test's leftover (see the head of this file). */
export function isLeftover(p, root = ROOT, tmp = TMP) {
  if (p.ppid !== 1 || p.cwd !== root) return false;
  const command = p.args.join(' ');
  if (/postgres/.test(command)) return false; // the suites' PostgreSQL server is stopped by its own trap
  const inTmp = (value) => typeof value === 'string' && value.includes(tmp + path.sep);
  const dbFile = p.args[p.args.indexOf('--db-filename') + 1];
  const databaseUrl = p.env.find((e) => e.startsWith('DATABASE_URL='));
  return /chrom/i.test(command) || (p.args.includes('--db-filename') && inTmp(dbFile)) || inTmp(databaseUrl);
}

/** A leftover and everything it started, children first. */
function withDescendants(all, pid) {
  const children = all.filter((p) => p.ppid === pid).flatMap((p) => withDescendants(all, p.pid));
  return [...children, pid];
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(SELF)) {
  const listOnly = process.argv.includes('--list');
  const all = processes();
  const leftovers = all.filter((p) => isLeftover(p));
  for (const p of leftovers) {
    console.error(
      `skillflow: a test left pid ${p.pid} running: ${p.args.join(' ').slice(0, 200)}${listOnly ? '' : ' — stopped'}`,
    );
    if (!listOnly)
      for (const pid of withDescendants(all, p.pid))
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
  }
  if (!leftovers.length) console.error('skillflow: no test left a process running');
}
