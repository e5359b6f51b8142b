// 职业目录及补贴标准: the occupation catalogue with its subsidy standard per level.
import type { Api } from '../../http';
import { pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { OccupationBody } from '../../schemas';
import { ADMIN, listQuery } from './shared';
import { OccupationRowSchema, OccupationSaved, page } from '../../responses';

export function occupationRoutes(api: Api) {
  const occupationSort: Sortable = { code: { column: 'code', type: 'string' } };
  api.get(
    '/admin/occupations',
    {
      tag: 'admin',
      summary: '职业目录 The occupation catalogue',
      access: ADMIN,
      query: listQuery,
      responses: { 200: { description: 'A page of occupations', schema: page(OccupationRowSchema) } },
    },
    async ({ query, deps }) => {
      const plan = planList(query, occupationSort, 'code');
      const ks = prismaKeyset(plan, 'code');
      const rows = await deps.db.occupation.findMany({
        where: ks.where,
        orderBy: ks.orderBy as never,
        take: ks.take,
        include: { levels: true },
      });
      return {
        json: pageOf(
          rows.map((r) => ({ id: r.code, ...r })),
          plan,
          (r) => r.code,
        ),
      };
    },
  );
  api.post(
    '/admin/occupations',
    {
      tag: 'admin',
      summary: '新增或修改职业 Create or update an occupation',
      access: ADMIN,
      body: OccupationBody,
      responses: { 201: { description: 'Saved', schema: OccupationSaved } },
    },
    async ({ body, deps }) => {
      const data = {
        nameZh: body.name.zh,
        nameEn: body.name.en,
        shortage: body.shortage,
        newOccupation: body.newOccupation,
      };
      await deps.db.$transaction([
        deps.db.occupation.upsert({
          where: { code: body.code },
          create: { code: body.code, ...data },
          update: data,
        }),
        ...body.levels.map((l) =>
          deps.db.occupationLevel.upsert({
            where: { occupationCode_level: { occupationCode: body.code, level: l.level } },
            create: { occupationCode: body.code, ...l },
            update: { standardFen: l.standardFen, evaluationFen: l.evaluationFen, minHours: l.minHours },
          }),
        ),
      ]);
      return { status: 201, json: { code: body.code } };
    },
  );
}
