// 用户: staff and organisation accounts; institution and assessor users belong to an organisation of their kind.
import type { Api } from '../../http';
import { pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { PasswordResetBody, UserBody, UserUpdateBody } from '../../schemas';
import { accessAudit } from '../../audit';
import type { AppDeps } from '../../context';
import { problems } from '../../problem';
import { hashPassword } from '../../auth/passwords';
import { readableId } from '../../auth/tokens';
import { isUniqueViolation } from '../../../platform/db';
import { ADMIN, listQuery } from './shared';
import { AdminUserSchema, page, UserCreated } from '../../responses';
import type { UserRole } from '../../roles';
import type { User } from '@prisma/client';
import { EXPORT_MAX_ROWS, refuseTooMany, sheetReply, writeSheet, XLSX, type SheetColumn } from '../../sheets';
import { ROLE_NAMES } from '../../../domain/roles';
import { deadlineText } from '../../../domain/dates';
import { spreadsheetText } from '../../../domain/text';

type UserRow = Omit<User, 'passwordHash'> & { institution: { name: string } | null };
const USER_COLUMNS: SheetColumn<UserRow>[] = [
  { header: '用户名', en: 'Username', width: 18, cell: (u) => spreadsheetText(u.username) },
  { header: '姓名', en: 'Name', width: 24, cell: (u) => spreadsheetText(u.displayName) },
  { header: '角色', en: 'Role', width: 14, cell: (u) => ROLE_NAMES[u.role]?.zh ?? u.role },
  {
    header: '所属机构',
    en: 'Organisation',
    width: 30,
    cell: (u) => spreadsheetText(u.institution?.name ?? u.institutionId ?? ''),
  },
  { header: '状态', en: 'Status', width: 10, cell: (u) => (u.disabled ? '停用' : '启用') },
  { header: '创建时间', en: 'Created', width: 18, cell: (u) => deadlineText(u.createdAt.toISOString()) },
];

export function userRoutes(api: Api) {
  const userSort: Sortable = {
    username: { column: 'username', type: 'string' },
    createdAt: { column: 'createdAt', type: 'date' },
    id: { column: 'id', type: 'string' },
  };
  api.get(
    '/admin/users',
    {
      tag: 'admin',
      summary: '用户 Users',
      access: ADMIN,
      query: listQuery,
      responses: { 200: { description: 'A page of users', schema: page(AdminUserSchema) } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, userSort, 'username');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.user.findMany({
        where: ks.where,
        orderBy: ks.orderBy as never,
        take: ks.take,
        omit: { passwordHash: true },
      });
      return {
        json: pageOf(
          rows.map((r) => ({ ...r, role: r.role as UserRole })),
          plan,
          (r) => r[plan.field.column as 'username' | 'createdAt' | 'id'],
        ),
      };
    },
  );
  api.get(
    '/admin/users/export',
    {
      tag: 'admin',
      summary: '用户导出 Every user, as a spreadsheet (xlsx)',
      description: `Username, name, role, organisation (by name), enabled or disabled, created — never a password hash. Sorted by username. At most ${EXPORT_MAX_ROWS} rows.`,
      access: ADMIN,
      responses: { 200: { description: 'The sheet (Content-Disposition: attachment)', contentType: XLSX } },
      refusals: { 422: `more than ${EXPORT_MAX_ROWS} users (TOO_MANY_ROWS)` },
    },
    async ({ deps }) => {
      refuseTooMany(await deps.db.user.count(), { zh: '个用户', en: 'users' }, 'q');
      const rows = await deps.db.user.findMany({
        orderBy: [{ username: 'asc' }],
        take: EXPORT_MAX_ROWS,
        omit: { passwordHash: true },
        include: { institution: { select: { name: true } } },
      });
      return sheetReply(await writeSheet('用户', USER_COLUMNS, rows), 'users');
    },
  );

  api.post(
    '/admin/users',
    {
      tag: 'admin',
      summary: '新增用户 Create a user',
      access: ADMIN,
      body: UserBody,
      responses: { 201: { description: 'Created', schema: UserCreated } },
      refusals: {
        409: 'the username is taken',
        422: 'the organisation does not fit the role (errors[].path = institutionId)',
      },
    },
    async ({ body, deps }) => {
      const orgRole = body.role === 'INSTITUTION' || body.role === 'ASSESSOR';
      if (orgRole !== (body.institutionId !== undefined))
        throw problems.rule(
          'ORGANISATION_MISMATCH',
          {
            zh: '机构用户须且仅须指定所属机构',
            en: 'Institution and assessor users (and only they) belong to an organisation',
          },
          [
            {
              path: 'institutionId',
              code: 'ORGANISATION_MISMATCH',
              message: { zh: '所属机构与角色不符', en: 'Organisation does not fit the role' },
            },
          ],
        );
      if (body.institutionId) {
        const org = await deps.db.institution.findUnique({ where: { id: body.institutionId } });
        const kind = body.role === 'ASSESSOR' ? 'ASSESSMENT' : 'TRAINING';
        if (!org || org.kind !== kind)
          throw problems.rule(
            'ORGANISATION_MISMATCH',
            { zh: '所属机构不存在或类型不符', en: 'No such organisation of that kind' },
            [
              {
                path: 'institutionId',
                code: 'ORGANISATION_MISMATCH',
                message: { zh: '机构不符', en: 'Wrong organisation' },
              },
            ],
          );
      }
      const id = `u_${readableId(12)}`;
      try {
        await deps.db.user.create({
          data: {
            id,
            username: body.username,
            displayName: body.displayName,
            role: body.role,
            passwordHash: await hashPassword(body.password),
            institutionId: body.institutionId ?? null,
          },
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw problems.conflict('USERNAME_TAKEN', { zh: '用户名已存在', en: 'That username is taken' }, [
            { path: 'username', code: 'USERNAME_TAKEN', message: { zh: '用户名已存在', en: 'Taken' } },
          ]);
        throw err;
      }
      return { status: 201, json: { id, username: body.username, role: body.role } };
    },
  );

  /** The user an administrator acts on; 404 when there is none. */
  const userOr404 = async (deps: AppDeps, id: string) => {
    const user = await deps.db.user.findUnique({ where: { id }, omit: { passwordHash: true } });
    if (!user) throw problems.notFound({ zh: '用户不存在', en: 'No such user' });
    return user;
  };

  api.post(
    '/admin/users/:id',
    {
      tag: 'admin',
      summary: '编辑用户 Rename, disable or enable a user',
      description:
        'A disabled user cannot log in and every session of theirs ends at once; an administrator cannot disable their own account. Recorded in the access audit (USER_CHANGED).',
      access: ADMIN,
      body: UserUpdateBody,
      responses: { 200: { description: 'The user as it now is', schema: AdminUserSchema } },
      refusals: { 404: 'no such user', 409: 'an administrator disabling their own account (SELF_DISABLE)' },
    },
    async ({ params, body, principal, deps, req, services }) => {
      const user = await userOr404(deps, params.id!);
      if (body.disabled === true && user.id === principal!.userId)
        throw problems.conflict(
          'SELF_DISABLE',
          { zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
          [{ path: 'disabled', code: 'SELF_DISABLE', message: { zh: '不能停用自己', en: 'Not your own' } }],
        );
      const updated = await deps.db.$transaction(async (tx) => {
        const row = await tx.user.update({
          where: { id: user.id },
          data: {
            ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
            ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
          },
          omit: { passwordHash: true },
        });
        if (body.disabled === true) await tx.session.deleteMany({ where: { userId: user.id } });
        await tx.accessAudit.create(
          accessAudit(req, principal!, 'USER_CHANGED', user.id, {
            detail: {
              ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
              ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
            },
          }),
        );
        return row;
      });
      // Out at once in this process (another API process lets its 5-second session memo run out).
      if (body.disabled === true) services.sessions.forgetUser(user.id);
      return { json: { ...updated, role: updated.role as UserRole } };
    },
  );

  api.post(
    '/admin/users/:id/password',
    {
      tag: 'admin',
      summary: '重置密码 Set a new password for a user',
      description:
        "The user's sessions end; they log in with the new password. Recorded in the access audit (PASSWORD_RESET), never the password.",
      access: ADMIN,
      body: PasswordResetBody,
      responses: { 204: { description: 'Set' } },
      refusals: { 404: 'no such user' },
    },
    async ({ params, body, principal, deps, req, services }) => {
      const user = await userOr404(deps, params.id!);
      const passwordHash = await hashPassword(body.password);
      await deps.db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
        await tx.session.deleteMany({ where: { userId: user.id } });
        await tx.accessAudit.create(accessAudit(req, principal!, 'PASSWORD_RESET', user.id));
      });
      services.sessions.forgetUser(user.id);
      return { status: 204 };
    },
  );
}
