// The runtime's JSON fast paths: strings scanned eight bytes at a time, JSON objects sorted by their string keys' bytes,
// and string-key lookups that skip compare's dispatch. Each is checked against JavaScript's own JSON and byte order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { PolicyBuilder, load } from './helpers.ts';
import { compile } from '../../../../src/rego/index.ts';

const b = new PolicyBuilder();
b.plan('t/id', [{ op: 'resultSetAdd', value: 0 }]);
const echo = await load(b.build());

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
const echoed = (text: string): unknown => echo.evaluate(bytes(text), 't/id')[0].result;
const parses = (text: string): boolean => {
  try {
    echo.evaluate(bytes(text), 't/id');
    return true;
  } catch (e) {
    assert.match(String(e), /failed to parse input JSON/);
    return false;
  }
};

test('strings: a quote escape, a backslash escape, a \\u escape or a multi-byte character at every offset of the first 40 bytes', () => {
  const specials = ['\\"', '\\\\', '\\u00e9', '\\n', 'é', '😀', '\\/'];
  for (const special of specials) {
    for (let len = 0; len <= 40; len++) {
      for (let at = 0; at <= len; at += 3) {
        const raw = `"${'a'.repeat(at)}${special}${'b'.repeat(len - at)}"`;
        assert.deepEqual(echoed(`{"s":${raw}}`), { s: JSON.parse(raw) }, raw);
      }
    }
  }
});

test('strings: a raw control byte is refused at every offset (also after eight clean bytes), and an unterminated string too', () => {
  for (const control of ['\u0000', '\u0001', '\u001f', '\n', '\t']) {
    for (let at = 0; at <= 24; at++) {
      assert.equal(parses(`{"s":"${'x'.repeat(at)}${control}${'y'.repeat(9)}"}`), false, `control at ${at}`);
    }
  }
  for (let len = 0; len <= 20; len++) assert.equal(parses(`{"s":"${'z'.repeat(len)}`), false, `unterminated, ${len} bytes`);
  // 0x7f and bytes of multi-byte characters are not control bytes.
  assert.deepEqual(echoed('{"s":"\u007fabcdefgh\u007f"}'), { s: '\u007fabcdefgh\u007f' });
});

test('objects of 2 to 14 string keys in any order, with duplicates anywhere: sorted by UTF-8 bytes, the last duplicate wins', async () => {
  // The policy sees the parsed object itself: its size, its keys in iteration (sorted) order, and each value.
  const r = await compile([{ path: 'o.rego', text: 'package o\nn := count(input)\nkeys := [k | some k, _ in input]\nvalues := [v | some _, v in input]\n' }], { entrypoints: ['o'] });
  assert.deepEqual(r.errors, []);
  const view = await loadPolicy(r.wasm!);
  const pool = ['a', 'ab', 'b', 'B', 'a0', '', 'é', 'z', 'zz', 'Ω', '😀', 'key', 'ke', 'kez'];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 300; round++) {
    const n = 2 + (round % 13);
    const entries: Array<[string, number]> = [];
    for (let i = 0; i < n; i++) entries.push([pool[rand(pool.length)]!, i]);
    const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
    const lastWins = new Map(entries); // a later entry overwrites an earlier one
    const byBytes = [...lastWins.keys()].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    const out = view.evaluate(bytes(text), 'o')[0].result as { n: number; keys: string[]; values: number[] };
    assert.equal(out.n, lastWins.size, text);
    assert.deepEqual(out.keys, byBytes, text);
    assert.deepEqual(out.values, byBytes.map((k) => lastWins.get(k)), text);
  }
});

test('lookups by string key in objects whose keys are of every type, and of strings only', async () => {
  const source = `package t
mixed := {null: "null", false: "false", 1: "one", 2.5: "two and a half", "": "empty", "a": "A", "b": "B", "ba": "BA", [1]: "array", {"k": 1}: "object", {1}: "set"}
strings := {"alpha": 1, "beta": 2, "gamma": 3, "delta": 4, "epsilon": 5, "zeta": 6, "eta": 7, "theta": 8, "iota": 9, "kappa": 10, "lambda": 11, "mu": 12, "nu": 13, "xi": 14}
found := [mixed[""], mixed.a, mixed.b, mixed.ba, mixed[1], mixed[2.5], mixed[null], mixed[false], mixed[[1]], mixed[{"k": 1}], mixed[{1}]]
missing := [k | some k in ["", "A", "aa", "bb", "c", "b\\u0000"]; not mixed[k]]
greek := [strings[k] | some k in ["alpha", "xi", "mu", "nu", "eta", "zeta", "lambda"]]
absent := [k | some k in ["alph", "alphaa", "omega", "Alpha"]; not strings[k]]
from_input := [input.obj[k] | some k in ["m", "a", "zz"]]
`;
  const r = await compile([{ path: 't.rego', text: source }], { entrypoints: ['t'] });
  assert.deepEqual(r.errors, []);
  const p = await loadPolicy(r.wasm!);
  const result = p.evaluate({ obj: { zz: 3, a: 1, m: 2, b: 0 } }, 't')[0].result as Record<string, unknown>;
  assert.deepEqual(result.found, ['empty', 'A', 'B', 'BA', 'one', 'two and a half', 'null', 'false', 'array', 'object', 'set']);
  assert.deepEqual(result.missing, ['A', 'aa', 'bb', 'c', 'b\u0000']);
  assert.deepEqual(result.greek, [1, 14, 12, 13, 7, 6, 11]);
  assert.deepEqual(result.absent, ['alph', 'alphaa', 'omega', 'Alpha']);
  assert.deepEqual(result.from_input, [2, 1, 3]);
});
