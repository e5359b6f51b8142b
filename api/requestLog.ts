// One log line per request: its id (X-Request-Id, taken from the caller when well-formed), method, path,
// status and duration. Never headers, query strings or bodies: a search term may hold personal data.
// A lean stand-in for pino-http, whose per-request serializers cost more than the inbox query itself.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type pino from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
    /** The app's logger with this request's id bound. */
    log?: pino.Logger;
  }
}

const GIVEN_ID = /^[\w.-]{1,64}$/;

export function requestLog(logger: pino.Logger, ignore: (path: string) => boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    let child: pino.Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => (child ??= logger.child({ reqId: id })),
    });
    const path = (req.url ?? '').split('?')[0]!;
    if (ignore(path)) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const entry = {
        reqId: id,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      };
      if (res.statusCode >= 500) logger.error(entry, 'request failed');
      else logger.info(entry, 'request completed');
    });
    next();
  };
}

/** The value of one cookie, without parsing the rest of the header. */
export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
