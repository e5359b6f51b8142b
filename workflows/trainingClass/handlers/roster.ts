// 报名/实名制: enrolment, withdrawal and the start that freezes the roster.
import { forbiddenActor, rosterAdmits, rosterFrozen } from '../../../domain/classRules';
import { violation } from '../../../domain/rules';
import { enforce, refuse } from '../../refuse';
import { rosterActs } from '../../proxies';
import * as m from '../../messages';
import type { ClassCase } from '../context';
import { checksOf, command } from './command';

export function rosterCommands(c: ClassCase) {
  const { s } = c;
  const { stageIs, open, unknownTrainee } = checksOf(c);

  command(
    c,
    m.enrolTraineesUpdate,
    ({ actor, trainees }) =>
      enforce(
        stageIs('ENROLLING'),
        forbiddenActor(c.isInstitution(actor)),
        open(),
        rosterFrozen(c.flags.trainingStarted, 'trainees'),
        () =>
          rosterAdmits({
            enrolledPersonKeys: c.enrolled().map((t) => t.personKey),
            knownEnrollmentIds: s.trainees.map((t) => t.enrollmentId),
            enrolledCount: c.enrolled().length,
            capacity: c.capacity(),
            applicants: trainees,
          }),
      ),
    async ({ actor, trainees, validOnly }) => {
      const result = await rosterActs
        .reserveTrainees({
          classId: c.classId,
          institutionId: c.input.institutionId,
          occupationCode: s.plan.occupationCode,
          level: s.plan.level,
          periodStart: s.plan.plannedStart,
          periodEnd: s.plan.plannedEnd,
          policyId: c.policy.id,
          capacityLeft: c.capacity() - c.enrolled().length,
          trainees,
          validOnly: validOnly ?? false,
        })
        .catch(refuseFromActivity);
      for (const id of result.enrolled) {
        const t = trainees.find((x) => x.enrollmentId === id)!;
        s.trainees.push({
          enrollmentId: id,
          personKey: t.personKey,
          category: t.category,
          status: 'ENROLLED',
          attendedHours: 0,
        });
      }
      if (result.enrolled.length)
        await c.emit('TRAINEES_ENROLLED', actor.userId, {
          classPatch: { traineeCount: c.enrolled().length },
          detail: { count: result.enrolled.length },
        });
      return result;
    },
  );

  command(
    c,
    m.withdrawTraineeUpdate,
    ({ actor, enrollmentId }) =>
      enforce(
        stageIs('ENROLLING'),
        forbiddenActor(c.isInstitution(actor)),
        open(),
        rosterFrozen(c.flags.trainingStarted, 'enrollmentId'),
        unknownTrainee(enrollmentId, 'enrollmentId'),
      ),
    async ({ actor, enrollmentId, reason }) => {
      const t = c.trainee(enrollmentId)!;
      t.status = 'WITHDRAWN';
      await rosterActs
        .releaseTrainee({ classId: c.classId, personKey: t.personKey })
        .catch(refuseFromActivity);
      await c.emit('TRAINEE_WITHDRAWN', actor.userId, {
        enrollments: [{ id: enrollmentId, status: 'WITHDRAWN' }],
        classPatch: { traineeCount: c.enrolled().length },
        detail: { reason },
      });
    },
  );

  command(
    c,
    m.startTrainingUpdate,
    ({ actor }) =>
      enforce(
        stageIs('ENROLLING'),
        forbiddenActor(c.isInstitution(actor)),
        open(),
        c.flags.trainingStarted
          ? violation('ALREADY_STARTED', '培训已开始', 'Training has already started', 'stage')
          : undefined,
        () =>
          c.enrolled().length
            ? undefined
            : violation('EMPTY_ROSTER', '花名册为空，不能开班', 'The roster is empty', 'trainees'),
      ),
    () => void (c.flags.trainingStarted = true),
  );
}

/**
 * An activity that refused for a business reason (a non-retryable ApplicationFailure) refuses the command with
 * the same rule; anything else that made the activity give up fails the command, not the case.
 */
function refuseFromActivity(err: unknown): never {
  const cause = (err as { cause?: { type?: string; message?: string; details?: unknown[] } }).cause;
  const detail = cause?.details?.[0] as
    { code?: string; zh?: string; en?: string; field?: string } | undefined;
  if (cause?.type)
    refuse({
      code: detail?.code ?? cause.type,
      zh: detail?.zh ?? cause.message ?? cause.type,
      en: detail?.en ?? cause.message ?? cause.type,
      field: detail?.field,
    });
  throw err;
}
