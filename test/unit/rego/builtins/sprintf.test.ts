// sprintf with Go fmt semantics as OPA applies them (ints as int, other numbers as float64, composites as Rego text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const f = (format: string, args: string) => rt.json('sprintf', JSON.stringify(format), args);

test('strings, ints, widths, padding and flags', () => {
  assert.equal(f('User %s from %s', '["alice", "eng"]'), 'User alice from eng');
  assert.equal(f('%d|%5d|%-5d|%05d|%+d|% d', '[42, 42, 42, 42, 5, 5]'), '42|   42|42   |00042|+5| 5');
  assert.equal(f('%x %X %o %O %b %#x %#o %#b', '[255, 255, 64, 64, 5, 255, 8, 5]'), 'ff FF 100 0o100 101 0xff 010 0b101');
  assert.equal(f('%8s|%-8s|%.2s|%q', '["héllo", "ab", "héllo", "a\\"b\\n"]'), '   héllo|ab      |hé|"a\\"b\\n"');
  assert.equal(f('%c %U %#U %q', '[9731, 9731, 65, 65]'), "☃ U+2603 U+0041 'A' 'A'");
  assert.equal(f('%d%%', '[5]'), '5%');
});

test('floats: %f %e %g %v with correct rounding of the exact binary value', () => {
  assert.equal(f('%f|%.2f|%8.3f|%-8.1f|', '[3.14, 3.14159, -3.14159, 2.25]'), '3.140000|3.14|  -3.142|2.2     |');
  assert.equal(f('%.1f %.1f %.0f %.0f %.0f %.2f', '[0.25, 0.35, 0.5, 1.5, 2.5, 1.005]'), '0.2 0.3 0 2 2 1.00');
  assert.equal(f('%e %E %.3e', '[1234.5678, 0.000123, 1234.5678]'), '1.234568e+03 1.230000E-04 1.235e+03');
  assert.equal(f('%g %.3g %G %g %g', '[0.000012345, 1234.5678, 1e-10, 100000.5, 100000]'), '1.2345e-05 1.23e+03 1E-10 100000.5 %!g(int=100000)');
  assert.equal(f('%v %v %v %v %v', '[1.5, 0.1, 1e21, 123456789.5, 1000000.5]'), '1.5 0.1 1e+21 1.234567895e+08 1.0000005e+06');
});

test('composite values print as Rego text; booleans are strings to fmt', () => {
  assert.equal(f('Value: %v', '[{"key": "value"}]'), 'Value: {"key": "value"}');
  assert.equal(f('%v %v %v %v', '[[1, "a"], {1, 2}, set(), null]'), '[1, "a"] {1, 2} set() null');
  assert.equal(f('%v %t', '[true, true]'), 'true %!t(string=true)');
});

test('big integers format as *big.Int', () => {
  assert.equal(f('%d %x', '[123456789012345678901234567890, 123456789012345678901234567890]'), '123456789012345678901234567890 18ee90ff6c373e0ee4e3f0ad2');
});

test("Go's error forms: wrong verb, missing and extra arguments, no verb", () => {
  assert.equal(f('%d %s', '["x", 12]'), '%!d(string=x) %!s(int=12)');
  assert.equal(f('%d', '[2.5]'), '%!d(float64=2.5)');
  assert.equal(f('Value: %s %d', '["only_one"]'), 'Value: only_one %!d(MISSING)');
  assert.equal(f('%d', '[1, "a"]'), '1%!(EXTRA string=a)');
  assert.equal(f('abc%', '[]'), 'abc%!(NOVERB)');
});

test('non-string format or non-array args are undefined', () => {
  assert.equal(rt.call('sprintf', '1', '[]'), undefined);
  assert.equal(rt.call('sprintf', '"%d"', '{1}'), undefined);
});

test('number texts become the correctly rounded double (%.20e shows every digit of it)', () => {
  const texts = ['1e300', '0.1', '123456789012345678901234567890.5', '2.2250738585072014e-308', '1.7976931348623157e308', '9007199254740993.5', '0.30000000000000004441'];
  let seed = 99;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 150; i++) {
    const digits = Array.from({ length: 16 + rand(10) }, (_, j) => String(j === 0 ? 1 + rand(9) : rand(10))).join('');
    texts.push(`${digits.slice(0, 1)}.${digits.slice(1)}e${rand(600) - 300}`);
  }
  // Go writes at least two exponent digits, JavaScript one: compare mantissa and exponent value.
  const parts = (t: string) => {
    const [m, e] = t.split('e') as [string, string];
    return [m, Number(e)];
  };
  for (const s of texts) {
    const got = rt.call('sprintf', '"%.20e"', `[${s}]`);
    assert.deepEqual(parts(JSON.parse(got!) as string), parts(Number(s).toExponential(20)), s);
  }
});
