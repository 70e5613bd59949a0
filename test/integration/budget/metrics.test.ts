// Budget metrics through the shared prom-client registry: rejections, trips, resets, per-kind totals, breaker states.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBudgetSweeper } from '../../../src/budget/index.ts';
import { promBudgetMetrics } from '../../../src/metrics/budget-metrics.ts';
import { registry } from '../../../src/metrics/registry.ts';
import { budgetFixture, type BudgetFixture } from './helpers.ts';
import { createBudgetService } from '../../../src/budget/index.ts';

const value = async (name: string, labels: Record<string, string>): Promise<number> => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const v = metric?.values.find((x) => Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l));
  return v ? Number(v.value) : Number.NaN;
};

describe('budget metrics (real Redis, shared registry)', () => {
  let f: BudgetFixture;
  before(async () => { f = await budgetFixture(); });
  after(async () => { await f.cleanup(); });

  it('counts rejections, trips and resets and publishes per-kind totals and breaker states', async () => {
    const budget = createBudgetService({ redis: f.redis, prefix: f.prefix, clock: () => f.now.ms, config: f.config, metrics: promBudgetMetrics });
    const scopes = ['workflow:wf-m', 'agent:m', 'global'];
    await budget.reserve('m1', scopes, { usd: 9, tokens: 0 });
    await budget.settle('m1', { usd: 8 });
    await budget.reserve('m2', scopes, { usd: 1.5, tokens: 0 });
    const refused = await budget.reserve('m3', scopes, { usd: 1, tokens: 0 });
    assert.equal(refused.ok, false);
    assert.equal(await value('airlock_budget_rejections_total', { scope_kind: 'workflow', reason: 'cap_usd' }), 1);

    for (let i = 0; i < 5; i++) await budget.recordAttempt({ actionId: `l${i}`, scopes: ['agent:m'], tool: 'cluster.scale', argsHash: 'h', costUsd: 0 });
    assert.equal(await value('airlock_breaker_trips_total', { scope_kind: 'agent', trigger: 'loop' }), 1);

    const sweeper = startBudgetSweeper({ budget, intervalMs: 60_000 });
    await sweeper.sweepOnce();
    await sweeper.stop();
    assert.equal(await value('airlock_budget_spent_usd', { scope_kind: 'workflow' }), 8);
    assert.equal(await value('airlock_budget_reserved_usd', { scope_kind: 'workflow' }), 1.5);
    assert.equal(await value('airlock_budget_remaining_usd', { scope_kind: 'workflow' }), 100 + 0.5); // wf-big (override, untouched) + wf-m
    assert.equal(await value('airlock_breaker_state', { scope_kind: 'agent', state: 'open' }), 1);

    await budget.resetBreaker('agent:m', 'ops');
    await budget.refreshMetrics();
    assert.equal(await value('airlock_breaker_resets_total', { scope_kind: 'agent' }), 1);
    assert.equal(await value('airlock_breaker_state', { scope_kind: 'agent', state: 'open' }), 0);
    assert.equal(await value('airlock_breaker_state', { scope_kind: 'agent', state: 'closed' }), 1);
  });
});
