// Keeps the processes of `npm start` running. A process that dies after SkillFlow is up is started again
// after a back-off (1 s, doubling to 30 s; back to 1 s once it had run a minute); one that keeps dying
// (5 times within 60 s) makes the supervisor give up loudly: it says why, stops every process and
// resolves `gaveUp`, so `npm start` exits non-zero instead of limping on. Stopping (Ctrl-C, SIGTERM) is
// never mistaken for a crash: `stop()` turns supervision off before it signals anyone.
// Before `supervise()` (while the stack is still coming up) a death is not restarted but reported by
// `startupFailure()`: a process that cannot start at all has a set-up problem (a port taken, a bad key)
// that a restart would not mend.
import type { ChildProcess } from 'node:child_process';

export interface RestartPolicy {
  /** wait before the first restart; doubled for each further one */
  firstDelayMs: number;
  maxDelayMs: number;
  /** a process that ran this long before it died is restarted after `firstDelayMs` again */
  stableAfterMs: number;
  /** give up when one process died this many times within `failureWindowMs` */
  maxFailures: number;
  failureWindowMs: number;
}

export const RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxFailures: 5,
  failureWindowMs: 60_000,
};

export interface SupervisorOptions {
  /** one line per event (died, restarted, giving up) */
  log: (line: string) => void;
  policy?: Partial<RestartPolicy>;
  /** how long `stop()` waits for a process after SIGINT before it sends SIGKILL */
  stopTimeoutMs?: number;
}

interface Supervised {
  name: string;
  start: () => ChildProcess;
  proc: ChildProcess;
  startedAt: number;
  running: boolean;
  nextDelayMs: number;
  /** when it died, within the failure window */
  failures: number[];
  restarts: number;
  restartTimer?: NodeJS.Timeout;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class Supervisor {
  readonly policy: RestartPolicy;
  /** resolves with the reason once the supervisor gave up on a process and stopped all of them */
  readonly gaveUp: Promise<string>;
  private resolveGaveUp!: (reason: string) => void;
  private readonly processes: Supervised[] = [];
  private state: 'starting' | 'supervising' | 'stopping' = 'starting';
  private startupError?: string;
  private stopping?: Promise<void>;
  // If this process itself exits without stopping the others (an uncaught error), they must not outlive it.
  private readonly onParentExit = () => {
    for (const p of this.processes) if (p.running) p.proc.kill('SIGTERM');
  };

  constructor(private readonly opts: SupervisorOptions) {
    this.policy = { ...RESTART_POLICY, ...opts.policy };
    this.gaveUp = new Promise((resolve) => (this.resolveGaveUp = resolve));
    process.on('exit', this.onParentExit);
  }

  /** Starts a process now and keeps it running (once `supervise()` was called). */
  add(name: string, start: () => ChildProcess): ChildProcess {
    const supervised: Supervised = {
      name,
      start,
      proc: undefined as unknown as ChildProcess,
      startedAt: 0,
      running: false,
      nextDelayMs: this.policy.firstDelayMs,
      failures: [],
      restarts: 0,
    };
    this.processes.push(supervised);
    this.launch(supervised);
    return supervised.proc;
  }

  /** From now on a process that dies is restarted. */
  supervise(): void {
    if (this.state === 'starting') this.state = 'supervising';
  }

  /** Why the start-up failed: the first process that died before `supervise()`. */
  startupFailure(): string | undefined {
    return this.startupError;
  }

  /** The current process id of a supervised process, undefined while it is down. */
  pid(name: string): number | undefined {
    const p = this.processes.find((s) => s.name === name);
    return p?.running ? p.proc.pid : undefined;
  }

  restarts(name: string): number {
    return this.processes.find((s) => s.name === name)?.restarts ?? 0;
  }

  /** Stops every process, the last started first (SIGINT, SIGKILL after the timeout); no restarts. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private launch(p: Supervised) {
    const proc = p.start();
    p.proc = proc;
    p.startedAt = Date.now();
    p.running = true;
    let done = false;
    const died = (how: string) => {
      if (done) return;
      done = true;
      p.running = false;
      this.died(p, how);
    };
    proc.once('exit', (code, signal) => died(signal ? `signal ${signal}` : `exit code ${code}`));
    // A process that could not be spawned at all (ENOENT) may report only an error.
    proc.once('error', (err) => {
      if (proc.pid === undefined) died(`spawn error ${err.message}`);
    });
  }

  private died(p: Supervised, how: string) {
    if (this.state === 'stopping') return;
    const now = Date.now();
    const ranMs = now - p.startedAt;
    const pid = p.proc.pid ?? '-';
    if (this.state === 'starting') {
      this.startupError ??= `the ${p.name} process (pid ${pid}) exited during start-up with ${how}`;
      return;
    }
    p.failures = [...p.failures.filter((t) => t > now - this.policy.failureWindowMs), now];
    if (p.failures.length >= this.policy.maxFailures) {
      const reason =
        `the ${p.name} process died ${p.failures.length} times within ${seconds(this.policy.failureWindowMs)} ` +
        `(last: ${how})`;
      this.opts.log(`skillflow: giving up: ${reason}; stopping every SkillFlow process.`);
      void this.stop().then(() => this.resolveGaveUp(reason));
      return;
    }
    if (ranMs >= this.policy.stableAfterMs) p.nextDelayMs = this.policy.firstDelayMs;
    const delay = p.nextDelayMs;
    p.nextDelayMs = Math.min(delay * 2, this.policy.maxDelayMs);
    this.opts.log(
      `skillflow: the ${p.name} process (pid ${pid}) died at ${new Date(now).toISOString()} with ${how} ` +
        `after running ${seconds(ranMs)}; restarting it in ${seconds(delay)} ` +
        `(failure ${p.failures.length} of ${this.policy.maxFailures} allowed within ` +
        `${seconds(this.policy.failureWindowMs)})`,
    );
    p.restartTimer = setTimeout(() => {
      p.restartTimer = undefined;
      if (this.state !== 'supervising') return;
      p.restarts += 1;
      this.launch(p);
      this.opts.log(`skillflow: the ${p.name} process is running again (pid ${p.proc.pid ?? '-'})`);
    }, delay);
  }

  private async stopAll(): Promise<void> {
    this.state = 'stopping';
    const timeoutMs = this.opts.stopTimeoutMs ?? 10_000;
    for (const p of [...this.processes].reverse()) {
      clearTimeout(p.restartTimer);
      if (!p.running) continue;
      const exited = new Promise((resolve) => p.proc.once('exit', resolve));
      p.proc.kill('SIGINT');
      const force = setTimeout(() => p.running && p.proc.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(force);
    }
    process.off('exit', this.onParentExit);
  }
}
