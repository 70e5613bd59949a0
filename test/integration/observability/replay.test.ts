// Replay, shadow runs, the decision log and retention on actions recorded by the real decide step (real Redis, the fixture
// policy compiled by Airlock's compiler, the real budget service); the changed policy is another folder compiled the same way.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { budgetConfigFromPolicyData, createBudgetService } from '../../../src/budget/index.ts';
import { createActionStore, type ActionStore } from '../../../src/pipeline/action-store.ts';
import { decideAction } from '../../../src/pipeline/decide-step.ts';
import { executeAction } from '../../../src/pipeline/execute-step.ts';
import { createPolicyHolder, type PolicyHolder } from '../../../src/policy/engine.ts';
import { PolicyLoadError } from '../../../src/policy/errors.ts';
import { loadPolicyArtifact } from '../../../src/policy/source.ts';
import { createToolRegistry } from '../../../src/tools/registry.ts';
import { pruneFinalActions, readRecordedAction, readRecordedActions, readRecordedTraces } from '../../../src/pipeline/recorded-actions.ts';
import { exportDecisionLog } from '../../../src/trace/export.ts';
import { loadCandidatePolicy, recordedDecision, replayDecision } from '../../../src/trace/replay.ts';
import { shadowRun } from '../../../src/trace/shadow.ts';
import { promPolicyMetrics } from '../../../src/metrics/policy-metrics.ts';

const FIXTURE = new URL('../../fixtures/policies/simple/', import.meta.url).pathname;
const logger = pino({ level: 'silent' });
const prefix = `t-obs-replay-${randomBytes(4).toString('hex')}`;
let redis: Redis;
let dir: string;
let policy: PolicyHolder;
let store: ActionStore;
let changedDir: string;
const ids: Record<string, string> = {};
const startedAt = Date.now();

before(async () => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  dir = mkdtempSync(join(tmpdir(), 'airlock-obs-replay-'));
  // The candidate: echo goes to a human instead of straight through.
  changedDir = join(dir, 'changed');
  cpSync(FIXTURE, changedDir, { recursive: true });
  const rego = readFileSync(join(changedDir, 'decision.rego'), 'utf8');
  const edited = rego.replace('{"outcome": "allow", "reasons": ["echo is harmless"]}', '{"outcome": "review", "reasons": ["echo now needs a human"]}');
  assert.notEqual(edited, rego, 'fixture changed shape: the candidate edit did not apply');
  writeFileSync(join(changedDir, 'decision.rego'), edited);

  policy = createPolicyHolder({ load: () => loadPolicyArtifact(FIXTURE), logger, metrics: promPolicyMetrics });
  await policy.reload();
  const clock = () => Date.now();
  const budget = createBudgetService({ redis, prefix: `${prefix}:`, clock, config: budgetConfigFromPolicyData(policy.data) });
  store = createActionStore(redis, prefix);
  const tools = createToolRegistry();
  const decideDeps = { store, policy, tools, budget, clock, logger, reviewTtlSeconds: 60, enqueueExecute: async () => undefined };
  const executeDeps = { store, tools, budget, clock, logger, leaseSeconds: 60, executor: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } };
  const wf = `wf-${randomBytes(3).toString('hex')}`;
  const record = async (name: string, a: { agentId: string; tool: string; args: Record<string, unknown>; costUsd?: number; idem?: string }, execute = false) => {
    const { action } = await store.create({
      agentId: a.agentId, workflowId: wf, tool: a.tool, args: a.args, estimate: a.costUsd !== undefined ? { costUsd: a.costUsd } : {},
      context: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, idempotencyKey: a.idem ?? null,
    }, new Date());
    await decideAction(decideDeps, action.id);
    if (execute) await executeAction(executeDeps, action.id);
    ids[name] = action.id;
  };
  await record('echo', { agentId: 'bot', tool: 'echo', args: { hi: 1 }, idem: 'echo-1' }, true);
  await record('echo2', { agentId: 'stranger', tool: 'echo', args: { hi: 2 } }, true);
  await record('denied', { agentId: 'stranger', tool: 'costly', args: { usd: 1 } });
  await record('spend', { agentId: 'bot', tool: 'costly', args: { usd: 5 }, costUsd: 5 }, true);
  await record('spend2', { agentId: 'bot', tool: 'costly', args: { usd: 4 }, costUsd: 4 }, true);
  await record('refused', { agentId: 'bot', tool: 'costly', args: { usd: 4 }, costUsd: 4 }); // 9 spent + 4 > $10 cap
  const { action: queued } = await store.create({ agentId: 'bot', workflowId: wf, tool: 'echo', args: {}, estimate: {}, context: {}, idempotencyKey: null }, new Date());
  ids.queued = queued.id; // never decided
});

after(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

describe('replay', () => {
  it('the recorded actions are what the decide step made of them', async () => {
    const status = async (n: string) => (await store.get(ids[n]!))!.status;
    assert.equal(await status('echo'), 'succeeded');
    assert.equal(await status('denied'), 'denied');
    assert.equal(await status('refused'), 'denied');
    const refused = (await readRecordedAction(redis, prefix, ids.refused!))!;
    const rec = recordedDecision(refused)!;
    assert.equal(rec.outcome, 'deny', 'final outcome after the refused reservation');
    assert.equal(rec.policyOutcome, 'allow', 'the policy itself had allowed it');
    assert.deepEqual(rec.policyReasons, ['known tool of acceptable risk']);
  });

  it('under the same policy every decision replays the same, with the same revision', async () => {
    for (const name of ['echo', 'echo2', 'denied', 'spend', 'spend2', 'refused']) {
      const rec = recordedDecision((await readRecordedAction(redis, prefix, ids[name]!))!)!;
      const r = replayDecision(rec, policy);
      assert.equal(r.changed, false, `${name}: ${JSON.stringify(r)}`);
      assert.equal(r.sameRevision, true);
      assert.equal(r.replayed.outcome, rec.policyOutcome);
      assert.deepEqual(r.replayed.reasons, rec.policyReasons);
    }
  });

  it('under a changed policy folder (compiled by Airlock) the diff is shown', async () => {
    const candidate = await loadCandidatePolicy(changedDir);
    assert.notEqual(candidate.revision, policy.revision);
    const rec = recordedDecision((await readRecordedAction(redis, prefix, ids.echo!))!)!;
    const r = replayDecision(rec, candidate);
    assert.equal(r.changed, true);
    assert.equal(r.direction, 'allow→review');
    assert.deepEqual(r.reasonsAdded, ['echo now needs a human']);
    assert.deepEqual(r.reasonsRemoved, ['echo is harmless']);
    const unchanged = replayDecision(recordedDecision((await readRecordedAction(redis, prefix, ids.denied!))!)!, candidate);
    assert.equal(unchanged.changed, false);
  });

  it('a policy that does not exist or does not compile is a typed error', async () => {
    await assert.rejects(loadCandidatePolicy(join(dir, 'missing')), (e: unknown) => e instanceof PolicyLoadError && e.code === 'policy_not_found');
    const broken = join(dir, 'broken');
    cpSync(FIXTURE, broken, { recursive: true });
    writeFileSync(join(broken, 'decision.rego'), 'package airlock\n\ndecision := {"outcome": if\n');
    await assert.rejects(loadCandidatePolicy(broken), (e: unknown) => e instanceof PolicyLoadError && e.code === 'policy_compile_failed');
  });
});

describe('shadow run', () => {
  it('counts changed decisions by direction with examples, skipping never-decided actions', async () => {
    const candidate = await loadCandidatePolicy(changedDir);
    const report = await shadowRun(readRecordedTraces(redis, prefix, { sinceMs: startedAt - 1000 }), candidate, { examplesPerDirection: 1 });
    assert.equal(report.total, 7);
    assert.equal(report.skipped, 1);
    assert.equal(report.replayed, 6);
    assert.deepEqual(report.byDirection, { 'allow→review': 2 });
    assert.equal(report.outcomeChanged, 2);
    assert.equal(report.unchanged, 4);
    assert.equal(report.examples['allow→review']!.length, 1);
    assert.equal(report.examples['allow→review']![0]!.actionId, ids.echo);
    assert.equal(report.candidateRevision, candidate.revision);
  });

  it('the window bounds what is replayed', async () => {
    const report = await shadowRun(readRecordedActions(redis, prefix, { sinceMs: Date.now() + 60_000 }), policy);
    assert.equal(report.total, 0);
  });
});

describe('decision log and retention', () => {
  it('exports one line per action with decision, reasons, cost, outcome and timings', async () => {
    const lines: string[] = [];
    const n = await exportDecisionLog(readRecordedActions(redis, prefix, { sinceMs: startedAt - 1000 }), (l) => void lines.push(l));
    assert.equal(n, 7);
    const rows = lines.map((l) => JSON.parse(l));
    assert.ok(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')));
    const spend = rows.find((r) => r.id === ids.spend);
    assert.equal(spend.outcome, 'succeeded');
    assert.equal(spend.decision.outcome, 'allow');
    assert.deepEqual(spend.decision.reasons, ['known tool of acceptable risk']);
    assert.equal(spend.cost.estimateUsd, 5);
    assert.equal(spend.cost.reservedUsd, 5);
    assert.equal(spend.cost.costUsd, 5);
    assert.equal(spend.attempts, 1);
    assert.equal(spend.traceparent, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    for (const k of ['queueMs', 'decideMs', 'policyEvalMs', 'executionMs', 'totalMs']) assert.equal(typeof spend.timings[k], 'number', k);
    const refused = rows.find((r) => r.id === ids.refused);
    assert.equal(refused.outcome, 'denied');
    assert.ok(refused.decision.reasons.some((r: string) => r.startsWith('budget: ')));
    assert.equal(refused.cost.reservedUsd, null);
    const queued = rows.find((r) => r.id === ids.queued);
    assert.equal(queued.decision, null);
    assert.equal(queued.outcome, 'queued');
    // Oldest first.
    const times = rows.map((r) => Date.parse(r.timings.submittedAt));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  it('retention deletes old final actions with their traces and idempotency keys, never in-flight ones', async () => {
    await assert.rejects(pruneFinalActions(redis, prefix, { olderThanMs: 0, nowMs: Date.now() }), RangeError);
    const future = Date.now() + 3_600_000;
    const dry = await pruneFinalActions(redis, prefix, { olderThanMs: 60_000, nowMs: future, dryRun: true });
    assert.equal(dry.deleted, 6);
    assert.equal(dry.keptInFlight, 1);
    assert.ok(await redis.exists(`${prefix}:action:${ids.echo}`), 'dry run deletes nothing');
    const none = await pruneFinalActions(redis, prefix, { olderThanMs: 3_600_000 * 24, nowMs: future });
    assert.equal(none.deleted, 0);
    const r = await pruneFinalActions(redis, prefix, { olderThanMs: 60_000, nowMs: future });
    assert.equal(r.deleted, 6);
    assert.equal(await redis.exists(`${prefix}:action:${ids.echo}`, `${prefix}:trace:${ids.echo}`), 0);
    assert.equal(await redis.exists(`${prefix}:idem:3:bot:echo-1`), 0, 'the idempotency key no longer points at a deleted action');
    assert.ok(await store.get(ids.queued!), 'the in-flight action is kept');
    assert.equal(await redis.zscore(`${prefix}:actions:submitted`, ids.echo!), null, 'the deleted action left the submission-time index');
    assert.notEqual(await redis.zscore(`${prefix}:actions:submitted`, ids.queued!), null, 'the in-flight action stays listed');
    // The idempotency key is free again: the same key creates a new action instead of pointing at a deleted one.
    const again = await store.create({ agentId: 'bot', workflowId: 'wf-x', tool: 'echo', args: {}, estimate: {}, context: {}, idempotencyKey: 'echo-1' }, new Date());
    assert.equal(again.created, true);
  });
});
