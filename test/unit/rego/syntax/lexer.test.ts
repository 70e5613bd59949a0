// Unit tests for the Rego lexer: token kinds, positions (UTF-16 columns), strings, numbers, problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../../../src/rego/syntax/lexer.ts';

const kinds = (src: string) => tokenize(src).map((t) => t.kind);
const texts = (src: string) => tokenize(src).filter((t) => t.kind !== 'eof').map((t) => t.text);

test('punctuation and operators, longest match first', () => {
  assert.deepEqual(texts('a:=b==c!=d<=e>=f<g>h=i'), ['a', ':=', 'b', '==', 'c', '!=', 'd', '<=', 'e', '>=', 'f', '<', 'g', '>', 'h', '=', 'i']);
  assert.deepEqual(kinds('{}[](),;:|&+-*/%.'), ['{', '}', '[', ']', '(', ')', ',', ';', ':', '|', '&', '+', '-', '*', '/', '%', '.', 'eof']);
});

test('words are idents whatever the dialect (keywords are the parser\'s business)', () => {
  assert.deepEqual(kinds('if contains package _x1 null'), ['ident', 'ident', 'ident', 'ident', 'ident', 'eof']);
});

test('positions: line and column from 1, columns in UTF-16 units', () => {
  const toks = tokenize('p := 1\n  q := "😀" + x');
  const pos = toks.map((t) => `${t.text}@${t.line}:${t.col}`);
  assert.deepEqual(pos, ['p@1:1', ':=@1:3', '1@1:6', 'q@2:3', ':=@2:5', '"😀"@2:8', '+@2:13', 'x@2:15', '@2:16']);
});

test('whitespace and newline flags', () => {
  const [a, dot, b, c, d] = tokenize('a.b c\n# comment\nd');
  assert.equal(a!.spaceBefore, false);
  assert.equal(dot!.spaceBefore, false);
  assert.equal(b!.spaceBefore, false);
  assert.equal(c!.spaceBefore, true);
  assert.equal(c!.newlineBefore, false);
  assert.equal(d!.newlineBefore, true);
  assert.equal(d!.line, 3);
});

test('comments are skipped to end of line', () => {
  assert.deepEqual(texts('x # y z\n  # only comment\ny'), ['x', 'y']);
});

test('numbers keep their literal text, including fractions and exponents', () => {
  assert.deepEqual(texts('0 12 3.25 1e10 2.5E-3 6e+2'), ['0', '12', '3.25', '1e10', '2.5E-3', '6e+2']);
  assert.deepEqual(kinds('1.5'), ['number', 'eof']);
  // `1.foo` is the number 1 followed by a dot
  assert.deepEqual(texts('1.foo'), ['1', '.', 'foo']);
});

test('malformed numbers are illegal tokens with a message', () => {
  const [t] = tokenize('1e');
  assert.equal(t!.kind, 'illegal');
  assert.equal(t!.value, 'expected exponent');
  const [u] = tokenize('12abc');
  assert.equal(u!.kind, 'illegal');
  assert.match(u!.value!, /illegal number format/);
});

test('strings: escapes decoded, \\u escapes and surrogate pairs', () => {
  const [s] = tokenize(String.raw`"a\"b\\c\/d\n\t\u00e9\ud83d\ude00"`);
  assert.equal(s!.kind, 'string');
  assert.equal(s!.value, 'a"b\\c/d\n\té😀');
  const [plain] = tokenize('"no escapes"');
  assert.equal(plain!.value, 'no escapes');
});

test('raw strings keep backslashes and may span lines', () => {
  const toks = tokenize('`a\\n\nb` x');
  assert.equal(toks[0]!.kind, 'string');
  assert.equal(toks[0]!.value, 'a\\n\nb');
  assert.equal(toks[1]!.line, 2);
  assert.equal(toks[1]!.col, 4);
});

test('string problems: unterminated, newline inside, bad escape', () => {
  assert.equal(tokenize('"abc')[0]!.value, 'non-terminated string');
  assert.equal(tokenize('"ab\nc"')[0]!.value, 'non-terminated string');
  assert.equal(tokenize('`abc')[0]!.value, 'non-terminated raw string');
  const bad = tokenize(String.raw`"a\qb"`)[0]!;
  assert.equal(bad.kind, 'illegal');
  assert.match(bad.value!, /illegal string literal/);
});

test('stray characters are illegal tokens and lexing goes on', () => {
  const toks = tokenize('a @ b');
  assert.deepEqual(toks.map((t) => t.kind), ['ident', 'illegal', 'ident', 'eof']);
  assert.equal(toks[1]!.value, 'illegal character `@`');
});

test('a byte-order mark at the start is skipped', () => {
  const [t] = tokenize('\ufeffpackage p');
  assert.equal(t!.kind, 'ident');
  assert.equal(t!.col, 1);
});

test('unicode letters are allowed in names', () => {
  assert.deepEqual(kinds('größe := 1'), ['ident', ':=', 'number', 'eof']);
});

test('the lexer is linear: 200k tokens in well under a second', () => {
  const src = 'x := [1, "a", y.z]\n'.repeat(20000);
  const t0 = performance.now();
  const toks = tokenize(src);
  const ms = performance.now() - t0;
  assert.equal(toks.length, 20000 * 11 + 1);
  assert.ok(ms < 1000, `took ${ms} ms`);
});
