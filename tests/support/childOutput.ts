// A child process whose output a test reads: everything it wrote to stdout and stderr, and its exit code once
// that output is all in. Node may emit 'exit' before the last lines written to the pipes arrive, so the exit
// settles once both pipes have closed (at most 5 s after 'exit', should a grandchild hold them open).
import type { ChildProcess } from 'node:child_process';

export function collectOutput(proc: ChildProcess): { output: () => string; exited: Promise<number | null> } {
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const pipesClosed = Promise.all(
    [proc.stdout!, proc.stderr!].map((s) => new Promise((r) => s.once('close', r))),
  );
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      const late = new Promise((r) => setTimeout(r, 5_000).unref());
      void Promise.race([pipesClosed, late]).then(() => resolve(code));
    }),
  );
  return { output: () => out, exited };
}
