// Array builtins (array.concat, array.slice, array.reverse) called directly on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

test('array.concat', () => {
  assert.equal(rt.call('array.concat', '[1, 2, 3]', '[4, 5, 6]'), '[1, 2, 3, 4, 5, 6]');
  assert.equal(rt.call('array.concat', '[]', '[1]'), '[1]');
  assert.equal(rt.call('array.concat', '[]', '[]'), '[]');
  assert.equal(rt.call('array.concat', '1', '[2]'), undefined);
  assert.equal(rt.call('array.concat', '[2]', '{2}'), undefined);
});

test('array.slice clamps like OPA and needs integer indexes', () => {
  const cases: Array<[string, string, string]> = [
    ['0', '1', '[1]'], ['0', '2', '[1, 2]'], ['2', '3', '[3]'], ['0', '5', '[1, 2, 3]'],
    ['5', '5', '[]'], ['-5', '5', '[1, 2, 3]'], ['-5', '0', '[]'], ['-5', '1', '[1]'], ['2', '1', '[]'],
  ];
  for (const [s, e, want] of cases) assert.equal(rt.call('array.slice', '[1, 2, 3]', s, e), want, `${s}:${e}`);
  assert.equal(rt.call('array.slice', '[]', '-5', '1'), '[]');
  assert.equal(rt.call('array.slice', '[5]', '1.1', '2'), undefined);
  assert.equal(rt.call('array.slice', '[5]', '1', '2.1'), undefined);
  assert.equal(rt.call('array.slice', '[5]', '"1"', '2'), undefined);
  assert.equal(rt.call('array.slice', '1', '2', '3'), undefined);
});

test('array.reverse', () => {
  assert.equal(rt.call('array.reverse', '[1, 2, 3]'), '[3, 2, 1]');
  assert.equal(rt.call('array.reverse', '[]'), '[]');
  assert.equal(rt.call('array.reverse', '{1}'), undefined);
});
