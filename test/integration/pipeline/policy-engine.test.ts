// The policy engine on modules from Airlock's compiler: decisions through opa-wasm, revisions, hot reload with atomic swap,
// a broken policy keeping the previous one, and the same policy loaded from an OPA bundle (.tar.gz).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createPolicyHolder } from '../../../src/policy/engine.ts';
import { loadPolicyArtifact } from '../../../src/policy/source.ts';
import { policyRevision } from '../../../src/policy/revision.ts';
import { compilePolicyFolder } from '../../../src/policy/compiler.ts';
import { writeWasmBundle } from '../../../src/rego/bundle/index.ts';
import { promPolicyMetrics } from '../../../src/metrics/policy-metrics.ts';

const FIXTURE = new URL('../../fixtures/policies/simple/', import.meta.url).pathname;
const logger = pino({ level: 'silent' });
let dir: string;

const input = (tool: string, risk = 'low', known = true) => ({
  action: { id: 'act_x', agentId: 'bot', workflowId: 'wf', tool, args: {}, estimate: {}, context: {}, submittedAt: '' },
  agent: { id: 'bot', known, roles: [], tenant: null }, tool: { name: tool, known: true, risk }, budget: { scopes: {}, breakers: {} }, history: [], now_ns: 0,
});

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-policy-'));
  cpSync(FIXTURE, dir, { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('policy engine on compiled modules', () => {
  it('evaluates airlock/decision with the revision = sha256(module + data)', async () => {
    const holder = createPolicyHolder({ load: () => loadPolicyArtifact(dir), logger, metrics: promPolicyMetrics });
    await holder.reload();
    assert.deepEqual(holder.evaluate(input('echo')).outcome, 'allow');
    assert.deepEqual(holder.evaluate(input('files.delete', 'high')).outcome, 'review');
    const denied = holder.evaluate(input('files.read', 'low', false));
    assert.equal(denied.outcome, 'deny');
    assert.deepEqual(denied.reasons, ['agent bot is not registered']);
    const allowed = holder.evaluate(input('files.read'));
    assert.equal(allowed.costCeilingUsd, 5);
    const artifact = await compilePolicyFolder(dir);
    assert.equal(holder.revision, policyRevision(artifact.wasm, artifact.data));
    assert.deepEqual((holder.data as { agents: Record<string, unknown> }).agents.bot, { roles: ['ops'], tenant: 'acme' });
  });

  it('hot reload swaps in a changed policy; a broken one keeps the previous revision and reports the error', async () => {
    const holder = createPolicyHolder({ load: () => loadPolicyArtifact(dir), logger, metrics: promPolicyMetrics });
    await holder.reload();
    const first = holder.revision;
    const stop = holder.watch(dir, 100);
    try {
      const file = join(dir, 'decision.rego');
      writeFileSync(file, readFileSync(file, 'utf8').replace('echo is harmless', 'echo is still harmless'));
      const deadline = Date.now() + 60_000;
      while (holder.revision === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.notEqual(holder.revision, first);
      assert.deepEqual(holder.evaluate(input('echo')).reasons, ['echo is still harmless']);
      const second = holder.revision;

      writeFileSync(join(dir, 'broken.rego'), 'package airlock\n\ndecision := {"outcome": \n');
      while (holder.status().lastError === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const st = holder.status();
      assert.equal(st.lastError?.code, 'policy_compile_failed');
      assert.ok(st.lastError!.details.length > 0);
      assert.equal(st.revision, second, 'the previous policy keeps serving');
      assert.equal(holder.evaluate(input('echo')).outcome, 'allow');
    } finally {
      stop();
      rmSync(join(dir, 'broken.rego'), { force: true });
    }
  });

  it('loads the same policy from an OPA bundle .tar.gz', async () => {
    const artifact = await compilePolicyFolder(FIXTURE);
    const bundlePath = join(dir, 'bundle.tar.gz');
    writeFileSync(bundlePath, writeWasmBundle({ wasm: artifact.wasm, data: artifact.data, entrypoints: ['airlock/decision'] }));
    const holder = createPolicyHolder({ load: () => loadPolicyArtifact(bundlePath), logger, metrics: promPolicyMetrics });
    await holder.reload();
    assert.equal(holder.revision, policyRevision(artifact.wasm, artifact.data));
    assert.equal(holder.evaluate(input('files.delete', 'high')).outcome, 'review');
  });
});
