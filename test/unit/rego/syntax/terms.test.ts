// Parser tests for terms and expressions: literals, refs, calls, collections, precedence, some/every/with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBody, parseRef } from '../../../../src/rego/syntax/parser.ts';
import { body, expr } from './helpers.ts';
import type { Term } from '../../../../src/rego/syntax/ast.ts';

function term(src: string): Term {
  const r = parseBody('q.rego', src, { regoVersion: 1 });
  assert.deepEqual(r.errors, []);
  const e = r.body![0]!;
  assert.equal(e.body.kind, 'term');
  return (e.body as { term: Term }).term;
}

test('scalars', () => {
  assert.deepEqual(term('null'), { type: 'null', loc: { file: 'q.rego', line: 1, col: 1 } });
  assert.equal(expr('true'), 'true');
  assert.equal(expr('false'), 'false');
  assert.equal(expr('"a\\tb"'), '"a\\tb"');
  assert.equal(expr('`raw\\n`'), '"raw\\\\n"');
});

test('numbers keep their literal text; unary minus folds into literals', () => {
  for (const n of ['0', '1', '3.14', '1e10', '2.5E-3', '123456789012345678901234567890']) {
    assert.deepEqual(term(n), { type: 'number', text: n, loc: { file: 'q.rego', line: 1, col: 1 } });
  }
  assert.equal((term('-1.5e3') as { text: string }).text, '-1.5e3');
  assert.equal((term('- 1') as { text: string }).text, '-1');
  assert.equal((term('-\n  # c\n 7') as { text: string }).text, '-7');
  assert.equal((term('.5') as { text: string }).text, '.5');
  assert.equal(expr('x = 1 - -2'), 'eq(x, minus(1, -2))');
  assert.equal(expr('x - 1'), 'minus(x, 1)');
  assert.equal(expr('x -1'), 'minus(x, 1)');
});

test('vars, wildcards get unique names', () => {
  const b = body('[_, _] = [x, _]');
  assert.deepEqual(b, ['eq([$_0, $_1], [x, $_2])']);
  const t = term('_');
  assert.deepEqual(t, { type: 'var', name: '$_0', wildcard: true, loc: { file: 'q.rego', line: 1, col: 1 } });
});

test('refs: dots, brackets, data/input alone, keywords after dots', () => {
  assert.equal(expr('data.a.b[x]["c d"][0]'), 'data.a.b[x]["c d"][0]');
  const r = term('input.x[y]');
  assert.equal(r.type, 'ref');
  if (r.type !== 'ref') return;
  assert.deepEqual(r.head, { type: 'var', name: 'input', loc: { file: 'q.rego', line: 1, col: 1 } });
  assert.deepEqual(r.path.map((p) => p.type), ['string', 'var']);
  assert.deepEqual(r.path[0]!.loc, { file: 'q.rego', line: 1, col: 7 });
  assert.deepEqual(term('input'), { type: 'ref', head: { type: 'var', name: 'input', loc: r.head.loc }, path: [], loc: r.head.loc });
  assert.equal(term('data').type, 'ref');
  assert.equal(term('x').type, 'var');
  assert.equal(expr('input.package.if.in.every.contains.some.not.with.as.default.else.import.null.true.false == 1'),
    'equal(input.package.if.in.every.contains.some.not.with.as.default.else.import.null.true.false, 1)');
});

test('refs need adjacency: a space ends the ref', () => {
  assert.deepEqual(body('x := a\n[1]'), ['assign(x, a)', '[1]']);
  assert.equal(expr('f(x)[0].y'), 'f(x)[0].y');
  assert.equal(expr('[1, 2][i]'), '[1, 2][i]');
  assert.equal(expr('{"a": 1}.a'), '{"a": 1}.a');
  assert.equal(expr('{x | x := 1}[y]'), '{x | assign(x, 1)}[y]');
});

test('calls: plain, dotted, no args, set()', () => {
  assert.equal(expr('count(x)'), 'count(x)');
  assert.equal(expr('time.now_ns()'), 'time.now_ns()');
  assert.equal(expr('data.lib.f(1, 2)'), 'data.lib.f(1, 2)');
  const s = term('set()');
  assert.deepEqual(s, { type: 'set', items: [], loc: { file: 'q.rego', line: 1, col: 1 } });
  const c = term('f(x, y)');
  assert.equal(c.type, 'call');
  if (c.type === 'call') {
    assert.deepEqual(c.operator.head, { type: 'var', name: 'f', loc: { file: 'q.rego', line: 1, col: 1 } });
    assert.equal(c.operator.path.length, 0);
    assert.equal(c.args.length, 2);
  }
  assert.equal(expr('contains("abc", "b")'), 'contains("abc", "b")');
});

test('collections: arrays, sets, objects, empty ones, trailing commas', () => {
  assert.equal(expr('[]'), '[]');
  assert.equal(expr('[1, "a", [2],]'), '[1, "a", [2]]');
  assert.equal(expr('{}'), '{}');
  assert.equal(term('{}').type, 'object');
  assert.equal(expr('{1, 2,}'), '{1, 2}');
  assert.equal(term('{1}').type, 'set');
  assert.equal(expr('{"a": 1, "b": [x], 3: {},}'), '{"a": 1, "b": [x], 3: {}}');
  assert.equal(expr('{"a": 1 + 2, x.y: f(z)}'), '{"a": plus(1, 2), x.y: f(z)}');
  assert.equal(expr('[1 + 2, x | y]'), '[plus(1, 2), or(x, y)]');
});

test('comprehensions', () => {
  assert.equal(expr('[x | x := input[_]]'), '[x | assign(x, input[$_0])]');
  assert.equal(expr('{x | some x in y; x > 1}'), '{x | some x in y; gt(x, 1)}');
  assert.equal(expr('{k: v | some k, v in obj}'), '{k: v | some k, v in obj}');
  assert.equal(expr('{a + 1: b | b := a}'), '{plus(a, 1): b | assign(b, a)}');
  assert.equal(expr('[x |\n  x := 1\n  x > 0\n]'), '[x | assign(x, 1); gt(x, 0)]');
  // `[a | b, c]` is not a comprehension: OPA reads an array holding or(a, b)
  assert.equal(expr('[a | b, c]'), '[or(a, b), c]');
  assert.equal(expr('{a | b}'), '{a | b}');
});

test('precedence follows OPA: in < relations < | < & < + - < * / %', () => {
  assert.equal(expr('x := 1 + 2 * 3'), 'assign(x, plus(1, mul(2, 3)))');
  assert.equal(expr('x = (1 + 2) * 3'), 'eq(x, mul(plus(1, 2), 3))');
  assert.equal(expr('a - b - c'), 'minus(minus(a, b), c)');
  assert.equal(expr('a / b % c * d'), 'mul(rem(div(a, b), c), d)');
  assert.equal(expr('a | b & c'), 'or(a, and(b, c))');
  assert.equal(expr('a & b | c'), 'or(and(a, b), c)');
  assert.equal(expr('a | b == c & d'), 'equal(or(a, b), and(c, d))');
  assert.equal(expr('a + 1 < b * 2'), 'lt(plus(a, 1), mul(b, 2))');
  assert.equal(expr('a == b != c'), 'neq(equal(a, b), c)');
  assert.equal(expr('x in xs == true'), 'internal.member_2(x, equal(xs, true))');
  assert.equal(expr('x in xs in ys'), 'internal.member_2(internal.member_2(x, xs), ys)');
  assert.equal(expr('k, v in obj'), 'internal.member_3(k, v, obj)');
  assert.equal(expr('y := x in xs'), 'assign(y, internal.member_2(x, xs))');
  assert.equal(expr('f(a, b in c)'), 'f(a, internal.member_2(b, c))');
  assert.equal(expr('[k, v in xs]'), '[k, internal.member_2(v, xs)]');
  for (const [op, name] of [['<=', 'lte'], ['>=', 'gte'], ['>', 'gt'], ['%', 'rem']] as const) {
    assert.equal(expr(`a ${op} b`), `${name}(a, b)`);
  }
});

test('infix calls take the location of their left operand; operator refs that of the operator', () => {
  const t = term('  a + b');
  assert.equal(t.type, 'call');
  if (t.type !== 'call') return;
  assert.deepEqual(t.loc, { file: 'q.rego', line: 1, col: 3 });
  assert.deepEqual(t.operator.loc, { file: 'q.rego', line: 1, col: 5 });
  assert.equal(t.operator.head.type === 'var' && t.operator.head.name, 'plus');
});

test('not, some, some-in, every, with', () => {
  assert.equal(expr('not p'), 'not p');
  assert.equal(expr('not input.x == 1'), 'not equal(input.x, 1)');
  assert.equal(expr('some x, y'), 'some x, y');
  assert.equal(expr('some x in xs'), 'some x in xs');
  assert.equal(expr('some k, v in {"a": 1}'), 'some k, v in {"a": 1}');
  assert.equal(expr('some [a, b] in pairs'), 'some [a, b] in pairs');
  assert.equal(expr('every x in xs { x > 0 }'), 'every x in xs { gt(x, 0) }');
  assert.equal(expr('every k, v in o {\n k != v\n v > 1 }'), 'every k, v in o { neq(k, v); gt(v, 1) }');
  assert.equal(expr('p with input as {"a": 1} with data.x as 2'), 'p with input as {"a": 1} with data.x as 2');
  assert.equal(expr('f(1) with f as g'), 'f(1) with f as g');
  assert.equal(expr('not p with input.x as 1'), 'not p with input.x as 1');
  assert.equal(expr('x := input.not'), 'assign(x, input.not)');
});

test('body separators: newlines and semicolons', () => {
  assert.deepEqual(body('a; b\nc\n\n  d; e'), ['a', 'b', 'c', 'd', 'e']);
});

test('v0 dialect: in/every/if/contains are plain names until imported', () => {
  assert.equal(expr('in := 1', 0), 'assign(in, 1)');
  assert.equal(expr('every := contains(x, "a")', 0), 'assign(every, contains(x, "a"))');
  assert.equal(expr('x = if', 0), 'eq(x, if)');
});

test('parseRef reads queries and entrypoint refs', () => {
  const r = parseRef('data.test.x');
  assert.ok(r);
  assert.deepEqual(r.path.map((p) => p.type === 'string' && p.value), ['test', 'x']);
  assert.equal(parseRef('data')?.path.length, 0);
  assert.equal(parseRef('data.a["b c"][0]')?.path.length, 3);
  assert.equal(parseRef('data.x.if')?.path.length, 2);
  assert.equal(parseRef('x'), undefined);
  assert.equal(parseRef('data.x y'), undefined);
  assert.equal(parseRef('1 + 2'), undefined);
  assert.equal(parseRef(''), undefined);
  assert.equal(parseRef('data.'), undefined);
});
