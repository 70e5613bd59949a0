// The HTTP layer with fake services: validation (400 naming the field), auth (401/403), limits (413, 429), 404, 409 mapping.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createApp } from '../../../src/api/app.ts';
import { argsHash } from '../../../src/policy/canonical-json.ts';
import type { ActionRecord } from '../../../src/pipeline/action.ts';
import type { ActionsService } from '../../../src/pipeline/actions-service.ts';
import { ActionNotFoundError, ReviewConflictError } from '../../../src/pipeline/errors.ts';
import type { ReviewService } from '../../../src/review/review-service.ts';

const action: ActionRecord = {
  id: 'act_abc', agentId: 'a', workflowId: 'w', tool: 'echo', args: {}, argsHash: argsHash({}), estimate: {}, context: {}, idempotencyKey: null,
  status: 'queued', submittedAt: 't', updatedAt: 't', startedAt: null, finishedAt: null, decision: null, review: null,
  result: null, error: null, attempts: [], costUsd: null, budgetScopes: [], owner: null,
};
const submitted: unknown[] = [];
const actions: ActionsService = {
  submit: async (a) => (submitted.push(a), { action, created: true }),
  submitAndWait: async (a) => (submitted.push(a), { action, created: true }),
  get: async (id) => {
    if (id !== action.id) throw new ActionNotFoundError(id);
    return action;
  },
  waitForFinal: async () => action,
  check: async () => ({ checkId: 'chk_1', outcome: 'allow', reasons: [], maxTokens: null, costCeilingUsd: null, onBudgetExceeded: 'deny', policyRevision: 'r', failClosed: null, evalMs: 0 }),
};
const reviews: ReviewService = {
  listPending: async () => ({ items: [], total: 0 }),
  get: async () => { throw new ActionNotFoundError('x'); },
  approve: async (id) => { throw new ReviewConflictError(id, 'denied'); },
  reject: async () => action,
  expireDue: async () => [],
  backlog: async () => ({ count: 0, oldestAgeSeconds: 0 }),
};

async function serve(rateLimitPerSecond: number): Promise<{ base: string; close: () => void }> {
  const app = createApp({
    services: { actions, reviews, traces: { read: async () => [] }, budget: null },
    health: {
      pingRedis: async () => undefined,
      policyStatus: () => ({ loaded: false, revision: null, source: null, loadedAt: null, lastError: null }),
      budgetStatus: () => ({ ok: false, error: 'budget not configured: no policy data loaded' }),
      refreshGauges: async () => undefined,
    },
    tokens: [{ token: 'ag', role: 'agent' }, { token: 'rv', role: 'reviewer' }, { token: 'ad', role: 'admin' }, { token: 'slow', role: 'agent' }, { token: 'bound', role: 'agent', agentId: 'a' }],
    bodyLimit: '1kb',
    rateLimitPerSecond,
    logger: pino({ level: 'silent' }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

let base = '';
let close: () => void;
before(async () => {
  ({ base, close } = await serve(1000));
});
after(() => close());

const call = (path: string, init: { method?: string; token?: string; body?: unknown; raw?: string } = {}) =>
  fetch(base + path, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
const good = { agentId: 'a', workflowId: 'w', tool: 'echo', args: { x: 1 } };

describe('HTTP API', () => {
  it('202 {id, status} for a valid submission, with the token fingerprint as owner', async () => {
    const res = await call('/v1/actions', { token: 'ag', body: good });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { id: 'act_abc', status: 'queued', created: true });
    assert.match(String((submitted.at(-1) as { owner: string }).owner), /^tok_[0-9a-f]{16}$/);
  });

  it('400 naming the missing or wrong field', async () => {
    const res = await call('/v1/actions', { token: 'ag', body: { ...good, workflowId: undefined, estimate: { costUsd: -1 } } });
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string }> } };
    assert.equal(error.code, 'invalid_request');
    assert.deepEqual(error.details.map((d) => d.path).sort(), ['body.estimate.costUsd', 'body.workflowId']);
    const extra = await call('/v1/actions', { token: 'ag', body: { ...good, surprise: 1 } });
    assert.equal(extra.status, 400);
    assert.match(((await extra.json()) as { error: { message: string } }).error.message, /surprise/);
    const bad = await call('/v1/actions', { token: 'ag', raw: '{"agentId": ' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_json');
  });

  it('401 without or with an unknown token; 403 for the wrong role', async () => {
    assert.equal((await call('/v1/actions', { body: good })).status, 401);
    assert.equal((await call('/v1/actions', { token: 'nope', body: good })).status, 401);
    assert.equal((await call('/v1/actions', { token: 'rv', body: good })).status, 403);
    assert.equal((await call('/v1/reviews', { token: 'ag' })).status, 403);
    assert.equal((await call('/v1/reviews', { token: 'rv' })).status, 200);
    assert.equal((await call('/v1/actions', { token: 'ad', body: good })).status, 202);
  });

  it('a check answers with the time the API took to decide in a Server-Timing header', async () => {
    const res = await call('/v1/check', { token: 'ag', body: good });
    assert.equal(res.status, 200);
    const timing = res.headers.get('server-timing') ?? '';
    assert.match(timing, /^decide;dur=\d+\.\d{3}$/);
    assert.ok(Number(timing.split('=')[1]) >= 0);
  });

  it('an agent token bound to an agent id submits and checks only as that agent (403 otherwise)', async () => {
    assert.equal((await call('/v1/actions', { token: 'bound', body: good })).status, 202);
    const other = await call('/v1/actions', { token: 'bound', body: { ...good, agentId: 'someone-else' } });
    assert.equal(other.status, 403);
    assert.match(((await other.json()) as { error: { message: string } }).error.message, /bound to agent "a"/);
    assert.equal((await call('/v1/check', { token: 'bound', body: { ...good, agentId: 'someone-else' } })).status, 403);
    assert.equal((await call('/v1/check', { token: 'bound', body: good })).status, 200);
    assert.equal((await call('/v1/actions?wait=1', { token: 'bound', body: good })).status, 202, 'long-poll submissions are bound too');
    assert.equal((await call('/v1/actions?wait=1', { token: 'bound', body: { ...good, agentId: 'x' } })).status, 403);
    // Unbound agent tokens and admin keep acting for any agent id.
    assert.equal((await call('/v1/actions', { token: 'ag', body: { ...good, agentId: 'someone-else' } })).status, 202);
    assert.equal((await call('/v1/actions', { token: 'ad', body: { ...good, agentId: 'someone-else' } })).status, 202);
  });

  it('400 for args or context nested deeper than 128 levels (never a 500 from a serializer)', async () => {
    const nest = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown;
    // 400 levels fit this app's 1 kB body limit; the 20 000-level body of the adversarial e2e test takes the same path.
    const deep = await call('/v1/actions', { token: 'ag', raw: `{"agentId":"a","workflowId":"w","tool":"echo","args":{"deep":${'['.repeat(400)}${']'.repeat(400)}}}` });
    assert.equal(deep.status, 400);
    const err = ((await deep.json()) as { error: { code: string; details: Array<{ path: string; message: string }> } }).error;
    assert.equal(err.code, 'invalid_request');
    assert.deepEqual(err.details.map((d) => d.path), ['body.args']);
    assert.match(err.details[0]!.message, /nested deeper than 128/);
    assert.equal((await call('/v1/check', { token: 'ag', body: { ...good, context: { x: nest(130) } } })).status, 400);
    assert.equal((await call('/v1/check', { token: 'ag', body: { ...good, args: { x: nest(100) } } })).status, 200, '100 levels still reach the policy');
  });

  it('413 for an oversized body, 404 for unknown routes and actions, 409 for a decided review', async () => {
    const big = await call('/v1/actions', { token: 'ag', body: { ...good, args: { blob: 'x'.repeat(4000) } } });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { error: { code: string } }).error.code, 'body_too_large');
    assert.equal((await call('/nope')).status, 404);
    assert.equal((await call('/v1/nope', { token: 'ag' })).status, 404);
    assert.equal((await call('/v1/actions/act_missing', { token: 'ag' })).status, 404);
    const conflict = await call('/v1/reviews/act_abc/approve', { token: 'rv', body: {} });
    assert.equal(conflict.status, 409);
    assert.equal(((await conflict.json()) as { error: { code: string } }).error.code, 'review_conflict');
  });

  it('429 once a token exceeds its rate', async () => {
    const limited = await serve(5); // burst of 10
    const get = (token: string) => fetch(`${limited.base}/v1/actions/act_abc`, { headers: { authorization: `Bearer ${token}` } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await get('slow')).status);
      assert.ok(statuses.slice(0, 10).every((s) => s === 200), 'the burst passes');
      assert.ok(statuses.includes(429), 'then requests are limited');
      const res = await get('slow');
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.equal((await get('ag')).status, 200, 'limits are per token');
    } finally {
      limited.close();
    }
  });

  it('probes: /healthz up, /readyz 503 without a policy, /metrics in Prometheus format', async () => {
    assert.equal((await call('/healthz')).status, 200);
    const ready = await call('/readyz');
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { policy: { loaded: boolean }; budget: { ok: boolean; error?: string } };
    assert.equal(body.policy.loaded, false);
    assert.deepEqual(body.budget, { ok: false, error: 'budget not configured: no policy data loaded' });
    const m = await (await call('/metrics')).text();
    assert.match(m, /airlock_api_request_duration_seconds_bucket/);
  });
});
