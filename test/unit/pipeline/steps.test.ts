// Decide/execute/review steps on a real Redis with a fake policy engine (the real compiled policy is exercised in integration/e2e).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_REDIS_URL, useTestRedis } from '../../support/redis.ts';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { NO_BUDGET, type BudgetPort, type BudgetSnapshot } from '../../../src/pipeline/budget-port.ts';
import { decideAction } from '../../../src/pipeline/decide-step.ts';
import { executeAction } from '../../../src/pipeline/execute-step.ts';
import { ReviewConflictError } from '../../../src/pipeline/errors.ts';
import type { PolicyDecision } from '../../../src/policy/decision.ts';
import type { PolicyEngine } from '../../../src/policy/engine.ts';
import { createReviewService } from '../../../src/review/review-service.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';
import { createTraceStore } from '../../../src/trace/store.ts';

const logger = pino({ level: 'silent' });
const testRedis = useTestRedis('t-steps');
const { prefix } = testRedis;

function fakeEngine(decide: (input: any) => Partial<PolicyDecision>): PolicyEngine & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  return {
    inputs,
    revision: 'rev-fake',
    data: { agents: { bot: { roles: ['ops'], tenant: 'acme' } } },
    evaluate(input) {
      inputs.push(input);
      return { outcome: 'allow', reasons: ['ok'], maxTokens: null, costCeilingUsd: null, onBudgetExceeded: 'deny', policyRevision: 'rev-fake', failClosed: null, evalMs: 0.01, ...decide(input) };
    },
  };
}

function setup(policy: PolicyEngine, budget: BudgetPort = NO_BUDGET, clock = () => Date.now()) {
  const store = createActionStore(testRedis.redis, prefix);
  const tools = createToolRegistry();
  const executeQueue: string[] = [];
  const enqueueExecute = async (id: string) => void executeQueue.push(id);
  const decideDeps = { store, policy, tools, budget, clock, logger, reviewTtlSeconds: 60, enqueueExecute };
  const executeDeps = { store, tools, budget, clock, logger, leaseSeconds: 60, executor: { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } };
  const reviews = createReviewService({ store, budget, tools, enqueueExecute, clock, logger });
  return { store, tools, executeQueue, decideDeps, executeDeps, reviews, traces: createTraceStore(testRedis.redis, prefix) };
}

const submit = (s: ReturnType<typeof setup>, tool: string, args: Record<string, unknown>, extra: { idempotencyKey?: string; workflowId?: string } = {}) =>
  s.store.create({ agentId: 'bot', workflowId: extra.workflowId ?? 'wf-1', tool, args, estimate: { costUsd: 0.5 }, context: {}, idempotencyKey: extra.idempotencyKey ?? null }, new Date());


describe('pipeline steps', () => {
  it('allow → approved → executed → succeeded, with the contract input and a trace of every step', async () => {
    const policy = fakeEngine(() => ({}));
    const s = setup(policy);
    const { action } = await submit(s, 'echo', { hello: 'world' });
    await decideAction(s.decideDeps, action.id);
    assert.deepEqual(s.executeQueue, [action.id]);
    const input = policy.inputs[0] as any;
    assert.equal(input.action.id, action.id);
    assert.deepEqual(input.agent, { id: 'bot', known: true, roles: ['ops'], tenant: 'acme' });
    assert.equal(input.tool.known, true);
    assert.equal(input.tool.risk, 'low');
    assert.deepEqual(input.budget, { scopes: {}, breakers: {} });
    assert.ok(Array.isArray(input.history));
    assert.equal(typeof input.now_ns, 'number');
    await executeAction(s.executeDeps, action.id);
    const done = await s.store.get(action.id);
    assert.equal(done?.status, 'succeeded');
    assert.deepEqual(done?.result, { echo: { hello: 'world' } });
    assert.equal(done?.decision?.policyRevision, 'rev-fake');
    const types = (await s.traces.read(action.id)).map((e) => `${e.type}:${e.from}->${e.to}`);
    assert.deepEqual(types, ['submitted:null->queued', 'deciding:queued->deciding', 'decided:deciding->approved', 'execution_started:approved->executing', 'attempt:executing->executing', 'succeeded:executing->succeeded']);
    const history = await s.store.history('wf-1');
    assert.equal(history[0]?.id, action.id);
    assert.equal(history[0]?.outcome, 'succeeded');
    assert.match(history[0]!.argsHash, /^[0-9a-f]{64}$/);
    // Redelivery of either job changes nothing.
    await decideAction(s.decideDeps, action.id);
    await executeAction(s.executeDeps, action.id);
    assert.equal((await s.traces.read(action.id)).length, 6);
    const started = (await s.traces.read(action.id)).find((e) => e.type === 'execution_started') as { run?: number; at?: string };
    assert.equal(started.run, 1);
    assert.equal(done?.startedAt, started.at);
  });

  it('execution runs are numbered by the store: a resumed run is run 2 and keeps the first start time', async () => {
    const s = setup(fakeEngine(() => ({})));
    const { action } = await submit(s, 'echo', { runs: 1 });
    await decideAction(s.decideDeps, action.id);
    const start = (at: string) => s.store.transition(action.id, {
      from: ['approved', 'executing'], to: 'executing', event: { type: 'execution_started', at, to: 'executing' }, countRun: true, returnAction: true,
    });
    const first = await start('2026-12-06T10:00:00.000Z');
    const second = await start('2026-12-06T10:05:00.000Z'); // the worker of the first run died; another resumes it
    assert.ok(first.ok && second.ok);
    assert.equal(second.action?.executionRuns, 2);
    assert.equal(second.action?.startedAt, '2026-12-06T10:00:00.000Z');
    const runs = (await s.traces.read(action.id)).filter((e) => e.type === 'execution_started').map((e) => [(e as { run?: number }).run, e.from]);
    assert.deepEqual(runs, [[1, 'approved'], [2, 'executing']]);
  });

  it('deny records reasons and never enqueues execution', async () => {
    const s = setup(fakeEngine(() => ({ outcome: 'deny', reasons: ['not granted'] })));
    const { action } = await submit(s, 'echo', {}, { workflowId: 'wf-deny' });
    await decideAction(s.decideDeps, action.id);
    const a = await s.store.get(action.id);
    assert.equal(a?.status, 'denied');
    assert.deepEqual(a?.decision?.reasons, ['not granted']);
    assert.equal(s.executeQueue.length, 0);
  });

  it('review parks; approve executes; a second decision on the same item is a conflict, also when two race', async () => {
    const s = setup(fakeEngine(() => ({ outcome: 'review', reasons: ['needs a human'] })));
    const { action } = await submit(s, 'echo', { n: 1 });
    await decideAction(s.decideDeps, action.id);
    assert.equal((await s.store.get(action.id))?.status, 'pending_review');
    const list = await s.reviews.listPending({ offset: 0, limit: 10 });
    assert.ok(list.items.some((i) => i.id === action.id));
    const results = await Promise.allSettled([s.reviews.approve(action.id, 'r1', null), s.reviews.approve(action.id, 'r2', 'me too')]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(rejected.reason instanceof ReviewConflictError);
    await assert.rejects(s.reviews.reject(action.id, 'r3', null), ReviewConflictError);
    assert.deepEqual(s.executeQueue, [action.id]);
    await executeAction(s.executeDeps, action.id);
    assert.equal((await s.store.get(action.id))?.status, 'succeeded');
  });

  it('reject denies; expiry expires after the TTL and never executes', async () => {
    let now = Date.now();
    const s = setup(fakeEngine(() => ({ outcome: 'review', reasons: ['x'] })), NO_BUDGET, () => now);
    const a1 = (await submit(s, 'echo', { n: 2 })).action;
    const a2 = (await submit(s, 'echo', { n: 3 })).action;
    await decideAction(s.decideDeps, a1.id);
    await decideAction(s.decideDeps, a2.id);
    const rejected = await s.reviews.reject(a1.id, 'r', 'no');
    assert.equal(rejected.status, 'denied');
    assert.equal(rejected.review?.decision, 'rejected');
    assert.deepEqual(await s.reviews.expireDue(), []);
    now += 61_000;
    assert.deepEqual(await s.reviews.expireDue(), [a2.id]);
    assert.equal((await s.store.get(a2.id))?.status, 'expired');
    await executeAction(s.executeDeps, a2.id);
    assert.equal((await s.store.get(a2.id))?.status, 'expired');
    assert.equal(s.executeQueue.length, 0);
  });

  it('invalid arguments fail before the executor runs', async () => {
    const s = setup(fakeEngine(() => ({})));
    const { action } = await submit(s, 'sleep', { ms: 'long' });
    await decideAction(s.decideDeps, action.id);
    await executeAction(s.executeDeps, action.id);
    const a = await s.store.get(action.id);
    assert.equal(a?.status, 'failed');
    assert.equal(a?.error?.code, 'invalid_args');
    assert.equal(a?.attempts.length, 0);
    assert.match(JSON.stringify(a?.error?.details), /\/ms/);
  });

  it('transient failures retry until attempts run out, each attempt recorded', async () => {
    const s = setup(fakeEngine(() => ({})));
    const { action } = await submit(s, 'fail', { mode: 'transient' });
    await decideAction(s.decideDeps, action.id);
    await executeAction(s.executeDeps, action.id);
    const a = await s.store.get(action.id);
    assert.equal(a?.status, 'failed');
    assert.equal(a?.attempts.length, 3);
    assert.ok(a?.attempts.every((x) => x.errorKind === 'http_5xx'));
    const p = (await submit(s, 'fail', { mode: 'permanent' })).action;
    await decideAction(s.decideDeps, p.id);
    await executeAction(s.executeDeps, p.id);
    assert.equal((await s.store.get(p.id))?.attempts.length, 1);
  });

  it('an allowed action\'s execute job is sent right behind its decision, before the decision\'s reply is in', async () => {
    const s = setup(fakeEngine(() => ({})));
    const { action } = await submit(s, 'echo', {}, { workflowId: 'wf-order' });
    let decisionReplied = false;
    const repliedAtEnqueue: boolean[] = [];
    const deps = {
      ...s.decideDeps,
      store: { ...s.store, transition: async (id: string, req: Parameters<typeof s.store.transition>[1]) => {
        const out = await s.store.transition(id, req);
        if (req.to === 'approved') decisionReplied = true;
        return out;
      } },
      enqueueExecute: async (id: string) => { repliedAtEnqueue.push(decisionReplied); s.executeQueue.push(id); },
    };
    await decideAction(deps, action.id);
    assert.equal((await s.store.get(action.id))?.status, 'approved');
    assert.deepEqual(s.executeQueue, [action.id]);
    assert.deepEqual(repliedAtEnqueue, [false], 'the enqueue did not wait for the decision\'s reply');
  });

  it('an execute job that runs before its decision is stored (Redis ran them out of order) throws to be retried and changes nothing', async () => {
    const s = setup(fakeEngine(() => ({})));
    const { action } = await submit(s, 'echo', { early: true }, { workflowId: 'wf-early' });
    await assert.rejects(executeAction(s.executeDeps, action.id), (e: Error & { code?: string }) => e.code === 'action_not_ready' && /still queued/.test(e.message));
    assert.equal((await s.store.get(action.id))?.status, 'queued');
    assert.deepEqual((await s.traces.read(action.id)).map((e) => e.type), ['submitted']);
    await decideAction(s.decideDeps, action.id);
    await executeAction(s.executeDeps, action.id); // the retry
    assert.equal((await s.store.get(action.id))?.status, 'succeeded');
  });

  it('create sends the decide job right behind a new action: at once without an idempotency key, after the reply with one, never for an existing one', async () => {
    const s = setup(fakeEngine(() => ({})));
    const input = (idempotencyKey: string | null) => ({ agentId: 'bot', workflowId: 'wf-whennew', tool: 'echo', args: { k: idempotencyKey }, estimate: {}, context: {}, idempotencyKey });
    const calls: string[] = [];
    const whenNew = async (a: { id: string }) => void calls.push(a.id);
    const keyless = s.store.create(input(null), new Date(), whenNew);
    assert.equal(calls.length, 1, 'called before create() returned, in the same tick as the create command');
    assert.equal((await keyless).action.id, calls[0]);
    const keyed = s.store.create(input('k-whennew'), new Date(), whenNew);
    assert.equal(calls.length, 1, 'with a key, not before Redis answered');
    const first = await keyed;
    assert.deepEqual(calls.slice(1), [first.action.id]);
    const again = await s.store.create(input('k-whennew'), new Date(), whenNew);
    assert.equal(again.created, false);
    assert.equal(calls.length, 2, 'not for the existing action');
  });

  it('the same idempotency key from the same agent returns the same action', async () => {
    const s = setup(fakeEngine(() => ({})));
    const first = await submit(s, 'echo', { a: 1 }, { idempotencyKey: 'k-1' });
    const second = await submit(s, 'echo', { a: 1 }, { idempotencyKey: 'k-1' });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.action.id, first.action.id);
  });

  it('budget: allow reserves; a refused reservation applies on_budget_exceeded; an open breaker turns allow into review', async () => {
    const calls: string[] = [];
    const budget: BudgetPort = {
      ...NO_BUDGET,
      scopesFor: (a) => [`workflow:${a.workflowId}`, 'global'],
      snapshot: async (scopes): Promise<BudgetSnapshot> => ({ scopes: {}, breakers: scopes.includes('workflow:wf-hot') ? { 'workflow:wf-hot': { state: 'open', reason: 'loop' } } : {} }),
      reserve: async (id, scopes, amount) => {
        calls.push(`reserve ${amount.usd}`);
        return scopes.includes('workflow:wf-poor') ? { ok: false, scope: 'workflow:wf-poor', reason: 'cap 10 reached', kind: 'cap' } : { ok: true };
      },
      release: async (id) => void calls.push(`release ${id}`),
    };
    const s = setup(fakeEngine(() => ({ costCeilingUsd: 0.2 })), budget);
    const ok = (await submit(s, 'echo', {}, { workflowId: 'wf-rich' })).action;
    await decideAction(s.decideDeps, ok.id);
    assert.equal((await s.store.get(ok.id))?.status, 'approved');
    assert.deepEqual(calls, ['reserve 0.2']); // estimate 0.5 capped by the policy's cost ceiling
    const poor = (await submit(s, 'echo', {}, { workflowId: 'wf-poor' })).action;
    await decideAction(s.decideDeps, poor.id);
    const p = await s.store.get(poor.id);
    assert.equal(p?.status, 'denied');
    assert.ok(p?.decision?.reasons.some((r) => r.includes('workflow:wf-poor')));
    const hot = (await submit(s, 'echo', {}, { workflowId: 'wf-hot' })).action;
    await decideAction(s.decideDeps, hot.id);
    const h = await s.store.get(hot.id);
    assert.equal(h?.status, 'pending_review');
    assert.ok(h?.decision?.reasons.some((r) => r.includes('circuit breaker open')));
  });

  it('execute after a lapsed reservation: re-reserves the capped amount; a settled reservation means the action already ran', async () => {
    const calls: string[] = [];
    let reserveReply: Awaited<ReturnType<BudgetPort['reserve']>> = { ok: true };
    const budget: BudgetPort = {
      ...NO_BUDGET,
      scopesFor: (a) => [`workflow:${a.workflowId}`],
      reserve: async (_id, _scopes, amount) => (calls.push(`reserve ${amount.usd}`), reserveReply),
      renewLease: async () => (calls.push('renew'), false), // the sweeper reclaimed it while the action waited
      settle: async () => void calls.push('settle'),
      release: async () => void calls.push('release'),
    };
    const s = setup(fakeEngine(() => ({ costCeilingUsd: 0.2 })), budget);
    const lapsed = (await submit(s, 'echo', { lapsed: 1 }, { workflowId: 'wf-lapsed' })).action;
    await decideAction(s.decideDeps, lapsed.id);
    calls.length = 0;
    await executeAction(s.executeDeps, lapsed.id);
    assert.deepEqual(calls.filter((c) => c.startsWith('reserve')), ['reserve 0.2'], 'the same capped amount as the decision, not the raw estimate 0.5');
    assert.ok(calls.includes('settle'));
    assert.equal((await s.store.get(lapsed.id))?.status, 'succeeded');

    // A run that died after settling: the reservation is closed; the action did execute and is finished as succeeded,
    // its result fetched again from the tool (same Idempotency-Key), and nothing is charged twice.
    const crashed = (await submit(s, 'echo', { crashed: 1 }, { workflowId: 'wf-crashed' })).action;
    await decideAction(s.decideDeps, crashed.id);
    reserveReply = { ok: false, kind: 'closed', scope: '', reason: 'already settled' };
    calls.length = 0;
    await executeAction(s.executeDeps, crashed.id);
    const c = await s.store.get(crashed.id);
    assert.equal(c?.status, 'succeeded', JSON.stringify(c?.error));
    assert.deepEqual(c?.result, { echo: { crashed: 1 } });
    assert.ok(!calls.includes('settle') && !calls.includes('release'), calls.join(','));

    // Any other refusal: not executed.
    reserveReply = { ok: true };
    const refused = (await submit(s, 'echo', { refused: 1 }, { workflowId: 'wf-refused' })).action;
    await decideAction(s.decideDeps, refused.id);
    reserveReply = { ok: false, kind: 'cap', scope: 'workflow:wf-refused', reason: 'cap reached' };
    await executeAction(s.executeDeps, refused.id);
    const r = await s.store.get(refused.id);
    assert.equal(r?.status, 'failed');
    assert.equal(r?.error?.code, 'budget_reclaimed');
  });

  it('spend is settled before success is recorded: an unreachable budget is retried, an invalid reported cost charges the estimate, a budget that stays down leaves the action unfinished', async () => {
    const settles: Array<{ usd?: number; tokens?: number }> = [];
    let failuresLeft = 0;
    let rejectActual = false;
    const down = Object.assign(new Error('connection refused'), { code: 'budget_unavailable' });
    const budget: BudgetPort = {
      ...NO_BUDGET,
      scopesFor: (a) => [`workflow:${a.workflowId}`],
      settle: async (_id, actual) => {
        settles.push(actual);
        if (failuresLeft > 0) {
          failuresLeft--;
          throw down;
        }
        if (rejectActual && actual.usd !== undefined) throw Object.assign(new Error('negative amount'), { code: 'budget_invalid_input' });
      },
    };
    const s = setup(fakeEngine(() => ({})), budget);

    failuresLeft = 2;
    const flaky = (await submit(s, 'costly', { usd: 0.25 }, { workflowId: 'wf-settle-flaky' })).action;
    await decideAction(s.decideDeps, flaky.id);
    await executeAction(s.executeDeps, flaky.id);
    assert.equal((await s.store.get(flaky.id))?.status, 'succeeded');
    assert.equal(settles.length, 3, 'two failed settles, then one that went through');
    assert.deepEqual(settles.at(-1), { usd: 0.25 });

    settles.length = 0;
    rejectActual = true;
    const invalid = (await submit(s, 'costly', { usd: 0.25 }, { workflowId: 'wf-settle-invalid' })).action;
    await decideAction(s.decideDeps, invalid.id);
    await executeAction(s.executeDeps, invalid.id);
    assert.equal((await s.store.get(invalid.id))?.status, 'succeeded');
    assert.deepEqual(settles, [{ usd: 0.25 }, {}], 'the refused actual amount is replaced by the reserved estimate, never zero');

    rejectActual = false;
    failuresLeft = 100;
    const stuck = (await submit(s, 'costly', { usd: 0.25 }, { workflowId: 'wf-settle-down' })).action;
    await decideAction(s.decideDeps, stuck.id);
    await assert.rejects(executeAction(s.executeDeps, stuck.id), /connection refused/);
    assert.notEqual((await s.store.get(stuck.id))?.status, 'succeeded', 'not recorded as succeeded while its spend is unrecorded; the job is retried');
  });

  it('with the budget\'s unsettled condition the success goes out right behind the settle, and is refused by Redis whenever the settle did not run', async () => {
    const settles: Array<{ usd?: number; tokens?: number }> = [];
    let failuresLeft = 0;
    let rejectActual = false;
    let settleReplied = false;
    const repliedAtSuccess: boolean[] = [];
    const down = Object.assign(new Error('connection refused'), { code: 'budget_unavailable' });
    const reservation = (id: string) => `${prefix}:fake-reservation:${id}`;
    const budget: BudgetPort = {
      ...NO_BUDGET,
      scopesFor: (a) => [`workflow:${a.workflowId}`],
      // A stand-in for the reservation: held from the decision until a settle goes through (written on the store's connection, as the real one is).
      reserve: async (id) => { await testRedis.redis.hset(reservation(id), 'status', 'reserved'); return { ok: true }; },
      unsettled: (id) => ({ key: reservation(id), field: 'status', values: ['reserved', 'expired'] }),
      settle: async (id, actual) => {
        settleReplied = false;
        settles.push(actual);
        if (failuresLeft > 0) {
          failuresLeft--;
          throw down;
        }
        if (rejectActual && actual.usd !== undefined) throw Object.assign(new Error('negative amount'), { code: 'budget_invalid_input' });
        await testRedis.redis.hset(reservation(id), 'status', 'settled');
        settleReplied = true;
      },
    };
    const s = setup(fakeEngine(() => ({})), budget);
    const executeDeps = {
      ...s.executeDeps,
      store: { ...s.store, transition: (id: string, req: Parameters<typeof s.store.transition>[1]) => {
        if (req.to === 'succeeded') repliedAtSuccess.push(settleReplied);
        return s.store.transition(id, req);
      } },
    };
    const run = async (workflowId: string) => {
      const a = (await submit(s, 'costly', { usd: 0.25 }, { workflowId })).action;
      await decideAction(s.decideDeps, a.id);
      settles.length = 0;
      repliedAtSuccess.length = 0;
      await executeAction(executeDeps, a.id);
      return a;
    };

    const plain = await run('wf-unsettled-plain');
    assert.equal((await s.store.get(plain.id))?.status, 'succeeded');
    assert.deepEqual(settles, [{ usd: 0.25 }]);
    assert.deepEqual(repliedAtSuccess, [false], 'the success was sent before the settle\'s reply');

    failuresLeft = 2;
    const flaky = await run('wf-unsettled-flaky');
    assert.equal((await s.store.get(flaky.id))?.status, 'succeeded');
    assert.equal(settles.length, 3, 'the failed settle, one more failure, then one that went through');
    assert.deepEqual(repliedAtSuccess, [false, true], 'the first success was refused; the second went out after the settle');

    rejectActual = true;
    const invalid = await run('wf-unsettled-invalid');
    assert.equal((await s.store.get(invalid.id))?.status, 'succeeded');
    assert.deepEqual(settles, [{ usd: 0.25 }, { usd: 0.25 }, {}], 'the refused actual amount is replaced by the reserved estimate, never zero');
    rejectActual = false;

    failuresLeft = 100;
    const stuck = (await submit(s, 'costly', { usd: 0.25 }, { workflowId: 'wf-unsettled-down' })).action;
    await decideAction(s.decideDeps, stuck.id);
    await assert.rejects(executeAction(executeDeps, stuck.id), /connection refused/);
    assert.equal((await s.store.get(stuck.id))?.status, 'executing', 'not recorded as succeeded while its spend is unrecorded; the job is retried');
    failuresLeft = 0;
  });

  it('every attempt feeds its own workflow/agent breakers at the decision, denied ones included; shared scopes learn reserved spend only', async () => {
    const attempts: string[] = [];
    // The decide step records attempts with the snapshot (own scopes) and with a granted reservation (shared scopes).
    const budget: BudgetPort = {
      ...NO_BUDGET, scopesFor: (a) => [`workflow:${a.workflowId}`, `agent:${a.agentId}`, 'global'],
      snapshot: async (_scopes, a) => {
        if (a) attempts.push(`${a.actionId} ${a.scopes.join('+')} ${a.costUsd}`);
        return { scopes: {}, breakers: {} };
      },
      reserve: async (id, _scopes, _amount, opts) => {
        if (opts?.attempt) attempts.push(`${id} ${opts.attempt.scopes.join('+')} ${opts.attempt.costUsd}`);
        return { ok: true };
      },
    };
    const s = setup(fakeEngine((input) => ({ outcome: input.action.args.n === 1 ? 'deny' : 'allow', reasons: ['r'] })), budget);
    const denied = (await submit(s, 'echo', { n: 1 })).action;
    const allowed = (await submit(s, 'echo', { n: 2 })).action;
    await decideAction(s.decideDeps, denied.id);
    await decideAction(s.decideDeps, allowed.id);
    // estimate 0.5 each: both attempts count for their own workflow and agent; only the allowed one's reservation reaches global.
    assert.deepEqual(attempts, [`${denied.id} workflow:wf-1+agent:bot 0.5`, `${allowed.id} workflow:wf-1+agent:bot 0.5`, `${allowed.id} global 0.5`]);
    assert.equal((await s.store.get(denied.id))?.status, 'denied');
  });

  it('a long tool call keeps its execution lease (and budget lease) alive, so a live worker is never mistaken for a dead one', async () => {
    const renewals: number[] = [];
    const budget: BudgetPort = { ...NO_BUDGET, renewLease: async () => (renewals.push(Date.now()), true) };
    const s = setup(fakeEngine(() => ({})), budget);
    const { action } = await submit(s, 'sleep', { ms: 2600 });
    await decideAction(s.decideDeps, action.id);
    const running = executeAction({ ...s.executeDeps, leaseSeconds: 1.5 }, action.id);
    await new Promise((r) => setTimeout(r, 300));
    const first = Number(await testRedis.redis.zscore(`${prefix}:executing:leases`, action.id));
    assert.ok(first > 0, 'leased while executing');
    await new Promise((r) => setTimeout(r, 1500));
    const later = Number(await testRedis.redis.zscore(`${prefix}:executing:leases`, action.id));
    assert.ok(later > first, `lease renewed during the call (${first} → ${later})`);
    assert.ok(later > Date.now(), 'the lease is still in the future although the first one would have expired');
    await running;
    assert.equal((await s.store.get(action.id))?.status, 'succeeded');
    assert.equal(await testRedis.redis.zscore(`${prefix}:executing:leases`, action.id), null, 'no lease left behind');
    assert.ok(renewals.length >= 2, 'the budget lease was renewed at dequeue and while running');
  });

  it('ids no budget scope can hold: never allowed; a policy deny stands with its own reasons (the check path too)', async () => {
    const budget: BudgetPort = { ...NO_BUDGET, scopesFor: () => { throw new Error('invalid budget scope "workflow:wf-\u0430"'); } };
    const allowing = setup(fakeEngine(() => ({})), budget);
    const a = (await submit(allowing, 'echo', {})).action;
    await decideAction(allowing.decideDeps, a.id);
    const decided = await allowing.store.get(a.id);
    assert.equal(decided?.status, 'denied');
    assert.match(decided!.decision!.reasons.join(' '), /budget scopes unknown: invalid budget scope/);
    const { evaluateAction } = await import('../../../src/pipeline/evaluate-action.ts');
    const checked = await evaluateAction(allowing.decideDeps, { id: 'chk_1', agentId: 'bot', workflowId: 'wf-\u0430', tool: 'echo', args: {}, estimate: {}, context: {}, submittedAt: new Date().toISOString() });
    assert.equal(checked.decision.outcome, 'deny', 'POST /v1/check is never allowed blind');
    const denying = setup(fakeEngine(() => ({ outcome: 'deny', reasons: ['agent is not registered'] })), budget);
    const d = (await submit(denying, 'echo', {})).action;
    await decideAction(denying.decideDeps, d.id);
    assert.deepEqual((await denying.store.get(d.id))!.decision!.reasons, ['agent is not registered'], 'the policy\'s deny, not an internal failure');
  });

  it('long-poll: a watch registered before enqueueing wakes with the final record carried by the notification', async () => {
    const { createFinalWaiter } = await import('../../../src/pipeline/final-waiter.ts');
    const s = setup(fakeEngine(() => ({})));
    const subscriber = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const waiter = createFinalWaiter(s.store, subscriber, { pollMs: 60_000 }); // no polling: the notification must wake it
    await waiter.subscribed;
    try {
      const { action } = await submit(s, 'echo', { url: 'https://x/y?a=1&b="2"', unicode: 'é✓' });
      const watch = waiter.watch(action.id);
      const reads: string[] = [];
      const counting = { ...s.store, get: async (id: string) => (reads.push(id), s.store.get(id)) };
      await decideAction(s.decideDeps, action.id);
      await executeAction(s.executeDeps, action.id);
      const final = await watch.wait(5000);
      assert.equal(final?.status, 'succeeded');
      assert.deepEqual(final, await counting.get(action.id), 'the notification carries the record as the store reads it');
      assert.deepEqual(final?.result, { echo: { url: 'https://x/y?a=1&b="2"', unicode: 'é✓' } });
      // Timeout path: a watch on an action that never finishes returns it as it is.
      const parked = (await submit(s, 'echo', { n: 'never' })).action;
      const t0 = Date.now();
      assert.equal((await waiter.watch(parked.id).wait(200))?.status, 'queued');
      assert.ok(Date.now() - t0 >= 190);
    } finally {
      await waiter.close();
    }
  });

  it('long-poll while the subscription is not established (Redis away at start): the wait reads the store until final', async () => {
    const { createFinalWaiter } = await import('../../../src/pipeline/final-waiter.ts');
    const { createServer } = await import('node:net');
    const closedPort = await new Promise<number>((r) => { const srv = createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => r(p)); }); });
    const s = setup(fakeEngine(() => ({})));
    const subscriber = new Redis(`redis://127.0.0.1:${closedPort}`, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
    subscriber.on('error', () => undefined);
    const waiter = createFinalWaiter(s.store, subscriber, { pollMs: 50 });
    try {
      const { action } = await submit(s, 'echo', { n: 'polled' });
      const waiting = waiter.watch(action.id).wait(10_000);
      await decideAction(s.decideDeps, action.id);
      await executeAction(s.executeDeps, action.id);
      const t0 = Date.now();
      const final = await waiting;
      assert.equal(final?.status, 'succeeded');
      assert.deepEqual(final?.result, { echo: { n: 'polled' } });
      assert.ok(Date.now() - t0 < 2000, `found by reading the store, not at the 10 s timeout (${Date.now() - t0} ms)`);
    } finally {
      const t0 = Date.now();
      await waiter.close();
      assert.ok(Date.now() - t0 < 1000, 'closing does not wait for the unreachable Redis');
    }
  });

  it('long-poll when the subscription drops mid-wait: the store is read until final, and not while it is up', async () => {
    const { createFinalWaiter } = await import('../../../src/pipeline/final-waiter.ts');
    const { spawn } = await import('node:child_process');
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((r) => { const srv = createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => r(p)); }); });
    const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const s = setup(fakeEngine(() => ({})));
    let reads = 0;
    const counted = { ...s.store, get: async (id: string) => (reads++, s.store.get(id)) };
    const subscriber = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    subscriber.on('error', () => undefined);
    // The subscriber listens on a Redis of its own, where the store never publishes: only reading the store can end the wait.
    const waiter = createFinalWaiter(counted, subscriber, { pollMs: 50 });
    try {
      await waiter.subscribed;
      await new Promise((r) => setTimeout(r, 200)); // the one catch-up pass after subscribing is over (nobody waited)
      const { action } = await submit(s, 'echo', { n: 'dropped' });
      const waiting = waiter.watch(action.id).wait(10_000);
      await decideAction(s.decideDeps, action.id);
      await executeAction(s.executeDeps, action.id);
      await new Promise((r) => setTimeout(r, 300));
      const readsWhileUp = reads;
      redisServer.kill('SIGKILL'); // the subscription drops
      const t0 = Date.now();
      const final = await waiting;
      assert.equal(readsWhileUp, 0, 'no polling while the subscription is up');
      assert.equal(final?.status, 'succeeded');
      assert.ok(Date.now() - t0 < 2000, `found by reading the store after the drop (${Date.now() - t0} ms)`);
    } finally {
      await waiter.close();
      if (redisServer.exitCode === null) redisServer.kill('SIGKILL');
    }
  });

  it('a reservation that fails after the approval went out behind it: the approval is refused and the action denied (fail closed)', async () => {
    const budget: BudgetPort = {
      ...NO_BUDGET,
      scopesFor: (a) => [`workflow:${a.workflowId}`],
      expectsGrant: () => true,
      held: (id) => ({ key: `${prefix}:never-held:${id}`, field: 'status', values: ['reserved'] }),
      reserve: async () => { throw new Error('redis down'); },
    };
    const s = setup(fakeEngine(() => ({})), budget);
    const { action } = await submit(s, 'echo', {}, { workflowId: 'wf-speculate-down' });
    await decideAction(s.decideDeps, action.id);
    const a = await s.store.get(action.id);
    assert.equal(a?.status, 'denied');
    assert.match(a!.decision!.reasons.join('; '), /budget unavailable: redis down \(fail closed\)/);
    assert.deepEqual(s.executeQueue, [action.id], 'the execute job went out with the approval');
    await executeAction(s.executeDeps, action.id);
    assert.equal((await s.store.get(action.id))?.status, 'denied', 'and finds nothing to run');
    assert.deepEqual((await s.traces.read(action.id)).map((e) => e.type), ['submitted', 'deciding', 'decided']);
  });

  it('budget state unknown → deny (fail closed)', async () => {
    const s = setup(fakeEngine(() => ({})), { ...NO_BUDGET, snapshot: async () => { throw new Error('redis down'); } });
    const { action } = await submit(s, 'echo', {});
    await decideAction(s.decideDeps, action.id);
    const a = await s.store.get(action.id);
    assert.equal(a?.status, 'denied');
    assert.match(a!.decision!.reasons[0]!, /budget state unknown/);
  });
});
