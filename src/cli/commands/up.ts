// `airlock up`: the all-in-one demo — a local redis-server when AIRLOCK_REDIS_URL is unset, tokens when AIRLOCK_TOKENS is unset,
// the shipped policies compiled by Airlock's compiler, the API and every worker in one process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { startApiServer } from '../../api/server.ts';
import { loadConfig, type AirlockConfig, type TokenGrant } from '../../config/index.ts';
import { createRuntime } from '../../pipeline/runtime.ts';
import { startDecideWorker } from '../../../workers/decide.ts';
import { startExecuteWorker } from '../../../workers/execute.ts';
import { startReviewExpiryWorker } from '../../../workers/review-expiry.ts';
import { onShutdown } from '../../../workers/shutdown.ts';
import { CliError } from '../errors.ts';
import { disableAllocationSitePretenuring } from '../heap-tuning.ts';

const DEMO_AGENT = 'demo-agent';

export function register(program: Command): void {
  program
    .command('up')
    .description('start everything for a demo: local redis (if needed), API, decide/execute/review-expiry workers')
    .option('--data-dir <dir>', 'where the local redis-server keeps its data', '.data/redis')
    .action(async (opts: { dataDir: string }) => {
      const config = loadConfig();
      let redisProc: ChildProcess | null = null;
      if (!config.redisUrl) {
        const started = await startLocalRedis(resolve(opts.dataDir));
        redisProc = started.proc;
        config.redisUrl = started.url;
      }
      let generated = false;
      if (!config.tokens || config.tokens.length === 0) {
        generated = true;
        // The demo agent token is bound to the agent id of the printed curl line (it may act only as "demo-agent").
        config.tokens = (['agent', 'reviewer', 'admin'] as const).map((role): TokenGrant => ({
          token: `${role}_${randomBytes(12).toString('hex')}`, role, ...(role === 'agent' ? { agentId: DEMO_AGENT } : {}),
        }));
      }
      disableAllocationSitePretenuring(); // before any traffic: see heap-tuning.ts
      const started = await startAll(config).catch(async (e: unknown) => {
        // Do not leave the redis-server started above running behind a failed start.
        if (redisProc) await stopLocalRedis(redisProc);
        throw e;
      });
      const { rt, workers, api } = started;
      const agent = config.tokens.find((t) => t.role === 'agent' || t.role === 'admin')!;
      const policy = rt.policy.status();
      const lines = [
        '',
        `Airlock is up at ${api.url}`,
        `  redis:  ${config.redisUrl}${redisProc ? ` (local redis-server, data in ${opts.dataDir}, appendonly yes)` : ''}`,
        `  policy: ${policy.loaded ? `revision ${policy.revision!.slice(0, 12)} from ${policy.source}` : `NOT LOADED — every action is denied: ${policy.lastError?.message ?? ''}`}`,
        `  tokens${generated ? ' (generated; set AIRLOCK_TOKENS to choose your own)' : ''}:`,
        ...config.tokens.map((t) => `    ${t.role.padEnd(8)} ${generated ? t.token : `${t.token.slice(0, 4)}…`}${t.agentId ? ` (acts as agent "${t.agentId}" only)` : ''}`),
        '',
        'Try it:',
        `  curl -s -X POST '${api.url}/v1/actions?wait=5' -H 'authorization: Bearer ${generated ? agent.token : '<agent token>'}' -H 'content-type: application/json' \\`,
        `    -d '{"agentId":"${DEMO_AGENT}","workflowId":"wf-demo","tool":"echo","args":{"hello":"world"}}'`,
        '',
      ];
      process.stdout.write(lines.join('\n') + '\n');
      onShutdown(rt.logger, async () => {
        await api.close();
        await Promise.all(workers.map((w) => w.close()));
        await rt.close();
        if (redisProc) await stopLocalRedis(redisProc);
      });
    });
}

async function startAll(config: AirlockConfig) {
  const rt = await createRuntime(config, 'up', { loadPolicy: true });
  const workers = [startDecideWorker(rt), startExecuteWorker(rt), startReviewExpiryWorker(rt)];
  const api = await startApiServer(rt);
  return { rt, workers, api };
}

async function stopLocalRedis(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

async function startLocalRedis(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', join(dir, 'redis.log')], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => {
    proc.once('error', (e) => reject(new CliError(`cannot start redis-server (is it installed?): ${e.message}`, 'local_redis_failed')));
    proc.once('exit', (code) => reject(new CliError(`redis-server exited with code ${code}; see ${join(dir, 'redis.log')}`, 'local_redis_failed')));
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await Promise.race([probe.connect().then(() => probe.ping()), failed]);
      probe.disconnect();
      return { proc, url };
    } catch (e) {
      probe.disconnect();
      if (proc.exitCode !== null) throw e;
      if (Date.now() > deadline) {
        await stopLocalRedis(proc);
        throw new CliError(`redis-server did not answer on ${url} within 10 s (${(e as Error).message}); see ${join(dir, 'redis.log')}`, 'local_redis_failed');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
