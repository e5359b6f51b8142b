// The route builder every router uses: one declaration gives the Express handler (authentication, role
// check, CSRF, Idempotency-Key, zod validation) and its OpenAPI entry, so the document never drifts.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps, Principal, UserRole } from './context';
import { Problem, langOf, problems, zodProblem, sendProblem, type Lang } from './problem';
import { CSRF_HEADER } from './auth/sessions';
import { sameSecret } from './auth/tokens';
import type { Services } from './services';
import { idempotent } from './idempotency';

export type Access = 'public' | 'authenticated' | readonly UserRole[];

export interface Reply {
  status?: number;
  json?: unknown;
  /**
   * What an Idempotency-Key replay answers instead of `json`: a secret is shown once (an issued API key's
   * replay carries its id and prefix only), so the idempotency store never holds it.
   */
  replayJson?: unknown;
  text?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec<Q extends z.ZodType, B extends z.ZodType> {
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  query?: Q;
  body?: B;
  /** a file upload (multipart `file`, or the file itself as the body) instead of JSON */
  upload?: { maxBytes: number; types: string[] };
  responses?: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** POSTs honour Idempotency-Key unless this is false (login: a replay must not hand out a session). */
  idempotency?: boolean;
}

export interface Ctx<Q, B> {
  req: Request;
  res: Response;
  deps: AppDeps;
  services: Services;
  principal: Principal | undefined;
  lang: Lang;
  params: Record<string, string>;
  query: Q;
  body: B;
}

export interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  path: string;
  spec: RouteSpec<z.ZodType, z.ZodType>;
}

/** Path parameters are ids: anything else cannot name a resource (404, never a 500). */
const PARAM = /^[\p{L}\p{N}._:#@+-]{1,160}$/u;

export class Api {
  readonly router = express.Router();
  readonly docs: RouteDoc[] = [];
  constructor(
    readonly deps: AppDeps,
    readonly services: Services,
  ) {}

  get<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    path: string,
    spec: RouteSpec<Q, B>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<Reply | void>,
  ) {
    this.add('get', path, spec, handler);
  }
  post<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    path: string,
    spec: RouteSpec<Q, B>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<Reply | void>,
  ) {
    this.add('post', path, spec, handler);
  }
  delete<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
    path: string,
    spec: RouteSpec<Q, B>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<Reply | void>,
  ) {
    this.add('delete', path, spec, handler);
  }

  private add<Q extends z.ZodType, B extends z.ZodType>(
    method: 'get' | 'post' | 'delete',
    path: string,
    spec: RouteSpec<Q, B>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<Reply | void>,
  ) {
    this.docs.push({ method, path, spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType> });
    const middlewares: express.RequestHandler[] = [];
    if (spec.upload)
      middlewares.push(
        express.raw({ type: () => true, limit: spec.upload.maxBytes }) as express.RequestHandler,
      );
    this.router[method](path, ...middlewares, async (req: Request, res: Response) => {
      const lang = langOf(req);
      const principal = req.principal;
      authorise(spec.access, principal);
      if (principal?.via === 'session' && method !== 'get') {
        const sent = req.get(CSRF_HEADER);
        if (!sent || !principal.csrfToken || !sameSecret(sent, principal.csrfToken))
          throw new Problem(403, 'CSRF_TOKEN_INVALID', {
            zh: '缺少或错误的X-CSRF-Token请求头',
            en: 'Missing or wrong X-CSRF-Token header',
          });
      }
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.params as Record<string, string>)) {
        if (typeof v !== 'string' || !PARAM.test(v)) throw problems.notFound();
        params[k] = v;
      }
      const query = parse(spec.query, req.query ?? {});
      const rawBody = spec.upload ? undefined : (req.body ?? undefined);
      const body = spec.body ? parse(spec.body, rawBody) : undefined;
      if (!spec.body && !spec.upload) refuseBody(rawBody);
      const ctx: Ctx<z.output<Q>, z.output<B>> = {
        req,
        res,
        deps: this.deps,
        services: this.services,
        principal,
        lang,
        params,
        query: query as z.output<Q>,
        body: body as z.output<B>,
      };
      const run = () => handler(ctx);
      const reply =
        method === 'post' && spec.idempotency !== false && req.get('idempotency-key') !== undefined
          ? await idempotent(this.deps.db, req, principal, run)
          : await run();
      if (reply) send(req, res, reply);
    });
  }
}

function parse(schema: z.ZodType | undefined, value: unknown) {
  if (!schema) return undefined;
  // reportInput: zod's locales word a type error by the value received (the value itself is never shown).
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw zodProblem(result.error.issues);
}

/** An endpoint without a body takes none: `{}` (what clients send for "nothing") or no body at all. */
function refuseBody(body: unknown): void {
  if (body === undefined) return;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (keys.length === 0) return;
    throw zodProblem([{ code: 'unrecognized_keys', keys, path: [], message: 'Unrecognized keys' }]);
  }
  throw problems.badRequest('BODY_NOT_EXPECTED', {
    zh: '该接口不接受请求体',
    en: 'This endpoint takes no request body',
  });
}

export function authorise(access: Access, principal: Principal | undefined): void {
  if (access === 'public') return;
  if (!principal) throw problems.unauthenticated();
  if (access === 'authenticated') return;
  if (!access.includes(principal.role)) throw problems.forbidden();
}

export function send(req: Request, res: Response, reply: Reply): void {
  if (reply.headers) res.set(reply.headers);
  res.status(reply.status ?? 200);
  if (reply.text !== undefined) {
    res.type(reply.contentType ?? 'text/plain; charset=utf-8').send(reply.text);
    return;
  }
  if (reply.json === undefined) {
    res.end();
    return;
  }
  res.type(reply.contentType ?? 'application/json').send(JSON.stringify(reply.json));
}

/** Renders a Problem as a Reply, so an idempotent request can store and replay it. */
export function problemReply(req: Request, p: Problem): Reply {
  const captured: Reply = { status: p.status };
  const sink = {
    status: (code: number) => ((captured.status = code), sink),
    set: () => sink,
    type: (t: string) => ((captured.contentType = t), sink),
    send: (body: string) => ((captured.text = body), sink),
  };
  sendProblem(req, sink as unknown as Response, p);
  return captured;
}
