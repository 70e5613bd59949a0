// Benchmark (not a test): end-to-end throughput and latency of the pipeline with real processes, and /v1/check latency at a fixed rate.
// Usage: npm run bench:e2e [-- --actions 3000 --agents 50 --check-rate 500 --check-seconds 10]
import { Redis } from 'ioredis';
import {
  client, compileShippedPolicies, REDIS_URL, removeDir, startStack, startToolServer, tempDir, TOKENS, writeToolRegistry,
} from '../test/e2e/pipeline/harness.ts';

const argv = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const TOTAL = opt('actions', 3000);
const AGENTS = opt('agents', 50);
const CHECK_RATE = opt('check-rate', 500);
const CHECK_SECONDS = opt('check-seconds', 10);

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function commandCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/calls=(\d+)/g)) total += Number(m[1]);
  return total;
}

const dir = tempDir('bench');
const policyPath = await compileShippedPolicies(`${dir}/policy`);
const tools = await startToolServer(dir);
const stack = await startStack({
  policyPath, toolsFile: writeToolRegistry(dir, tools.url), kinds: ['api', 'decide', 'execute'],
  env: { AIRLOCK_RATE_LIMIT: '100000' }, // info level: the harness waits for the start-up lines; nothing is logged per action
});
const redis = new Redis(REDIS_URL);
try {
  const call = client(stack.api);
  const body = (i: number) => ({ agentId: 'demo-agent', workflowId: `wf-bench-${i % AGENTS}`, tool: 'echo', args: { i } });
  // Warm up (JIT, connections).
  await Promise.all(Array.from({ length: 50 }, (_, i) => call('POST', '/v1/actions?wait=30', TOKENS.agent, body(i))));

  const before = await commandCalls(redis);
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: AGENTS }, async () => {
    for (;;) {
      const i = next++;
      if (i >= TOTAL) return;
      const s = performance.now();
      const r = await call('POST', '/v1/actions?wait=60', TOKENS.agent, body(i));
      latencies.push(performance.now() - s);
      if (r.body?.status !== 'succeeded') failed++;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const after = await commandCalls(redis);
  latencies.sort((a, b) => a - b);

  // /v1/check at a fixed request rate (open loop: requests are sent on schedule whatever the latency).
  const checks: number[] = [];
  const n = CHECK_RATE * CHECK_SECONDS;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / CHECK_RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const s = performance.now();
    pending.push(call('POST', '/v1/check', TOKENS.agent, body(i)).then(() => void checks.push(performance.now() - s)));
  }
  await Promise.all(pending);
  const achieved = n / ((performance.now() - start) / 1000);
  checks.sort((a, b) => a - b);

  const lines = [
    `policy: ${process.env.AIRLOCK_E2E_POLICY_DIR ?? 'policies/'} (compiled by src/rego)`,
    `end to end (echo, ${AGENTS} concurrent agents, ${TOTAL} actions, separate api/decide/execute processes):`,
    `  throughput            ${(TOTAL / seconds).toFixed(0)} actions/s  (${failed} not succeeded)`,
    `  submit→final          p50 ${pct(latencies, 50).toFixed(1)} ms   p99 ${pct(latencies, 99).toFixed(1)} ms`,
    `  redis commands/action ${((after - before) / TOTAL).toFixed(1)}  (INFO commandstats delta, all clients)`,
    `/v1/check at ${CHECK_RATE} req/s for ${CHECK_SECONDS} s (achieved ${achieved.toFixed(0)} req/s):`,
    `  latency               p50 ${pct(checks, 50).toFixed(2)} ms   p99 ${pct(checks, 99).toFixed(2)} ms`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await redis.quit();
  await stack.stop();
  await tools.stop();
  removeDir(dir);
}
