// Reserve / settle / release / lease semantics of the budget service on a real Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BudgetInputError, InvalidScopeError } from '../../../src/budget/index.ts';
import { budgetFixture, type BudgetFixture } from './helpers.ts';

describe('budget reservations (real Redis)', () => {
  let f: BudgetFixture;
  before(async () => { f = await budgetFixture({ leaseMs: 1000 }); });
  after(async () => { await f.cleanup(); });

  const scopes = () => f.budget.scopesFor({ agentId: 'bot', workflowId: `wf-${Math.random().toString(36).slice(2)}`, tenant: 'acme' });

  it('applies workflow, agent, tenant and global scopes', () => {
    assert.deepEqual(f.budget.scopesFor({ agentId: 'a', workflowId: 'w', tenant: 't' }), ['workflow:w', 'agent:a', 'tenant:t', 'global']);
    assert.deepEqual(f.budget.scopesFor({ agentId: 'a', workflowId: 'w', tenant: null }), ['workflow:w', 'agent:a', 'global']);
  });

  it('reserves all or nothing and names the scope that would pass its cap', async () => {
    const s = scopes();
    assert.deepEqual(await f.budget.reserve('r1', s, { usd: 6, tokens: 100 }), { ok: true });
    const refused = await f.budget.reserve('r2', s, { usd: 6, tokens: 100 });
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.scope === s[0] && refused.kind === 'cap');
    assert.match(!refused.ok ? refused.reason : '', /budget exceeded in workflow:.*needs \$6\.00, \$4\.00 of \$10\.00 remaining/);
    const snap = await f.budget.snapshot(s);
    // The refused reservation left no trace in any scope.
    for (const scope of s) assert.equal(snap.scopes[scope]!.reservedUsd, 6, scope);
    assert.equal(snap.scopes[s[0]!]!.remainingUsd, 4);
    assert.equal(snap.breakers[s[0]!]!.state, 'closed');
  });

  it('expectsGrant: room for the amount in every scope of the snapshot, tokens included, every breaker closed', async () => {
    const s = scopes();
    let snap = await f.budget.snapshot(s);
    assert.equal(f.budget.expectsGrant(snap, s, { usd: 10, tokens: 0 }), true, 'the whole workflow cap is free');
    assert.equal(f.budget.expectsGrant(snap, s, { usd: 10.01, tokens: 0 }), false);
    const capTokens = snap.scopes[s[0]!]!.capTokens;
    assert.equal(f.budget.expectsGrant(snap, s, { usd: 0, tokens: capTokens + 1 }), false);
    assert.equal(f.budget.expectsGrant(snap, [...s, 'workflow:not-read'], { usd: 0, tokens: 0 }), false, 'a scope the snapshot lacks');
    assert.deepEqual(await f.budget.reserve('g1', s, { usd: 7, tokens: 0 }), { ok: true });
    snap = await f.budget.snapshot(s);
    assert.equal(f.budget.expectsGrant(snap, s, { usd: 3, tokens: 0 }), true);
    assert.equal(f.budget.expectsGrant(snap, s, { usd: 4, tokens: 0 }), false, 'reserved spend counts');
    const opened = { ...snap, breakers: { ...snap.breakers, [s[1]!]: { ...snap.breakers[s[1]!]!, state: 'half_open' as const } } };
    assert.equal(f.budget.expectsGrant(opened, s, { usd: 0, tokens: 0 }), false, 'a breaker not closed');
  });

  it('is idempotent: a second reserve, settle or release never counts twice', async () => {
    const s = scopes();
    assert.deepEqual(await f.budget.reserve('i1', s, { usd: 0.1, tokens: 5 }), { ok: true });
    assert.deepEqual(await f.budget.reserve('i1', s, { usd: 0.1, tokens: 5 }), { ok: true });
    let snap = await f.budget.snapshot(s);
    assert.equal(snap.scopes[s[0]!]!.reservedUsd, 0.1);
    const first = await f.budget.settle('i1', { usd: 0.07, tokens: 3 });
    assert.deepEqual(first, { settled: true, chargedUsd: 0.07, chargedTokens: 3 });
    assert.equal((await f.budget.settle('i1', { usd: 0.07 })).settled, false);
    assert.equal(await f.budget.release('i1'), false);
    const again = await f.budget.reserve('i1', s, { usd: 0.1, tokens: 5 });
    assert.equal(again.ok, false);
    assert.ok(!again.ok && again.kind === 'closed');
    snap = await f.budget.snapshot(s);
    assert.deepEqual(
      [snap.scopes[s[0]!]!.spentUsd, snap.scopes[s[0]!]!.reservedUsd, snap.scopes[s[0]!]!.spentTokens, snap.scopes[s[0]!]!.reservedTokens],
      [0.07, 0, 3, 0],
    );
  });

  it('charges the estimate when the actual cost is unknown, never zero', async () => {
    const s = scopes();
    await f.budget.reserve('u1', s, { usd: 0.25, tokens: 40 });
    assert.deepEqual(await f.budget.settle('u1', {}), { settled: true, chargedUsd: 0.25, chargedTokens: 40 });
    await f.budget.reserve('u2', s, { usd: 0.25, tokens: 40 });
    assert.deepEqual(await f.budget.settle('u2', { tokens: 10 }), { settled: true, chargedUsd: 0.25, chargedTokens: 10 });
    const snap = await f.budget.snapshot(s);
    assert.equal(snap.scopes[s[0]!]!.spentUsd, 0.5);
  });

  it('adds micro-dollars without float drift', async () => {
    const s = scopes();
    for (let i = 0; i < 30; i++) {
      await f.budget.reserve(`d${i}`, s, { usd: 0.1, tokens: 0 });
      await f.budget.settle(`d${i}`, {});
    }
    assert.equal((await f.budget.snapshot(s)).scopes[s[0]!]!.spentUsd, 3);
  });

  it('release returns the reservation; the sweeper only reclaims leases that were not renewed', async () => {
    const s = scopes();
    await f.budget.reserve('l1', s, { usd: 1, tokens: 1 });
    await f.budget.reserve('l2', s, { usd: 1, tokens: 1 });
    await f.budget.reserve('l3', s, { usd: 1, tokens: 1 });
    assert.equal(await f.budget.release('l3'), true);
    f.now.ms += 800;
    assert.equal(await f.budget.renewLease('l2'), true); // still running: lease extended to +1800
    f.now.ms += 400; // l1 lease (1000) ended, l2 renewed
    const reclaimed = await f.budget.sweepExpired();
    assert.ok(reclaimed >= 1);
    const snap = await f.budget.snapshot(s);
    assert.equal(snap.scopes[s[0]!]!.reservedUsd, 1, 'only l2 is still reserved');
    assert.equal(await f.budget.renewLease('l1'), false, 'a reclaimed reservation cannot be renewed');
    // A late settle of the reclaimed action still charges what it spent, once.
    assert.equal((await f.budget.settle('l1', { usd: 0.4 })).settled, true);
    assert.equal((await f.budget.settle('l1', { usd: 0.4 })).settled, false);
    assert.equal((await f.budget.settle('l2', {})).settled, true);
    const end = await f.budget.snapshot(s);
    assert.deepEqual([end.scopes[s[0]!]!.spentUsd, end.scopes[s[0]!]!.reservedUsd], [1.4, 0]);
  });

  it('enforces token caps too', async () => {
    const s = scopes();
    const r = await f.budget.reserve('t1', s, { usd: 0, tokens: 200001 });
    assert.ok(!r.ok && r.kind === 'cap' && /token budget exceeded in workflow:/.test(r.reason));
  });

  it('rejects bad input with typed errors', async () => {
    const s = scopes();
    await assert.rejects(f.budget.reserve('b1', s, { usd: -1, tokens: 0 }), BudgetInputError);
    await assert.rejects(f.budget.reserve('b1', s, { usd: Number.NaN, tokens: 0 }), BudgetInputError);
    await assert.rejects(f.budget.reserve('b1', s, { usd: 1, tokens: 1.5 }), BudgetInputError);
    await assert.rejects(f.budget.reserve('b1', ['workflow:'], { usd: 1, tokens: 1 }), InvalidScopeError);
    await assert.rejects(f.budget.reserve('b1', [], { usd: 1, tokens: 1 }), BudgetInputError);
    await assert.rejects(f.budget.reserve('', s, { usd: 1, tokens: 1 }), BudgetInputError);
    await assert.rejects(f.budget.snapshot(['bogus']), InvalidScopeError);
  });
});
