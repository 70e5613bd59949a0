// Unification and destructuring through the whole compiler and the SDK: object patterns with variable keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueOf } from './evaluate.ts';

test('object patterns may use bound variables and references as keys', async () => {
  const got = await valueOf(
    [
      `package t
k := "a"
p := v if { {k: v} = {"a": 1} }
q := v if { {"b": 2, k: v} = input.obj }
r := [v, w] if { name := "b"; {k: v, name: w} = input.obj }
s := v if { {"a": 10, input.key: v} = input.obj }
miss if { {k: _} = {"z": 1} }
extra if { {k: _} = input.obj }
cmp := v if { {"a": v} = {k: 5} }
`,
    ],
    't',
    { input: { obj: { a: 10, b: 2 }, key: 'b' } },
  );
  assert.deepEqual(got, { k: 'a', p: 1, q: 10, r: [10, 2], s: 2, cmp: 5 });
});

test('objects with unbound values and variable keys on both sides are a compile error, not a wrong answer', async () => {
  const { compile } = await import('../../../../src/rego/index.ts');
  const out = await compile([{ path: 'x.rego', text: 'package t\nk := "a"\np if { {k: x} = {"a": y} }\n' }], { entrypoints: ['t/p'] });
  assert.equal(out.wasm, undefined);
  assert.ok(out.errors.some((e) => e.loc.line === 3 && e.code === 'rego_compile_error'), JSON.stringify(out.errors));
});

test('some … in binds nested array and object patterns, with and without a key', async () => {
  const got = await valueOf(
    [
      `package t
a := [[x, y, z] | some [x, [y, z]] in [[1, [2, 3]], [4, [5, 6]], [7, 8]]]
b := [[k, p, q] | some k, [p, q] in {"m": [1, 2], "n": [3, 4]}]
c := [v | some {"a": v} in [{"a": 1}, {"b": 2}, {"a": 3}]]
d := [v | some [_, {"k": v}] in [[0, {"k": "x"}], [1, {"j": 1}]]]
`,
    ],
    't',
  );
  assert.deepEqual(got, { a: [[1, 2, 3], [4, 5, 6]], b: [['m', 1, 2], ['n', 3, 4]], c: [1, 3], d: ['x'] });
});
