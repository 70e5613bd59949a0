// Hands executions whose lease ran out (their worker died or hung) back to the execute queue, so nothing stays `executing` forever.
import type { Logger } from 'pino';
import type { ActionStore } from './action-store.ts';

export interface LeaseReaperDeps {
  store: ActionStore;
  enqueueExecute(actionId: string): Promise<void>;
  clock: () => number;
  leaseSeconds: number;
  logger: Logger;
}

export async function reapExpiredLeases(deps: LeaseReaperDeps, limit = 100): Promise<string[]> {
  const now = deps.clock();
  const ids = await deps.store.expiredLeases(now, limit);
  const handed: string[] = [];
  for (const id of ids) {
    const a = await deps.store.get(id);
    if (!a || a.status !== 'executing') {
      await deps.store.setLease(id, null);
      continue;
    }
    // Give the next run a full lease; the execute job id is the action id, so a job still alive is not duplicated.
    await deps.store.setLease(id, now + deps.leaseSeconds * 1000);
    await deps.enqueueExecute(id);
    handed.push(id);
  }
  if (handed.length) deps.logger.warn({ ids: handed }, 'execution leases expired; re-enqueued');
  return handed;
}
