// 登录: staff and portal users log in with a password; the session rides in an httpOnly cookie and every
// state-changing request echoes the CSRF token returned here.
import type { Api } from '../http';
import type { Principal } from '../context';
import { LoginBody, SessionReply } from '../schemas';
import { problems, Problem } from '../problem';
import { dummyHash, verifyPassword } from '../auth/passwords';
import { clearSessionCookie, setSessionCookie } from '../auth/sessions';
import { TtlCache } from '../auth/cache';

const userOf = (p: Principal) => ({
  id: p.userId,
  username: p.username,
  displayName: p.displayName,
  role: p.role,
  organisationId: p.organisationId ?? null,
});

const FAILURE_LIMIT = 10;

export function authRoutes(api: Api) {
  // Failed logins per username over 15 minutes (one process): slows password guessing.
  const failures = new TtlCache<number>(15 * 60_000, 50_000);

  api.post(
    '/auth/login',
    {
      tag: 'auth',
      summary: '登录 Log in with username and password',
      access: 'public',
      body: LoginBody,
      idempotency: false,
      responses: { 200: { description: 'Logged in; sets the sf_session cookie', schema: SessionReply } },
    },
    async ({ req, res, body, services, deps }) => {
      const name = body.username.toLowerCase();
      if ((failures.get(name) ?? 0) >= FAILURE_LIMIT)
        throw new Problem(429, 'TOO_MANY_ATTEMPTS', {
          zh: '登录失败次数过多，请15分钟后再试',
          en: 'Too many failed logins; try again in 15 minutes',
        });
      const user = await deps.db.user.findUnique({ where: { username: body.username } });
      const ok = user
        ? await verifyPassword(user.passwordHash, body.password)
        : (await verifyPassword(await dummyHash(), body.password), false);
      if (!user || !ok || user.disabled) {
        failures.set(name, (failures.get(name) ?? 0) + 1);
        throw problems.unauthenticated({ zh: '用户名或密码错误', en: 'Wrong username or password' });
      }
      failures.delete(name);
      const { token, principal, expiresAt } = await services.sessions.create(user);
      setSessionCookie(req, res, token, expiresAt);
      return { json: { user: userOf(principal), csrfToken: principal.csrfToken } };
    },
  );

  api.post(
    '/auth/logout',
    {
      tag: 'auth',
      summary: '退出 Log out (ends the session)',
      access: 'authenticated',
      idempotency: false,
      responses: { 204: { description: 'Logged out' } },
    },
    async ({ res, principal, services }) => {
      if (principal?.sessionId) await services.sessions.destroy(principal.sessionId);
      clearSessionCookie(res);
      return { status: 204 };
    },
  );

  api.get(
    '/auth/me',
    {
      tag: 'auth',
      summary: '当前用户 Who am I (and the CSRF token)',
      access: 'authenticated',
      responses: { 200: { description: 'The caller', schema: SessionReply } },
    },
    async ({ principal }) => ({
      json: { user: userOf(principal!), csrfToken: principal!.csrfToken ?? null },
    }),
  );
}
