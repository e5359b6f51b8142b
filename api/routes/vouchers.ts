// 电子培训券 (issue 16 point 2): voucher programmes as policy data, set up by the bureau's management; vouchers
// issued to eligible people of the registry (by ID number or by a targeting rule); the counts finance and the
// bureau follow (issued, claimed, redeemed, expired, money). The person claims a voucher from their self-service
// page (routes/selfService.ts); enrolment reserves it and the paid line redeems it (activities/vouchers.ts); the
// programme's workflow expires the unused ones when its days are over (workflows/vouchers.ts).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { Api } from '../http';
import { problems, ruleProblem } from '../problem';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import {
  page,
  VoucherProgrammeCreated,
  VoucherProgrammeList,
  VoucherRowSchema,
  VouchersIssued,
  VoucherStatusSchema,
} from '../responses';
import { maskedIdentity } from '../personRecord';
import { policyInForce, todayInShanghai } from '../planContext';
import { requestSeed } from '../idempotency';
import { readableId } from '../auth/tokens';
import { isPostgres, isUniqueViolation } from '../../platform/db';
import { parseIdNumber } from '../../domain/identity';
import { personKey } from '../../domain/pii';
import { maskIdNumber } from '../../domain/masking';
import { violation, type RuleViolation } from '../../domain/rules';
import {
  issueVerdict,
  programmeOf,
  VoucherProgrammeSchema,
  type VoucherProgramme,
} from '../../domain/vouchers';
import { voucherProgrammeWorkflowId, type VoucherProgrammeInput } from '../../workflows/messages';
import type { AppDeps } from '../context';

const SETTERS = ['MANAGER'] as const;
const ISSUERS = ['CASEWORKER', 'MANAGER'] as const;
const READERS = ['CASEWORKER', 'FINANCE', 'MANAGER'] as const;

export const IssueBody = z.union([
  z.strictObject({
    idNumbers: z
      .array(z.string().max(64))
      .min(1)
      .max(100)
      .meta({ description: 'people of the registry (人员库), by ID number' }),
  }),
  z.strictObject({
    rule: z.strictObject({
      district: z.string().min(1).max(40).optional(),
      limit: z.number().int().min(1).max(1000),
    }),
  }),
]);

const VoucherListQuery = z.object({ ...listQueryShape, status: VoucherStatusSchema.optional() });
const voucherSort: Sortable = {
  issuedAt: { column: 'issuedAt', type: 'date' },
  id: { column: 'id', type: 'string' },
};

/** The catalogue and policy checks of a programme: every problem with the field it is in. */
async function programmeViolations(deps: AppDeps, p: VoucherProgramme): Promise<RuleViolation[]> {
  const out: RuleViolation[] = [];
  const standards = await deps.db.occupationLevel.findMany({
    where: { occupationCode: { in: p.occupationCodes } },
    select: { occupationCode: true, level: true },
  });
  p.occupationCodes.forEach((code, i) => {
    if (!standards.some((s) => s.occupationCode === code))
      out.push(
        violation(
          'OCCUPATION_UNKNOWN',
          '职业目录中无此职业（工种）',
          'No such occupation',
          `occupationCodes.${i}`,
        ),
      );
  });
  p.levels.forEach((level, i) => {
    if (!standards.some((s) => s.level === level))
      out.push(
        violation(
          'LEVEL_UNKNOWN',
          '所选职业没有该等级的标准',
          'None of the occupations has this level',
          `levels.${i}`,
        ),
      );
  });
  if (p.institutionIds.length) {
    const known = new Set(
      (
        await deps.db.institution.findMany({ where: { id: { in: p.institutionIds } }, select: { id: true } })
      ).map((x) => x.id),
    );
    p.institutionIds.forEach((id, i) => {
      if (!known.has(id))
        out.push(
          violation('INSTITUTION_UNKNOWN', '无此培训机构', 'No such institution', `institutionIds.${i}`),
        );
    });
  }
  const policy = await policyInForce(deps, todayInShanghai());
  if (!policy.fundingChannels.includes(p.fundingChannel))
    out.push(
      violation(
        'FUNDING_CHANNEL_UNKNOWN',
        '现行政策中无此资金渠道',
        'No such funding channel in the policy',
        'fundingChannel',
      ),
    );
  if (p.validUntil < todayInShanghai())
    out.push(violation('VALID_UNTIL_PAST', '有效期截止日已过', 'The last day has passed', 'validUntil'));
  return out;
}

/** Every programme with its funnel and the money paid for its redeemed vouchers. */
async function programmeViews(deps: AppDeps, ids?: string[]) {
  const rows = await deps.db.voucherProgramme.findMany({
    where: ids ? { id: { in: ids } } : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 500,
  });
  const programmeIds = rows.map((r) => r.id);
  const [counts, claimed, redeemed] = await Promise.all([
    deps.db.voucher.groupBy({
      by: ['programmeId', 'status'],
      where: { programmeId: { in: programmeIds } },
      _count: { _all: true },
    }),
    deps.db.voucher.groupBy({
      by: ['programmeId'],
      where: { programmeId: { in: programmeIds }, claimedAt: { not: null } },
      _count: { _all: true },
    }),
    deps.db.voucher.findMany({
      where: { programmeId: { in: programmeIds }, status: 'REDEEMED' },
      select: { programmeId: true, enrollmentId: true },
    }),
  ]);
  const paid = await deps.db.subsidyLine.findMany({
    where: {
      enrollmentId: { in: redeemed.flatMap((r) => (r.enrollmentId ? [r.enrollmentId] : [])) },
      kind: 'TRAINING',
      status: 'PAID',
    },
    select: { enrollmentId: true, amountFen: true },
  });
  const fenOf = new Map<string, number>();
  for (const l of paid) fenOf.set(l.enrollmentId!, (fenOf.get(l.enrollmentId!) ?? 0) + l.amountFen);
  const today = todayInShanghai();
  return rows.map((row) => {
    const p = programmeOf(row);
    const n = (status: string) =>
      counts.find((c) => c.programmeId === row.id && c.status === status)?._count._all ?? 0;
    const issued = counts.filter((c) => c.programmeId === row.id).reduce((sum, c) => sum + c._count._all, 0);
    return {
      programmeId: row.id,
      name: row.name,
      occupationCodes: p.occupationCodes,
      levels: p.levels,
      categories: p.categories,
      institutionIds: p.institutionIds,
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      quantity: row.quantity,
      fundingChannel: row.fundingChannel,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      ended: row.validUntil < today,
      vouchers: {
        issued,
        claimed: claimed.find((c) => c.programmeId === row.id)?._count._all ?? 0,
        reserved: n('RESERVED'),
        redeemed: n('REDEEMED'),
        expired: n('EXPIRED'),
        remaining: Math.max(row.quantity - issued, 0),
      },
      redeemedFen: redeemed
        .filter((r) => r.programmeId === row.id)
        .reduce((sum, r) => sum + (fenOf.get(r.enrollmentId ?? '') ?? 0), 0),
    };
  });
}

function unknownProgramme() {
  return problems.notFound({ zh: '无此培训券项目', en: 'No such voucher programme' });
}

export function voucherRoutes(api: Api): void {
  api.post(
    '/vouchers/programmes',
    {
      tag: 'vouchers',
      summary: '设立培训券项目 Set up a training-voucher programme',
      description:
        'Policy data: the occupations and levels it pays for, the categories of people it is for, the institutions it may be used at (none: any), its first and last day, how many vouchers it may issue and its funding channel. Its last day is kept by a durable timer: when it is over, the vouchers nobody put to use expire.',
      access: SETTERS,
      body: VoucherProgrammeSchema,
      responses: { 201: { description: 'Set up', schema: VoucherProgrammeCreated } },
      refusals: {
        422: 'an unknown occupation, level, institution or funding channel, or a last day already past (errors[].path)',
      },
    },
    async ({ body, principal, deps }) => {
      const problemsFound = await programmeViolations(deps, body);
      if (problemsFound.length) throw ruleProblem(problemsFound);
      const id = `VP-${readableId(10, requestSeed('voucher programme')).slice(0, 10)}`;
      try {
        await deps.db.voucherProgramme.create({
          data: {
            id,
            name: body.name,
            occupationCodes: JSON.stringify(body.occupationCodes),
            levels: JSON.stringify(body.levels),
            categories: JSON.stringify(body.categories),
            institutionIds: JSON.stringify(body.institutionIds),
            validFrom: body.validFrom,
            validUntil: body.validUntil,
            quantity: body.quantity,
            fundingChannel: body.fundingChannel,
            createdBy: principal!.userId,
          },
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // the same request run again: its programme is there
      }
      // Its last day, kept durably. Started after the row: a programme without its timer is set up again by
      // retrying the request (same id under the same Idempotency-Key); a timer without its row expires nothing.
      try {
        await deps.temporal.workflow.start('voucherProgrammeWorkflow', {
          taskQueue: deps.settings.taskQueue,
          workflowId: voucherProgrammeWorkflowId(id),
          args: [{ programmeId: id, validUntil: body.validUntil } satisfies VoucherProgrammeInput],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return { status: 201, json: { programmeId: id } };
    },
  );

  api.get(
    '/vouchers/programmes',
    {
      tag: 'vouchers',
      summary: '培训券项目 Voucher programmes and their counts',
      description:
        'Every programme, newest first, with its vouchers issued, claimed, reserved by an enrolment, redeemed (the training subsidy paid) and expired, the quantity left to issue, and the subsidy paid for its redeemed vouchers.',
      access: READERS,
      responses: { 200: { description: 'The programmes', schema: VoucherProgrammeList } },
    },
    async ({ deps }) => ({ json: { items: await programmeViews(deps) } }),
  );

  api.post(
    '/vouchers/programmes/:id/issue',
    {
      tag: 'vouchers',
      summary: '发放培训券 Issue vouchers',
      description:
        'To people of the registry (人员库): named by ID number, or chosen by a rule (the programme’s categories, optionally one district, in the registry’s outreach order — registered unemployed first, then the longest registered) up to `limit`. Each must be of a category the programme is for and not hold one of its vouchers already; never more than the programme’s quantity, even when two issue at once. The person is told through the delivery channel and claims the voucher from their self-service page.',
      access: ISSUERS,
      body: IssueBody,
      responses: { 200: { description: 'Issued and refused', schema: VouchersIssued } },
      refusals: {
        404: 'no such programme',
        409: 'the programme has ended (VOUCHER_PROGRAMME_ENDED)',
        422: 'not an ID number (errors[].path = idNumbers.N); nobody is issued a voucher',
      },
    },
    async ({ params, body, principal, deps, services }) => {
      const row = await deps.db.voucherProgramme.findUnique({ where: { id: params.id! } });
      if (!row) throw unknownProgramme();
      const p = programmeOf(row);
      const today = todayInShanghai();
      if (row.validUntil < today)
        throw problems.conflict('VOUCHER_PROGRAMME_ENDED', {
          zh: '培训券项目已过有效期，不能再发放',
          en: 'The programme has ended: no more vouchers are issued',
        });
      const refused: { ref: string; errors: { code: string; message: string }[] }[] = [];
      // Who: the registrants named, or those the rule picks (more than the limit: some may hold one already).
      let wanted: { ref: string; personKey: string }[];
      if ('idNumbers' in body) {
        // Every number is checked first: one that is not an ID number refuses the request on its field.
        const numbers = [...new Set(body.idNumbers)];
        const parsed = numbers.map((raw) => parseIdNumber(raw));
        const bad = parsed.flatMap((r, i) =>
          r.ok
            ? []
            : r.violations.map((v) => ({ ...v, field: `idNumbers.${body.idNumbers.indexOf(numbers[i]!)}` })),
        );
        if (bad.length) throw ruleProblem(bad);
        wanted = parsed.flatMap((r) =>
          r.ok
            ? [
                {
                  ref: maskIdNumber(r.value.idNumber),
                  personKey: personKey(r.value.idNumber, deps.settings.personKeySecret),
                },
              ]
            : [],
        );
      } else {
        const holders = await deps.db.voucher.findMany({
          where: { programmeId: row.id },
          select: { personKey: true },
        });
        const picked = await deps.db.registrant.findMany({
          where: {
            category: { in: p.categories },
            ...(body.rule.district ? { district: body.rule.district } : {}),
            personKey: { notIn: holders.map((h) => h.personKey) },
          },
          orderBy: [{ priority: 'asc' }, { registeredOn: 'asc' }, { id: 'asc' }],
          take: body.rule.limit,
          select: { id: true, personKey: true },
        });
        wanted = picked.map((r) => ({ ref: r.id, personKey: r.personKey }));
      }
      const registrants = new Map(
        (
          await deps.db.registrant.findMany({
            where: { personKey: { in: wanted.map((w) => w.personKey) } },
            select: { personKey: true, category: true },
          })
        ).map((r) => [r.personKey, r]),
      );
      const issued: { voucherId: string; personKey: string }[] = [];
      // The count and the inserts in one transaction: SQLite has one writer; on PostgreSQL the programme's row is
      // locked, so two issuers never exceed the quantity together.
      await deps.db.$transaction(async (tx) => {
        if (isPostgres(deps.db))
          await tx.$queryRaw`SELECT "id" FROM "VoucherProgramme" WHERE "id" = ${row.id} FOR UPDATE`;
        let count = await tx.voucher.count({ where: { programmeId: row.id } });
        const holders = new Set(
          (
            await tx.voucher.findMany({
              where: { programmeId: row.id, personKey: { in: wanted.map((w) => w.personKey) } },
              select: { personKey: true },
            })
          ).map((v) => v.personKey),
        );
        for (const w of wanted) {
          const registrant = registrants.get(w.personKey);
          if (!registrant) {
            refused.push({
              ref: w.ref,
              errors: [{ code: 'NOT_REGISTERED', message: '人员库中无此人员，请先登记（求职登记）' }],
            });
            continue;
          }
          const errors = issueVerdict(
            p,
            { category: registrant.category, holds: holders.has(w.personKey) },
            today,
            count,
          );
          if (errors.length) {
            refused.push({ ref: w.ref, errors: errors.map((e) => ({ code: e.code, message: e.zh })) });
            continue;
          }
          const voucherId = `TV-${readableId(12, requestSeed(`voucher ${row.id} ${w.personKey}`)).slice(0, 12)}`;
          await tx.voucher.create({
            data: {
              id: voucherId,
              programmeId: row.id,
              personKey: w.personKey,
              status: 'ISSUED',
              issuedBy: principal!.userId,
            },
          });
          holders.add(w.personKey);
          count++;
          issued.push({ voucherId, personKey: w.personKey });
        }
      });
      const people = new Map(
        (
          await deps.db.person.findMany({
            where: { personKey: { in: issued.map((i) => i.personKey) } },
            select: { personKey: true, nameEnc: true, idNumberEnc: true },
          })
        ).map((x) => [x.personKey, x]),
      );
      for (const i of issued)
        await services.messages.send({
          recipient: i.personKey,
          purpose: 'TRAINING_VOUCHER',
          text: `【SkillFlow】您获发一张培训券「${row.name}」，有效期至${row.validUntil}。请登录个人培训档案查询页面领取，凭券参加指定职业（工种）的补贴性培训。`,
        });
      return {
        json: {
          issued: issued.map((i) => {
            const person = people.get(i.personKey);
            return {
              voucherId: i.voucherId,
              ...(person ? maskedIdentity(deps, person) : { nameMasked: '', idMasked: '' }),
            };
          }),
          refused,
        },
      };
    },
  );

  api.get(
    '/vouchers/programmes/:id/vouchers',
    {
      tag: 'vouchers',
      summary: '培训券明细 The vouchers of a programme',
      description:
        'Newest first (sort issuedAt or id), optionally of one status. Masked. A reserved or redeemed voucher names the class it pays for.',
      access: READERS,
      query: VoucherListQuery,
      responses: { 200: { description: 'A page of vouchers', schema: page(VoucherRowSchema) } },
      refusals: { 404: 'no such programme' },
    },
    async ({ params, query, deps }) => {
      const row = await deps.db.voucherProgramme.findUnique({
        where: { id: params.id! },
        select: { id: true },
      });
      if (!row) throw unknownProgramme();
      const plan = planList(query, voucherSort, '-issuedAt');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.voucher.findMany({
        where: { AND: [{ programmeId: row.id }, query.status ? { status: query.status } : {}, ks.where] },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const pageRows = pageOf(rows, plan, (r) => r[plan.field.column as 'issuedAt' | 'id']);
      const people = new Map(
        (
          await deps.db.person.findMany({
            where: { personKey: { in: pageRows.items.map((v) => v.personKey) } },
            select: { personKey: true, nameEnc: true, idNumberEnc: true },
          })
        ).map((x) => [x.personKey, x]),
      );
      return {
        json: {
          items: pageRows.items.map((v) => {
            const person = people.get(v.personKey);
            return {
              voucherId: v.id,
              ...(person ? maskedIdentity(deps, person) : { nameMasked: '', idMasked: '' }),
              status: VoucherStatusSchema.parse(v.status),
              issuedAt: v.issuedAt,
              claimedAt: v.claimedAt,
              classId: v.classId,
              redeemedAt: v.redeemedAt,
              expiredAt: v.expiredAt,
            };
          }),
          nextCursor: pageRows.nextCursor,
        },
      };
    },
  );
}
