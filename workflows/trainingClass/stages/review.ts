// 开班申请 and 审核 (DOMAIN.md §1–2): the plan is filed, then approved, returned for resubmission (any
// number of times) or rejected. Long review rounds continue as new, carrying the case.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { workflowNowIso } from '../../clock';
import { acts } from '../../proxies';
import type { ClassCase } from '../context';
import { humanTask } from '../humanTask';
import type { trainingClassWorkflow } from '../workflow';

async function lookUpPolicy(c: ClassCase, bind: boolean) {
  ({
    policy: c.policy,
    standard: c.standard,
    newOccupation: c.newOccupation,
  } = await acts.bindPolicy({
    classId: c.classId,
    occupationCode: c.s.plan.occupationCode,
    level: c.s.plan.level,
    bind,
  }));
}

/** 开班申请: the policy in force is looked up (bound only on approval) and the class row is projected. */
export async function submitPlan(c: ClassCase) {
  await lookUpPolicy(c, false);
  upsertSearchAttributes({ InstitutionId: [c.input.institutionId] });
  await c.setStage('UNDER_REVIEW', c.input.submittedBy.userId, 'PLAN_SUBMITTED', {
    create: { institutionId: c.input.institutionId, district: c.input.district, plan: c.s.plan },
  });
}

/** A continued run starts at review again: the policy in force is looked up anew (not yet bound). */
export async function resumeReview(c: ClassCase) {
  await lookUpPolicy(c, false);
  upsertSearchAttributes({ InstitutionId: [c.input.institutionId], Stage: [c.s.stage] });
}

/**
 * Each return and resubmission adds to the history: when it grows long the review continues in a new run of
 * the same workflow id, once every handler has finished, carrying the case and any decision acknowledged
 * meanwhile (ClassCase.snapshot). Not while a cancellation is pending: that ends the case here.
 */
async function continueReviewIfLong(c: ClassCase) {
  const limit = c.input.continueAsNewAfterEvents ?? 10_000;
  const info = workflowInfo();
  if (!(info.historyLength > limit || info.continueAsNewSuggested)) return;
  if (!patched('review-continue-as-new-2026-11')) return;
  await c.projected();
  await condition(allHandlersFinished);
  if (c.cancelRequested) return;
  await continueAsNew<typeof trainingClassWorkflow>({
    ...c.input,
    plan: c.s.plan,
    resume: c.snapshot(),
  });
}

/** 审核: true when approved (the policy is then bound to the class for good), false when rejected. */
export async function reviewPlan(c: ClassCase): Promise<boolean> {
  for (;;) {
    await continueReviewIfLong(c);
    await humanTask(
      c,
      {
        kind: 'REVIEW_PLAN',
        role: 'CASEWORKER',
        from: workflowNowIso(),
        rule: 'WORKING_DAYS',
        n: c.policy.deadlines.approvalWorkingDays,
      },
      () => c.pending.review !== undefined,
    );
    const { actor, decision, reason } = c.pending.review!;
    // The decision stays pending (so a second one is refused ALREADY_DECIDED) until the stage has moved on:
    // binding the policy waits for an activity, and a decision taken meanwhile was acknowledged and lost.
    const held = patched('review-decision-held-2026-12');
    const decided = () => void (c.pending.review = undefined);
    if (!held) decided();
    c.s.reviewNotes.push({ decision, reason, by: actor.userId, at: workflowNowIso() });
    if (decision === 'APPROVE') {
      // DESIGN.md §4: the class runs under the policy in force when its plan was approved.
      await lookUpPolicy(c, true);
      c.s.policyVersionId = c.policy.id;
      c.s.standardFen = c.standard.standardFen;
      const approved = c.setStage('APPROVED', actor.userId, 'PLAN_APPROVED', {
        classPatch: { policyVersionId: c.policy.id },
      });
      decided();
      await approved;
      return true;
    }
    if (decision === 'REJECT') {
      const rejected = c.setStage('REJECTED', actor.userId, 'PLAN_REJECTED', { detail: { reason } });
      decided();
      await rejected;
      return false;
    }
    const returned = c.setStage('RETURNED', actor.userId, 'PLAN_RETURNED', { detail: { reason } });
    decided();
    await returned;
    await humanTask(
      c,
      {
        kind: 'RESUBMIT_PLAN',
        role: 'INSTITUTION',
        from: workflowNowIso(),
        rule: 'WORKING_DAYS',
        n: c.policy.deadlines.resubmitWorkingDays,
      },
      () => c.pending.resubmitted === true,
    );
    c.pending.resubmitted = undefined;
    await c.setStage('UNDER_REVIEW', c.input.institutionId, 'PLAN_RESUBMITTED', {
      classPatch: { plan: c.s.plan },
    });
  }
}
