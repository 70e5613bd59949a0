// Aggregate builtins (sum, product, max, min, sort) called directly on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

test('sum and product over arrays and sets, exact on big integers', () => {
  assert.equal(rt.call('sum', '[-1, 3, 2]'), '4');
  assert.equal(rt.call('sum', 'set()'), '0');
  assert.equal(rt.call('sum', '{3, 2, 1}'), '6');
  assert.equal(rt.call('sum', '[1.5, 2.25]'), '3.75');
  assert.equal(rt.call('sum', '[9223372036854775807, 1]'), '9223372036854775808');
  assert.equal(rt.call('product', '[]'), '1');
  assert.equal(rt.call('product', '[1, -1, 2, -1]'), '2');
  assert.equal(rt.call('product', '{0}'), '0');
  assert.equal(rt.call('product', '[4294967296, 4294967296]'), '18446744073709551616');
});

test('sum and product are undefined for non-number elements and non-collections', () => {
  assert.equal(rt.call('sum', '[1, "a"]'), undefined);
  assert.equal(rt.call('product', '[null]'), undefined);
  for (const bad of ['null', 'true', '5', '"abc"', '{}']) {
    assert.equal(rt.call('sum', bad), undefined, bad);
    assert.equal(rt.call('max', bad), undefined, bad);
    assert.equal(rt.call('sort', bad), undefined, bad);
  }
});

test('max and min follow Rego order across types and are undefined when empty', () => {
  assert.equal(rt.call('max', '[-1, 3, 2]'), '3');
  assert.equal(rt.call('min', '{1, 2, -1}'), '-1');
  assert.equal(rt.call('max', '[1, "a", null, [0]]'), '[0]');
  assert.equal(rt.call('min', '[1, "a", false]'), 'false');
  assert.equal(rt.call('max', '[]'), undefined);
  assert.equal(rt.call('min', 'set()'), undefined);
});

test('sort returns a sorted array and leaves its argument alone', () => {
  assert.equal(rt.call('sort', '[1, -1, 2, -1]'), '[-1, -1, 1, 2]');
  assert.equal(rt.call('sort', '{3, 2, 1}'), '[1, 2, 3]');
  assert.equal(rt.call('sort', '["b", 1, null, {"a": 1}, [2], true]'), '[null, true, 1, "b", [2], {"a": 1}]');
  const many = Array.from({ length: 50 }, (_, i) => (i * 37) % 50);
  assert.equal(rt.call('sort', JSON.stringify(many)), JSON.stringify([...many].sort((a, b) => a - b)).replaceAll(',', ', '));
});

test('intersection and union of a set of sets', () => {
  assert.equal(rt.call('intersection', '{{1, 2, 3}, {2, 3, 4}, {3, 2}}'), '{2, 3}');
  assert.equal(rt.call('intersection', 'set()'), 'set()');
  assert.equal(rt.call('union', '{{1, 2}, {2, 3}, set()}'), '{1, 2, 3}');
  assert.equal(rt.call('union', 'set()'), 'set()');
  assert.equal(rt.call('union', '{{1}, 2}'), undefined);
  assert.equal(rt.call('intersection', '[{1}]'), undefined);
});

test('deprecated all, any and set_diff', () => {
  assert.deepEqual([rt.call('all', '[true, true]'), rt.call('all', '[true, 1]'), rt.call('all', '[]'), rt.call('all', '{true}')], ['true', 'false', 'true', 'true']);
  assert.deepEqual([rt.call('any', '[false, true]'), rt.call('any', '[false, 1]'), rt.call('any', 'set()')], ['true', 'false', 'false']);
  assert.equal(rt.call('all', '"x"'), undefined);
  assert.equal(rt.call('set_diff', '{1, 2, 3}', '{2}'), '{1, 3}');
  assert.equal(rt.call('set_diff', '{1}', '[1]'), undefined);
});
