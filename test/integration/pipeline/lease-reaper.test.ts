// The lease reaper on a real Redis: actions whose wake-up job was lost (queued, deciding, approved) are enqueued again once
// their lease runs out, executions whose worker died too; actions that no longer wait for a worker carry no lease.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { actionFacts, type ActionFacts } from '../../../src/pipeline/action-facts.ts';
import { NO_BUDGET } from '../../../src/pipeline/budget-port.ts';
import { decideAction } from '../../../src/pipeline/decide-step.ts';
import { reapExpiredLeases } from '../../../src/pipeline/lease-reaper.ts';
import type { PolicyDecision } from '../../../src/policy/decision.ts';
import type { PolicyEngine } from '../../../src/policy/engine.ts';
import { createReviewService } from '../../../src/review/review-service.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';
import { useTestRedis } from '../../support/redis.ts';

const testRedis = useTestRedis('t-lease-reaper');
const logger = pino({ level: 'silent' });
const REQUEUE_AFTER_MS = 30_000;

function engine(outcome: PolicyDecision['outcome']): PolicyEngine {
  return {
    revision: 'rev-reaper', data: {},
    evaluate: () => ({ outcome, reasons: [outcome], maxTokens: null, costCeilingUsd: null, onBudgetExceeded: 'deny', policyRevision: 'rev-reaper', failClosed: null, evalMs: 0.01 }),
  };
}

function setup(prefix: string) {
  let now = Date.parse('2026-12-06T12:00:00Z');
  const clock = () => now;
  const store = createActionStore(testRedis.redis, `${testRedis.prefix}-${prefix}`, { requeueAfterMs: REQUEUE_AFTER_MS });
  const decideQueue: Array<{ id: string; facts?: ActionFacts }> = [];
  const executeQueue: string[] = [];
  const reaperDeps = {
    store, clock, logger, leaseSeconds: 60,
    enqueueDecide: async (id: string, facts?: ActionFacts) => void decideQueue.push({ id, facts }),
    enqueueExecute: async (id: string) => void executeQueue.push(id),
  };
  const decideDeps = (policy: PolicyEngine) => ({
    store, policy, tools: createToolRegistry(), budget: NO_BUDGET, clock, logger, reviewTtlSeconds: 3600,
    enqueueExecute: async () => undefined, // the execute job is "lost"
  });
  const submit = (n: number) => store.create({
    agentId: 'bot', workflowId: `wf-${prefix}`, tool: 'echo', args: { n }, estimate: {}, context: {}, idempotencyKey: null,
  }, new Date(now));
  return {
    store, decideQueue, executeQueue, reaperDeps, decideDeps, submit,
    advance: (ms: number) => void (now += ms),
    reap: () => reapExpiredLeases(reaperDeps),
  };
}

describe('lease reaper', () => {
  it('a queued action whose decide job was lost is enqueued again, with its facts, once its lease runs out — and not again before the next one does', async () => {
    const s = setup('queued');
    const { action } = await s.submit(1); // created; the enqueue that should follow never happened
    s.advance(REQUEUE_AFTER_MS - 1);
    assert.deepEqual(await s.reap(), { executions: [], waiting: [] });
    s.advance(2);
    assert.deepEqual(await s.reap(), { executions: [], waiting: [action.id] });
    assert.deepEqual(s.decideQueue, [{ id: action.id, facts: actionFacts(action) }]);
    assert.deepEqual(await s.reap(), { executions: [], waiting: [] }); // the next deadline is a full period away
    s.advance(REQUEUE_AFTER_MS + 1);
    assert.deepEqual((await s.reap()).waiting, [action.id]);
    assert.equal(s.decideQueue.length, 2);
  });

  it('an approved action whose execute job was lost goes to the execute queue again', async () => {
    const s = setup('approved');
    const { action } = await s.submit(2);
    await decideAction(s.decideDeps(engine('allow')), action.id);
    assert.equal((await s.store.get(action.id))?.status, 'approved');
    s.advance(REQUEUE_AFTER_MS + 1);
    assert.deepEqual(await s.reap(), { executions: [], waiting: [action.id] });
    assert.deepEqual(s.executeQueue, [action.id]);
    assert.deepEqual(s.decideQueue, []);
  });

  it('denied and parked actions carry no lease; a review approval gives the action a new one', async () => {
    const s = setup('settled');
    const denied = (await s.submit(3)).action;
    const parked = (await s.submit(4)).action;
    await decideAction(s.decideDeps(engine('deny')), denied.id);
    await decideAction(s.decideDeps(engine('review')), parked.id);
    s.advance(REQUEUE_AFTER_MS + 1);
    assert.deepEqual(await s.store.expiredLeases(Number.MAX_SAFE_INTEGER, 10), []);
    assert.deepEqual(await s.reap(), { executions: [], waiting: [] });

    const reviews = createReviewService({
      store: s.store, budget: NO_BUDGET, tools: createToolRegistry(), clock: s.reaperDeps.clock, logger,
      enqueueExecute: async () => undefined, // the execute job is "lost"
    });
    await reviews.approve(parked.id, 'reviewer', null);
    s.advance(REQUEUE_AFTER_MS + 1);
    assert.deepEqual(await s.reap(), { executions: [], waiting: [parked.id] });
    assert.deepEqual(s.executeQueue, [parked.id]);
  });

  it('an execution whose lease ran out goes back to the execute queue with a full lease; a finished one leaves no lease', async () => {
    const s = setup('executing');
    const { action } = await s.submit(5);
    await decideAction(s.decideDeps(engine('allow')), action.id);
    const started = await s.store.transition(action.id, {
      from: ['approved'], to: 'executing', event: { type: 'execution_started', at: new Date().toISOString(), to: 'executing' }, countRun: true,
      lease: { op: 'add', deadlineMs: s.reaperDeps.clock() + 1000 },
    });
    assert.ok(started.ok);
    s.advance(1001);
    assert.deepEqual(await s.reap(), { executions: [action.id], waiting: [] });
    assert.deepEqual(s.executeQueue, [action.id]);
    await s.store.transition(action.id, { from: ['executing'], to: 'failed', event: { type: 'failed', at: new Date().toISOString(), to: 'failed', error: { code: 'x', message: 'x' }, attempts: 0 }, lease: { op: 'rem' } });
    assert.deepEqual(await s.store.expiredLeases(Number.MAX_SAFE_INTEGER, 10), []);
  });
});
