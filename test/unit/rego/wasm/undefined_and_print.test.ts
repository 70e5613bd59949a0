// Undefined operands (absent input, missing refs) and print, through the whole compiler and the SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from '../../../../src/rego/index.ts';

async function load(text: string, entrypoints: string[]) {
  const r = await compile([{ path: 'p.rego', text }], { entrypoints });
  assert.deepEqual(r.errors, []);
  const p = await loadPolicy(r.wasm!);
  p.setData({});
  return p;
}
const result = (rs: unknown): unknown => (rs as Array<{ result: unknown }>)[0]?.result;

test('an absent input is undefined, not null: `x if input` and `!=` on it fail', async () => {
  const p = await load(`package p
default has_input := false
has_input if input
default differs := false
differs if input != false
default typed := "none"
typed := type_name(input.missing)
`, ['p/has_input', 'p/differs', 'p/typed']);
  assert.equal(result(p.evaluate(undefined, 'p/has_input')), false);
  assert.equal(result(p.evaluate({ a: 1 }, 'p/has_input')), true);
  assert.equal(result(p.evaluate(undefined, 'p/differs')), false);
  assert.equal(result(p.evaluate({}, 'p/differs')), true);
  assert.equal(result(p.evaluate({}, 'p/typed')), 'none');
  assert.equal(result(p.evaluate({ missing: [1] }, 'p/typed')), 'array');
});

test('print writes one line per call through opa_println: strings raw, other values in Rego syntax, <undefined>', async () => {
  const p = await load(`package p
r if {
  print("msg", 1, [1, "a"], {"k": "v"}, {2, 1}, null)
  print(input.missing)
  some x in [1, 2]
  print("x", x)
}
`, ['p/r']);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    assert.equal(result(p.evaluate({}, 'p/r')), true);
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ['msg 1 [1, "a"] {"k": "v"} {1, 2} null', '<undefined>', 'x 1', 'x 2']);
});
