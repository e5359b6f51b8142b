// 审核 and 撤销: the caseworker's review decision, the institution's resubmission, and cancellation.
import { forbiddenActor, reasonRequired, classEnding } from '../../../domain/classRules';
import { violation } from '../../../domain/rules';
import { enforce } from '../../refuse';
import * as m from '../../messages';
import type { ClassCase } from '../context';
import { checksOf, command } from './command';

/** DOMAIN.md §1: a class can be cancelled until results exist. */
const CANCELLABLE: m.Stage[] = [
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
  'APPROVED',
  'ENROLLING',
  'TRAINING',
  'ASSESSMENT',
];

export function planCommands(c: ClassCase) {
  const { s } = c;
  const { stageIs, open } = checksOf(c);

  command(
    c,
    m.reviewPlanUpdate,
    ({ actor, decision, reason }) =>
      enforce(
        stageIs('UNDER_REVIEW'),
        forbiddenActor(actor.role === 'CASEWORKER'),
        open(),
        c.pending.review
          ? violation('ALREADY_DECIDED', '该申请已有审核结论', 'A decision was already made', 'decision')
          : undefined,
        decision === 'APPROVE'
          ? undefined
          : reasonRequired(reason, '退回或不予通过须说明理由', 'A reason is required to return or reject'),
      ),
    ({ actor, decision, reason }) => void (c.pending.review = { actor, decision, reason }),
  );

  command(
    c,
    m.resubmitPlanUpdate,
    ({ actor, plan }) =>
      enforce(
        stageIs('RETURNED'),
        forbiddenActor(c.isInstitution(actor)),
        open(),
        c.pending.resubmitted
          ? violation('ALREADY_RESUBMITTED', '已重新提交', 'Already resubmitted', 'plan')
          : undefined,
        plan.occupationCode !== s.plan.occupationCode || plan.level !== s.plan.level
          ? violation(
              'OCCUPATION_CHANGED',
              '重新提交不能更改职业（工种）和等级，请重新申请开班',
              'A resubmission cannot change occupation or level; file a new class',
              'plan.occupationCode',
            )
          : undefined,
      ),
    ({ plan }) => {
      s.plan = plan;
      c.pending.resubmitted = true;
    },
  );

  command(
    c,
    m.cancelClassUpdate,
    ({ actor, reason }) =>
      enforce(
        stageIs(...CANCELLABLE),
        forbiddenActor(c.isInstitution(actor) || actor.role === 'CASEWORKER' || actor.role === 'MANAGER'),
        s.trainees.some((t) => t.assessment)
          ? violation(
              'RESULTS_EXIST',
              '已有考核结果，不能撤销',
              'Results exist: the class can no longer be cancelled',
              'stage',
            )
          : undefined,
        c.cancelRequested
          ? violation('ALREADY_CANCELLED', '已申请撤销', 'Cancellation already requested', 'stage')
          : undefined,
        classEnding(c.ending),
        reasonRequired(reason, '请填写撤销理由', 'Give a reason'),
      ),
    // The process, wherever it waits, sees the request and closes the case (stages/close.ts).
    ({ actor, reason }) => void (c.cancelRequested = { actor, reason }),
  );
}
