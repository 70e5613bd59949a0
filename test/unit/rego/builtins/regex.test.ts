// Regex builtins: RE2 syntax and Go regexp match/iteration semantics on the in-module Pike VM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const j = (name: string, ...args: unknown[]) => rt.js(name, ...args);

test('regex.match: classes, anchors, repetition, flags', () => {
  assert.equal(j('regex.match', '^[a-z]+\\d{2,3}$', 'abc123'), true);
  assert.equal(j('regex.match', '^[a-z]+\\d{2,3}$', 'abc1234'), false);
  assert.equal(j('regex.match', '(?i)select\\s+\\*\\s+from', 'SELECT  * FROM users'), true);
  assert.equal(j('regex.match', 'AKIA[0-9A-Z]{16}', 'key=AKIAIOSFODNN7EXAMPLE!'), true);
  assert.equal(j('regex.match', '^b$', 'a\nb'), false);
  assert.equal(j('regex.match', '(?m)^b$', 'a\nb\nc'), true);
  assert.equal(j('regex.match', '\\bword\\b', 'a word.'), true);
  assert.equal(j('regex.match', '\\bword\\b', 'swordfish'), false);
  assert.equal(j('regex.match', 'a.c', 'a\nc'), false);
  assert.equal(j('regex.match', '(?s)a.c', 'a\nc'), true);
  assert.equal(j('regex.match', '^é{2}$', 'éé'), true);
  assert.equal(j('regex.match', '[[:upper:]][^\\d\\s]', '1Ab'), true);
  assert.equal(j('regex.match', '^\\x{263a}\\x41\\101$', '☺AA'), true);
  assert.equal(j('re_match', '^x', 'xy'), true);
});

test('regex.match stays linear on patterns that make backtracking engines explode', () => {
  const input = 'a'.repeat(20000) + 'b';
  const t0 = performance.now();
  assert.equal(j('regex.match', '^(a+)+$', input), false);
  assert.equal(j('regex.match', '(a|aa)*c', input), false);
  assert.ok(performance.now() - t0 < 5000);
});

test('invalid patterns: is_valid false, other builtins undefined', () => {
  for (const p of ['(?=x)', 'a**', '[z-a]', 'a{1001}', '(abc', 'abc)', '*a', '\\q', '\\1', '[abc', '(?P<n>a)(?P<n>b)', 'x{2}{3}']) {
    assert.equal(j('regex.is_valid', p), false, p);
    assert.equal(j('regex.match', p, 'abc'), undefined, p);
  }
  for (const p of ['a{2', 'a{,3}', '\\pL+', '(?i:ab)c', '(?P<year>\\d{4})', '(?<y>x)', '[]a]', '\\Q*+\\E', '^*$']) {
    assert.equal(j('regex.is_valid', p), true, p);
  }
  assert.equal(j('regex.is_valid', 12), false);
});

test('regex.find_n and find_all_string_submatch_n follow Go FindAll (empty matches)', () => {
  assert.deepEqual(j('regex.find_n', 'a.', 'aXaYaZ', -1), ['aX', 'aY', 'aZ']);
  assert.deepEqual(j('regex.find_n', 'a.', 'aXaYaZ', 2), ['aX', 'aY']);
  assert.deepEqual(j('regex.find_n', 'a.', 'aXaYaZ', 0), []);
  assert.deepEqual(j('regex.find_n', 'a*', 'baaab', -1), ['', 'aaa', '']);
  assert.deepEqual(j('regex.find_n', '(a|ab)(c|bcd)', 'abcd', -1), ['abcd']);
  assert.deepEqual(j('regex.find_n', 'a{2,3}?', 'aaaaaaa', -1), ['aa', 'aa', 'aa']);
  assert.deepEqual(j('regex.find_all_string_submatch_n', '(\\w+)@(\\w+)?\\.com', 'x@y.com z@.com', -1), [['x@y.com', 'x', 'y'], ['z@.com', 'z', '']]);
});

test('regex.split like Go Regexp.Split(s, -1)', () => {
  assert.deepEqual(j('regex.split', 'a', 'banana'), ['b', 'n', 'n', '']);
  assert.deepEqual(j('regex.split', 'x*', 'axbxc'), ['a', 'b', 'c']);
  assert.deepEqual(j('regex.split', ',\\s*', 'a, b,c'), ['a', 'b', 'c']);
  assert.deepEqual(j('regex.split', 'x', ''), ['']);
});

test('regex.replace expands $n, ${name} and $$ like ReplaceAllString', () => {
  assert.equal(j('regex.replace', 'Hello World', '(\\w+) (\\w+)', '$2 $1'), 'World Hello');
  assert.equal(j('regex.replace', 'abc', 'x*', '-'), '-a-b-c-');
  assert.equal(j('regex.replace', 'foo bar', '(?P<first>\\w+)', '${first}!$$'), 'foo!$ bar!$');
  assert.equal(j('regex.replace', 'ab', '(a)', '$1x'), 'b'); // $1x is the (missing) group "1x"
  assert.equal(j('regex.replace', 'secret=abc123 token=zz', '(secret|token)=\\S+', '$1=***'), 'secret=*** token=***');
});

test('regex.template_match', () => {
  assert.equal(j('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'), true);
  assert.equal(j('regex.template_match', 'urn:foo.bar.com:{.*}', 'urn:foo.com:bar:baz', '{', '}'), false);
  assert.equal(j('regex.template_match', 'urn:<[a-z]+>:<\\d+>', 'urn:abc:42', '<', '>'), true);
  assert.equal(j('regex.template_match', 'urn:{x', 'urn:x', '{', '}'), undefined);
});
