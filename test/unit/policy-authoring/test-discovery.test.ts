// Unit tests of test-rule discovery: names, entrypoints and locations of test_* rules in Rego source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoverTests, isTestFile, packageEntrypoint } from '../../../src/policy/authoring/test-discovery.ts';

const source = [
  '# comment mentioning test_not_a_rule',
  'package airlock.guardrails.sql_test',
  '',
  'import data.airlock.fixtures',
  '',
  'test_select_passes if {',
  '\ttrue',
  '}',
  '',
  'test_helper(x) := x + 1',
  '',
  'pattern := `',
  'test_inside_raw_string',
  '`',
  '',
  'test_select_passes if {',
  '\tfalse',
  '}',
  '',
  'todo_test_later if false',
  'test_v0_style {',
  '\ttrue',
  '}',
].join('\n');

test('finds test rules with package-qualified names, entrypoints and lines', () => {
  const found = discoverTests({ path: 'p/sql_test.rego', text: source });
  assert.deepEqual(
    found.map((t) => [t.name, t.entrypoint, t.line, t.skipped]),
    [
      ['data.airlock.guardrails.sql_test.test_select_passes', 'airlock/guardrails/sql_test/test_select_passes', 6, false],
      ['data.airlock.guardrails.sql_test.todo_test_later', 'airlock/guardrails/sql_test/todo_test_later', 20, true],
      ['data.airlock.guardrails.sql_test.test_v0_style', 'airlock/guardrails/sql_test/test_v0_style', 21, false],
    ],
  );
  assert.equal(found[0]!.file, 'p/sql_test.rego');
});

test('a file without a package yields no tests', () => {
  assert.deepEqual(discoverTests({ path: 'x_test.rego', text: 'test_a if true\n' }), []);
});

test('package entrypoint and test-file naming', () => {
  assert.equal(packageEntrypoint({ path: 'a.rego', text: '# doc\npackage airlock.guardrails.cost\n' }), 'airlock/guardrails/cost');
  assert.equal(packageEntrypoint({ path: 'a.rego', text: 'x := 1\n' }), undefined);
  assert.equal(isTestFile('policies/cost_test.rego'), true);
  assert.equal(isTestFile('policies/cost.rego'), false);
});
