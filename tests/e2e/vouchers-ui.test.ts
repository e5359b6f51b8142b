/**
 * 电子培训券 (issue 16 point 2) in the web UI against the stand-in API (tests/e2e/mockApi.ts): the programmes and
 * their funnel, a programme set up by the section head (the API's refusals on their fields), vouchers issued by a
 * caseworker and a programme's vouchers page by page, the person claiming theirs on the self-service page, and an
 * institution enrolling voucher holders only. At desk and phone size.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, logIn, openOption, screenshot } from './browser';
import {
  installMockApi,
  MOCK_ORIGIN,
  PERSON_ID,
  PERSON_NAME,
  VOUCHER_IDS,
  VOUCHER_PROGRAMME_ID,
  type MockState,
} from './mockApi';

const ROOT = path.join(__dirname, '..', '..');
const base = `${MOCK_ORIGIN}/`;
const ENDED_PROGRAMME_ID = 'VP-2025CY0007';

/** The pages under test are web/dist as Vite builds it (ui-mocked.test.ts builds it the same way). */
function ensureWebBuild() {
  const index = path.join(ROOT, 'web', 'dist', 'index.html');
  if (!fs.existsSync(index)) execFileSync('npm', ['run', '-s', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  if (!fs.existsSync(index)) throw new Error(`${index} is missing after \`npm run build:web\``);
}

/** A calendar day as the page's date pickers see it (the browser runs in this process's time zone). */
function localDay(offset: number): string {
  const d = new Date(Date.now() + offset * 86_400_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

describe('training vouchers in the web UI (issue 16.2)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: MockState;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
  });
  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  const sent = (pathEnd: string, method = 'POST') =>
    api.requests.filter((r) => r.method === method && r.url.split('?')[0]!.endsWith(pathEnd));
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 100 && !ok(); i++) await page.waitForTimeout(100);
  };
  /** An option of the open select's list, by its text. */
  const option = (text: string) => openOption(page, text);
  /** A form item's error, found by the id of its control. */
  const errorOf = (id: string) =>
    page.locator('.ant-form-item', { has: page.locator(`#${id}`) }).locator('.ant-form-item-explain-error');

  it('shows a manager the programmes with their funnel and sets one up, refusals said on their fields', async () => {
    api = await installMockApi(page);
    await logIn(page, base, 'manager');
    await page.locator('.ant-menu-item', { hasText: '培训券' }).click();
    const table = page.getByTestId('programme-table');
    await table.locator('.ant-table-row').first().waitFor();
    expect(await table.locator('.ant-table-row').count()).toBe(2);

    const running = table.locator('.ant-table-row', {
      has: page.getByTestId(`programme-${VOUCHER_PROGRAMME_ID}`),
    });
    const funnel = page.getByTestId(`funnel-${VOUCHER_PROGRAMME_ID}`);
    const counts: Record<string, string> = {};
    for (const k of ['issued', 'claimed', 'reserved', 'redeemed', 'expired', 'remaining'])
      counts[k] = (await funnel.getByTestId(`funnel-${k}`).locator('dd').innerText()).trim();
    expect(counts).toEqual({
      issued: '120',
      claimed: '86',
      reserved: '30',
      redeemed: '41',
      expired: '0',
      remaining: '380',
    });
    const text = await running.innerText();
    expect(text).toContain('养老护理员、育婴员');
    expect(text).toContain('初级工（五级）、中级工（四级）');
    expect(text).toContain('就业补助资金');
    expect(text).toContain('¥45,100.00');
    expect(await running.getByTestId('programme-ended').count()).toBe(0);
    const ended = table.locator('.ant-table-row', {
      has: page.getByTestId(`programme-${ENDED_PROGRAMME_ID}`),
    });
    expect(await ended.getByTestId('programme-ended').innerText()).toBe('已结束');
    expect(await ended.innerText()).toContain('职业技能提升行动专账资金');
    expect(await ended.innerText()).toContain('¥237,600.00');
    // The section head issues too, but not from an ended programme.
    expect(await page.getByTestId(`issue-${ENDED_PROGRAMME_ID}`).isDisabled()).toBe(true);
    await screenshot(page, '16-2-vouchers-desk');

    // 设立项目: a fund and an occupation the server does not know are refused, each on its own picker.
    await page.getByTestId('programme-create').click();
    await page.getByTestId('programme-form').waitFor();
    await page.locator('#programme_name').fill('2026年养老护理员培训券');
    for (const occupation of ['养老护理员', '餐厅服务员']) {
      await page.locator('#programme_occupationCodes').fill(occupation);
      await option(occupation).first().click();
    }
    await page.locator('#programme_levels').click();
    await option('中级工（四级）').click();
    await option('初级工（五级）').click();
    await page.locator('#programme_categories').fill('城镇登记失业');
    await option('城镇登记失业').first().click();
    await page.locator('#programme_institutionIds').fill('inst-sjz-01');
    await page.keyboard.press('Enter');
    await page.locator('#programme_validUntil').click();
    await page.locator('#programme_validUntil').fill(localDay(90));
    await page.keyboard.press('Enter');
    await page.locator('#programme_quantity').fill('300');
    await page.locator('#programme_fundingChannel').click();
    await option('失业保险基金').click();
    await page.getByTestId('programme-ok').click();
    await errorOf('programme_fundingChannel').filter({ hasText: '现行政策中无此资金渠道' }).waitFor();
    expect(await errorOf('programme_occupationCodes').innerText()).toBe(
      '4-03-02-05 餐厅服务员：职业目录中无此职业（工种）',
    );
    await screenshot(page, '16-2-vouchers-create-refused');

    // Corrected: the occupation taken off (choosing it again), the fund changed; the programme is set up.
    await page.locator('#programme_occupationCodes').fill('餐厅服务员');
    await option('餐厅服务员').first().click();
    await page.locator('#programme_fundingChannel').click();
    await option('就业补助资金').click();
    await page.getByTestId('programme-ok').click();
    await page.getByTestId('programme-VP-2026NEW001').waitFor();
    const posts = sent('/vouchers/programmes');
    expect(posts).toHaveLength(2);
    expect(JSON.parse(posts[1]!.body!)).toEqual({
      name: '2026年养老护理员培训券',
      occupationCodes: ['4-10-01-05'],
      levels: ['LEVEL_5', 'LEVEL_4'],
      categories: ['REGISTERED_UNEMPLOYED'],
      institutionIds: ['inst-sjz-01'],
      validFrom: localDay(0),
      validUntil: localDay(90),
      quantity: 300,
      fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
    });
    expect(posts[1]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      await page.getByTestId('funnel-VP-2026NEW001').getByTestId('funnel-remaining').innerText(),
    ).toContain('300');

    // In English: the page, its funnel and the fund by their English names.
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('page-title').filter({ hasText: 'Training vouchers' }).waitFor();
    const english = await running.innerText();
    expect(english).toContain('Elderly care worker, Infant care worker');
    expect(english).toContain('Employment subsidy fund');
    expect(await funnel.getByTestId('funnel-issued').innerText()).toMatch(/Issued\s+120/);
    await screenshot(page, '16-2-vouchers-english');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('programme-table').getByTestId('list-card').first().waitFor();
    await screenshot(page, '16-2-vouchers-english-phone');
  });

  it('lets a caseworker issue vouchers by ID number and by rule, saying who got one and why not', async () => {
    api = await installMockApi(page);
    await logIn(page, base, 'caseworker');
    await page.goto(`${base}#/vouchers`);
    await page.getByTestId(`issue-${VOUCHER_PROGRAMME_ID}`).waitFor();
    // Only the section head sets programmes up.
    expect(await page.getByTestId('programme-create').count()).toBe(0);
    await page.getByTestId(`issue-${VOUCHER_PROGRAMME_ID}`).click();
    const dialog = page.locator('.ant-modal', { has: page.getByTestId('issue-modal') });
    await dialog.getByTestId('issue-id-numbers').waitFor();
    expect(await dialog.innerText()).toContain('本项目还可发放 380 张');

    // A mistyped number is named by its line; nothing is sent.
    const ids = [VOUCHER_IDS.registered, VOUCHER_IDS.unregistered, VOUCHER_IDS.holding];
    await dialog.getByTestId('issue-id-numbers').fill([ids[0], '13010219900101001', ids[1]].join('\n'));
    await dialog.getByTestId('issue-ok').click();
    await errorOf('issueIds_idNumbers').filter({ hasText: '第 2 行' }).waitFor();
    expect(sent(`/${VOUCHER_PROGRAMME_ID}/issue`)).toHaveLength(0);

    await dialog.getByTestId('issue-id-numbers').fill(` ${ids.join('\n')}\n\n`);
    await dialog.getByTestId('issue-ok').click();
    const result = dialog.getByTestId('issue-result');
    await result.waitFor();
    expect(JSON.parse(sent(`/${VOUCHER_PROGRAMME_ID}/issue`)[0]!.body!)).toEqual({ idNumbers: ids });
    expect(await result.locator('.ant-alert').innerText()).toContain('已发放 1 张，未发放 2 人');
    const issued = await result.getByTestId('issued-list').innerText();
    expect(issued).toContain('孙*');
    expect(issued).toContain('130105********0039');
    expect(issued).not.toContain(VOUCHER_IDS.registered);
    const refused = await result.getByTestId('refused-list').innerText();
    expect(refused).toContain('130102********0015：人员库中无此人员，请先登记（求职登记）');
    expect(refused).toContain('130104********0028：该人员已持有本项目的培训券');
    await screenshot(page, '16-2-vouchers-issue');

    // 继续发放 by rule: a district and a number.
    await dialog.getByTestId('issue-more').click();
    await dialog.getByRole('tab', { name: '按条件' }).click();
    await page.locator('#issueRule_rule_district').fill('长安区');
    await page.locator('#issueRule_rule_limit').fill('2');
    await dialog.getByTestId('issue-ok').click();
    await result.waitFor();
    expect(JSON.parse(sent(`/${VOUCHER_PROGRAMME_ID}/issue`)[1]!.body!)).toEqual({
      rule: { district: '长安区', limit: 2 },
    });
    expect(await result.locator('.ant-alert').innerText()).toContain('已发放 2 张，未发放 0 人');
    const before = sent('/vouchers/programmes', 'GET').length;
    await dialog.getByTestId('issue-done').click();
    await dialog.waitFor({ state: 'hidden' });
    // the counts are read again
    await until(() => sent('/vouchers/programmes', 'GET').length > before);
    expect(sent('/vouchers/programmes', 'GET').length).toBeGreaterThan(before);

    // 明细: the programme's vouchers, a page at a time, of one status.
    await page.getByTestId(`vouchers-${VOUCHER_PROGRAMME_ID}`).click();
    const rows = page.getByTestId('voucher-rows').locator('.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    await page.getByTestId('vouchers-more').click();
    await until(() => api.requests.some((r) => r.url.includes('cursor=page-2')));
    await rows.nth(4).waitFor();
    expect(await page.getByTestId('vouchers-more').count()).toBe(0);
    expect(await rows.nth(2).innerText()).toContain('SJZ-2026-000104');
    await page.locator('#voucher-status-filter').click();
    await option('已领取').click();
    await until(() => api.requests.some((r) => r.url.includes('status=CLAIMED')));
    await page
      .getByTestId('voucher-rows')
      .locator('.ant-table-row', { hasText: '王*' })
      .waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('voucher-rows').innerText()).not.toContain('已发放');
    await screenshot(page, '16-2-vouchers-list');
    await page.locator('.ant-drawer-close').click();

    // On a phone the programmes are cards, each action at its foot.
    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.getByTestId('programme-table').getByTestId('list-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    expect(await cards.first().getByTestId(`funnel-${VOUCHER_PROGRAMME_ID}`).innerText()).toContain('380');
    const card = await cards.first().boundingBox();
    expect(card!.x + card!.width).toBeLessThanOrEqual(390);
    await screenshot(page, '16-2-vouchers-phone');
    await page.getByTestId(`issue-${VOUCHER_PROGRAMME_ID}`).click();
    await dialog.getByTestId('issue-id-numbers').waitFor();
    await screenshot(page, '16-2-vouchers-issue-phone');
  });

  it('lets a person claim a voucher issued to them on their own record, once', async () => {
    api = await installMockApi(page, { vouchers: true });
    await page.goto(`${base}#/me`);
    await page.locator('#idNumber').fill(PERSON_ID);
    await page.locator('#name').fill(PERSON_NAME);
    await page.getByTestId('self-get-code').click();
    const sms = await page.getByTestId('self-simulated-sms').innerText();
    await page.locator('#code').fill(/验证码为 (\d{6})/.exec(sms)![1]!);
    await page.getByTestId('self-open').click();
    const vouchers = page.getByTestId('record-vouchers');
    await vouchers.waitFor();
    expect(await vouchers.locator('.ant-table-row').count()).toBe(3);
    // Only the issued one can be claimed; the reserved one names its class, the expired one says so.
    expect(await page.locator('[data-testid^="claim-"]').count()).toBe(1);
    expect(await page.getByTestId('voucher-TV-2026HZ000003').innerText()).toContain('已占用');
    expect(await vouchers.locator('.ant-table-row', { hasText: 'TV-2026HZ000003' }).innerText()).toContain(
      'SJZ-2026-000104',
    );
    expect(await page.getByTestId('voucher-TV-2025CY000112').innerText()).toContain('已过期');
    expect(await vouchers.locator('.ant-table-row', { hasText: 'TV-2026HZ000017' }).innerText()).toContain(
      '养老护理员、育婴员 · 初级工（五级）、中级工（四级）',
    );

    await vouchers.scrollIntoViewIfNeeded();
    await screenshot(page, '16-2-self-claim');
    await page.getByTestId('claim-TV-2026HZ000017').click();
    await page.getByTestId('voucher-TV-2026HZ000017').getByText('已领取').waitFor();
    expect(JSON.parse(sent('/public/me/vouchers/claim')[0]!.body!)).toEqual({
      token: 'self-token',
      voucherId: 'TV-2026HZ000017',
    });
    expect(await page.locator('[data-testid^="claim-"]').count()).toBe(0);
    await screenshot(page, '16-2-self-claimed');
    // On a phone the vouchers are cards (the table gives way to them first).
    await page.setViewportSize({ width: 390, height: 844 });
    await vouchers.getByTestId('list-card').first().waitFor();
    expect(await vouchers.getByTestId('list-card').count()).toBe(3);
    await vouchers.scrollIntoViewIfNeeded();
    await screenshot(page, '16-2-self-claimed-phone');
  });

  /** 人员档案 as a caseworker: the person looked up with a reason. */
  async function lookUpPerson() {
    await logIn(page, base, 'caseworker');
    await page.goto(`${base}#/people`);
    await page.locator('#idNumber').fill(PERSON_ID);
    await page.locator('#reason').fill('学员来电咨询培训券');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByTestId('person-record').waitFor();
  }

  it('shows the staff a person’s vouchers, with the class that holds one and nothing to claim', async () => {
    api = await installMockApi(page, { vouchers: true });
    await lookUpPerson();
    const vouchers = page.getByTestId('record-vouchers');
    expect(await vouchers.locator('.ant-table-row').count()).toBe(3);
    expect(await page.locator('[data-testid^="claim-"]').count()).toBe(0);
    expect(await vouchers.locator('a', { hasText: 'SJZ-2026-000104' }).getAttribute('href')).toBe(
      '#/cases/SJZ-2026-000104',
    );
  });

  it('says where vouchers come from when a person holds none', async () => {
    api = await installMockApi(page);
    await lookUpPerson();
    expect(await page.getByTestId('record-vouchers').innerText()).toContain(
      '暂无培训券：人社部门向您发放的培训券会显示在这里',
    );
  });

  it('lets an institution enrol voucher holders only (凭培训券报名)', async () => {
    api = await installMockApi(page);
    await logIn(page, base, 'inst1');
    await page.goto(`${base}#/portal/classes/SJZ-2026-000104`);
    await page.getByTestId('enrol-panel').waitFor();
    await page.getByRole('switch', { name: '凭培训券报名' }).click();
    expect(await page.getByRole('switch', { name: '凭培训券报名' }).isChecked()).toBe(true);
    await page.locator('#trainees_0_name').fill('王伟');
    await page.locator('#trainees_0_idNumber').fill('11010519491231002X');
    await page.locator('#trainees_0_category').fill('城镇登记失业');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /提交报名/ }).click();
    // Nobody here holds a voucher: refused, and said on the row's ID number.
    await errorOf('trainees_0_idNumber').filter({ hasText: '没有已领取、可在本班使用的培训券' }).waitFor();
    expect(api.enrolled).toEqual({
      trainees: [{ name: '王伟', idNumber: '11010519491231002X', category: 'REGISTERED_UNEMPLOYED' }],
      validOnly: false,
      requireVoucher: true,
    });
    await page.getByTestId('enrol-panel').scrollIntoViewIfNeeded();
    await screenshot(page, '16-2-enrol-require-voucher');
  });
});
