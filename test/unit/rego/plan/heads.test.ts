// Rule heads lowered to the right documents: multi-value rules with ref heads keep constant elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueOf } from './evaluate.ts';

test('a partial set with a ref head keeps a constant element equal to the last ref part', async () => {
  const got = await valueOf(
    [
      `package t
a.b contains "b"
a.b contains "c"
c contains "c"
d.e contains x if some x in ["e", "f"]
`,
    ],
    't',
  );
  assert.deepEqual(got, { a: { b: ['b', 'c'] }, c: ['c'], d: { e: ['e', 'f'] } });
});

test('the input document is undefined when the caller gives none', async () => {
  const { evaluate } = await import('./evaluate.ts');
  const src = ['package t\ndefault has_input := false\nhas_input if input\nwhole := input\n'];
  assert.deepEqual(await evaluate(src, 't/has_input'), [{ result: false }]);
  assert.deepEqual(await evaluate(src, 't/whole'), []);
  assert.deepEqual(await evaluate(src, 't/has_input', { input: { a: 1 } }), [{ result: true }]);
});

test('a default with a constant key defaults that key of a partial object only', async () => {
  const got = await valueOf(
    [
      `package t
default complex[true] := "bool_true"
default complex[false] := "bool_false"
complex["hello"] := "world"
complex[false] := "given" if input.x
`,
    ],
    't/complex',
    { input: { x: 1 } },
  );
  assert.deepEqual(got, { true: 'bool_true', false: 'given', hello: 'world' });
});

test('a multi-value rule with a variable key and one at a constant path below it add to the same set', async () => {
  const got = await valueOf(
    ['package t\npeers[a] contains b if { some a in ["m", "n"]; some b in ["m", "n"]; a != b }\npeers.m contains "extra"\npeers.o contains "solo"\n'],
    't/peers',
  );
  assert.deepEqual(got, { m: ['extra', 'n'], n: ['m'], o: ['solo'] });
});

test('a rule writing inside a value another rule produced is a conflict; disjoint depths are fine', async () => {
  const { evaluate } = await import('./evaluate.ts');
  await assert.rejects(evaluate(['package t\nt[k].cfg := {"x": {"y": 1}} if k := "only"\nt.only.cfg.x.z := 2\n'], 't/t'), /object keys must be unique|conflict/);
  const ok = await valueOf(['package t\nt[k].cfg := 1 if k := "a"\nt.b.cfg.x := 2\nt.a.other := 3\n'], 't/t');
  assert.deepEqual(ok, { a: { cfg: 1, other: 3 }, b: { cfg: { x: 2 } } });
});
