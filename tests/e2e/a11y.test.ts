/**
 * Accessibility (issue 15, Done when): axe-core (WCAG 2 A and AA rules) on every page of every role on the
 * real stack with its demo data, at desk and phone size; no serious or critical violation. axe runs inside the
 * page (its script added with the page's CSP bypassed for the test only — the app itself allows no inline
 * script). A violation names the page, the rule and the elements, so the failure says what to fix.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { startStack, type TestStack } from '../support/stack';
import { axeViolations, DEMO_PASSWORD, launchBrowser, logIn } from './browser';

jest.setTimeout(600_000);

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
          found.push(...(await axeViolations(page, `${user ?? 'public'} ${size.name} ${p}`)));
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
      ...(await pagesOf('admin', [
        '/admin',
        '/admin?tab=keys',
        '/admin?tab=calendar',
        '/admin?tab=history',
        '/admin?tab=audit',
      ])),
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
