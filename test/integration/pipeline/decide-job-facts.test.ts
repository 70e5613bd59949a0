// A submitted action's decide job carries the action's facts, as BullMQ stores them in Redis (real Redis, real BullMQ queue).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Queue } from 'bullmq';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { actionFacts } from '../../../src/pipeline/action-facts.ts';
import { createActionsService } from '../../../src/pipeline/actions-service.ts';
import { NO_BUDGET } from '../../../src/pipeline/budget-port.ts';
import type { FinalWaiter } from '../../../src/pipeline/final-waiter.ts';
import { argsHash } from '../../../src/policy/canonical-json.ts';
import type { PolicyEngine } from '../../../src/policy/engine.ts';
import { bullPrefix, factsOf, QUEUES, type ActionJob } from '../../../src/queue/names.ts';
import { createPipelineQueues } from '../../../src/queue/queues.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';
import { useTestRedis } from '../../support/redis.ts';

const testRedis = useTestRedis('t-decide-job-facts');

const unused = (what: string) => () => { throw new Error(`${what} is not used by submit`); };

it('submit enqueues a decide job whose data holds the action id and facts equal to the stored record\'s', async () => {
  const store = createActionStore(testRedis.redis, testRedis.prefix);
  const queues = createPipelineQueues(testRedis.redis, testRedis.prefix);
  const reader = new Queue<ActionJob>(QUEUES.decide, { connection: testRedis.redis, prefix: bullPrefix(testRedis.prefix) });
  try {
    const policy: PolicyEngine = { revision: null, data: {}, evaluate: unused('policy') };
    const waiter: FinalWaiter = { waitForFinal: unused('waiter'), watch: unused('waiter'), close: async () => undefined };
    const service = createActionsService({
      store, policy, tools: createToolRegistry(), budget: NO_BUDGET, clock: Date.now, waiter,
      enqueueDecide: (id, facts) => queues.enqueueDecide(id, facts),
    });
    const args = { b: [1, 2], a: { z: 'last', y: null } };
    const { action } = await service.submit({
      agentId: 'bot-7', workflowId: 'wf-facts', tool: 'echo', args, estimate: { costUsd: 0.125, tokens: 42 }, context: {}, idempotencyKey: null,
    });
    const job = await reader.getJob(action.id);
    assert.ok(job, 'the decide job exists under the action id');
    const stored = await store.get(action.id);
    assert.deepEqual(job.data, { actionId: action.id, facts: actionFacts(stored!) });
    assert.deepEqual(factsOf(job.data), {
      agentId: 'bot-7', workflowId: 'wf-facts', tool: 'echo', argsHash: argsHash(args), estimate: { costUsd: 0.125, tokens: 42 },
    });
  } finally {
    await reader.close();
    await queues.close();
  }
});
