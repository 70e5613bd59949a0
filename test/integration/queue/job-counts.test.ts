// BullMQ job counts per pipeline queue and state, read through the pipeline's own queues, end up in the
// airlock_queue_jobs gauge on a scrape (real Redis, real BullMQ).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createGaugeSampler, QUEUE_STATES } from '../../../src/metrics/sampler.ts';
import { registry } from '../../../src/metrics/registry.ts';
import { createPipelineQueues } from '../../../src/queue/queues.ts';
import { useTestRedis } from '../../support/redis.ts';

const testRedis = useTestRedis('t-job-counts');

it('jobCounts reports each queue by state, and the sampler puts them into airlock_queue_jobs', async () => {
  const queues = createPipelineQueues(testRedis.redis, testRedis.prefix);
  try {
    await queues.enqueueDecide('act_a');
    await queues.enqueueDecide('act_b');
    await queues.enqueueDecide('act_a'); // same job id: not a second job
    await queues.enqueueExecute('act_c');

    const rows = await queues.jobCounts(QUEUE_STATES);
    const byQueue = Object.fromEntries(rows.map((r) => [r.queue, r.counts]));
    assert.deepEqual(Object.keys(byQueue).sort(), ['decide', 'execute']);
    assert.equal(byQueue.decide!.waiting, 2);
    assert.equal(byQueue.execute!.waiting, 1);
    assert.equal(byQueue.decide!.active, 0);

    await createGaugeSampler({ pingRedis: () => testRedis.redis.ping(), jobCounts: () => queues.jobCounts(QUEUE_STATES) })();
    const text = await registry.metrics();
    assert.match(text, /^airlock_queue_jobs\{queue="decide",state="waiting"\} 2$/m);
    assert.match(text, /^airlock_queue_jobs\{queue="execute",state="waiting"\} 1$/m);
    assert.match(text, /^airlock_queue_jobs\{queue="execute",state="failed"\} 0$/m);
  } finally {
    await queues.close();
  }
});
