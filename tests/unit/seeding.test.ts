// Issue 15, point 13: the demo seeding of `npm start` runs while the system serves; when it fails it says so
// loudly and the system keeps running (scripts/stack.ts runSeeder). Only a supervisor that gave up stops it.
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { runSeeder } from '../../scripts/stack';
import { Supervisor } from '../../scripts/supervisor';

class FakeChild extends EventEmitter {
  static next = 2000;
  readonly pid = FakeChild.next++;
  readonly signals: string[] = [];
  exited = false;
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    this.signals.push(signal);
    this.exit(null, signal);
    return true;
  }
  exit(code: number | null, signal: NodeJS.Signals | null = null) {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code, signal);
  }
}

/** The three supervised processes of the stack, up and supervised, as when the seeder starts. */
function runningSystem() {
  const lines: string[] = [];
  const supervisor = new Supervisor({ log: (l) => lines.push(l), stopTimeoutMs: 10 });
  const procs = ['temporal', 'worker', 'api'].map((name) => {
    const child = new FakeChild();
    supervisor.add(name, () => child as unknown as ChildProcess);
    return child;
  });
  supervisor.supervise();
  return { supervisor, lines, procs };
}

describe('the demo seeding of npm start', () => {
  let stopAfter: Supervisor | undefined;
  afterEach(async () => {
    await stopAfter?.stop();
    stopAfter = undefined;
  });

  it('says loudly that a failed seeding left no demo data, and stops nothing', async () => {
    const { supervisor, lines, procs } = runningSystem();
    stopAfter = supervisor;
    const seeder = new FakeChild();
    const outcome = runSeeder(
      () => seeder as unknown as ChildProcess,
      supervisor.gaveUp,
      (l) => lines.push(l),
    );
    seeder.exit(1);

    await expect(outcome).resolves.toEqual({ seeded: false });
    expect(lines).toEqual([
      "skillflow: WARNING: the demo data could not be seeded (exit code 1); SkillFlow keeps running without it. The seeder's errors are above.",
    ]);
    // Nothing was signalled, nothing given up: the system serves on.
    expect(procs.map((p) => [p.exited, p.signals])).toEqual([
      [false, []],
      [false, []],
      [false, []],
    ]);
    expect(['temporal', 'worker', 'api'].map((n) => supervisor.pid(n))).toEqual(procs.map((p) => p.pid));
    const gaveUp = await Promise.race([supervisor.gaveUp, new Promise((r) => setTimeout(r, 50, 'serving'))]);
    expect(gaveUp).toBe('serving');
  });

  it('reports a seeder that could not start at all once, and still stops nothing', async () => {
    const { supervisor, lines, procs } = runningSystem();
    stopAfter = supervisor;
    const seeder = new FakeChild();
    const outcome = runSeeder(
      () => seeder as unknown as ChildProcess,
      supervisor.gaveUp,
      (l) => lines.push(l),
    );
    seeder.emit('error', new Error('spawn ENOENT'));
    seeder.exit(-2);
    await expect(outcome).resolves.toEqual({ seeded: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('(spawn ENOENT)');
    expect(procs.every((p) => !p.exited)).toBe(true);
  });

  it('is quiet when the demo is seeded', async () => {
    const { supervisor, lines } = runningSystem();
    stopAfter = supervisor;
    const seeder = new FakeChild();
    const outcome = runSeeder(
      () => seeder as unknown as ChildProcess,
      supervisor.gaveUp,
      (l) => lines.push(l),
    );
    seeder.exit(0);
    await expect(outcome).resolves.toEqual({ seeded: true });
    expect(lines).toEqual([]);
  });

  it('stops the seeder when the supervisor gives up on the system meanwhile', async () => {
    const seeder = new FakeChild();
    let giveUp!: (reason: string) => void;
    const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
    const lines: string[] = [];
    const outcome = runSeeder(
      () => seeder as unknown as ChildProcess,
      gaveUp,
      (l) => lines.push(l),
    );
    giveUp('the worker process died 5 times within 60 s');
    await expect(outcome).resolves.toEqual({ gaveUp: 'the worker process died 5 times within 60 s' });
    expect(seeder.signals).toEqual(['SIGKILL']);
    expect(lines).toEqual([]); // the supervisor has said why; the killed seeder adds no second story
  });
});
