// Benchmark of the budget step: p50/p99 latency added by reserve() and Redis commands per action, on a private redis-server.
// Usage: npm run bench:budget [-- --actions 3000 --concurrency 16]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { budgetConfigFromPolicyData, createBudgetService, type BudgetService } from '../src/budget/index.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ACTIONS = arg('actions', 3000);
const CONCURRENCY = arg('concurrency', 16);

const policyData = {
  budgets: {
    defaults: {
      workflow: { capUsd: 1e6, capTokens: 1e12, window: 'none' },
      agent: { capUsd: 1e6, capTokens: 1e12, window: 'day' },
      tenant: { capUsd: 1e6, capTokens: 1e12, window: 'month' },
      global: { capUsd: 1e6, capTokens: 1e12, window: 'day' },
    },
  },
  breakers: { velocityUsdPerMinute: 1e6, velocityWindowSeconds: 60, loopCount: 1e6, loopWindowSeconds: 30, cooldownSeconds: 300 },
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => { sock.end(); resolve(true); });
      sock.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

/** Redis's counters so far (INFO commandstats, INFO itself not counted): commands executed, incl. those inside Lua,
 *  and the microseconds spent in EVALSHA (the budget's scripts with the commands inside them). */
async function redisCounters(redis: Redis): Promise<{ commands: number; scriptMicros: number }> {
  const info = await redis.info('commandstats');
  let commands = 0;
  for (const m of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) if (m[1] !== 'info') commands += Number(m[2]);
  return { commands, scriptMicros: Number(info.match(/^cmdstat_evalsha:calls=\d+,usec=(\d+)/m)?.[1] ?? 0) };
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (v: number): string => `${v.toFixed(3)} ms`;

async function measureReserve(budget: BudgetService, label: string, concurrency: number): Promise<void> {
  const lat: number[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= ACTIONS) return;
      const scopes = budget.scopesFor({ agentId: `agent-${i % 50}`, workflowId: `wf-${i % 200}`, tenant: `t-${i % 5}` });
      const t0 = performance.now();
      const r = await budget.reserve(`${label}-${i}`, scopes, { usd: 0.1, tokens: 100 });
      lat.push(performance.now() - t0);
      if (!r.ok) throw new Error(`unexpected refusal: ${r.reason}`);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`reserve (4 scopes), concurrency ${String(concurrency).padStart(2)}: p50 ${ms(pct(lat, 50))}  p99 ${ms(pct(lat, 99))}  ${(ACTIONS / secs).toFixed(0)} reservations/s`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-budget-'));
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await waitForPort(port);
  const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 2 });
  try {
    await redis.ping();
    let roundTrips = 0;
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = ((...a: Parameters<typeof send>) => { roundTrips++; return send(...a); }) as typeof redis.sendCommand;
    const budget = createBudgetService({ redis, prefix: '{bench}:', clock: Date.now, config: budgetConfigFromPolicyData(policyData) });
    console.log(`budget benchmark: ${ACTIONS} actions, private redis-server on 127.0.0.1:${port}`);

    await measureReserve(budget, 'warm', 8);
    await measureReserve(budget, 'seq', 1);
    await measureReserve(budget, 'par', CONCURRENCY);

    // The whole budget path of one action as the pipeline runs it: the decide step's snapshot (recording the attempt in
    // the workflow and agent breakers), its reservation (recording it in the shared scopes), then the execute step's
    // lease renewal and settlement. Paid and free (zero-cost) calls differ: adding zero is skipped inside the scripts.
    const cycles = 500;
    for (const [kind, usd] of [['paid', 0.1], ['free', 0]] as const) {
      const before = await redisCounters(redis);
      const rtBefore = roundTrips;
      for (let i = 0; i < cycles; i++) {
        const id = `cycle-${kind}-${i}`;
        const scopes = budget.scopesFor({ agentId: 'a', workflowId: `wf-${i % 20}`, tenant: 't' });
        const attempt = { tool: 'echo', argsHash: `h-${kind}-${i}`, costUsd: usd };
        await budget.snapshot(scopes, { ...attempt, actionId: id, scopes: scopes.slice(0, 2) });
        await budget.reserve(id, scopes, { usd, tokens: usd ? 100 : 0 }, { attempt: { ...attempt, scopes: scopes.slice(2) } });
        await budget.renewLease(id);
        await budget.settle(id, { usd: usd * 0.8 });
      }
      const after = await redisCounters(redis);
      const commands = after.commands - before.commands;
      const micros = after.scriptMicros - before.scriptMicros;
      const sent = roundTrips - rtBefore - 1; // minus the INFO call
      console.log(`per ${kind} action (snapshot+attempt, reserve+attempt, renewLease, settle; 4 scopes): ${(sent / cycles).toFixed(1)} round trips, ` +
        `${(commands / cycles).toFixed(1)} Redis commands executed (incl. inside Lua), ${(micros / cycles).toFixed(1)} µs of Redis script time`);
    }
    const reserveBefore = (await redisCounters(redis)).commands;
    for (let i = 0; i < cycles; i++) {
      await budget.reserve(`only-${i}`, budget.scopesFor({ agentId: 'a', workflowId: 'w', tenant: 't' }), { usd: 0.1, tokens: 1 });
    }
    console.log(`reserve alone: 1 round trip (EVALSHA), ${(((await redisCounters(redis)).commands - reserveBefore) / cycles).toFixed(1)} Redis commands`);
  } finally {
    redis.disconnect();
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
