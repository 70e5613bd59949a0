// Execute worker: takes approved actions from the "execute" queue and runs their tools.
import { executeAction } from '../src/pipeline/execute-step.ts';
import type { Runtime } from '../src/pipeline/runtime.ts';
import { QUEUES } from '../src/queue/names.ts';
import { startQueueWorker, type RunningWorker } from './common.ts';

export function startExecuteWorker(rt: Runtime): RunningWorker {
  const deps = {
    store: rt.store, tools: rt.tools, budget: rt.budgetPort, clock: rt.clock, logger: rt.logger, leaseSeconds: rt.config.executeLeaseSeconds,
    budgetLeaseMs: rt.config.budgetLeaseSeconds * 1000,
    executor: { retry: { maxAttempts: rt.config.executeMaxAttempts, baseDelayMs: rt.config.retryBaseDelayMs, maxDelayMs: rt.config.retryMaxDelayMs } },
  };
  return startQueueWorker(rt, QUEUES.execute, rt.config.executeConcurrency, (job) => executeAction(deps, job.actionId));
}
