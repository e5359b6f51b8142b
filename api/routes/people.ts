// 终身职业技能培训电子档案 (issue 16 point 1): one person's whole record across classes, for the bureau's staff —
// every class, attendance, assessment result and certificate, employment at follow-up, each subsidy paid or held,
// and what remains of the policy's caps (domain/record.ts, from the enrolment rules). Looked up by ID number in the
// body (never in a URL), with a reason: every look-up is on the access audit (PERSON_RECORD_VIEWED), found or not.
// Names and ID numbers are masked here as everywhere; a class's roster reveal shows them in clear.
import { z } from 'zod';
import type { Api } from '../http';
import { accessAudit } from '../audit';
import { problems, ruleProblem } from '../problem';
import { text } from '../schemas';
import { PersonRecordSchema } from '../responses';
import { policyInForce, todayInShanghai } from '../planContext';
import { decryptField, keyFromEnv, personKey } from '../../domain/pii';
import { parseIdNumber } from '../../domain/identity';
import { maskIdNumber, maskName } from '../../domain/masking';
import { entitlementsOf } from '../../domain/record';
import { TraineeCategorySchema } from '../../domain/categories';
import type { SubsidyRecord } from '../../domain/eligibility';
import type { Level } from '../../domain/occupations';
import type { Stage } from '../../workflows/messages';

/** 查阅档案: whose record (the ID number) and why (the access audit's basis). */
export const PersonRecordBody = z.strictObject({
  idNumber: z.string().max(64),
  reason: text(500, 2),
});

const READERS = ['CASEWORKER', 'MANAGER', 'FINANCE'] as const;

export function peopleRoutes(api: Api): void {
  api.post(
    '/people/record',
    {
      tag: 'cases',
      summary: '人员培训档案 A person’s lifelong training record',
      description:
        "Every class the person was enrolled in (attendance, assessment, certificate, employment, subsidy), every subsidy paid or held for them, and what is left of the policy's caps: training and evaluation subsidies, and the levels a new training subsidy can no longer take. The ID number goes in the body; the reason is recorded in the access audit (PERSON_RECORD_VIEWED) with every look-up, found or not. Names and ID numbers are masked. Not kept by Idempotency-Key.",
      access: READERS,
      body: PersonRecordBody,
      idempotency: false,
      responses: { 200: { description: 'The record', schema: PersonRecordSchema } },
      refusals: {
        404: 'nobody with this ID number is registered here',
        422: 'not a valid ID number (path idNumber)',
      },
    },
    async ({ body, principal, deps, req }) => {
      const parsed = parseIdNumber(body.idNumber);
      if (!parsed.ok) throw ruleProblem(parsed.violations.map((v) => ({ ...v, field: 'idNumber' })));
      const key = personKey(body.idNumber, deps.settings.personKeySecret);
      const person = await deps.db.person.findUnique({ where: { personKey: key } });
      const enrollments = person
        ? await deps.db.enrollment.findMany({ where: { personKey: key }, orderBy: { createdAt: 'asc' } })
        : [];
      // On the record before anything is shown: who looked, whose record (its pseudonymous key), why.
      await deps.db.accessAudit.create(
        accessAudit(req, principal!, 'PERSON_RECORD_VIEWED', key, {
          reason: body.reason,
          detail: { found: !!person, classes: enrollments.length },
        }),
      );
      if (!person)
        throw problems.notFound({
          zh: '未查到该人员：尚未在本系统登记',
          en: 'Nobody with this ID number is registered here',
        });

      const classIds = [...new Set(enrollments.map((e) => e.classId))];
      const [classes, lines, records, policy] = await Promise.all([
        deps.db.trainingClass.findMany({ where: { id: { in: classIds } } }),
        deps.db.subsidyLine.findMany({
          where: { enrollmentId: { in: enrollments.map((e) => e.id) } },
          orderBy: { id: 'asc' },
        }),
        deps.db.subsidyRecord.findMany({ where: { personKey: key }, orderBy: { createdAt: 'asc' } }),
        policyInForce(deps, todayInShanghai()),
      ]);
      const byId = new Map(classes.map((c) => [c.id, c]));
      const [institutions, occupations] = await Promise.all([
        deps.db.institution.findMany({
          where: { id: { in: [...new Set(classes.map((c) => c.institutionId))] } },
          select: { id: true, name: true },
        }),
        deps.db.occupation.findMany({
          where: { code: { in: [...new Set([...classes, ...records].map((c) => c.occupationCode))] } },
          select: { code: true, nameZh: true, nameEn: true },
        }),
      ]);
      const institutionName = new Map(institutions.map((i) => [i.id, i.name]));
      const occupationName = new Map(occupations.map((o) => [o.code, { zh: o.nameZh, en: o.nameEn }]));
      const pii = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
      const open = (enc: string) => {
        try {
          return decryptField(enc, pii);
        } catch {
          return '';
        }
      };
      const name = open(person.nameEnc);
      const idNumber = open(person.idNumberEnc);
      const latest = enrollments[enrollments.length - 1];
      const history = records.map((r) => r as SubsidyRecord); // the rows reserveTrainees wrote, as the rules read them
      const entitlements = entitlementsOf(
        {
          personKey: key,
          birthDate: person.birthDate,
          sex: person.sex === 'F' ? 'F' : 'M',
          category: TraineeCategorySchema.catch('REGISTERED_UNEMPLOYED').parse(latest?.category),
        },
        history,
        policy,
      );
      return {
        headers: { 'Cache-Control': 'no-store' },
        json: {
          person: {
            nameMasked: name ? maskName(name) : '',
            idMasked: idNumber ? maskIdNumber(idNumber) : '',
            birthDate: person.birthDate,
            sex: person.sex,
          },
          classes: enrollments.map((e) => {
            const c = byId.get(e.classId);
            return {
              enrollmentId: e.id,
              classId: e.classId,
              title: c?.title ?? null,
              institutionId: c?.institutionId ?? null,
              institutionName: c ? (institutionName.get(c.institutionId) ?? null) : null,
              occupationCode: c?.occupationCode ?? null,
              occupationName: c ? (occupationName.get(c.occupationCode) ?? null) : null,
              level: c ? (c.level as Level) : null,
              plannedStart: c?.plannedStart ?? null,
              plannedEnd: c?.plannedEnd ?? null,
              classHours: c?.classHours ?? null,
              stage: c ? (c.stage as Stage) : null,
              category: e.category,
              status: e.status,
              attendedHours: e.attendedHours,
              assessment: e.assessment,
              certificateNo: e.certificateNo,
              employed: e.employed,
              tier: e.tier,
              amountFen: e.amountFen,
            };
          }),
          payments: lines.map((l) => ({
            lineId: l.id,
            classId: l.classId,
            enrollmentId: l.enrollmentId,
            kind: l.kind,
            payee: l.payee,
            amountFen: l.amountFen,
            status: l.status,
          })),
          subsidies: history.map((r) => ({
            kind: r.kind,
            classId: r.classId,
            occupationCode: r.occupationCode,
            occupationName: occupationName.get(r.occupationCode) ?? null,
            level: r.level,
            periodStart: r.periodStart,
            periodEnd: r.periodEnd,
            status: r.status,
          })),
          entitlements: {
            ...entitlements,
            closedLevels: entitlements.closedLevels.map((c) => ({
              ...c,
              occupationName: occupationName.get(c.occupationCode) ?? null,
            })),
          },
          policyVersionId: policy.id,
        },
      };
    },
  );
}
