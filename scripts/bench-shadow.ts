// Benchmark (not a test): a shadow run of a candidate policy over 10,000 recorded actions on Redis, with the shipped policies
// compiled by Airlock's compiler. Usage: npm run bench:shadow [-- --actions 10000 --redis redis://127.0.0.1:6379]
// Actions are recorded through the real action store (create → deciding → decided event with the full policy input), their inputs
// built from the adversarial corpus by the pipeline's own input builder and decided by the serving policy; the candidate is a copy
// of policies/ with stricter data. Goal: the shadow run (read from Redis + evaluate + diff) finishes in under 10 s.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createActionStore } from '../src/pipeline/action-store.ts';
import { loadToolRegistry } from '../src/tools/registry.ts';
import { readRecordedTraces } from '../src/pipeline/recorded-actions.ts';
import { loadCandidatePolicy } from '../src/trace/replay.ts';
import { withOpenBreakers } from '../src/policy/decision.ts';
import { formatShadowReport, shadowRun } from '../src/trace/shadow.ts';
import { inputForCase, loadCorpus } from '../test/adversarial/corpus.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('actions', '10000'));
const REDIS_URL = arg('redis', process.env.AIRLOCK_REDIS_URL ?? 'redis://127.0.0.1:6379');
const GOAL_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-shadow-'));
const prefix = `bench-shadow-${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });

try {
  // Candidate: refunds above $10 need a human (was $100) and unknown agents may no longer echo.
  const candidateDir = join(dir, 'candidate');
  cpSync(join(ROOT, 'policies'), candidateDir, { recursive: true });
  const data = JSON.parse(readFileSync(join(candidateDir, 'data.json'), 'utf8'));
  data.arguments.payments.autoApproveMaxUsd = 10;
  data.permissions.everyone = data.permissions.everyone.filter((t: string) => t !== 'echo');
  writeFileSync(join(candidateDir, 'data.json'), JSON.stringify(data, null, 2));

  let t = performance.now();
  const served = await loadCandidatePolicy(join(ROOT, 'policies'));
  const compileServedMs = performance.now() - t;
  t = performance.now();
  const candidate = await loadCandidatePolicy(candidateDir);
  const compileCandidateMs = performance.now() - t;

  // Record N actions the way the decide step records them.
  const tools = loadToolRegistry(join(ROOT, 'test/adversarial/tools.yaml'));
  const corpus = loadCorpus(join(ROOT, 'test/adversarial/cases.yaml'));
  const servedData = JSON.parse(readFileSync(join(ROOT, 'policies/data.json'), 'utf8'));
  const store = createActionStore(redis, prefix);
  t = performance.now();
  const outcomes: Record<string, number> = {};
  let next = 0;
  const recordOne = async (i: number) => {
    const c = corpus.cases[i % corpus.cases.length]!;
    const base = inputForCase(c, corpus, tools, servedData);
    const { action } = await store.create({
      agentId: base.action.agentId, workflowId: base.action.workflowId, tool: base.action.tool, args: { ...(base.action.args as object), n: i },
      estimate: base.action.estimate, context: {}, idempotencyKey: null,
    }, new Date());
    const input = { ...base, action: { ...base.action, id: action.id, args: action.args } };
    await store.transition(action.id, { from: ['queued'], to: 'deciding', event: { type: 'deciding', at: new Date().toISOString(), to: 'deciding' } });
    const d = withOpenBreakers(served.evaluate(input), (input as { budget?: { breakers?: Record<string, { state?: string; reason?: string | null }> } }).budget?.breakers ?? {});
    outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
    const to = d.outcome === 'allow' ? 'approved' : d.outcome === 'deny' ? 'denied' : 'pending_review';
    const at = new Date().toISOString();
    await store.transition(action.id, {
      from: ['deciding'], to,
      event: { type: 'decided', at, to, outcome: d.outcome, reasons: d.reasons, policyRevision: d.policyRevision, input, failClosed: d.failClosed, budget: null, reviewDeadline: null, durationMs: d.evalMs, policyEvalMs: d.evalMs },
      fields: { decision: { outcome: d.outcome, reasons: d.reasons, policyRevision: d.policyRevision, maxTokens: d.maxTokens, costCeilingUsd: d.costCeilingUsd, onBudgetExceeded: d.onBudgetExceeded, decidedAt: at }, input },
    });
  };
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let i = next++; i < N; i = next++) await recordOne(i);
  }));
  const recordMs = performance.now() - t;

  // For the breakdown: reading alone.
  t = performance.now();
  let readCount = 0;
  for await (const _ of readRecordedTraces(redis, prefix, { sinceMs: 0 })) readCount++;
  const readOnlyMs = performance.now() - t;

  // The measured part: read every recorded action back from Redis, replay it under the candidate, count and diff.
  t = performance.now();
  const report = await shadowRun(readRecordedTraces(redis, prefix, { sinceMs: 0 }), candidate, { examplesPerDirection: 2 });
  const shadowMs = performance.now() - t;

  process.stdout.write(`${formatShadowReport(report, `policies (stricter data) over ${N} recorded actions`)}\n\n`);
  process.stdout.write([
    'bench:shadow',
    `  recorded actions:         ${N} (served decisions: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}) in ${(recordMs / 1000).toFixed(1)} s`,
    `  compile served policy:    ${(compileServedMs / 1000).toFixed(2)} s, candidate: ${(compileCandidateMs / 1000).toFixed(2)} s (Airlock's compiler)`,
    `  shadow run:               ${(shadowMs / 1000).toFixed(2)} s for ${report.total} actions (${Math.round(report.total / (shadowMs / 1000))} actions/s), read from Redis + evaluate + diff`,
    `    of which reading:       ~${(readOnlyMs / 1000).toFixed(2)} s (a separate read-only pass over the same ${readCount} actions)`,
    `  changed decisions:        ${report.outcomeChanged} (${Object.entries(report.byDirection).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}), reasons only ${report.reasonsChanged}`,
    `  goal (< ${GOAL_MS / 1000} s):           ${shadowMs < GOAL_MS ? 'met' : 'MISSED'}`,
    '',
  ].join('\n'));
  if (report.total !== N) throw new Error(`read back ${report.total} recorded actions, expected ${N}`);
  process.exitCode = shadowMs < GOAL_MS ? 0 : 1;
} finally {
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
}
