// Security headers (helmet) on every answer: a Content-Security-Policy that runs no inline script and lets no
// page frame ours, no Referer leaving the app, and HSTS only when the app is served over TLS (settings.tls,
// or a request that arrived over TLS). The web UI's index.html gets a fresh nonce per page for the <style>
// elements antd writes at run time (CSS-in-JS); nothing else inline is allowed anywhere.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Settings } from '../platform/config';

/** What web/vite.config.ts writes into index.html (html.cspNonce), replaced per page by `spaIndex`. */
export const CSP_NONCE_PLACEHOLDER = '__SKILLFLOW_CSP_NONCE__';

/** One year, the usual value. Subdomains are left out: other hosts under a bureau's domain are not ours. */
const HSTS_MAX_AGE_S = 365 * 24 * 3600;

/**
 * The policy, with a style nonce for the web UI's page. Same-origin everything, no inline script, ever
 * (so `upgrade-insecure-requests` would add nothing: every resource already has the page's scheme).
 */
export function cspDirectives(styleNonce?: string) {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...(styleNonce ? [`'nonce-${styleNonce}'`] : [])],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
  };
}

export function securityHeaders(settings: Pick<Settings, 'tls'>): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives() },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: HSTS_MAX_AGE_S, includeSubDomains: false });
  return (req, res, next) =>
    headers(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (settings.tls || req.secure) return hsts(req, res, next);
      next();
    });
}

/**
 * The web UI's index.html with a nonce of its own: the placeholder Vite wrote is replaced, and the page's CSP
 * allows <style> elements carrying that nonce (antd reads it from `<meta property="csp-nonce">`).
 */
export function spaIndex(indexFile: string): RequestHandler {
  return async (req, res, next) => {
    // Read per page (a few hundred bytes): a rebuilt web UI is served without a restart.
    const html = await fs.promises.readFile(indexFile, 'utf8');
    const nonce = crypto.randomBytes(18).toString('base64');
    const csp = helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: cspDirectives(nonce),
    });
    csp(req, res, (err?: unknown) => {
      if (err) return next(err);
      res.type('html').send(html.split(CSP_NONCE_PLACEHOLDER).join(nonce));
    });
  };
}
