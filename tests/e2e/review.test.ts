/**
 * Issue 15, points 3, 4 and 8, on the real stack (Temporal dev server, worker, API serving web/dist, demo data):
 * a caseworker opens a class under review and sees the checks the domain ran (✓/✗, one failing because the
 * catalogue's hours were raised since filing) with the course table's total against the class hours, approves
 * with an opinion that then shows in the review notes; the institution imports a roster file, sees every row
 * checked before anyone is enrolled, downloads the refused row and the template, and enrols the good rows; then
 * reveals one trainee's name with a reason (audited with it), then the whole roster on a phone, for 5 minutes.
 * The test builds its own class through the API. Screenshots at 1440×900 and 390×844 go to
 * test-results/screenshots/15-3-*.png, 15-4-*.png and 15-8-*.png.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type TestStack } from '../support/stack';
import { addDays, shanghaiDate } from '../../domain/dates';
import { makeIdNumber } from '../../domain/identity';
import { DEMO_PASSWORD, launchBrowser, logIn, screenshot } from './browser';

jest.setTimeout(240_000);

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

const until = async (check: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 120; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not in time: ${what}`);
};

// 健康管理师 (三级): an occupation inst1 may train that the demo classes do not use, so raising its catalogue
// hours touches nothing else.
const OCCUPATION = '4-14-02-02';
const LEVEL = 'LEVEL_3';
const SURNAMES = '赵钱孙';
const ROSTER = [0, 1, 2].map((i) => ({
  idNumber: makeIdNumber('130104', `1990-0${i + 3}-1${i}`, 500 + i * 7),
  name: `${SURNAMES[i]}审核${'甲乙丙'[i]}`,
  category: '城镇登记失业人员',
}));
const OPINION = '材料齐全，同意开班；课时按新目录补足后再开课。';
const REVEAL_REASON = '核对学员身份证复印件与花名册';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Occupation {
  code: string;
  nameZh: string;
  nameEn: string;
  shortage: boolean;
  newOccupation: boolean;
  levels: { level: string; standardFen: number; evaluationFen: number; minHours: number }[];
}

describe('reviewing a plan and revealing a name, as a caseworker', () => {
  let stack: TestStack | undefined;
  let base: string;
  let browser: Browser;
  let desk: BrowserContext;
  let page: Page;
  let cw: Call;
  let inst: Call;
  let classId = '';
  let classHours = 0;
  let plannedStart = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    base = new URL('/', stack.baseUrl).href;
    cw = await apiAs(base, 'caseworker');
    inst = await apiAs(base, 'inst1');
    const admin = await apiAs(base, 'admin');

    // The catalogue's hours for the occupation, and a plan at exactly those hours, filed by the institution.
    const catalogue = await admin<{ items: Occupation[]; nextCursor: string | null }>(
      'GET',
      '/admin/occupations?limit=200',
    );
    expect(catalogue.status).toBe(200);
    const occupation = catalogue.body.items.find((o) => o.code === OCCUPATION)!;
    const standard = occupation.levels.find((l) => l.level === LEVEL)!;
    classHours = standard.minHours;
    const start = addDays(shanghaiDate(new Date().toISOString()), 21);
    plannedStart = start;
    const lesson = (day: number, content: string, hours: number) => ({
      date: addDays(start, day),
      content,
      hours,
      start: '08:30',
      end: '17:30',
      room: '302',
      teacher: '讲师乙',
    });
    const filed = await inst<{ classId: string }>('POST', '/institution/classes', {
      plan: {
        title: '健康管理师（三级）审核演示班',
        occupationCode: OCCUPATION,
        level: LEVEL,
        plannedStart: start,
        plannedEnd: addDays(start, 20),
        classHours,
        capacity: 30,
        venue: '长安区中山东路88号实训楼3层',
        teachers: ['讲师乙'],
        fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
        commitment: false,
        courseTable: [lesson(0, '健康监测', 8), lesson(1, '健康风险评估', 8), lesson(2, '健康指导', 6)],
        assessmentBodyId: 'assess-sjz-01',
        plannedAssessmentDate: addDays(start, 23),
      },
    });
    expect(filed.status).toBe(202);
    classId = filed.body.classId;
    await until(
      async () =>
        (await cw<{ case: { stage: string } | null }>('GET', `/cases/${classId}`)).body.case?.stage ===
        'UNDER_REVIEW',
      'the class under review',
    );
    // Since filing, the catalogue's hours for the occupation were raised: the class hours no longer fit.
    const saved = await admin('POST', '/admin/occupations', {
      code: occupation.code,
      name: { zh: occupation.nameZh, en: occupation.nameEn },
      shortage: occupation.shortage,
      newOccupation: occupation.newOccupation,
      levels: [
        {
          level: standard.level,
          standardFen: standard.standardFen,
          evaluationFen: standard.evaluationFen,
          minHours: standard.minHours * 3,
        },
      ],
    });
    expect([saved.status, saved.body]).toEqual([201, expect.anything()]);

    browser = await launchBrowser();
    desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page = await desk.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logIn(page, base, 'caseworker');
  }, 600_000);

  afterAll(async () => {
    await desk?.close();
    await browser?.close();
    await stack?.stop();
    stack?.remove();
  }, 120_000);

  afterEach(() => expect(pageErrors).toEqual([]));

  const openCase = async (p: Page) => {
    await p.goto(`${base}#/cases/${encodeURIComponent(classId)}`);
    await p.getByTestId('page-title').waitFor();
  };

  it('shows the checks the domain ran and the totals, and approves with an opinion', async () => {
    await openCase(page);
    const checks = page.getByTestId('plan-checks').first();
    await checks.waitFor();
    expect(await checks.getByTestId('plan-check-CLASS_HOURS').getAttribute('data-passed')).toBe('false');
    expect(await checks.getByTestId('plan-check-CLASS_HOURS').innerText()).toContain(
      `目录课时${classHours * 3}学时`,
    );
    for (const id of ['CAPACITY', 'LEAD_TIME', 'ASSESSMENT_DATE', 'COURSE_HOURS'])
      expect(await checks.getByTestId(`plan-check-${id}`).getAttribute('data-passed')).toBe('true');
    expect(await checks.getByTestId('plan-checks-summary').innerText()).toContain('1 项未通过');
    expect(await checks.getByTestId('plan-checks-course-hours').innerText()).toBe('22 学时');
    expect(await checks.getByTestId('plan-checks-class-hours').innerText()).toBe(`${classHours} 学时`);
    await screenshot(page, '15-4-plan-checks-desktop');

    // The same on a phone.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const small = await phone.newPage();
      small.setDefaultTimeout(20_000);
      small.on('pageerror', (e) => pageErrors.push(e.message));
      await logIn(small, base, 'caseworker');
      await openCase(small);
      await small.getByTestId('plan-check-CLASS_HOURS').waitFor();
      await screenshot(small, '15-4-plan-checks-phone');
    } finally {
      await phone.close();
    }

    // Approve: the dialog repeats the checks and takes an optional opinion.
    await page.getByTestId('review-approve').click();
    const dialog = page.getByTestId('approve-dialog');
    await dialog.getByTestId('plan-check-CLASS_HOURS').waitFor();
    await dialog.getByTestId('approve-opinion').fill(OPINION);
    await screenshot(page, '15-4-approve-dialog-desktop');
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    await page.locator('.sf-page-header .ant-tag', { hasText: /已核准|报名中/ }).waitFor();
    const notes = page.getByTestId('review-notes');
    await notes.getByText(OPINION).waitFor();
    expect(await notes.innerText()).toContain('通过');
    await notes.scrollIntoViewIfNeeded();
    await screenshot(page, '15-4-approved-opinion-desktop');
    const view = await cw<{ case: { reviewNotes: { decision: string; reason?: string }[] } }>(
      'GET',
      `/cases/${classId}`,
    );
    expect(view.body.case.reviewNotes.at(-1)).toMatchObject({ decision: 'APPROVE', reason: OPINION });
  });

  it('imports a roster file as the institution: every row checked before anyone is enrolled, then the good ones', async () => {
    await until(
      async () =>
        (await cw<{ case: { stage: string } | null }>('GET', `/cases/${classId}`)).body.case?.stage ===
        'ENROLLING',
      'enrolment open',
    );
    // The three trainees and one row whose name is not a name, as an institution's spreadsheet has them.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('花名册');
    sheet.addRow(['姓名', '身份证号', '人员类别']);
    for (const r of ROSTER) sheet.addRow([r.name, r.idNumber, r.category]);
    sheet.addRow(['李四4', makeIdNumber('130104', '1991-05-05', 777), '城镇登记失业人员']);
    const file = {
      name: '花名册.xlsx',
      mimeType: XLSX_TYPE,
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    };

    const checkAs = async (p: Page) => {
      await logIn(p, base, 'inst1');
      await openCase(p);
      await p.getByTestId('roster-import').locator('input[type=file]').setInputFiles(file);
      await p.getByTestId('roster-rows').waitFor();
    };
    // On a phone first: the rows become cards, each with its verdict.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const small = await phone.newPage();
      small.setDefaultTimeout(20_000);
      small.on('pageerror', (e) => pageErrors.push(e.message));
      await checkAs(small);
      await small.getByTestId('roster-rows').getByText('姓名不能包含数字').first().waitFor();
      await small.getByTestId('roster-rows').scrollIntoViewIfNeeded();
      await screenshot(small, '15-3-roster-checked-phone');
    } finally {
      await phone.close();
    }

    const institution = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    try {
      const p = await institution.newPage();
      p.setDefaultTimeout(20_000);
      p.on('pageerror', (e) => pageErrors.push(e.message));
      await checkAs(p);
      const panel = p.getByTestId('roster-import');
      expect(await panel.locator('.ant-alert-title').first().innerText()).toContain(
        '共 4 行，校验通过 3 行，不合格 1 行',
      );
      const rows = panel.getByTestId('roster-rows').locator('tbody tr');
      expect(await rows.count()).toBe(4);
      expect(await rows.nth(3).innerText()).toMatch(/^5\s+李\*4/);
      expect(await rows.nth(3).innerText()).toContain('姓名不能包含数字');
      expect(await rows.nth(0).innerText()).toContain('可报名');
      // All or nothing is not offered while a row is refused; nobody is enrolled by the check.
      expect(await panel.getByTestId('roster-enrol-all').isDisabled()).toBe(true);
      expect((await cw<{ trainees: unknown[] }>('GET', `/cases/${classId}`)).body.trainees).toHaveLength(0);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(p, '15-3-roster-checked-desktop');

      // The refused row, as the file had it, with its row and reason, to correct.
      const [refused] = await Promise.all([
        p.waitForEvent('download'),
        panel.getByTestId('roster-refused-rows').click(),
      ]);
      const refusedBook = new ExcelJS.Workbook();
      await refusedBook.xlsx.readFile((await refused.path())!);
      const back = refusedBook.worksheets[0]!;
      expect(back.rowCount).toBe(2);
      expect((back.getRow(1).values as unknown[]).slice(1)).toEqual([
        '姓名',
        '身份证号',
        '人员类别',
        '原行号',
        '错误原因',
      ]);
      expect(back.getCell('A2').value).toBe('李四4');
      expect(back.getCell('D2').value).toBe(5);
      // The template the import reads.
      const [template] = await Promise.all([
        p.waitForEvent('download'),
        panel.getByTestId('roster-template').click(),
      ]);
      expect(template.suggestedFilename()).toBe('roster-template.xlsx');
      const templateBook = new ExcelJS.Workbook();
      await templateBook.xlsx.readFile((await template.path())!);
      expect((templateBook.getWorksheet('花名册')!.getRow(1).values as unknown[]).slice(1)).toEqual([
        '姓名',
        '身份证号',
        '人员类别',
      ]);

      await panel.getByTestId('roster-enrol-valid').click();
      await until(
        async () => (await panel.getByText('已报名', { exact: true }).count()) === 3,
        'three enrolled',
      );
      expect(await rows.nth(3).innerText()).not.toContain('已报名');
      await screenshot(p, '15-3-roster-enrolled-desktop');
    } finally {
      await institution.close();
    }
    await until(
      async () => (await cw<{ trainees: unknown[] }>('GET', `/cases/${classId}`)).body.trainees.length === 3,
      'the roster on the case page',
    );
  });

  it('reveals one trainee’s name only with a reason, audited with it, and the roster for 5 minutes', async () => {
    // The caseworker's page still shows the class as it was before the institution enrolled: look again.
    await page.reload();
    await openCase(page);
    await page.locator('.ant-tabs-tab', { hasText: '学员' }).click();
    const names = page.getByTestId('trainees-table').getByTestId('trainee-name');
    await until(async () => (await names.count()) === 3, 'three rows');
    const masked = await names.allInnerTexts();
    expect(masked.every((n) => n.includes('*'))).toBe(true);

    // No reason, no names: the dialog says what is missing and nothing is sent.
    await page.getByTestId('reveal-row').first().click();
    const dialog = page.getByTestId('reveal-dialog');
    await dialog.waitFor();
    await page.getByTestId('reveal-dialog-ok').click();
    await dialog.getByText('请填写理由').waitFor();
    await screenshot(page, '15-8-reveal-reason-desktop');
    await dialog.getByRole('textbox').fill(REVEAL_REASON);
    await page.getByTestId('reveal-dialog-ok').click();
    await page.getByTestId('reveal-countdown').waitFor();
    const shown = await names.allInnerTexts();
    expect(ROSTER.map((r) => r.name)).toContain(shown[0]);
    expect(shown.slice(1).every((n) => n.includes('*'))).toBe(true);
    expect(await page.getByTestId('reveal-countdown').innerText()).toMatch(/[45]:\d\d 后自动隐藏/);
    await screenshot(page, '15-8-revealed-row-desktop');

    // On the record: who, which class, which trainee and why — the reason the caseworker gave.
    const manager = await apiAs(base, 'manager');
    const audit = await manager<{
      items: {
        userId: string;
        subject: string;
        reason: string | null;
        detail: Record<string, unknown> | null;
      }[];
    }>('GET', `/admin/audit?action=PII_REVEALED&subject=${encodeURIComponent(classId)}`);
    expect(audit.body.items[0]).toMatchObject({
      userId: 'u-caseworker',
      subject: classId,
      reason: REVEAL_REASON,
      detail: { trainees: 1, enrollmentId: expect.any(String) },
    });
    expect(JSON.stringify(audit.body)).not.toContain(shown[0]);

    // The whole roster for a limited time, on a phone; hidden again on demand.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      const small = await phone.newPage();
      small.setDefaultTimeout(20_000);
      small.on('pageerror', (e) => pageErrors.push(e.message));
      await logIn(small, base, 'caseworker');
      await openCase(small);
      await small.locator('.ant-tabs-tab', { hasText: '学员' }).click();
      await small.getByTestId('reveal-all').click();
      await small.getByTestId('reveal-dialog').getByRole('textbox').fill('抽查本班实名制落实情况');
      await screenshot(small, '15-8-reveal-all-dialog-phone');
      await small.getByTestId('reveal-dialog-ok').click();
      await small.getByTestId('reveal-countdown').waitFor();
      const all = await small.getByTestId('trainee-name').allInnerTexts();
      expect([...all].sort()).toEqual(ROSTER.map((r) => r.name).sort());
      await screenshot(small, '15-8-revealed-all-phone');
      await small.getByRole('button', { name: /立即隐藏/ }).click();
      await small.getByTestId('reveal-countdown').waitFor({ state: 'detached' });
      expect((await small.getByTestId('trainee-name').allInnerTexts()).every((n) => n.includes('*'))).toBe(
        true,
      );
    } finally {
      await phone.close();
    }
  });
  it('lets the assessment body record results: short attendance flagged, all passed but one, read from its sheet', async () => {
    // The institution trains the class: every day of the period; the third trainee misses the first 11 days.
    expect((await inst('POST', `/institution/classes/${classId}/start`)).status).toBe(200);
    await until(
      async () =>
        (await cw<{ case: { stage: string } | null }>('GET', `/cases/${classId}`)).body.case?.stage ===
        'TRAINING',
      'training',
    );
    const roster = (
      await cw<{ trainees: { enrollmentId: string }[] }>('GET', `/cases/${classId}`)
    ).body.trainees
      .map((x) => x.enrollmentId)
      .sort();
    const shortOne = roster[2]!;
    const hoursEach = Math.min(12, Math.ceil(classHours / 21));
    const lessons = Array.from({ length: 21 }, (_, day) => ({
      lessonDate: addDays(plannedStart, day),
      lessonNo: 1,
      entries: roster.map((enrollmentId) => ({
        enrollmentId,
        status: enrollmentId === shortOne && day < 11 ? 'ABSENT' : 'PRESENT',
        hours: hoursEach,
      })),
    }));
    const reported = await inst('POST', `/institution/classes/${classId}/attendance`, { lessons });
    expect(reported.status).toBe(200);
    expect((await inst('POST', `/institution/classes/${classId}/finish`)).status).toBe(200);
    await until(
      async () =>
        (await cw<{ case: { stage: string } | null }>('GET', `/cases/${classId}`)).body.case?.stage ===
        'ASSESSMENT',
      'awaiting assessment',
    );

    const body = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    try {
      const p = await body.newPage();
      p.setDefaultTimeout(20_000);
      p.on('pageerror', (e) => pageErrors.push(e.message));
      await logIn(p, base, 'assessor');
      await p.goto(`${base}#/assessor`);
      // The list opens on the classes awaiting results; this one is there.
      const listed = p.getByTestId('assessor-classes').locator('.ant-table-row', { hasText: classId });
      await listed.waitFor();
      const stages = await p
        .getByTestId('assessor-classes')
        .locator('.ant-table-row .ant-tag')
        .allInnerTexts();
      expect(stages.every((x) => x.includes('考核评价'))).toBe(true);
      await screenshot(p, '15-9-awaiting-desktop');
      await listed.getByTestId('record-results').click();
      const rows = p.getByTestId('results-table').locator('.ant-table-row');
      await until(async () => (await rows.count()) === 3, 'three rows to record');
      // The trainee under the attendance threshold is flagged, on the row and above the table.
      expect(await p.getByTestId('attendance-short').count()).toBe(1);
      expect(await rows.nth(2).getByTestId('attendance-short').count()).toBe(1);
      expect(await p.getByTestId('short-attendance').innerText()).toContain('1 名学员出勤未达规定比例');

      // All passed, then the exception changed on its row.
      await p.getByTestId('fill-with').click();
      await p.keyboard.type('职业技能等级');
      await p.keyboard.press('Enter');
      await p.getByTestId('fill-all').click();
      for (let i = 0; i < 3; i++)
        await rows.nth(i).locator('.ant-select', { hasText: '职业技能等级证书' }).waitFor();
      await rows.nth(2).locator('.ant-select').click();
      await p.keyboard.type('不合格');
      await p.keyboard.press('Enter');
      await rows.nth(2).locator('.ant-select', { hasText: '不合格' }).waitFor();

      // The certificate numbers come from the body's own sheet: downloaded, filled in, imported into the form.
      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByTestId('results-sheet').click(),
      ]);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile((await download.path())!);
      const sheet = book.getWorksheet('考核结果')!;
      expect(sheet.rowCount).toBe(4);
      for (let r = 2; r <= 4; r++) {
        const id = String(sheet.getCell(`A${r}`).value);
        sheet.getCell(`F${r}`).value = id === shortOne ? '不合格' : '职业技能等级证书';
        sheet.getCell(`G${r}`).value = id === shortOne ? '' : `ZS-${id.slice(-6)}`;
      }
      expect(sheet.getCell(`E${roster.indexOf(shortOne) + 2}`).value).toBe('是');
      const filled = {
        name: '考核结果.xlsx',
        mimeType: XLSX_TYPE,
        buffer: Buffer.from(await book.xlsx.writeBuffer()),
      };
      await p.locator('input[type=file]').setInputFiles(filled);
      await until(
        async () =>
          (await rows.nth(0).locator('input.ant-input').inputValue()) === `ZS-${roster[0]!.slice(-6)}`,
        'certificate numbers from the sheet',
      );
      expect(await rows.nth(1).locator('input.ant-input').inputValue()).toBe(`ZS-${roster[1]!.slice(-6)}`);
      await screenshot(p, '15-9-results-filled-desktop');

      await p.getByTestId('submit-results').click();
      await p.getByTestId('assessor-classes').waitFor();
      // Recorded: the class leaves the classes awaiting results.
      await until(
        async () =>
          (
            await cw<{ trainees: { assessment: string | null }[] }>('GET', `/cases/${classId}`)
          ).body.trainees.every((x) => x.assessment),
        'results recorded',
      );
      const after = (
        await cw<{ trainees: { enrollmentId: string; assessment: string; certificateNo: string | null }[] }>(
          'GET',
          `/cases/${classId}`,
        )
      ).body.trainees;
      expect(Object.fromEntries(after.map((x) => [x.enrollmentId, [x.assessment, x.certificateNo]]))).toEqual(
        {
          [roster[0]!]: ['SKILL_LEVEL_CERT', `ZS-${roster[0]!.slice(-6)}`],
          [roster[1]!]: ['SKILL_LEVEL_CERT', `ZS-${roster[1]!.slice(-6)}`],
          [shortOne]: ['FAILED', null],
        },
      );
    } finally {
      await body.close();
    }
  });
});
