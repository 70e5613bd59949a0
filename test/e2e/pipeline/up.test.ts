// The first command: `airlock up` with neither AIRLOCK_REDIS_URL nor AIRLOCK_TOKENS starts a local redis-server (append-only,
// data in the given folder), compiles the policies, generates tokens and prints a curl line that succeeds with `echo`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { AIRLOCK_NODE_FLAGS, freePort, removeDir, ROOT, stopProcess, tempDir, waitFor } from './harness.ts';

const dir = tempDir('up');
after(() => removeDir(dir));

it('airlock up: local redis, generated tokens, and the printed curl line succeeds', async () => {
  const port = await freePort();
  const env: Record<string, string> = { ...(process.env as Record<string, string>), AIRLOCK_PORT: String(port), AIRLOCK_PREFIX: `up-${port}` };
  delete env.AIRLOCK_REDIS_URL;
  delete env.AIRLOCK_TOKENS;
  if (process.env.AIRLOCK_E2E_POLICY_DIR) env.AIRLOCK_POLICY_DIR = join(ROOT, process.env.AIRLOCK_E2E_POLICY_DIR);
  const dataDir = join(dir, 'redis');
  const proc = spawn(process.execPath, [...AIRLOCK_NODE_FLAGS, join(ROOT, 'bin/airlock.js'), 'up', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await waitFor('the curl line', async () => out.includes('Try it:') && /-d '\{.*\}'/.test(out), 90_000, 100);
    const url = /Airlock is up at (http:\/\/[^\s]+)/.exec(out)?.[1];
    assert.equal(url, `http://127.0.0.1:${port}`);
    assert.match(out, /local redis-server, data in/);
    assert.match(out, /policy: revision [0-9a-f]{12}/, out);
    const token = /Bearer ([A-Za-z0-9_]+)'/.exec(out)?.[1];
    const curlUrl = /curl -s -X POST '([^']+)'/.exec(out)?.[1];
    const body = /-d '(\{.*\})'/.exec(out)?.[1];
    assert.ok(token && curlUrl && body, out);
    const res = await fetch(curlUrl!, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body! });
    const action = (await res.json()) as { status: string; result: unknown };
    assert.equal(action.status, 'succeeded', JSON.stringify(action));
    assert.deepEqual(action.result, { echo: { hello: 'world' } });
    assert.ok(existsSync(dataDir) && readdirSync(dataDir).some((f) => f.startsWith('appendonly')), 'append-only data in the project folder');
  } finally {
    await stopProcess(proc);
  }
  assert.equal(proc.exitCode, 0, `clean exit on SIGTERM:\n${out.slice(-2000)}`);
});
