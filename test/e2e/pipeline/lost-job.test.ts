// An action whose decide job was never enqueued (the API died, or Redis failed, right after the action was stored) still
// runs to its end: the maintenance worker's lease reaper hands it to the decide queue once AIRLOCK_REQUEUE_AFTER passes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Redis } from 'ioredis';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { REDIS_URL, TOKENS, useStack } from './harness.ts';

const f = useStack('lost-job', { kinds: ['api', 'decide', 'execute', 'review-expiry'], env: { AIRLOCK_REQUEUE_AFTER: '1s' } });

it('an action stored without its decide job is decided and executed after AIRLOCK_REQUEUE_AFTER, with no help from the client', async () => {
  const { stack, call } = f;
  const redis = new Redis(REDIS_URL);
  try {
    // What POST /v1/actions does before it enqueues, done by hand, with the same store and lease as the API's.
    const store = createActionStore(redis, stack.prefix, { requeueAfterMs: 1000 });
    const { action } = await store.create({
      agentId: 'demo-agent', workflowId: `wf-lost-${Date.now()}`, tool: 'echo', args: { lost: true }, estimate: {}, context: {}, idempotencyKey: null,
    }, new Date());
    assert.equal((await call('GET', `/v1/actions/${action.id}`, TOKENS.admin)).body.status, 'queued');

    const t0 = Date.now();
    const final = await call('GET', `/v1/actions/${action.id}?wait=20`, TOKENS.admin);
    assert.equal(final.body.status, 'succeeded', JSON.stringify(final.body));
    assert.deepEqual(final.body.result, { echo: { lost: true } });
    assert.ok(Date.now() - t0 >= 500, 'it waited for the lease to run out (nothing else enqueued it)');
    assert.equal(await redis.zscore(`${stack.prefix}:executing:leases`, action.id), null, 'no lease left behind');
  } finally {
    await redis.quit();
  }
});
