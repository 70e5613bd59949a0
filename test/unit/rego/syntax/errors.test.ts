// Parser error tests: code, line, column and message for bad Rego; several errors per file; no crash on garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBody, parseModule } from '../../../../src/rego/syntax/parser.ts';
import { errors } from './helpers.ts';

const P = 'package p\n';

test('Rego v1 rule checks, with OPA\'s messages', () => {
  assert.deepEqual(errors(P + 'p { true }'), ['2:1 `if` keyword is required before rule body']);
  assert.deepEqual(errors(P + 'f(x) { true }'), ['2:1 `if` keyword is required before function body']);
  assert.deepEqual(errors(P + 'p[x] { x := 1 }'), [
    '2:1 `if` keyword is required before rule body',
    '2:1 `contains` keyword is required for partial set rules',
  ]);
  assert.deepEqual(errors(P + 'p[x]'), ['2:1 `contains` keyword is required for partial set rules']);
  assert.deepEqual(errors(P + 'a.b.c'), ['2:1 rule must have value assignment and/or body declaration']);
  assert.deepEqual(errors(P + 'p := 1 if { true } else = 2 { false }'), ['2:20 `if` keyword is required before rule body']);
  // the same module in v0 mode is fine, but `import rego.v1` makes the v1 checks apply
  assert.equal(parseModule('t.rego', P + 'p { true }', { regoVersion: 0 }).errors.length, 0);
  assert.deepEqual(errors(P + 'import rego.v1\np { true }', 0), ['3:1 `if` keyword is required before rule body']);
});

test('module structure: package expected, empty, duplicate package', () => {
  assert.deepEqual(errors('p := 1'), ['1:1 package expected']);
  assert.deepEqual(errors(''), ['1:1 empty module']);
  assert.deepEqual(errors('# only a comment\n'), ['1:1 empty module']);
  assert.deepEqual(errors(P + 'package q'), ['2:1 unexpected package']);
});

test('unexpected tokens say what was expected', () => {
  assert.deepEqual(errors(P + 'p if { x := 1; }'), ['2:16 unexpected `}`: expected expression']);
  assert.deepEqual(errors(P + 'p if { x := 1 }}'), ['2:16 unexpected `}`: expected rule, `import` or `package`']);
  assert.deepEqual(errors(P + 'p if { x := [1, 2 }'), ['2:19 unexpected `}`: expected `,` or `]`']);
  assert.deepEqual(errors(P + 'x := {"a": 1 "b"}'), ['2:14 unexpected string "b": expected `,` or `}` in object']);
  assert.deepEqual(errors(P + 'x := f(1 2)'), ['2:10 unexpected number 2: expected `,` or `)`']);
  assert.deepEqual(errors(P + 'x := (1 + 2'), ['2:12 unexpected end of file: expected `)` closing the parenthesized expression']);
  assert.deepEqual(errors(P + 'p if'), ['2:5 unexpected end of file: expected expression']);
  assert.deepEqual(errors(P + 'p == 1'), ['2:3 unexpected `==`: expected rule value (`:=` or `=`) or body after rule head']);
  assert.deepEqual(errors(P + 'if := 1'), ['2:1 unexpected keyword `if`: expected rule name']);
  assert.deepEqual(errors(P + 'p if { x := 1 }\n  q := input. y'), ['3:15 unexpected `y`: expected a name after `.`']);
});

test('assignment and unification only at the top of an expression', () => {
  assert.deepEqual(errors(P + 'p if { [x := 1] }'), ['2:11 unexpected `:=`: expected `,` or `]`']);
  assert.deepEqual(errors(P + 'p if { f(x := 1) }'), ['2:12 unexpected `:=`: expected `,` or `)`']);
  assert.deepEqual(errors(P + 'p if { a := b := c }'), ['2:15 unexpected `:=`: expected a new line, `;` or `}`']);
});

test('rule head mistakes', () => {
  assert.deepEqual(errors(P + 'p'), ['2:1 var cannot be used for rule name: `p` needs a value (`:=`) or a body']);
  assert.deepEqual(errors(P + '"a" := 1'), ['2:1 string cannot be used for rule name']);
  assert.deepEqual(errors(P + 'true := 1'), ['2:1 boolean cannot be used for rule name']);
  assert.deepEqual(errors(P + 'f(x).y := 1'), ['2:1 invalid rule head: a rule name cannot be a call']);
  assert.deepEqual(errors(P + 'p(x) contains 1'),
    ['2:6 the contains keyword can only be used with multi-value rule definitions (e.g., p contains <VALUE> { ... })']);
  assert.deepEqual(errors(P + 'p := 1 { true } { false }', 0),
    ['2:17 rule `p` is defined with `:=` and cannot have several bodies (use separate rules)']);
  assert.deepEqual(errors(P + 'p[x] := 1 if { x := 1 } else := 2'), ['2:25 else keyword cannot be used on rules with variables in head']);
  assert.deepEqual(errors(P + 'p contains x if { x := 1 } else := 2'), ['2:28 else keyword cannot be used on multi-value rules']);
  assert.deepEqual(errors(P + 'p = 1 if { true } else { false } { true }'), ['2:34 expected else keyword']);
  assert.deepEqual(errors(P + 'p := 1 if { true } else'), ['2:24 unexpected end of file: expected else value (`= <value>`) or rule body']);
});

test('default rules must have constant values and plain variable arguments', () => {
  assert.deepEqual(errors(P + 'default p := input.x'), ['2:1 illegal default rule (value cannot contain ref)']);
  assert.deepEqual(errors(P + 'default p := [x]'), ['2:1 illegal default rule (value cannot contain var)']);
  assert.deepEqual(errors(P + 'default p := count([])'), ['2:1 illegal default rule (value cannot contain call)']);
  assert.deepEqual(errors(P + 'default p contains 1'), ['2:1 illegal default rule (must have a value)']);
  assert.deepEqual(errors(P + 'default f(x, x) := 1'), ['2:1 illegal default rule (arguments cannot be repeated x)']);
  assert.deepEqual(errors(P + 'default f(1) := 1'), ['2:1 illegal default rule (arguments cannot contain number)']);
});

test('some, every, not, with misuse', () => {
  assert.deepEqual(errors(P + 'p if { not some x }'), ['2:12 illegal negation of `some`']);
  assert.deepEqual(errors(P + 'p if { not every x in y { x } }'), ['2:12 illegal negation of `every`']);
  assert.deepEqual(errors(P + 'p if { every x in xs }'), ['2:22 unexpected `}`: expected `{` starting the body of `every`']);
  assert.deepEqual(errors(P + 'p if { every 1 in xs { true } }'), ['2:14 expected value to be a variable in `every`']);
  assert.deepEqual(errors(P + 'p if { some 1 }'), ['2:13 unexpected number 1: expected variable after `some`']);
  assert.deepEqual(errors(P + 'p if { some x == 1 }'), ['2:13 expected `x in xs` or `k, v in xs` after `some`']);
  assert.deepEqual(errors(P + 'p if { q with 1 as 2 }'), ['2:15 unexpected number 1: expected a reference to replace after `with`']);
});

test('imports', () => {
  assert.deepEqual(errors(P + 'import foo.bar'), ['2:8 unexpected import path, must begin with one of: {data, future, input, rego}, got: foo']);
  assert.deepEqual(errors(P + 'import future.keywords.foo', 0), ['2:8 unexpected keyword, must be one of [contains every if in]']);
  assert.deepEqual(errors(P + 'import future.keywords as x', 0), ['2:8 `future` imports cannot be aliased']);
  assert.deepEqual(errors(P + 'import future.stuff', 0), ['2:8 invalid import, must be `future.keywords`']);
  assert.deepEqual(errors(P + 'import rego.v2', 0), ['2:8 invalid import `rego.v2`, must be `rego.v1`']);
  assert.deepEqual(errors(P + 'import rego.v1 as r', 0), ['2:8 `rego` imports cannot be aliased']);
  assert.deepEqual(errors(P + 'import data.x[y]', 0), ['2:15 unexpected var: import path elements must be strings']);
  assert.deepEqual(errors(P + 'import input.if'),
    ['2:14 unexpected import path, must not end with a keyword, got: if (hint: import a different path or use an alias)']);
});

test('rego.v1 and future.keywords imports exclude each other in v0 mode', () => {
  const msg = 'the `rego.v1` import implies `future.keywords`, these are therefore mutually exclusive';
  assert.deepEqual(errors(P + 'import rego.v1\nimport future.keywords.in', 0), [`3:8 ${msg}`]);
  assert.deepEqual(errors(P + 'import future.keywords\nimport rego.v1', 0), [`3:8 ${msg}`]);
});

test('Rego v1 module checks: duplicate imports, shadowing input and data (rego_compile_error, as OPA)', () => {
  const check = (src: string, v: 0 | 1 = 1) => {
    const r = parseModule('t.rego', src, { regoVersion: v });
    assert.equal(r.module, undefined);
    return r.errors.map((e) => `${e.code} ${e.loc.line}:${e.loc.col} ${e.message}`);
  };
  assert.deepEqual(check(P + 'import data.foo\nimport data.bar as foo'), ['rego_compile_error 3:1 import must not shadow import data.foo']);
  assert.deepEqual(check(P + 'import rego.v1\nimport rego.v1', 0), ['rego_compile_error 3:1 import must not shadow import rego.v1']);
  assert.deepEqual(check(P + 'input := 1'), ['rego_compile_error 2:1 rules must not shadow input (use a different rule name)']);
  assert.deepEqual(check(P + 'f(data) := 1'), ['rego_compile_error 2:3 args must not shadow data (use a different variable name)']);
  assert.deepEqual(check(P + 'x if {\n  y := [1 | input := 2]\n}'),
    ['rego_compile_error 3:13 variables must not shadow input (use a different variable name)']);
  // v0 modules are not subject to these checks
  assert.equal(parseModule('t.rego', P + 'import data.foo\nimport data.bar as foo', { regoVersion: 0 }).errors.length, 0);
});

test('v0 without future-keyword imports: errors carry a hint', () => {
  assert.deepEqual(errors(P + 'p contains x { x := 1 }', 0), [
    '2:3 unexpected `contains`: expected rule value or body (hint: `import rego.v1` or `import future.keywords.contains` to use `contains` in rule heads)',
  ]);
  assert.deepEqual(errors(P + 'p { some x in [1] }', 0), [
    '2:12 unexpected `in`: expected a new line, `;` or `}` (hint: `import future.keywords.in` for `some x in xs` expressions)',
  ]);
  assert.deepEqual(errors(P + 'p { every x in [1] { x } }', 0), [
    '2:11 unexpected `x`: expected a new line, `;` or `}` (hint: `import future.keywords.every` for `every x in xs { ... }` expressions)',
  ]);
});

test('lexical problems and numbers', () => {
  assert.deepEqual(errors(P + 'x := "abc\ny := 2'), ['2:6 non-terminated string']);
  assert.deepEqual(errors(P + 'x := @'), ['2:6 illegal character `@`']);
  assert.deepEqual(errors(P + 'x := 01'), ['2:6 expected number without leading zero: 01']);
  assert.deepEqual(errors(P + 'x := 1e999999'), ['2:6 number too big: 1e999999']);
  assert.deepEqual(errors(P + 'x := -y'), ['2:7 unexpected `y`: expected a number: unary `-` can only be used with numeric literals']);
  assert.deepEqual(errors(P + 'x := - -1'), ['2:8 unexpected `-`: expected a number: unary `-` can only be used with numeric literals']);
  assert.deepEqual(errors(P + 'x := "a".b'), ['2:6 illegal ref (head cannot be string)']);
});

test('several errors per file: each bad statement is reported, good ones in between parse', () => {
  const src = `package p
a := 1
b if { x := }
c := 2
d if {
  y := [1,
}
e := 3 4
f := 5
g if { h( }
`;
  assert.deepEqual(errors(src), [
    '3:13 unexpected `}`: expected term',
    '7:1 unexpected `}`: expected term',
    '8:8 number cannot be used for rule name',
    '10:11 unexpected `}`: expected term',
  ]);
});

test('a v0 module recovers after the error too', () => {
  const r = parseModule('t.rego', 'package p\np { x := }\nq[x] { x := 1 }\nr = { 1 2 }\n', { regoVersion: 0 });
  assert.deepEqual(r.errors.map((e) => `${e.loc.line}:${e.loc.col}`), ['2:10', '4:9']);
});

test('parseBody reports errors with the given file name', () => {
  const r = parseBody('query.rego', 'x := 1; y :=', { regoVersion: 1 });
  assert.equal(r.body, undefined);
  assert.deepEqual(r.errors, [{ code: 'rego_parse_error', message: 'unexpected end of file: expected term', loc: { file: 'query.rego', line: 1, col: 13 } }]);
});

test('deep nesting is an error, not a stack overflow', () => {
  const deep = P + 'x := ' + '['.repeat(20000) + ']'.repeat(20000);
  const r = parseModule('t.rego', deep, { regoVersion: 1 });
  assert.equal(r.module, undefined);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /too deep/);
});

test('garbage never throws: random token soup always yields a module or located errors', () => {
  const pieces = ['package', 'p', 'q', 'import', 'data', '.', 'x', '[', ']', '{', '}', '(', ')', ':=', '=', '==', 'if', 'else',
    'contains', 'some', 'every', 'in', 'not', 'with', 'as', 'default', '1', '-', '"s"', '`r`', ',', ';', '|', '&', '+', '*',
    '_', '\n', ' ', '#c\n', 'true', 'null', '@', '"', '.5', '1e', 'set()', ':'];
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let n = 0; n < 400; n++) {
    const len = 1 + Math.floor(rand() * 40);
    let src = n % 2 === 0 ? 'package p\n' : '';
    for (let i = 0; i < len; i++) src += pieces[Math.floor(rand() * pieces.length)] + (rand() < 0.5 ? ' ' : '');
    for (const regoVersion of [0, 1] as const) {
      const r = parseModule('fuzz.rego', src, { regoVersion });
      assert.ok(r.module !== undefined || r.errors.length > 0, src);
      assert.equal(r.module !== undefined, r.errors.length === 0, src);
      for (const e of r.errors) {
        assert.equal(e.code, 'rego_parse_error');
        assert.ok(e.loc.line >= 1 && e.loc.col >= 1, JSON.stringify(e));
        assert.doesNotMatch(e.message, /internal parser error/, src);
      }
    }
  }
});
