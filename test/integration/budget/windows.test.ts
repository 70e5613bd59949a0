// Budget windows roll over at UTC day and month boundaries (injected clock, real Redis).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { budgetFixture, testPolicyData, type BudgetFixture } from './helpers.ts';

describe('budget windows roll over (real Redis, injected clock)', () => {
  let f: BudgetFixture;
  before(async () => {
    const data = testPolicyData() as { budgets: { defaults: Record<string, { capUsd: number }> } };
    data.budgets.defaults.agent!.capUsd = 1; // day
    data.budgets.defaults.tenant!.capUsd = 2; // month
    f = await budgetFixture({ policyData: data, startMs: Date.parse('2026-01-31T23:59:59.000Z') });
  });
  after(async () => { await f.cleanup(); });

  const scopes = ['workflow:wf-roll', 'agent:night-bot', 'tenant:acme'];
  const spend = async (id: string, usd: number) => {
    const r = await f.budget.reserve(id, scopes, { usd, tokens: 0 });
    if (r.ok) await f.budget.settle(id, {});
    return r;
  };

  it('a full day cap refuses until the next UTC day, and the month cap until the next month', async () => {
    assert.deepEqual(await spend('d1', 1), { ok: true });
    const full = await spend('d2', 0.5);
    assert.ok(!full.ok && full.scope === 'agent:night-bot');

    f.now.ms = Date.parse('2026-02-01T00:00:00.000Z'); // next day and next month
    let snap = await f.budget.snapshot(scopes);
    assert.deepEqual([snap.scopes['agent:night-bot']!.spentUsd, snap.scopes['agent:night-bot']!.window], [0, 'day']);
    assert.deepEqual([snap.scopes['tenant:acme']!.spentUsd, snap.scopes['tenant:acme']!.window], [0, 'month']);
    assert.equal(snap.scopes['workflow:wf-roll']!.spentUsd, 1, 'a window "none" scope never rolls over');

    assert.deepEqual(await spend('d3', 1), { ok: true }); // Feb 1: day 1/1, month 1/2
    f.now.ms = Date.parse('2026-02-02T08:00:00.000Z');
    assert.deepEqual(await spend('d4', 1), { ok: true }); // Feb 2: day 1/1, month 2/2
    f.now.ms = Date.parse('2026-02-03T08:00:00.000Z');
    const monthFull = await spend('d5', 0.5);
    assert.ok(!monthFull.ok && monthFull.scope === 'tenant:acme', 'the month cap holds across days');
    snap = await f.budget.snapshot(scopes);
    assert.deepEqual([snap.scopes['agent:night-bot']!.spentUsd, snap.scopes['tenant:acme']!.spentUsd], [0, 2]);

    f.now.ms = Date.parse('2026-03-01T00:00:00.000Z');
    assert.deepEqual(await spend('d6', 0.5), { ok: true });
    snap = await f.budget.snapshot(scopes);
    assert.equal(snap.scopes['tenant:acme']!.spentUsd, 0.5);
    assert.equal(snap.scopes['workflow:wf-roll']!.spentUsd, 3.5);
  });

  it('a reservation made before midnight settles into the period it was reserved in', async () => {
    f.now.ms = Date.parse('2026-04-10T23:59:59.900Z');
    assert.deepEqual(await f.budget.reserve('m1', scopes, { usd: 0.4, tokens: 0 }), { ok: true });
    f.now.ms = Date.parse('2026-04-11T00:00:00.100Z');
    await f.budget.settle('m1', {});
    const today = await f.budget.snapshot(scopes);
    assert.deepEqual([today.scopes['agent:night-bot']!.spentUsd, today.scopes['agent:night-bot']!.reservedUsd], [0, 0]);
    f.now.ms = Date.parse('2026-04-10T12:00:00.000Z');
    const yesterday = await f.budget.snapshot(scopes);
    assert.deepEqual([yesterday.scopes['agent:night-bot']!.spentUsd, yesterday.scopes['agent:night-bot']!.reservedUsd], [0.4, 0]);
  });
});
