// 终身职业技能培训电子档案: one person's record as the staff's look-up (routes/people.ts) and the person's own
// self-service page (routes/selfService.ts) show it — every class with its outcome, the subsidy lines of their
// enrolments, the attendance lesson by lesson, objections to the person's lines, every subsidy counted against
// the caps, and what is left (domain/record.ts). Masked.
import type { Person } from '@prisma/client';
import type { z } from 'zod';
import type { AppDeps } from './context';
import { VoucherStatusSchema, type PersonRecordSchema } from './responses';
import { policyInForce, todayInShanghai } from './planContext';
import { ruleProblem } from './problem';
import { parseIdNumber } from '../domain/identity';
import { decryptField, keyFromEnv } from '../domain/pii';
import { maskIdNumber, maskName } from '../domain/masking';
import { entitlementsOf } from '../domain/record';
import { programmeOf } from '../domain/vouchers';
import { surveyState } from '../domain/performance';
import { TraineeCategorySchema } from '../domain/categories';
import type { SubsidyRecord } from '../domain/eligibility';
import type { Level } from '../domain/occupations';
import type { Stage } from '../workflows/messages';

/** An ID number a person is looked up by: 422 on the field (ID_FORMAT, a wrong check digit…) unless it is one. */
export function checkIdNumber(idNumber: string): void {
  const parsed = parseIdNumber(idNumber);
  if (!parsed.ok) throw ruleProblem(parsed.violations.map((v) => ({ ...v, field: 'idNumber' })));
}

/** A person's name and ID number masked, as every list shows them ('' where the stored value cannot be read). */
export function maskedIdentity(
  deps: AppDeps,
  row: { nameEnc: string; idNumberEnc: string },
): { nameMasked: string; idMasked: string } {
  const pii = keyFromEnv(deps.settings.piiKey, 'SKILLFLOW_PII_KEY');
  const open = (enc: string) => {
    try {
      return decryptField(enc, pii);
    } catch {
      return '';
    }
  };
  const name = open(row.nameEnc);
  const idNumber = open(row.idNumberEnc);
  return { nameMasked: name ? maskName(name) : '', idMasked: idNumber ? maskIdNumber(idNumber) : '' };
}

export async function enrollmentsOf(deps: AppDeps, personKey: string) {
  // enrolment order; the id breaks a tie (two enrolments in one millisecond)
  return deps.db.enrollment.findMany({
    where: { personKey },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

export async function personRecord(
  deps: AppDeps,
  person: Person,
  enrollments: Awaited<ReturnType<typeof enrollmentsOf>>,
): Promise<z.output<typeof PersonRecordSchema>> {
  const key = person.personKey;
  const invitations = await deps.db.invitation.findMany({
    where: { personKey: person.personKey },
    orderBy: { sentAt: 'desc' },
    take: 50,
  });
  const classIds = [...new Set([...enrollments.map((e) => e.classId), ...invitations.map((i) => i.classId)])];
  const vouchers = await personVouchers(deps, person.personKey);
  const enrollmentIds = enrollments.map((e) => e.id);
  const [classes, lines, records, policy, surveys, lessons] = await Promise.all([
    deps.db.trainingClass.findMany({ where: { id: { in: classIds } } }),
    deps.db.subsidyLine.findMany({
      where: { enrollmentId: { in: enrollmentIds } },
      orderBy: { id: 'asc' },
    }),
    deps.db.subsidyRecord.findMany({
      where: { personKey: key },
      // in the order they were taken; within one moment by class, a class's training subsidy before its evaluation
      orderBy: [{ createdAt: 'asc' }, { classId: 'asc' }, { kind: 'desc' }],
    }),
    policyInForce(deps, todayInShanghai()),
    deps.db.satisfactionSurvey.findMany({
      where: { enrollmentId: { in: enrollmentIds } },
      select: { enrollmentId: true },
    }),
    deps.db.attendanceRecord.findMany({
      where: { enrollmentId: { in: enrollmentIds } },
      orderBy: [{ lessonDate: 'asc' }, { lessonNo: 'asc' }],
    }),
  ]);
  // Objections to the person's own lines; the objector's contact is never part of a record.
  const objections = lines.length
    ? await deps.db.objection.findMany({
        where: { lineId: { in: lines.map((l) => l.id) } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: {
          id: true,
          classId: true,
          lineId: true,
          reason: true,
          status: true,
          resolution: true,
          createdAt: true,
        },
      })
    : [];

  const answered = new Set(surveys.map((s) => s.enrollmentId));
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
    person: {
      ...maskedIdentity(deps, person),
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
        survey: surveyState(c?.stage ?? null, e.status, answered.has(e.id)),
        lessons: lessons
          .filter((l) => l.enrollmentId === e.id)
          .map(({ lessonDate, lessonNo, status, hours }) => ({ lessonDate, lessonNo, status, hours })),
      };
    }),
    objections: objections.map((o) => ({
      objectionId: o.id,
      classId: o.classId,
      lineId: o.lineId,
      reason: o.reason,
      status: o.status,
      resolution: o.resolution,
      createdAt: o.createdAt,
    })),
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
    invitations: invitations.map((i) => {
      const c = byId.get(i.classId);
      return {
        invitationId: i.id,
        classId: i.classId,
        title: c?.title ?? null,
        institutionName: c ? (institutionName.get(c.institutionId) ?? null) : null,
        plannedStart: c?.plannedStart ?? null,
        plannedEnd: c?.plannedEnd ?? null,
        stage: c ? (c.stage as Stage) : null,
        status: i.status as 'SENT' | 'ACCEPTED' | 'DECLINED',
        sentAt: i.sentAt,
      };
    }),
    vouchers,
  };
}

/** 电子培训券: the person's vouchers with what their programme says, newest first. */
export async function personVouchers(deps: AppDeps, personKey: string) {
  const rows = await deps.db.voucher.findMany({
    where: { personKey },
    orderBy: [{ issuedAt: 'desc' }, { id: 'asc' }],
    take: 50,
  });
  const programmes = new Map(
    (
      await deps.db.voucherProgramme.findMany({
        where: { id: { in: [...new Set(rows.map((v) => v.programmeId))] } },
      })
    ).map((p) => [p.id, programmeOf(p)]),
  );
  return rows.flatMap((v) => {
    const p = programmes.get(v.programmeId);
    if (!p) return [];
    return [
      {
        voucherId: v.id,
        programmeId: p.id,
        programmeName: p.name,
        occupationCodes: p.occupationCodes,
        levels: p.levels,
        institutionIds: p.institutionIds,
        validFrom: p.validFrom,
        validUntil: p.validUntil,
        status: VoucherStatusSchema.parse(v.status),
        classId: v.classId,
        issuedAt: v.issuedAt,
      },
    ];
  });
}
