// 政策版本: policy versions; a version any class is bound to is immutable.
import { z } from 'zod';
import type { Api } from '../../http';
import { pageOf, planList, prismaKeyset, type Sortable } from '../../pagination';
import { fieldErrorOf, problems, ruleProblem, zodProblem, type FieldError } from '../../problem';
import { parsePolicy, PolicyVersionSchema, type PolicyVersion } from '../../../domain/policy';
import { checkText } from '../../../domain/text';
import { ADMIN, listQuery } from './shared';
import { page, PolicyRowSchema, PolicySaved } from '../../responses';

/** The document's human-readable text (its name, region and funding channels) under domain/text.ts's rule. */
function unsafeText(p: PolicyVersion): FieldError[] {
  const texts: [string, string][] = [
    ['id', p.id],
    ['name.zh', p.name.zh],
    ['name.en', p.name.en],
    ['region', p.region],
    ...p.fundingChannels.map((f, i): [string, string] => [`fundingChannels.${i}`, f]),
  ];
  return texts.flatMap(([field, text]) => {
    const v = checkText(text, field);
    return v ? [fieldErrorOf(v)] : [];
  });
}

export function policyRoutes(api: Api) {
  const policySort: Sortable = {
    effectiveFrom: { column: 'effectiveFrom', type: 'string' },
    id: { column: 'id', type: 'string' },
  };
  api.get(
    '/admin/policies',
    {
      tag: 'admin',
      summary: '政策版本 Policy versions',
      access: ADMIN,
      query: listQuery,
      responses: { 200: { description: 'A page of policy versions', schema: page(PolicyRowSchema) } },
    },
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
          items: page.items.map((r) => ({
            ...r,
            document: JSON.parse(r.document) as Record<string, unknown>,
          })),
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
      responses: { 201: { description: 'Saved', schema: PolicySaved } },
      refusals: {
        400: 'its id, name, region or a funding channel has a control, bidi or invisible character (TEXT_UNSAFE_CHARACTER)',
        409: 'a class runs under this version (POLICY_IN_USE): create a new one',
        422: 'the document breaks a rule of domain/policy.ts',
      },
    },
    async ({ body, deps }) => {
      // A key the policy schema does not know is a malformed request (400 naming it), not a rule (422).
      const unknown = PolicyVersionSchema.safeParse(body).error?.issues.filter(
        (i) => i.code === 'unrecognized_keys',
      );
      if (unknown?.length) throw zodProblem(unknown);
      const parsed = parsePolicy(body);
      if (!parsed.ok) throw ruleProblem(parsed.violations);
      const p = parsed.value;
      // Unsafe text is malformed input (400 naming the field), as in every other write.
      const unsafe = unsafeText(p);
      if (unsafe.length) throw problems.badRequest(unsafe[0]!.code, unsafe[0]!.message, unsafe);
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
}
