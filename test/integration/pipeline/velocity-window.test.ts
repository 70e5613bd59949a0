// The spend-velocity breaker keeps a running sum (O(expiring entries) per attempt, not O(window)): it must agree with
// a full recount of the window as attempts enter and leave it, across resets, and when the window key expires.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { budgetFixture, testPolicyData, type BudgetFixture } from '../budget/helpers.ts';

let f: BudgetFixture;
before(async () => {
  // $6 per 60 s: trips above $6.00 within any 60 s.
  f = await budgetFixture({ policyData: testPolicyData({ breakers: { velocityUsdPerMinute: 6, velocityWindowSeconds: 60, loopCount: 1000, loopWindowSeconds: 30, cooldownSeconds: 1 } }) });
});
after(() => f.cleanup());

const attempt = (id: string, usd: number, scope = 'agent:slider') =>
  f.budget.recordAttempt({ actionId: id, scopes: [scope], tool: 'pay', argsHash: id, costUsd: usd });

/** The sum a full recount of the window gives (what the script computed before it kept a running sum). */
async function recount(scope: string): Promise<number> {
  const members = await f.redis.zrangebyscore(`${f.prefix}breaker:velocity:${scope}`, f.now.ms - 60_000, '+inf');
  return members.reduce((s, m) => s + Number(m.slice(m.lastIndexOf('|') + 1)), 0);
}
const runningSum = async (scope: string) => Number(await f.redis.hget(`${f.prefix}breaker:${scope}`, 'velocityMicros'));

it('spend spread wider than the window never trips; the running sum equals a recount at every step', async () => {
  // $1 every 15 s: at most $5 in any 60 s window (its start instant included), always under $6.
  for (let i = 0; i < 40; i++) {
    assert.deepEqual(await attempt(`s${i}`, 1), [], `attempt ${i} must not trip`);
    assert.equal(await runningSum('agent:slider'), await recount('agent:slider'), `sum after attempt ${i}`);
    f.now.ms += 15_000;
  }
  assert.equal(await runningSum('agent:slider'), 5_000_000, 'the last five dollars were in the window of the last attempt');
});

it('a burst inside the window trips; re-recording the same attempt does not count it twice', async () => {
  for (let i = 0; i < 6; i++) assert.deepEqual(await attempt(`b${i}`, 1, 'agent:burst'), []);
  assert.deepEqual(await attempt('b5', 1, 'agent:burst'), [], 'a redelivered attempt is the same attempt');
  assert.deepEqual(await attempt('b6', 0.5, 'agent:burst'), ['agent:burst']);
  assert.equal(await runningSum('agent:burst'), await recount('agent:burst'));
});

it('after a reset earlier spend no longer counts; after an idle period the sum starts from zero', async () => {
  for (let i = 0; i < 5; i++) await attempt(`r${i}`, 1, 'agent:reset');
  await f.budget.resetBreaker('agent:reset', 'alice');
  f.now.ms += 1;
  assert.deepEqual(await attempt('r5', 5.5, 'agent:reset'), [], 'only the $5.50 after the reset counts');
  assert.equal(await runningSum('agent:reset'), 5_500_000);
  // The window key expires when idle longer than the window: the kept sum must not survive it.
  await f.redis.del(`${f.prefix}breaker:velocity:agent:reset`);
  f.now.ms += 120_000;
  assert.deepEqual(await attempt('r6', 1, 'agent:reset'), []);
  assert.equal(await runningSum('agent:reset'), 1_000_000);
});
