// /api/docs: the OpenAPI document in Swagger UI, to read and to try requests with. swagger-ui-dist comes from
// npm and is served from here (no CDN is reachable from government networks), and the app's CSP runs no
// inline script or style (api/securityHeaders.ts): the page loads the viewer's bundle, its stylesheet and a
// small initializer, all same-origin files.
import path from 'node:path';
import express from 'express';
import type { RouteDoc } from './http';
import { openApiDocument } from './openapi';

const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));
/** The viewer's files the page uses; nothing else of the package (its demo page has an inline script). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The page's own style: the viewer's bar and margins, in a file (no inline style). */
export const DOCS_CSS = `body{margin:0;background:#fafafa}.sf-bar{font:14px/1.5 system-ui,sans-serif;padding:.6em 1.5em;background:#001529;color:#fff}
.sf-bar a{color:#91caff}.swagger-ui .topbar{display:none}
`;

/**
 * Starts the viewer on the document. A signed-in session's state-changing requests need its CSRF token: it is
 * read once from /api/v1/auth/me and sent as X-CSRF-Token; an API key needs none (Authorize → apiKey).
 */
export const DOCS_INIT = `'use strict';
(function () {
  var csrf = null;
  fetch('/api/v1/auth/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (me) { csrf = me && me.csrfToken; })
    .catch(function () {});
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'list',
    filter: true,
    displayRequestDuration: true,
    // No call to the public validator service: nothing leaves the bureau's network.
    validatorUrl: null,
    requestInterceptor: function (req) {
      var method = (req.method || 'GET').toUpperCase();
      if (csrf && method !== 'GET' && !req.headers['X-CSRF-Token']) req.headers['X-CSRF-Token'] = csrf;
      return req;
    },
  });
})();
`;

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>SkillFlow API</title>
<link rel="stylesheet" href="/api/docs.css">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
</head><body>
<div class="sf-bar">SkillFlow API — <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors: RFC 9457 problem+json, zh-CN or en by Accept-Language.</div>
<div id="swagger-ui"><noscript>The viewer needs JavaScript; the document itself is <a href="/api/openapi.json">/api/openapi.json</a>.</noscript></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;

/** The document, its viewer and the viewer's files. */
export function apiDocs(docs: RouteDoc[]): express.Router {
  const router = express.Router();
  router.get('/api/openapi.json', (_req, res) => void res.json(openApiDocument(docs)));
  router.get('/api/docs', (_req, res) => void res.type('html').send(PAGE));
  router.get('/api/docs.css', (_req, res) => void res.type('css').send(DOCS_CSS));
  router.get('/api/docs/init.js', (_req, res) => void res.type('text/javascript').send(DOCS_INIT));
  router.get('/api/docs/assets/:file', (req, res, next) => {
    const file = req.params.file;
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) return next();
    res.type(type).sendFile(path.join(SWAGGER_UI, file));
  });
  return router;
}
