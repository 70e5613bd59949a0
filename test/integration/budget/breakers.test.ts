// Circuit breakers on a real Redis: velocity and loop trips, open blocks, reset, cooldown → half-open probe → closed or reopened.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { budgetFixture, testPolicyData, type BudgetFixture } from './helpers.ts';

describe('budget circuit breakers (real Redis)', () => {
  let f: BudgetFixture;
  beforeEach(async () => {
    f = await budgetFixture({
      policyData: testPolicyData({ breakers: { velocityUsdPerMinute: 2, velocityWindowSeconds: 60, loopCount: 4, loopWindowSeconds: 10, cooldownSeconds: 30 } }),
    });
  });
  afterEach(async () => { await f.cleanup(); });
  const scopes = ['workflow:w1', 'agent:bot', 'global'];

  it('the loop breaker trips on the Nth identical call within its window, not before, and blocks reservations', async () => {
    for (let i = 1; i <= 3; i++) {
      assert.deepEqual(await f.budget.recordAttempt({ actionId: `a${i}`, scopes, tool: 'cluster.scale', argsHash: 'h1', costUsd: 0.01 }), []);
      f.now.ms += 1000;
    }
    // A different argument set does not count toward the same loop.
    assert.deepEqual(await f.budget.recordAttempt({ actionId: 'other', scopes, tool: 'cluster.scale', argsHash: 'h2', costUsd: 0.01 }), []);
    const tripped = await f.budget.recordAttempt({ actionId: 'a4', scopes, tool: 'cluster.scale', argsHash: 'h1', costUsd: 0.01 });
    assert.deepEqual(tripped, scopes);
    const snap = await f.budget.snapshot(scopes);
    assert.equal(snap.breakers['agent:bot']!.state, 'open');
    assert.match(snap.breakers['agent:bot']!.reason ?? '', /loop: cluster\.scale called 4 times/);
    const r = await f.budget.reserve('a4', scopes, { usd: 0.01, tokens: 0 });
    assert.ok(!r.ok && r.kind === 'breaker' && /circuit breaker open for workflow:w1/.test(r.reason));
    // A human's approval is not blocked by the breaker (caps still apply).
    assert.deepEqual(await f.budget.reserve('a4', scopes, { usd: 0.01, tokens: 0 }, { approvedByHuman: true }), { ok: true });
    const events = await f.budget.breakerEvents();
    assert.equal(events.filter((e) => e.type === 'trip').length, 3);
  });

  it('calls spread beyond the loop window do not trip', async () => {
    for (let i = 1; i <= 8; i++) {
      assert.deepEqual(await f.budget.recordAttempt({ actionId: `s${i}`, scopes, tool: 'echo', argsHash: 'same', costUsd: 0 }), []);
      f.now.ms += 4000; // 3 per 10 s window at most
    }
  });

  it('the velocity breaker trips when spend per minute passes the limit', async () => {
    const t = await Promise.all([0, 1, 2].map((i) => f.budget.recordAttempt({ actionId: `v${i}`, scopes: ['agent:spender'], tool: `t${i}`, argsHash: `h${i}`, costUsd: 0.6 })));
    assert.deepEqual(t.flat(), []); // $1.80 ≤ $2/min
    assert.deepEqual(await f.budget.recordAttempt({ actionId: 'v3', scopes: ['agent:spender'], tool: 't3', argsHash: 'h3', costUsd: 0.3 }), ['agent:spender']);
    const b = await f.budget.getBreaker('agent:spender');
    assert.equal(b.state, 'open');
    assert.equal(b.trigger, 'velocity');
    assert.match(b.reason ?? '', /spend velocity \$2\.10 in 60s exceeds the limit of \$2\.00/);
  });

  it('free attempts neither count toward spend velocity nor leave window entries; paid ones around them still add up', async () => {
    const spend = (id: string, usd: number) => f.budget.recordAttempt({ actionId: id, scopes: ['agent:mixed'], tool: id, argsHash: id, costUsd: usd });
    assert.deepEqual(await spend('free0', 0), []);
    assert.equal(await f.redis.exists(`${f.prefix}breaker:velocity:agent:mixed`), 0, 'no window key for free attempts alone');
    assert.deepEqual(await spend('paid1', 1.5), []);
    for (let i = 1; i <= 3; i++) assert.deepEqual(await spend(`free${i}`, 0), []);
    assert.deepEqual(await f.redis.zrange(`${f.prefix}breaker:velocity:agent:mixed`, 0, -1), ['paid1|1500000']);
    assert.deepEqual(await spend('paid2', 0.75), ['agent:mixed']); // $2.25 > $2/min
    assert.match((await f.budget.getBreaker('agent:mixed')).reason ?? '', /spend velocity \$2\.25 in 60s/);
    // Past the window the paid entries leave the sum; a free attempt then reads it as zero.
    f.now.ms += 61_000;
    await spend('free4', 0);
    assert.equal(await f.redis.hget(`${f.prefix}breaker:agent:mixed`, 'velocityMicros'), '0');
  });

  it('a reset closes the breaker, is recorded, and earlier attempts no longer count', async () => {
    for (let i = 1; i <= 4; i++) await f.budget.recordAttempt({ actionId: `r${i}`, scopes, tool: 'x', argsHash: 'h', costUsd: 0 });
    assert.equal((await f.budget.getBreaker('global')).state, 'open');
    const res = await f.budget.resetBreaker('global', 'alice');
    assert.deepEqual(res, { scope: 'global', previous: 'open', state: 'closed' });
    assert.equal((await f.budget.snapshot(['global'])).breakers.global!.state, 'closed');
    const [latest] = await f.budget.breakerEvents(1);
    assert.equal(latest!.type, 'reset');
    assert.equal(latest!.by, 'alice');
    f.now.ms += 1;
    // One more identical call right after the reset: the 4 before it do not count.
    const tripped = await f.budget.recordAttempt({ actionId: 'r5', scopes: ['global'], tool: 'x', argsHash: 'h', costUsd: 0 });
    assert.deepEqual(tripped, []);
    assert.deepEqual(await f.budget.reserve('r5', ['global'], { usd: 0.01, tokens: 0 }), { ok: true });
  });

  it('after the cooldown one probe passes (half-open); its settlement closes the breaker', async () => {
    for (let i = 1; i <= 4; i++) await f.budget.recordAttempt({ actionId: `h${i}`, scopes: ['agent:bot'], tool: 'x', argsHash: 'h', costUsd: 0 });
    f.now.ms += 30_000;
    assert.equal((await f.budget.snapshot(['agent:bot'])).breakers['agent:bot']!.state, 'half_open');
    assert.deepEqual(await f.budget.reserve('probe', ['agent:bot'], { usd: 0.01, tokens: 0 }), { ok: true });
    const second = await f.budget.reserve('second', ['agent:bot'], { usd: 0.01, tokens: 0 });
    assert.ok(!second.ok && second.kind === 'breaker' && /probe action probe in flight/.test(second.reason));
    assert.equal((await f.budget.snapshot(['agent:bot'])).breakers['agent:bot']!.state, 'open');
    await f.budget.settle('probe', { usd: 0.01 });
    assert.equal((await f.budget.getBreaker('agent:bot')).state, 'closed');
    assert.deepEqual(await f.budget.reserve('second', ['agent:bot'], { usd: 0.01, tokens: 0 }), { ok: true });
    const types = (await f.budget.breakerEvents()).map((e) => e.type);
    assert.deepEqual(types.slice(0, 2), ['closed', 'trip']);
  });

  it('half-open reopens when the runaway continues; a released probe frees the slot', async () => {
    for (let i = 1; i <= 4; i++) await f.budget.recordAttempt({ actionId: `k${i}`, scopes: ['agent:bot'], tool: 'x', argsHash: 'h', costUsd: 0 });
    f.now.ms += 30_000;
    assert.deepEqual(await f.budget.reserve('p1', ['agent:bot'], { usd: 0.01, tokens: 0 }), { ok: true });
    await f.budget.release('p1');
    assert.equal((await f.budget.snapshot(['agent:bot'])).breakers['agent:bot']!.state, 'half_open');
    for (let i = 5; i <= 8; i++) await f.budget.recordAttempt({ actionId: `k${i}`, scopes: ['agent:bot'], tool: 'x', argsHash: 'h', costUsd: 0 });
    const b = await f.budget.getBreaker('agent:bot');
    assert.equal(b.state, 'open');
    assert.equal(b.trips, 2);
  });
});
