// Unit tests of the test report: failures with file:line, the summary line last, and exit codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTestRun, testRunExitCode } from '../../../src/policy/authoring/test-report.ts';
import type { TestRun } from '../../../src/policy/authoring/test-runner.ts';

const discovered = (rule: string, line: number) => ({
  name: `data.pkg_test.${rule}`, entrypoint: `pkg_test/${rule}`, file: 'policies/pkg_test.rego', line, col: 1, skipped: false,
});

const run: TestRun = {
  errors: [],
  results: [
    { test: discovered('test_ok', 3), status: 'pass', durationMs: 0.2 },
    { test: discovered('test_bad', 7), status: 'fail', detail: 'undefined', durationMs: 0.1 },
    { test: discovered('test_boom', 11), status: 'error', detail: 'var assigned above', durationMs: 0.1 },
  ],
  counts: { passed: 1, failed: 2, skipped: 0 },
};

test('failing tests are printed with file:line and the summary comes last', () => {
  const lines = formatTestRun(run);
  assert.ok(lines.some((l) => l.startsWith('FAIL policies/pkg_test.rego:7: data.pkg_test.test_bad')));
  assert.ok(lines.some((l) => l.startsWith('ERROR policies/pkg_test.rego:11: data.pkg_test.test_boom: var assigned above')));
  assert.ok(!lines.some((l) => l.includes('test_ok')), 'passing tests only with --verbose');
  assert.equal(lines.at(-1), '1 passed, 2 failed');
  assert.equal(testRunExitCode(run), 1);
});

test('--verbose lists passing tests too', () => {
  const lines = formatTestRun(run, { verbose: true });
  assert.ok(lines.some((l) => l.startsWith('PASS data.pkg_test.test_ok')));
});

test('compile errors are listed as file:line:col and give exit code 2', () => {
  const broken: TestRun = {
    errors: [
      { code: 'rego_parse_error', message: 'unexpected }', loc: { file: 'a.rego', line: 4, col: 2 } },
      { code: 'rego_unsafe_var_error', message: 'var x is unsafe', loc: { file: 'b.rego', line: 9, col: 5 } },
    ],
    results: [],
    counts: { passed: 0, failed: 0, skipped: 0 },
  };
  const lines = formatTestRun(broken);
  assert.deepEqual(lines, [
    'a.rego:4:2: rego_parse_error: unexpected }',
    'b.rego:9:5: rego_unsafe_var_error: var x is unsafe',
    '2 compile errors',
  ]);
  assert.equal(testRunExitCode(broken), 2);
});

test('all passing exits 0 and mentions skipped tests', () => {
  const ok: TestRun = { errors: [], results: [], counts: { passed: 4, failed: 0, skipped: 1 } };
  assert.equal(formatTestRun(ok).at(-1), '4 passed, 0 failed, 1 skipped');
  assert.equal(testRunExitCode(ok), 0);
});
