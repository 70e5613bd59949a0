// BullMQ job counts per pipeline queue and state, read through the pipeline's own queues, end up in the
// airlock_queue_jobs and airlock_queue_depth gauges on a scrape, with the oldest waiting job's age (real Redis, real BullMQ).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createGaugeSampler, QUEUE_STATES } from '../../../src/metrics/sampler.ts';
import { registry } from '../../../src/metrics/registry.ts';
import { createPipelineQueues } from '../../../src/queue/queues.ts';
import { useTestRedis } from '../../support/redis.ts';

const testRedis = useTestRedis('t-job-counts');

it('jobCounts reports each queue by state, and the sampler puts them into airlock_queue_jobs and airlock_queue_depth', async () => {
  let now = Date.now();
  const queues = createPipelineQueues(testRedis.redis, testRedis.prefix, () => now);
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

    now += 90_000; // the oldest waiting job was added about 90 s "ago"
    await createGaugeSampler({
      pingRedis: () => testRedis.redis.ping(), jobCounts: () => queues.jobCounts(QUEUE_STATES), oldestWaitingAge: () => queues.oldestWaitingAge(),
    })();
    const text = await registry.metrics();
    assert.match(text, /^airlock_queue_depth\{queue="decide"\} 2$/m);
    assert.match(text, /^airlock_queue_depth\{queue="execute"\} 1$/m);
    const age = Number(/^airlock_queue_oldest_age_seconds\{queue="decide"\} (\S+)$/m.exec(text)?.[1]);
    assert.ok(age > 85 && age < 120, `oldest decide job age ${age}`);
    assert.match(text, /^airlock_queue_jobs\{queue="decide",state="waiting"\} 2$/m);
    assert.match(text, /^airlock_queue_jobs\{queue="execute",state="waiting"\} 1$/m);
    assert.match(text, /^airlock_queue_jobs\{queue="execute",state="failed"\} 0$/m);
  } finally {
    await queues.close();
  }
});
