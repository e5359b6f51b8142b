// The OpenAPI document is the contract an institution's system generates its client from (issue 13): an
// independent validator accepts it as OpenAPI 3.1, every operation documents its success body and the
// problem+json refusals it can answer, and the http layer sends nothing its route does not document.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { Api } from '../../../api/http';
import { apiRoutes } from '../../../api/app';
import { openApiDocument } from '../../../api/openapi';
import { errorHandler } from '../../../api/problem';
import { instant } from '../../../api/responses';
import type { AppDeps } from '../../../api/context';
import type { Services } from '../../../api/services';

const ROOT = path.join(__dirname, '..', '..', '..');

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
  description?: string;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
}

/** The document as the app serves it; building the routes needs no database or Temporal. */
function documentOf(): Doc {
  const api = new Api({ settings: {} } as AppDeps, {} as Services);
  apiRoutes(api);
  return openApiDocument(api.docs) as Doc;
}

/** @seriousme/openapi-schema-validator is an ES module: it runs in its own node process. */
function independentVerdict(doc: unknown): { valid: boolean; errors?: unknown; version: string } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(input));
process.stdout.write(JSON.stringify({ ...result, version: validator.version }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    input: JSON.stringify(doc),
  });
  return JSON.parse(out.toString('utf8')) as { valid: boolean; errors?: unknown; version: string };
}

const operations = (doc: Doc) =>
  Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/api/v1/'))
    .flatMap(([p, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method} ${p}`, method, path: p, op })),
    );

describe('the OpenAPI document', () => {
  const doc = documentOf();

  it('is valid OpenAPI 3.1 by an independent validator', () => {
    const verdict = independentVerdict(doc);
    expect(verdict.errors).toBeUndefined();
    expect(verdict).toMatchObject({ valid: true, version: '3.1' });
  });

  it('documents the success answer of every operation: a JSON schema, or the content type of a file', () => {
    const missing: string[] = [];
    for (const { key, op } of operations(doc)) {
      const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      if (success.length !== 1) missing.push(`${key}: ${success.length} success statuses`);
      for (const status of success) {
        if (status === '204') {
          if (op.responses[status]!.content) missing.push(`${key}: 204 with a body`);
          continue;
        }
        const content = op.responses[status]!.content ?? {};
        const json = content['application/json']?.schema as { type?: string } | undefined;
        const other = Object.keys(content).filter((t) => t !== 'application/json');
        if (!(json && json.type === 'object') && other.length === 0)
          missing.push(`${key}: ${status} without a body`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents every refusal an operation can answer as problem+json', () => {
    const wrong: string[] = [];
    for (const { key, method, path: p, op } of operations(doc)) {
      const params = op.parameters ?? [];
      const writes = method !== 'get';
      const idempotent = params.some((x) => x.in === 'header' && x.name === 'Idempotency-Key');
      const roles = !/Who: (anyone|any signed-in caller)\./.test(op.description ?? '');
      const expected = [
        ...(op.requestBody || params.some((x) => x.in === 'query') || writes ? ['400'] : []),
        '401',
        ...(writes || roles ? ['403'] : []),
        ...(p.includes('{') ? ['404'] : []),
        ...(idempotent ? ['409'] : []),
        ...(writes ? ['413', '415'] : []),
        ...(idempotent ? ['422'] : []),
      ];
      const refusals = Object.keys(op.responses).filter((s) => /^4\d\d$/.test(s));
      for (const status of expected)
        if (!refusals.includes(status)) wrong.push(`${key}: ${status} not documented`);
      for (const status of [...refusals, 'default']) {
        const r = op.responses[status];
        if (!r?.description) wrong.push(`${key}: ${status} without a description`);
        if (
          (r?.content?.['application/problem+json']?.schema as { $ref?: string })?.$ref !==
          '#/components/schemas/Problem'
        )
          wrong.push(`${key}: ${status} is not a problem`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names why a route refuses in the words of its domain', () => {
    const review = doc.paths['/api/v1/cases/{id}/review']!.post!;
    expect(review.responses['409']!.description).toMatch(/not at the step/);
    expect(review.responses['422']!.description).toMatch(/rule/);
    const objection = doc.paths['/api/v1/public/notices/{noticeId}/objections']!.post!;
    expect(objection.responses['429']!.description).toMatch(/Retry-After/);
    const login = doc.paths['/api/v1/auth/login']!.post!;
    expect(login.responses['401']!.description).toMatch(/wrong username or password/);
  });
});

describe('the http layer answers what the route documents', () => {
  const Thing = z.object({ name: z.string(), at: instant });
  function appWith(answer: () => Promise<unknown>) {
    const api = new Api({ settings: {} } as AppDeps, {} as Services);
    api.get(
      '/thing',
      {
        tag: 't',
        summary: 't',
        access: 'public',
        responses: { 200: { description: 'a thing', schema: Thing } },
      },
      answer as never,
    );
    const app = express();
    app.use(api.router);
    app.use(errorHandler(pino({ level: 'silent' })));
    return app;
  }

  it('encodes the body through its schema: instants as ISO text, undocumented fields left out', async () => {
    const app = appWith(async () => ({
      json: { name: 'x', at: new Date(Date.UTC(2026, 2, 2, 1)), passwordHash: 'secret' },
    }));
    const res = await request(app).get('/thing').expect(200);
    expect(res.body).toEqual({ name: 'x', at: '2026-03-02T01:00:00.000Z' });
  });

  it('fails loudly (500, never the body) on a body that does not match, or a status it does not document', async () => {
    const wrongBody = await request(appWith(async () => ({ json: { name: 1, at: new Date() } }))).get(
      '/thing',
    );
    expect(wrongBody.status).toBe(500);
    expect(wrongBody.body.code).toBe('INTERNAL');
    const wrongStatus = await request(
      appWith(async () => ({ status: 201, json: { name: 'x', at: new Date() } })),
    ).get('/thing');
    expect(wrongStatus.status).toBe(500);
  });
});
