// The one way a workflow refuses a command: a rule violation from domain/ becomes a non-retryable
// ApplicationFailure whose type is the rule's code and whose details carry the violation, so the API answers
// 409/422 with the rule's code, field and message (api/workflow.ts).
import { ApplicationFailure } from '@temporalio/workflow';
import type { RuleViolation } from '../domain/rules';

export function refuse(v: RuleViolation): never {
  throw ApplicationFailure.create({ type: v.code, message: v.en, details: [v], nonRetryable: true });
}

/** Refuses with the first violation found; a validator lists its checks in the order they should be reported. */
export function enforce(...checks: (RuleViolation | undefined | (() => RuleViolation | undefined))[]): void {
  for (const c of checks) {
    const v = typeof c === 'function' ? c() : c;
    if (v) refuse(v);
  }
}
