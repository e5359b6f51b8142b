// Activities as the workflows see them, proxied once with their timeouts and retry policies.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Read-model writes, look-ups and notifications: quick, idempotent, retried until they succeed. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Bank transfers: retried with backoff; the gateway is keyed by payment id, so a retry never pays twice. The
 * activity heartbeats while it works: a worker that died is noticed in 15 seconds.
 */
export const payments = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Roster changes run while the class's roster lock is held: a few tries, then the command fails (the API
 * answers it) instead of retrying for ever and wedging every later command on the class. Business refusals
 * are non-retryable and come back at once.
 */
export const rosterActs = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 5,
  },
});
