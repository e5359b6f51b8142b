// API密钥: keys for institutions' and assessment bodies' systems; the key is shown once, the list shows prefixes.
import type { Api } from '../../http';
import type { IssuedKey } from '../../auth/apiKeys';
import { ApiKeyRowSchema, IssuedKeySchema, page } from '../../responses';
import { pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { ApiKeyBody } from '../../schemas';
import { problems } from '../../problem';
import { ADMIN, listQuery } from './shared';

/** The secret is in the first answer only: a replay (same Idempotency-Key) gets the key's id and prefix. */
function shownOnce(issued: IssuedKey) {
  const { key: _secret, ...rest } = issued;
  const shown = { ...rest, display: `sk_${issued.prefix}_…` };
  return { status: 201 as const, json: { ...shown, key: issued.key }, replayJson: shown };
}

export function apiKeyRoutes(api: Api) {
  const keySort: Sortable = {
    createdAt: { column: 'createdAt', type: 'date' },
    id: { column: 'id', type: 'string' },
  };
  api.get(
    '/admin/api-keys',
    {
      tag: 'admin',
      summary: 'API密钥 API keys (prefixes only)',
      access: ADMIN,
      query: listQuery,
      responses: { 200: { description: 'A page of keys', schema: page(ApiKeyRowSchema) } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, keySort, '-createdAt');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.apiKey.findMany({
        where: ks.where,
        orderBy: ks.orderBy as never,
        take: ks.take,
        omit: { keyHash: true },
      });
      const page = pageOf(rows, plan, (r) => r[plan.field.column as 'createdAt' | 'id']);
      return {
        json: {
          items: page.items.map((k) => ({ ...k, display: `sk_${k.prefix}_…` })),
          nextCursor: page.nextCursor,
        },
      };
    },
  );
  api.post(
    '/admin/api-keys',
    {
      tag: 'admin',
      summary: '签发API密钥 Issue an API key (the key is shown once)',
      access: ADMIN,
      body: ApiKeyBody,
      responses: { 201: { description: 'Issued: the key is shown this once', schema: IssuedKeySchema } },
      refusals: { 422: 'no such organisation (errors[].path = institutionId)' },
    },
    async ({ body, deps, services }) => {
      const org = await deps.db.institution.findUnique({ where: { id: body.institutionId } });
      if (!org)
        throw problems.rule('ORGANISATION_UNKNOWN', { zh: '机构不存在', en: 'No such organisation' }, [
          {
            path: 'institutionId',
            code: 'ORGANISATION_UNKNOWN',
            message: { zh: '机构不存在', en: 'No such organisation' },
          },
        ]);
      return shownOnce(await services.apiKeys.issue(body.institutionId, body.label));
    },
  );
  api.delete(
    '/admin/api-keys/:id',
    {
      tag: 'admin',
      summary: '吊销 Revoke an API key',
      access: ADMIN,
      responses: { 204: { description: 'Revoked' } },
      refusals: { 404: 'No such key, or it is already revoked.' },
    },
    async ({ params, services }) => {
      if (!(await services.apiKeys.revoke(params.id!)))
        throw problems.notFound({ zh: '密钥不存在或已吊销', en: 'No such active key' });
      return { status: 204 };
    },
  );
  api.post(
    '/admin/api-keys/:id/rotate',
    {
      tag: 'admin',
      summary: '轮换 Rotate an API key (the old one stops working)',
      access: ADMIN,
      responses: { 201: { description: 'The new key, shown this once', schema: IssuedKeySchema } },
      refusals: { 404: 'No such key, or it is already revoked.' },
    },
    async ({ params, services }) => {
      const issued = await services.apiKeys.rotate(params.id!);
      if (!issued) throw problems.notFound({ zh: '密钥不存在或已吊销', en: 'No such active key' });
      return shownOnce(issued);
    },
  );
}
