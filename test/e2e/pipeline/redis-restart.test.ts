// Redis killed with SIGKILL under load and started again from its append-only file (appendfsync always): while it is
// down the API answers 503 at once (nothing decided or executed) and /readyz says not ready; once it is back, every action
// submitted before the crash ends succeeded with its side effect applied once, and new actions run as before.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, it } from 'node:test';
import { join } from 'node:path';
import {
  TOKENS, client, compileShippedPolicies, freePort, removeDir, startStack, startToolServer, stopProcess, tempDir, waitFor,
  waitForRedis, writeToolRegistry, type Stack, type ToolServer,
} from './harness.ts';

interface RestartableRedis { url: string; kill(): Promise<void>; start(): Promise<void>; stop(): Promise<void> }

async function restartableRedis(dir: string): Promise<RestartableRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | null = null;
  const start = async () => {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' });
    proc = p;
    await waitForRedis(url, p);
  };
  await start();
  return {
    url,
    start,
    async kill() {
      const p = proc!;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (proc) await stopProcess(proc);
    },
  };
}

let dir = '';
let redis: RestartableRedis;
let tools: ToolServer;
let stack: Stack;
let call: ReturnType<typeof client>;

before(async () => {
  dir = tempDir('redis-restart');
  redis = await restartableRedis(dir);
  const policyPath = await compileShippedPolicies(join(dir, 'policy'));
  tools = await startToolServer(dir);
  stack = await startStack({
    policyPath, toolsFile: writeToolRegistry(dir, tools.url), kinds: ['api', 'decide', 'execute', 'review-expiry'], redisUrl: redis.url,
    env: { AIRLOCK_JOB_LOCK_MS: '1500', AIRLOCK_REQUEUE_AFTER: '3s' },
  });
  call = client(stack.api);
  await waitFor('readyz', async () => (await call('GET', '/readyz', null)).status === 200, 20_000);
});

after(async () => {
  await stack?.stop().catch(() => undefined);
  await tools?.stop();
  await redis?.stop();
  if (dir) removeDir(dir);
});

it('SIGKILL of Redis under load: 503 and not ready while it is down; afterwards every action succeeds, side effects once', { timeout: 120_000 }, async () => {
  const workflowId = `wf-restart-${Date.now()}`;
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const sub = await call('POST', '/v1/actions', TOKENS.agent, {
      agentId: 'demo-agent', workflowId, tool: 'files.read', args: { path: `/data/shared/part-${i}.csv`, delayMs: 400 + 100 * i },
    });
    assert.equal(sub.status, 202, JSON.stringify(sub.body));
    ids.push(sub.body.id);
  }
  // Some calls are at the tool server when Redis dies.
  await waitFor('a tool call in flight', async () => tools.events().some((e) => ids.includes(e.key) && e.event === 'applied'), 20_000);
  await redis.kill();

  const t0 = Date.now();
  const refused = await call('POST', '/v1/actions', TOKENS.agent, { agentId: 'demo-agent', workflowId, tool: 'echo', args: { during: 'outage' } });
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, 'state_unavailable');
  assert.ok(Date.now() - t0 < 5000, `answered in ${Date.now() - t0} ms, not hung`);
  assert.equal((await call('GET', '/readyz', null)).status, 503);

  await new Promise((r) => setTimeout(r, 1500)); // down for a while: jobs and their retries fail meanwhile
  await redis.start();
  await waitFor('readyz again', async () => (await call('GET', '/readyz', null)).status === 200, 30_000);

  const finals = await waitFor('every action final', async () => {
    const all = await Promise.all(ids.map((id) => call('GET', `/v1/actions/${id}`, TOKENS.agent)));
    return all.every((r) => ['succeeded', 'failed', 'denied', 'expired'].includes(r.body.status)) ? all.map((r) => r.body) : null;
  }, 90_000, 250);
  for (const a of finals) assert.equal(a.status, 'succeeded', JSON.stringify(a));
  const events = tools.events();
  for (const id of ids) {
    assert.equal(events.filter((e) => e.key === id && e.event === 'applied').length, 1, `${id} applied once: ${JSON.stringify(events.filter((e) => e.key === id))}`);
  }

  const after = await call('POST', '/v1/actions?wait=20', TOKENS.agent, { agentId: 'demo-agent', workflowId, tool: 'echo', args: { after: 'restart' } });
  assert.equal(after.body.status, 'succeeded', JSON.stringify(after.body));
});
