// Starting the processes with bad settings, or while Redis is unreachable: a clear line and exit status 2 for what the user
// must fix; structured, throttled warnings (no raw stack dumps) while Redis is away, and every connection back once it answers.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AIRLOCK_NODE_FLAGS, freePort, removeDir, ROOT, stopProcess, tempDir, waitFor } from './harness.ts';

const dir = tempDir('startup');
after(() => removeDir(dir));

function airlock(args: string[], env: Record<string, string | undefined>): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const base: Record<string, string | undefined> = { ...process.env, AIRLOCK_TOKENS: 'tok-a:agent,tok-r:reviewer', AIRLOCK_LOG_LEVEL: 'info' };
  delete base.AIRLOCK_REDIS_URL;
  const proc = spawn(process.execPath, [...AIRLOCK_NODE_FLAGS, join(ROOT, 'bin/airlock.js'), ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output: () => out, exited };
}

async function exitOf(run: ReturnType<typeof airlock>, timeoutMs = 60_000): Promise<number | null> {
  const timer = setTimeout(() => run.proc.kill('SIGKILL'), timeoutMs);
  try {
    return await run.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A redis-server on `port` (no persistence), for the tests that start Airlock before Redis answers. */
function redisServerOn(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
}

async function expectCleanExitOnSigterm(run: ReturnType<typeof airlock>, timeoutMs = 30_000): Promise<void> {
  run.proc.kill('SIGTERM');
  assert.equal(await exitOf(run, timeoutMs), 0, `clean exit on SIGTERM:\n${run.output().slice(-2000)}`);
}

describe('settings the user must fix: one line naming the setting, exit status 2', () => {
  const cases: Array<{ name: string; args: string[]; env: Record<string, string>; line: RegExp }> = [
    { name: 'a bad duration', args: ['api'], env: { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_REVIEW_TTL: 'bogus' }, line: /^airlock: invalid configuration: AIRLOCK_REVIEW_TTL: not a duration: "bogus".*\[config_invalid\]$/ },
    { name: 'a bad token list', args: ['api'], env: { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_TOKENS: 'x:root' }, line: /^airlock: invalid configuration: AIRLOCK_TOKENS: .*"x:root".*\[config_invalid\]$/ },
    { name: 'no Redis URL for a worker', args: ['worker', 'decide'], env: {}, line: /^airlock: AIRLOCK_REDIS_URL is not set .*\[config_invalid\]$/ },
    { name: 'a bad metrics port for a worker', args: ['worker', 'execute'], env: { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_METRICS_PORT: 'ninety' }, line: /^airlock: AIRLOCK_METRICS_PORT must be a port number \(0-65535\), got "ninety" \[config_invalid\]$/ },
    { name: 'a missing tool registry', args: ['worker', 'execute'], env: { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_TOOLS: join(dir, 'no-such-tools.yaml') }, line: /^airlock: cannot read tool registry .*no-such-tools\.yaml: ENOENT.*\[tool_registry_invalid\]$/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const run = airlock(c.args, c.env);
      assert.equal(await exitOf(run), 2, run.output());
      const lines = run.output().trim().split('\n');
      assert.equal(lines.length, 1, `one line, no stack trace:\n${run.output()}`);
      assert.match(lines[0]!, c.line);
    });
  }

  it('a port already taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as { port: number }).port;
      const run = airlock(['api'], { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_PORT: String(port) });
      assert.equal(await exitOf(run), 2, run.output());
      const lines = run.output().trim().split('\n').filter((l) => !l.startsWith('{')); // the JSON start-up log lines come before
      assert.equal(lines.length, 1, run.output());
      assert.match(lines[0]!, new RegExp(`^airlock: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\[config_invalid\\]$`));
    } finally {
      taken.close();
    }
  });

  it('airlock up stops the redis-server it started when the start fails', async () => {
    const dataDir = join(dir, 'up-redis');
    const run = airlock(['up', '--data-dir', dataDir], { AIRLOCK_TOOLS: join(dir, 'missing.yaml'), AIRLOCK_TOKENS: undefined, AIRLOCK_PORT: String(await freePort()) });
    assert.equal(await exitOf(run, 90_000), 2, run.output());
    assert.match(run.output().trim(), /^airlock: cannot read tool registry .*\[tool_registry_invalid\]$/);
    assert.ok(readdirSync(dataDir).some((f) => f.startsWith('appendonly')), 'the local redis-server had started');
    const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir);
      } catch {
        return false;
      }
    });
    assert.deepEqual(left, [], 'no redis-server left running on the demo data folder');
  });
});

it('a worker started while Redis is unreachable logs throttled JSON warnings, reconnects every connection when Redis answers, and stops on SIGTERM', async () => {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const run = airlock(['worker', 'decide'], { AIRLOCK_REDIS_URL: `redis://127.0.0.1:${port}`, AIRLOCK_PREFIX: `startup-${port}`, AIRLOCK_METRICS_PORT: String(metricsPort) });
  const probe = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}${path}`);
    return { status: res.status, body: (await res.json()) as { ready?: boolean; redis?: { ok: boolean }; policy?: { loaded: boolean } } };
  };
  let redis: ChildProcess | null = null;
  try {
    await waitFor('worker started', async () => run.output().includes('"worker started"'), 60_000, 100);
    await waitFor('metrics listening', async () => run.output().includes('"metrics listening"'), 30_000, 100);
    assert.equal((await probe('/healthz')).status, 200);
    const notReady = await probe('/readyz');
    assert.equal(notReady.status, 503, 'the worker says it is not ready while Redis is away');
    assert.equal(notReady.body.redis?.ok, false);
    assert.equal(notReady.body.policy?.loaded, true);
    await new Promise((r) => setTimeout(r, 3000)); // ioredis retries every 50-150 ms meanwhile: dozens of errors per connection
    const lines = run.output().trim().split('\n');
    type Rec = { msg: string; time: number; connection?: string; queue?: string; errorsNotLogged?: number };
    const records = lines.map((l) => {
      try {
        return JSON.parse(l) as Rec;
      } catch {
        return null;
      }
    });
    assert.deepEqual(lines.filter((_, i) => records[i] === null), [], 'every line is a structured log record (no raw error dumps)');
    const recs = records as Rec[];
    const errors = recs.filter((r) => r.msg === 'redis connection error');
    assert.deepEqual([...new Set(errors.map((r) => r.connection))].sort(), ['commands', 'decide worker']);
    // Per connection (and for the worker's and queues' own error events): the first error at once, then at most one
    // line per 10 s, each counting the errors left out since the last. (A slow machine may pass 10 s before this point.)
    const throttled = (group: Rec[], what: string) => {
      for (let i = 1; i < group.length; i++) {
        assert.ok(group[i]!.time - group[i - 1]!.time >= 10_000, `${what}: two lines within 10 s:\n${run.output()}`);
        assert.ok((group[i]!.errorsNotLogged ?? 0) > 0, `${what}: a later line counts the errors left out`);
      }
      assert.ok(group.length <= 3, `${what}: ${group.length} lines`);
    };
    for (const c of ['commands', 'decide worker']) throttled(errors.filter((r) => r.connection === c), c);
    throttled(recs.filter((r) => r.msg === 'worker error'), 'worker error');
    throttled(recs.filter((r) => r.msg === 'queue error'), 'queue error');

    redis = redisServerOn(port);
    await waitFor('every connection restored', async () => {
      const restored = run.output().split('\n').filter((l) => l.includes('"redis connection restored"'));
      return ['commands', 'decide worker'].every((c) => restored.some((l) => l.includes(`"connection":"${c}"`)));
    }, 30_000, 100);
    const restored = run.output().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; errorsNotLogged?: number }).filter((r) => r.msg === 'redis connection restored');
    assert.ok(restored.every((r) => (r.errorsNotLogged ?? 0) > 0), 'the restored lines count the errors left out');
    await waitFor('the worker ready', async () => (await probe('/readyz')).status === 200, 30_000, 100);
    assert.equal((await probe('/readyz')).body.ready, true);
    await expectCleanExitOnSigterm(run);
  } finally {
    if (run.proc.exitCode === null) await stopProcess(run.proc);
    if (redis) await stopProcess(redis);
  }
});

it('the API started while Redis is unreachable listens: live, not ready, fails closed; ready once Redis answers', async () => {
  const [redisPort, apiPort] = [await freePort(), await freePort()];
  const run = airlock(['api'], { AIRLOCK_REDIS_URL: `redis://127.0.0.1:${redisPort}`, AIRLOCK_PORT: String(apiPort), AIRLOCK_PREFIX: `startup-api-${redisPort}` });
  const base = `http://127.0.0.1:${apiPort}`;
  const json = { authorization: 'Bearer tok-a', 'content-type': 'application/json' };
  const action = JSON.stringify({ agentId: 'demo-agent', workflowId: 'wf-startup', tool: 'echo', args: { n: 1 } });
  let redis: ChildProcess | null = null;
  try {
    await waitFor('API listening', async () => run.output().includes('"API listening"'), 60_000, 100);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const notReady = await fetch(`${base}/readyz`);
    assert.equal(notReady.status, 503);
    assert.equal(((await notReady.json()) as { redis: { ok: boolean } }).redis.ok, false);
    const submit = await fetch(`${base}/v1/actions`, { method: 'POST', headers: json, body: action });
    assert.equal(submit.status, 503);
    assert.equal(((await submit.json()) as { error: { code: string } }).error.code, 'state_unavailable');
    const check = (await (await fetch(`${base}/v1/check`, { method: 'POST', headers: json, body: action })).json()) as { outcome: string; reasons: string[] };
    assert.equal(check.outcome, 'deny', 'unknown budget state never allows');
    assert.match(check.reasons.join(' '), /budget state unknown/);
    // The log keeps one line per connection per 10 s; the metric counts every error.
    const metricsText = await (await fetch(`${base}/metrics`)).text();
    const errorsOf = (connection: string) => Number(new RegExp(`^airlock_redis_connection_errors_total\\{connection="${connection}"\\} (\\d+)`, 'm').exec(metricsText)?.[1] ?? 'NaN');
    assert.ok(errorsOf('commands') > 1, metricsText.split('\n').filter((l) => l.includes('connection_errors')).join('\n'));
    assert.ok(errorsOf('final-state subscriber') > 1);
    const logged = run.output().split('\n').filter((l) => l.includes('"redis connection error"') && l.includes('"connection":"commands"')).length;
    assert.ok(logged < errorsOf('commands'), `logged ${logged} of ${errorsOf('commands')} errors`);

    redis = redisServerOn(redisPort);
    await waitFor('ready', async () => (await fetch(`${base}/readyz`)).status === 200, 30_000, 100);
    const allowed = (await (await fetch(`${base}/v1/check`, { method: 'POST', headers: json, body: action })).json()) as { outcome: string };
    assert.equal(allowed.outcome, 'allow');
    await expectCleanExitOnSigterm(run);
  } finally {
    if (run.proc.exitCode === null) await stopProcess(run.proc);
    if (redis) await stopProcess(redis);
  }
});

it('a worker stopped while Redis is unreachable exits at once instead of waiting out its grace period', async () => {
  const port = await freePort();
  const run = airlock(['worker', 'decide,execute'], { AIRLOCK_REDIS_URL: `redis://127.0.0.1:${port}`, AIRLOCK_PREFIX: `startup-stop-${port}` });
  try {
    await waitFor('workers started', async () => (run.output().match(/"worker started"/g) ?? []).length === 2, 60_000, 100);
    const t0 = Date.now();
    await expectCleanExitOnSigterm(run, 60_000);
    assert.ok(Date.now() - t0 < 5000, `exited ${Date.now() - t0} ms after SIGTERM (the grace period is 30 s)`);
  } finally {
    if (run.proc.exitCode === null) await stopProcess(run.proc);
  }
});

it('a worker runs AIRLOCK_FETCH_LOOPS BullMQ fetch loops per queue, each waiting on a blocking connection of its own', async () => {
  const prefix = `startup-loops-${process.pid}`;
  const run = airlock(['worker', 'decide'], { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_PREFIX: prefix, AIRLOCK_FETCH_LOOPS: '3' });
  const { Redis } = await import('ioredis');
  const admin = new Redis('redis://127.0.0.1:6379');
  const blocked = async () => (await admin.client('LIST') as string).split('\n')
    .filter((l) => l.includes(` name=${prefix}:bull:`) && / cmd=bzpopmin /.test(l)).length; // BullMQ names its blocking connections
  try {
    await waitFor('worker started', async () => run.output().includes('"worker started"'), 60_000, 100);
    const started = JSON.parse(run.output().split('\n').find((l) => l.includes('"worker started"'))!) as { fetchLoops: number; concurrency: number };
    assert.deepEqual([started.fetchLoops, started.concurrency], [3, 64]);
    await waitFor('three fetch loops waiting for jobs', async () => (await blocked()) === 3, 10_000, 50);
    await expectCleanExitOnSigterm(run);
  } finally {
    admin.disconnect();
    if (run.proc.exitCode === null) await stopProcess(run.proc);
  }
});

it('a running process reads its tool registry again when the file changes, and keeps it when the new file is bad', async () => {
  const [apiPort] = [await freePort()];
  const toolsFile = join(dir, 'reload-tools.json');
  const tool = (name: string) => ({ name, description: name, risk: 'low', executor: { kind: 'builtin', name: 'echo' } });
  writeFileSync(toolsFile, JSON.stringify({ tools: [tool('alpha.one')] }));
  const run = airlock(['api'], { AIRLOCK_REDIS_URL: 'redis://127.0.0.1:6379', AIRLOCK_PORT: String(apiPort), AIRLOCK_PREFIX: `startup-tools-${apiPort}`, AIRLOCK_TOOLS: toolsFile });
  const base = `http://127.0.0.1:${apiPort}`;
  const toolOfCheck = async (name: string) => {
    const res = await fetch(`${base}/v1/check`, { method: 'POST', headers: { authorization: 'Bearer tok-a', 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'demo-agent', workflowId: 'wf-tools', tool: name, args: {} }) });
    return ((await res.json()) as { reasons: string[] }).reasons.join(' ');
  };
  try {
    await waitFor('API listening', async () => run.output().includes('"API listening"'), 60_000, 100);
    assert.doesNotMatch(await toolOfCheck('alpha.one'), /unknown tool/);
    assert.match(await toolOfCheck('beta.two'), /unknown tool beta\.two/, 'the policy input says the tool is not in the registry');
    writeFileSync(toolsFile, JSON.stringify({ tools: [tool('alpha.one'), tool('beta.two')] }));
    await waitFor('the registry read again', async () => run.output().includes('"tool registry loaded"'), 15_000, 50);
    assert.doesNotMatch(await toolOfCheck('beta.two'), /unknown tool/, 'known after the reload');
    writeFileSync(toolsFile, '{"tools": [');
    await waitFor('the failed reload reported', async () => run.output().includes('tool registry reload failed'), 15_000, 50);
    assert.doesNotMatch(await toolOfCheck('beta.two'), /unknown tool/, 'the previous registry keeps serving');
    const metricsText = await (await fetch(`${base}/metrics`)).text();
    assert.match(metricsText, /^airlock_tool_registry_reloads_total\{result="success"\} [1-9]/m);
    assert.match(metricsText, /^airlock_tool_registry_reloads_total\{result="failure"\} [1-9]/m);
  } finally {
    await stopProcess(run.proc);
  }
});
