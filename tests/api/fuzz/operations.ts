// The operations the fuzz drives, read from the OpenAPI document the app serves (/api/openapi.json): method,
// path template, path and query parameters with their schemas, the JSON body schema or the upload types, whether
// an Idempotency-Key is honoured, and the roles named in "Who: …" (to bias callers towards those let in).

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: JsonSchema;
}

export interface Operation {
  /** `POST /api/v1/cases/{id}/review` */
  key: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  pathParams: Parameter[];
  query: Parameter[];
  body?: JsonSchema;
  uploadTypes: string[];
  idempotency: boolean;
  /** roles named in the description ("Who: CASEWORKER, MANAGER."), `public`, or `authenticated` */
  who: string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  const resolve = (s: JsonSchema | undefined): JsonSchema | undefined => derefSchema(doc, s);
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'delete'].includes(method)) continue;
      const op = raw as {
        parameters?: (Parameter & { $ref?: string })[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        description?: string;
        security?: unknown[];
      };
      const params = (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) ?? {} }));
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const who = /Who: ([^\n]*?)\.?$/m.exec(op.description ?? '')?.[1];
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: json ? resolve(json) : undefined,
        uploadTypes: Object.keys(content).filter((t) => t !== 'application/json'),
        idempotency: params.some((p) => p.in === 'header' && /^idempotency-key$/i.test(p.name)),
        who:
          who === 'anyone' || (Array.isArray(op.security) && op.security.length === 0)
            ? ['public']
            : who === 'any signed-in caller'
              ? ['authenticated']
              : (who ?? '').split(/,\s*/).filter(Boolean),
      });
    }
  }
  return ops.sort((a, b) => a.key.localeCompare(b.key));
}

/** Follows `$ref`s into components (the document may describe bodies by reference). */
export function derefSchema(doc: OpenApiDoc, s: JsonSchema | undefined, depth = 0): JsonSchema | undefined {
  if (!s || depth > 20) return s;
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/components\/schemas\//, '');
    return derefSchema(doc, doc.components?.schemas?.[name], depth + 1);
  }
  const out: JsonSchema = { ...s };
  if (s.properties)
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, derefSchema(doc, v, depth + 1) ?? {}]),
    );
  if (s.items) out.items = derefSchema(doc, s.items, depth + 1);
  for (const k of ['oneOf', 'anyOf', 'allOf'] as const)
    if (s[k]) out[k] = s[k].map((x) => derefSchema(doc, x, depth + 1) ?? {});
  return out;
}

/** The Problem schema the document promises for every error (components.schemas.Problem). */
export function problemSchemaOf(doc: OpenApiDoc): JsonSchema | undefined {
  return doc.components?.schemas?.Problem;
}
