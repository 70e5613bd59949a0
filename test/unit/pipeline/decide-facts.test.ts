// The decide job's facts: state is read while the action is claimed, used only when the record has the same facts.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { useTestRedis } from '../../support/redis.ts';
import { createActionStore, type ActionStore } from '../../../src/pipeline/action-store.ts';
import { actionFacts } from '../../../src/pipeline/action-facts.ts';
import type { BreakerAttempt, BudgetPort } from '../../../src/pipeline/budget-port.ts';
import { decideAction } from '../../../src/pipeline/decide-step.ts';
import type { PolicyEngine } from '../../../src/policy/engine.ts';
import { factsOf, type ActionFacts } from '../../../src/queue/names.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';

const testRedis = useTestRedis('t-decide-facts');

interface Setup {
  events: string[];
  snapshots: Array<{ scopes: string[]; attempt: BreakerAttempt | undefined }>;
  inputs: Array<{ action: { workflowId: string }; budget: unknown }>;
  warnings: string[];
  executeQueue: string[];
  store: ActionStore;
  deps: Parameters<typeof decideAction>[0];
}

function setup(): Setup {
  const events: string[] = [];
  const snapshots: Setup['snapshots'] = [];
  const inputs: Setup['inputs'] = [];
  const warnings: string[] = [];
  const executeQueue: string[] = [];
  const inner = createActionStore(testRedis.redis, testRedis.prefix);
  // The store as the decide step sees it, with the claim's start and end in the event log.
  const store: ActionStore = {
    ...inner,
    transition: async (id, req) => {
      events.push(`transition ${req.to} sent`);
      const r = await inner.transition(id, req);
      events.push(`transition ${req.to} done`);
      return r;
    },
  };
  const budget: BudgetPort = {
    scopesFor: (a) => [`workflow:${a.workflowId}`, `agent:${a.agentId}`],
    snapshot: async (scopes, attempt) => {
      events.push(`snapshot ${scopes.join(',')}`);
      snapshots.push({ scopes, attempt });
      return { scopes: Object.fromEntries(scopes.map((s) => [s, { scope: s }])), breakers: {} };
    },
    reserve: async () => ({ ok: true }),
    settle: async () => undefined,
    release: async () => undefined,
  };
  const policy: PolicyEngine = {
    revision: 'rev-facts',
    data: { agents: { bot: { roles: ['ops'], tenant: null } } },
    evaluate(input) {
      inputs.push(input as unknown as Setup['inputs'][number]);
      return { outcome: 'allow', reasons: ['ok'], maxTokens: null, costCeilingUsd: null, onBudgetExceeded: 'deny', policyRevision: 'rev-facts', failClosed: null, evalMs: 0.01 };
    },
  };
  const logger = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { warnings.push(String(chunk)); done(); } }));
  const deps = {
    store, policy, tools: createToolRegistry(), budget, clock: () => Date.now(), logger, reviewTtlSeconds: 60,
    enqueueExecute: async (id: string) => void executeQueue.push(id),
  };
  return { events, snapshots, inputs, warnings, executeQueue, store: inner, deps };
}

const submit = (s: Setup, workflowId: string) =>
  s.store.create({ agentId: 'bot', workflowId, tool: 'echo', args: { n: workflowId }, estimate: { costUsd: 0.25, tokens: 10 }, context: {}, idempotencyKey: null }, new Date());

describe('decide job facts', () => {
  it('with the facts of the record: the snapshot goes out before the claim returns, once, and the action is decided on it', async () => {
    const s = setup();
    const { action } = await submit(s, 'wf-facts-1');
    const facts = actionFacts(action);
    await decideAction(s.deps, action.id, facts);
    assert.ok(s.events.indexOf('snapshot workflow:wf-facts-1,agent:bot') < s.events.indexOf('transition deciding done'), s.events.join(' | '));
    assert.equal(s.snapshots.length, 1);
    assert.deepEqual(s.snapshots[0]!.attempt, {
      actionId: action.id, scopes: ['workflow:wf-facts-1', 'agent:bot'], tool: 'echo', argsHash: facts.argsHash, costUsd: 0.25,
    });
    assert.deepEqual(Object.keys((s.inputs[0]!.budget as { scopes: object }).scopes), ['workflow:wf-facts-1', 'agent:bot']);
    assert.equal((await s.store.get(action.id))?.status, 'approved');
    assert.deepEqual(s.executeQueue, [action.id]);
    assert.deepEqual(s.warnings, []);
  });

  it('with facts that differ from the record: the state is read again from the record, which decides, and a warning says so', async () => {
    const s = setup();
    const { action } = await submit(s, 'wf-facts-2');
    const wrong: ActionFacts = { ...actionFacts(action), workflowId: 'wf-someone-else' };
    await decideAction(s.deps, action.id, wrong);
    assert.deepEqual(s.snapshots.map((x) => x.scopes[0]), ['workflow:wf-someone-else', 'workflow:wf-facts-2']);
    assert.equal(s.inputs.length, 1);
    assert.equal(s.inputs[0]!.action.workflowId, 'wf-facts-2');
    assert.deepEqual(Object.keys((s.inputs[0]!.budget as { scopes: object }).scopes), ['workflow:wf-facts-2', 'agent:bot']);
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0]!, /facts differ from the action/);
    assert.equal((await s.store.get(action.id))?.status, 'approved');
  });

  it('without facts: the state is read after the claim, from the record', async () => {
    const s = setup();
    const { action } = await submit(s, 'wf-facts-3');
    await decideAction(s.deps, action.id);
    assert.ok(s.events.indexOf('transition deciding done') < s.events.indexOf('snapshot workflow:wf-facts-3,agent:bot'), s.events.join(' | '));
    assert.equal(s.snapshots.length, 1);
    assert.equal((await s.store.get(action.id))?.status, 'approved');
  });

  it('a redelivered job with facts finds the action decided and decides nothing again', async () => {
    const s = setup();
    const { action } = await submit(s, 'wf-facts-4');
    await decideAction(s.deps, action.id, actionFacts(action));
    await decideAction(s.deps, action.id, actionFacts(action));
    assert.equal(s.inputs.length, 1);
    // The redelivery re-sends the execute wake-up of the approved action (the crash-recovery path; one job per action id).
    assert.deepEqual(s.executeQueue, [action.id, action.id]);
    assert.equal((await s.store.get(action.id))?.status, 'approved');
  });

  it('job data read back from Redis: facts of another shape are ignored', () => {
    const good = { agentId: 'a', workflowId: 'w', tool: 't', argsHash: 'h', estimate: { costUsd: 1 } };
    assert.deepEqual(factsOf({ actionId: 'x', facts: good }), good);
    assert.equal(factsOf({ actionId: 'x' }), undefined);
    for (const bad of [{ ...good, agentId: 5 }, { ...good, estimate: null }, { ...good, estimate: { tokens: '3' } }, { ...good, argsHash: undefined }, 'text']) {
      assert.equal(factsOf({ actionId: 'x', facts: bad as unknown as ActionFacts }), undefined, JSON.stringify(bad));
    }
  });
});
