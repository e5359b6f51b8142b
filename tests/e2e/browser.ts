// Debian's Chromium through playwright-core (DESIGN.md "Browser tests"); never `npx playwright install`.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../support/toolchain';

export const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-results', 'screenshots');
export const DEMO_PASSWORD = 'SkillFlow#2026';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let antd's motion (modals, messages, tab ink) settle so the picture shows the resting state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Logs in through the login form and waits for the shell (the user menu) to appear. */
export async function logIn(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}#/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

export async function logOut(page: Page) {
  await page.getByTestId('user-menu').hover();
  await page
    .locator('.ant-dropdown-menu-item')
    .filter({ hasText: /退出登录|Log out/ })
    .click();
  await page.getByTestId('login-submit').waitFor();
}

/** An option of the select list that is open now, by its text (closed lists stay in the page, hidden). */
export const openOption = (page: Page, text: string) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
    hasText: text,
  });

/**
 * Chooses `text` in the select `testId` and waits until the select shows it; tried again when the choice did not
 * take (a click on an option of a list still opening can be lost on a busy machine).
 */
export async function pick(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  const chosen = select.filter({ hasText: text }); // the open list is elsewhere in the page: this is the choice
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await openOption(page, text).click();
    try {
      await chosen.waitFor({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

const AXE = require.resolve('axe-core/axe.min.js');

/**
 * axe-core (WCAG 2 A and AA rules) on the page as it rests: its serious and critical violations, each naming
 * `where`, the rule and the elements. The page's context needs `bypassCSP: true` (axe's script is added to the
 * page; the app itself allows no inline script).
 */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
  await page.locator('[data-testid="page-title"], [data-testid="login-submit"]').first().waitFor();
  await page.waitForFunction(
    () =>
      !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
        '.ant-spin-spinning, .ant-skeleton',
      ),
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
