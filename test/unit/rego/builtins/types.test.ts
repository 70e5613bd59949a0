// Type predicates and type_name called directly on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

const samples: Array<[string, string]> = [
  ['[]', 'array'], ['true', 'boolean'], ['null', 'null'], ['0', 'number'], ['1.5', 'number'],
  ['{}', 'object'], ['set()', 'set'], ['"abc"', 'string'],
];
const predicates: Record<string, string> = {
  is_array: 'array', is_boolean: 'boolean', is_null: 'null', is_number: 'number', is_object: 'object', is_set: 'set', is_string: 'string',
};

test('type_name names every type', () => {
  for (const [v, name] of samples) assert.equal(rt.call('type_name', v), JSON.stringify(name), v);
});

test('is_* give true for their type and false (not undefined) otherwise, as OPA does', () => {
  for (const [pred, type] of Object.entries(predicates)) {
    for (const [v, name] of samples) assert.equal(rt.call(pred, v), String(name === type), `${pred}(${v})`);
  }
});

test('deprecated cast_* builtins', () => {
  assert.equal(rt.call('cast_array', '{3, 1}'), '[1, 3]');
  assert.equal(rt.call('cast_array', '[2, 1]'), '[2, 1]');
  assert.equal(rt.call('cast_set', '[2, 1, 2]'), '{1, 2}');
  assert.equal(rt.call('cast_array', '"x"'), undefined);
  assert.deepEqual([rt.call('cast_string', '"a"'), rt.call('cast_boolean', 'true'), rt.call('cast_null', 'null'), rt.call('cast_object', '{}')], ['"a"', 'true', 'null', '{}']);
  assert.deepEqual([rt.call('cast_string', '1'), rt.call('cast_boolean', '0'), rt.call('cast_null', 'false'), rt.call('cast_object', '[]')], [undefined, undefined, undefined, undefined]);
});
