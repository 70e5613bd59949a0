// Object and JSON document builtins (object.*, json.filter/remove/patch) on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

const obj = '{"a": 5, "b": {"c": 8}, "c": 7, {1}: 8, {"a": 5}: 9, true: false, 5: 10, null: 5}';

test('object.get with keys, paths and defaults', () => {
  assert.equal(rt.call('object.get', obj, '"a"', '"d"'), '5');
  assert.equal(rt.call('object.get', obj, '["b", "c"]', '"d"'), '8');
  assert.equal(rt.call('object.get', obj, '["a", "b"]', '"d"'), '"d"');
  assert.equal(rt.call('object.get', obj, '{"a": 5}', '"d"'), '9');
  assert.equal(rt.call('object.get', obj, '"zz"', 'null'), 'null');
  assert.equal(rt.call('object.get', '{"a": 1}', '[]', '0'), '{"a": 1}');
  assert.equal(rt.call('object.get', '{"a": [10, {"b": 2}]}', '["a", 1, "b"]', '0'), '2');
  assert.equal(rt.call('object.get', '{"a": [10]}', '["a", "0"]', '"none"'), '"none"');
  assert.equal(rt.call('object.get', '{"a": {"x", "y"}}', '["a", "x"]', '0'), '"x"');
  assert.equal(rt.call('object.get', '[1]', '0', '0'), undefined);
});

test('object.keys, object.remove and object.filter accept arrays, sets and objects of keys', () => {
  assert.equal(rt.call('object.keys', obj), '{null, true, 5, "a", "b", "c", {"a": 5}, {1}}');
  const removed = '{null: 5, true: false, 5: 10, "c": 7, {"a": 5}: 9}';
  assert.equal(rt.call('object.remove', obj, '["a", "b", {1}]'), removed);
  assert.equal(rt.call('object.remove', obj, '{"a", "b", {1}}'), removed);
  assert.equal(rt.call('object.remove', obj, '{"a": 1, "b": 1, {1}: 1}'), removed);
  assert.equal(rt.call('object.filter', obj, '["a", {1}]'), '{"a": 5, {1}: 8}');
  assert.equal(rt.call('object.filter', obj, '{"a": 1, "c": 0}'), '{"a": 5, "c": 7}');
  assert.equal(rt.call('object.filter', obj, '"a"'), undefined);
  assert.equal(rt.call('object.keys', '[1]'), undefined);
});

test('object.union merges recursively, right side wins; union_n folds left to right', () => {
  assert.equal(rt.call('object.union', '{"a": 1, "b": {"c": 1, "d": 2}}', '{"b": {"d": 3, "e": 4}, "f": 5}'), '{"a": 1, "b": {"c": 1, "d": 3, "e": 4}, "f": 5}');
  assert.equal(rt.call('object.union', '{"a": {"b": 1}}', '{"a": 2}'), '{"a": 2}');
  assert.equal(rt.call('object.union_n', '[{"a": {"b": 2}}, {"a": 4}, {"a": {"c": 3}}]'), '{"a": {"c": 3}}');
  assert.equal(rt.call('object.union_n', '[]'), '{}');
  assert.equal(rt.call('object.union_n', '[{"a": 1}, 2]'), undefined);
});

test('object.subset for objects, sets, arrays (contiguous) and array ⊇ set', () => {
  assert.equal(rt.call('object.subset', '{"a": 1, "b": {"c": 2, "d": 3}}', '{"b": {"c": 2}}'), 'true');
  assert.equal(rt.call('object.subset', '{"a": 1}', '{"a": 2}'), 'false');
  assert.equal(rt.call('object.subset', '{"a": [1, 2, 3, 4]}', '{"a": [2, 3]}'), 'true');
  assert.equal(rt.call('object.subset', '[1, 2, 3, 4]', '[2, 4]'), 'false');
  assert.equal(rt.call('object.subset', '[1, 2, 3, 4]', '[3, 4]'), 'true');
  assert.equal(rt.call('object.subset', '{1, 2, 3}', '{1, 3}'), 'true');
  assert.equal(rt.call('object.subset', '[1, 2, 3]', '{3, 1}'), 'true');
  assert.equal(rt.call('object.subset', '{1, 2}', '[1]'), undefined);
});

test('json.filter and json.remove with string and array paths', () => {
  const doc = '{"a": 5, "b": {"c": {"d": 6}, "d": 7}, "c": 8}';
  assert.equal(rt.call('json.filter', doc, '["a", "b/c"]'), '{"a": 5, "b": {"c": {"d": 6}}}');
  assert.equal(rt.call('json.filter', doc, '{"c", ["b", "d"]}'), '{"b": {"d": 7}, "c": 8}');
  const s = '{"a": [[1, [7, 8, 9], 2], {"a": 1, "b": 2, "c": 3}]}';
  assert.equal(rt.call('json.filter', s, '[["a", 1]]'), '{"a": []}');
  assert.equal(rt.call('json.filter', s, '["a/0/1/2", ["a", "0", "2"], "a/0/1/1"]'), '{"a": [[[8, 9], 2]]}');
  const t = '{"a": {1, 2, {"x"}, {8, 9, 10}}}';
  assert.equal(rt.call('json.filter', t, '[["a", 1]]'), '{"a": {1}}');
  assert.equal(rt.call('json.filter', t, '[["a", {8, 9, 10}, 9]]'), '{"a": {{9}}}');
  assert.equal(rt.call('json.remove', doc, '["a", "b/c"]'), '{"b": {"d": 7}, "c": 8}');
  assert.equal(rt.call('json.remove', '{"a": [1, 2, 3]}', '["a/1"]'), '{"a": [1, 3]}');
  assert.equal(rt.call('json.remove', '{"a/b": 1, "c~d": 2, "e": 3}', '["a~1b", "/c~0d"]'), '{"e": 3}');
  assert.equal(rt.call('json.filter', doc, '"a"'), undefined);
  assert.equal(rt.call('json.remove', doc, '[1]'), undefined);
});

const patch = (doc: string, ops: string): string | undefined => rt.call('json.patch', doc, ops);

test('json.patch: RFC 6902 operations on objects and arrays', () => {
  assert.equal(patch('{"a": {"foo": 1}}', '[{"op": "add", "path": "/a/bar", "value": 2}]'), '{"a": {"bar": 2, "foo": 1}}');
  assert.equal(patch('{"a": {"foo": 1, "bar": 2}}', '[{"op": "remove", "path": "/a/bar"}]'), '{"a": {"foo": 1}}');
  assert.equal(patch('{"a": {"foo": 1}}', '[{"op": "replace", "path": "/a/foo", "value": 42}]'), '{"a": {"foo": 42}}');
  assert.equal(patch('{"a": {"foo": 1}, "b": {}}', '[{"op": "move", "from": "/a/foo", "path": "/b/foo"}]'), '{"a": {}, "b": {"foo": 1}}');
  assert.equal(patch('{"a": {"foo": 1}, "b": {}}', '[{"op": "copy", "from": "/a/foo", "path": "/b/foo"}]'), '{"a": {"foo": 1}, "b": {"foo": 1}}');
  assert.equal(patch('{"a": {"foo": 1}}', '[{"op": "test", "path": "/a/foo", "value": 1}]'), '{"a": {"foo": 1}}');
  assert.equal(patch('{"a": {"foo": 1}}', '[{"op": "test", "path": "/a/foo", "value": 2}]'), undefined);
  assert.equal(patch('{"arr": [1, 2, 3]}', '[{"op": "add", "path": "/arr/1", "value": "x"}]'), '{"arr": [1, "x", 2, 3]}');
  assert.equal(patch('{"arr": [1, 2, 3]}', '[{"op": "add", "path": "/arr/-", "value": 4}]'), '{"arr": [1, 2, 3, 4]}');
  assert.equal(patch('{"arr": [1, 2, 3]}', '[{"op": "remove", "path": "/arr/1"}]'), '{"arr": [1, 3]}');
  assert.equal(patch('{"foo/bar": {"baz~": 1}}', '[{"op": "add", "path": "/foo~1bar/baz~0test", "value": 2}]'), '{"foo/bar": {"baz~": 1, "baz~test": 2}}');
  assert.equal(patch('5', '[{"op": "replace", "path": "", "value": 6}]'), '6');
});

test('json.patch: sets are addressed by member value', () => {
  assert.equal(patch('{"a", "b", "c"}', '[{"op": "add", "path": ["d"], "value": "d"}]'), '{"a", "b", "c", "d"}');
  assert.equal(patch('{"a", "b", "c"}', '[{"op": "remove", "path": ["b"]}]'), '{"a", "c"}');
  assert.equal(patch('{"a", "b", "c"}', '[{"op": "move", "from": ["a"], "path": ["a"]}]'), '{"a", "b", "c"}');
  assert.equal(patch('{"a", "b"}', '[{"op": "replace", "path": ["a"], "value": "c"}]'), undefined);
  assert.equal(patch('{{"a": [1, 2]}}', '[{"op": "replace", "path": [{"a": [1, 2]}, "a", 1], "value": 9}]'), undefined);
  assert.equal(patch('{{"a": [1]}}', '[{"op": "copy", "from": [{"a": [1]}, "a", 0], "path": [{"a": [1]}, "a", "-"]}]'), '{{"a": [1, 1]}}');
});

test('json.patch: invalid operations, indexes and roots make the result undefined', () => {
  const bad: Array<[string, string]> = [
    ['["a", "b"]', '[{"op": "remove", "path": [1.5]}]'],
    ['[1, 2]', '[{"op": "remove", "path": [-1]}]'],
    ['[1, 2]', '[{"op": "remove", "path": [999999999999999999999999999999999999]}]'],
    ['[1, 2]', '[{"op": "remove", "path": "/01"}]'],
    ['[1, 2]', '[{"op": "remove", "path": "/-"}]'],
    ['[1, 2]', '[{"op": "add", "path": "/3", "value": 0}]'],
    ['{}', '[{"path": "/a", "value": 1}]'],
    ['{}', '[{"op": "add", "value": 1}]'],
    ['{}', '[{"op": "add", "path": "/a"}]'],
    ['{}', '[{"op": "move", "path": "/a"}]'],
    ['{}', '[{"op": 1, "path": {}, "value": 1}]'],
    ['{}', '[{"op": "frobnicate", "path": "/a"}]'],
    ['{}', '[{"op": "add", "path": "/a/b", "value": 1}]'],
    ['{"a": {"b": 1}}', '[{"op": "move", "from": "/a", "path": "/a/c"}]'],
    ['{"a": 1}', '[{"op": "remove", "path": ""}]'],
    ['{"a": 1}', '[1]'],
    ['{"a": 1}', '{}'],
  ];
  for (const [doc, ops] of bad) assert.equal(patch(doc, ops), undefined, `${doc} ${ops}`);
  assert.equal(patch('{"a": 1}', '[{"op": "remove", "path": ""}, {"op": "add", "path": "", "value": {"b": 2}}]'), '{"b": 2}');
});

test('graph.reachable', () => {
  const g = '{"a": ["b"], "b": {"c"}, "c": ["a"], "d": ["e"], "x": []}';
  assert.equal(rt.call('graph.reachable', g, '["a"]'), '{"a", "b", "c"}');
  assert.equal(rt.call('graph.reachable', g, '{"d"}'), '{"d"}'); // "e" is not a node of the graph
  assert.equal(rt.call('graph.reachable', g, '["zz"]'), 'set()');
  assert.equal(rt.call('graph.reachable', g, '"a"'), undefined);
});
