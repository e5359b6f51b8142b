// OpenAPI 3.1 generated from the routes' zod schemas (z.toJSONSchema): requests from the schemas that parse
// them, success answers from the schemas the http layer encodes them through (api/responses.ts), and for every
// operation the problem+json refusals it can answer — those its declaration implies (a body, a query, path
// parameters, who may call it, Idempotency-Key) and those the route names (`refusals`). The interactive viewer
// is api/docs.ts.
import { z } from 'zod';
import type { RouteDoc } from './http';
import { HealthSchema, ProblemSchema } from './responses';
import { JSON_LIMITS } from './jsonBody';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const openApiPath = (path: string) => `/api/v1${path.replace(/:(\w+)/g, '{$1}')}`;

const ACCESS_TEXT = (access: RouteDoc['spec']['access']) =>
  access === 'public' ? 'anyone' : access === 'authenticated' ? 'any signed-in caller' : access.join(', ');

const PROBLEM = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
} as const;

const listOf = (reasons: (string | false | undefined)[]) =>
  reasons.filter((r): r is string => typeof r === 'string' && r !== '').join('; ');

/**
 * Every 4xx (and 503) an operation can answer, with why. Most follow from the declaration: the http layer
 * (api/http.ts), the JSON body parser (api/jsonBody.ts), the caller's credentials (api/app.ts) and the
 * idempotency store (api/idempotency.ts) refuse the same way on every route; the route adds its own.
 */
export function problemStatuses({ method, path, spec }: RouteDoc): Record<number, string> {
  const writes = method !== 'get';
  const idempotent = method === 'post' && spec.idempotency !== false;
  const roles = Array.isArray(spec.access);
  const hasParams = /:\w+/.test(path);
  const sorted = spec.query !== undefined && 'sort' in ((spec.query as { shape?: object }).shape ?? {});
  const own = spec.refusals ?? {};
  const out: Record<number, string> = {};
  const bad = listOf([
    spec.body &&
      'the body does not match its schema or has a field it does not take (errors[].path names each)',
    // Express refuses a path parameter it cannot percent-decode before any route runs (400 BAD_REQUEST).
    hasParams && 'a path parameter that is not valid percent-encoding',
    spec.query && 'a query parameter does not match its schema',
    sorted && 'an unknown sort field or a cursor from another list',
    spec.upload && 'no file, or a file that cannot be read',
    writes && !spec.body && !spec.upload && 'a body on an operation that takes none',
    writes &&
      `invalid JSON or UTF-8, JSON nested deeper than ${JSON_LIMITS.depth} levels or with more than ${JSON_LIMITS.keys} keys`,
    idempotent && 'an Idempotency-Key that is not 1 to 200 visible ASCII characters',
    own[400],
  ]);
  if (bad) out[400] = `Malformed request: ${bad}.`;
  out[401] = own[401]
    ? `${own[401]}; or an invalid or revoked API key.`
    : spec.access === 'public'
      ? 'An Authorization header with an invalid or revoked API key (anonymous callers send none).'
      : 'Not logged in and no API key, or an invalid or revoked API key.';
  const forbidden = listOf([
    roles && `the caller's role may not do this (${ACCESS_TEXT(spec.access)} only)`,
    writes && 'a session call without its X-CSRF-Token header',
    own[403],
  ]);
  if (forbidden) out[403] = `Forbidden: ${forbidden}.`;
  if (hasParams || own[404])
    out[404] =
      own[404] ??
      'No such resource, or none the caller may see (another organisation’s is not found either).';
  const conflict = listOf([
    own[409],
    idempotent && 'a request with the same Idempotency-Key is still running',
  ]);
  if (conflict) out[409] = `Conflict with the current state: ${conflict}.`;
  if (writes)
    out[413] = `The body is larger than ${spec.upload ? `${spec.upload.maxBytes / 1024 / 1024} MB` : JSON_LIMITS.bytes.toUpperCase()}.`;
  if (writes) out[415] = 'A JSON body in a charset other than UTF-8, or an unsupported Content-Encoding.';
  const rule = listOf([own[422], idempotent && 'the Idempotency-Key was used for a different request']);
  if (rule) out[422] = `A rule refused the request: ${rule}.`;
  if (own[429]) out[429] = `Too many requests: ${own[429]} (Retry-After says when to try again).`;
  if (own[503]) out[503] = `Unavailable: ${own[503]}; retry later (with the same Idempotency-Key).`;
  return out;
}

let cached: { docs: RouteDoc[]; doc: object } | undefined;

export function openApiDocument(docs: RouteDoc[]): object {
  if (cached?.docs === docs) return cached.doc;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of docs) {
    const { method, path, spec } = route;
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query: object[] = [];
    if (spec.query) {
      const q = jsonSchema(spec.query, 'input') as {
        properties?: Record<string, object>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        query.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
    const responses: Record<string, object> = {};
    for (const [status, r] of Object.entries(spec.responses))
      responses[status] = {
        description: r.description,
        // The wire is the schema's input side (an instant is ISO text there, a Date in the handler).
        ...(r.schema
          ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'input') } } }
          : r.contentType
            ? {
                content: Object.fromEntries(
                  [r.contentType].flat().map((type) => [type, { schema: { type: 'string' } }]),
                ),
              }
            : {}),
      };
    for (const [status, description] of Object.entries(problemStatuses(route)))
      responses[status] = { description, content: PROBLEM };
    responses.default = { description: 'Any other failure (500): a problem too.', content: PROBLEM };
    const body = spec.body
      ? { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } }
      : spec.upload
        ? {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
                },
              },
              ...Object.fromEntries(
                spec.upload.types
                  .filter((t) => !t.startsWith('multipart'))
                  .map((t) => [t, { schema: { type: 'string' } }]),
              ),
            },
          }
        : undefined;
    const headers =
      method === 'post' && spec.idempotency !== false
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 200 },
            },
          ]
        : [];
    paths[openApiPath(path)] ??= {};
    paths[openApiPath(path)]![method] = {
      tags: [spec.tag],
      summary: spec.summary,
      description: [spec.description, `Who: ${ACCESS_TEXT(spec.access)}.`].filter(Boolean).join('\n\n'),
      parameters: [...params, ...query, ...headers],
      ...(body ? { requestBody: body } : {}),
      responses,
      security: spec.access === 'public' ? [] : [{ session: [], csrf: [] }, { apiKey: [] }],
    };
  }
  const health = { 'application/json': { schema: jsonSchema(HealthSchema, 'input') } };
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'SkillFlow API',
      version: '1.0.0',
      description:
        'Government-subsidised vocational skills training (补贴性职业技能培训). Errors are application/problem+json; money is integer fen; dates YYYY-MM-DD (Asia/Shanghai), instants ISO 8601 UTC. See docs/api.md.',
    },
    servers: [{ url: '/' }],
    paths: {
      '/api/health': {
        get: {
          tags: ['health'],
          summary: 'Database, Temporal and worker checks',
          responses: {
            200: {
              description: 'Every part answers (a check the server cannot make is unknown)',
              content: health,
            },
            503: { description: 'A part is failing (named in `failing`)', content: health },
          },
        },
      },
      ...paths,
    },
    components: {
      schemas: { Problem: jsonSchema(ProblemSchema, 'input') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sf_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'sk_<prefix>_<secret>' },
      },
    },
  };
  cached = { docs, doc };
  return doc;
}
