// Pure parts of the budget module: scope names, windows, money, configuration and breaker state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetConfigFromPolicyData, BudgetConfigError, InvalidScopeError, resolveCap, scopeKind, scopesFor } from '../../../src/budget/index.ts';
import { formatUsd, microsToUsd, usdToMicros } from '../../../src/budget/money.ts';
import { breakerView } from '../../../src/budget/service.ts';
import { periodOf } from '../../../src/budget/windows.ts';

const data = {
  budgets: {
    defaults: {
      workflow: { capUsd: 10, capTokens: 200000, window: 'none' },
      agent: { capUsd: 50, capTokens: 2000000, window: 'day' },
      tenant: { capUsd: 1000, capTokens: 50000000, window: 'month' },
      global: { capUsd: 5000, capTokens: 200000000, window: 'day' },
    },
    overrides: { 'workflow:wf-big': { capUsd: 100 } },
  },
  breakers: { velocityUsdPerMinute: 5, velocityWindowSeconds: 60, loopCount: 5, loopWindowSeconds: 30, cooldownSeconds: 300 },
};

describe('budget model', () => {
  it('parses scope names and rejects anything else', () => {
    assert.equal(scopeKind('workflow:wf-1'), 'workflow');
    assert.equal(scopeKind('tenant:acme'), 'tenant');
    assert.equal(scopeKind('global'), 'global');
    for (const bad of ['', 'workflow:', 'team:x', 'global:x', 'agent:a b', 'agent:' + 'x'.repeat(200), 'agent:a:b*']) {
      assert.throws(() => scopeKind(bad), InvalidScopeError, bad);
    }
    assert.throws(() => scopesFor({ agentId: 'a*b', workflowId: 'w', tenant: null }), InvalidScopeError);
  });

  it('names UTC periods per window', () => {
    const t = Date.parse('2026-12-31T23:59:59.999Z');
    assert.equal(periodOf('none', t), 'all');
    assert.equal(periodOf('day', t), '2026-12-31');
    assert.equal(periodOf('month', t), '2026-12');
    assert.equal(periodOf('day', t + 1), '2027-01-01');
    assert.equal(periodOf('month', t + 1), '2027-01');
  });

  it('converts USD to integer micro-dollars exactly', () => {
    assert.equal(usdToMicros(0.1) * 3, usdToMicros(0.3));
    assert.equal(microsToUsd(usdToMicros(0.1) * 3), 0.3);
    assert.equal(formatUsd(100000), '$0.10');
    assert.throws(() => usdToMicros(-0.01));
    assert.throws(() => usdToMicros(Number.POSITIVE_INFINITY));
    assert.throws(() => usdToMicros(1e9));
  });

  it('resolves caps: runtime change > policy override > kind default', () => {
    const config = budgetConfigFromPolicyData(data);
    assert.deepEqual(resolveCap(config, 'workflow:wf-big'), { kind: 'workflow', window: 'none', capUsd: 100, capTokens: 200000 });
    assert.deepEqual(resolveCap(config, 'agent:x'), { kind: 'agent', window: 'day', capUsd: 50, capTokens: 2000000 });
    assert.equal(resolveCap(config, 'workflow:wf-big', { capUsd: 7 }).capUsd, 7);
  });

  it('reports a malformed policy data naming the field', () => {
    assert.throws(() => budgetConfigFromPolicyData({}), (e: unknown) => e instanceof BudgetConfigError && /budgets/.test(e.message));
    const bad = structuredClone(data) as { budgets: { defaults: { agent: { window: string } } } };
    bad.budgets.defaults.agent.window = 'week';
    assert.throws(() => budgetConfigFromPolicyData(bad), /budgets\.defaults\.agent\.window/);
    const badScope = structuredClone(data) as { budgets: { overrides: Record<string, unknown> } };
    badScope.budgets.overrides['team:x'] = { capUsd: 1 };
    assert.throws(() => budgetConfigFromPolicyData(badScope), /invalid scope "team:x"/);
    const noBreakers = { budgets: data.budgets };
    assert.equal(budgetConfigFromPolicyData(noBreakers).breakers.loopCount, 5);
  });

  it('derives the effective breaker state from stored state, cooldown and probe', () => {
    assert.deepEqual(breakerView([null, null, null, null], 0), { state: 'closed', reason: null });
    assert.deepEqual(breakerView(['open', 'loop', '1000', null], 999), { state: 'open', reason: 'loop' });
    assert.deepEqual(breakerView(['open', 'loop', '1000', null], 1000), { state: 'half_open', reason: 'loop' });
    assert.equal(breakerView(['open', 'loop', '1000', 'a1'], 1000).state, 'open');
  });
});
