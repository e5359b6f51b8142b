/**
 * /api/docs in a real browser: Swagger UI, served by the app from swagger-ui-dist (no CDN), renders every
 * operation of the OpenAPI document under the app's Content-Security-Policy (same-origin scripts, nothing
 * inline), and a request can be tried from the page. The app runs on a read model alone (no Temporal).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import type { Browser } from 'playwright-core';
import { createApp } from '../../api/app';
import { createTestDb } from '../support/db';
import { testSettings } from '../api/support';
import { launchBrowser, screenshot, SCREENSHOTS } from './browser';

jest.setTimeout(120_000);

describe('the API docs page', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;
  let app: ReturnType<typeof createApp>;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDb();
    app = createApp({
      db: db.db,
      temporal: { workflow: {}, workflowService: {} } as unknown as Client,
      settings: testSettings(),
      logger: pino({ level: 'silent' }),
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    (app.locals.close as () => void)?.();
    await db?.cleanup();
  });

  it('renders every operation with Swagger UI under the CSP, and tries a request', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const refused: string[] = [];
    page.on('pageerror', (e) => refused.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });

    await page.goto(`${base}/api/docs`);
    await page.locator('.opblock').first().waitFor();
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);
    await screenshot(page, 'api-docs-01-operations');

    // Try it out: the public notices, answered by the app from the page (same origin, no CSRF needed).
    const notices = page.locator('#operations-public-get_api_v1_public_notices');
    await notices.locator('.opblock-summary').click();
    await notices.getByRole('button', { name: 'Try it out' }).click();
    await notices.getByRole('button', { name: 'Execute' }).click();
    await notices.locator('.live-responses-table tbody .response-col_status').first().waitFor();
    expect(
      (await notices.locator('.live-responses-table tbody .response-col_status').first().innerText()).trim(),
    ).toBe('200');
    // The operation alone: the whole page is a few thousand pixels tall once an answer is shown.
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await notices.screenshot({ path: path.join(SCREENSHOTS, 'api-docs-02-try-it-out.png') });

    expect(refused).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });
});
