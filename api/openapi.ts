// OpenAPI 3.1 generated from the routes' zod schemas (z.toJSONSchema), and a plain HTML page listing it
// (no CDN is reachable from government networks: no external scripts).
import { z } from 'zod';
import type { RouteDoc } from './http';
import { ProblemSchema } from './schemas';

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

let cached: { docs: RouteDoc[]; doc: object } | undefined;

export function openApiDocument(docs: RouteDoc[]): object {
  if (cached?.docs === docs) return cached.doc;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, spec } of docs) {
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
    for (const [status, r] of Object.entries(spec.responses ?? { 200: { description: 'OK' } }))
      responses[status] = {
        description: r.description,
        ...(r.schema
          ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } }
          : r.contentType
            ? { content: { [r.contentType]: { schema: { type: 'string' } } } }
            : {}),
      };
    responses.default = {
      description: 'A problem (RFC 9457)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
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
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'SkillFlow API',
      version: '1.0.0',
      description:
        'Government-subsidised vocational skills training (补贴性职业技能培训). Errors are application/problem+json; money is integer fen; dates YYYY-MM-DD (Asia/Shanghai). See docs/api.md.',
    },
    servers: [{ url: '/' }],
    paths: {
      '/api/health': {
        get: {
          tags: ['health'],
          summary: 'Database, Temporal and worker checks',
          responses: { 200: { description: 'ok' }, 503: { description: 'a part is failing' } },
        },
      },
      ...paths,
    },
    components: {
      schemas: { Problem: jsonSchema(ProblemSchema, 'output') },
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

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The docs page's style, served at /api/docs.css: the CSP allows no inline style (api/securityHeaders.ts). */
export const DOCS_CSS = `body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}details{border-bottom:1px solid #eee;padding:.4em 0}
pre{background:#f6f8fa;padding:.6em;overflow:auto;font-size:12px}.m{display:inline-block;width:4.5em;font-weight:bold}.get{color:#1677ff}.post{color:#389e0d}.delete{color:#cf1322}
`;

export function docsPage(docs: RouteDoc[]): string {
  const doc = openApiDocument(docs) as {
    paths: Record<
      string,
      Record<
        string,
        { summary?: string; description?: string; requestBody?: unknown; parameters?: unknown[] }
      >
    >;
  };
  const rows = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([
          method,
          op,
        ]) => `<details><summary><code class="m ${method}">${method.toUpperCase()}</code> <code>${escape(path)}</code> — ${escape(op.summary ?? '')}</summary>
<p>${escape(op.description ?? '').replace(/\n/g, '<br>')}</p>
${op.parameters && op.parameters.length ? `<h4>Parameters</h4><pre>${escape(JSON.stringify(op.parameters, null, 2))}</pre>` : ''}
${op.requestBody ? `<h4>Body</h4><pre>${escape(JSON.stringify(op.requestBody, null, 2))}</pre>` : ''}
</details>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>SkillFlow API</title>
<link rel="stylesheet" href="/api/docs.css">
</head><body><h1>SkillFlow API</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors: RFC 9457 problem+json, zh-CN or en by Accept-Language.</p>
${rows}</body></html>`;
}
