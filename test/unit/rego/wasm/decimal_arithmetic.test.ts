// Arithmetic on non-integers follows OPA (64-bit-mantissa big.Float, printed shortest with %g), checked against an independent BigInt model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from '../../../../src/rego/index.ts';
import { opaArithmetic } from './bigfloat_model.ts';

async function arithmeticPolicy() {
  const text = `package x
r := {"plus": json.marshal(input.a + input.b), "minus": json.marshal(input.a - input.b), "mul": json.marshal(input.a * input.b), "div": json.marshal(input.a / input.b)}
`;
  const r = await compile([{ path: 'x.rego', text }], { entrypoints: ['x/r'] });
  assert.deepEqual(r.errors, []);
  const p = await loadPolicy(r.wasm!);
  p.setData({});
  return p;
}

/** The operands go in as JSON text so that their decimal digits reach the module unchanged. */
function evalText(p: Awaited<ReturnType<typeof arithmeticPolicy>>, a: string, b: string): Record<string, string> {
  const input = new TextEncoder().encode(`{"a":${a},"b":${b}}`).buffer;
  return (p.evaluate(input as unknown as object, 'x/r') as Array<{ result: Record<string, string> }>)[0]!.result;
}

test('+ - * / on decimals print what OPA prints (fixed and random operands)', async () => {
  const p = await arithmeticPolicy();
  const pairs: Array<[string, string]> = [
    ['0.1', '0.2'], ['0.3', '0.1'], ['1.1', '3'], ['2.5', '2.5'], ['1', '3'], ['2', '3'], ['1.5', '0.7'], ['9.99', '10'],
    ['1000000.5', '1'], ['0.00001', '1'], ['0.0001', '1'], ['-0.1', '0.2'], ['1.23456789012345678', '9.87654321098765432'],
    ['1e300', '1.5'], ['1e-300', '1e-50'], ['12345678901234567890123.5', '1'], ['0.1', '-0.7'], ['7', '2'], ['1.5', '1.5'],
    ['123456.789e3', '0.001'], ['5e-324', '3'], ['18446744073709551617.5', '2'],
  ];
  // Random decimals with up to 25 significant digits and exponents up to ±40, from a fixed seed.
  let seed = 20261125;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const randomDecimal = () => {
    const digits = Array.from({ length: 1 + rand(25) }, (_, i) => String(i === 0 ? 1 + rand(9) : rand(10))).join('');
    const point = rand(digits.length + 1);
    const mantissa = point === digits.length ? digits : `${digits.slice(0, point) || '0'}.${digits.slice(point)}`;
    return `${rand(2) ? '-' : ''}${mantissa}${rand(3) === 0 ? `e${rand(81) - 40}` : ''}`;
  };
  for (let i = 0; i < 150; i++) pairs.push([randomDecimal(), randomDecimal()]);
  for (const [a, b] of pairs) {
    const got = evalText(p, a, b);
    for (const [name, op] of [['plus', '+'], ['minus', '-'], ['mul', '*'], ['div', '/']] as const) {
      const bothSmallInts = /^-?\d{1,3}$/.test(a) && /^-?\d{1,3}$/.test(b);
      if (bothSmallInts && op !== '/') continue; // exact integer path
      const want = opaArithmetic(a, op, b);
      // Integral results are exact integers here; OPA writes those from 1e6 up in exponent form (same number).
      if (/e\+/.test(want) && Number(want) === Number(got[name]) && /^-?\d+$/.test(got[name]!)) continue;
      assert.equal(got[name], want, `${a} ${op} ${b}`);
    }
  }
});

test('decimal comparisons and sums in policies', async () => {
  const cases: Array<[string, unknown]> = [
    ['0.1 + 0.2 == 0.3', true],
    ['0.1 + 0.2 > 0.3', false],
    ['sum([0.1, 0.2]) == 0.3', true],
    ['input.spent + input.estimate <= input.cap', true],
    // OPA compares the 64-bit values: 0.3 - 0.1 is 0.20000000000000000002, not 0.2.
    ['0.3 - 0.1 == 0.2', false],
    ['0.3 - 0.1 > 0.2', true],
    ['json.marshal(123456789012345678901234567890 + 1)', '123456789012345678901234567891'],
  ];
  const text = 'package x\n' + cases.map(([e], i) => `r${i} := ${e}`).join('\n') + '\n';
  const r = await compile([{ path: 'x.rego', text }], { entrypoints: cases.map((_, i) => `x/r${i}`) });
  assert.deepEqual(r.errors, []);
  const p = await loadPolicy(r.wasm!);
  p.setData({});
  const input = { spent: 9.7, estimate: 0.3, cap: 10 };
  cases.forEach(([expr, want], i) => {
    assert.deepEqual((p.evaluate(input, `x/r${i}`) as Array<{ result: unknown }>)[0]?.result, want, expr);
  });
});
