/**
 * Issue 15, point 2: a caseworker's day in the inbox on the real stack (Temporal dev server, worker, API serving
 * web/dist, demo data): what each row is about (the trainee, masked), the total, sorting, a team view saved,
 * a task acted on from the side panel and the next one opened from there, and several evidence items verified
 * at once with each result shown. The evidence to judge is filed by the institution through the API first.
 * Screenshots at 1440×900 and 390×844 go to test-results/screenshots/15-2-inbox-*.png.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type TestStack } from '../support/stack';
import { addDays, shanghaiDate } from '../../domain/dates';
import { DEMO_PASSWORD, launchBrowser, logIn, pick, screenshot } from './browser';

jest.setTimeout(180_000);

type Call = <T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: T }>;

/** The API as a demo user (session cookie, CSRF token, Idempotency-Key): how the test builds its data. */
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
  return async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
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

interface InboxAnswer {
  total: number;
  items: { id: string; kind: string; about: { type: string; traineeName?: string } | null }[];
}

/**
 * Waits until the inbox shows `total`, pressing 刷新 every few seconds as a user would: the count the test read
 * from the API can move after the page loaded (a projection landing late on a busy machine).
 */
async function showsTotal(p: Page, total: number): Promise<void> {
  const shown = p.getByTestId('inbox-total').filter({ hasText: `共 ${total} 条` });
  for (let i = 0; i < 10; i++) {
    try {
      await shown.waitFor({ timeout: 4_000 });
      return;
    } catch {
      await p
        .getByRole('button', { name: /刷\s?新/ })
        .first()
        .click();
    }
  }
  await shown.waitFor({ timeout: 4_000 }).catch(async (err: unknown) => {
    // say what the page showed instead, and under which filter (for the diagnosis of a run that went wrong)
    const seen = await p.getByTestId('inbox-total').allInnerTexts();
    const kind = await p
      .getByTestId('filter-kind')
      .innerText()
      .catch(() => '?');
    throw new Error(`the inbox never showed 共 ${total} 条 (shown: ${JSON.stringify(seen)}, kind: ${kind})`, {
      cause: err,
    });
  });
}

describe('the inbox through a caseworker’s day', () => {
  let stack: TestStack | undefined;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cw: Call;
  const pageErrors: string[] = [];
  const VIEW = `本周就业核验-${Date.now() % 10_000}`;

  beforeAll(async () => {
    stack = await startStack();
    base = new URL('/', stack.baseUrl).href;

    // The evidence to judge: the institution reports a job for five passed trainees of its class in follow-up.
    const inst = await apiAs(base, 'inst1');
    const classes = await inst<{ items: { id: string }[] }>('GET', '/institution/classes?stage=FOLLOW_UP');
    expect(classes.status).toBe(200);
    const classId = classes.body.items[0]!.id;
    const detail = await inst<{
      evidence: { enrollmentId: string }[];
      trainees: { enrollmentId: string; assessment: string | null }[];
    }>('GET', `/cases/${classId}`);
    const reported = new Set(detail.body.evidence.map((e) => e.enrollmentId));
    const awaiting = detail.body.trainees
      .filter((x) => x.assessment && x.assessment !== 'FAILED' && !reported.has(x.enrollmentId))
      .slice(0, 5);
    expect(awaiting).toHaveLength(5);
    const employedOn = addDays(shanghaiDate(new Date().toISOString()), 1);
    for (const t of awaiting) {
      const sent = await inst('POST', `/institution/classes/${classId}/employment-evidence`, {
        enrollmentId: t.enrollmentId,
        kind: 'LABOUR_CONTRACT',
        employedOn,
        employer: '石家庄市裕华区某家政服务有限公司',
      });
      expect(sent.status).toBe(201);
    }
    // The projection follows the workflow a moment later: the caseworker's inbox holds 3 + 5 verifications.
    cw = await apiAs(base, 'caseworker');
    for (let i = 0; i < 80; i++) {
      const r = await cw<InboxAnswer>('GET', '/tasks?kind=VERIFY_EMPLOYMENT');
      if (r.body.total >= 8) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect((await cw<InboxAnswer>('GET', '/tasks?kind=VERIFY_EMPLOYMENT')).body.total).toBeGreaterThanOrEqual(
      8,
    );

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
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

  const rows = () => page.getByTestId('inbox-table').locator('.ant-table-tbody .ant-table-row');
  const kindCells = async () =>
    (await rows().allInnerTexts()).map((text) =>
      text.includes('就业核验') ? '就业核验' : text.includes('开班审核') ? '开班审核' : 'other',
    );

  it('shows what each row is about, masked, and the total; the rarer filters wait behind 筛选', async () => {
    await logIn(page, base, 'caseworker');
    await rows().first().waitFor();
    const api = (await cw<InboxAnswer>('GET', '/tasks')).body;
    await showsTotal(page, api.total);
    expect(await page.locator('.ant-pagination-total-text').innerText()).toBe(`共 ${api.total} 条`);
    // Each verification names its trainee, masked; no two rows of the class read the same.
    const verifyRows = rows().filter({ hasText: '就业核验' });
    const subjects = await verifyRows.getByTestId('task-subject').allInnerTexts();
    expect(subjects.length).toBeGreaterThanOrEqual(8);
    for (const s of subjects) expect(s).toMatch(/^学员\s*\S*\*\S*$/);
    expect(new Set(subjects).size).toBe(subjects.length);
    // Kind, overdue and assignee in view; the other five behind the toggle.
    expect(await page.getByTestId('more-filters').isHidden()).toBe(true);
    await screenshot(page, '15-2-inbox-desktop');
    await page.getByTestId('filter-toggle').click();
    await page.getByTestId('more-filters').waitFor({ state: 'visible' });
    await screenshot(page, '15-2-inbox-filters-open');
    await page.getByTestId('filter-toggle').click();
    await page.getByTestId('more-filters').waitFor({ state: 'hidden' });
  });

  /** Polls until `check` holds (the table reloads after each click). */
  async function until(check: () => Promise<boolean>) {
    for (let i = 0; i < 60 && !(await check()); i++) await page.waitForTimeout(250);
    expect(await check()).toBe(true);
  }

  it('sorts by the kind of task both ways', async () => {
    const header = page.locator('.ant-table-thead th', { hasText: '待办类型' });
    await header.click();
    // REVIEW_PLAN < VERIFY_EMPLOYMENT: the plan reviews first, then the verifications.
    await until(async () => (await kindCells())[0] === '开班审核');
    const up = await kindCells();
    expect(up.indexOf('就业核验')).toBeGreaterThan(up.lastIndexOf('开班审核'));
    await header.click();
    await until(async () => (await kindCells())[0] === '就业核验');
    const down = await kindCells();
    expect(down.indexOf('开班审核')).toBeGreaterThan(down.lastIndexOf('就业核验'));
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await screenshot(page, '15-2-inbox-sorted');
  });

  it('saves the filtered list as a view for the team, which finance does not see', async () => {
    await pick(page, 'filter-kind', '就业核验');
    await page.getByTestId('filter-search').click();
    const total = (await cw<InboxAnswer>('GET', '/tasks?kind=VERIFY_EMPLOYMENT')).body.total;
    await showsTotal(page, total);
    expect(await kindCells()).toEqual(Array(Math.min(total, 20)).fill('就业核验'));

    await page.getByTestId('view-save').click();
    await page.getByTestId('view-name').fill(VIEW);
    await screenshot(page, '15-2-inbox-save-view');
    await page.locator('.ant-modal', { hasText: '保存为团队视图' }).locator('.ant-btn-primary').click();
    await page.getByTestId('view-select').filter({ hasText: VIEW }).waitFor();
    const views = await cw<{ items: { name: string; query: Record<string, string> }[] }>(
      'GET',
      '/tasks/views',
    );
    expect(views.body.items.find((v) => v.name === VIEW)?.query).toEqual({
      kind: 'VERIFY_EMPLOYMENT',
      sort: '-kind',
    });
    const finance = await apiAs(base, 'finance');
    const theirs = await finance<{ items: { name: string }[] }>('GET', '/tasks/views');
    expect(theirs.body.items.map((v) => v.name)).not.toContain(VIEW);

    // Reset, then the view brings the filter back.
    const all = (await cw<InboxAnswer>('GET', '/tasks')).body.total;
    await page.getByRole('button', { name: /重\s?置/ }).click();
    await showsTotal(page, all);
    await pick(page, 'view-select', VIEW);
    await showsTotal(page, total);
  });

  it('verifies a trainee’s evidence from the side panel and goes on to the next task', async () => {
    const first = rows().first();
    const subject = await first.getByTestId('task-subject').innerText();
    await first.getByTestId('task-open').click();
    const panel = page.locator('.ant-drawer-content-wrapper');
    await panel.getByTestId('panel-task').waitFor();
    await screenshot(page, '15-2-inbox-panel-opened');
    await panel.getByTestId('panel-verify').waitFor();
    expect(await panel.getByTestId('panel-task').innerText()).toContain(subject.replace(/^学员\s*/, ''));
    await panel.locator('.ant-descriptions', { hasText: '提交的材料' }).waitFor();
    await screenshot(page, '15-2-inbox-panel');
    await panel.getByTestId('panel-verify').click();
    const modal = page.locator('.ant-modal', { hasText: '就业材料核验' });
    await modal.locator('.ant-radio-wrapper', { hasText: '核验通过' }).click();
    await modal.locator('textarea').fill('劳动合同与社保记录一致');
    await modal.locator('.ant-btn-primary').click();
    await modal.waitFor({ state: 'hidden' });
    await panel.getByTestId('next-task').waitFor();
    await screenshot(page, '15-2-inbox-panel-done');
    await panel.getByTestId('next-task').click();
    await panel.getByTestId('panel-verify').waitFor();
    const next = await panel.getByTestId('task-subject').innerText();
    expect(next).not.toBe(subject);
    await page.locator('.ant-drawer-close').click();
    await panel.waitFor({ state: 'hidden' });
    // The verified task leaves the list once the workflow has closed it.
    const left = page.getByTestId('task-subject').filter({ hasText: subject.replace(/^学员\s*/, '') });
    for (let i = 0; i < 40 && (await left.count()) > 0; i++) await page.waitForTimeout(250);
    expect(await left.count()).toBe(0);
  });

  it('verifies several evidence items at once, one call each, and shows each result', async () => {
    const before = (await cw<InboxAnswer>('GET', '/tasks?kind=VERIFY_EMPLOYMENT')).body.total;
    for (let i = 0; i < 3; i++) await rows().nth(i).locator('.ant-checkbox-input').check();
    await page.getByTestId('bulk-verify').filter({ hasText: '批量核验（3）' }).click();
    const modal = page.locator('.ant-modal', { hasText: '批量核验就业材料' });
    await modal.getByTestId('bulk-shared-note').fill('批量核验：劳动合同齐全');
    await modal.getByTestId('bulk-submit').click();
    await modal.getByTestId('bulk-summary').waitFor();
    expect(await modal.getByTestId('bulk-result-ok').count()).toBe(3);
    expect(await modal.getByTestId('bulk-summary').innerText()).toContain('成功 3 项，被拒绝 0 项');
    await screenshot(page, '15-2-inbox-bulk-verified');
    // The last result can show a moment before the button stops loading (a loading button takes no click).
    await page.waitForFunction(
      `!document.querySelector('[data-testid="bulk-submit"]')?.classList.contains('ant-btn-loading')`,
    );
    await modal.getByTestId('bulk-submit').click();
    await modal.waitFor({ state: 'hidden', timeout: 30_000 });
    for (let i = 0; i < 40; i++) {
      if ((await cw<InboxAnswer>('GET', '/tasks?kind=VERIFY_EMPLOYMENT')).body.total === before - 3) break;
      await page.waitForTimeout(250);
    }
    expect((await cw<InboxAnswer>('GET', '/tasks?kind=VERIFY_EMPLOYMENT')).body.total).toBe(before - 3);
    await showsTotal(page, before - 3);
  });

  it('works on a phone: cards, the total, the panel full width', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const p = await phone.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await logIn(p, base, 'caseworker');
      await p.getByTestId('inbox-table').getByTestId('list-card').first().waitFor();
      const total = (await cw<InboxAnswer>('GET', '/tasks')).body.total;
      await showsTotal(p, total);
      // Nothing wider than the screen.
      const overflow = await p.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
            .documentElement.scrollWidth,
      );
      expect(overflow).toBeLessThanOrEqual(390);
      await screenshot(p, '15-2-inbox-phone');
      await p
        .getByTestId('inbox-table')
        .getByTestId('list-card')
        .filter({ hasText: '就业核验' })
        .first()
        .getByTestId('task-open')
        .click();
      await p.locator('.ant-drawer-content-wrapper').getByTestId('panel-verify').waitFor();
      await screenshot(p, '15-2-inbox-phone-panel');
    } finally {
      await phone.close();
    }
  });
});
