// Class ids read `SJZ-2026-000042`: the prefix (SKILLFLOW_CLASS_PREFIX), the filing year, and the next number
// after the highest in the read model. Every class starts here — a plan filed through the API and the demo
// classes `npm start` seeds while the API already takes requests — so the two never take the same number:
// Temporal refuses a duplicate workflow id (REJECT_DUPLICATE), and whoever loses a race for a number (or meets
// a class started but not yet projected) moves on to the next one.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../platform/db';
import type { ClassInput } from '../workflows/messages';
import type { trainingClassWorkflow } from '../workflows';
import { classPrefixOf } from './context';
import { recall, remember, requestSeed } from './idempotency';
import { sha256 } from './auth/tokens';

/** Numbers tried after the highest known one before giving up (each taken one is a class that exists). */
export const CLASS_ID_ATTEMPTS = 50;

export class ClassIdsExhausted extends Error {}

/**
 * The highest number this process has tried, per prefix. Filings that arrive together in one API process each
 * claim a number of their own here, so they do not all try the same next number while the read model has not
 * caught up (50 plans filed at once met CLASS_ID_EXHAUSTED: each tried the numbers the others had just taken —
 * bench/load.ts). Another process (a second API, the demo seeder) can still take a number first: Temporal
 * refuses the duplicate and the filing claims the next. A number claimed by a start that failed for another
 * reason is skipped, never reused: a class id is never handed out twice.
 */
const claimed = new Map<string, number>();
function claim(prefix: string, floor: number): number {
  const n = Math.max(floor, (claimed.get(prefix) ?? 0) + 1);
  claimed.set(prefix, n);
  return n;
}

/** Starts the class workflow under the next free class id of `year` and returns that id. */
export async function startClass(
  deps: { db: Db; temporal: Client; taskQueue: string },
  input: Omit<ClassInput, 'classId'>,
  year: string,
): Promise<string> {
  const prefix = `${classPrefixOf()}-${year}-`;
  const last = await deps.db.trainingClass.findFirst({
    where: { id: { startsWith: prefix } },
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  const floor = last ? Number(last.id.slice(prefix.length)) + 1 || 1 : 1;
  // A filing run again under its Idempotency-Key (its API process died after starting the class, before the
  // answer was stored) must find its class, not start a second one: each number is noted before it is tried,
  // and the class carries the filing's mark in its memo, so the run again tries the noted number first and
  // knows its own class from one another filing took.
  const seed = requestSeed('class filing');
  const mark = seed ? sha256(seed).slice(0, 32) : undefined;
  const noted = recall('classId');
  let n = floor;
  for (let attempt = 0; attempt < CLASS_ID_ATTEMPTS; attempt++) {
    const classId =
      attempt === 0 && noted?.startsWith(prefix)
        ? noted
        : `${prefix}${String((n = claim(prefix, floor))).padStart(6, '0')}`;
    await remember('classId', classId);
    try {
      await deps.temporal.workflow.start<typeof trainingClassWorkflow>('trainingClassWorkflow', {
        workflowId: classId,
        taskQueue: deps.taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ ...input, classId }],
        ...(mark ? { memo: { filing: mark } } : {}),
      });
      return classId;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      if (mark && (await filingOf(deps.temporal, classId)) === mark) return classId;
    }
  }
  throw new ClassIdsExhausted(`no free class id among the ${CLASS_ID_ATTEMPTS} after ${prefix}${n}`);
}

/** The filing mark a class was started with (undefined for one started outside a request, or unreadable). */
async function filingOf(temporal: Client, classId: string): Promise<string | undefined> {
  const memo = (
    await temporal.workflow
      .getHandle(classId)
      .describe()
      .catch(() => undefined)
  )?.memo;
  return typeof memo?.filing === 'string' ? memo.filing : undefined;
}
