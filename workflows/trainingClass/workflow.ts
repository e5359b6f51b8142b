// One training class (补贴性职业技能培训班) from plan to payout, as DOMAIN.md "The life of a class" tells it.
// Workflow id = class id. Deterministic: every side effect is an activity, every clock a Temporal timer.
//
// What always holds, however requests interleave (enforced where the state lives; tests/workflow/model.test.ts
// generates the interleavings):
//  1. enrolled ≤ capacity (the plan's, at most the policy's cap per class);
//  2. a person is enrolled at most once per class;
//  3. every subsidy reservation is consumed by a paid line or released when the class ends;
//  4. a decision the API acknowledged is never lost (it is applied, also across continue-as-new);
//  5. nothing is paid for a cancelled or rejected class beyond what was already transferred;
//  6. money lines sum exactly to their batches;
//  7. the same Update sent again (the same Update id) gets the same answer and changes nothing, also when it
//     reaches a run continued as new (handlers/command.ts remembers the answers and carries them on).
// Roster changes (enrol, withdraw, start, cancel) run one at a time under a lock and check their rules again
// once they hold it (handlers.ts); work beside the process is tracked and awaited before the case ends.
import { ClassCancelled, ClassCase } from './context';
import { installHandlers } from './handlers';
import type * as m from '../messages';
import { resumeReview, reviewPlan, submitPlan } from './stages/review';
import { enrolTrainees } from './stages/enrolment';
import { runTraining } from './stages/training';
import { assess } from './stages/assessment';
import { followUpEmployment } from './stages/followUp';
import { calculateSubsidies } from './stages/subsidy';
import { noticeAndPay } from './stages/notice';
import { payAdvance } from './stages/payout';
import { close } from './stages/close';

export async function trainingClassWorkflow(input: m.ClassInput): Promise<m.CaseState> {
  const c = new ClassCase(input);
  installHandlers(c);
  try {
    if (input.resume) await resumeReview(c);
    else await submitPlan(c); //            开班申请
    if (!(await reviewPlan(c))) return await close(c, 'REJECTED'); // 审核
    const advance = c.track(payAdvance(c)); // 先行拨付, beside enrolment and training
    await enrolTrainees(c); //              报名/实名制
    await runTraining(c); //                培训
    await assess(c); //                     考核评价
    await followUpEmployment(c); //         就业跟踪
    await advance;
    await calculateSubsidies(c); //         补贴核算
    await noticeAndPay(c); //               公示, 拨付
    return await close(c, 'CLOSED');
  } catch (err) {
    if (!(err instanceof ClassCancelled)) throw err;
    c.s.cancelledReason = c.cancelRequested!.reason;
    return await close(c, 'CANCELLED');
  }
}
