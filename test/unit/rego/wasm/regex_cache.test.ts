// Compiled-regex cache and first-byte prefilter, through the whole compiler and the SDK: results stay right across evaluations, memory stays flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from '../../../../src/rego/index.ts';

const source = `package t
match := regex.match(input.p, input.s)
found := regex.find_n(input.p, input.s, -1)
glob := glob.match(input.g, [], input.s)
`;

async function loadTestPolicy() {
  const r = await compile([{ path: 't.rego', text: source }], { entrypoints: ['t/match', 't/found', 't/glob'] });
  assert.deepEqual(r.errors, []);
  const policy = await loadPolicy(r.wasm!);
  policy.setData({});
  return policy;
}

type Evaluator = Awaited<ReturnType<typeof loadTestPolicy>>;
const result = (p: Evaluator, entry: string, input: unknown): unknown => (p.evaluate(input, entry) as Array<{ result: unknown }>)[0]?.result;

/** Patterns on which Go's RE2 and JavaScript's RegExp agree, so JavaScript can compute the expectations. */
function simplePattern(i: number): string {
  const shapes = [`x${i}[a-c]+`, `^(ab|cd)${i}`, `\\b${i}\\d*$`, `[^${i % 10}]+z`, `(?:q|${i})\\s?y`];
  return shapes[i % shapes.length]!;
}
const subjects = ['x7abc', 'ab13', 'cd12', 'zz 21 32', 'q y', '4 y', '123z', 'hello x300c', '5z'];

test('regex.match and find_n agree with a fresh compile for 300 distinct patterns, cached or not, evaluation after evaluation', async () => {
  const p = await loadTestPolicy();
  const mem = (p as unknown as { mem: { buffer: ArrayBuffer } }).mem;
  const pages = mem.buffer.byteLength;
  // Twice round: the second round reads the programs the first one cached (the cache holds fewer than 300).
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 300; i++) {
      const pat = simplePattern(i);
      for (const s of subjects) {
        const js = new RegExp(pat);
        assert.equal(result(p, 't/match', { p: pat, s }), js.test(s), `${pat} on ${s} (round ${round})`);
        const all = [...s.matchAll(new RegExp(pat, 'g'))].map((m) => m[0]);
        assert.deepEqual(result(p, 't/found', { p: pat, s }), all, `find_n ${pat} on ${s}`);
      }
    }
  }
  assert.equal(mem.buffer.byteLength, pages, 'memory must not grow across evaluations');
});

test('the prefilter never skips a place where Go would start a match', async () => {
  const p = await loadTestPolicy();
  // [^é] must not match inside é's UTF-8 bytes; (?i)k matches KELVIN SIGN; an empty-able pattern matches everywhere.
  const cases: Array<[string, string, boolean]> = [
    ['[^é]', 'é', false],
    ['[^é]', 'éa', true],
    ['(?i)k', '\u212a', true],
    ['(?i)s', 'ſ', true],
    ['é+', 'abcé', true],
    ['x*', 'abc', true],
    ['\\bfoo\\b', 'afoo foo', true],
    ['\\bfoo\\b', 'afoob', false],
    ['[0-9]{3}-[0-9]{2}', 'ssn: 123-45-6789', true],
    ['[0-9]{3}-[0-9]{2}', 'ssn: 12-345-6', false],
    ['$', 'abc', true],
    // required bytes: every match needs an '@' (or a '#'), so texts without one are rejected early
    ['[a-z]+@[a-z]+\\.[a-z]{2,}', 'write to someone at example dot com', false],
    ['[a-z]+@[a-z]+\\.[a-z]{2,}', 'write to a@example.com', true],
    ['x@|y@', 'y@', true],
    ['x@|y#', 'y#', true],
    ['(?i)A@', 'xa@', true],
    ['(ab)+-', 'abab-', true],
    ['(ab)*-', '-', true],
  ];
  for (let repeat = 0; repeat < 2; repeat++) {
    for (const [pat, s, want] of cases) assert.equal(result(p, 't/match', { p: pat, s }), want, `${pat} on ${JSON.stringify(s)}`);
  }
  assert.deepEqual(result(p, 't/found', { p: '[0-9]+', s: 'ab12cd345é6' }), ['12', '345', '6']);
  assert.deepEqual(result(p, 't/found', { p: '', s: 'ab' }), ['', '', '']);
});

test('invalid patterns stay undefined when cached; glob patterns are cached too', async () => {
  const p = await loadTestPolicy();
  for (let i = 0; i < 3; i++) {
    assert.equal(result(p, 't/match', { p: '(abc', s: 'abc' }), undefined);
    assert.equal(result(p, 't/glob', { g: '*.rego', s: 'a.rego' }), true);
    assert.equal(result(p, 't/glob', { g: '*.rego', s: 'a.json' }), false);
  }
});

test('VM scratch from an earlier evaluation is never reused: the SDK writes the next input over it', async () => {
  const p = await loadTestPolicy();
  const pat = '\\bAKIA|(?:x)y';
  const big = 'x'.repeat(200000);
  for (const s of [big, 'hi', big, 'xy', big + 'y']) {
    assert.equal(result(p, 't/match', { p: pat, s }), new RegExp(pat).test(s), `length ${s.length}`);
  }
});
