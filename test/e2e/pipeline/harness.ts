// End-to-end harness: compiles the shipped policies once with Airlock's compiler, starts the test tool server and real
// `airlock` processes (api, decide, execute, review-expiry) on the local Redis under a unique prefix, and cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { connectRedis } from '../../../src/queue/connection.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const REDIS_URL = 'redis://127.0.0.1:6379';
/** The Node flags Airlock's processes run with: bin/airlock.js's shebang and `npm start` pass the same (a unit test checks). */
export const AIRLOCK_NODE_FLAGS = ['--no-memory-reducer'];
export const TOKENS = { agent: 'e2e-agent-token', agent2: 'e2e-agent2-token', bound: 'e2e-bound-token', reviewer: 'e2e-reviewer-token', admin: 'e2e-admin-token' };
/** `bound` may act only as agent "demo-agent". */
const TOKEN_ENV = `${TOKENS.agent}:agent,${TOKENS.agent2}:agent,${TOKENS.bound}:agent:demo-agent,${TOKENS.reviewer}:reviewer,${TOKENS.admin}:admin`;

export type ProcessKind = 'api' | 'decide' | 'execute' | 'review-expiry' | 'decide,execute';

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `airlock-${tag}-`));
}

/**
 * Compiles `policies/` with src/rego (the real compiler) into <dir>/policy.wasm + data.json. The module is cached in the
 * temp folder under a hash of the policy files and of the compiler's own sources and runtime, so test files and the
 * benchmark compile (and load the compiler) only when one of those changed.
 * AIRLOCK_E2E_POLICY_DIR selects another policy folder (e.g. test/fixtures/policies/simple, which decides these tests' inputs alike).
 */
export async function compileShippedPolicies(dir: string, policyDir = process.env.AIRLOCK_E2E_POLICY_DIR ? join(ROOT, process.env.AIRLOCK_E2E_POLICY_DIR) : join(ROOT, 'policies')): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const cached = join(tmpdir(), 'airlock-e2e-policy-cache', compileInputsHash(policyDir));
  if (existsSync(join(cached, 'policy.wasm')) && existsSync(join(cached, 'data.json'))) {
    copyFileSync(join(cached, 'policy.wasm'), join(dir, 'policy.wasm'));
    copyFileSync(join(cached, 'data.json'), join(dir, 'data.json'));
    return join(dir, 'policy.wasm');
  }
  const path = await compileWithRego(dir, policyDir);
  // Written aside and renamed, so a concurrent test file never reads half a cache entry.
  const staging = `${cached}.${process.pid}.${randomBytes(3).toString('hex')}`;
  mkdirSync(staging, { recursive: true });
  copyFileSync(join(dir, 'policy.wasm'), join(staging, 'policy.wasm'));
  copyFileSync(join(dir, 'data.json'), join(staging, 'data.json'));
  try {
    renameSync(staging, cached);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process cached it first
  }
  return path;
}

/** sha256 over every file that decides the compiled module: the policy folder, src/rego and the built runtime. */
function compileInputsHash(policyDir: string): string {
  const h = createHash('sha256');
  const add = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
      return;
    }
    h.update(path).update('\0').update(readFileSync(path)).update('\0');
  };
  add(policyDir);
  add(join(ROOT, 'src/rego'));
  add(join(ROOT, 'build/runtime.wasm'));
  add(join(ROOT, 'scripts/build-runtime.mjs'));
  return h.digest('hex').slice(0, 32);
}

async function compileWithRego(dir: string, policyDir: string): Promise<string> {
  const rego = (await import(new URL('../../../src/rego/index.ts', import.meta.url).href)) as {
    compilePolicyDir(d: string, o: { entrypoints: string[] }): Promise<{ wasm?: Uint8Array; data: unknown; errors: unknown[] }>;
    formatRegoError(e: unknown): string;
  };
  const out = await rego.compilePolicyDir(policyDir, { entrypoints: ['airlock/decision'] });
  if (!out.wasm || out.errors.length) {
    throw new Error(`the shipped policies do not compile yet: ${out.errors.slice(0, 5).map((e) => rego.formatRegoError(e)).join('\n')}`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'policy.wasm'), out.wasm);
  writeFileSync(join(dir, 'data.json'), JSON.stringify(out.data ?? {}));
  return join(dir, 'policy.wasm');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface ToolServer {
  url: string;
  logFile: string;
  /** The server's own JSON-lines log of what it did. */
  events(): Array<{ event: string; key: string; tool: string }>;
  stop(): Promise<void>;
}

export async function startToolServer(dir: string): Promise<ToolServer> {
  const logFile = join(dir, 'tool-server.log');
  writeFileSync(logFile, '');
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/tool-server/server.ts'), '0', logFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /listening (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`tool server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    logFile,
    events: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
    stop: () => stopProcess(proc),
  };
}

/** A registry for the tests: http tools on the tool server with names the shipped policy decides known ways. */
export function writeToolRegistry(dir: string, toolServerUrl: string): string {
  const file = join(dir, 'tools.json');
  const tools = [
    {
      name: 'files.read', description: 'read a file (test tool server)', risk: 'low',
      args: { type: 'object', required: ['path'], properties: { path: { type: 'string' }, delayMs: { type: 'integer', minimum: 0 } } },
      executor: { kind: 'http', url: `${toolServerUrl}/tools/files.read`, timeoutMs: 10000 },
    },
    {
      name: 'files.delete', description: 'delete a file (test tool server)', risk: 'high',
      args: { type: 'object', required: ['path'], properties: { path: { type: 'string' } } },
      executor: { kind: 'http', url: `${toolServerUrl}/tools/files.delete`, timeoutMs: 10000 },
    },
  ];
  writeFileSync(file, JSON.stringify({ tools }, null, 2));
  return file;
}

export interface Stack {
  prefix: string;
  api: string;
  env: Record<string, string>;
  procs: Map<ProcessKind, ChildProcess>;
  start(kind: ProcessKind, extraEnv?: Record<string, string>): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export async function startStack(opts: { policyPath: string; toolsFile: string; kinds: ProcessKind[]; env?: Record<string, string>; redisUrl?: string }): Promise<Stack> {
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  const prefix = `e2e-${randomBytes(5).toString('hex')}`;
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    AIRLOCK_REDIS_URL: redisUrl, AIRLOCK_PREFIX: prefix, AIRLOCK_PORT: String(port), AIRLOCK_TOKENS: TOKEN_ENV,
    AIRLOCK_POLICY_DIR: opts.policyPath, AIRLOCK_TOOLS: opts.toolsFile, AIRLOCK_LOG_LEVEL: 'info', AIRLOCK_POLICY_WATCH: 'false',
    AIRLOCK_SWEEP_INTERVAL_MS: '250', AIRLOCK_RETRY_BASE_MS: '20', ...opts.env,
  };
  const procs = new Map<ProcessKind, ChildProcess>();
  const stack: Stack = {
    prefix,
    api: `http://127.0.0.1:${port}`,
    env,
    procs,
    async start(kind, extraEnv = {}) {
      const args = kind === 'api' ? ['api'] : ['worker', kind];
      const nodeArgs = (process.env.AIRLOCK_E2E_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof --cpu-prof-dir=/tmp/prof
      const proc = spawn(process.execPath, [...AIRLOCK_NODE_FLAGS, ...nodeArgs, join(ROOT, 'bin/airlock.js'), ...args], { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      procs.set(kind, proc);
      let out = '';
      const logDir = process.env.AIRLOCK_E2E_LOG_DIR; // keep each process's output (e.g. with --trace-gc in AIRLOCK_E2E_NODE_ARGS)
      if (logDir) {
        const file = join(logDir, `${kind}-${proc.pid}.log`);
        const tee = (c: Buffer) => appendFileSync(file, c);
        proc.stdout!.on('data', tee);
        proc.stderr!.on('data', tee);
      }
      proc.stdout!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20000)));
      proc.stderr!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20000)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${kind} did not start within 60 s:\n${out}`)), 60_000);
        const check = () => {
          if (/"msg":"(worker started|review-expiry worker started|API listening)"/.test(out)) {
            clearTimeout(timer);
            proc.stdout!.off('data', check);
            resolve();
          }
        };
        proc.stdout!.on('data', check);
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${kind} exited (${code}) while starting:\n${out}`));
        });
      });
      return proc;
    },
    async stop() {
      await Promise.all([...procs.values()].map(stopProcess));
      await cleanupPrefix(prefix, redisUrl);
    },
  };
  try {
    await Promise.all(opts.kinds.map((k) => stack.start(k)));
  } catch (e) {
    await stack.stop(); // never leave half a stack running
    throw e;
  }
  return stack;
}

export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(t);
}

export async function cleanupPrefix(prefix: string, redisUrl = REDIS_URL): Promise<void> {
  const redis = connectRedis(redisUrl, 'cleanup', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A small client for the API. */
export function client(base: string) {
  return async function call<T = any>(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** A redis-server of its own on a free port (no persistence, temp dir), for benchmarks and tests that need clean counters or kill Redis. */
export async function startPrivateRedis(dir: string, opts: { unixSocket?: boolean } = {}): Promise<PrivateRedis> {
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'redis.sock');
  const port = opts.unixSocket ? 0 : await freePort();
  const listen = opts.unixSocket ? ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700'] : ['--port', String(port), '--bind', '127.0.0.1'];
  const proc = spawn('redis-server', [...listen, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = opts.unixSocket ? `unix://${socket}` : `redis://127.0.0.1:${port}`;
  await waitForRedis(url, proc);
  return { url, stop: () => stopProcess(proc) };
}

/** Waits until the redis-server at `url` answers PING (and fails at once if its process `proc` exits). */
export async function waitForRedis(url: string, proc: ChildProcess): Promise<void> {
  await waitFor('redis-server', async () => {
    if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode})`);
    const probe = connectRedis(url, 'probe', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, 10_000, 50);
}

/** What useStack holds once its `before` hook has run. */
export interface StackFixture {
  dir: string;
  tools: ToolServer;
  stack: Stack;
  call: ReturnType<typeof client>;
}

/**
 * Registers before/after hooks that compile the shipped policies, start the test tool server and a stack of the given
 * processes (waiting for /readyz when an API is among them), and tear all of it down afterwards. Read the fixture's fields
 * inside tests (they are set by the `before` hook).
 */
export function useStack(name: string, opts: { kinds: ProcessKind[]; env?: Record<string, string> }): StackFixture {
  const fixture = {} as StackFixture;
  before(async () => {
    fixture.dir = tempDir(name);
    const policyPath = await compileShippedPolicies(`${fixture.dir}/policy`);
    fixture.tools = await startToolServer(fixture.dir);
    fixture.stack = await startStack({ policyPath, toolsFile: writeToolRegistry(fixture.dir, fixture.tools.url), kinds: opts.kinds, env: opts.env });
    fixture.call = client(fixture.stack.api);
    if (opts.kinds.includes('api')) await waitFor('readyz', async () => (await fixture.call('GET', '/readyz', null)).status === 200, 20_000);
  });
  after(async () => {
    await fixture.stack?.stop();
    await fixture.tools?.stop();
    if (fixture.dir) removeDir(fixture.dir);
  });
  return fixture;
}
