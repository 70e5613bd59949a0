// The http executor and retry loop: Idempotency-Key, retries on 5xx/429/timeout/network with backoff, none on 4xx; registry validation.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { backoffDelay, runTool } from '../../../src/tools/executor.ts';
import { ToolRegistryError } from '../../../src/tools/errors.ts';
import { createToolRegistry, type ToolDefinition } from '../../../src/tools/registry.ts';

let server: Server;
let base = '';
const seen: Array<{ path: string; key: string | undefined }> = [];
const failures = new Map<string, number>();

before(async () => {
  server = createServer((req, res) => {
    const key = req.headers['idempotency-key'] as string | undefined;
    seen.push({ path: req.url ?? '', key });
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.searchParams.get('status') ?? 200);
    const times = Number(url.searchParams.get('times') ?? 0);
    const n = failures.get(`${req.url}|${key}`) ?? 0;
    if (url.pathname === '/hang') return; // never answers
    if (status !== 200 && n < times) {
      failures.set(`${req.url}|${key}`, n + 1);
      res.writeHead(status).end('nope');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-cost-usd': '0.25' }).end(JSON.stringify({ ok: true }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

function httpTool(path: string, timeoutMs = 2000): ToolDefinition {
  const registry = createToolRegistry([{ name: 't', risk: 'low', executor: { kind: 'http', url: base + path, timeoutMs } }]);
  return registry.get('t')!;
}
const deps = { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => undefined };
const run = (tool: ToolDefinition, id: string) => runTool(tool, { actionId: id, tool: 't', args: {}, maxTokens: null }, deps, async () => undefined);

describe('http executor with retries', () => {
  it('sends Idempotency-Key = action id and reports the cost header', async () => {
    const out = await run(httpTool('/ok'), 'act_1');
    assert.equal(out.ok, true);
    assert.equal(out.ok && out.result.costUsd, 0.25);
    assert.equal(seen.find((s) => s.path === '/ok')?.key, 'act_1');
  });

  it('retries 5xx and 429 until success, every attempt recorded', async () => {
    const out = await run(httpTool('/f?status=503&times=2'), 'act_2');
    assert.equal(out.ok, true);
    assert.deepEqual(out.attempts.map((a) => a.errorKind ?? 'ok'), ['http_5xx', 'http_5xx', 'ok']);
    const rl = await run(httpTool('/f?status=429&times=1'), 'act_3');
    assert.deepEqual(rl.attempts.map((a) => a.errorKind ?? 'ok'), ['http_429', 'ok']);
  });

  it('does not retry 4xx', async () => {
    const out = await run(httpTool('/f?status=400&times=9'), 'act_4');
    assert.equal(out.ok, false);
    assert.equal(out.attempts.length, 1);
    assert.equal(out.attempts[0]?.status, 400);
  });

  it('times out and retries, then fails after the last attempt', async () => {
    const out = await run(httpTool('/hang', 50), 'act_5');
    assert.equal(out.ok, false);
    assert.equal(out.attempts.length, 4);
    assert.ok(out.attempts.every((a) => a.errorKind === 'timeout'));
    const refused = await run(createToolRegistry([{ name: 't', executor: { kind: 'http', url: 'http://127.0.0.1:1/x' } }]).get('t')!, 'act_6');
    assert.equal(refused.attempts[0]?.errorKind, 'network');
  });

  it('backoff is exponential with full jitter, capped, and honours Retry-After', () => {
    const p = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(1, p, () => 1), 100);
    assert.equal(backoffDelay(3, p, () => 1), 400);
    assert.equal(backoffDelay(10, p, () => 1), 1000);
    assert.equal(backoffDelay(3, p, () => 0), 0);
    assert.equal(backoffDelay(1, p, () => 0, 700), 700);
  });
});

describe('tool registry', () => {
  it('validates arguments against the JSON Schema and reports the path', () => {
    const r = createToolRegistry();
    assert.deepEqual(r.validateArgs('sleep', { ms: 5 }), []);
    const errs = r.validateArgs('cluster.scale', { cluster: 'c', replicas: -1, extra: true });
    assert.ok(errs.some((e) => e.path === '/replicas'));
    assert.ok(errs.some((e) => e.message.includes('extra')));
    assert.equal(r.metadata('nope').known, false);
    assert.equal(r.metadata('nope').risk, 'unknown');
  });

  it('rejects malformed definitions with the field named', () => {
    assert.throws(() => createToolRegistry([{ name: 'x', executor: { kind: 'http', url: 'not a url' } }]), (e: unknown) => e instanceof ToolRegistryError && /executor\.url/.test(e.message));
    assert.throws(() => createToolRegistry([{ name: 'x', args: { type: 'nonsense' }, executor: { kind: 'builtin', name: 'echo' } }]), ToolRegistryError);
  });
});
