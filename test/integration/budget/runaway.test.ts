// Acceptance, the runaway story: an agent calls cluster.scale in a tight loop; the breaker opens within its window,
// later actions go to review, spend stays under the cap, and a reviewer's reset lets work continue.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { budgetConfigFromPolicyData, createBudgetService, type BudgetMetrics, type BudgetService } from '../../../src/budget/index.ts';
import { deletePrefix, REDIS_URL, testPolicyData } from './helpers.ts';

type Outcome = 'executed' | 'review' | 'denied';

/** The pipeline's order of budget calls (decide: snapshot → breaker fail-safe → reserve; execute: settle → recordAttempt). */
async function runAction(budget: BudgetService, a: { id: string; args: string; costUsd: number }): Promise<{ outcome: Outcome; reason?: string }> {
  const scopes = budget.scopesFor({ agentId: 'scaler', workflowId: 'wf-runaway', tenant: 'acme' });
  const snap = await budget.snapshot(scopes);
  const open = Object.entries(snap.breakers).find(([, b]) => b.state === 'open');
  if (open) return { outcome: 'review', reason: `breaker ${open[0]}: ${open[1].reason}` };
  const r = await budget.reserve(a.id, scopes, { usd: a.costUsd, tokens: 0 });
  if (!r.ok) return { outcome: r.kind === 'breaker' ? 'review' : 'denied', reason: r.reason };
  await budget.settle(a.id, { usd: a.costUsd });
  await budget.recordAttempt({ actionId: a.id, scopes, tool: 'cluster.scale', argsHash: a.args, costUsd: a.costUsd });
  return { outcome: 'executed' };
}

describe('runaway agent (real Redis)', () => {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const prefix = `test:budget:${randomUUID()}:`;
  const now = { ms: Date.parse('2026-11-25T10:00:00.000Z') };
  const trips: string[] = [];
  const metrics: BudgetMetrics = {
    rejected() {}, scopeTotals() {}, breakerStates() {}, reclaimed() {}, breakerReset() {},
    breakerTripped: (kind, trigger) => void trips.push(`${kind}:${trigger}`),
  };
  let budget: BudgetService;
  before(() => {
    const config = budgetConfigFromPolicyData(testPolicyData({ workflowCapUsd: 10 }));
    budget = createBudgetService({ redis, prefix, clock: () => now.ms, config, metrics });
  });
  after(async () => { await deletePrefix(redis, prefix); redis.disconnect(); });

  it('a tight loop of identical cluster.scale calls trips the loop breaker; the rest waits in review; reset resumes', async () => {
    const cfg = testPolicyData() as { breakers: { loopCount: number; loopWindowSeconds: number } };
    const outcomes: Outcome[] = [];
    let firstReviewAt = -1;
    const start = now.ms;
    for (let i = 0; i < 40; i++) {
      now.ms += 50; // a tight loop: 20 calls per second
      const r = await runAction(budget, { id: `scale-${i}`, args: 'nodes=500', costUsd: 0.5 });
      outcomes.push(r.outcome);
      if (r.outcome === 'review' && firstReviewAt < 0) {
        firstReviewAt = i;
        assert.match(r.reason ?? '', /loop: cluster\.scale called 5 times/);
      }
    }
    assert.equal(outcomes.filter((o) => o === 'executed').length, cfg.breakers.loopCount, 'only the calls up to the trip ran');
    assert.ok(outcomes.slice(cfg.breakers.loopCount).every((o) => o === 'review'), 'every later call went to review');
    assert.ok((now.ms - start) / 1000 < cfg.breakers.loopWindowSeconds, 'tripped within the loop window');
    const snap = await budget.snapshot(['workflow:wf-runaway', 'agent:scaler']);
    assert.equal(snap.scopes['workflow:wf-runaway']!.spentUsd, 2.5);
    assert.ok(snap.scopes['workflow:wf-runaway']!.spentUsd < snap.scopes['workflow:wf-runaway']!.capUsd);
    assert.ok(trips.includes('agent:loop') && trips.includes('workflow:loop'));
    const events = await budget.breakerEvents();
    assert.ok(events.some((e) => e.type === 'trip' && e.scope === 'agent:scaler' && e.kind === 'loop'));

    // A reviewer approves one parked action: a human's approval is not blocked by the breaker.
    assert.deepEqual(await budget.reserve('scale-approved', budget.scopesFor({ agentId: 'scaler', workflowId: 'wf-runaway', tenant: 'acme' }), { usd: 0.5, tokens: 0 }, { approvedByHuman: true }), { ok: true });
    await budget.settle('scale-approved', {});

    // The reviewer resets every tripped scope; work continues.
    for (const b of await budget.listBreakers()) if (b.state !== 'closed') await budget.resetBreaker(b.scope, 'reviewer-rita');
    now.ms += 50;
    const resumed = await runAction(budget, { id: 'scale-after-reset', args: 'nodes=3', costUsd: 0.5 });
    assert.equal(resumed.outcome, 'executed');
    assert.ok((await budget.breakerEvents()).some((e) => e.type === 'reset' && e.by === 'reviewer-rita'));
  });

  it('fast spend with varying arguments trips the velocity breaker before the cap is reached', async () => {
    now.ms += 120_000; // fresh velocity window
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 10; i++) {
      now.ms += 200;
      outcomes.push((await runAction(budget, { id: `burst-${i}`, args: `nodes=${i}`, costUsd: 2 })).outcome);
    }
    // $5/min limit: $2, $4 pass, the 3rd ($6 in the window) trips, everything after waits for a human.
    assert.deepEqual(outcomes.slice(0, 3), ['executed', 'executed', 'executed']);
    assert.ok(outcomes.slice(3).every((o) => o === 'review'));
    assert.ok(trips.includes('agent:velocity'));
    const w = (await budget.snapshot(['workflow:wf-runaway'])).scopes['workflow:wf-runaway']!;
    assert.ok(w.spentUsd <= w.capUsd, `spent ${w.spentUsd}`);
  });
});
