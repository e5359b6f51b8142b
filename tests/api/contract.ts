// Every answer an API test receives is checked against the OpenAPI document the app serves (issue 13): the
// status must be one the operation documents, the content type one it documents for that status, and a JSON
// body must validate against the documented schema — with ajv (draft 2020-12), independently of the zod
// schemas the document was generated from. A mismatch fails the request's promise, so the test fails.
import { createRequire } from 'node:module';
import type { Express } from 'express';
import request, { type Response, type Test } from 'supertest';

// ajv 8 (draft 2020-12) and ajv-formats as the independent OpenAPI validator, a devDependency, resolves them:
// the project's top-level ajv is eslint's ajv 6, which knows no draft 2020-12.
const fromValidator = createRequire(require.resolve('@seriousme/openapi-schema-validator/package.json'));
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string; params?: unknown }[] | null;
}
interface Ajv {
  addSchema(schema: object, key: string): Ajv;
  compile(schema: object): ValidateFunction;
}
const Ajv2020 = (fromValidator('ajv/dist/2020') as { default: new (opts: object) => Ajv }).default;
const addFormats = (fromValidator('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default;

interface ResponseDoc {
  content?: Record<string, { schema?: object }>;
}
interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, ResponseDoc> }>>;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export class Contract {
  private readonly ajv: Ajv;
  private readonly templates: { path: string; pattern: RegExp }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApi) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(doc, 'openapi');
    this.templates = Object.keys(doc.paths).map((path) => ({
      path,
      pattern: new RegExp(
        `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`,
      ),
    }));
  }

  /** Why the answer breaks the contract, or undefined when it keeps it (or is not an operation's answer). */
  violation(method: string, url: string, res: Pick<Response, 'status' | 'headers' | 'body' | 'text'>) {
    const path = url.split('?')[0]!;
    const m = method.toLowerCase();
    const template = this.templates.find((t) => t.pattern.test(path) && this.doc.paths[t.path]![m]);
    // An unknown endpoint (or method) is the app's 404, not an operation's answer.
    if (!template) return undefined;
    const where = `${method.toUpperCase()} ${path} answered ${res.status}`;
    const responses = this.doc.paths[template.path]![m]!.responses;
    // `default` is the server's own failure (500, a problem too); every refusal (4xx) is declared by its status.
    const key = [
      String(res.status),
      `${String(res.status)[0]}XX`,
      ...(res.status >= 500 ? ['default'] : []),
    ].find((k) => Object.hasOwn(responses, k));
    if (!key) return `${where}, a status ${template.path} does not document`;
    const content = responses[key]!.content;
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!content) return res.text ? `${where} with a body it documents none for` : undefined;
    if (!Object.hasOwn(content, type))
      return `${where} as ${type || 'no content type'}; documented: ${Object.keys(content).join(', ')}`;
    if (!/[/+]json$/.test(type)) return undefined;
    const ref = `openapi#/${pointer('paths', template.path, m, 'responses', key, 'content', type, 'schema')}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    if (validate(res.body)) return undefined;
    const errors = (validate.errors ?? [])
      .slice(0, 8)
      .map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`)
      .join('\n');
    return `${where} with a body that does not match its documented schema:\n${errors}\nbody: ${JSON.stringify(res.body).slice(0, 600)}`;
  }
}

const contracts = new WeakMap<Express, Promise<Contract>>();

/** The contract of an app: the document it serves, read once. */
export function contractOf(app: Express): Promise<Contract> {
  let contract = contracts.get(app);
  if (!contract) {
    contract = request(app)
      .get('/api/openapi.json')
      .then((res) => new Contract(res.body as OpenApi));
    contracts.set(app, contract);
  }
  return contract;
}

/** The request, with its answer checked against the contract before the test sees it. */
export function checked<T extends Test>(app: Express, test: T): T {
  const then = test.then.bind(test);
  test.then = ((onFulfilled, onRejected) =>
    then(async (res: Response) => {
      const req = (res as unknown as { req: { method: string; path: string } }).req;
      const problem = (await contractOf(app)).violation(req.method, req.path, res);
      if (problem) throw new Error(`API contract: ${problem}`);
      return res;
    }).then(onFulfilled, onRejected)) as T['then'];
  return test;
}

type Method = 'get' | 'post' | 'delete';
type Requester = Record<Method, (url: string) => Test>;

/** `request(app)` whose answers are checked against the contract. */
export function checkedRequest(app: Express): Requester {
  const r = request(app);
  return {
    get: (url) => checked(app, r.get(url)),
    post: (url) => checked(app, r.post(url)),
    delete: (url) => checked(app, r.delete(url)),
  };
}

/** `request.agent(app)` (keeps cookies) whose answers are checked against the contract. */
export function checkedAgent(app: Express): Requester {
  const agent = request.agent(app);
  return {
    get: (url) => checked(app, agent.get(url)),
    post: (url) => checked(app, agent.post(url)),
    delete: (url) => checked(app, agent.delete(url)),
  };
}
