import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPECT_ERROR, ProjectionError, UNDEFINED, compareRego, decodeExpected, jsonEqual, loadCases, regoLiteral, toJsonProjection } from '../../../src/rego/conformance/cases.ts';

test('sets project to arrays in Rego order across types', () => {
  const v = decodeExpected({ 'set!': ['b', 1, null, [1], 'a', true, { 'set!': [2] }, { k: 1 }] });
  assert.deepEqual(toJsonProjection(v as never), [null, true, 1, 'a', 'b', [1], { k: 1 }, [2]]);
});

test('non-string object keys become their JSON text', () => {
  const v = decodeExpected({ 'object!': [{ key: 1, value: 'one' }, { key: [1, 'x'], value: 2 }, { key: { 'set!': ['b', 'a'] }, value: 3 }] });
  assert.deepEqual(toJsonProjection(v as never), { '1': 'one', '[1,"x"]': 2, '["a","b"]': 3 });
});

test('#undefined: whole result and absent fields', () => {
  assert.equal(decodeExpected('#undefined'), UNDEFINED);
  assert.deepEqual(toJsonProjection(decodeExpected({ a: 1, b: '#undefined' }) as never), { a: 1 });
});

test('compareRego orders numbers by value and arrays element-wise', () => {
  assert.ok(compareRego(2, 10) < 0);
  assert.ok(compareRego([1, 2], [1, 3]) < 0);
  assert.ok(compareRego([1], [1, 0]) < 0);
  assert.ok(compareRego('z', [0]) < 0);
});

test('loadCases decodes many!, errors and no_result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-cases-'));
  writeFileSync(
    join(dir, 'c.yaml'),
    [
      'cases:',
      '  - note: many',
      '    modules: ["package test\\nx = input.a"]',
      '    input: {"many!": [{a: 1}, {a: 2}]}',
      '    query: data.test.x',
      '    want_result: {"many!": [1, 2]}',
      '  - note: err',
      '    modules: ["package test\\nx = 1"]',
      '    query: data.test.x',
      '    error: boom',
      '  - note: none',
      '    modules: ["package test\\nx = 1"]',
      '    query: data.test.y',
      '    no_result: true',
    ].join('\n'),
  );
  const cases = await loadCases([dir]);
  assert.equal(cases.length, 3);
  assert.deepEqual(cases[0]!.inputs, [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(cases[0]!.expect, [1, 2]);
  assert.deepEqual(cases[1]!.expect, [EXPECT_ERROR]);
  assert.deepEqual(cases[2]!.expect, [UNDEFINED]);
  assert.equal(cases[0]!.data && typeof cases[0]!.data, 'object');
});

test('jsonEqual is exact on numbers and ignores key order', () => {
  assert.ok(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }));
  assert.ok(!jsonEqual(0.30000000000000004, 0.3));
  assert.ok(!jsonEqual([1, 2], [2, 1]));
});

test('an expectation JSON cannot carry is detected, and written as a Rego literal for comparison in the module', () => {
  const v = decodeExpected({ 'object!': [{ key: [], value: 1 }, { key: { 'set!': [] }, value: 2 }, { key: { 'set!': ['b', 1] }, value: null }] });
  assert.throws(() => toJsonProjection(v as never), ProjectionError);
  assert.equal(regoLiteral(v as never), '{[]: 1, set(): 2, {"b", 1}: null}');
});
