// The Express app: routers per actor under /api/v1 (docs/api.md), health, and the OpenAPI document.
// No business rule lives here: zod shapes requests, domain/ decides, the workflow applies.
import express, { type NextFunction, type Request, type Response } from 'express';
import pino from 'pino';
import type { AppDeps } from './context';
import { Api } from './http';
import { createServices, type Services } from './services';
import { errorHandler, Problem, problems, sendProblem } from './problem';
import { SESSION_COOKIE, clearSessionCookie } from './auth/sessions';
import { healthHandler } from './routes/health';
import { authRoutes } from './routes/auth';
import { taskRoutes } from './routes/tasks';
import { caseRoutes } from './routes/cases';
import { attachmentRoutes } from './routes/attachments';
import { notificationRoutes } from './routes/notifications';
import { peopleRoutes } from './routes/people';
import { invitationRoutes, selfServiceRoutes, voucherClaimRoutes } from './routes/selfService';
import { voucherRoutes } from './routes/vouchers';
import { institutionRoutes } from './routes/institution';
import { assessorRoutes } from './routes/assessor';
import { publicRoutes } from './routes/public';
import { paymentRoutes } from './routes/payments';
import { dashboardRoutes } from './routes/dashboard';
import { performanceRoutes } from './routes/performance';
import { outreachRoutes } from './routes/outreach';
import { adminRoutes } from './routes/admin';
import { apiDocs } from './docs';
import { cookieValue, requestLog } from './requestLog';
import { jsonBody } from './jsonBody';
import { securityHeaders } from './securityHeaders';
import { setUpdateTimeout } from './workflow';

export function createApp(deps: AppDeps): express.Express {
  const logger =
    deps.logger ??
    pino({
      level: deps.settings.logLevel,
      redact: { paths: ['req.headers', 'res.headers', 'body', '*.idNumber', '*.name'], remove: true },
    });
  const services = createServices(deps);
  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For to believe is a deployment fact (SKILLFLOW_TRUST_PROXY), off unless set.
  app.set('trust proxy', deps.settings.trustProxy);
  // How long a command waits for its workflow before 503 WORKFLOW_TIMEOUT (api/workflow.ts).
  setUpdateTimeout(deps.temporal, deps.settings.updateTimeoutMs);
  app.set('query parser', 'simple');
  // Read by setSessionCookie: the cookie is Secure when the app is served over TLS.
  app.locals.tls = deps.settings.tls;
  // Every answer is Cache-Control: no-store, so an ETag (a SHA-1 of each body) would only cost CPU.
  app.set('etag', false);

  // Request ids, methods, paths, statuses and durations only: no headers, no query strings, no bodies.
  app.use(requestLog(logger, (path) => path === '/api/health'));
  app.use(securityHeaders(deps.settings));
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/api/health', healthHandler(deps));

  const api = new Api(deps, services);
  apiRoutes(api);
  app.use(apiDocs(api.docs));

  app.use('/api/v1', jsonBody(), resolvePrincipal(services), api.router);
  app.use('/api', (req, res) =>
    sendProblem(req, res, problems.notFound({ zh: '没有这个接口', en: 'No such endpoint' })),
  );
  app.use(errorHandler(logger));
  // Closes the hot-read connection and its thread (main.ts on shutdown, tests on teardown).
  app.locals.close = () => services.hot.close();
  return app;
}

/** Every router, in the order of the OpenAPI document. */
export function apiRoutes(api: Api): void {
  taskRoutes(api); // first: the inbox is the most requested list
  authRoutes(api);
  notificationRoutes(api);
  caseRoutes(api);
  attachmentRoutes(api);
  peopleRoutes(api);
  outreachRoutes(api);
  institutionRoutes(api);
  assessorRoutes(api);
  publicRoutes(api);
  selfServiceRoutes(api);
  invitationRoutes(api);
  voucherClaimRoutes(api);
  voucherRoutes(api);
  paymentRoutes(api);
  dashboardRoutes(api);
  performanceRoutes(api);
  adminRoutes(api);
}

/** Who is calling: a Bearer API key, or the session cookie. A bad key is 401; a stale cookie is dropped. */
function resolvePrincipal(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const principal = m?.[1] ? await services.apiKeys.verify(m[1]) : undefined;
      if (!principal)
        throw new Problem(401, 'INVALID_API_KEY', {
          zh: 'API密钥无效或已吊销',
          en: 'The API key is invalid or revoked',
        });
      req.principal = principal;
      return next();
    }
    const token = cookieValue(req, SESSION_COOKIE);
    if (token) {
      const principal = await services.sessions.find(token);
      if (principal) req.principal = principal;
      else clearSessionCookie(res);
    }
    next();
  };
}
