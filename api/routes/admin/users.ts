// 用户: staff and organisation accounts; institution and assessor users belong to an organisation of their kind.
import type { Api } from '../../http';
import { pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { UserBody } from '../../schemas';
import { problems } from '../../problem';
import { hashPassword } from '../../auth/passwords';
import { readableId } from '../../auth/tokens';
import { isUniqueViolation } from '../../../platform/db';
import { ADMIN, listQuery } from './shared';
import { AdminUserSchema, page, UserCreated } from '../../responses';
import type { UserRole } from '../../roles';

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
}
