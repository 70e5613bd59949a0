// Shared helpers for the syntax tests: parse and print compactly, collect errors as "line:col message".
import assert from 'node:assert/strict';
import { parseBody, parseModule } from '../../../../src/rego/syntax/parser.ts';
import { formatExpr, formatRule } from '../../../../src/rego/syntax/printer.ts';
import type { Module, RegoError } from '../../../../src/rego/syntax/ast.ts';

export function mod(src: string, regoVersion: 0 | 1 = 1): Module {
  const r = parseModule('t.rego', src, { regoVersion });
  assert.deepEqual(r.errors, [], `unexpected errors for:\n${src}`);
  assert.ok(r.module);
  return r.module;
}

/** The module's rules, printed. */
export function rules(src: string, regoVersion: 0 | 1 = 1): string[] {
  return mod(src, regoVersion).rules.map(formatRule);
}

/** The expressions of a query body, printed. */
export function body(src: string, regoVersion: 0 | 1 = 1): string[] {
  const r = parseBody('q.rego', src, { regoVersion });
  assert.deepEqual(r.errors, [], `unexpected errors for: ${src}`);
  return (r.body ?? []).map(formatExpr);
}

/** The single expression of a query, printed. */
export function expr(src: string, regoVersion: 0 | 1 = 1): string {
  const b = body(src, regoVersion);
  assert.equal(b.length, 1);
  return b[0]!;
}

export function show(e: RegoError): string {
  assert.equal(e.code, 'rego_parse_error');
  return `${e.loc.line}:${e.loc.col} ${e.message}`;
}

/** Errors of a module that must not parse, as "line:col message"; the module must be absent. */
export function errors(src: string, regoVersion: 0 | 1 = 1): string[] {
  const r = parseModule('t.rego', src, { regoVersion });
  assert.equal(r.module, undefined);
  assert.ok(r.errors.length > 0, 'expected errors');
  for (const e of r.errors) assert.equal(e.loc.file, 't.rego');
  return r.errors.map(show);
}
