// kill -9 of the execute worker in the middle of a tool call: the action still ends succeeded, the tool server applied the
// side effect once (Idempotency-Key honoured), and nothing stays `executing`.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_URL, TOKENS, useStack, waitFor } from './harness.ts';

// Short job locks so that the surviving worker notices the dead one's job quickly.
const f = useStack('crash', { kinds: ['api', 'decide', 'execute'], env: { AIRLOCK_JOB_LOCK_MS: '1500' } });

it('kill -9 mid-call: succeeded, side effect applied once, nothing stuck in executing', async () => {
  const { stack, tools, call } = f;
  const sub = await call('POST', '/v1/actions', TOKENS.agent, {
    agentId: 'demo-agent', workflowId: `wf-crash-${Date.now()}`, tool: 'files.read', args: { path: '/data/shared/big.csv', delayMs: 2500 },
  });
  assert.equal(sub.status, 202);
  const id: string = sub.body.id;

  // The call is in flight at the tool server: kill the execute worker without warning.
  await waitFor('tool call in flight', async () => tools.events().some((e) => e.key === id && e.event === 'applied'), 20_000);
  const victim = stack.procs.get('execute')!;
  const died = new Promise((r) => victim.once('exit', r));
  victim.kill('SIGKILL');
  await died;
  assert.equal((await call('GET', `/v1/actions/${id}`, TOKENS.agent)).body.status, 'executing');

  await stack.start('execute', { AIRLOCK_JOB_LOCK_MS: '1500' });
  const final = await call('GET', `/v1/actions/${id}?wait=30`, TOKENS.agent);
  assert.equal(final.body.status, 'succeeded', JSON.stringify(final.body));
  assert.deepEqual(final.body.result, { ok: true, tool: 'files.read', args: { path: '/data/shared/big.csv', delayMs: 2500 } });

  const mine = tools.events().filter((e) => e.key === id);
  assert.equal(mine.filter((e) => e.event === 'applied').length, 1, `applied once: ${JSON.stringify(mine)}`);
  assert.ok(mine.filter((e) => e.event === 'request').length >= 2, 'the second worker called again with the same key');
  assert.ok(mine.some((e) => e.event === 'replayed' || e.event === 'joined'));

  const trace = await call('GET', `/v1/actions/${id}/trace`, TOKENS.agent);
  const runs = trace.body.events.filter((e: { type: string }) => e.type === 'execution_started').length;
  assert.equal(runs, 2, 'a second execution run resumed the action');

  const redis = new Redis(REDIS_URL);
  try {
    assert.equal(await redis.zscore(`${stack.prefix}:executing:leases`, id), null, 'no execution lease left behind');
  } finally {
    await redis.quit();
  }
});
