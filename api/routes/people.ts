// 终身职业技能培训电子档案 (issue 16 point 1): one person's whole record across classes, for the bureau's staff —
// every class, attendance, assessment result and certificate, employment at follow-up, each subsidy paid or held,
// and what remains of the policy's caps (domain/record.ts, from the enrolment rules). Looked up by ID number in the
// body (never in a URL), with a reason: every look-up is on the access audit (PERSON_RECORD_VIEWED), found or not.
// Names and ID numbers are masked here as everywhere; a class's roster reveal shows them in clear.
import { z } from 'zod';
import type { Api } from '../http';
import { accessAudit } from '../audit';
import { problems } from '../problem';
import { text } from '../schemas';
import { PersonRecordSchema } from '../responses';
import { checkIdNumber, enrollmentsOf, personRecord } from '../personRecord';
import { personKey } from '../../domain/pii';

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
      checkIdNumber(body.idNumber);
      const key = personKey(body.idNumber, deps.settings.personKeySecret);
      const person = await deps.db.person.findUnique({ where: { personKey: key } });
      const enrollments = person ? await enrollmentsOf(deps, key) : [];
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

      return {
        headers: { 'Cache-Control': 'no-store' },
        json: await personRecord(deps, person, enrollments),
      };
    },
  );
}
