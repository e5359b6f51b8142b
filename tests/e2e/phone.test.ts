/**
 * Issue 15, points 5 and 6 on the real stack (Temporal dev server, worker, API serving web/dist, demo data).
 * 5: each role's main pages at 390×844 — nothing wider than the screen, no table that needs sideways
 *    scrolling, the header on one line, the menu button clear of the page title, the menu reachable from the
 *    header; lists are cards with their actions on them.
 * 6: names instead of ids — the institution in the case list and on the case page, the assessment body picked
 *    by name in the plan form, who acted in the case timeline and in the access audit.
 * Screenshots at 1440×900 and 390×844 go to test-results/screenshots/15-5-*.png and 15-6-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type TestStack } from '../support/stack';
import { DEMO_PASSWORD, launchBrowser, logIn, screenshot } from './browser';

jest.setTimeout(240_000);

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };

type Call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: T }>;

/** The API as a demo user (session cookie, CSRF token, Idempotency-Key). */
async function apiAs(base: string, username: string): Promise<Call> {
  const login = await fetch(`${base}api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${base}api/v1${path}`, {
      method,
      headers: {
        Cookie: cookie,
        ...(method !== 'GET' ? { 'X-CSRF-Token': csrfToken } : {}),
        ...(method === 'POST' ? { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

interface ClassItem {
  id: string;
  stage: string;
  institutionId: string;
  institutionName: string | null;
}
interface Detail {
  timeline: { actor: string; actorName: string | null }[];
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Measured {
  scrollWidth: number;
  innerWidth: number;
  header: Box | null;
  /** text nodes in the header laid out on more than one line (the name once wrapped per character) */
  headerWrapped: string[];
  menuButton: Box | null;
  title: Box | null;
  /** tables that would need sideways scrolling inside their box */
  scrolledTables: number;
  cards: number;
}

// Run in the page (the root tsconfig has no DOM lib, so it is sent as text).
const MEASURE = `(() => {
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  };
  const header = document.querySelector('[data-testid="app-header"]');
  const wrapped = [];
  if (header) {
    const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) wrapped.push(n.textContent);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    header: box(header),
    headerWrapped: wrapped,
    menuButton: box(document.querySelector('[data-testid="menu-button"]')),
    title: box(document.querySelector('[data-testid="page-title"]')),
    scrolledTables: [...document.querySelectorAll('.ant-table-content, .ant-table-body')].filter(
      (el) => el.scrollWidth > el.clientWidth + 1,
    ).length,
    cards: document.querySelectorAll('[data-testid="list-card"]').length,
  };
})()`;

/** What the page looks like to the layout checks, measured in the browser. */
const measure = (page: Page) => page.evaluate<Measured>(MEASURE);

const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('every role’s pages on a phone, and names instead of ids', () => {
  let stack: TestStack | undefined;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cw: Call;
  let reviewed: ClassItem;
  let instClass: ClassItem;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    base = new URL('/', stack.baseUrl).href;
    cw = await apiAs(base, 'caseworker');
    // A class the caseworker has acted on (the demo approves plans as u-caseworker): its timeline names them.
    for (let i = 0; i < 240 && !reviewed; i++) {
      const list = await cw<{ items: ClassItem[] }>('GET', '/cases?stage=FOLLOW_UP&limit=5');
      for (const c of list.body.items ?? []) {
        const d = await cw<Detail>('GET', `/cases/${c.id}`);
        if (d.body.timeline?.some((e) => e.actor === 'u-caseworker')) {
          reviewed = c;
          break;
        }
      }
      if (!reviewed) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(reviewed).toBeDefined();
    // An entry in the access audit: the caseworker shows the roster with names, for a reason (recorded with
    // their user id).
    expect((await cw('POST', `/cases/${reviewed.id}/reveal`, { reason: '核对学员身份' })).status).toBe(200);
    const inst = await apiAs(base, 'inst1');
    const own = await inst<{ items: ClassItem[] }>('GET', '/institution/classes?limit=5');
    instClass = own.body.items[0]!;

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
    stack?.remove();
  }, 120_000);

  afterEach(() => expect(pageErrors).toEqual([]));

  /** Logs in as `username` on a fresh session (whatever the previous test left behind). */
  async function as(username: string, viewport = PHONE) {
    await context.clearCookies();
    await page.goto('about:blank'); // the app starts afresh: no request of the old session is refused on screen
    await page.setViewportSize(viewport);
    await logIn(page, base, username);
  }

  /** Opens a page, waits for its title and data, checks the phone layout and takes both screenshots. */
  async function check(path: string, shot: string, ready?: string) {
    await page.setViewportSize(PHONE);
    await page.goto(`${base}#${path}`);
    await page.getByTestId('page-title').first().waitFor();
    if (ready) await page.locator(ready).first().waitFor();
    await page.waitForFunction(
      () =>
        !(
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector('.ant-spin-spinning, .ant-skeleton'),
    );
    await page.waitForTimeout(300);
    const m = await measure(page);
    expect({ path, overflow: m.scrollWidth - m.innerWidth }).toEqual({ path, overflow: 0 });
    expect({ path, scrolledTables: m.scrolledTables }).toEqual({ path, scrolledTables: 0 });
    // One line of header: 56 px high, no text in it on a second line (a name wrapping per character was).
    expect(m.header!.height).toBeLessThanOrEqual(64);
    expect(m.headerWrapped).toEqual([]);
    // The menu button sits in the header, clear of the page title.
    expect(m.menuButton).not.toBeNull();
    expect(intersects(m.menuButton!, m.title!)).toBe(false);
    expect(m.title!.y).toBeGreaterThanOrEqual(m.header!.y + m.header!.height);
    await screenshot(page, `15-5-${shot}-phone`);
    await page.setViewportSize(DESK);
    await page.waitForTimeout(300);
    await screenshot(page, `15-5-${shot}-desk`);
    await page.setViewportSize(PHONE);
    return m;
  }

  it('gives a caseworker a one-line header, the menu in a drawer, and cases as cards', async () => {
    await as('caseworker');
    const inbox = await check(
      '/inbox',
      'caseworker-inbox',
      '[data-testid="inbox-table"] [data-testid="list-card"]',
    );
    expect(inbox.cards).toBeGreaterThan(0);
    // The menu opens from the header and takes the user to another page.
    await page.getByTestId('menu-button').click();
    await page.locator('.ant-drawer .ant-menu-item', { hasText: '案件' }).click();
    await page.getByTestId('page-title').filter({ hasText: '案件查询' }).waitFor();
    await page
      .locator('.ant-drawer-open')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    const cases = await check('/cases', 'caseworker-cases', '[data-testid="list-card"]');
    expect(cases.cards).toBeGreaterThan(0);
    await check(`/cases/${reviewed.id}`, 'caseworker-case', '[data-testid="case-steps"]');
    await page.locator('.ant-tabs-tab', { hasText: '学员' }).click();
    await page.locator('[data-testid="trainees-table"] [data-testid="list-card"]').first().waitFor();
    await page.locator('.ant-tabs-tab', { hasText: '补贴明细' }).click();
    await screenshot(page, '15-5-caseworker-case-lines-phone');
    await check('/notices', 'caseworker-notices');
    // The user's name and role are behind the avatar, and logging out is reachable there.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-name').filter({ hasText: '王敏（经办人）' }).waitFor();
    await screenshot(page, '15-5-caseworker-user-menu-phone');
    await page.locator('.ant-dropdown-menu-item').filter({ hasText: '退出登录' }).click();
    await page.getByTestId('login-submit').waitFor();
  });

  it('lets finance approve and export from payment cards on a phone', async () => {
    await as('finance');
    await check('/inbox', 'finance-inbox');
    await check('/payments', 'finance-payments', '[data-testid="list-card"], .sf-cards-empty');
  });

  it('shows a manager the dashboard and the cases on a phone', async () => {
    await as('manager');
    await check('/dashboard', 'manager-dashboard', '[data-testid="stage-bars"]');
    await check('/payments', 'manager-payments');
  });

  it('shows an administrator every tab as cards on a phone', async () => {
    await as('admin');
    await check('/admin', 'admin-users', '[data-testid="list-card"]');
    for (const [tab, shot] of [
      ['API密钥', 'admin-keys'],
      ['工作日历', 'admin-calendar'],
      ['留痕', 'admin-audit'],
    ] as const) {
      await page.locator('.ant-tabs-tab', { hasText: tab }).click();
      await page.waitForTimeout(500);
      const m = await measure(page);
      expect({ tab, overflow: m.scrollWidth - m.innerWidth, tables: m.scrolledTables }).toEqual({
        tab,
        overflow: 0,
        tables: 0,
      });
      await screenshot(page, `15-5-${shot}-phone`);
    }
  });

  it('gives an institution its classes, a class and the plan form on a phone', async () => {
    await as('inst1');
    await check('/portal', 'institution-portal', '[data-testid="list-card"]');
    await check(`/portal/classes/${instClass.id}`, 'institution-case', '[data-testid="case-steps"]');
    await check('/portal/new', 'institution-plan-form', '[data-testid="plan-submit"]');
  });

  it('gives an assessment body its booked classes as cards on a phone', async () => {
    await as('assessor');
    // Every booked class (the list opens on those awaiting results, which the demo may have none of by now).
    const m = await check('/assessor?scope=all', 'assessor-classes', '[data-testid="list-card"]');
    expect(m.cards).toBeGreaterThan(0);
  });

  it('names the institution in the case list and on the case page, never its id', async () => {
    await as('caseworker', DESK);
    await page.goto(`${base}#/cases`);
    const table = page.getByTestId('cases-table');
    await table.locator('.ant-table-row').first().waitFor();
    const text = await table.innerText();
    expect(text).toContain('石家庄市智联职业培训学校');
    expect(text).not.toMatch(/inst-sjz-0\d/);
    await screenshot(page, '15-6-cases-desk');
    await page.setViewportSize(PHONE);
    await screenshot(page, '15-6-cases-phone');
    await page.setViewportSize(DESK);

    await page.goto(`${base}#/cases/${reviewed.id}`);
    await page.getByTestId('case-institution').waitFor();
    expect(await page.getByTestId('case-institution').innerText()).toBe(reviewed.institutionName);
    expect(await page.getByTestId('plan-assessment-body').innerText()).toBe('石家庄市职业技能鉴定中心');
  });

  it('names who acted in the case timeline', async () => {
    await as('caseworker', DESK);
    await page.goto(`${base}#/cases/${reviewed.id}`);
    await page.locator('.ant-tabs-tab', { hasText: '时间线' }).click();
    await page.getByTestId('timeline-actor').first().waitFor();
    const actors = await page.getByTestId('timeline-actor').allInnerTexts();
    expect(actors).toContain('王敏（经办人）');
    expect(actors).toContain('系统');
    for (const a of actors) expect(a).not.toMatch(/^(u-|apikey:)/);
    await screenshot(page, '15-6-timeline-desk');
    await page.setViewportSize(PHONE);
    await screenshot(page, '15-6-timeline-phone');
    await page.setViewportSize(DESK);
  });

  it('names the user in the access audit', async () => {
    await as('admin', DESK);
    await page.goto(`${base}#/admin`);
    await page.locator('.ant-tabs-tab', { hasText: '留痕' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.locator('.ant-table-row').first().waitFor();
    const text = await audit.innerText();
    expect(text).toContain('王敏（经办人）');
    expect(text).not.toContain('u-caseworker');
    await screenshot(page, '15-6-audit-desk');
    await page.setViewportSize(PHONE);
    await screenshot(page, '15-6-audit-phone');
    await page.setViewportSize(DESK);
  });

  it('offers the plan form’s assessment bodies by name', async () => {
    await as('inst1', DESK);
    await page.goto(`${base}#/portal/new`);
    await page.locator('#assessmentBodyId').click();
    const options = page.locator('.ant-select-item-option');
    await options.first().waitFor();
    const labels = await options.allInnerTexts();
    expect(labels).toContain('石家庄市职业技能鉴定中心（新华区）');
    for (const l of labels) expect(l).not.toMatch(/^assess-/);
    await screenshot(page, '15-6-plan-form-assessment-body-desk');
    await options.filter({ hasText: '石家庄市职业技能鉴定中心' }).click();
    await page.setViewportSize(PHONE);
    await screenshot(page, '15-6-plan-form-assessment-body-phone');
    await page.setViewportSize(DESK);
  });
});
