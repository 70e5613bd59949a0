// Number builtins (abs, round, ceil, floor, numbers.range[_step], to_number, rand.intn) on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

test('abs, exact for big integers and decimal literals', () => {
  assert.equal(rt.call('abs', '-9'), '9');
  assert.equal(rt.call('abs', '-9.1'), '9.1');
  assert.equal(rt.call('abs', '-123456789012345678901234567890'), '123456789012345678901234567890');
  assert.equal(rt.call('abs', '-9223372036854775808'), '9223372036854775808');
  assert.equal(rt.call('abs', '"-9"'), undefined);
});

test('round halves away from zero; ceil and floor', () => {
  const rounds = [['-9.4', '-9'], ['-9.5', '-10'], ['-9.6', '-10'], ['9.4', '9'], ['9.5', '10'], ['9.6', '10'], ['8', '8'], ['-8', '-8'], ['0.49999999999999994', '0'], ['-0.4', '0']];
  for (const [x, want] of rounds) assert.equal(rt.call('round', x), want, `round(${x})`);
  assert.deepEqual([rt.call('ceil', '9.1'), rt.call('ceil', '-9.1'), rt.call('ceil', '9'), rt.call('ceil', '-9')], ['10', '-9', '9', '-9']);
  assert.deepEqual([rt.call('floor', '9.1'), rt.call('floor', '-9.1'), rt.call('floor', '9'), rt.call('floor', '-9')], ['9', '-10', '9', '-9']);
  assert.equal(rt.call('floor', '1e400'), '1e400');
  assert.equal(rt.call('round', 'null'), undefined);
});

test('numbers.range and numbers.range_step', () => {
  assert.equal(rt.call('numbers.range', '1', '5'), '[1, 2, 3, 4, 5]');
  assert.equal(rt.call('numbers.range', '5', '1'), '[5, 4, 3, 2, 1]');
  assert.equal(rt.call('numbers.range', '-1', '-5'), '[-1, -2, -3, -4, -5]');
  assert.equal(rt.call('numbers.range', '8', '8'), '[8]');
  assert.equal(rt.call('numbers.range', '1.01', '5'), undefined);
  assert.equal(rt.call('numbers.range', '1', '"2"'), undefined);
  assert.equal(rt.call('numbers.range_step', '0', '10', '3'), '[0, 3, 6, 9]');
  assert.equal(rt.call('numbers.range_step', '10', '0', '5'), '[10, 5, 0]');
  assert.equal(rt.call('numbers.range_step', '0', '10', '0'), undefined);
  assert.equal(rt.call('numbers.range_step', '0', '10', '-1'), undefined);
});

test('to_number converts strings, booleans and null as OPA does', () => {
  const cases: Array<[string, string | undefined]> = [
    ['null', '0'], ['true', '1'], ['false', '0'], ['3.5', '3.5'], ['"10"', '10'], ['"-1.5"', '-1.5'],
    ['"+5"', '5'], ['"007"', '7'], ['".5"', '0.5'], ['"5."', '5'],
    ['"abc"', undefined], ['""', undefined], ['" 1"', undefined], ['"Inf"', undefined], ['"NaN"', undefined], ['"1e400"', undefined], ['"0x10"', undefined], ['[]', undefined],
  ];
  for (const [x, want] of cases) assert.equal(rt.call('to_number', x), want, `to_number(${x})`);
  // Exponent forms: compare the value (the runtime decides how literal text is kept).
  assert.equal(rt.json('to_number', '"1e3"'), 1000);
  assert.equal(rt.json('to_number', '"-2.5E-1"'), -0.25);
});

test('rand.intn is in range and stable for the same arguments', () => {
  const x = Number(rt.call('rand.intn', '"x"', '50000'));
  assert.ok(Number.isInteger(x) && x >= 0 && x < 50000);
  assert.equal(rt.call('rand.intn', '"x"', '50000'), String(x));
  assert.notEqual(rt.call('rand.intn', '"y"', '50000'), String(x));
  assert.equal(rt.call('rand.intn', '"b"', '0'), '0');
  const neg = Number(rt.call('rand.intn', '"x"', '-10'));
  assert.ok(neg >= 0 && neg < 10);
  assert.equal(rt.call('rand.intn', '"a"', '10.3'), undefined);
  assert.equal(rt.call('rand.intn', '1', '2'), undefined);
});
