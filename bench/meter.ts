// The benchmarks' HTTP client (bench/load.ts, bench/year.ts): one call per request, each request's latency kept
// for percentiles, and the worker processes' resident memory read from /proc.
import fs from 'node:fs';

export interface Call {
  (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>;
}

/** Every request's latency and every unexpected answer, across all clients. */
export class Meter {
  readonly latencies: number[] = [];
  readonly errors: string[] = [];
  /** answers 503 or 429 that the client sent again (with the same Idempotency-Key), as an institution's system does */
  retries = 0;
  caller(base: string, auth: Record<string, string>): Call {
    return async (method, url, body, headers = {}) => {
      const key = crypto.randomUUID();
      for (let attempt = 1; ; attempt++) {
        const t = performance.now();
        const res = await fetch(base + url, {
          method,
          headers: {
            accept: 'application/json',
            ...auth,
            ...(method !== 'GET' ? { 'content-type': 'application/json', 'idempotency-key': key } : {}),
            ...headers,
          },
          // A string goes as it is (with its content-type among `headers`), anything else as JSON.
          body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
          signal: AbortSignal.timeout(120_000),
        }).catch((err: unknown) => {
          // No answer in 2 minutes, or no connection: sent again with the same key, like a 503.
          if (attempt >= 5) throw err;
          return undefined;
        });
        const text = res ? await res.text() : '';
        this.latencies.push(performance.now() - t);
        if (!res || ((res.status === 503 || res.status === 429) && attempt < 5)) {
          this.retries++;
          await new Promise((r) => setTimeout(r, 2_000 * attempt));
          continue;
        }
        return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
      }
    };
  }
  /** The p-th percentile of the latencies so far, in ms (0 when there are none). */
  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    if (!sorted.length) return 0;
    return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(1));
  }
}

/** A process's resident memory in MB (0 when it is gone). */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** The answer's body when its status is one of `status`; otherwise an error naming the step. */
export function expectStatus(what: string, res: { status: number; body: unknown }, ...status: number[]) {
  if (!status.includes(res.status))
    throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** The institution starts the class, reports its lessons and finishes it: from ENROLLING to ASSESSMENT. */
export async function trainClass(
  inst: Call,
  classId: string,
  lessons: unknown[],
  reach: (classId: string, stage: 'TRAINING' | 'ASSESSMENT') => Promise<unknown>,
) {
  const cls = `/api/v1/institution/classes/${encodeURIComponent(classId)}`;
  expectStatus(`${classId} start`, await inst('POST', `${cls}/start`, {}), 200);
  await reach(classId, 'TRAINING');
  expectStatus(`${classId} attendance`, await inst('POST', `${cls}/attendance`, { lessons }), 200);
  expectStatus(`${classId} finish`, await inst('POST', `${cls}/finish`, {}), 200);
  await reach(classId, 'ASSESSMENT');
}

/** The institution's system files a class plan: the new class's id. */
export async function fileClass(inst: Call, i: number, plan: unknown): Promise<string> {
  const body = expectStatus(`file ${i}`, await inst('POST', '/api/v1/institution/classes', { plan }), 202);
  return (body as { classId: string }).classId;
}
