// End to end with separate processes (api, decide, execute, review-expiry), real Redis, the shipped policies compiled by
// Airlock's compiler, and an HTTP tool server: allow, deny, review→approve/reject, expiry, idempotency, validation, auth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { client, TOKENS, useStack, waitFor } from './harness.ts';

const REVIEW_TTL_SECONDS = 6;
const f = useStack('e2e', { kinds: ['api', 'decide', 'execute', 'review-expiry'], env: { AIRLOCK_REVIEW_TTL: `${REVIEW_TTL_SECONDS}s` } });
const call: ReturnType<typeof client> = (...args) => f.call(...args);
const tools = { events: () => f.tools.events() };

const wf = (name: string) => `wf-${name}-${Date.now().toString(36)}`;
const submit = (body: Record<string, unknown>, wait = 10, token = TOKENS.agent) => call('POST', `/v1/actions?wait=${wait}`, token, body);
const toolEventsFor = (id: string) => tools.events().filter((e) => e.key === id);
/** Submits and waits until the action is parked for review (pending_review is not final, so a long-poll would run to its timeout). */
const submitForReview = async (body: Record<string, unknown>) => {
  const sub = await call('POST', '/v1/actions', TOKENS.agent, body);
  assert.equal(sub.status, 202, JSON.stringify(sub.body));
  return waitFor('parked or decided', async () => {
    const a = await call('GET', `/v1/actions/${sub.body.id}`, TOKENS.agent);
    return a.body.status === 'queued' || a.body.status === 'deciding' ? null : a;
  }, 20_000, 25);
};

describe('pipeline end to end', () => {
  it('allow → succeeded with the tool result (built-in echo and an http tool with Idempotency-Key)', async () => {
    const echo = await submit({ agentId: 'demo-agent', workflowId: wf('allow'), tool: 'echo', args: { hello: 'world' } });
    assert.equal(echo.status, 200);
    assert.equal(echo.body.status, 'succeeded');
    assert.deepEqual(echo.body.result, { echo: { hello: 'world' } });
    assert.equal(echo.body.decision.outcome, 'allow');
    assert.match(echo.body.decision.policyRevision, /^[0-9a-f]{64}$/);
    assert.ok(echo.body.timestamps.finishedAt);

    const read = await submit({ agentId: 'demo-agent', workflowId: wf('allow'), tool: 'files.read', args: { path: '/data/shared/report.txt' } });
    assert.equal(read.body.status, 'succeeded', JSON.stringify(read.body));
    assert.deepEqual(read.body.result, { ok: true, tool: 'files.read', args: { path: '/data/shared/report.txt' } });
    assert.equal(toolEventsFor(read.body.id).filter((e) => e.event === 'applied').length, 1);

    const trace = await call('GET', `/v1/actions/${read.body.id}/trace`, TOKENS.agent);
    assert.deepEqual(trace.body.events.map((e: { type: string }) => e.type), ['submitted', 'deciding', 'decided', 'execution_started', 'attempt', 'succeeded']);
    const decided = trace.body.events.find((e: { type: string }) => e.type === 'decided');
    assert.equal(decided.input.action.id, read.body.id);
    assert.equal(decided.input.tool.known, true);
    assert.ok(decided.input.budget.scopes[`workflow:${read.body.workflowId}`], 'budget snapshot in the input');
  });

  it('deny → denied with reasons, never executed', async () => {
    const res = await submit({ agentId: 'stranger-bot', workflowId: wf('deny'), tool: 'files.read', args: { path: '/data/shared/x' } });
    assert.equal(res.body.status, 'denied');
    assert.equal(res.body.decision.outcome, 'deny');
    assert.ok(res.body.decision.reasons.length > 0);
    assert.ok(res.body.decision.reasons.some((r: string) => r.includes('stranger-bot')), res.body.decision.reasons.join('; '));
    assert.equal(toolEventsFor(res.body.id).length, 0);
  });

  it('review → approve → succeeded; a second decision is 409', async () => {
    const parked = await submitForReview({ agentId: 'demo-agent', workflowId: wf('approve'), tool: 'files.delete', args: { path: '/tmp/airlock/old.log' } });
    assert.equal(parked.body.status, 'pending_review', JSON.stringify(parked.body.decision));
    const list = await call('GET', '/v1/reviews?status=pending&limit=100', TOKENS.reviewer);
    assert.equal(list.status, 200);
    assert.ok(list.body.items.some((i: { id: string }) => i.id === parked.body.id));
    const item = await call('GET', `/v1/reviews/${parked.body.id}`, TOKENS.reviewer);
    assert.equal(item.body.input.action.id, parked.body.id);
    assert.ok(item.body.reasons.length > 0);
    assert.equal(toolEventsFor(parked.body.id).length, 0, 'not executed while parked');

    const approved = await call('POST', `/v1/reviews/${parked.body.id}/approve`, TOKENS.reviewer, { comment: 'ok' });
    assert.equal(approved.status, 200);
    const again = await call('POST', `/v1/reviews/${parked.body.id}/approve`, TOKENS.reviewer, {});
    assert.equal(again.status, 409);
    const rejectLate = await call('POST', `/v1/reviews/${parked.body.id}/reject`, TOKENS.admin, {});
    assert.equal(rejectLate.status, 409);
    const final = await call('GET', `/v1/actions/${parked.body.id}?wait=10`, TOKENS.agent);
    assert.equal(final.body.status, 'succeeded');
    assert.equal(final.body.review.decision, 'approved');
    assert.equal(toolEventsFor(parked.body.id).filter((e) => e.event === 'applied').length, 1);
  });

  it('review → reject → denied, never executed', async () => {
    const parked = await submitForReview({ agentId: 'demo-agent', workflowId: wf('reject'), tool: 'files.delete', args: { path: '/tmp/airlock/keep.log' } });
    assert.equal(parked.body.status, 'pending_review');
    const rejected = await call('POST', `/v1/reviews/${parked.body.id}/reject`, TOKENS.reviewer, { comment: 'no' });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.status, 'denied');
    assert.equal((await call('POST', `/v1/reviews/${parked.body.id}/approve`, TOKENS.reviewer, {})).status, 409);
    assert.equal(toolEventsFor(parked.body.id).length, 0);
  });

  it('no decision within the review TTL → expired, never executed', async () => {
    const parked = await submitForReview({ agentId: 'demo-agent', workflowId: wf('expire'), tool: 'files.delete', args: { path: '/tmp/airlock/t.log' } });
    assert.equal(parked.body.status, 'pending_review');
    const final = await call('GET', `/v1/actions/${parked.body.id}?wait=${REVIEW_TTL_SECONDS + 6}`, TOKENS.agent);
    assert.equal(final.body.status, 'expired');
    assert.equal(final.body.review.decision, 'expired');
    assert.equal((await call('POST', `/v1/reviews/${parked.body.id}/approve`, TOKENS.reviewer, {})).status, 409);
    assert.equal(toolEventsFor(parked.body.id).length, 0);
  });

  it('the same idempotencyKey from the same agent returns the same action, executed once', async () => {
    const body = { agentId: 'demo-agent', workflowId: wf('idem'), tool: 'files.read', args: { path: '/data/shared/i.txt' }, idempotencyKey: `key-${Date.now()}` };
    const [a, b] = await Promise.all([call('POST', '/v1/actions', TOKENS.agent, body), call('POST', '/v1/actions', TOKENS.agent, body)]);
    assert.equal(a.body.id, b.body.id);
    assert.deepEqual([a.body.created, b.body.created].sort(), [false, true]);
    const final = await call('GET', `/v1/actions/${a.body.id}?wait=10`, TOKENS.agent);
    assert.equal(final.body.status, 'succeeded');
    const c = await call('POST', '/v1/actions', TOKENS.agent, body);
    assert.equal(c.status, 200);
    assert.equal(c.body.id, a.body.id);
    assert.equal(toolEventsFor(a.body.id).filter((e) => e.event === 'applied').length, 1);
  });

  it('invalid body → 400 naming the field', async () => {
    const res = await call('POST', '/v1/actions', TOKENS.agent, { agentId: 'demo-agent', tool: 'echo', args: {} });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_request');
    assert.match(res.body.error.message, /body\.workflowId/);
    assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), ['body.workflowId']);
  });

  it('invalid tool arguments → failed with the schema errors, executor never called', async () => {
    const res = await submit({ agentId: 'demo-agent', workflowId: wf('args'), tool: 'files.read', args: { path: '/data/shared/a', delayMs: 'slow' } });
    assert.equal(res.body.status, 'failed', JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'invalid_args');
    assert.ok(res.body.error.details.some((d: { path: string }) => d.path === '/delayMs'));
    assert.equal(res.body.attempts.length, 0);
    assert.equal(toolEventsFor(res.body.id).length, 0, 'the tool server never saw the call');
  });

  it('unauthorized → 401, wrong role → 403, other agents\' actions are invisible', async () => {
    const body = { agentId: 'demo-agent', workflowId: wf('auth'), tool: 'echo', args: {} };
    assert.equal((await call('POST', '/v1/actions', null, body)).status, 401);
    assert.equal((await call('POST', '/v1/actions', 'wrong-token', body)).status, 401);
    assert.equal((await call('POST', '/v1/actions', TOKENS.reviewer, body)).status, 403);
    assert.equal((await call('GET', '/v1/reviews', TOKENS.agent)).status, 403);
    const mine = await call('POST', '/v1/actions', TOKENS.agent, body);
    assert.equal((await call('GET', `/v1/actions/${mine.body.id}`, TOKENS.agent2)).status, 404);
    assert.equal((await call('GET', `/v1/actions/${mine.body.id}`, TOKENS.admin)).status, 200);
    // A token bound to an agent id acts only as that agent.
    const asOther = await call('POST', '/v1/actions', TOKENS.bound, { ...body, agentId: 'stranger-bot' });
    assert.equal(asOther.status, 403);
    assert.equal(asOther.body.error.code, 'forbidden');
    assert.equal((await call('POST', '/v1/check', TOKENS.bound, { ...body, agentId: 'stranger-bot' })).status, 403);
    const asSelf = await submit(body, 10, TOKENS.bound);
    assert.equal(asSelf.body.status, 'succeeded');
  });

  it('POST /v1/check decides without queueing or executing', async () => {
    const allow = await call('POST', '/v1/check', TOKENS.agent, { agentId: 'demo-agent', workflowId: wf('check'), tool: 'echo', args: { a: 1 } });
    assert.equal(allow.status, 200);
    assert.equal(allow.body.outcome, 'allow');
    const deny = await call('POST', '/v1/check', TOKENS.agent, { agentId: 'stranger-bot', workflowId: wf('check'), tool: 'files.read', args: { path: '/data/shared/x' } });
    assert.equal(deny.body.outcome, 'deny');
    assert.equal(tools.events().filter((e) => e.key?.startsWith('chk_')).length, 0);
  });

  it('readyz and metrics report the loaded policy and the pipeline', async () => {
    const ready = await call('GET', '/readyz', null);
    assert.equal(ready.body.policy.loaded, true);
    const metrics = await (await fetch(`${f.stack.api}/metrics`)).text();
    assert.match(metrics, /airlock_policy_revision_info\{revision="[0-9a-f]{64}"\} 1/);
    assert.match(metrics, /airlock_queue_depth\{queue="decide"\}/);
    assert.match(metrics, /airlock_review_backlog/);
  });
});
