// 公示: open public notices (rows already masked by the notice activity) and objections (异议) from anyone.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Api } from '../http';
import { PUBLIC_ACTOR } from '../context';
import { isoDate, ObjectionBody } from '../schemas';
import type { Prisma } from '@prisma/client';
import { endOfDay, startOfDay } from '../../domain/dates';
import { NoticePage, ObjectionFiled, type NoticeRowSchema } from '../responses';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import { update } from '../workflow';
import { Problem, problems } from '../problem';
import { LIMITS, Limit, tooManyRequests } from '../limits';
import { raiseObjectionUpdate } from '../../workflows/messages';
import { encryptField, keyFromEnv } from '../../domain/pii';

const SORTABLE: Sortable = {
  publishedAt: { column: 'publishedAt', type: 'date' },
  closesAt: { column: 'closesAt', type: 'date' },
  id: { column: 'id', type: 'string' },
};

const TOO_MANY = { zh: '提交异议过于频繁', en: 'Too many objections' };
const PERIOD_REVERSED = { zh: '起始日期不能晚于截止日期', en: 'from must not be after to' };

const NoticeQuery = z.object({
  ...listQueryShape,
  status: z
    .enum(['OPEN', 'CLOSED', 'ALL'])
    .default('OPEN')
    .meta({ description: 'OPEN: in their objection period; CLOSED: the archive; ALL: both' }),
  q: z
    .string()
    .max(60)
    .optional()
    .meta({ description: 'part of the class title or id, the institution or the occupation' }),
  classId: z.string().max(160).optional(),
  district: z.string().max(60).optional(),
  institutionId: z.string().max(160).optional(),
  occupationCode: z.string().max(40).optional(),
  from: isoDate.optional().meta({ description: 'published on or after this day (Asia/Shanghai)' }),
  to: isoDate.optional().meta({ description: 'published on or before this day (Asia/Shanghai)' }),
});

/** How the objector wrote how to reach them, compared loosely: a phone number's spaces and dashes do not count. */
function sameContact(contact: string | undefined): string {
  const c = (contact ?? '').normalize('NFKC').trim().toLowerCase();
  return /^[\d\s()+-]+$/.test(c) ? c.replace(/[\s()-]/g, '') : c;
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/**
 * The objection's id follows from the notice, the line and the contact (keyed hash: nobody can compute it
 * without the server's secret), so objecting to the same line again with the same contact names the same
 * objection: the workflow refuses the duplicate id, and no second caseworker task opens.
 */
function objectionIdOf(secret: string, noticeId: string, lineId: string, contact: string | undefined) {
  const digest = createHmac('sha256', secret)
    .update(['objection', noticeId, lineId, sameContact(contact)].join('\u0000'), 'utf8')
    .digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[digest[i]! % ALPHABET.length];
  return `OBJ-${out}`;
}

export function publicRoutes(api: Api) {
  const limits = api.deps.limits ?? LIMITS;
  const perClient = new Limit('objections:client', limits.objections.perClient);
  const perLine = new Limit('objections:line', limits.objections.perLine);

  api.get(
    '/public/notices',
    {
      tag: 'public',
      summary: '公示名单与公示档案 Public notices (masked), open and archived',
      description:
        'Open notices by default; `status=CLOSED` or `ALL` searches the archive of notices whose period has ended. Search: `q` (part of the class title or id, the institution or the occupation), `district`, `institutionId`, `occupationCode`, and the day published (`from`, `to`, YYYY-MM-DD, Asia/Shanghai). Never by a trainee: rows are masked and not searchable.',
      access: 'public',
      query: NoticeQuery,
      responses: { 200: { description: 'A page of notices', schema: NoticePage } },
      refusals: { 422: 'a period whose `from` is after its `to` (PERIOD_REVERSED, errors[].path = from)' },
    },
    async ({ query, deps }) => {
      if (query.from && query.to && query.from > query.to)
        throw problems.rule('PERIOD_REVERSED', PERIOD_REVERSED, [
          { path: 'from', code: 'PERIOD_REVERSED', message: PERIOD_REVERSED },
        ]);
      const plan = planList(query, SORTABLE, '-publishedAt');
      const ks = prismaKeyset(plan);
      const q = query.q?.trim();
      const where: Prisma.PublicNoticeWhereInput[] = [
        query.status === 'ALL' ? {} : { status: query.status },
        ks.where as Prisma.PublicNoticeWhereInput,
        query.classId ? { classId: query.classId } : {},
        query.district ? { district: query.district } : {},
        query.institutionId ? { institutionId: query.institutionId } : {},
        query.occupationCode ? { occupationCode: query.occupationCode } : {},
        query.from ? { publishedAt: { gte: new Date(startOfDay(query.from)) } } : {},
        // endOfDay is 24:00 of that day, the first instant of the next: not included
        query.to ? { publishedAt: { lt: new Date(endOfDay(query.to)) } } : {},
        q
          ? {
              OR: [
                { title: { contains: q } },
                { institutionName: { contains: q } },
                { occupationName: { contains: q } },
                { classId: { contains: q.toUpperCase() } },
              ],
            }
          : {},
      ];
      const rows = await deps.db.publicNotice.findMany({
        where: { AND: where },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const page = pageOf(rows, plan, (r) => r[plan.field.column as 'publishedAt' | 'closesAt' | 'id']);
      return {
        json: {
          items: page.items.map((n) => ({
            id: n.id,
            classId: n.classId,
            status: n.status as 'OPEN' | 'CLOSED',
            title: n.title,
            institutionId: n.institutionId,
            institutionName: n.institutionName,
            occupationCode: n.occupationCode,
            occupationName: n.occupationName,
            district: n.district,
            round: n.round,
            publishedAt: n.publishedAt,
            closesAt: n.closesAt,
            endDate: n.endDate,
            provisional: n.provisional,
            rows: JSON.parse(n.rows) as z.output<typeof NoticeRowSchema>[],
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
        "Anyone may object during the notice; the objected line is held and a caseworker task opens. 201 with the objection id. The same line objected again with the same contact (or again without one) answers the first objection's id and opens nothing new. Limited per client address and per line: 429 with Retry-After.",
      access: 'public',
      body: ObjectionBody,
      responses: {
        201: { description: 'The objection (the same id again for a repeat)', schema: ObjectionFiled },
      },
      refusals: {
        404: 'No such notice.',
        409: 'the notice has closed, or the line cannot be objected to now',
        422: 'no such line on the notice',
        429: 'too many objections from this client or to this line',
        503: 'the workflow did not answer in time',
      },
    },
    async ({ params, body, deps, req, res }) => {
      const client = req.ip ?? 'unknown';
      const clientWait = await perClient.take(client);
      if (clientWait) throw tooManyRequests(res, clientWait, 'TOO_MANY_OBJECTIONS', TOO_MANY);
      const notice = await deps.db.publicNotice.findUnique({ where: { id: params.noticeId! } });
      if (!notice) throw problems.notFound({ zh: '公示不存在', en: 'No such notice' });
      if (notice.status !== 'OPEN')
        throw problems.conflict('NOTICE_CLOSED', { zh: '公示期已结束', en: 'The public notice has closed' });
      const contact = body.contact?.trim() || undefined;
      const objectionId = objectionIdOf(deps.settings.personKeySecret, notice.id, body.lineId, contact);
      // A repeat answers exactly like the first (201, same id): whether someone objected is not told.
      const answer = { status: 201 as const, json: { objectionId } };
      if (await deps.db.objection.findUnique({ where: { id: objectionId }, select: { id: true } }))
        return answer;
      const lineKey = `${notice.id}\u0000${body.lineId}`;
      const lineWait = await perLine.take(lineKey);
      if (lineWait) throw tooManyRequests(res, lineWait, 'TOO_MANY_OBJECTIONS', TOO_MANY);
      try {
        await update(deps.temporal, notice.classId, raiseObjectionUpdate, {
          actor: PUBLIC_ACTOR,
          objectionId,
          lineId: body.lineId,
          reason: body.reason,
          // How to reach the objector is personal data: encrypted before it leaves the API.
          ...(contact
            ? { contactEnc: encryptField(contact, keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY')) }
            : {}),
        });
      } catch (err) {
        // Not a new objection (refused, or the same one not yet in the read model): the line's count is given back.
        if (err instanceof Problem && err.status < 500) await perLine.giveBack(lineKey);
        if (err instanceof Problem && err.code === 'DUPLICATE_OBJECTION') return answer;
        throw err;
      }
      return answer;
    },
  );
}
