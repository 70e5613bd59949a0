// Rego semantics of the planner checked end to end: parse → compile → plan → wasm backend → official SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { parseModule } from '../../../../src/rego/syntax/parser.ts';
import { compileToIR } from '../../../../src/rego/plan/index.ts';
import { generateWasm } from '../../../../src/rego/wasm/index.ts';

async function evaluate(sources: string[], entrypoint: string, data: unknown = {}, input?: unknown): Promise<unknown[]> {
  const mods = sources.map((s, i) => {
    const r = parseModule(`m${i}.rego`, s, { regoVersion: 1 });
    assert.deepEqual(r.errors, []);
    return r.module!;
  });
  const ir = compileToIR(mods, { entrypoints: [entrypoint] });
  assert.deepEqual(ir.errors, []);
  const w = await generateWasm(ir.policy!);
  assert.deepEqual(w.errors, []);
  const policy = await loadPolicy(w.wasm!);
  policy.setData(data as object);
  return policy.evaluate(input, entrypoint) as unknown[];
}

const value = async (...a: Parameters<typeof evaluate>) => {
  const rs = (await evaluate(...a)) as Array<{ result: unknown }>;
  return rs.length ? rs[0]!.result : undefined;
};

test('rules, defaults, else, functions, comprehensions and destructuring', async () => {
  const got = await value(
    [
      `package t
all_pos if every x in data.xs { x > 0 }
big if every x in data.xs { x > 2 }
not_big if not big
pairs contains [k, v] if some k, v in data.xs
obj[k] := v if { some k, v in {"a": 1, "b": 2} }
nested.a.b := 1
nested.a.c := 2
multi[x][y] := 1 if { some x in ["p", "q"]; some y in ["r"] }
default d := "none"
e := "else" if false else := 2
f(x) := "one" if x == 1
f(x) := "other" if x != 1
fs := [f(1), f(2)]
arr := [[a, b] | [a, b] = [[1, 2], [3, 4]][_]]
empty contains x if { some x in []; x > 0 }
`,
    ],
    't',
    { xs: [1, 2, 3] },
  );
  assert.deepEqual(got, {
    all_pos: true,
    not_big: true,
    pairs: [[0, 1], [1, 2], [2, 3]],
    obj: { a: 1, b: 2 },
    nested: { a: { b: 1, c: 2 } },
    multi: { p: { r: 1 }, q: { r: 1 } },
    d: 'none',
    e: 2,
    fs: ['one', 'other'],
    arr: [[1, 2], [3, 4]],
    empty: [],
  });
});

test('with replaces input, rules and functions only for its expression', async () => {
  const got = await value(
    [
      `package t
p := input.a
q := x if x := p with input.a as 5
r := [x, y] if { x := p with input.a as 7; y := p }
base := 1
plus1 := base + 1
s := x if x := plus1 with data.t.base as 10
inc(x) := x + 1
times10(x) := x * 10
h(x) := inc(x)
a := y if y := h(1) with inc as times10
b := h(1)
c := y if y := h(1) with inc as 99
n := y if y := count([1, 2]) with count as times10
`,
    ],
    't',
    {},
    { a: 1 },
  );
  assert.deepEqual(got, { p: 1, q: 5, r: [7, 1], base: 1, plus1: 2, s: 11, a: 10, b: 2, c: 99 });
});

test('package queries merge base data; iterating a package sees its rules', async () => {
  const mods = ['package a\nx := 1\ny := 2\nf(v) := v\n', 'package b\nimport rego.v1\ns := {k | data.a[k]}\n'];
  assert.deepEqual(await value(mods, 'b/s'), ['x', 'y']);
  assert.deepEqual(await value(mods, '', { a: { base: true }, c: 3 }), { a: { base: true, x: 1, y: 2 }, b: { s: ['base', 'x', 'y'] }, c: 3 });
});

test('undefined results: a complete rule with no true body is undefined, an empty partial set is defined', async () => {
  assert.deepEqual(await evaluate(['package t\np if input.nope\n'], 't/p', {}, {}), []);
  assert.deepEqual(await value(['package t\ns contains x if some x in input.none\n'], 't/s', {}, {}), []);
});

test('conflicts abort evaluation with OPA messages', async () => {
  await assert.rejects(evaluate(['package t\np := x if some x in [1, 2]\n'], 't/p'), /complete rules must not produce multiple outputs/);
  await assert.rejects(evaluate(['package t\no[k] := v if { some v in [1, 2]; k := "a" }\n'], 't/o'), /object keys must be unique/);
  await assert.rejects(evaluate(['package t\nf(_) := 1\nf(_) := 2\np := f(0)\n'], 't/p'), /functions must not produce multiple outputs for same inputs/);
});
