// Budget and breaker admin routes over real HTTP on a real Redis: read, change caps (recorded), reset breakers, errors.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express, { type RequestHandler } from 'express';
import pino from 'pino';
import { breakersRouter } from '../../../src/api/routes/breakers.ts';
import { budgetsRouter, type BudgetRouteAuth } from '../../../src/api/routes/budgets.ts';
import { errorHandler } from '../../../src/api/errors.ts';
import { budgetFixture, type BudgetFixture } from './helpers.ts';

// Stand-in for the app's bearer auth: the token is "<name>:<role>".
const auth: BudgetRouteAuth = {
  requireRole: (...roles): RequestHandler => (req, res, next) => {
    const [name, role] = (req.header('authorization') ?? '').replace(/^Bearer /, '').split(':');
    if (!name || !role) return void res.status(401).json({ error: { code: 'unauthorized', message: 'no token', details: null } });
    if (!roles.includes(role as 'admin')) return void res.status(403).json({ error: { code: 'forbidden', message: role, details: null } });
    res.locals.actor = name;
    next();
  },
  actorOf: (_req, res) => String(res.locals.actor),
};

describe('budget admin API (real HTTP, real Redis)', () => {
  let f: BudgetFixture;
  let base: string;
  let close: () => void;
  before(async () => {
    f = await budgetFixture();
    const app = express();
    app.use(express.json());
    app.use(budgetsRouter(f.budget, auth));
    app.use(breakersRouter(f.budget, auth));
    app.use(errorHandler(pino({ level: 'silent' }))); // the app's one error mapper, as in src/api/app.ts
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(async () => { close(); await f.cleanup(); });

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('reads a scope with the documented shape and lists known scopes', async () => {
    await f.budget.reserve('a1', ['workflow:wf-7', 'global'], { usd: 1.5, tokens: 10 });
    await f.budget.settle('a1', { usd: 1.25 });
    const one = await call('GET', '/v1/budgets/workflow:wf-7', 'rita:reviewer');
    assert.equal(one.status, 200);
    assert.deepEqual(
      { ...one.body, changes: undefined },
      { scope: 'workflow:wf-7', capUsd: 10, spentUsd: 1.25, reservedUsd: 0, remainingUsd: 8.75, capTokens: 200000, spentTokens: 10, reservedTokens: 0, window: 'none', changes: undefined },
    );
    const all = await call('GET', '/v1/budgets', 'ada:admin');
    const scopes = (all.body.budgets as { scope: string }[]).map((b) => b.scope);
    assert.ok(scopes.includes('workflow:wf-7') && scopes.includes('global') && scopes.includes('workflow:wf-big'));
  });

  it('an admin changes a cap at runtime; the change is recorded and enforced', async () => {
    const put = await call('PUT', '/v1/budgets/workflow:wf-7', 'ada:admin', { capUsd: 2 });
    assert.equal(put.status, 200);
    const change = put.body.change as { by: string; capUsd: number; at: string };
    assert.equal(change.by, 'ada');
    assert.equal(change.capUsd, 2);
    assert.equal(change.at, new Date(f.now.ms).toISOString());
    assert.equal((put.body.budget as { remainingUsd: number }).remainingUsd, 0.75);
    const r = await f.budget.reserve('a2', ['workflow:wf-7'], { usd: 1, tokens: 0 });
    assert.ok(!r.ok && r.scope === 'workflow:wf-7');
    const read = await call('GET', '/v1/budgets/workflow:wf-7', 'ada:admin');
    assert.equal((read.body.changes as unknown[]).length, 1);
  });

  it('refuses without a token (401), for the wrong role (403), bad bodies and scopes (400)', async () => {
    assert.equal((await call('GET', '/v1/budgets', null)).status, 401);
    assert.equal((await call('PUT', '/v1/budgets/global', 'rita:reviewer', { capUsd: 1 })).status, 403);
    assert.equal((await call('GET', '/v1/breakers', 'bob:agent')).status, 403);
    const neg = await call('PUT', '/v1/budgets/global', 'ada:admin', { capUsd: -1 });
    assert.equal(neg.status, 400);
    assert.match((neg.body.error as { message: string }).message, /capUsd/);
    // The same error shape as every other route: code invalid_request, the field path under body.
    assert.equal((neg.body.error as { code: string }).code, 'invalid_request');
    assert.equal((neg.body.error as { details: Array<{ path: string }> }).details[0]?.path, 'body.capUsd');
    const empty = await call('PUT', '/v1/budgets/global', 'ada:admin', {});
    assert.equal(empty.status, 400);
    const extra = await call('PUT', '/v1/budgets/global', 'ada:admin', { capUsd: 1, cap: 2 });
    assert.equal(extra.status, 400);
    const bad = await call('GET', '/v1/budgets/team:x', 'ada:admin');
    assert.deepEqual([bad.status, (bad.body.error as { code: string }).code], [400, 'budget_invalid_scope']);
  });

  it('lists breakers with events and lets a reviewer reset one', async () => {
    for (let i = 0; i < 5; i++) await f.budget.recordAttempt({ actionId: `l${i}`, scopes: ['agent:loopy'], tool: 'cluster.scale', argsHash: 'h', costUsd: 0 });
    const list = await call('GET', '/v1/breakers', 'rita:reviewer');
    const b = (list.body.breakers as { scope: string; state: string; trigger: string }[]).find((x) => x.scope === 'agent:loopy');
    assert.deepEqual([b?.state, b?.trigger], ['open', 'loop']);
    assert.equal((list.body.events as { type: string }[])[0]!.type, 'trip');
    const reset = await call('POST', '/v1/breakers/agent:loopy/reset', 'rita:reviewer');
    assert.deepEqual(reset.body, { scope: 'agent:loopy', previous: 'open', state: 'closed' });
    const after = await call('GET', '/v1/breakers/agent:loopy', 'rita:reviewer');
    assert.equal(after.body.state, 'closed');
  });
});
