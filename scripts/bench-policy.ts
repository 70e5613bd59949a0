// Benchmark of the compiled decision policy through the official SDK (a measurement, not a test).
// Usage: npm run bench:policy [-- --evals 1000000 --seconds 5 --history 4]
import { join } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';

// Loading the compiler (binaryen.js, the runtime module) is timed apart from compiling.
const tLoad = performance.now();
const { compilePolicyDir } = await import('../src/rego/index.ts');
const loadCompilerMs = performance.now() - tLoad;

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const MEMORY_EVALS = Number(args.get('evals') ?? 1_000_000);
const SECONDS = Number(args.get('seconds') ?? 5);
/** Entries of `input.history` (the decide worker sends up to 50: HISTORY_LIMIT). */
const HISTORY = Number(args.get('history') ?? 4);
const policyDir = args.get('policy') ?? join(import.meta.dirname, '..', 'policies');
const ENTRYPOINT = 'airlock/decision';

// 1. Compile time and module size.
const compileMs: number[] = [];
let wasm: Uint8Array | undefined;
let data: Record<string, unknown> = {};
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const r = await compilePolicyDir(policyDir, { entrypoints: [ENTRYPOINT] });
  compileMs.push(performance.now() - t0);
  if (r.errors.length || !r.wasm) {
    console.error(r.errors);
    process.exit(1);
  }
  wasm = r.wasm;
  data = r.data;
}

const policy = await loadPolicy(wasm!);
policy.setData(data);
const input = realisticInput();
const inputBytes = new TextEncoder().encode(JSON.stringify(input));
const first = policy.evaluate(input, ENTRYPOINT) as Array<{ result: { outcome: string } }>;
if (first[0]?.result?.outcome !== 'allow') {
  console.error('the benchmark input should be allowed by the shipped policy; got', JSON.stringify(first));
  process.exit(1);
}

// 2. Throughput and latency through the SDK's evaluate() (one core: this process, one thread).
for (let i = 0; i < 20_000; i++) policy.evaluate(input, ENTRYPOINT);
const latenciesNs: number[] = [];
let evals = 0;
const tEnd = performance.now() + SECONDS * 1000;
const tStart = performance.now();
while (performance.now() < tEnd) {
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    policy.evaluate(input, ENTRYPOINT);
    latenciesNs.push(Number(process.hrtime.bigint() - t));
  }
  evals += 200;
}
const evalsPerSec = evals / ((performance.now() - tStart) / 1000);

// 3. Split: time inside the module (opa_eval: parse input, evaluate, write result JSON) vs the SDK's JSON work.
const exports = (policy as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports as Record<string, CallableFunction>;
const mem = (policy as unknown as { mem: WebAssembly.Memory }).mem;
const dataAddr = (policy as unknown as { dataAddr: number }).dataAddr;
const floor = (policy as unknown as { dataHeapPtr: number }).dataHeapPtr;
const entrypointId = (policy as unknown as { entrypoints: Record<string, number> }).entrypoints[ENTRYPOINT]!;
new Uint8Array(mem.buffer).set(inputBytes, floor);
const inModuleNs: number[] = [];
for (let i = 0; i < 50_000; i++) {
  const t = process.hrtime.bigint();
  exports.opa_eval!(0, entrypointId, dataAddr, floor, inputBytes.length, floor + inputBytes.length, 0);
  inModuleNs.push(Number(process.hrtime.bigint() - t));
}
// The input parse alone (opa_eval starts with it), the heap reset after each.
const parseNs: number[] = [];
for (let i = 0; i < 50_000; i++) {
  const t = process.hrtime.bigint();
  exports.opa_json_parse!(floor, inputBytes.length);
  parseNs.push(Number(process.hrtime.bigint() - t));
  exports.opa_heap_ptr_set!(floor + inputBytes.length);
}

// 4. Memory stability over many evaluations (the SDK resets the module's heap every time).
const memBefore = mem.buffer.byteLength;
const rssBefore = process.memoryUsage().rss;
const tMem = performance.now();
for (let i = 0; i < MEMORY_EVALS; i++) policy.evaluate(input, ENTRYPOINT);
const memSeconds = (performance.now() - tMem) / 1000;
const memAfter = mem.buffer.byteLength;
const rssAfter = process.memoryUsage().rss;

const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
const sdkP50 = p(latenciesNs, 0.5);
const modP50 = p(inModuleNs, 0.5);
const rows: Array<[string, string]> = [
  ['policy', `${policyDir} (entrypoint ${ENTRYPOINT})`],
  ['input size', `${inputBytes.length} bytes of JSON (${HISTORY} history entries)`],
  ['loading the compiler modules (binaryen.js preloaded)', `${loadCompilerMs.toFixed(0)} ms`],
  ['compile policies/ (first)', `${compileMs[0]!.toFixed(0)} ms`],
  ['compile policies/ (warm, median of 3)', `${p(compileMs.slice(1), 0.5).toFixed(0)} ms`],
  ['module size', `${wasm!.length} bytes (${(wasm!.length / 1024).toFixed(0)} KiB)`],
  ['evaluations/s through the SDK (1 core)', evalsPerSec.toFixed(0)],
  ['SDK evaluate() latency p50 / p99', `${us(sdkP50)} / ${us(p(latenciesNs, 0.99))}`],
  ['inside the module (opa_eval) p50 / p99', `${us(modP50)} / ${us(p(inModuleNs, 0.99))}`],
  ['  of which parsing the input (opa_json_parse) p50', us(p(parseNs, 0.5))],
  ['SDK JSON handling (p50 difference)', us(Math.max(0, sdkP50 - modP50))],
  [`wasm memory before / after ${MEMORY_EVALS.toLocaleString('en')} evaluations`, `${memBefore} / ${memAfter} bytes`],
  ['process RSS before / after', `${(rssBefore / 2 ** 20).toFixed(0)} / ${(rssAfter / 2 ** 20).toFixed(0)} MiB (${memSeconds.toFixed(1)} s)`],
];
const width = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

/** A decision input as the decide worker builds it (docs/policy-contract.md), about 1.5 KB. */
function realisticInput(): Record<string, unknown> {
  const nowNs = Date.parse('2026-11-25T14:00:00Z') * 1_000_000;
  const agents = (data as { agents?: Record<string, { roles?: string[]; tenant?: string }> }).agents ?? {};
  const agentId = Object.keys(agents).find((a) => (agents[a]?.roles ?? []).length > 0) ?? 'support-bot';
  const tenant = agents[agentId]?.tenant ?? null;
  const scope = (name: string, cap: number, spent: number, window: string) => ({
    scope: name, capUsd: cap, spentUsd: spent, reservedUsd: 0.05, remainingUsd: cap - spent - 0.05,
    capTokens: 200000, spentTokens: 1200, reservedTokens: 0, window,
  });
  return {
    action: {
      id: 'act_01JDX8Q2W0000000000000000', agentId, workflowId: 'wf-support-4711', tool: 'echo',
      args: { message: 'Hello from the benchmark: summarize ticket T-9 for the customer', lang: 'en' },
      estimate: { costUsd: 0.002, tokens: 350 }, context: { ticket: 'T-9', channel: 'email' },
      submittedAt: '2026-11-25T14:00:00.000Z',
    },
    agent: { id: agentId, known: true, roles: agents[agentId]?.roles ?? [], tenant },
    tool: { name: 'echo', known: true, risk: 'low', description: 'Echo the arguments back', costModel: { perCallUsd: 0 }, tags: ['demo'] },
    budget: {
      scopes: {
        'workflow:wf-support-4711': scope('workflow:wf-support-4711', 10, 1.25, 'none'),
        [`agent:${agentId}`]: scope(`agent:${agentId}`, 50, 4.5, 'day'),
        ...(tenant ? { [`tenant:${tenant}`]: scope(`tenant:${tenant}`, 1000, 120, 'month') } : {}),
        global: scope('global', 5000, 800, 'day'),
      },
      breakers: { [`agent:${agentId}`]: { state: 'closed', reason: null } },
    },
    history: Array.from({ length: HISTORY }, (_, i) => ({
      id: `act_prev_${i}`, tool: i % 2 ? 'echo' : 'sql.query', argsHash: `${i}`.repeat(64).slice(0, 64),
      outcome: 'succeeded', costUsd: 0.002, at_ns: nowNs - (i + 1) * 60_000_000_000,
    })),
    now_ns: nowNs,
  };
}
