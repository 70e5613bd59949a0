// With the real `opa` binary on the PATH, the shipped policies build into an OPA wasm bundle that Airlock loads and decides with.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBundle } from '../../../src/policy/bundle.ts';
import { loadCompiledPolicy } from '../../../src/policy/compiled-policy.ts';
import { DECISION_ENTRYPOINT, readDecision } from '../../../src/policy/decision.ts';
import { repoRoot } from './cli.ts';

const opaOnPath = spawnSync('opa', ['version'], { encoding: 'utf8' }).status === 0;
const skipReason = opaOnPath ? false : 'the opa binary is not on the PATH (install it to check the policies build with opa too)';
if (skipReason) console.log(`# skipped opa build test: ${skipReason}`);

test('opa build -t wasm of policies/ gives a bundle Airlock loads and decides with', { skip: skipReason }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-opa-'));
  try {
    const out = join(dir, 'bundle.tar.gz');
    execFileSync('opa', ['build', '-t', 'wasm', '-e', 'airlock/decision', '--ignore', '*_test.rego', '-o', out, join(repoRoot, 'policies')], {
      stdio: 'pipe',
      timeout: 120_000,
    });
    const artifact = readBundle(readFileSync(out), out);
    const policy = await loadCompiledPolicy(artifact);
    const input = {
      action: {
        id: 'act_opa', agentId: 'curl-demo', workflowId: 'wf-opa', tool: 'echo', args: { message: 'hi' },
        estimate: { costUsd: 0, tokens: 0 }, context: {}, submittedAt: '2026-11-25T10:00:00.000Z',
      },
      agent: { id: 'curl-demo', known: false, roles: [], tenant: null },
      tool: { name: 'echo', known: true, risk: 'low', description: '', costModel: { perCallUsd: 0, perTokenUsd: 0 }, tags: ['demo'] },
      budget: { scopes: {}, breakers: {} },
      history: [],
      now_ns: 1795600800000000000,
    };
    const allowed = readDecision(policy.evaluate(input, DECISION_ENTRYPOINT), policy.revision, 0);
    assert.equal(allowed.outcome, 'allow', allowed.reasons.join('; '));
    const unknownTool = { ...input, action: { ...input.action, tool: 'rm.rf' }, tool: { ...input.tool, name: 'rm.rf', known: false, risk: 'unknown' } };
    assert.equal(readDecision(policy.evaluate(unknownTool, DECISION_ENTRYPOINT), policy.revision, 0).outcome, 'deny');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
