// The API as one demo user, the way the browser calls it: a session cookie from the login, the CSRF token and an
// Idempotency-Key on every POST. The demo seeding acts through it as the demo caseworker (prisma/demoPeople.ts);
// the system test reads the demo through it.
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from './demo';

export type DemoCall = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

const apiUrl = (base: string, path: string) =>
  new URL(`api/v1${path}`, base.endsWith('/') ? base : `${base}/`).href;

/** Logs `username` in at `base` (the server's root URL): the session cookie and the CSRF token a POST needs. */
export async function login(
  base: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(apiUrl(base, '/auth/login'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`demo login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/** Logs `username` in at `base` (the server's root URL); each call answers the body, or throws on a refusal. */
export async function demoApi(base: string, username: string, password = DEMO_PASSWORD): Promise<DemoCall> {
  const url = (path: string) => apiUrl(base, path);
  const { cookie, csrfToken } = await login(base, username, password);
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    // One key for the command and its retries: a 503 (the workflow did not answer in time) is sent again with
    // it, as docs/api.md asks, so the command is applied once whatever the first try did.
    const key = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url(path), {
        method,
        headers: {
          Cookie: cookie,
          ...(method === 'POST'
            ? { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, 'Idempotency-Key': key }
            : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 503 && attempt < 3) {
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    }
  };
}
