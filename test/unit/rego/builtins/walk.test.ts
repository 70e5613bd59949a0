// walk on the runtime module: an array of [path, value] pairs in OPA's pre-order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

test('walk visits the root, then children in key/index/member order', () => {
  assert.equal(rt.call('walk', '{"a": [1, {"b": 2}], "c": {3}}'),
    '[[[], {"a": [1, {"b": 2}], "c": {3}}], [["a"], [1, {"b": 2}]], [["a", 0], 1], [["a", 1], {"b": 2}], [["a", 1, "b"], 2], [["c"], {3}], [["c", 3], 3]]');
  assert.equal(rt.call('walk', '5'), '[[[], 5]]');
  assert.equal(rt.call('walk', '[]'), '[[[], []]]');
});

test('walk of a wide document yields one pair per node', () => {
  const doc = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, [i, { v: i }]]));
  const pairs = rt.json('walk', JSON.stringify(doc)) as unknown[];
  assert.equal(pairs.length, 1 + 200 * 4);
});
