// Benchmark (not a test): end-to-end throughput and latency of the pipeline with real processes, and /v1/check latency at a fixed rate.
// Runs against a redis-server of its own (so Redis command counts are this pipeline's only), prints figures, asserts nothing.
// Usage: npm run bench:e2e [-- --actions 3000 --warmup 1000 --agents 50 --check-rate 500 --check-seconds 10 --max-seconds 180]
//   diagnostics: [--combined-workers] [--unix-socket] [--redis-breakdown] [--check-dump <file>] [--phases]
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { connectRedis } from '../src/queue/connection.ts';
import {
  compileShippedPolicies, removeDir, startPrivateRedis, startStack, startToolServer, tempDir, TOKENS, writeToolRegistry,
  type ProcessKind,
} from '../test/e2e/pipeline/harness.ts';

const argv = process.argv.slice(2);
const value = (name: string): string | null => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] ?? null : null;
};
const opt = (name: string, def: number) => Number(value(name) ?? def);
const flag = (name: string) => argv.includes(`--${name}`);
const TOTAL = opt('actions', 3000);
const AGENTS = opt('agents', 50);
const WARMUP = opt('warmup', 1000); // actions run (same closed loop) before measuring, not counted
const CHECK_RATE = opt('check-rate', 500);
const CHECK_SECONDS = opt('check-seconds', 10);
const CHECK_DUMP = value('check-dump'); // file for each check's send time and latency
const UNIX_SOCKET = flag('unix-socket'); // Redis on a Unix socket instead of loopback TCP
const BREAKDOWN = flag('redis-breakdown'); // per-script Redis time (SLOWLOG at threshold 0; adds some overhead)
const COMBINED = flag('combined-workers'); // decide and execute workers in one process (`airlock worker decide,execute`)
const PHASES = flag('phases'); // where submit→final goes, from each action's trace timestamps
const MAX_SECONDS = opt('max-seconds', 180); // the end-to-end phase stops submitting after this long (a broken stack must not hang the bench)

/** A keep-alive HTTP client (what an agent SDK would hold); node:http costs the load generator less CPU than fetch. */
function keepAliveClient(base: string, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(base);
  return (method: string, path: string, token: string, body: unknown) =>
    new Promise<{ status: number; body: any; serverMs: number | null }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request({
        agent, host: url.hostname, port: url.port, method, path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const timing = /dur=([0-9.]+)/.exec(String(res.headers['server-timing'] ?? ''));
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, serverMs: timing ? Number(timing[1]) : null });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/** Calls per command name (INFO commandstats, commands inside Lua scripts included). */
async function commandStats(redis: Redis, what: 'calls' | 'usec' = 'calls'): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const out = new Map<string, number>();
  for (const m of info.matchAll(/cmdstat_([^:]+):calls=(\d+),usec=(\d+)/g)) out.set(m[1]!, Number(what === 'calls' ? m[2] : m[3]));
  return out;
}

/** Per-phase p50/p99 of the actions' trip: client → API, the two queue waits, the two steps, final → client. */
async function phaseBreakdown(redis: Redis, prefix: string, actions: Array<{ id: string; sentAt: number; receivedAt: number }>): Promise<string[]> {
  const p = redis.pipeline();
  for (const a of actions) p.lrange(`${prefix}:trace:${a.id}`, 0, -1);
  const rows = (await p.exec()) ?? [];
  const names = ['client → submitted', 'submitted → deciding (decide queue)', 'deciding → decided (decide step)',
    'decided → execution started (execute queue)', 'execution started → succeeded', 'succeeded → client'];
  const spans: number[][] = names.map(() => []);
  rows.forEach(([err, raw], j) => {
    if (err) return;
    const at = new Map<string, number>();
    for (const s of raw as string[]) {
      const e = JSON.parse(s) as { type: string; at: string };
      if (!at.has(e.type)) at.set(e.type, Date.parse(e.at));
    }
    const t = [actions[j]!.sentAt, at.get('submitted'), at.get('deciding'), at.get('decided'), at.get('execution_started'), at.get('succeeded'), actions[j]!.receivedAt];
    if (t.some((x) => x === undefined)) return;
    for (let k = 0; k < names.length; k++) spans[k]!.push(t[k + 1]! - t[k]!);
  });
  return names.map((n, k) => {
    const v = spans[k]!.sort((a, b) => a - b);
    return `    ${n.padEnd(46)} p50 ${String(pct(v, 50)).padStart(4)}   p99 ${String(pct(v, 99)).padStart(4)}`;
  });
}

/** SLOWLOG entries grouped by command and, for scripts, by their first key with ids and numbers masked. */
async function scriptBreakdown(redis: Redis, actions: number): Promise<string[]> {
  const entries = (await redis.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[]]>;
  const groups = new Map<string, { usec: number; calls: number }>();
  for (const [, , usec, args] of entries) {
    const cmd = String(args[0]).toLowerCase();
    const name = cmd === 'evalsha' || cmd === 'eval'
      ? `${cmd} ${String(args[1]).slice(0, 8)} ${String(args[3] ?? '').replace(/act_[0-9a-z]+/g, '<id>').replace(/[0-9]+/g, 'N')}`
      : cmd;
    const g = groups.get(name) ?? { usec: 0, calls: 0 };
    g.usec += usec;
    g.calls += 1;
    groups.set(name, g);
  }
  return [...groups].sort((a, b) => b[1].usec - a[1].usec).slice(0, 25)
    .map(([k, g]) => `  ${(g.usec / actions).toFixed(1).padStart(7)} µs  ${(g.calls / actions).toFixed(2).padStart(5)}  ${k}`);
}

function delta(a: Map<string, number>, b: Map<string, number>): Array<[string, number]> {
  return [...b].map(([k, v]): [string, number] => [k, v - (a.get(k) ?? 0)]).filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1]);
}

/** A process's CPU seconds so far (user + system) and resident memory in MiB, from one read of /proc/<pid>/stat. */
function procSample(pid: number | undefined): { cpuSeconds: number; rssMiB: number } {
  if (!pid) return { cpuSeconds: 0, rssMiB: NaN };
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After the command name: utime and stime (clock ticks, 100/s) are fields 12 and 13, rss (pages of 4 KiB) is 22.
    return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, rssMiB: (Number(fields[21]) * 4096) / 2 ** 20 };
  } catch {
    return { cpuSeconds: 0, rssMiB: NaN };
  }
}

/** The machine's CPU time so far from /proc/stat, in ms summed over its cores: busy (user, nice, system, irq, softirq), idle (idle, iowait), and steal (time the hypervisor ran something else on this VM's cores). */
function machineCpu(): { busy: number; idle: number; steal: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const ms = (j: number | undefined) => ((j ?? 0) * 1000) / 100; // USER_HZ is 100 on Linux
    return { busy: ms(f[0]) + ms(f[1]) + ms(f[2]) + ms(f[5]) + ms(f[6]), idle: ms(f[3]) + ms(f[4]), steal: ms(f[7]) };
  } catch {
    return { busy: NaN, idle: NaN, steal: NaN };
  }
}

/** "busy N % of the cores, steal M ms" between two machineCpu() readings. */
function machineLine(a: ReturnType<typeof machineCpu>, b: ReturnType<typeof machineCpu>): string {
  const busy = b.busy - a.busy, all = busy + (b.idle - a.idle) + (b.steal - a.steal);
  return `busy ${((100 * busy) / all).toFixed(0)} % of ${cpus().length} cores, steal ${(b.steal - a.steal).toFixed(0)} ms (hypervisor time taken from this VM)`;
}


/**
 * How fast this machine is at the two things every step does — a Redis round trip and JSON work — measured on the idle
 * machine before the stack starts, so that figures from different machines (or hours) can be compared.
 */
async function hostProbe(redisUrl: string): Promise<{ pingUs: number; jsonUs: number; jsonKb: number }> {
  const probeRedis = connectRedis(redisUrl, 'bench-probe');
  const pings: number[] = [];
  try {
    for (let i = 0; i < 3000; i++) {
      const t = performance.now();
      await probeRedis.ping();
      pings.push((performance.now() - t) * 1000);
    }
  } finally {
    await probeRedis.quit();
  }
  // A policy input with a full history (50 entries), as the decide worker builds it.
  const input = {
    action: { id: 'act_probe', agentId: 'demo-agent', workflowId: 'wf-probe', tool: 'echo', args: { i: 1 }, estimate: {}, context: {} },
    history: Array.from({ length: 50 }, (_, i) => ({ id: `act_${i}`, tool: 'echo', argsHash: 'ab'.repeat(32), outcome: 'succeeded', costUsd: 0, at_ns: 1.7e18 + i })),
  };
  const text = JSON.stringify(input);
  const json: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = performance.now();
    JSON.parse(JSON.stringify(input));
    json.push((performance.now() - t) * 1000);
  }
  pings.sort((a, b) => a - b);
  json.sort((a, b) => a - b);
  return { pingUs: pct(pings, 50), jsonUs: pct(json, 50), jsonKb: Math.round(text.length / 1024) };
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const loadBefore = load();
const dir = tempDir('bench');
const redisServer = await startPrivateRedis(`${dir}/redis`, { unixSocket: UNIX_SOCKET });
const probe = await hostProbe(redisServer.url);
const policyPath = await compileShippedPolicies(`${dir}/policy`);
const tools = await startToolServer(dir);
const kinds: ProcessKind[] = COMBINED ? ['api', 'decide,execute'] : ['api', 'decide', 'execute'];
const stack = await startStack({
  policyPath, toolsFile: writeToolRegistry(dir, tools.url), kinds, redisUrl: redisServer.url,
  env: { AIRLOCK_RATE_LIMIT: '100000' }, // info level: the harness waits for the start-up lines; nothing is logged per action
});
const redis = connectRedis(redisServer.url, 'bench');
try {
  const call = keepAliveClient(stack.api, AGENTS + CHECK_RATE);
  const body = (i: number) => ({ agentId: 'demo-agent', workflowId: `wf-bench-${i % AGENTS}`, tool: 'echo', args: { i } });
  /** The agents' closed loop: each of AGENTS submits and waits for the final state, then submits the next, until `total`. */
  const closedLoop = async (total: number, offset: number, each: (r: { status: number; body: any }, ms: number, sentAt: number) => void) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: AGENTS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total || performance.now() - t0 > MAX_SECONDS * 1000) return;
        const s = performance.now();
        const sentAt = Date.now();
        const r = await call('POST', '/v1/actions?wait=30', TOKENS.agent, body(offset + i));
        each(r, performance.now() - s, sentAt);
      }
    }));
  };
  // Warm up (JIT, connections, Redis memory) with the same closed loop; not counted. A sidecar runs for days: the
  // figures are its steady state, and the warm-up size is printed with them.
  await closedLoop(WARMUP, TOTAL, () => undefined);

  const redisPid = Number((await redis.info('server')).match(/process_id:(\d+)/)?.[1]);
  const pids = new Map<string, number | undefined>([...kinds.map((k): [string, number | undefined] => [k, stack.procs.get(k)?.pid]), ['redis', redisPid], ['bench client', process.pid]]);
  const procBefore = new Map([...pids].map(([k, pid]) => [k, procSample(pid)]));
  if (BREAKDOWN) await redis.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '2000000').then(() => redis.call('SLOWLOG', 'RESET'));
  const before = await commandStats(redis);
  const machineBefore = machineCpu();
  const usecBefore = await commandStats(redis, 'usec');
  const latencies: number[] = [];
  let failed = 0;
  let done = 0;
  const timed: Array<{ id: string; sentAt: number; receivedAt: number }> = [];
  const t0 = performance.now();
  await closedLoop(TOTAL, 0, (r, ms, sentAt) => {
    done++;
    latencies.push(ms);
    if (r.body?.status !== 'succeeded') failed++;
    else if (PHASES) timed.push({ id: r.body.id as string, sentAt, receivedAt: Date.now() });
  });
  const seconds = (performance.now() - t0) / 1000;
  const machineAfter = machineCpu();
  const after = await commandStats(redis);
  const usecPerCommand = delta(usecBefore, await commandStats(redis, 'usec'));
  const breakdown = BREAKDOWN ? await scriptBreakdown(redis, done) : [];
  const phases = PHASES ? await phaseBreakdown(redis, stack.prefix, timed) : [];
  const procAfter = new Map([...pids].map(([k, pid]) => [k, procSample(pid)]));
  const loadDuring = load();
  latencies.sort((a, b) => a - b);
  const perCommand = delta(before, after);
  const totalCommands = perCommand.reduce((s, [, v]) => s + v, 0);

  // /v1/check at a fixed request rate (open loop: requests are sent on schedule whatever the latency).
  const checks: number[] = [];
  const serverChecks: number[] = []; // the API's own time per check (its Server-Timing header)
  const checkTimeline: Array<[number, number, number]> = []; // [sent at ms, latency ms, server ms] for --check-dump
  const n = CHECK_RATE * CHECK_SECONDS;
  // Warm up the check path too (JIT), as the end-to-end phase was: 1 s at the measured rate, not counted.
  for (let i = 0; i < CHECK_RATE; i++) {
    await Promise.all([call('POST', '/v1/check', TOKENS.agent, body(i)), new Promise((r) => setTimeout(r, 1000 / CHECK_RATE))]);
  }
  const checkBefore = await commandStats(redis);
  const apiCpuBefore = procSample(pids.get('api')).cpuSeconds;
  const checkMachineBefore = machineCpu();
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let checkFailed = 0;
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / CHECK_RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const s = performance.now();
    pending.push(call('POST', '/v1/check', TOKENS.agent, body(i)).then((r) => {
      checks.push(performance.now() - s);
      if (r.serverMs !== null) serverChecks.push(r.serverMs);
      if (CHECK_DUMP) checkTimeline.push([s - start, performance.now() - s, r.serverMs ?? NaN]);
      if (r.status !== 200 || r.body?.outcome !== 'allow') checkFailed++;
    }));
  }
  await Promise.all(pending);
  const checkMachine = machineLine(checkMachineBefore, machineCpu());
  const achieved = n / ((performance.now() - start) / 1000);
  const apiCpuPerCheck = ((procSample(pids.get('api')).cpuSeconds - apiCpuBefore) * 1000) / n;
  const checkCommands = delta(checkBefore, await commandStats(redis)).reduce((s, [, v]) => s + v, 0);
  checks.sort((a, b) => a - b);
  serverChecks.sort((a, b) => a - b);
  if (CHECK_DUMP) writeFileSync(CHECK_DUMP, `# window start ${(performance.timeOrigin + start).toFixed(1)} ms since the epoch; per check: sent at (ms into the window), latency (ms), the API's own time (ms, Server-Timing)\n` + checkTimeline.map(([t, l, sv]) => `${t.toFixed(2)} ${l.toFixed(3)} ${sv.toFixed(3)}`).join('\n') + '\n');

  const lines = [
    `load average (1/5/15 min): before ${loadBefore}, after the end-to-end run ${loadDuring}, now ${load()}`,
    `policy: ${process.env.AIRLOCK_E2E_POLICY_DIR ?? 'policies/'} (compiled by src/rego); private redis-server ${redisServer.url}`,
    `host probe (before the stack starts; compares machines): sequential Redis PING p50 ${probe.pingUs.toFixed(1)} µs, JSON stringify+parse of a ${probe.jsonKb} KB input p50 ${probe.jsonUs.toFixed(1)} µs`,
    `end to end (echo, ${AGENTS} concurrent agents, ${TOTAL} actions after ${WARMUP} not counted, ${COMBINED ? 'api + combined decide,execute process' : 'separate api/decide/execute processes'}):`,
    `  throughput            ${(done / seconds).toFixed(0)} actions/s  (${done} submitted, ${failed} not succeeded, ${seconds.toFixed(1)} s)`,
    `  submit→final          p50 ${pct(latencies, 50).toFixed(1)} ms   p99 ${pct(latencies, 99).toFixed(1)} ms`,
    `  redis commands/action ${(totalCommands / done).toFixed(1)}  (INFO commandstats delta, commands inside scripts included)`,
    `    top: ${perCommand.slice(0, 12).map(([k, v]) => `${k} ${(v / done).toFixed(1)}`).join(', ')}`,
    `    redis µs/action by top-level command (scripts include their inner calls): ${usecPerCommand.slice(0, 8).map(([k, v]) => `${k} ${(v / done).toFixed(0)}`).join(', ')}`,
    `  cpu ms/action         ${[...pids.keys()].map((k) => `${k} ${(((procAfter.get(k)!.cpuSeconds - procBefore.get(k)!.cpuSeconds) * 1000) / done).toFixed(2)}`).join(', ')}`,
    `  machine               ${machineLine(machineBefore, machineAfter)}`,
    `  rss MiB               ${[...pids.keys()].map((k) => `${k} ${procBefore.get(k)!.rssMiB.toFixed(0)}→${procAfter.get(k)!.rssMiB.toFixed(0)}`).join(', ')}  (after the warm-up → after the measured actions)`,
    `/v1/check at ${CHECK_RATE} req/s for ${CHECK_SECONDS} s (achieved ${achieved.toFixed(0)} req/s, ${checkFailed} not allow):`,
    `  latency               p50 ${pct(checks, 50).toFixed(2)} ms   p99 ${pct(checks, 99).toFixed(2)} ms   (the API's own time, Server-Timing: p50 ${pct(serverChecks, 50).toFixed(2)} ms   p99 ${pct(serverChecks, 99).toFixed(2)} ms)`,
    `  redis commands/check  ${(checkCommands / n).toFixed(1)}   api cpu ms/check ${apiCpuPerCheck.toFixed(2)}`,
    `  machine               ${checkMachine}`,
  ];
  if (PHASES) lines.push('where submit→final goes (ms from each action\'s trace, 1 ms resolution; p50 / p99 over the succeeded actions):', ...phases);
  if (BREAKDOWN) lines.push('redis time by command/script (µs per action, calls per action; from SLOWLOG at threshold 0):', ...breakdown);
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await redis.quit();
  await stack.stop();
  await tools.stop();
  await redisServer.stop();
  removeDir(dir);
}
