// Review-expiry (maintenance) worker: expires reviews past their TTL, hands back actions whose lease ran out (executions,
// and actions whose wake-up job was lost), sweeps budget leases.
import { startBudgetSweeper } from '../src/budget/index.ts';
import type { ActionFacts } from '../src/pipeline/action-facts.ts';
import { reapExpiredLeases } from '../src/pipeline/lease-reaper.ts';
import type { Runtime } from '../src/pipeline/runtime.ts';
import { createReviewService } from '../src/review/review-service.ts';
import type { RunningWorker } from './common.ts';

export function startReviewExpiryWorker(rt: Runtime): RunningWorker {
  const enqueueExecute = (id: string) => rt.queues.enqueueExecute(id);
  const reviews = createReviewService({ store: rt.store, budget: rt.budgetPort, tools: rt.tools, enqueueExecute, clock: rt.clock, logger: rt.logger });
  const reaper = {
    store: rt.store, enqueueExecute, enqueueDecide: (id: string, facts?: ActionFacts) => rt.queues.enqueueDecide(id, facts), clock: rt.clock,
    leaseSeconds: rt.config.executeLeaseSeconds, logger: rt.logger,
  };
  // Budget gauges are served by the API process (metrics/server.ts); refreshing them here too would only add Redis load.
  const sweeper = startBudgetSweeper({ budget: rt.budget, intervalMs: rt.config.sweepIntervalMs, logger: rt.logger, refreshMetrics: false });
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return; // never overlap sweeps
    running = Promise.all([reviews.expireDue(), reapExpiredLeases(reaper)])
      .catch((e: Error) => rt.logger.warn({ err: e.message }, 'maintenance sweep failed; retrying next interval'))
      .finally(() => (running = null));
  }, rt.config.sweepIntervalMs);
  rt.logger.info({ intervalMs: rt.config.sweepIntervalMs, reviewTtlSeconds: rt.config.reviewTtlSeconds }, 'review-expiry worker started');
  return {
    async close() {
      clearInterval(timer);
      await running;
      await sweeper.stop();
    },
  };
}
