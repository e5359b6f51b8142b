// Idempotency-Key on POST (docs/api.md): the same key and the same request return the first response again
// and change nothing more; the same key with a different request is 422 IDEMPOTENCY_KEY_REUSED. A placeholder
// row is written first, so two concurrent retries cannot both run. Server errors are not stored: a retry runs.
// A request run again under its key (after a 503, or taking over from an API process that died mid-request)
// sends its workflow Updates with the same Update ids (updateIdFor), so Temporal answers the first Update's
// outcome instead of running the command a second time.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request } from 'express';
import type { Db } from '../platform/db';
import { isUniqueViolation } from '../platform/db';
import type { Principal } from './context';
import { Problem, problems } from './problem';
import type { Reply } from './http';
import { problemReply } from './http';
import { sha256 } from './auth/tokens';

const KEY = /^[\x21-\x7e]{1,200}$/;
const RETENTION_MS = 24 * 3_600_000;
/**
 * How long a request may still be running: the longest is a workflow Update, whose call gives up after
 * SKILLFLOW_UPDATE_TIMEOUT_MS when that is set (503 WORKFLOW_TIMEOUT); without it, it waits for its workflow.
 * A placeholder older than this was left by an API process that died mid-request (found by the crash harness): the retry takes it over and runs, instead of 409 IDEMPOTENCY_IN_PROGRESS for a
 * day. Running again is safe as after any 5xx: its Updates carry the ids of the first run's (updateIdFor), so a
 * command the workflow already applied answers as it did then (it used to be refused by the workflow's rules:
 * 409 ALREADY_ENROLLED for a roster that was enrolled, found by the crash harness).
 */
export const IN_PROGRESS_LEASE_MS = 2 * 60_000;
/** Refusals that may change on retry without any state change are not remembered. */
const TRANSIENT = new Set([401, 403, 429, 503]);

/**
 * The request being run: its key (its caller's scope included), the Updates it has sent so far, and its notes
 * (what it must find again if it is run again: the class id a filing started, api/classIds.ts), kept in its
 * placeholder row while it runs.
 */
interface Running {
  key: string;
  sent: Map<string, number>;
  notes: Record<string, string>;
  db: Db;
}
const running = new AsyncLocalStorage<Running>();

/**
 * Notes `value` under `name` for this request, in its placeholder: a run again of the request (after its API
 * process died, or after a 5xx) reads it back with `recall`. Outside an idempotent request, nothing is kept.
 */
export async function remember(name: string, value: string): Promise<void> {
  const scope = running.getStore();
  if (!scope) return;
  scope.notes[name] = value;
  await scope.db.idempotencyRecord.updateMany({
    where: { key: scope.key, status: 0 },
    data: { body: JSON.stringify({ notes: scope.notes }) },
  });
}

/** What an earlier run of this request noted under `name` (undefined on a first run, or outside one). */
export function recall(name: string): string | undefined {
  return running.getStore()?.notes[name];
}

/** The notes an earlier run left in its placeholder (its body while status 0). */
function notesOf(body: string): Record<string, string> {
  try {
    const parsed = JSON.parse(body) as { notes?: Record<string, string> };
    return parsed.notes && typeof parsed.notes === 'object' ? parsed.notes : {};
  } catch {
    return {};
  }
}

/**
 * The Update id for the next Update this request sends to `workflowId` (`update` its name): the same in every run
 * of the request under its Idempotency-Key (the n-th Update of that name to that workflow); undefined outside
 * such a request (Temporal then picks a random one).
 */
export function updateIdFor(workflowId: string, update: string): string | undefined {
  const scope = running.getStore();
  if (!scope) return undefined;
  const slot = `${workflowId}\n${update}`;
  const n = (scope.sent.get(slot) ?? 0) + 1;
  scope.sent.set(slot, n);
  return `idem-${sha256(`${scope.key}\n${slot}\n${n}`).slice(0, 40)}`;
}

/**
 * A seed for an id this request makes up (`what` says which: an enrolment of a row, an evidence item), the same
 * in every run of the request under its Idempotency-Key, so a run again names what the first run named; undefined
 * outside such a request (the id is then random).
 */
export function requestSeed(what: string): string | undefined {
  const scope = running.getStore();
  return scope ? `${scope.key}\n${what}` : undefined;
}

interface Stored {
  s: number;
  t?: string;
  b?: string;
  h?: Record<string, string>;
}

export async function idempotent(
  db: Db,
  req: Request,
  principal: Principal | undefined,
  run: () => Promise<Reply | void>,
): Promise<Reply | void> {
  const header = req.get('idempotency-key') ?? '';
  if (!KEY.test(header))
    throw problems.badRequest('IDEMPOTENCY_KEY_INVALID', {
      zh: 'Idempotency-Key须为1至200个可见ASCII字符',
      en: 'Idempotency-Key must be 1 to 200 visible ASCII characters',
    });
  const caller = principal ? `u:${principal.userId}` : `anon:${req.ip ?? ''}`;
  const key = `${caller}:${header}`;
  const body = Buffer.isBuffer(req.body)
    ? sha256(req.body.toString('base64'))
    : JSON.stringify(req.body ?? null);
  const requestHash = sha256(`${req.method} ${req.originalUrl}\n${body}`);

  let notes: Record<string, string> = {};
  for (let attempt = 0; ; attempt++) {
    try {
      const body = Object.keys(notes).length ? JSON.stringify({ notes }) : '';
      await db.idempotencyRecord.create({ data: { key, requestHash, status: 0, body } });
      break;
    } catch (err) {
      if (!isUniqueViolation(err) || attempt > 1) throw err;
      const existing = await db.idempotencyRecord.findUnique({ where: { key } });
      if (!existing) continue;
      const age = Date.now() - existing.createdAt.getTime();
      if (age > RETENTION_MS || (existing.status === 0 && age > IN_PROGRESS_LEASE_MS)) {
        // Taken over: the same request runs again, with what its earlier run noted.
        if (existing.status === 0 && existing.requestHash === requestHash) notes = notesOf(existing.body);
        await db.idempotencyRecord.deleteMany({ where: { key, createdAt: existing.createdAt } });
        continue;
      }
      if (existing.requestHash !== requestHash)
        throw problems.rule('IDEMPOTENCY_KEY_REUSED', {
          zh: '该Idempotency-Key已用于另一个请求',
          en: 'This Idempotency-Key was used for a different request',
        });
      if (existing.status === 0)
        throw problems.conflict('IDEMPOTENCY_IN_PROGRESS', {
          zh: '使用该Idempotency-Key的请求仍在处理中',
          en: 'A request with this Idempotency-Key is still being processed',
        });
      const stored = JSON.parse(existing.body) as Stored;
      return {
        status: stored.s,
        text: stored.b,
        contentType: stored.t,
        headers: { ...stored.h, 'Idempotent-Replayed': 'true' },
      };
    }
  }

  let reply: Reply | void;
  try {
    reply = await running.run({ key, sent: new Map(), notes, db }, run);
  } catch (err) {
    if (err instanceof Problem && err.status < 500 && !TRANSIENT.has(err.status))
      reply = problemReply(req, err);
    else {
      // Free for the retry at once; a run that noted something leaves its notes for it (an abandoned
      // placeholder, which the retry takes over as after a process that died).
      if (Object.keys(notes).length)
        await db.idempotencyRecord
          .updateMany({ where: { key, status: 0 }, data: { createdAt: new Date(0) } })
          .catch(() => undefined);
      else await db.idempotencyRecord.deleteMany({ where: { key } }).catch(() => undefined);
      throw err;
    }
  }
  const status = reply?.status ?? 200;
  const stored: Stored = {
    s: status,
    t: reply?.contentType ?? (reply?.json !== undefined ? 'application/json' : undefined),
    b:
      reply?.json !== undefined
        ? JSON.stringify(reply.replayJson !== undefined ? reply.replayJson : reply.json)
        : typeof reply?.text === 'string'
          ? reply.text
          : undefined,
    h: reply?.headers,
  };
  await db.idempotencyRecord.update({ where: { key }, data: { status, body: JSON.stringify(stored) } });
  if (reply?.json === undefined) return reply;
  // The first answer is the full one (with a secret shown once); only replays get the stored copy.
  return reply.replayJson !== undefined
    ? { ...reply, replayJson: undefined }
    : { ...reply, text: stored.b, contentType: stored.t };
}
