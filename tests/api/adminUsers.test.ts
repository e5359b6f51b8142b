// 用户管理 (issue 15, point 11): an administrator renames, disables and enables a user and sets a new password;
// a disabled user is out at once (the session they had stops working) and cannot log in; a new password ends
// the user's sessions; every change is in the access audit, never the password. No Temporal needed.
import type { Express } from 'express';
import { createTestDb } from '../support/db';
import ExcelJS from 'exceljs';
import { appWithoutTemporal, binaryBody, createUser, INSTITUTION, PASSWORD, sessionCaller } from './support';

let t: Awaited<ReturnType<typeof createTestDb>>;
let app: Express;
beforeAll(async () => {
  t = await createTestDb();
  await createUser(t.db, 'root', 'ADMIN');
  await createUser(t.db, 'cw1', 'CASEWORKER');
  await createUser(t.db, 'cw2', 'CASEWORKER');
  app = appWithoutTemporal(t.db);
});
afterAll(async () => {
  (app.locals.close as () => void)();
  await t.cleanup();
});

describe('user administration', () => {
  it('disables a user, whose open session stops at once and who cannot log in, and enables them again', async () => {
    const admin = await sessionCaller(app, 'root');
    const cw = await sessionCaller(app, 'cw1');
    await cw.call('get', '/api/v1/auth/me').expect(200);

    const off = await admin.call('post', '/api/v1/admin/users/u-cw1').send({ disabled: true }).expect(200);
    expect(off.body).toMatchObject({ id: 'u-cw1', disabled: true, displayName: 'cw1' });
    expect(off.body.passwordHash).toBeUndefined();
    await cw.call('get', '/api/v1/auth/me').expect(401);
    await expect(sessionCaller(app, 'cw1')).rejects.toThrow(/401/);

    await admin
      .call('post', '/api/v1/admin/users/u-cw1')
      .send({ disabled: false, displayName: '王敏（经办人）' })
      .expect(200);
    const back = await sessionCaller(app, 'cw1');
    const me = await back.call('get', '/api/v1/auth/me').expect(200);
    expect(me.body.user.displayName).toBe('王敏（经办人）');

    const audit = await t.db.accessAudit.findMany({ where: { action: 'USER_CHANGED', subject: 'u-cw1' } });
    expect(audit.map((a) => JSON.parse(a.detail!))).toEqual([
      { disabled: true },
      { displayName: '王敏（经办人）', disabled: false },
    ]);
    expect(audit.every((a) => a.userId === 'u-root')).toBe(true);
  });

  it('sets a new password: the old one and the user’s sessions stop working, the new one logs in', async () => {
    const admin = await sessionCaller(app, 'root');
    const cw = await sessionCaller(app, 'cw2');
    const fresh = 'a new password 2026';
    await admin.call('post', '/api/v1/admin/users/u-cw2/password').send({ password: fresh }).expect(204);
    await cw.call('get', '/api/v1/auth/me').expect(401);
    await expect(sessionCaller(app, 'cw2', PASSWORD)).rejects.toThrow(/401/);
    await (await sessionCaller(app, 'cw2', fresh)).call('get', '/api/v1/auth/me').expect(200);
    const audit = await t.db.accessAudit.findMany({ where: { action: 'PASSWORD_RESET', subject: 'u-cw2' } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(fresh);
  });

  it('refuses what an administrator must not do, field by field', async () => {
    const admin = await sessionCaller(app, 'root');
    const self = await admin.call('post', '/api/v1/admin/users/u-root').send({ disabled: true }).expect(409);
    expect(self.body).toMatchObject({
      code: 'SELF_DISABLE',
      errors: [expect.objectContaining({ path: 'disabled' })],
    });
    await admin.call('post', '/api/v1/admin/users/u-nobody').send({ disabled: true }).expect(404);
    const empty = await admin.call('post', '/api/v1/admin/users/u-cw1').send({}).expect(400);
    expect(empty.body.errors[0].path).toBe('displayName');
    const short = await admin
      .call('post', '/api/v1/admin/users/u-cw1/password')
      .send({ password: 'short' })
      .expect(400);
    expect(short.body.errors[0].path).toBe('password');
    // Only an administrator.
    const cw = await sessionCaller(app, 'cw2', 'a new password 2026');
    await cw.call('post', '/api/v1/admin/users/u-cw1').send({ disabled: true }).expect(403);
    expect((await t.db.user.findUnique({ where: { id: 'u-cw1' } }))!.disabled).toBe(false);
  });
});

describe('the user list as a spreadsheet', () => {
  it('lists every user with role and organisation by name and whether they may log in, never a password', async () => {
    await createUser(t.db, 'inst-a', 'INSTITUTION', INSTITUTION);
    await t.db.user.update({ where: { id: 'u-cw2' }, data: { disabled: true } });
    const admin = await sessionCaller(app, 'root');
    const res = await admin
      .call('get', '/api/v1/admin/users/export')
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="users-\d{4}-\d{2}-\d{2}\.xlsx"$/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows: string[][] = [];
    sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[0]).toEqual(['用户名', '姓名', '角色', '所属机构', '状态', '创建时间']);
    const users = await t.db.user.findMany({ include: { institution: true } });
    const byName = [...users].sort((a, b) => (a.username < b.username ? -1 : 1));
    expect(rows.slice(2).map((r) => r[0])).toEqual(byName.map((u) => u.username));
    const row = (username: string) => rows.find((r) => r[0] === username)!;
    const institution = users.find((u) => u.username === 'inst-a')!.institution!;
    expect(row('inst-a').slice(2, 5)).toEqual(['培训机构', institution.name, '启用']);
    expect(row('cw2').slice(2, 5)).toEqual(['经办人', '', '停用']);
    expect(row('root')[2]).toBe('系统管理员');
    // the hashes stay in the database
    const text = rows.flat().join('\n');
    for (const u of await t.db.user.findMany()) expect(text).not.toContain(u.passwordHash);
  });

  it('is for administrators only', async () => {
    const cw = await sessionCaller(app, 'cw1');
    await cw.call('get', '/api/v1/admin/users/export').expect(403);
  });
});
