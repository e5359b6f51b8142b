// RFC 9457 problem details (application/problem+json), in zh-CN or en by Accept-Language (zh-CN default).
// Every refusal of the API is a Problem: a status, a stable code, and per-field errors with paths like
// `plan.capacity` or `trainees.3.idNumber`. Nothing a caller sends may turn into a 500 (docs/api.md).
import type { ErrorRequestHandler, Request, Response } from 'express';
import { z } from 'zod';
import type { RuleViolation } from '../domain/rules';
import { issueText } from '../domain/issueText';

export type Lang = 'zh-CN' | 'en';
export interface Text {
  zh: string;
  en: string;
}

export interface FieldError {
  path: string;
  code: string;
  message: Text;
}

const TITLES: Record<number, Text> = {
  400: { zh: '请求格式错误', en: 'Malformed request' },
  401: { zh: '未登录或凭据无效', en: 'Not authenticated' },
  403: { zh: '无权进行此操作', en: 'Not allowed' },
  404: { zh: '未找到', en: 'Not found' },
  405: { zh: '不支持的请求方法', en: 'Method not allowed' },
  409: { zh: '当前状态不允许此操作', en: 'Conflict with the current state' },
  413: { zh: '请求体过大', en: 'Request body too large' },
  415: { zh: '不支持的内容类型', en: 'Unsupported media type' },
  422: { zh: '业务规则不允许', en: 'A rule refused the request' },
  429: { zh: '请求过于频繁', en: 'Too many requests' },
  500: { zh: '服务器内部错误', en: 'Internal server error' },
  503: { zh: '服务暂不可用', en: 'Service unavailable' },
};

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detailText?: Text,
    readonly errors: FieldError[] = [],
    /** why, for the server's log only (a 503's cause from the workflow service); never sent to the caller */
    readonly reason?: string,
  ) {
    super(detailText?.en ?? code);
  }
}

export const problems = {
  badRequest: (code: string, detail: Text, errors: FieldError[] = []) =>
    new Problem(400, code, detail, errors),
  unauthenticated: (detail: Text = { zh: '请先登录', en: 'Log in or send an API key' }) =>
    new Problem(401, 'UNAUTHENTICATED', detail),
  forbidden: (detail: Text = { zh: '当前角色无权进行此操作', en: 'Your role may not do this' }) =>
    new Problem(403, 'FORBIDDEN', detail),
  notFound: (what: Text = { zh: '资源不存在', en: 'No such resource' }) =>
    new Problem(404, 'NOT_FOUND', what),
  conflict: (code: string, detail: Text, errors: FieldError[] = []) => new Problem(409, code, detail, errors),
  rule: (code: string, detail: Text, errors: FieldError[] = []) => new Problem(422, code, detail, errors),
  unavailable: (code: string, detail: Text, reason?: string) => new Problem(503, code, detail, [], reason),
};

/** A domain RuleViolation as a field error; `prefix` places it in the request (`plan`, `trainees.3`). */
export function fieldErrorOf(
  v: RuleViolation,
  prefix?: string,
  fieldMap: Record<string, string> = {},
): FieldError {
  const field = v.field !== undefined ? (fieldMap[v.field] ?? v.field) : undefined;
  const path = [prefix, field].filter((p) => p !== undefined && p !== '').join('.');
  return { path, code: v.code, message: { zh: v.zh, en: v.en } };
}

/** 422 with every violation; the first one's code is the problem's code. */
export function ruleProblem(violations: RuleViolation[], prefix?: string): Problem {
  const errors = violations.map((v) => fieldErrorOf(v, prefix));
  const first = violations[0];
  return problems.rule(
    violations.length === 1 && first ? first.code : 'RULES_VIOLATED',
    violations.length === 1 && first
      ? { zh: first.zh, en: first.en }
      : { zh: `共有${violations.length}处不符合规则`, en: `${violations.length} rules refused the request` },
    errors,
  );
}

/** zod issues → 400 with field paths, each message in both languages (domain/issueText.ts). */
export function zodProblem(issues: z.core.$ZodIssue[], prefix?: string): Problem {
  const pathOf = (parts: PropertyKey[]) =>
    [prefix, ...parts.map(String)].filter((p) => p !== undefined && p !== '').join('.');
  const errors = issues.flatMap((i): FieldError[] =>
    // A strict object names the unknown keys together: one error per field, so each is named by its path.
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({
          path: pathOf([...i.path, key]),
          code: 'UNKNOWN_FIELD',
          message: UNKNOWN_FIELD,
        }))
      : [{ path: pathOf(i.path), code: i.code.toUpperCase(), message: issueText(i) }],
  );
  return problems.badRequest(
    'VALIDATION_FAILED',
    { zh: `请求中有${errors.length}处格式错误`, en: `${errors.length} field(s) are malformed` },
    errors,
  );
}

const UNKNOWN_FIELD: Text = { zh: '不接受的字段（请检查拼写）', en: 'Unknown field (check its spelling)' };

/** The caller's language: English when English is the best language it accepts that we speak, else zh-CN. */
export function langOf(req: Request): Lang {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string' || !header) return 'zh-CN';
  const best = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: (tag ?? '').trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((l) => l.q > 0 && /^(en|zh)(-|$)/.test(l.tag))
    .sort((a, b) => b.q - a.q)[0];
  return best?.tag.startsWith('en') ? 'en' : 'zh-CN';
}

export const pick = (t: Text, lang: Lang) => (lang === 'en' ? t.en : t.zh);

export function sendProblem(req: Request, res: Response, p: Problem): void {
  const lang = langOf(req);
  const title = TITLES[p.status] ?? TITLES[500]!;
  const errors = p.errors.map((e) => ({ path: e.path, code: e.code, message: pick(e.message, lang) }));
  const body: Record<string, unknown> = {
    type: `/api/docs#problem-${p.code}`,
    title: pick(title, lang),
    status: p.status,
    detail: p.detailText ? pick(p.detailText, lang) : pick(title, lang),
    code: p.code,
    instance: req.originalUrl.split('?')[0],
  };
  if (errors.length) body.errors = errors;
  res
    .status(p.status)
    .set('Content-Language', lang)
    .type('application/problem+json')
    .send(JSON.stringify(body));
}

/** body-parser and other http-errors carry `status`/`type`; map them without exposing internals. */
function fromHttpError(err: { status?: number; statusCode?: number; type?: string }): Problem | undefined {
  const status = err.status ?? err.statusCode;
  if (!status || status >= 500) return undefined;
  switch (err.type) {
    case 'entity.too.large':
      return new Problem(413, 'BODY_TOO_LARGE', {
        zh: '请求体超过大小限制',
        en: 'The request body exceeds the size limit',
      });
    case 'entity.parse.failed':
      return problems.badRequest('INVALID_JSON', {
        zh: '请求体不是有效的JSON',
        en: 'The body is not valid JSON',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Problem(415, 'UNSUPPORTED_ENCODING', { zh: '不支持的字符编码', en: 'Unsupported encoding' });
    case 'request.aborted':
      return problems.badRequest('REQUEST_ABORTED', { zh: '请求被中断', en: 'The request was aborted' });
    default:
      return new Problem(status, status === 413 ? 'BODY_TOO_LARGE' : 'BAD_REQUEST', {
        zh: TITLES[status]?.zh ?? '请求错误',
        en: TITLES[status]?.en ?? 'Bad request',
      });
  }
}

export function errorHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof Problem) {
      // A 503's cause (what the workflow service said) goes to the log, with the request's id, never to the caller.
      if (err.status >= 500 && err.reason)
        log.error(
          { reqId: (req as { id?: unknown }).id, code: err.code, cause: err.reason },
          'service unavailable',
        );
      return sendProblem(req, res, err);
    }
    if (err instanceof z.ZodError) return sendProblem(req, res, zodProblem(err.issues));
    const http = typeof err === 'object' && err !== null ? fromHttpError(err) : undefined;
    if (http) return sendProblem(req, res, http);
    // Never log request bodies or values: only the error's name, message and stack.
    const e = err instanceof Error ? err : new Error(String(err));
    log.error(
      { err: { name: e.name, message: e.message, stack: e.stack }, reqId: (req as { id?: unknown }).id },
      'unhandled error',
    );
    sendProblem(
      req,
      res,
      new Problem(500, 'INTERNAL', {
        zh: '服务器内部错误，请稍后重试',
        en: 'Internal error; try again later',
      }),
    );
  };
}
