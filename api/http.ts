// The route builder every router uses: one declaration gives the Express handler (authentication, role
// check, CSRF, Idempotency-Key, zod validation) and its OpenAPI entry, so the document never drifts: requests
// are parsed by the declared schemas, and every answer is encoded through the schema declared for its status
// (a status or a body the route does not declare fails loudly, as a logged 500).
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps, Principal, UserRole } from './context';
import { Problem, langOf, problems, zodProblem, sendProblem, type Lang } from './problem';
import { CSRF_HEADER } from './auth/sessions';
import { sameSecret } from './auth/tokens';
import type { Services } from './services';
import { idempotent } from './idempotency';

export type Access = 'public' | 'authenticated' | readonly UserRole[];

/** An answer as the http layer sends it (and the idempotency store keeps it). */
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

/** A success answer a route documents: a JSON body by its schema, or another content type (a file). */
export interface ResponseDoc {
  description: string;
  /** the JSON body: the handler's value is this schema's output, the wire its input (api/responses.ts) */
  schema?: z.ZodType;
  /** a body that is not JSON: a file (a CSV download), or one of several types (a document as uploaded) */
  contentType?: string | readonly string[];
}
export type Responses = Record<number, ResponseDoc>;

/** Refusals a route answers beyond those its declaration implies (api/openapi.ts problemStatuses). */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503;

type JsonOf<R extends Responses> = {
  [K in keyof R]: R[K] extends { schema: infer S extends z.ZodType } ? z.output<S> : never;
}[keyof R];
/**
 * What a handler answers: a JSON body of the type its documented schema gives, or a body it rendered itself
 * (a file, a page of JSON rendered through the schema); the status must be one the route documents
 * (checked when it answers: `documented` below).
 */
export type HandlerReply<R extends Responses> = { status?: number; headers?: Record<string, string> } & (
  | ([JsonOf<R>] extends [never] ? never : { json: JsonOf<R>; replayJson?: JsonOf<R>; text?: undefined })
  | { text: string | Buffer; contentType?: string; json?: undefined }
  | { json?: undefined; text?: undefined }
);

export interface RouteSpec<Q extends z.ZodType, B extends z.ZodType, R extends Responses = Responses> {
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  query?: Q;
  body?: B;
  /** a file upload (multipart `file`, or the file itself as the body) instead of JSON */
  upload?: { maxBytes: number; types: string[] };
  /** the success answer (one status); refusals are problem+json, documented from `refusals` and the rest */
  responses: R;
  /** when the route refuses with these statuses, in a few words (the document adds the ones every route has) */
  refusals?: Partial<Record<RefusalStatus, string>>;
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

  get<
    Q extends z.ZodType = z.ZodUndefined,
    B extends z.ZodType = z.ZodUndefined,
    R extends Responses = Responses,
  >(
    path: string,
    spec: RouteSpec<Q, B, R>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<NoInfer<HandlerReply<R>>>,
  ) {
    this.add('get', path, spec, handler);
  }
  post<
    Q extends z.ZodType = z.ZodUndefined,
    B extends z.ZodType = z.ZodUndefined,
    R extends Responses = Responses,
  >(
    path: string,
    spec: RouteSpec<Q, B, R>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<NoInfer<HandlerReply<R>>>,
  ) {
    this.add('post', path, spec, handler);
  }
  delete<
    Q extends z.ZodType = z.ZodUndefined,
    B extends z.ZodType = z.ZodUndefined,
    R extends Responses = Responses,
  >(
    path: string,
    spec: RouteSpec<Q, B, R>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<NoInfer<HandlerReply<R>>>,
  ) {
    this.add('delete', path, spec, handler);
  }

  private add<Q extends z.ZodType, B extends z.ZodType, R extends Responses>(
    method: 'get' | 'post' | 'delete',
    path: string,
    spec: RouteSpec<Q, B, R>,
    handler: (ctx: Ctx<z.output<Q>, z.output<B>>) => Promise<NoInfer<HandlerReply<R>>>,
  ) {
    this.docs.push({ method, path, spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType> });
    const where = `${method.toUpperCase()} ${path}`;
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
      // Encoded before the idempotency store keeps it: a replay answers the documented shape too.
      const run = async () => documented(where, spec.responses, (await handler(ctx)) as Reply);
      const reply =
        method === 'post' && spec.idempotency !== false && req.get('idempotency-key') !== undefined
          ? await idempotent(this.deps.db, req, principal, run)
          : await run();
      if (reply) send(req, res, reply);
    });
  }
}

/**
 * The handler's answer as its route documents it: a declared status, and a JSON body encoded through that
 * status's schema (undeclared fields dropped, instants as ISO text). Anything else is the route's bug, not
 * the caller's: a plain Error, which the error handler logs and answers 500.
 */
export function documented(where: string, responses: Responses, reply: Reply): Reply {
  const status = reply.status ?? 200;
  const doc = Object.hasOwn(responses, status) ? responses[status] : undefined;
  if (!doc) throw new Error(`${where} answered ${status}, a status it does not document`);
  if (reply.json === undefined) {
    if (doc.schema && reply.text === undefined)
      throw new Error(`${where} answered ${status} without the body it documents`);
    return reply;
  }
  if (!doc.schema) throw new Error(`${where} answered ${status} with a JSON body it does not document`);
  const encode = (value: unknown) => {
    const result = doc.schema!.safeEncode(value);
    if (result.success) return result.data;
    throw new Error(
      `${where} answered ${status} with a body that does not match its documented schema:\n${z.prettifyError(result.error)}`,
    );
  };
  return {
    ...reply,
    json: encode(reply.json),
    ...(reply.replayJson !== undefined ? { replayJson: encode(reply.replayJson) } : {}),
  };
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
