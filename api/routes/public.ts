// 公示: open public notices (rows already masked by the notice activity) and objections (异议) from anyone.
import { z } from 'zod';
import type { Api } from '../http';
import { PUBLIC_ACTOR } from '../context';
import { ObjectionBody } from '../schemas';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import { update } from '../workflow';
import { Problem, problems } from '../problem';
import { TtlCache } from '../auth/cache';
import { readableId } from '../auth/tokens';
import { raiseObjectionUpdate } from '../../workflows/messages';
import { encryptField, keyFromEnv } from '../../domain/pii';

const SORTABLE: Sortable = {
  publishedAt: { column: 'publishedAt', type: 'date' },
  closesAt: { column: 'closesAt', type: 'date' },
  id: { column: 'id', type: 'string' },
};

const OBJECTIONS_PER_HOUR = 20;

export function publicRoutes(api: Api) {
  const perCaller = new TtlCache<number>(3_600_000, 50_000);

  api.get(
    '/public/notices',
    {
      tag: 'public',
      summary: '公示名单 Open public notices (masked)',
      access: 'public',
      query: z.object({ ...listQueryShape, classId: z.string().max(160).optional() }),
    },
    async ({ query, deps }) => {
      const plan = planList(query, SORTABLE, '-publishedAt');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.publicNotice.findMany({
        where: { AND: [{ status: 'OPEN' }, ks.where, query.classId ? { classId: query.classId } : {}] },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const page = pageOf(rows, plan, (r) => r[plan.field.column as 'publishedAt' | 'closesAt' | 'id']);
      return {
        json: {
          items: page.items.map((n) => ({
            id: n.id,
            classId: n.classId,
            round: n.round,
            publishedAt: n.publishedAt,
            closesAt: n.closesAt,
            endDate: n.endDate,
            provisional: n.provisional,
            rows: JSON.parse(n.rows) as unknown[],
          })),
          nextCursor: page.nextCursor,
        },
      };
    },
  );

  api.post(
    '/public/notices/:noticeId/objections',
    {
      tag: 'public',
      summary: '提出异议 Object to a notice line',
      description:
        'Anyone may object during the notice; the objected line is held and a caseworker task opens. 201 with the objection id.',
      access: 'public',
      body: ObjectionBody,
    },
    async ({ params, body, deps, req }) => {
      const caller = req.ip ?? 'unknown';
      const count = perCaller.get(caller) ?? 0;
      if (count >= OBJECTIONS_PER_HOUR)
        throw new Problem(429, 'TOO_MANY_OBJECTIONS', {
          zh: '提交过于频繁，请稍后再试',
          en: 'Too many objections from here; try again later',
        });
      const notice = await deps.db.publicNotice.findUnique({ where: { id: params.noticeId! } });
      if (!notice) throw problems.notFound({ zh: '公示不存在', en: 'No such notice' });
      if (notice.status !== 'OPEN')
        throw problems.conflict('NOTICE_CLOSED', { zh: '公示期已结束', en: 'The public notice has closed' });
      perCaller.set(caller, count + 1);
      const objectionId = `OBJ-${readableId(10)}`;
      await update(deps.temporal, notice.classId, raiseObjectionUpdate, {
        actor: PUBLIC_ACTOR,
        objectionId,
        lineId: body.lineId,
        reason: body.reason,
        // How to reach the objector is personal data: encrypted before it leaves the API.
        ...(body.contact?.trim()
          ? {
              contactEnc: encryptField(
                body.contact.trim(),
                keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY'),
              ),
            }
          : {}),
      });
      return { status: 201, json: { objectionId } };
    },
  );
}
