// Every side effect of a class: the read-model projection, look-ups, reservations, notices, payments.
// Built by a factory that receives its dependencies (STYLE.md), so tests pass real or in-memory parts.
import { ApplicationFailure, asyncLocalStorage, log } from '@temporalio/activity';
import { isPostgres, isUniqueViolation, type Db } from '../platform/db';
import type { PaymentGateway } from './payments';
import type {
  CaseEvent,
  DeadlineRequest,
  EvaluationRequest,
  Notification,
  NoticeRequest,
  PaymentSubmission,
  ReserveRequest,
} from './types';
import type { EnrolResult } from '../workflows/messages';
import { applyCaseEvent } from './projection';
import { expireVouchers, redeemVouchers, releaseVouchers, reserveVouchers, vouchersFor } from './vouchers';
import { loadCalendar, loadPolicy } from '../platform/catalogue';
import { daysPeriod, monthsPeriod, workingDaysPeriod, type Deadline } from '../domain/calendar';
import { shanghaiDate } from '../domain/dates';
import {
  checkEvaluationEligibility,
  checkRoster,
  type Applicant,
  type SubsidyRecord,
} from '../domain/eligibility';
import { decryptField } from '../domain/pii';
import { maskIdNumber, maskName } from '../domain/masking';
import type { Level } from '../domain/occupations';
import { PolicyVersionSchema, type PolicyVersion } from '../domain/policy';

export interface ActivityDeps {
  db: Db;
  payments: PaymentGateway;
  piiKey: Buffer;
  /** the region whose policy versions apply (a city bureau runs one region's policy) */
  region: string;
}

export function createActivities({ db, payments, piiKey, region }: ActivityDeps) {
  /** The check and the reservation in one transaction (see reserveTrainees). */
  function reserve(req: ReserveRequest, policy: PolicyVersion): Promise<EnrolResult> {
    return db.$transaction(async (tx) => {
      const keys = req.trainees.map((t) => t.personKey);
      // Two classes enrolling the same person at once must not both take her last subsidy. SQLite has one
      // writer at a time (every transaction begins IMMEDIATE, see db.ts); on PostgreSQL the applicants' rows
      // are locked, in a fixed order, until this transaction ends.
      if (isPostgres(db) && keys.length)
        // ANY($1) with an array: a Prisma.join fragment from the SQLite client's namespace is not recognised by
        // the PostgreSQL client.
        await tx.$queryRaw`SELECT "personKey" FROM "Person" WHERE "personKey" = ANY(${[...keys].sort()}) ORDER BY "personKey" FOR UPDATE`;
      const people = new Map(
        (await tx.person.findMany({ where: { personKey: { in: keys } } })).map((p) => [p.personKey, p]),
      );
      const history = await tx.subsidyRecord.findMany({
        where: { personKey: { in: keys }, status: { in: ['RESERVED', 'PAID'] } },
      });
      const byPerson = new Map<string, SubsidyRecord[]>();
      for (const h of history)
        byPerson.set(h.personKey, [...(byPerson.get(h.personKey) ?? []), h as unknown as SubsidyRecord]);
      const refused: EnrolResult['refused'] = [];
      const applicants: Applicant[] = [];
      const applicantEnrollment: string[] = []; // applicants[i] applies as applicantEnrollment[i]
      // One enrolment per (class, person): the same enrolment again (a retried activity) is a no-op, the
      // person on the roster under another enrolment is a refusal, a withdrawn person may enrol again.
      const onClass = new Map(
        (
          await tx.enrollment.findMany({
            where: { classId: req.classId, personKey: { in: keys } },
            select: { id: true, personKey: true, status: true },
          })
        ).map((e) => [e.personKey, e]),
      );
      const replaced: { id: string; personKey: string }[] = [];
      for (const t of req.trainees) {
        const p = people.get(t.personKey);
        const earlier = onClass.get(t.personKey);
        if (earlier && earlier.id !== t.enrollmentId && earlier.status === 'ENROLLED') {
          refused.push({
            enrollmentId: t.enrollmentId,
            violations: [
              {
                code: 'ALREADY_ENROLLED',
                field: 'personKey',
                zh: '该学员已在本班花名册中',
                en: 'This person is already on the roster',
              },
            ],
          });
          continue;
        }
        if (earlier && earlier.id !== t.enrollmentId) replaced.push(earlier);
        if (!p)
          refused.push({
            enrollmentId: t.enrollmentId,
            violations: [
              { code: 'PERSON_UNKNOWN', field: 'personKey', zh: '未登记的人员', en: 'Unknown person' },
            ],
          });
        else {
          applicantEnrollment.push(t.enrollmentId);
          applicants.push({
            personKey: t.personKey,
            birthDate: p.birthDate,
            sex: p.sex as 'M' | 'F',
            category: t.category,
            exclusions: t.exclusions,
          });
        }
      }
      const slot = {
        classId: req.classId,
        occupationCode: req.occupationCode,
        level: req.level,
        periodStart: req.periodStart,
        periodEnd: req.periodEnd,
      };
      const checked = checkRoster(applicants, slot, byPerson, {
        ...policy,
        caps: { ...policy.caps, traineesPerClass: Math.max(req.capacityLeft, 0) },
      });
      for (const c of checked)
        if (c.violations.length)
          refused.push({
            enrollmentId: applicantEnrollment[c.index]!,
            violations: c.violations,
          });
      // 电子培训券: each enrolment takes the person's claimed voucher usable here; a roster that requires one
      // refuses a person without (activities/vouchers.ts).
      const vouchers = await vouchersFor(
        tx,
        {
          classId: req.classId,
          occupationCode: req.occupationCode,
          level: req.level,
          institutionId: req.institutionId,
          onDate: shanghaiDate(new Date().toISOString()),
        },
        req.trainees.filter((t) => !refused.some((r) => r.enrollmentId === t.enrollmentId)),
      );
      for (const [enrollmentId, violations] of vouchers.refused) refused.push({ enrollmentId, violations });
      if (refused.length && !req.validOnly) return { enrolled: [], refused };
      const refusedIds = new Set(refused.map((r) => r.enrollmentId));
      const accepted = req.trainees.filter((t) => !refusedIds.has(t.enrollmentId));
      const acceptedKeys = new Set(accepted.map((t) => t.personKey));
      const stale = replaced.filter((r) => acceptedKeys.has(r.personKey)).map((r) => r.id);
      // A withdrawn person enrolled again: her earlier (withdrawn) enrolment gives way to the new one.
      if (stale.length) await tx.enrollment.deleteMany({ where: { id: { in: stale }, status: 'WITHDRAWN' } });
      for (const t of accepted) {
        const id = `${req.classId}:${t.personKey}:TRAINING`;
        const data = {
          personKey: t.personKey,
          kind: 'TRAINING',
          classId: req.classId,
          occupationCode: req.occupationCode,
          level: req.level,
          periodStart: req.periodStart,
          periodEnd: req.periodEnd,
          status: 'RESERVED',
        };
        await tx.subsidyRecord.upsert({
          where: { id },
          create: { id, ...data },
          update: { status: 'RESERVED' },
        });
        await tx.enrollment.upsert({
          where: { id: t.enrollmentId },
          create: {
            id: t.enrollmentId,
            classId: req.classId,
            personKey: t.personKey,
            category: t.category,
          },
          update: { status: 'ENROLLED' },
        });
      }
      await reserveVouchers(
        tx,
        req.classId,
        new Map([...vouchers.chosen].filter(([enrollmentId]) => !refusedIds.has(enrollmentId))),
      );
      return { enrolled: accepted.map((t) => t.enrollmentId), refused };
    });
  }

  return {
    /** The policy version in force today and the occupation's standard; `bind` records it on the class. */
    async bindPolicy({
      classId,
      occupationCode,
      level,
      bind,
    }: {
      classId: string;
      occupationCode: string;
      level: Level;
      bind: boolean;
    }) {
      const today = shanghaiDate(new Date().toISOString());
      const row = await db.policyVersion.findFirst({
        where: { region, effectiveFrom: { lte: today } },
        orderBy: { effectiveFrom: 'desc' },
      });
      if (!row) throw ApplicationFailure.nonRetryable('no policy version in force', 'NO_POLICY');
      const policy: PolicyVersion = PolicyVersionSchema.parse(JSON.parse(row.document));
      const std = await db.occupationLevel.findUnique({
        where: { occupationCode_level: { occupationCode, level } },
        include: { occupation: true },
      });
      if (!std)
        throw ApplicationFailure.nonRetryable(
          `occupation ${occupationCode} has no ${level} standard`,
          'NO_STANDARD',
        );
      if (bind)
        await db.trainingClass.updateMany({ where: { id: classId }, data: { policyVersionId: policy.id } });
      return {
        policy,
        standard: {
          level: std.level as Level,
          standardFen: std.standardFen,
          evaluationFen: std.evaluationFen,
          minHours: std.minHours,
        },
        newOccupation: std.occupation.newOccupation,
      };
    },

    /** DOMAIN.md "How time is counted": every clock of a case comes from here. */
    async computeDeadline({ from, rule, n, clock }: DeadlineRequest): Promise<Deadline> {
      if (clock) {
        // Compressed clock (demo and benchmark policies): a day lasts clock.secondsPerDay seconds.
        const days = rule === 'MONTHS' ? n * 30 : n;
        const dueAt = new Date(Date.parse(from) + days * clock.secondsPerDay * 1000).toISOString();
        return { endDate: shanghaiDate(dueAt), dueAt, provisional: false };
      }
      const calendar = await loadCalendar(db);
      const eventDate = shanghaiDate(from);
      if (rule === 'WORKING_DAYS') return workingDaysPeriod(calendar, eventDate, n);
      if (rule === 'DAYS') return daysPeriod(calendar, eventDate, n);
      return monthsPeriod(calendar, eventDate, n);
    },

    async project(event: CaseEvent): Promise<void> {
      await applyCaseEvent(db, event);
    },

    /**
     * 实名制 enrolment: checks each applicant against everything the person has had or holds (including
     * reservations of other running classes) and reserves the subsidy in the same transaction, so two
     * classes cannot both take a person's last subsidy. All-or-nothing unless validOnly.
     */
    async reserveTrainees(req: ReserveRequest): Promise<EnrolResult> {
      const policy = await loadPolicy(db, req.policyId);
      return reserve(req, policy).catch((err: unknown) => {
        // Two enrolments of one person can only meet here if the class workflow's roster lock was bypassed:
        // a refusal, never a retry that fails the same way for ever.
        if (isUniqueViolation(err))
          throw ApplicationFailure.create({
            type: 'ALREADY_ENROLLED',
            message: 'This person is already on the roster',
            nonRetryable: true,
            details: [
              {
                code: 'ALREADY_ENROLLED',
                field: 'trainees',
                zh: '该学员已在本班花名册中',
                en: 'This person is already on the roster',
              },
            ],
          });
        throw err;
      });
    },

    async releaseTrainee({ classId, personKey }: { classId: string; personKey: string }) {
      await db.$transaction(async (tx) => {
        await tx.subsidyRecord.updateMany({
          where: { classId, personKey, kind: 'TRAINING' },
          data: { status: 'RELEASED' },
        });
        await releaseVouchers(tx, { classId, personKey });
      });
    },

    /** 职业技能评价补贴: who of the passed trainees earns the evaluation subsidy for the assessment body. */
    async checkEvaluation(req: EvaluationRequest): Promise<{ eligible: string[] }> {
      const policy = await loadPolicy(db, req.policyId);
      const keys = req.trainees.map((t) => t.personKey);
      const people = new Map(
        (await db.person.findMany({ where: { personKey: { in: keys } } })).map((p) => [p.personKey, p]),
      );
      const history = await db.subsidyRecord.findMany({
        where: {
          personKey: { in: keys },
          kind: 'EVALUATION',
          status: { in: ['RESERVED', 'PAID'] },
          classId: { not: req.classId },
        },
      });
      const eligible: string[] = [];
      for (const t of req.trainees) {
        const p = people.get(t.personKey);
        if (!p || t.certificate === 'FAILED') continue;
        const mine = history.filter((h) => h.personKey === t.personKey) as unknown as SubsidyRecord[];
        const applicant: Applicant = {
          personKey: t.personKey,
          birthDate: p.birthDate,
          sex: p.sex as 'M' | 'F',
          category: t.category,
        };
        if (
          checkEvaluationEligibility(
            applicant,
            { occupationCode: req.occupationCode, level: req.level, certificate: t.certificate },
            mine,
            policy,
          ).length
        )
          continue;
        eligible.push(t.enrollmentId);
        const id = `${req.classId}:${t.personKey}:EVALUATION`;
        const data = {
          personKey: t.personKey,
          kind: 'EVALUATION',
          classId: req.classId,
          occupationCode: req.occupationCode,
          level: req.level,
          periodStart: req.periodStart,
          periodEnd: req.periodEnd,
          status: 'RESERVED',
        };
        await db.subsidyRecord.upsert({ where: { id }, create: { id, ...data }, update: {} });
      }
      return { eligible };
    },

    /** When a case ends: subsidies actually paid count toward the person's limits, the rest are released. */
    async settleSubsidyRecords({
      classId,
      outcome,
      paidPersonKeys,
    }: {
      classId: string;
      outcome: 'PAID' | 'RELEASED';
      paidPersonKeys: string[];
    }) {
      const paid = outcome === 'PAID' ? paidPersonKeys : [];
      await db.$transaction(async (tx) => {
        await tx.subsidyRecord.updateMany({
          where: { classId, status: 'RESERVED', kind: 'TRAINING', personKey: { notIn: paid } },
          data: { status: 'RELEASED' },
        });
        await tx.subsidyRecord.updateMany({
          where: { classId, status: 'RESERVED' },
          data: { status: outcome },
        });
        // The paid people's vouchers are redeemed, the others' released (电子培训券).
        await redeemVouchers(tx, classId, paid);
        await releaseVouchers(tx, { classId, personKeyNotIn: paid });
      });
    },

    /** 电子培训券: the programme's last day has passed (the day of its workflow's timer); unused vouchers expire. */
    async expireVoucherProgramme({ programmeId, asOf }: { programmeId: string; asOf: string }) {
      return { expired: await expireVouchers(db, programmeId, shanghaiDate(asOf)) };
    },

    /** 公示: the claim list with names and ID numbers masked, safe to publish. */
    async publishNotice(req: NoticeRequest) {
      const id = `${req.classId}-N${req.round}`;
      const people = new Map(
        (await db.person.findMany({ where: { personKey: { in: Object.values(req.people) } } })).map((p) => [
          p.personKey,
          p,
        ]),
      );
      const institution = await db.institution.findUnique({
        where: { id: req.institutionId },
        select: { name: true },
      });
      const occupation = await db.occupation.findUnique({
        where: { code: req.occupationCode },
        select: { nameZh: true },
      });
      const trainingClass = await db.trainingClass.findUnique({
        where: { id: req.classId },
        select: { title: true, district: true },
      });
      const rows = req.lines.map((l) => {
        const person = l.enrollmentId ? people.get(req.people[l.enrollmentId] ?? '') : undefined;
        return {
          lineId: l.lineId,
          institution: institution?.name ?? req.institutionId,
          occupation: occupation?.nameZh ?? req.occupationCode,
          level: req.level,
          classHours: req.classHours,
          trainee: person ? maskName(decryptField(person.nameEnc, piiKey)) : '',
          idNumber: person ? maskIdNumber(decryptField(person.idNumberEnc, piiKey)) : '',
          kind: l.kind,
          tier: l.tier ?? null,
          amountFen: l.amountFen,
          remark: l.remark ?? null,
        };
      });
      const data = {
        classId: req.classId,
        round: req.round,
        publishedAt: new Date(req.publishedAt),
        closesAt: new Date(req.closesAt),
        endDate: req.endDate,
        provisional: req.provisional,
        rows: JSON.stringify(rows),
        status: 'OPEN',
        // what the public archive searches
        title: trainingClass?.title ?? '',
        institutionId: req.institutionId,
        institutionName: institution?.name ?? '',
        occupationCode: req.occupationCode,
        occupationName: occupation?.nameZh ?? '',
        district: trainingClass?.district ?? '',
      };
      await db.$transaction([
        db.publicNotice.updateMany({
          where: { classId: req.classId, status: 'OPEN', NOT: { id } },
          data: { status: 'CLOSED' },
        }),
        db.publicNotice.upsert({ where: { id }, create: { id, ...data }, update: data }),
      ]);
      return { noticeId: id };
    },

    async submitPayments(sub: PaymentSubmission) {
      // Heartbeats while the gateway works: a worker that dies mid-submission is noticed within the payments
      // proxy's heartbeat timeout, not after its 2-minute start-to-close (the crash harness saw a class wait
      // minutes per kill). The retry is safe: the gateway is keyed by payment id.
      const activity = asyncLocalStorage.getStore();
      activity?.heartbeat();
      const beating = setInterval(() => activity?.heartbeat(), 3_000);
      try {
        return await payments.submit(sub);
      } finally {
        clearInterval(beating);
      }
    },

    async notify(n: Notification) {
      // Delivery (SMS, the government messaging platform) is a later adapter; the inbox shows the flags.
      log.info('notification', { classId: n.classId, role: n.role, kind: n.kind, message: n.message });
    },

    async noop(_: { i: number }) {
      return true;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
