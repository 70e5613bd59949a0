// String builtins against OPA's (Go strings package) semantics, called directly on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const j = (name: string, ...args: unknown[]) => rt.js(name, ...args);

test('concat joins arrays and sets (sorted), rejects non-string elements', () => {
  assert.equal(j('concat', ', ', ['Hello', 'world']), 'Hello, world');
  assert.equal(rt.json('concat', '""', '{"world", "Hello"}'), 'Helloworld');
  assert.equal(j('concat', ',', []), '');
  assert.equal(j('concat', ',', ['a', 1]), undefined);
  assert.equal(j('concat', 1, ['a']), undefined);
});

test('contains / startswith / endswith / any_prefix_match / any_suffix_match', () => {
  assert.equal(j('contains', 'abcdef', 'cde'), true);
  assert.equal(j('contains', 'abc', ''), true);
  assert.equal(j('contains', 'abc', 'x'), false);
  assert.equal(j('startswith', 'abc', 'ab'), true);
  assert.equal(j('endswith', 'abc', 'bc'), true);
  assert.equal(j('endswith', 'abc', 'abcd'), false);
  assert.equal(j('strings.any_prefix_match', ['foo/bar', 'x'], ['y', 'foo/']), true);
  assert.equal(j('strings.any_suffix_match', 'a.txt', ['.md', '.rst']), false);
  assert.equal(j('strings.any_suffix_match', 'a.txt', '.txt'), true);
  assert.equal(j('contains', null, 'a'), undefined);
});

test('lower/upper: ASCII exact, Latin/Greek/Cyrillic mapped rune by rune like Go (no final sigma)', () => {
  assert.equal(j('lower', 'aBcD109_'), 'abcd109_');
  assert.equal(j('lower', 'ὈΔΥΣΣΕΎΣ'), 'ὀδυσσεύσ');
  assert.equal(j('lower', 'LONG\u2C6FSTRING'), 'long\u0250string');
  assert.equal(j('upper', 'straße ÿ ı'), 'STRAßE Ÿ I');
  assert.equal(j('upper', 'привет ώ'), 'ПРИВЕТ Ώ');
  assert.equal(j('lower', 'ÀÉÎÕÜ Ǆ İ'), 'àéîõü ǆ i');
});

test('replace and strings.replace_n (keys in sorted order, first match wins)', () => {
  assert.equal(j('replace', 'a-b-c', '-', '+'), 'a+b+c');
  assert.equal(j('replace', 'ab', '', '.'), '.a.b.');
  assert.equal(j('strings.replace_n', { a: '1', ab: '2' }, 'abab c'), '1b1b c');
  assert.equal(j('strings.replace_n', { '<': '&lt;', '>': '&gt;' }, '<b>'), '&lt;b&gt;');
  assert.equal(j('strings.replace_n', { a: 1 }, 'a'), undefined);
});

test('split like Go strings.Split', () => {
  assert.deepEqual(j('split', 'a,b,,c', ','), ['a', 'b', '', 'c']);
  assert.deepEqual(j('split', 'tést', ''), ['t', 'é', 's', 't']);
  assert.deepEqual(j('split', '', ''), []);
  assert.deepEqual(j('split', '', ','), ['']);
});

test('substring counts code points; negative length means to the end; negative offset is undefined', () => {
  assert.equal(j('substring', 'héllo wörld', 1, 4), 'éllo');
  assert.equal(j('substring', 'héllo', 2, -1), 'llo');
  assert.equal(j('substring', 'abc', 5, 1), '');
  assert.equal(j('substring', 'abc', 1, 100), 'bc');
  assert.equal(j('substring', 'abc', -1, 1), undefined);
  assert.equal(j('substring', 'abc', 1.5, 1), undefined);
});

test('indexof / indexof_n use code point indexes; empty needle is an error (undefined)', () => {
  assert.equal(j('indexof', 'Hello world', 'llo'), 2);
  assert.equal(j('indexof', 'skön var våren', 'vår'), 9);
  assert.equal(j('indexof', 'μx', 'x'), 1);
  assert.equal(j('indexof', 'abc', 'z'), -1);
  assert.equal(j('indexof', '', ''), undefined);
  assert.deepEqual(j('indexof_n', 'aaaa', 'aa'), [0, 1, 2]);
  assert.deepEqual(j('indexof_n', 'éaéa', 'a'), [1, 3]);
});

test('trim family', () => {
  assert.equal(j('trim', '  xx  ', ' '), 'xx');
  assert.equal(j('trim', 'xyhixy', 'yx'), 'hi');
  assert.equal(j('trim_left', 'ééabc', 'é'), 'abc');
  assert.equal(j('trim_right', 'abc!!?', '!?'), 'abc');
  assert.equal(j('trim_prefix', 'prefix-x', 'prefix-'), 'x');
  assert.equal(j('trim_prefix', 'x', 'y'), 'x');
  assert.equal(j('trim_suffix', 'file.txt', '.txt'), 'file');
  assert.equal(j('trim_space', '\t \u00a0 hi there \n\u3000'), 'hi there');
});

test('strings.reverse and strings.count', () => {
  assert.equal(j('strings.reverse', 'héllo'), 'olléh');
  assert.equal(j('strings.count', 'cheese', 'e'), 3);
  assert.equal(j('strings.count', 'five', ''), 5);
  assert.equal(j('strings.count', 'aaaa', 'aa'), 2);
});

test('format_int truncates toward zero and supports bases 2, 8, 10, 16 only', () => {
  assert.equal(j('format_int', 10, 2), '1010');
  assert.equal(j('format_int', 10.7, 8), '12');
  assert.equal(j('format_int', -10.999, 10), '-10');
  assert.equal(j('format_int', 255, 16), 'ff');
  assert.equal(j('format_int', -0.5, 10), '0');
  assert.equal(j('format_int', 10, 4), undefined);
  assert.equal(j('format_int', '10', 2), undefined);
});

test('repeated calls do not grow the heap (the harness resets it per call)', () => {
  j('concat', ',', ['a', 'b']);
  const top = rt.heapTop();
  for (let i = 0; i < 200; i++) j('concat', ',', ['a', 'b']);
  assert.equal(rt.heapTop(), top);
});
