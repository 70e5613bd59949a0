// JSON round trips, number semantics, Rego ordering and the output projection of the wasm runtime, through the real SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyBuilder, load, local, type WasmInstance, type WasmMemory } from './helpers.ts';
import type { Stmt } from '../../../../src/rego/plan/ir.ts';
import { opaArithmetic } from './bigfloat_model.ts';

/** A module whose entrypoint `t/id` returns input unchanged, and `t/arith` returns [a+b, a-b, a*b, a/b, a%b] of input.a, input.b. */
async function echoPolicy() {
  const b = new PolicyBuilder();
  b.plan('t/id', [{ op: 'resultSetAdd', value: 0 }]);
  const ops = ['plus', 'minus', 'mul', 'div'];
  b.plan('t/arith', [
    { op: 'dot', source: local(0), key: b.str('a'), target: 2 },
    { op: 'dot', source: local(0), key: b.str('b'), target: 3 },
    { op: 'makeObject', target: 4 },
    ...ops.flatMap((name, i) => [
      { op: 'block', blocks: [{ stmts: [
        { op: 'callBuiltin', name, args: [local(2), local(3)], result: 10 + i },
        { op: 'objectInsert', key: b.str(name), value: local(10 + i), object: 4 },
      ] }] },
    ] as Stmt[]),
    { op: 'resultSetAdd', value: 4 },
  ]);
  b.plan('t/rem', [
    { op: 'dot', source: local(0), key: b.str('a'), target: 2 },
    { op: 'dot', source: local(0), key: b.str('b'), target: 3 },
    { op: 'callBuiltin', name: 'rem', args: [local(2), local(3)], result: 4 },
    { op: 'resultSetAdd', value: 4 },
  ]);
  // t/cmp: [compare results] for input.a, input.b
  b.plan('t/cmp', [
    { op: 'dot', source: local(0), key: b.str('a'), target: 2 },
    { op: 'dot', source: local(0), key: b.str('b'), target: 3 },
    { op: 'makeArray', capacity: 6, target: 4 },
    ...['equal', 'neq', 'lt', 'lte', 'gt', 'gte'].flatMap((name, i) => [
      { op: 'callBuiltin', name, args: [local(2), local(3)], result: 20 + i },
      { op: 'arrayAppend', value: local(20 + i), array: 4 },
    ] as Stmt[]),
    { op: 'resultSetAdd', value: 4 },
  ]);
  return load(b.build());
}

const policy = await echoPolicy();

function roundTrip(text: string): string {
  const rs = policy.evaluate(new TextEncoder().encode(text).buffer as ArrayBuffer, 't/id');
  return JSON.stringify(rs[0].result);
}

test('JSON round trips keep strings, unicode and escapes', () => {
  const cases = [
    'null', 'true', 'false', '0', '-7', '"plain"', '""',
    '"quote \\" backslash \\\\ slash / tab \\t newline \\n"',
    '"unicode é ✓ 😀 \\u00e9 \\ud83d\\ude00"',
    '"control \\u0001 \\u001f"',
    '[1,[2,[3,[]]],{}]',
    '{"nested":{"deep":{"er":[null,true,"x"]}}}',
  ];
  for (const c of cases) assert.deepEqual(JSON.parse(roundTrip(c)), JSON.parse(c), c);
});

test('objects come out with sorted keys, last duplicate wins', () => {
  assert.equal(roundTrip('{"b":1,"a":2,"c":{"z":1,"y":2}}'), '{"a":2,"b":1,"c":{"y":2,"z":1}}');
  assert.equal(roundTrip('{"k":1,"k":2}'), '{"k":2}');
  const many: Record<string, number> = {};
  for (let i = 0; i < 200; i++) many[`key${(i * 7919) % 200}`] = i;
  const out = policy.evaluate(many, 't/id')[0].result as Record<string, number>;
  assert.deepEqual(Object.keys(out), Object.keys(many).sort());
  assert.deepEqual(out, many);
});

test('big and exact numbers survive round trips as text', () => {
  const raw = (text: string) => {
    // The SDK JSON.parses the result; read the exact text through the raw dump instead.
    return roundTrip(text);
  };
  assert.equal(raw('123456789012345678901234567890'), JSON.stringify(JSON.parse('123456789012345678901234567890')));
  assert.equal(raw('1e400'), 'null'); // JSON.parse('1e400') is Infinity: the SDK's own limitation
  assert.equal(raw('1.5'), '1.5');
  assert.equal(raw('-0.000001'), '-0.000001');
  assert.equal(raw('9223372036854775807'), JSON.stringify(9223372036854775807));
});

test('the module writes big numbers exactly (raw opa_eval output)', async () => {
  // Call opa_eval directly to see the JSON text before the SDK parses it.
  const text = rawEval(policy, '{"a":123456789012345678901234567890,"b":1e400,"c":1.10}', 't/id');
  assert.equal(text, '[{"result":{"a":123456789012345678901234567890,"b":1e400,"c":1.10}}]');
});

test('arithmetic follows OPA: exact big integers, 64-bit big.Float on non-integers (not f64), errors on zero division', () => {
  const arith = (a: unknown, b: unknown) => rawEval(policy, JSON.stringify({ a, b }).replace(/"@([^"]+)"/g, '$1'), 't/arith');
  assert.equal(arith(7, 2), '[{"result":{"div":3.5,"minus":5,"mul":14,"plus":9}}]');
  assert.equal(arith(-7, 2), '[{"result":{"div":-3.5,"minus":-9,"mul":-14,"plus":-5}}]');
  assert.equal(arith(6, 3), '[{"result":{"div":2,"minus":3,"mul":18,"plus":9}}]');
  // OPA computes on non-integers in 64-bit-mantissa big.Float and prints the shortest text
  // (0.1 + 0.2 is 0.3, 0.1 * 0.2 is 0.020000000000000000001): bigfloat_model.ts is the reference.
  for (const [a, b] of [['0.1', '0.2'], ['0.3', '0.1']] as const) {
    const want = `[{"result":{"div":${opaArithmetic(a, '/', b)},"minus":${opaArithmetic(a, '-', b)},"mul":${opaArithmetic(a, '*', b)},"plus":${opaArithmetic(a, '+', b)}}}]`;
    assert.equal(arith(`@${a}`, `@${b}`), want);
  }
  assert.equal(arith('@1000000000000000000000', 1), '[{"result":{"div":1e+21,"minus":999999999999999999999,"mul":1000000000000000000000,"plus":1000000000000000000001}}]');
  assert.equal(arith('@9223372036854775807', '@9223372036854775807'),
    '[{"result":{"div":1,"minus":0,"mul":85070591730234615847396907784232501249,"plus":18446744073709551614}}]');
  assert.equal(arith('@-123456789012345678901234567890', '@123456789012345678901234567890'),
    '[{"result":{"div":-1,"minus":-246913578024691357802469135780,"mul":-15241578753238836750495351562536198787501905199875019052100,"plus":0}}]');
  assert.equal(arith(2, '@1e18'), '[{"result":{"div":2e-18,"minus":-999999999999999998,"mul":2000000000000000000,"plus":1000000000000000002}}]');
  assert.equal(arith('"x"', 1), '[{"result":{}}]');
  assert.equal(arith(1.5, 2.5), '[{"result":{"div":0.6,"minus":-1,"mul":3.75,"plus":4}}]');
});

test('div and rem: OPA non-strict, their builtin errors make the call undefined; rem works on plain integers', () => {
  const rem = (a: string, b: string) => rawEval(policy, `{"a":${a},"b":${b}}`, 't/rem');
  assert.equal(rem('7', '3'), '[{"result":1}]');
  assert.equal(rem('-7', '3'), '[{"result":-1}]');
  assert.equal(rem('9223372036854775807', '-1'), '[{"result":0}]');
  // "modulo by zero", "modulo on floating-point number", "divide by zero": undefined, not a thrown error.
  assert.equal(rem('1', '0'), '[]');
  assert.equal(rem('1.1', '1'), '[]');
  // OPA converts integral numbers whatever their text (big.Float.Int): 1e16 % 2 is 0, and big integers stay exact.
  assert.equal(rem('100000000000000000e-1', '2'), '[{"result":0}]');
  assert.equal(rem('2.0', '3'), '[{"result":2}]');
  assert.equal(rem('-123456789012345678901234567890', '97'), `[{"result":${-123456789012345678901234567890n % 97n}}]`);
  assert.equal(rem('123456789012345678901234567890', '1e20'), `[{"result":${123456789012345678901234567890n % 10n ** 20n}}]`);
  assert.deepEqual(policy.evaluate({ a: 1, b: 0 }, 't/arith'), [{ result: { minus: 1, mul: 0, plus: 1 } }]);
  assert.equal(rawEval(policy, '{"a":1,"b":0.0}', 't/arith'), '[{"result":{"minus":1,"mul":0,"plus":1}}]');
});

test('comparison: Rego total order across types, 1 == 1.0', () => {
  const cmp = (a: string, b: string) => JSON.parse(rawEval(policy, `{"a":${a},"b":${b}}`, 't/cmp'))[0].result as boolean[];
  // [equal, neq, lt, lte, gt, gte]
  assert.deepEqual(cmp('1', '1.0'), [true, false, false, true, false, true]);
  assert.deepEqual(cmp('1', '1.0001'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('null', 'false'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('true', '0'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('99', '"a"'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('"b"', '"ab"'), [false, true, false, false, true, true]);
  assert.deepEqual(cmp('"z"', '[]'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('[1,2]', '[1,3]'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('[1,2]', '[1]'), [false, true, false, false, true, true]);
  assert.deepEqual(cmp('[9]', '{}'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('{"a":1}', '{"a":1.0}'), [true, false, false, true, false, true]);
  assert.deepEqual(cmp('{"a":2}', '{"b":1}'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('123456789012345678901234567890', '123456789012345678901234567891'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('-123456789012345678901234567890', '5'), [false, true, true, true, false, false]);
  assert.deepEqual(cmp('"é"', '"z"'), [false, true, false, false, true, true]);
});

/** Runs opa_eval the way the SDK does and returns the module's JSON text unparsed. */
export function rawEval(p: typeof policy, inputJson: string, entrypoint: string): string {
  const inst = (p as unknown as { wasmInstance: WasmInstance; mem: WasmMemory; dataAddr: number; dataHeapPtr: number; entrypoints: Record<string, number> });
  const exp = inst.wasmInstance.exports as Record<string, (...a: number[]) => number>;
  const bytes = new TextEncoder().encode(inputJson);
  const need = inst.dataHeapPtr + bytes.length - inst.mem.buffer.byteLength;
  if (need > 0) inst.mem.grow(Math.ceil(need / 65536));
  new Uint8Array(inst.mem.buffer).set(bytes, inst.dataHeapPtr);
  const addr = exp.opa_eval!(0, inst.entrypoints[entrypoint]!, inst.dataAddr, inst.dataHeapPtr, bytes.length, inst.dataHeapPtr + bytes.length, 0);
  const mem = new Uint8Array(inst.mem.buffer);
  let end = addr;
  while (mem[end] !== 0) end++;
  return new TextDecoder().decode(mem.subarray(addr, end));
}
