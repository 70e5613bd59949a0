// The argument hash is computed once, when the action is created, and stored on the record: the decide job's facts, the
// breaker attempts and the history entries all read it from there. Records stored before it was kept get it computed.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { useTestRedis } from '../../support/redis.ts';
import { actionFacts } from '../../../src/pipeline/action-facts.ts';
import { actionKeys } from '../../../src/pipeline/action-keys.ts';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { historyEntry } from '../../../src/pipeline/decide-step.ts';
import { argsHash } from '../../../src/policy/canonical-json.ts';

const testRedis = useTestRedis('t-args-hash');

it('stored at creation, read back, and used by the facts and the history entry; computed for older records', async () => {
  const store = createActionStore(testRedis.redis, testRedis.prefix);
  const args = { b: [1, 2], a: { z: 'last', y: null }, s: 'é✓' };
  const expected = argsHash({ s: 'é✓', a: { y: null, z: 'last' }, b: [1, 2] }); // key order does not matter
  const { action } = await store.create({ agentId: 'bot', workflowId: 'wf', tool: 'echo', args, estimate: {}, context: {}, idempotencyKey: null }, new Date());
  assert.equal(action.argsHash, expected);
  const key = actionKeys(testRedis.prefix).action(action.id);
  assert.equal(await testRedis.redis.hget(key, 'argsHash'), expected, 'kept on the Redis hash');
  assert.equal((await store.get(action.id))!.argsHash, expected);
  assert.equal(actionFacts(action).argsHash, expected);
  assert.equal(historyEntry(action, 'succeeded', 0.5, 1_000).argsHash, expected);

  await testRedis.redis.hdel(key, 'argsHash'); // a record written before the hash was stored
  assert.equal((await store.get(action.id))!.argsHash, expected);
});
