// Hands actions whose lease ran out back to their queue, so that nothing waits for a worker forever: executions whose
// worker died or hung, and actions whose wake-up job was lost (Redis failed, or the process died, between a state change
// and its enqueue; or a job ran out of retries while Redis was away). Every job id is the action id, so an action whose job
// is still alive is never enqueued twice.
import type { Logger } from 'pino';
import * as metrics from '../metrics/registry.ts';
import { actionFacts, type ActionFacts } from './action-facts.ts';
import type { ActionStore } from './action-store.ts';

export interface LeaseReaperDeps {
  store: ActionStore;
  enqueueDecide(actionId: string, facts?: ActionFacts): Promise<void>;
  enqueueExecute(actionId: string): Promise<void>;
  clock: () => number;
  /** The next run of an execution gets a full lease of this long. */
  leaseSeconds: number;
  logger: Logger;
}

export interface ReapResult {
  /** Executions handed to the execute queue again. */
  executions: string[];
  /** Actions waiting in queued, deciding or approved, enqueued again. */
  waiting: string[];
}

export async function reapExpiredLeases(deps: LeaseReaperDeps, limit = 100): Promise<ReapResult> {
  const now = deps.clock();
  const ids = await deps.store.expiredLeases(now, limit);
  const result: ReapResult = { executions: [], waiting: [] };
  for (const id of ids) {
    const a = await deps.store.get(id);
    const status = a?.status;
    if (a && (status === 'executing' || status === 'queued' || status === 'deciding' || status === 'approved')) {
      // The next run of an execution gets a full lease; an action waiting for a worker a full requeue period.
      const executing = status === 'executing';
      await deps.store.setLease(id, now + (executing ? deps.leaseSeconds * 1000 : deps.store.requeueAfterMs));
      if (status === 'queued' || status === 'deciding') await deps.enqueueDecide(id, actionFacts(a));
      else await deps.enqueueExecute(id);
      (executing ? result.executions : result.waiting).push(id);
      metrics.actionsRequeuedTotal.inc({ status });
    } else {
      await deps.store.setLease(id, null); // no longer waits for a worker
    }
  }
  if (result.executions.length) deps.logger.warn({ ids: result.executions }, 'execution leases expired; re-enqueued');
  if (result.waiting.length) deps.logger.warn({ ids: result.waiting }, 'actions waited for a worker past AIRLOCK_REQUEUE_AFTER; re-enqueued');
  return result;
}
