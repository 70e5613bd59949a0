// Unit tests of the planner's IR: the statements each Rego construct lowers to (readable with printPolicy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModule } from '../../../../src/rego/syntax/parser.ts';
import { compileToIR, entrypointPath } from '../../../../src/rego/plan/index.ts';
import { printPolicy, type Block, type Func, type Policy, type Stmt } from '../../../../src/rego/plan/ir.ts';

function plan(text: string, entrypoints: string[]): Policy {
  const parsed = parseModule('p.rego', text, { regoVersion: 1 });
  assert.deepEqual(parsed.errors, []);
  const r = compileToIR([parsed.module!], { entrypoints });
  assert.deepEqual(r.errors, []);
  return r.policy!;
}

function stmts(blocks: Block[]): Stmt[] {
  const out: Stmt[] = [];
  const walk = (b: Block) => {
    for (const s of b.stmts) {
      out.push(s);
      if ('block' in s) walk(s.block);
      if ('blocks' in s) s.blocks.forEach(walk);
    }
  };
  blocks.forEach(walk);
  return out;
}

function func(p: Policy, path: string): Func {
  const f = p.funcs.find((x) => x.path.join('.') === path && !x.name.includes('#'));
  assert.ok(f, `no function for ${path}\n${printPolicy(p)}`);
  return f;
}

const ops = (f: Func | { blocks: Block[] }) => stmts(f.blocks).map((s) => s.op);

test('entrypoint paths follow OPA: slashes, data prefix, whole document', () => {
  assert.deepEqual(entrypointPath('airlock/decision'), ['data', 'airlock', 'decision']);
  assert.deepEqual(entrypointPath('test'), ['data', 'test']);
  assert.deepEqual(entrypointPath(''), ['data']);
  assert.deepEqual(entrypointPath('data'), ['data']);
  assert.deepEqual(entrypointPath('data.a.b'), ['data', 'a', 'b']);
});

test('each entrypoint is a plan named as given that adds the value to the result set', () => {
  const p = plan('package a\n\nb := 1\n', ['a/b', 'a', '']);
  assert.deepEqual(p.plans.map((x) => x.name), ['a/b', 'a', '']);
  for (const pl of p.plans) assert.deepEqual(ops(pl).slice(-2), ['call', 'resultSetAdd'], printPolicy(p));
  assert.equal(p.externalBuiltins.length, 0);
});

test('complete rules assign once with the conflict message; default falls back when undefined', () => {
  const p = plan('package t\n\ndefault allow := false\n\nallow if input.x == 1\n', ['t/allow']);
  const f = func(p, 'data.t.allow');
  assert.equal(f.memoize, true);
  assert.deepEqual(f.params, [0, 1]);
  const all = stmts(f.blocks);
  const once = all.find((s) => s.op === 'assignVarOnce');
  assert.ok(once && once.op === 'assignVarOnce' && once.message === 'complete rules must not produce multiple outputs');
  const iu = all.findIndex((s) => s.op === 'isUndefined');
  assert.ok(iu > all.indexOf(once!), 'default comes after the definitions');
  assert.equal(all[iu + 1]!.op, 'assignVar');
});

test('partial sets and objects accumulate into a collection; object keys insert once', () => {
  const p = plan('package t\n\ns contains x if some x in input.xs\n\no[k] := v if some k, v in input.m\n', ['t']);
  const s = ops(func(p, 'data.t.s'));
  assert.equal(s[0], 'makeSet');
  assert.ok(s.includes('scan') && s.includes('setAdd'));
  const all = stmts(func(p, 'data.t.o').blocks);
  assert.equal(all[0]!.op, 'makeObject');
  const ins = all.find((x) => x.op === 'objectInsertOnce');
  assert.ok(ins && ins.op === 'objectInsertOnce' && ins.message === 'object keys must be unique');
});

test('functions take their arguments after input and data and are not memoized', () => {
  const p = plan('package t\n\nf(x, y) := x + y\n\nf(x, 0) := x\n\nr := f(1, 2)\n', ['t/r']);
  const f = func(p, 'data.t.f');
  assert.deepEqual(f.params, [0, 1, 2, 3]);
  assert.equal(f.memoize, false);
  const once = stmts(f.blocks).filter((s) => s.op === 'assignVarOnce');
  assert.equal(once.length, 2);
  assert.ok(once.every((s) => s.op === 'assignVarOnce' && s.message === 'functions must not produce multiple outputs for same inputs'));
  const call = stmts(func(p, 'data.t.r').blocks).find((s) => s.op === 'call');
  assert.ok(call && call.op === 'call' && call.func === f.name && call.args.length === 4);
});

test('else chains try each body only while no earlier one succeeded', () => {
  const p = plan('package t\n\nv := 1 if input.a else := 2 if input.b else := 3\n', ['t/v']);
  const o = ops(func(p, 'data.t.v'));
  assert.equal(o.filter((x) => x === 'isUndefined').length, 2, printPolicy(p));
  assert.ok(o.includes('isDefined'));
});

test('every is planned as the absence of a counterexample', () => {
  const p = plan('package t\n\nok if every x in input.xs { x > 0 }\n', ['t/ok']);
  const o = ops(func(p, 'data.t.ok'));
  const notAt = o.indexOf('not');
  assert.ok(notAt >= 0 && o.indexOf('scan') > notAt && o.lastIndexOf('not') > o.indexOf('scan'), printPolicy(p));
});

test('with on input plans a with statement; with on a rule re-plans its dependents', () => {
  const p = plan('package t\n\na := input.x\n\nb := a + 1\n\nc := y if y := b with input.x as 1\n\nd := y if y := b with data.t.a as 5\n', ['t/c', 't/d']);
  const c = stmts(func(p, 'data.t.c').blocks);
  const w = c.find((s) => s.op === 'with');
  assert.ok(w && w.op === 'with' && w.local === 0 && p.strings[w.path[0]!] === 'x');
  const variants = p.funcs.filter((f) => f.name.includes('#with')).map((f) => f.path.join('.'));
  assert.deepEqual(variants, ['data.t.b'], 'b depends on the replaced rule; a itself is read from data');
});

test('queries on a package merge rule values over base data; functions are left out', () => {
  const p = plan('package t\n\nx := 1\n\nf(a) := a\n', ['t']);
  const doc = p.funcs.find((f) => f.path.join('.') === 'data.t' && f.name.startsWith('g'));
  assert.ok(doc);
  const all = stmts(doc.blocks);
  assert.ok(all.some((s) => s.op === 'objectMerge'));
  const inserted = all.filter((s) => s.op === 'objectInsert').map((s) => (s.op === 'objectInsert' && s.key.kind === 'string' ? p.strings[s.key.index] : '?'));
  assert.deepEqual(inserted, ['x']);
});

test('builtin calls and relations: walk is scanned', () => {
  const p = plan('package t\n\nn := count(input.xs)\n\npaths contains q if walk(input, [q, _])\n', ['t']);
  const n = stmts(func(p, 'data.t.n').blocks).find((s) => s.op === 'callBuiltin');
  assert.ok(n && n.op === 'callBuiltin' && n.name === 'count');
  const w = ops(func(p, 'data.t.paths'));
  assert.ok(w.indexOf('callBuiltin') < w.indexOf('scan'));
});

test('compile errors come back instead of a policy', () => {
  const parsed = parseModule('p.rego', 'package t\n\np if x\n', { regoVersion: 1 });
  const r = compileToIR([parsed.module!], { entrypoints: ['t/p'] });
  assert.equal(r.policy, undefined);
  assert.deepEqual(r.errors.map((e) => [e.code, e.loc.line]), [['rego_unsafe_var_error', 3]]);
});

test('printPolicy shows literal numbers as values and locals as %n', () => {
  const text = printPolicy(plan('package t\np := 7\nq := 12345678901234567890\nr := x if x := p with input.a as 1\n', ['t/p', 't/q', 't/r']));
  assert.match(text, /makeNumberInt value=7 target=%\d+/);
  assert.match(text, /makeNumberRef number=12345678901234567890 target=%\d+/);
  assert.match(text, /with local=%0 path=\["a"\]/);
  assert.doesNotMatch(text, /makeNumberInt value=%/);
});

test('print(a, b) collects each argument into a set and calls internal.print with the array of sets', () => {
  const p = plan('package t\np if {\n  x := 1\n  print("x is", x, input.missing)\n  x > 0\n}\n', ['t/p']);
  const body = stmts(func(p, 'data.t.p').blocks);
  const call = body.find((s) => s.op === 'callBuiltin');
  assert.ok(call && call.op === 'callBuiltin', printPolicy(p));
  assert.equal(call.name, 'internal.print');
  assert.equal(call.args.length, 1);
  const arr = body.find((s) => s.op === 'makeArray');
  assert.ok(arr && arr.op === 'makeArray' && arr.capacity === 3, printPolicy(p));
  assert.equal(body.filter((s) => s.op === 'arrayAppend').length, 3);
  // one set per argument, each filled inside its own block so an undefined argument leaves it empty
  assert.equal(body.filter((s) => s.op === 'makeSet').length, 3);
  assert.equal(body.filter((s) => s.op === 'setAdd').length, 3);
  // the body goes on after the print: the comparison x > 0 follows the print call
  const o = ops(func(p, 'data.t.p'));
  assert.ok(o.lastIndexOf('callBuiltin') < o.length - 1, printPolicy(p));
});

test('print arguments must be safe; a reference inside an argument may iterate', () => {
  const bad = compileToIR([parseModule('p.rego', 'package t\np if {\n  print(y)\n}\n', { regoVersion: 1 }).module!], { entrypoints: ['t/p'] });
  assert.deepEqual(bad.errors.map((e) => `${e.loc.line}:${e.loc.col} ${e.code} ${e.message}`), ['3:9 rego_unsafe_var_error var y is unsafe']);
  const ok = compileToIR([parseModule('p.rego', 'package t\np if {\n  print(input.xs[i])\n  print(z)\n  z = 2\n}\n', { regoVersion: 1 }).module!], { entrypoints: ['t/p'] });
  assert.deepEqual(ok.errors, []);
});
