/**
 * Accessibility (issue 15, Done when): axe-core (WCAG 2 A and AA rules) on every page of every role on the
 * real stack with its demo data, at desk and phone size; no serious or critical violation. axe runs inside the
 * page (its script added with the page's CSP bypassed for the test only — the app itself allows no inline
 * script). A violation names the page, the rule and the elements, so the failure says what to fix.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type TestStack } from '../support/stack';
import { DEMO_PASSWORD, launchBrowser, logIn } from './browser';

jest.setTimeout(600_000);

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

const AXE = require.resolve('axe-core/axe.min.js');
const SIZES = [
  { name: 'desk', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

describe('accessibility of every page (axe-core, WCAG 2 A/AA)', () => {
  let stack: TestStack | undefined;
  let base: string;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    base = new URL('/', stack.baseUrl).href;
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    stack?.remove();
  }, 120_000);
  afterEach(() => expect(pageErrors).toEqual([]));

  async function audit(page: Page, where: string): Promise<string[]> {
    await page.locator('[data-testid="page-title"], [data-testid="login-submit"]').first().waitFor();
    await page.waitForFunction(
      () =>
        !(
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector('.ant-spin-spinning, .ant-skeleton'),
    );
    await page.waitForTimeout(300);
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<unknown> } }).axe;
      return (await axe.run((globalThis as unknown as { document: unknown }).document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      })) as AxeResult;
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${where}: [${v.impact}] ${v.id} — ${v.help}: ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}${v.nodes.length > 3 ? ` (+${v.nodes.length - 3})` : ''}`,
      );
  }

  /** Each page of a role at both sizes; the login page too, before logging in. */
  async function pagesOf(user: string | null, paths: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const size of SIZES) {
      const context: BrowserContext = await browser.newContext({
        viewport: size.viewport,
        locale: 'zh-CN',
        bypassCSP: true,
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        page.on('pageerror', (e) => pageErrors.push(e.message));
        if (user) await logIn(page, base, user);
        for (const p of paths) {
          await page.goto(`${base}#${p}`);
          found.push(...(await audit(page, `${user ?? 'public'} ${size.name} ${p}`)));
        }
      } finally {
        await context.close();
      }
    }
    return found;
  }

  /** The demo data's first item of a list, found through the API as that user (the test needs one). */
  async function firstOf(user: string, path: string, want?: (x: { id: string; stage: string }) => boolean) {
    const login = await fetch(`${base}api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user, password: DEMO_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await fetch(`${base}api/v1${path}`, { headers: { Cookie: cookie } });
    const items = ((await res.json()) as { items: { id: string; stage: string }[] }).items;
    const item = items.find(want ?? (() => true));
    expect(item).toBeDefined();
    return item!.id;
  }

  it('the public pages', async () => {
    expect(await pagesOf(null, ['/login', '/notices', '/me'])).toEqual([]);
  });

  it('a caseworker’s pages', async () => {
    const caseId = await firstOf('caseworker', '/cases?limit=50');
    expect(
      await pagesOf('caseworker', [
        '/inbox',
        '/cases',
        `/cases/${caseId}`,
        `/cases/${caseId}/approval-form`,
        '/dashboard',
        '/notices',
        '/people',
        '/vouchers',
      ]),
    ).toEqual([]);
  });

  it('finance’s, a manager’s and an administrator’s pages', async () => {
    expect([
      ...(await pagesOf('finance', ['/payments', '/inbox', '/vouchers'])),
      ...(await pagesOf('manager', ['/dashboard', '/payments', '/performance', '/vouchers'])),
      ...(await pagesOf('admin', ['/admin', '/admin?tab=keys', '/admin?tab=calendar', '/admin?tab=audit'])),
    ]).toEqual([]);
  });

  it('an institution’s and an assessment body’s pages', async () => {
    const classId = await firstOf('inst1', '/institution/classes?limit=50');
    const assessing = await firstOf(
      'assessor',
      '/assessor/classes?limit=50',
      (c) => c.stage === 'ASSESSMENT',
    );
    expect([
      ...(await pagesOf('inst1', ['/portal', '/portal/new', `/portal/classes/${classId}`])),
      ...(await pagesOf('assessor', ['/assessor', `/assessor/classes/${assessing}`])),
    ]).toEqual([]);
  });
});
