// Decide and execute steps with the compiled fixture policy and the real budget service on Redis: reservations capped by the
// policy's cost ceiling, settlement with the executor's reported cost, and a refused reservation turning into a deny.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { useTestRedis } from '../../support/redis.ts';
import pino from 'pino';
import { budgetConfigFromPolicyData, createBudgetService } from '../../../src/budget/index.ts';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { decideAction } from '../../../src/pipeline/decide-step.ts';
import { executeAction } from '../../../src/pipeline/execute-step.ts';
import { createPolicyHolder } from '../../../src/policy/engine.ts';
import { loadPolicyArtifact } from '../../../src/policy/source.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';
import { promPolicyMetrics } from '../../../src/metrics/policy-metrics.ts';

const FIXTURE = new URL('../../fixtures/policies/simple/', import.meta.url).pathname;
const logger = pino({ level: 'silent' });
const testRedis = useTestRedis('t-budget-wiring');
const { prefix } = testRedis;


/** The fixture policy, the real budget service configured from its data, and the store, on the test Redis. */
async function policyBudgetStore() {
  const policy = createPolicyHolder({ load: () => loadPolicyArtifact(FIXTURE), logger, metrics: promPolicyMetrics });
  await policy.reload();
  const clock = () => Date.now();
  const budget = createBudgetService({ redis: testRedis.redis, prefix: `${prefix}:`, clock, config: budgetConfigFromPolicyData(policy.data) });
  return { policy, clock, budget, store: createActionStore(testRedis.redis, prefix) };
}

it('reserve on allow, settle the reported cost, deny when the workflow cap would be passed', async () => {
  const { policy, clock, budget, store } = await policyBudgetStore();
  const tools = createToolRegistry();
  const queue: string[] = [];
  const decideDeps = { store, policy, tools, budget, clock, logger, reviewTtlSeconds: 60, enqueueExecute: async (id: string) => void queue.push(id) };
  const executeDeps = { store, tools, budget, clock, logger, leaseSeconds: 60, executor: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } };
  const wf = `wf-${randomBytes(3).toString('hex')}`;
  const submit = (usd: number, estimate: number) =>
    store.create({ agentId: 'bot', workflowId: wf, tool: 'costly', args: { usd }, estimate: { costUsd: estimate }, context: {}, idempotencyKey: null }, new Date());

  const a = (await submit(4, 7)).action; // estimate 7 is capped by the policy's cost_ceiling_usd of 5
  await decideAction(decideDeps, a.id);
  assert.equal((await store.get(a.id))?.status, 'approved');
  let snap = await budget.snapshot([`workflow:${wf}`]);
  assert.equal(snap.scopes[`workflow:${wf}`]?.reservedUsd, 5);
  await executeAction(executeDeps, a.id);
  const done = await store.get(a.id);
  assert.equal(done?.status, 'succeeded');
  assert.equal(done?.costUsd, 4);
  snap = await budget.snapshot([`workflow:${wf}`]);
  assert.equal(snap.scopes[`workflow:${wf}`]?.spentUsd, 4);
  assert.equal(snap.scopes[`workflow:${wf}`]?.reservedUsd, 0);

  const b = (await submit(4, 4)).action;
  await decideAction(decideDeps, b.id);
  await executeAction(executeDeps, b.id);
  const c = (await submit(4, 4)).action; // 4 + 4 spent, 4 more would pass the $10 workflow cap
  await decideAction(decideDeps, c.id);
  const denied = await store.get(c.id);
  assert.equal(denied?.status, 'denied');
  assert.ok(denied?.decision?.reasons.some((r) => r.includes(`workflow:${wf}`)), denied?.decision?.reasons.join('; '));
  assert.deepEqual(queue, [a.id, b.id]);
  const input = (await store.decisionInput(c.id)) as { budget: { scopes: Record<string, { spentUsd: number }> }; history: Array<{ id: string }> };
  assert.equal(input.budget.scopes[`workflow:${wf}`]?.spentUsd, 8, 'the policy saw the budget state');
  assert.deepEqual(input.history.map((h) => h.id), [b.id, a.id], 'and the workflow history, newest first');
});

it('the success of an execution is refused by Redis while its reservation waits for the settle, and recorded once it ran', async () => {
  const { policy, clock, budget, store } = await policyBudgetStore();
  const decideDeps = { store, policy, tools: createToolRegistry(), budget, clock, logger, reviewTtlSeconds: 60, enqueueExecute: async () => undefined };
  const wf = `wf-${randomBytes(3).toString('hex')}`;
  const { action } = await store.create({ agentId: 'bot', workflowId: wf, tool: 'costly', args: { usd: 1 }, estimate: { costUsd: 2 }, context: {}, idempotencyKey: null }, new Date());
  await decideAction(decideDeps, action.id);
  const claim = await store.transition(action.id, { from: ['approved'], to: 'executing', event: { type: 'execution_started', at: new Date().toISOString(), to: 'executing' }, countRun: true });
  assert.equal(claim.ok, true);
  const succeed = () => store.transition(action.id, {
    from: ['executing'], to: 'succeeded', event: { type: 'succeeded', at: new Date().toISOString(), to: 'succeeded', result: null, costUsd: 1, attempts: 1, durationMs: 1 },
    precondition: { ...budget.unsettled(action.id), holds: 'none of' },
  });
  assert.deepEqual(await succeed(), { ok: false, current: 'executing', unmet: true }, 'refused while the reservation is held');
  assert.equal((await store.get(action.id))?.status, 'executing');
  assert.equal((await budget.settle(action.id, { usd: 1 })).settled, true);
  assert.equal((await succeed()).ok, true, 'recorded once the settle ran');
  assert.equal((await store.get(action.id))?.status, 'succeeded');
});

it('with room in the budget the approval and the execute job go out before the reservation\'s reply; at the cap after it; a race at the cap ends as the refusal says', async () => {
  const { policy, clock, budget, store } = await policyBudgetStore();
  const tools = createToolRegistry();
  const queue: string[] = [];
  let reserveReplied = false;
  const repliedAtApproval: boolean[] = [];
  let forceExpect = false;
  const watched = {
    ...budget,
    scopesFor: budget.scopesFor,
    reserve: (...a: Parameters<typeof budget.reserve>) => {
      reserveReplied = false;
      return budget.reserve(...a).finally(() => { reserveReplied = true; });
    },
    expectsGrant: (...a: Parameters<typeof budget.expectsGrant>) => forceExpect || budget.expectsGrant(...a),
  };
  const watchedStore = {
    ...store,
    transition: (id: string, req: Parameters<typeof store.transition>[1]) => {
      if (req.to === 'approved') repliedAtApproval.push(reserveReplied);
      return store.transition(id, req);
    },
  };
  const decideDeps = { store: watchedStore, policy, tools, budget: watched, clock, logger, reviewTtlSeconds: 60, enqueueExecute: async (id: string) => void queue.push(id) };
  const executeDeps = { store, tools, budget, clock, logger, leaseSeconds: 60, executor: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } };
  const wf = `wf-${randomBytes(3).toString('hex')}`;
  const submit = (usd: number) =>
    store.create({ agentId: 'bot', workflowId: wf, tool: 'costly', args: { usd }, estimate: { costUsd: usd }, context: {}, idempotencyKey: null }, new Date());

  const a = (await submit(4)).action;
  await decideAction(decideDeps, a.id);
  assert.equal((await store.get(a.id))?.status, 'approved');
  assert.deepEqual(repliedAtApproval, [false], 'room: the approval went out before the reservation replied');
  assert.deepEqual(queue, [a.id]);
  await executeAction(executeDeps, a.id);
  const b = (await submit(4)).action;
  await decideAction(decideDeps, b.id);
  await executeAction(executeDeps, b.id); // $8 of the $10 workflow cap spent

  repliedAtApproval.length = 0;
  const atCap = (await submit(4)).action;
  await decideAction(decideDeps, atCap.id);
  assert.equal((await store.get(atCap.id))?.status, 'denied');
  assert.deepEqual(repliedAtApproval, [], 'no room: no approval was sent');
  assert.deepEqual(queue, [a.id, b.id], 'and no execute job');

  // A race at the cap: the snapshot said there was room, the reservation is refused. The approval is refused by Redis,
  // the refusal's outcome is recorded, and the execute job that went out finds the action denied.
  forceExpect = true;
  const raced = (await submit(4)).action;
  await decideAction(decideDeps, raced.id);
  const denied = await store.get(raced.id);
  assert.equal(denied?.status, 'denied');
  assert.ok(denied?.decision?.reasons.some((r) => r.includes(`workflow:${wf}`)), denied?.decision?.reasons.join('; '));
  assert.deepEqual(repliedAtApproval, [false]);
  assert.deepEqual(queue, [a.id, b.id, raced.id]);
  await executeAction(executeDeps, raced.id);
  assert.equal((await store.get(raced.id))?.status, 'denied', 'the early execute job changed nothing');
  const snap = await budget.snapshot([`workflow:${wf}`]);
  assert.deepEqual([snap.scopes[`workflow:${wf}`]?.spentUsd, snap.scopes[`workflow:${wf}`]?.reservedUsd], [8, 0]);
});
