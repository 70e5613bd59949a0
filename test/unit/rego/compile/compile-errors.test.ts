// The compiler's errors through the front door compile(): several at once, each with file:line:col, code and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, formatRegoError } from '../../../../src/rego/index.ts';

const firstLines = (errs: Parameters<typeof formatRegoError>[0][]) => errs.map((e) => formatRegoError(e).split('\n')[0]);

test('parse errors of several files are all reported, each where it happens', async () => {
  const out = await compile(
    [
      { path: 'a.rego', text: 'package a\n\np if {\n  x := [1, 2\n}\n' },
      { path: 'b.rego', text: 'package b\n\nq := 1 +\n' },
      { path: 'c.rego', text: 'package c\n\nr if { input.x == }\n\ns := "unterminated\n' },
    ],
    { entrypoints: ['a/p'] },
  );
  assert.equal(out.wasm, undefined);
  assert.deepEqual(firstLines(out.errors), [
    'a.rego:5:1: rego_parse_error: unexpected `}`: expected `,` or `]`',
    'b.rego:4:1: rego_parse_error: unexpected end of file: expected term',
    'c.rego:3:19: rego_parse_error: unexpected `}`: expected term',
    'c.rego:5:6: rego_parse_error: non-terminated string',
  ]);
});

test('compile errors of every kind are collected in source order with positions', async () => {
  const policy = `package t

import data.lib

allow if {
  input.user == name
  count(input.roles, 1, 2)
}

deny contains msg if {
  msg := sprintf("%s", [who])
}

n := 1
bad := y if { x := 1; y := x + "a" }

cyc1 := cyc2
cyc2 := cyc1

x := lib.nope(1)
y := no_such_builtin(1)
z := upper(5)
w := lib.helper(1, 2)
`;
  const out = await compile(
    [
      { path: 'policy.rego', text: policy },
      { path: 'lib.rego', text: 'package lib\n\nhelper(a) := a\n' },
    ],
    { entrypoints: ['t/allow'] },
  );
  assert.equal(out.wasm, undefined);
  assert.deepEqual(firstLines(out.errors), [
    'policy.rego:6:17: rego_unsafe_var_error: var name is unsafe',
    'policy.rego:7:3: rego_type_error: count: arity mismatch: expects 1 argument, got 3',
    'policy.rego:11:25: rego_unsafe_var_error: var who is unsafe',
    'policy.rego:15:28: rego_type_error: plus: invalid argument(s)',
    'policy.rego:17:1: rego_recursion_error: rule data.t.cyc1 is recursive: data.t.cyc1 -> data.t.cyc2 -> data.t.cyc1',
    'policy.rego:20:6: rego_type_error: undefined function data.lib.nope',
    'policy.rego:21:6: rego_type_error: undefined function no_such_builtin',
    'policy.rego:22:6: rego_type_error: upper: invalid argument(s)',
    'policy.rego:23:6: rego_type_error: data.lib.helper: arity mismatch: expects 1 argument, got 2',
  ]);
  const plus = out.errors.find((e) => e.message.startsWith('plus'))!;
  assert.equal(plus.message, 'plus: invalid argument(s)\n\thave: (number, string)\n\twant: (number, number)');
});

test('Rego v1 rule checks report their positions; a deprecated builtin is unknown in v1', async () => {
  const out = await compile(
    [
      { path: 'v1.rego', text: 'package t\n\np { true }\n\nq[x] { x := 1 }\n' },
    ],
    { entrypoints: ['t/p'] },
  );
  assert.equal(out.wasm, undefined);
  const lines = firstLines(out.errors);
  assert.ok(lines.includes('v1.rego:3:1: rego_parse_error: `if` keyword is required before rule body'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('v1.rego:5:1: rego_parse_error: ')), lines.join('\n'));
  const dep = await compile([{ path: 'dep.rego', text: 'package u\n\nr if re_match("a", "a")\n' }], { entrypoints: ['u/r'] });
  assert.deepEqual(firstLines(dep.errors), ['dep.rego:3:6: rego_type_error: undefined function re_match (deprecated builtins are not available in Rego v1)']);
});
