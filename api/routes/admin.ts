// 系统管理 (ADMIN): the occupation catalogue, policy versions (immutable once a class is bound to one),
// the working-day calendar (open deadlines are recomputed: every open class is signalled), users, API keys.
import { z } from 'zod';
import type { Api } from '../http';
import { listQueryShape, pageOf, planList, prismaKeyset, type Sortable } from '../pagination';
import { ApiKeyBody, BankAccountBody, CalendarBody, UserBody } from '../schemas';
import { problems, ruleProblem } from '../problem';
import { hashPassword } from '../auth/passwords';
import { accessAudit } from '../audit';
import { readableId } from '../auth/tokens';
import { isUniqueViolation } from '../../activities/db';
import { OccupationSchema } from '../../domain/occupations';
import { parsePolicy } from '../../domain/policy';
import { calendarChangedSignal, OPEN_STAGES } from '../../workflows/messages';

const ADMIN = ['ADMIN'] as const;
const listQuery = z.object(listQueryShape);
const SIGNAL_CONCURRENCY = 16;

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < items.length; i += size) {
    const results = await Promise.allSettled(items.slice(i, i + size).map(run));
    for (const r of results) {
      if (r.status === 'fulfilled') ok++;
      else failed++;
    }
  }
  return { ok, failed };
}

export function adminRoutes(api: Api) {
  // ---------- institutions (承训机构 and 评价机构: the payees) ----------
  // Finance reads them to check a payee and corrects a bank account a transfer keeps failing on; every
  // correction is logged with who, which institution and why (the account number itself is not logged).
  const auditSort: Sortable = { at: { column: 'at', type: 'date' }, id: { column: 'id', type: 'string' } };
  const institutionSort: Sortable = {
    id: { column: 'id', type: 'string' },
    name: { column: 'name', type: 'string' },
  };
  api.get(
    '/admin/institutions',
    {
      tag: 'admin',
      summary: '机构 Training institutions and assessment bodies (payees)',
      access: ['ADMIN', 'FINANCE'],
      query: z.object({ ...listQueryShape, kind: z.enum(['TRAINING', 'ASSESSMENT']).optional() }),
    },
    async ({ query, deps }) => {
      const plan = planList(query, institutionSort, 'id');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.institution.findMany({
        where: { AND: [ks.where, query.kind ? { kind: query.kind } : {}] },
        orderBy: ks.orderBy as never,
        take: ks.take,
        select: {
          id: true,
          name: true,
          kind: true,
          district: true,
          creditCode: true,
          bankAccount: true,
          validFrom: true,
          validTo: true,
        },
      });
      return { json: pageOf(rows, plan, (r) => r[plan.field.column as 'id' | 'name']) };
    },
  );
  api.post(
    '/admin/institutions/:id/bank-account',
    {
      tag: 'admin',
      summary: '更正收款账户 Correct an institution’s bank account',
      description:
        'For a transfer the bank keeps refusing: correct the account, then approve the batch again (its CORRECT_PAYMENT task). Later transfers read the corrected account.',
      access: ['ADMIN', 'FINANCE'],
      body: BankAccountBody,
    },
    async ({ params, body, deps, principal, req }) => {
      const org = await deps.db.institution.findUnique({ where: { id: params.id! } });
      if (!org) throw problems.notFound({ zh: '机构不存在', en: 'No such institution' });
      const bankAccount = body.bankAccount.replace(/\s/g, '');
      if (bankAccount === org.bankAccount.replace(/\s/g, ''))
        throw problems.conflict('BANK_ACCOUNT_UNCHANGED', {
          zh: '新账号与原账号相同',
          en: 'The new account is the same as the old one',
        });
      const last4 = (v: string) => `…${v.slice(-4)}`;
      // The correction and its record land together or not at all.
      await deps.db.$transaction([
        deps.db.institution.update({ where: { id: org.id }, data: { bankAccount } }),
        deps.db.accessAudit.create(
          accessAudit(req, principal!, 'BANK_ACCOUNT_CORRECTED', org.id, {
            reason: body.reason,
            detail: { from: last4(org.bankAccount.replace(/\s/g, '')), to: last4(bankAccount) },
          }),
        ),
      ]);
      return { json: { id: org.id, bankAccount } };
    },
  );

  api.get(
    '/admin/audit',
    {
      tag: 'admin',
      summary: '留痕 Staff actions on payees and personal data',
      description: 'Newest first. Filters: action, subject (institution or class id), userId.',
      access: ['ADMIN', 'MANAGER'],
      query: z.object({
        ...listQueryShape,
        action: z.enum(['BANK_ACCOUNT_CORRECTED', 'PII_REVEALED']).optional(),
        subject: z.string().max(160).optional(),
        userId: z.string().max(160).optional(),
      }),
    },
    async ({ query, deps }) => {
      const plan = planList(query, auditSort, '-at');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.accessAudit.findMany({
        where: {
          AND: [
            ks.where,
            query.action ? { action: query.action } : {},
            query.subject ? { subject: query.subject } : {},
            query.userId ? { userId: query.userId } : {},
          ],
        },
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      return {
        json: pageOf(
          rows.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as unknown) : null })),
          plan,
          (r) => (plan.field.column === 'at' ? r.at : r.id),
        ),
      };
    },
  );

  // ---------- occupations (职业目录及补贴标准) ----------
  const occupationSort: Sortable = { code: { column: 'code', type: 'string' } };
  api.get(
    '/admin/occupations',
    { tag: 'admin', summary: '职业目录 The occupation catalogue', access: ADMIN, query: listQuery },
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
      body: OccupationSchema,
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

  // ---------- policy versions ----------
  const policySort: Sortable = {
    effectiveFrom: { column: 'effectiveFrom', type: 'string' },
    id: { column: 'id', type: 'string' },
  };
  api.get(
    '/admin/policies',
    { tag: 'admin', summary: '政策版本 Policy versions', access: ADMIN, query: listQuery },
    async ({ query, deps }) => {
      const plan = planList(query, policySort, '-effectiveFrom');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.policyVersion.findMany({
        where: ks.where,
        orderBy: ks.orderBy as never,
        take: ks.take,
      });
      const page = pageOf(rows, plan, (r) => r[plan.field.column as 'effectiveFrom' | 'id']);
      return {
        json: {
          items: page.items.map((r) => ({ ...r, document: JSON.parse(r.document) as unknown })),
          nextCursor: page.nextCursor,
        },
      };
    },
  );
  api.post(
    '/admin/policies',
    {
      tag: 'admin',
      summary: '新增政策版本 Create (or fix an unused) policy version',
      description:
        'The body is the policy document (domain/policy.ts). A version any class is bound to is immutable (409 POLICY_IN_USE).',
      access: ADMIN,
      body: z.record(z.string(), z.unknown()),
    },
    async ({ body, deps }) => {
      const parsed = parsePolicy(body);
      if (!parsed.ok) throw ruleProblem(parsed.violations);
      const p = parsed.value;
      const bound = await deps.db.trainingClass.count({ where: { policyVersionId: p.id } });
      if (bound)
        throw problems.conflict('POLICY_IN_USE', {
          zh: `已有${bound}个班级适用该政策版本，不能修改；请新建版本`,
          en: `${bound} class(es) run under this version: it cannot change; create a new version`,
        });
      const data = { region: p.region, effectiveFrom: p.effectiveFrom, document: JSON.stringify(p) };
      await deps.db.policyVersion.upsert({
        where: { id: p.id },
        create: { id: p.id, ...data },
        update: data,
      });
      return { status: 201, json: { id: p.id } };
    },
  );

  // ---------- working-day calendar ----------
  api.get(
    '/admin/calendar',
    {
      tag: 'admin',
      summary: '工作日历 Calendar entries and announced years',
      access: ADMIN,
      query: listQuery,
    },
    async ({ query, deps }) => {
      const plan = planList(query, { date: { column: 'date', type: 'string' } }, 'date');
      const ks = prismaKeyset(plan, 'date');
      const [rows, years] = await Promise.all([
        deps.db.calendarDay.findMany({ where: ks.where, orderBy: ks.orderBy as never, take: ks.take }),
        deps.db.calendarYear.findMany({ orderBy: { year: 'asc' } }),
      ]);
      const page = pageOf(
        rows.map((r) => ({ id: r.date, ...r })),
        plan,
        (r) => r.date,
      );
      return { json: { ...page, announcedYears: years.map((y) => y.year) } };
    },
  );
  api.post(
    '/admin/calendar',
    {
      tag: 'admin',
      summary: '录入节假日安排 Enter holidays, make-up working days and announced years',
      description: 'Every open class workflow is signalled so its deadlines are recomputed.',
      access: ADMIN,
      body: CalendarBody,
    },
    async ({ body, principal, deps }) => {
      await deps.db.$transaction([
        ...body.entries.map((e) =>
          deps.db.calendarDay.upsert({
            where: { date: e.date },
            create: { date: e.date, kind: e.kind, name: e.name ?? null, createdBy: principal!.userId },
            update: { kind: e.kind, name: e.name ?? null, createdBy: principal!.userId },
          }),
        ),
        ...body.announcedYears.map((year) =>
          deps.db.calendarYear.upsert({ where: { year }, create: { year }, update: {} }),
        ),
      ]);
      const open = await deps.db.trainingClass.findMany({
        where: { stage: { in: [...OPEN_STAGES] } },
        select: { id: true },
      });
      const signalled = await inBatches(open, SIGNAL_CONCURRENCY, (c) =>
        deps.temporal.workflow.getHandle(c.id).signal(calendarChangedSignal),
      );
      return { json: { entries: body.entries.length, announcedYears: body.announcedYears, signalled } };
    },
  );

  // ---------- users ----------
  const userSort: Sortable = {
    username: { column: 'username', type: 'string' },
    createdAt: { column: 'createdAt', type: 'date' },
    id: { column: 'id', type: 'string' },
  };
  api.get(
    '/admin/users',
    { tag: 'admin', summary: '用户 Users', access: ADMIN, query: listQuery },
    async ({ query, deps }) => {
      const plan = planList(query, userSort, 'username');
      const ks = prismaKeyset(plan);
      const rows = await deps.db.user.findMany({
        where: ks.where,
        orderBy: ks.orderBy as never,
        take: ks.take,
        omit: { passwordHash: true },
      });
      return { json: pageOf(rows, plan, (r) => r[plan.field.column as 'username' | 'createdAt' | 'id']) };
    },
  );
  api.post(
    '/admin/users',
    { tag: 'admin', summary: '新增用户 Create a user', access: ADMIN, body: UserBody },
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

  // ---------- API keys ----------
  const keySort: Sortable = {
    createdAt: { column: 'createdAt', type: 'date' },
    id: { column: 'id', type: 'string' },
  };
  api.get(
    '/admin/api-keys',
    { tag: 'admin', summary: 'API密钥 API keys (prefixes only)', access: ADMIN, query: listQuery },
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
      return { status: 201, json: await services.apiKeys.issue(body.institutionId, body.label) };
    },
  );
  api.delete(
    '/admin/api-keys/:id',
    { tag: 'admin', summary: '吊销 Revoke an API key', access: ADMIN },
    async ({ params, services }) => {
      if (!(await services.apiKeys.revoke(params.id!)))
        throw problems.notFound({ zh: '密钥不存在或已吊销', en: 'No such active key' });
      return { status: 204 };
    },
  );
  api.post(
    '/admin/api-keys/:id/rotate',
    { tag: 'admin', summary: '轮换 Rotate an API key (the old one stops working)', access: ADMIN },
    async ({ params, services }) => {
      const issued = await services.apiKeys.rotate(params.id!);
      if (!issued) throw problems.notFound({ zh: '密钥不存在或已吊销', en: 'No such active key' });
      return { status: 201, json: issued };
    },
  );
}
