// Unit tests of the compile passes: errors with code and position, reordering for safety, resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModule } from '../../../../src/rego/syntax/parser.ts';
import { compileModules } from '../../../../src/rego/compile/index.ts';
import type { Module, RegoError } from '../../../../src/rego/syntax/ast.ts';
import { termText } from '../../../../src/rego/compile/terms.ts';

function modules(sources: string[], regoVersion: 0 | 1 = 1): Module[] {
  return sources.map((text, i) => {
    const r = parseModule(`m${i}.rego`, text, { regoVersion });
    assert.deepEqual(r.errors, [], `parse errors in module ${i}`);
    return r.module!;
  });
}

function errorsOf(text: string, regoVersion: 0 | 1 = 1): RegoError[] {
  return compileModules(modules([text], regoVersion)).errors;
}

function brief(errs: RegoError[]): string[] {
  return errs.map((e) => `${e.loc.file}:${e.loc.line}:${e.loc.col} ${e.code} ${e.message.split('\n')[0]}`);
}

test('unsafe variables are reported at the variable', () => {
  const errs = errorsOf('package t\n\np if {\n  x > 1\n}\n');
  assert.deepEqual(brief(errs), ['m0.rego:4:3 rego_unsafe_var_error var x is unsafe']);
});

test('unsafe variable in a rule head', () => {
  const errs = errorsOf('package t\n\np := y if {\n  x := 1\n}\n');
  assert.deepEqual(brief(errs), ['m0.rego:3:6 rego_unsafe_var_error var y is unsafe']);
});

test('a negated expression cannot bind, but may use a wildcard', () => {
  assert.deepEqual(brief(errorsOf('package t\n\np if not input.xs[x]\n')), ['m0.rego:3:19 rego_unsafe_var_error var x is unsafe']);
  assert.deepEqual(errorsOf('package t\n\np if not input.xs[_]\n'), []);
});

test('bodies are reordered so generators precede consumers', () => {
  const r = compileModules(modules(['package t\n\np if {\n  x > 1\n  y := x + 1\n  x = input.n\n}\n']));
  assert.deepEqual(r.errors, []);
  const g = r.program!.groups.get(JSON.stringify(['data', 't', 'p']))!;
  const order = g.defs[0]!.rule.body.map((e) => (e.body.kind === 'term' ? termText(e.body.term) : e.body.kind));
  assert.deepEqual(order, ['eq(x, input.n)', 'gt(x, 1)', 'assign(y, plus(x, 1))']);
});

test('comprehensions close over outer variables bound later in the body', () => {
  assert.deepEqual(errorsOf('package t\n\np := n if {\n  n := count([y | some y in input.xs; y > m])\n  m = 2\n}\n'), []);
  // A var declared with := after the closure is a different variable: the closure's is unbound.
  assert.deepEqual(errorsOf('package t\n\np := n if {\n  n := count([y | some y in input.xs; y > m])\n  m := 2\n}\n').map((e) => e.code), ['rego_unsafe_var_error']);
});

test('recursion between rules is an error naming the cycle', () => {
  const errs = errorsOf('package t\n\np if q\n\nq if p\n');
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.code, 'rego_recursion_error');
  assert.match(errs[0]!.message, /data\.t\.(p|q) is recursive: .*->/);
  assert.equal(errs[0]!.loc.file, 'm0.rego');
});

test('a rule reading its own package is recursive', () => {
  const errs = errorsOf('package t\n\np := count(data.t)\n');
  assert.deepEqual(errs.map((e) => e.code), ['rego_recursion_error']);
});

test('unknown functions are named at their location', () => {
  assert.deepEqual(brief(errorsOf('package t\n\np := nosuch.fn(1)\n')), ['m0.rego:3:6 rego_type_error undefined function nosuch.fn']);
});

test('deprecated builtins exist in v0 only', () => {
  assert.deepEqual(errorsOf('package t\n\np { re_match("a", "a") }\n', 0), []);
  const errs = errorsOf('package t\n\np if re_match("a", "a")\n');
  assert.deepEqual(errs.map((e) => e.code), ['rego_type_error']);
  assert.match(errs[0]!.message, /undefined function re_match/);
});

test('arity and literal argument types are checked', () => {
  assert.deepEqual(brief(errorsOf('package t\n\np := abs("x")\n')), ['m0.rego:3:6 rego_type_error abs: invalid argument(s)']);
  assert.deepEqual(brief(errorsOf('package t\n\np := "1" + 9\n')).map((s) => s.replace(/:\d+ rego/, ' rego')), ['m0.rego:3 rego_type_error plus: invalid argument(s)']);
  assert.deepEqual(errorsOf('package t\n\np := count(1)\n').map((e) => e.code), ['rego_type_error']);
  assert.deepEqual(brief(errorsOf('package t\n\np := count([1], 2, 3)\n')), ['m0.rego:3:6 rego_type_error count: arity mismatch: expects 1 argument, got 3']);
  assert.deepEqual(errorsOf('package t\n\np if count([1], 1)\n'), [], 'an extra argument at expression level is an output');
  assert.deepEqual(errorsOf('package t\n\np := concat(",", ["a", input.x])\n'), [], 'unknown element types are accepted');
  assert.deepEqual(errorsOf('package t\n\np := concat(",", [1])\n').map((e) => e.code), ['rego_type_error']);
});

test('user function arity is checked', () => {
  assert.deepEqual(errorsOf('package t\n\nf(x) := x\n\np := f(1, 2, 3)\n').map((e) => e.code), ['rego_type_error']);
});

test(':= misuse: redeclaration, reference before, argument rebinding; v0 may shadow input', () => {
  assert.deepEqual(brief(errorsOf('package t\n\np if {\n  x := 1\n  x := 2\n}\n')), ['m0.rego:5:3 rego_compile_error var x assigned above']);
  assert.deepEqual(brief(errorsOf('package t\n\np if {\n  x = 1\n  x := 2\n}\n')), ['m0.rego:5:3 rego_compile_error var x referenced above']);
  assert.deepEqual(errorsOf('package t\n\np {\n  input := 1\n  input > 0\n}\n', 0), [], 'v0 allows shadowing input');
  assert.deepEqual(errorsOf('package t\n\nf(x) := y if {\n  x := 1\n  y := x\n}\n').map((e) => e.code), ['rego_compile_error']);
});

test('rule definitions must agree: kinds and defaults', () => {
  assert.deepEqual(errorsOf('package t\n\np := 1\n\np contains 2\n').map((e) => `${e.code} ${e.message}`), ['rego_type_error conflicting rules data.t.p found']);
  assert.deepEqual(errorsOf('package t\n\ndefault p := 1\n\ndefault p := 2\n').map((e) => `${e.loc.line} ${e.message}`), ['5 multiple default rules data.t.p found']);
});

test('imports and package-relative names resolve to data and input', () => {
  const r = compileModules(
    modules([
      'package lib\n\nf(x) := x + 1\n\nv := 2\n',
      'package t\n\nimport data.lib\nimport data.lib.v as value\nimport input.user\n\np := lib.f(value) if user.name == "a"\n\nq := p\n',
    ]),
  );
  assert.deepEqual(r.errors, []);
  const p = r.program!.groups.get(JSON.stringify(['data', 't', 'p']))!.defs[0]!.rule;
  assert.equal(termText(p.head.value!), 'data.lib.f(data.lib.v)');
  assert.equal(p.body[0]!.body.kind === 'term' && termText(p.body[0]!.body.term), 'equal(input.user.name, "a")');
  const q = r.program!.groups.get(JSON.stringify(['data', 't', 'q']))!.defs[0]!.rule;
  assert.equal(termText(q.head.value!), 'data.t.p');
});

test('several errors are collected, never thrown', () => {
  const errs = errorsOf('package t\n\na if x\n\nb := nope(1)\n\nc := abs("s")\n');
  assert.deepEqual(errs.map((e) => e.code).sort(), ['rego_type_error', 'rego_type_error', 'rego_unsafe_var_error']);
});

test('with may replace a whole rule but not part of its value (OPA: cannot partially replace)', () => {
  const errs = errorsOf(`package t
p := {"a": 1}
q := x if { x := p with data.t.p.a as 2 }
r := x if { x := p with data.t.p as {"a": 3} }
s := [x | x := p with data.t.p.a as 2]
`);
  assert.deepEqual(brief(errs), [
    'm0.rego:3:25 rego_compile_error with keyword cannot partially replace virtual document(s)',
    'm0.rego:5:23 rego_compile_error with keyword cannot partially replace virtual document(s)',
  ]);
});

test('types of local variables are inferred, as OPA does, for builtin argument checks', () => {
  const msg = (text: string) => brief(errorsOf(text));
  assert.deepEqual(msg('package t\n\np if {\n  x := 1\n  y := x + "a"\n  y > 0\n}\n'), ['m0.rego:5:8 rego_type_error plus: invalid argument(s)']);
  assert.deepEqual(msg('package t\n\np if {\n  some x in [1, 2]\n  startswith(x, "a")\n}\n'), ['m0.rego:5:3 rego_type_error startswith: invalid argument(s)']);
  assert.deepEqual(msg('package t\n\np if {\n  count([1], n)\n  lower(n)\n}\n'), ['m0.rego:5:3 rego_type_error lower: invalid argument(s)']);
});

test('rule and function values are not typed: an ill-typed rule argument is undefined at run time (lead decision)', () => {
  const none = (text: string) => assert.deepEqual(brief(errorsOf(text)), [], text);
  none('package t\n\nn := 5\n\np := upper(n)\n');
  none('package t\n\ny if false\n\nz := abs(y)\n');
  none('package t\n\ng(_) := 7\n\ns := lower(g(1))\n');
  none('package t\n\nnames contains "a"\n\nu := upper(names)\n');
  none('package t\n\nr6 if false\n\nr7 if {\n  some x in r6\n}\n');
});

test('type inference never rejects valid programs: unknown, mixed and scoped types are accepted', () => {
  const none = (text: string) => assert.deepEqual(brief(errorsOf(text)), [], text);
  none('package t\n\np := x if {\n  x := input.a\n  y := x + 1\n  y > 0\n}\n');
  none('package t\n\nv := 1 if input.a else := "s"\n\nq := upper(v) if is_string(v)\n');
  none('package t\n\np if {\n  xs := [y | y := 1]\n  zs := [y | y := "a"]\n  upper(zs[0])\n  count(xs) > 0\n}\n');
  none('package t\n\nr := data.t.r2\n\nr2 := 1 if false\n\nrec := upper(r) if false\n'.replace('rec := upper(r) if false', 'ok := r + 1'));
  none('package t\n\nx := {"a": 1}\n\np := x.a + 1\n');
  none('package t\n\nf(x) := upper(x)\n\np := f("a")\n');
});

test('function parameter types come from how the body uses them, and calls are checked against them (OPA)', () => {
  const msg = (text: string) => brief(errorsOf(text));
  assert.deepEqual(msg('package t\n\nfcn(x) := y if {\n  y := x + 1\n}\n\na := fcn("world")\n'), ['m0.rego:7:6 rego_type_error data.t.fcn: invalid argument(s)']);
  assert.deepEqual(msg('package t\n\nf(x) := y if {\n  y := x + 1\n  upper(x)\n}\n'), ['m0.rego:5:3 rego_type_error upper: invalid argument(s)']);
  assert.deepEqual(msg('package t\n\nf(x) := upper(x)\n\ng := f(1)\n'), ['m0.rego:5:6 rego_type_error data.t.f: invalid argument(s)']);
  assert.deepEqual(msg('package t\n\nf(x) := x\n\ng := f(1)\nh := f("a")\n'), [], 'an unused parameter is any');
  assert.deepEqual(msg('package t\n\nf(x) := x + 1\n\nf(x) := upper(x) if false\n\ng := f("a")\n'), [], 'definitions that disagree are not checked');
});

test('array patterns against arrays of another known length are type errors (OPA match error)', () => {
  const codes = (text: string) => brief(errorsOf(text)).map((l) => l.replace(/ match error.*/, ' match error'));
  assert.deepEqual(codes('package t\n\np if {\n  some [x, y] in [[1, 2, 3]]\n}\n'), ['m0.rego:4:8 rego_type_error match error']);
  assert.deepEqual(codes('package t\n\np if {\n  pair := [1, 2, 3]\n  [a, b] := pair\n}\n'), ['m0.rego:5:3 rego_type_error match error']);
  assert.deepEqual(codes('package t\n\np if {\n  some [1] in [[1, 2], [1]]\n}\n'), [], 'elements of different lengths may match');
  assert.deepEqual(codes('package t\n\np if {\n  some [x, y] in [[1, 2]]\n  x < y\n}\n'), []);
});
