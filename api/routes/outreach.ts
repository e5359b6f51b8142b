// 政策找人 (issue 16 point 3): the registry of people looking for work or training (人员库), the candidates of an
// enrolling class drawn from it by the enrolment rules (api/outreach.ts), invitations sent to them through the
// delivery channel (api/messages.ts), and the answers the people give from their self-service page.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Api } from '../http';
import { problems, ruleProblem } from '../problem';
import { name as nameText, id as idSchema } from '../schemas';
import { CandidatePage, InvitationList, InvitationsSent, RegistrantSaved } from '../responses';
import { checkIdNumber, maskedIdentity } from '../personRecord';
import { classFor } from '../scope';
import { candidatesOf, historiesOf, verdictOf, ageOfCandidate, type CandidateRow } from '../outreach';
import { policyOf, todayInShanghai } from '../planContext';
import { isUniqueViolation } from '../../platform/db';
import { OUTREACH_PRIORITY } from '../../domain/outreach';
import { TraineeCategorySchema } from '../../domain/categories';
import { decryptField, encryptField, keyFromEnv, personKey } from '../../domain/pii';
import { normaliseName, parseIdNumber, validateName } from '../../domain/identity';
import { isIsoDate } from '../../domain/dates';
import { violation } from '../../domain/rules';
import type { AppDeps } from '../context';
import type { ClassRef } from '../scope';

const OUTREACH_STAGES = ['APPROVED', 'ENROLLING'];
const READERS = ['CASEWORKER', 'MANAGER'] as const;

export const RegistrantBody = z.strictObject({
  idNumber: z.string().max(64),
  name: nameText(60),
  category: TraineeCategorySchema,
  district: nameText(40),
  registeredOn: z
    .string()
    .refine(isIsoDate, { message: '日期格式须为YYYY-MM-DD | a date YYYY-MM-DD' })
    .optional()
    .meta({ description: 'the date of the registration (求职登记); default today' }),
});

const CandidateQuery = z.object({
  district: z.string().min(1).max(40).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const InviteBody = z.strictObject({ registrantIds: z.array(idSchema).min(1).max(50) });

function notEnrolling() {
  return problems.conflict('CLASS_NOT_ENROLLING', {
    zh: '班级不在招生阶段：只能为已核准、正在招生的班级邀请学员',
    en: 'The class is not enrolling: only an approved class that is enrolling invites people',
  });
}

async function enrollingClass(deps: AppDeps, principal: Parameters<typeof classFor>[1], id: string) {
  const c = await classFor(deps, principal, id);
  if (!OUTREACH_STAGES.includes(c.stage)) throw notEnrolling();
  return c;
}

function invitationText(c: ClassRef, institution: string): string {
  return `【SkillFlow】您符合补贴性职业技能培训条件：${institution}「${c.plan.title}」（${c.plan.plannedStart}至${c.plan.plannedEnd}）正在招生，培训免费并可按规定享受补贴。如有意参加，请登录个人培训档案查询页面回复，或直接联系培训机构报名。`;
}

export function outreachRoutes(api: Api): void {
  api.post(
    '/people/registry',
    {
      tag: 'cases',
      summary: '人员库登记 Register a person looking for work or training',
      description:
        'A job-seeker registration (求职登记) or a listed group: the ID number, the name, the category the registration gives and the district. A person already in the registry is updated (category, district, date). The name must match one already registered for the ID number.',
      access: READERS,
      body: RegistrantBody,
      responses: { 200: { description: 'Registered (created: true) or updated', schema: RegistrantSaved } },
      refusals: {
        422: 'not a valid ID number (path idNumber), or a name that is not the registered one (path name)',
      },
    },
    async ({ body, deps }) => {
      checkIdNumber(body.idNumber);
      const parsed = parseIdNumber(body.idNumber);
      if (!parsed.ok) throw ruleProblem(parsed.violations);
      const badName = validateName(body.name);
      if (badName) throw ruleProblem([{ ...badName, field: 'name' }]);
      const key = personKey(parsed.value.idNumber, deps.settings.personKeySecret);
      const pii = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
      const existing = await deps.db.person.findUnique({ where: { personKey: key } });
      if (existing) {
        let stored: string;
        try {
          stored = normaliseName(decryptField(existing.nameEnc, pii));
        } catch {
          stored = ''; // unreadable: no name to compare with
        }
        if (stored && stored !== normaliseName(body.name))
          throw ruleProblem([
            violation(
              'NAME_MISMATCH',
              '姓名与该身份证号已登记的姓名不一致',
              'The name is not the one registered for this ID number',
              'name',
            ),
          ]);
      } else {
        try {
          await deps.db.person.create({
            data: {
              personKey: key,
              idNumberEnc: encryptField(parsed.value.idNumber, pii),
              nameEnc: encryptField(normaliseName(body.name), pii),
              birthDate: parsed.value.birthDate,
              sex: parsed.value.sex,
            },
          });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
      const data = {
        category: body.category,
        priority: OUTREACH_PRIORITY[body.category],
        district: body.district,
        registeredOn: body.registeredOn ?? todayInShanghai(),
      };
      const before = await deps.db.registrant.findUnique({ where: { personKey: key } });
      const saved = await deps.db.registrant.upsert({
        where: { personKey: key },
        update: data,
        create: { id: `REG-${randomUUID()}`, personKey: key, ...data },
      });
      return { json: { registrantId: saved.id, created: !before } };
    },
  );

  api.get(
    '/cases/:id/candidates',
    {
      tag: 'cases',
      summary: '政策找人 The people of the registry who could join this class',
      description:
        'For an approved class that is enrolling: the people of the registry whom enrolment would accept (category, working age at the start, caps, level rules, no overlapping class — the enrolment rules themselves) and who have not been trained in the occupation, registered unemployed first (domain/outreach.ts OUTREACH_PRIORITY), then the longest registered. Masked. With the invitation each has had, and the counts of invitations sent, accepted and declined. Keyset pages: pass nextCursor back as cursor.',
      access: READERS,
      query: CandidateQuery,
      responses: { 200: { description: 'A page of candidates', schema: CandidatePage } },
      refusals: { 409: 'the class is not enrolling (CLASS_NOT_ENROLLING)' },
    },
    async ({ params, query, principal, deps }) => {
      const c = await enrollingClass(deps, principal, params.id!);
      const page = await candidatesOf(deps, c, {
        district: query.district,
        cursor: query.cursor,
        limit: query.limit,
      });
      const [invited, counts] = await Promise.all([
        deps.db.invitation.findMany({
          where: { classId: c.id, personKey: { in: page.rows.map((r) => r.registrant.personKey) } },
          select: { personKey: true, status: true },
        }),
        deps.db.invitation.groupBy({ by: ['status'], where: { classId: c.id }, _count: { _all: true } }),
      ]);
      const statusOf = new Map(invited.map((i) => [i.personKey, i.status]));
      const count = (status: string) => counts.find((x) => x.status === status)?._count._all ?? 0;
      return {
        json: {
          items: page.rows.map((row: CandidateRow) => ({
            registrantId: row.registrant.id,
            ...maskedIdentity(deps, row),
            category: TraineeCategorySchema.parse(row.registrant.category),
            district: row.registrant.district,
            registeredOn: row.registrant.registeredOn,
            age: ageOfCandidate(row, c),
            invitation: (statusOf.get(row.registrant.personKey) ?? null) as
              'SENT' | 'ACCEPTED' | 'DECLINED' | null,
          })),
          nextCursor: page.next,
          invitations: { sent: count('SENT'), accepted: count('ACCEPTED'), declined: count('DECLINED') },
        },
      };
    },
  );

  api.post(
    '/cases/:id/invitations',
    {
      tag: 'cases',
      summary: '发送招生邀请 Invite candidates to this class',
      description:
        'Sends each registrant named an invitation through the delivery channel (simulated by default: the outbox). Each is judged again by the enrolment rules when sent; one who no longer qualifies is refused with the reasons, one invited before is not invited twice (left out of both lists).',
      access: ['CASEWORKER'],
      body: InviteBody,
      responses: { 200: { description: 'Sent and refused', schema: InvitationsSent } },
      refusals: { 409: 'the class is not enrolling (CLASS_NOT_ENROLLING)' },
    },
    async ({ params, body, principal, deps, services }) => {
      const c = await enrollingClass(deps, principal, params.id!);
      const registrants = await deps.db.registrant.findMany({ where: { id: { in: body.registrantIds } } });
      const people = await deps.db.person.findMany({
        where: { personKey: { in: registrants.map((r) => r.personKey) } },
        select: { personKey: true, birthDate: true, sex: true },
      });
      const personOf = new Map(people.map((p) => [p.personKey, p]));
      const [policy, history, institution, already] = await Promise.all([
        policyOf(deps, c.policyVersionId, todayInShanghai()),
        historiesOf(
          deps,
          registrants.map((r) => r.personKey),
        ),
        deps.db.institution.findUnique({ where: { id: c.institutionId }, select: { name: true } }),
        deps.db.invitation.findMany({
          where: { classId: c.id, personKey: { in: registrants.map((r) => r.personKey) } },
          select: { personKey: true },
        }),
      ]);
      const invitedBefore = new Set(already.map((a) => a.personKey));
      const byId = new Map(registrants.map((r) => [r.id, r]));
      const enrolled = new Set(
        (
          await deps.db.enrollment.findMany({
            where: {
              classId: c.id,
              status: 'ENROLLED',
              personKey: { in: registrants.map((r) => r.personKey) },
            },
            select: { personKey: true },
          })
        ).map((e) => e.personKey),
      );
      const sent: { registrantId: string; invitationId: string }[] = [];
      const refused: { registrantId: string; errors: { code: string; message: string }[] }[] = [];
      for (const registrantId of [...new Set(body.registrantIds)]) {
        const r = byId.get(registrantId);
        const p = r && personOf.get(r.personKey);
        if (!r || !p) {
          refused.push({
            registrantId,
            errors: [{ code: 'UNKNOWN_REGISTRANT', message: '人员库中无此人员' }],
          });
          continue;
        }
        if (invitedBefore.has(r.personKey)) continue;
        const errors = [
          ...verdictOf({ registrant: r, birthDate: p.birthDate, sex: p.sex }, c, history, policy),
          ...(enrolled.has(r.personKey)
            ? [violation('ALREADY_ENROLLED', '该人员已在本班报名', 'Already enrolled in this class')]
            : []),
        ];
        if (errors.length) {
          refused.push({ registrantId, errors: errors.map((v) => ({ code: v.code, message: v.zh })) });
          continue;
        }
        const invitationId = `INV-${randomUUID()}`;
        try {
          await deps.db.invitation.create({
            data: {
              id: invitationId,
              classId: c.id,
              registrantId: r.id,
              personKey: r.personKey,
              status: 'SENT',
              sentBy: principal!.userId,
            },
          });
        } catch (err) {
          if (isUniqueViolation(err)) continue; // invited a moment ago by a colleague
          throw err;
        }
        await services.messages.send({
          recipient: r.personKey,
          purpose: 'CLASS_INVITATION',
          text: invitationText(c, institution?.name ?? c.institutionId),
        });
        sent.push({ registrantId, invitationId });
      }
      return { json: { sent, refused } };
    },
  );

  api.get(
    '/cases/:id/invitations',
    {
      tag: 'cases',
      summary: '招生邀请 The invitations of this class and their answers',
      description:
        'Every invitation sent for the class, newest first, with the answer (SENT, ACCEPTED, DECLINED). Masked. The class’s own institution sees only the people who said yes (to expect them at enrolment, 实名制); who was invited and who declined stays with the bureau.',
      access: [...READERS, 'INSTITUTION'],
      responses: { 200: { description: 'The invitations', schema: InvitationList } },
    },
    async ({ params, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!);
      const rows = await deps.db.invitation.findMany({
        where: { classId: c.id, ...(principal!.role === 'INSTITUTION' ? { status: 'ACCEPTED' } : {}) },
        orderBy: [{ sentAt: 'desc' }, { id: 'asc' }],
        take: 1000,
      });
      const [people, registrants] = await Promise.all([
        deps.db.person.findMany({
          where: { personKey: { in: rows.map((r) => r.personKey) } },
          select: { personKey: true, nameEnc: true, idNumberEnc: true },
        }),
        deps.db.registrant.findMany({
          where: { id: { in: rows.map((r) => r.registrantId) } },
          select: { id: true, category: true },
        }),
      ]);
      const personOf = new Map(people.map((p) => [p.personKey, p]));
      const categoryOf = new Map(registrants.map((r) => [r.id, r.category]));
      return {
        json: {
          items: rows.map((i) => {
            const p = personOf.get(i.personKey);
            return {
              invitationId: i.id,
              registrantId: i.registrantId,
              ...(p ? maskedIdentity(deps, p) : { nameMasked: '', idMasked: '' }),
              category: categoryOf.get(i.registrantId) ?? '',
              status: i.status as 'SENT' | 'ACCEPTED' | 'DECLINED',
              sentBy: i.sentBy,
              sentAt: i.sentAt,
              respondedAt: i.respondedAt,
            };
          }),
        },
      };
    },
  );
}
