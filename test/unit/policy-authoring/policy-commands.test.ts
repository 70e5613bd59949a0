// `airlock policy test|eval|check` on small fixture folders: real compiler, real SDK; exit codes through the real command.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PolicyAuthoringError } from '../../../src/policy/authoring/errors.ts';
import { checkPolicyFolder } from '../../../src/policy/authoring/policy-check.ts';
import { evalPolicyRef } from '../../../src/policy/authoring/policy-eval.ts';
import { formatTestRun } from '../../../src/policy/authoring/test-report.ts';
import { runPolicyTests } from '../../../src/policy/authoring/test-runner.ts';
import { formatRegoError } from '../../../src/rego/index.ts';
import { airlock, fixtures } from './cli.ts';

test('airlock policy test: a deliberately broken test fails with its file and line; summary last; exit 1', async () => {
  const r = await airlock(['policy', 'test', `${fixtures}/tests-mixed`]);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.at(-1), '2 passed, 1 failed, 1 skipped', r.stdout + r.stderr);
  assert.match(r.stdout, /FAIL test\/fixtures\/policy-authoring\/tests-mixed\/limits_test\.rego:11: data\.fixture\.limits_test\.test_large_refund_allowed/);
  assert.equal(r.code, 1);
});

test('--run selects tests by name; with data overrides they pass', async () => {
  const run = await runPolicyTests(`${fixtures}/tests-mixed`, { run: 'small|override' });
  assert.deepEqual(run.results.map((r) => [r.test.name, r.status]), [
    ['data.fixture.limits_test.test_small_refund_allowed', 'pass'],
    ['data.fixture.limits_test.test_limit_from_data_override', 'pass'],
  ]);
  const lines = formatTestRun(run, { verbose: true });
  assert.match(lines[0]!, /^PASS data\.fixture\.limits_test\.test_small_refund_allowed/);
  assert.equal(lines.at(-1), '2 passed, 0 failed');
});

test('airlock policy check: several compile errors at once, each file:line:col; exit 2', async () => {
  const r = await airlock(['policy', 'check', `${fixtures}/compile-errors`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const located = r.stderr.split('\n').filter((l) => /^test\/fixtures\/policy-authoring\/compile-errors\/\w+\.rego:\d+:\d+: rego_\w+: ./.test(l));
  const files = new Set(located.map((l) => l.split(':')[0]));
  assert.ok(files.has(`${fixtures}/compile-errors/first.rego`), r.stderr);
  assert.ok(files.has(`${fixtures}/compile-errors/second.rego`), r.stderr);
  for (const l of located) {
    const line = Number(l.split(':')[1]);
    assert.ok(line >= 4 && line <= 5, `error reported on line ${line}, expected 4 or 5: ${l}`);
  }
});

test('policy test on a folder that does not compile reports the errors instead of running', async () => {
  const run = await runPolicyTests(`${fixtures}/compile-errors`);
  assert.ok(run.errors.length >= 2, JSON.stringify(run.errors));
  assert.equal(run.results.length, 0);
  assert.match(formatRegoError(run.errors[0]!), /first\.rego:\d+:\d+: rego_/);
});

test('policy eval gives the value, merges --data, and is undefined when undefined', async () => {
  const dir = `${fixtures}/eval`;
  const greeted = await evalPolicyRef({ dir, ref: 'data.fixture.greet.greeting', inputFile: `${dir}/input.json` });
  assert.deepEqual(greeted, { errors: [], result: { defined: true, value: 'Bonjour, Ada' } });
  const langs = await evalPolicyRef({ dir, ref: 'data.fixture.greet.languages', dataFile: `${dir}/extra-data.json` });
  assert.deepEqual(langs, { errors: [], result: { defined: true, value: ['de', 'en', 'fr'] } });
  const none = await evalPolicyRef({ dir, ref: 'data.fixture.greet.greeting' });
  assert.deepEqual(none, { errors: [], result: { defined: false } });
});

test('airlock policy eval prints JSON or undefined', async () => {
  const dir = `${fixtures}/eval`;
  const r = await airlock(['policy', 'eval', '-d', dir, '-i', `${dir}/input.json`, 'data.fixture.greet.greeting']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), 'Bonjour, Ada');
});

test('bad data.json, bad references and missing files are clear errors', async () => {
  const errors = await checkPolicyFolder(`${fixtures}/bad-data`);
  assert.equal(errors.length, 1);
  assert.match(formatRegoError(errors[0]!), /bad-data\/data\.json:3:18: rego_parse_error: invalid JSON/);

  await assert.rejects(
    evalPolicyRef({ dir: `${fixtures}/eval`, ref: 'input.name' }),
    (e: unknown) => e instanceof PolicyAuthoringError && e.code === 'bad_reference',
  );
  await assert.rejects(
    evalPolicyRef({ dir: `${fixtures}/eval`, ref: 'data.fixture.greet.greeting', inputFile: 'no/such/input.json' }),
    (e: unknown) => e instanceof PolicyAuthoringError && e.code === 'input_file_unreadable' && e.message.includes('no/such/input.json'),
  );
  await assert.rejects(
    runPolicyTests('no/such/folder'),
    (e: unknown) => e instanceof PolicyAuthoringError && e.code === 'policy_dir_not_found',
  );
});
