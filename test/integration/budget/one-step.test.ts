// The decide step's budget calls that run two scripts in one step (real Redis): snapshot with an attempt recorded first,
// and a reservation that feeds breakers only when granted; each must leave Redis as the two separate calls would.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { budgetFixture, testPolicyData, type BudgetFixture } from './helpers.ts';

describe('budget calls in one step (real Redis)', () => {
  let f: BudgetFixture;
  beforeEach(async () => {
    f = await budgetFixture({
      policyData: testPolicyData({ workflowCapUsd: 1, breakers: { velocityUsdPerMinute: 2, velocityWindowSeconds: 60, loopCount: 3, loopWindowSeconds: 10, cooldownSeconds: 30 } }),
    });
  });
  afterEach(async () => { await f.cleanup(); });
  const own = ['workflow:w1', 'agent:bot'];
  const all = [...own, 'global'];
  const attempt = (n: number, over: { argsHash?: string; costUsd?: number } = {}) =>
    ({ actionId: `a${n}`, scopes: own, tool: 'cluster.scale', argsHash: over.argsHash ?? 'h', costUsd: over.costUsd ?? 0 });

  it('snapshot with an attempt records it first: the attempt that trips a breaker already sees it open', async () => {
    for (let i = 1; i <= 2; i++) {
      const snap = await f.budget.snapshot(all, attempt(i));
      assert.equal(snap.breakers['workflow:w1']!.state, 'closed');
      f.now.ms += 1000;
    }
    const third = await f.budget.snapshot(all, attempt(3));
    assert.equal(third.breakers['workflow:w1']!.state, 'open');
    assert.equal(third.breakers['agent:bot']!.state, 'open');
    assert.match(third.breakers['agent:bot']!.reason ?? '', /loop: cluster\.scale called 3 times/);
    assert.equal(third.breakers.global!.state, 'closed', 'the attempt named only the workflow and agent scopes');
    assert.equal(third.scopes['workflow:w1']!.capUsd, 1);
    // The same state as the separate calls produce: the trip is in the breaker log once per scope.
    const trips = (await f.budget.breakerEvents()).filter((e) => e.type === 'trip').map((e) => e.scope).sort();
    assert.deepEqual(trips, [...own].sort());
  });

  it('snapshot with an attempt counts spend velocity exactly as recordAttempt does', async () => {
    await f.budget.snapshot(all, attempt(1, { argsHash: 'x1', costUsd: 1.5 }));
    const separate = await f.budget.recordAttempt({ ...attempt(2, { argsHash: 'x2', costUsd: 0.75 }), scopes: ['agent:other'] });
    assert.deepEqual(separate, []);
    const snap = await f.budget.snapshot(all, attempt(3, { argsHash: 'x3', costUsd: 0.75 }));
    assert.equal(snap.breakers['workflow:w1']!.state, 'open');
    assert.match(snap.breakers['workflow:w1']!.reason ?? '', /spend velocity \$2\.25 in 60s exceeds the limit of \$2\.00/);
  });

  it('a granted reservation records the attempt in its scopes; a refused one records nothing', async () => {
    const ok = await f.budget.reserve('r1', all, { usd: 0.25, tokens: 0 }, { attempt: { scopes: ['global'], tool: 'pay', argsHash: 'p', costUsd: 0.25 } });
    assert.deepEqual(ok, { ok: true });
    const loopKey = `${f.prefix}breaker:loop:global:pay:p`;
    assert.equal(await f.redis.zcard(loopKey), 1);
    assert.equal((await f.budget.snapshot(all)).scopes['global']!.reservedUsd, 0.25);

    // The workflow cap is $1: this one is refused and the shared scope learns nothing of it.
    const refused = await f.budget.reserve('r2', all, { usd: 0.9, tokens: 0 }, { attempt: { scopes: ['global'], tool: 'pay', argsHash: 'p', costUsd: 0.9 } });
    assert.ok(!refused.ok && refused.kind === 'cap');
    assert.deepEqual(await f.redis.zrange(loopKey, 0, -1), ['r1']);
    assert.equal((await f.budget.snapshot(all)).scopes['global']!.reservedUsd, 0.25);
  });

  it('the reservation holds and the failure is reported when recording its attempt fails inside the step', async () => {
    // A key of the wrong type makes the attempt part fail in Redis after the reservation was written.
    await f.redis.set(`${f.prefix}breaker:loop:global:pay:bad`, 'not a sorted set');
    const r = await f.budget.reserve('r3', all, { usd: 0.5, tokens: 0 }, { attempt: { scopes: ['global'], tool: 'pay', argsHash: 'bad', costUsd: 0.5 } });
    assert.equal(r.ok, true);
    assert.match((r as { attemptError?: string }).attemptError ?? '', /WRONGTYPE/);
    const snap = await f.budget.snapshot(all);
    assert.equal(snap.scopes['workflow:w1']!.reservedUsd, 0.5);
    assert.equal(snap.scopes['global']!.reservedUsd, 0.5);
    assert.equal(await f.budget.release('r3'), true);
  });

  it('an attempt failing inside the snapshot step fails the whole call (the caller then fails closed)', async () => {
    await f.redis.set(`${f.prefix}breaker:loop:agent:bot:cluster.scale:bad`, 'not a sorted set');
    await assert.rejects(f.budget.snapshot(all, attempt(9, { argsHash: 'bad' })), (e: Error & { code?: string }) => e.code === 'budget_unavailable');
  });
});
