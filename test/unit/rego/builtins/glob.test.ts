// glob.match / glob.quote_meta with gobwas/glob semantics (OPA's docs examples and delimiter rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const j = (name: string, ...args: unknown[]) => rt.js(name, ...args);

test('glob.match: *, **, ?, ranges, lists, alternatives, delimiters', () => {
  const cases: [string, string[] | null, string, boolean][] = [
    ['api://*/appId', null, 'api://foo.com/appId', true],
    ['*.github.com', [], 'api.github.com', true],
    ['*.github.com', [], 'api.cdn.github.com', false], // [] means ["."]
    ['*hub.com', null, 'api.cdn.github.com', true], // null means no delimiters
    ['*:github:com', [':'], 'api:github:com', true],
    ['api.**.com', [], 'api.cdn.github.com', true],
    ['?at', [], 'cat', true], ['?at', [], 'at', false],
    ['[abc]at', [], 'lat', false], ['[!abc]at', [], 'cat', false], ['[!a-c]at', [], 'lat', true],
    ['{cat,bat,[fr]at}', [], 'rat', true], ['{cat,bat,[fr]at}', [], 'at', false],
    ['a\\*b', null, 'a*b', true], ['a\\*b', null, 'axb', false],
    ['*/*', ['/'], 'a/b', true], ['*', ['/'], 'a/b', false],
    ['{a,b{c,d}}x', [], 'bdx', true],
  ];
  for (const [p, d, m, want] of cases) assert.equal(j('glob.match', p, d, m), want, `${p} ${JSON.stringify(d)} ${m}`);
});

test('malformed globs and bad delimiters are undefined', () => {
  assert.equal(j('glob.match', '[a-', [], 'a'), undefined);
  assert.equal(j('glob.match', '{a,b', [], 'a'), undefined);
  assert.equal(j('glob.match', 'a', 'x', 'a'), undefined);
  assert.equal(j('glob.match', 'a', [1], 'a'), undefined);
});

test('glob.quote_meta escapes * ? \\ [ ] { }', () => {
  assert.equal(j('glob.quote_meta', '*.github.com'), '\\*.github.com');
  assert.equal(j('glob.quote_meta', 'a[b]{c}?\\'), 'a\\[b\\]\\{c\\}\\?\\\\');
  assert.equal(j('glob.match', j('glob.quote_meta', '*[x]?') as string, null, '*[x]?'), true);
});
