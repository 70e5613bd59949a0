// Bitwise builtins on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

test('and, or, xor, negate', () => {
  assert.deepEqual(['1,0', '1,1', '0,0', '0,1'].map((p) => rt.call('bits.and', ...p.split(','))), ['0', '1', '0', '0']);
  assert.deepEqual(['1,0', '1,1', '0,0', '0,1'].map((p) => rt.call('bits.or', ...p.split(','))), ['1', '1', '0', '1']);
  assert.deepEqual(['1,0', '1,1', '0,0', '0,1'].map((p) => rt.call('bits.xor', ...p.split(','))), ['1', '0', '0', '1']);
  assert.deepEqual(['1', '0', '9', '-50'].map((x) => rt.call('bits.negate', x)), ['-2', '-1', '-10', '49']);
  assert.equal(rt.call('bits.and', '-1', '255'), '255');
});

test('shifts, growing past 64 bits on lsh', () => {
  assert.equal(rt.call('bits.lsh', '9', '2'), '36');
  assert.equal(rt.call('bits.rsh', '9', '2'), '2');
  assert.equal(rt.call('bits.rsh', '-9', '2'), '-3');
  assert.equal(rt.call('bits.rsh', '-9', '100'), '-1');
  assert.equal(rt.call('bits.lsh', '1', '64'), '18446744073709551616');
  assert.equal(rt.call('bits.lsh', '-3', '63'), '-27670116110564327424');
  assert.equal(rt.call('bits.lsh', '1', '-1'), undefined);
});

test('non-integer operands are undefined', () => {
  assert.equal(rt.call('bits.and', '1', '"str"'), undefined);
  assert.equal(rt.call('bits.or', '1.5', '1'), undefined);
  assert.equal(rt.call('bits.negate', 'null'), undefined);
});

test('very large shifts are bounded instead of running long', () => {
  assert.equal((rt.json('bits.lsh', '1', '4096') as number) > 1e300, true);
  assert.equal(rt.call('bits.lsh', '1', '4097'), undefined);
  assert.equal(rt.call('bits.lsh', '1', '1000000000'), undefined);
});
