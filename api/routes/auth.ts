// 登录: staff and portal users log in with a password; the session rides in an httpOnly cookie and every
// state-changing request echoes the CSRF token returned here.
import type { Api } from '../http';
import type { Principal } from '../context';
import { LoginBody } from '../schemas';
import { MeReply, SessionReply } from '../responses';
import { problems } from '../problem';
import { dummyHash, verifyPassword } from '../auth/passwords';
import { clearSessionCookie, setSessionCookie } from '../auth/sessions';
import { GrowingWaits, LIMITS, tooManyRequests } from '../limits';

const userOf = (p: Principal) => ({
  id: p.userId,
  username: p.username,
  displayName: p.displayName,
  role: p.role,
  organisationId: p.organisationId ?? null,
});

const TOO_MANY = { zh: '登录失败次数过多', en: 'Too many failed logins' };

export function authRoutes(api: Api) {
  // Wrong passwords slow down the client that sends them (api/limits.ts): per username from that client, and
  // per client across usernames. Never per username alone, which would let anyone lock the owner out.
  const limits = api.deps.limits ?? LIMITS;
  const perUserAndClient = new GrowingWaits(
    'login:user+client',
    limits.login.perUserAndClient,
    limits.login.userAndClientWaits,
    limits.login.waitsRemembered,
  );
  const perClient = new GrowingWaits(
    'login:client',
    limits.login.perClient,
    limits.login.clientWaits,
    limits.login.waitsRemembered,
  );

  api.post(
    '/auth/login',
    {
      tag: 'auth',
      summary: '登录 Log in with username and password',
      description:
        'Wrong passwords are counted per client address and username and per client address: past the limit the client gets 429 with Retry-After, each wait longer than the last. The right password from another client is never held up.',
      access: 'public',
      body: LoginBody,
      idempotency: false,
      responses: { 200: { description: 'Logged in; sets the sf_session cookie', schema: SessionReply } },
      refusals: {
        401: 'a wrong username or password (or a disabled account)',
        429: 'too many wrong passwords from this client',
      },
    },
    async ({ req, res, body, services, deps }) => {
      const client = req.ip ?? 'unknown';
      const userKey = `${body.username.toLowerCase()}\u0000${client}`;
      // Checked before the password is: a waiting client learns nothing, and costs no password hash.
      const wait = Math.max(await perUserAndClient.waitFor(userKey), await perClient.waitFor(client));
      if (wait) throw tooManyRequests(res, wait, 'TOO_MANY_ATTEMPTS', TOO_MANY);
      const user = await deps.db.user.findUnique({ where: { username: body.username } });
      const ok = user
        ? await verifyPassword(user.passwordHash, body.password)
        : (await verifyPassword(await dummyHash(), body.password), false);
      if (!user || !ok || user.disabled) {
        const waits = await Promise.all([perUserAndClient.fail(userKey), perClient.fail(client)]);
        if (Math.max(...waits)) throw tooManyRequests(res, Math.max(...waits), 'TOO_MANY_ATTEMPTS', TOO_MANY);
        throw problems.unauthenticated({ zh: '用户名或密码错误', en: 'Wrong username or password' });
      }
      await perUserAndClient.forget(userKey);
      const { token, principal, expiresAt } = await services.sessions.create(user);
      setSessionCookie(req, res, token, expiresAt);
      return { json: { user: userOf(principal), csrfToken: principal.csrfToken! } };
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
      responses: { 200: { description: 'The caller', schema: MeReply } },
    },
    async ({ principal }) => ({
      json: { user: userOf(principal!), csrfToken: principal!.csrfToken ?? null },
    }),
  );
}
