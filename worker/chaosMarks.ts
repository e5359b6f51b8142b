// Opt-in test hook for the crash harness (bench/chaos.ts), off unless SKILLFLOW_CHAOS_MARKS names a file.
// When set, the worker appends one line to that file as a payment submission or a projection write starts
// and as it ends (`<ms> <pid> <activity> start|end <id>`), so the harness can SIGKILL the worker while one
// is in flight; SKILLFLOW_CHAOS_HOLD_MS (payments only) keeps a finished submission from reporting back for
// that long, so a kill can land after the bank file is written and before Temporal hears of it. The
// activities themselves run unchanged.
import fs from 'node:fs';

type Activity = (arg: never) => Promise<unknown>;
const MARKED = { submitPayments: 'batchId', project: 'seq' } as const;

export function withChaosMarks<A extends object>(activities: A, env: NodeJS.ProcessEnv = process.env): A {
  const file = env.SKILLFLOW_CHAOS_MARKS;
  if (!file) return activities;
  const holdMs = Number(env.SKILLFLOW_CHAOS_HOLD_MS ?? 0);
  const mark = (name: string, phase: string, id: unknown) =>
    fs.appendFileSync(file, `${Date.now()} ${process.pid} ${name} ${phase} ${String(id)}\n`);
  const wrapped: Record<string, unknown> = { ...(activities as Record<string, unknown>) };
  for (const [name, field] of Object.entries(MARKED)) {
    const inner = (activities as Record<string, Activity>)[name];
    if (!inner) continue;
    wrapped[name] = async (arg: Record<string, unknown>) => {
      const id = name === 'project' ? `${String(arg.workflowId)}#${String(arg[field])}` : arg[field];
      mark(name, 'start', id);
      const result = await inner(arg as never);
      mark(name, 'end', id);
      if (name === 'submitPayments' && holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
      return result;
    };
  }
  return wrapped as A;
}
