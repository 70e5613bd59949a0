// Decide worker: takes actions from the "decide" queue and runs the decide step on the compiled policy.
import { decideAction } from '../src/pipeline/decide-step.ts';
import type { Runtime } from '../src/pipeline/runtime.ts';
import { factsOf, QUEUES } from '../src/queue/names.ts';
import { startQueueWorker, type RunningWorker } from './common.ts';

export function startDecideWorker(rt: Runtime): RunningWorker {
  const deps = {
    store: rt.store, policy: rt.policy, tools: rt.tools, budget: rt.budgetPort, clock: rt.clock, logger: rt.logger,
    reviewTtlSeconds: rt.config.reviewTtlSeconds, enqueueExecute: (id: string) => rt.queues.enqueueExecute(id),
  };
  return startQueueWorker(rt, QUEUES.decide, rt.config.decideConcurrency, (job) => decideAction(deps, job.actionId, factsOf(job)));
}
