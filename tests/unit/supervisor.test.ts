// The supervisor of `npm start` with fake child processes and a fake clock: restarts with back-off,
// back-off reset after a stable run, giving up after repeated fast failures, and a stop that restarts nothing.
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { Supervisor, type SupervisorOptions } from '../../scripts/supervisor';

let nextPid = 1000;

class FakeChild extends EventEmitter {
  readonly pid = nextPid++;
  readonly signals: string[] = [];
  exited = false;
  constructor(private readonly ignoresSigint = false) {
    super();
  }
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    this.signals.push(signal);
    if (signal !== 'SIGKILL' && this.ignoresSigint) return true;
    this.die(signal === 'SIGINT' ? 0 : null, signal === 'SIGINT' ? null : signal);
    return true;
  }
  die(code: number | null, signal: NodeJS.Signals | null = null) {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code, signal);
  }
}

/** A supervisor of named fake processes; `spawned[name]` lists every process started under that name. */
function setUp(names: string[], opts: Partial<SupervisorOptions> & { ignoresSigint?: boolean } = {}) {
  const lines: string[] = [];
  const spawned: Record<string, FakeChild[]> = {};
  const supervisor = new Supervisor({ log: (l) => lines.push(l), ...opts });
  for (const name of names) {
    spawned[name] = [];
    supervisor.add(name, () => {
      const child = new FakeChild(opts.ignoresSigint);
      spawned[name]!.push(child);
      return child as unknown as ChildProcess;
    });
  }
  const current = (name: string) => spawned[name]!.at(-1)!;
  return { supervisor, lines, spawned, current };
}

const delaysOf = (lines: string[]) =>
  lines.flatMap((l) => /restarting it in ([\d.]+) s/.exec(l)?.[1] ?? []).map(Number);

describe('the supervisor of npm start', () => {
  let stopAfter: Supervisor | undefined;
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(async () => {
    await stopAfter?.stop();
    stopAfter = undefined;
    jest.useRealTimers();
  });

  it('restarts a process that dies after 1 s, then 2, 4, 8, 16 and at most 30 s, saying which died, how and when', () => {
    jest.setSystemTime(new Date('2026-11-30T08:00:00Z'));
    const { supervisor, lines, spawned, current } = setUp(['temporal', 'worker']);
    stopAfter = supervisor;
    supervisor.supervise();

    // Dies every 20 s: never 5 times within a minute, never stable long enough to reset the back-off.
    const expected = [1, 2, 4, 8, 16, 30, 30];
    for (const [i, delay] of expected.entries()) {
      jest.advanceTimersByTime(20_000);
      const dying = current('worker');
      dying.die(null, 'SIGKILL');
      expect(supervisor.pid('worker')).toBeUndefined();
      jest.advanceTimersByTime(delay * 1000 - 1);
      expect(spawned.worker).toHaveLength(i + 1);
      jest.advanceTimersByTime(1);
      expect(spawned.worker).toHaveLength(i + 2);
      expect(supervisor.pid('worker')).toBe(current('worker').pid);
      if (i === 0) {
        expect(lines[0]).toBe(
          `skillflow: the worker process (pid ${dying.pid}) died at 2026-11-30T08:00:20.000Z with signal ` +
            'SIGKILL after running 20 s; restarting it in 1 s (failure 1 of 5 allowed within 60 s)',
        );
        expect(lines[1]).toBe(
          `skillflow: the worker process is running again (pid ${current('worker').pid})`,
        );
      }
    }
    expect(delaysOf(lines)).toEqual(expected);
    expect(supervisor.restarts('worker')).toBe(expected.length);
    expect(spawned.temporal).toHaveLength(1);
    expect(current('temporal').signals).toEqual([]);
  });

  it('starts again from 1 s once a process had run for a minute', () => {
    const { supervisor, lines, current } = setUp(['api']);
    stopAfter = supervisor;
    supervisor.supervise();
    for (const runMs of [100, 100, 100, 60_000, 100]) {
      jest.advanceTimersByTime(runMs);
      current('api').die(1);
      jest.runOnlyPendingTimers();
    }
    expect(delaysOf(lines)).toEqual([1, 2, 4, 1, 2]);
    expect(lines.at(-2)).toContain('with exit code 1 after running 0.1 s');
  });

  it('gives up loudly after 5 failures within 60 s: says why, stops every process, restarts nothing more', async () => {
    const { supervisor, lines, spawned, current } = setUp(['temporal', 'worker', 'api']);
    supervisor.supervise();
    // Dies as soon as it is back: at 0, 1, 3, 7 and 15 s.
    for (let i = 0; i < 5; i++) {
      current('worker').die(1);
      if (i < 4) jest.runOnlyPendingTimers();
    }
    const reason = await supervisor.gaveUp;

    expect(delaysOf(lines)).toEqual([1, 2, 4, 8]);
    expect(lines.at(-1)).toBe(
      'skillflow: giving up: the worker process died 5 times within 60 s (last: exit code 1); ' +
        'stopping every SkillFlow process.',
    );
    expect(reason).toBe('the worker process died 5 times within 60 s (last: exit code 1)');
    expect(spawned.worker).toHaveLength(5);
    expect([current('api').signals, current('temporal').signals]).toEqual([['SIGINT'], ['SIGINT']]);
    expect(supervisor.pid('api')).toBeUndefined();
    jest.advanceTimersByTime(120_000);
    expect(['temporal', 'worker', 'api'].map((n) => spawned[n]!.length)).toEqual([1, 5, 1]);
  });

  it('keeps restarting a process that dies every 15 s or so: never 5 deaths within 60 s', () => {
    const { supervisor, lines, spawned, current } = setUp(['worker']);
    stopAfter = supervisor;
    supervisor.supervise();
    // Runs 15 s each time: at most 4 deaths ever fall within one minute.
    for (let i = 0; i < 6; i++) {
      jest.advanceTimersByTime(15_000);
      current('worker').die(1);
      jest.runOnlyPendingTimers();
    }
    expect(lines.some((l) => l.includes('giving up'))).toBe(false);
    expect(spawned.worker).toHaveLength(7);
  });

  it('stops every process last-started first on Ctrl-C, cancels a pending restart and restarts nothing', async () => {
    const { supervisor, lines, spawned, current } = setUp(['temporal', 'worker', 'api']);
    supervisor.supervise();
    const order: string[] = [];
    for (const name of ['temporal', 'worker', 'api']) current(name).on('exit', () => order.push(name));
    current('worker').die(null, 'SIGKILL'); // its restart is due in 1 s
    order.length = 0;

    await supervisor.stop();
    expect(order).toEqual(['api', 'temporal']);
    expect([current('api').signals, current('temporal').signals]).toEqual([['SIGINT'], ['SIGINT']]);
    jest.advanceTimersByTime(120_000);
    expect(['temporal', 'worker', 'api'].map((n) => spawned[n]!.length)).toEqual([1, 1, 1]);
    expect(lines).toHaveLength(1); // the worker's death; nothing about the stopped ones
  });

  it('kills a process that does not stop within the timeout after SIGINT', async () => {
    const { supervisor, current } = setUp(['worker'], { ignoresSigint: true, stopTimeoutMs: 10_000 });
    supervisor.supervise();
    const stopped = supervisor.stop();
    jest.advanceTimersByTime(10_000);
    await stopped;
    expect(current('worker').signals).toEqual(['SIGINT', 'SIGKILL']);
  });

  it('does not restart a process that dies while the stack is still starting: start-up reports it', () => {
    const { supervisor, lines, spawned, current } = setUp(['temporal']);
    stopAfter = supervisor;
    const pid = current('temporal').pid;
    current('temporal').die(1);
    jest.advanceTimersByTime(60_000);
    expect(spawned.temporal).toHaveLength(1);
    expect(lines).toEqual([]);
    expect(supervisor.startupFailure()).toBe(
      `the temporal process (pid ${pid}) exited during start-up with exit code 1`,
    );
  });
});
