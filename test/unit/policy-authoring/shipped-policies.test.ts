// The shipped guardrail library: every policy file is documented and tested (≥ 3 tests), and `airlock policy test policies/` passes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { discoverTests } from '../../../src/policy/authoring/test-discovery.ts';
import { formatTestRun, testRunExitCode } from '../../../src/policy/authoring/test-report.ts';
import { runPolicyTests } from '../../../src/policy/authoring/test-runner.ts';
import { repoRoot } from './cli.ts';

const dir = join(repoRoot, 'policies');
const regoFiles = readdirSync(dir).filter((f) => f.endsWith('.rego'));
const policyFiles = regoFiles.filter((f) => !f.endsWith('_test.rego'));

test('every policy file starts with a one-line doc comment and has ≥ 3 tests in its _test.rego', () => {
  assert.ok(policyFiles.length >= 10, `expected the whole library, found ${policyFiles.join(', ')}`);
  for (const file of policyFiles) {
    const text = readFileSync(join(dir, file), 'utf8');
    assert.match(text.split('\n')[0]!, /^# \S.{20,}/, `${file} needs a one-line doc comment on line 1`);
    const testFile = file.replace(/\.rego$/, '_test.rego');
    assert.ok(regoFiles.includes(testFile), `${file} has no ${testFile}`);
    const tests = discoverTests({ path: testFile, text: readFileSync(join(dir, testFile), 'utf8') });
    assert.ok(tests.length >= 3, `${testFile} has ${tests.length} tests, needs ≥ 3`);
  }
});

test('data.json keeps the shapes other parts read (agents, budgets, breakers)', () => {
  const data = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [id, agent] of Object.entries(data.agents!)) {
    const a = agent as { roles: unknown; tenant: unknown };
    assert.ok(Array.isArray(a.roles) && typeof a.tenant === 'string', `agent ${id}`);
  }
  const defaults = data.budgets!.defaults as Record<string, { capUsd: number; capTokens: number; window: string }>;
  assert.deepEqual(Object.keys(defaults).sort(), ['agent', 'global', 'tenant', 'workflow']);
  for (const d of Object.values(defaults)) assert.ok(d.capUsd > 0 && d.capTokens > 0 && ['none', 'day', 'month'].includes(d.window));
  assert.deepEqual(Object.keys(data.breakers!).sort(), ['cooldownSeconds', 'loopCount', 'loopWindowSeconds', 'velocityUsdPerMinute', 'velocityWindowSeconds']);
});

test('airlock policy test policies/ passes', async () => {
  const run = await runPolicyTests(dir);
  const report = formatTestRun(run).join('\n');
  assert.deepEqual(run.errors, [], report);
  assert.equal(run.counts.failed, 0, report);
  assert.ok(run.counts.passed >= policyFiles.length * 3, report);
  assert.equal(testRunExitCode(run), 0);
});
