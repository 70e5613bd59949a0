// Network builtins (net.cidr_contains / intersects / is_valid) on the runtime module, following Go's net package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const contains = (a: string, b: string) => rt.call('net.cidr_contains', JSON.stringify(a), JSON.stringify(b));

test('net.cidr_contains with addresses and networks, IPv4 and IPv6', () => {
  assert.equal(contains('10.0.0.0/8', '10.1.2.3'), 'true');
  assert.equal(contains('10.0.0.0/8', '11.1.2.3'), 'false');
  assert.equal(contains('192.168.1.0/24', '192.168.1.255'), 'true');
  assert.equal(contains('192.168.1.0/24', '192.168.2.0'), 'false');
  assert.equal(contains('0.0.0.0/0', '8.8.8.8'), 'true');
  assert.equal(contains('10.0.0.0/8', '10.1.0.0/16'), 'true');
  assert.equal(contains('10.1.0.0/16', '10.0.0.0/8'), 'false');
  assert.equal(contains('169.254.169.254/32', '169.254.169.254'), 'true');
  assert.equal(contains('10.0.0.5/8', '10.200.0.1'), 'true'); // host bits in the CIDR are masked off
  assert.equal(contains('2001:db8::/32', '2001:db8::1'), 'true');
  assert.equal(contains('2001:db8::/32', '2001:db9::1'), 'false');
  assert.equal(contains('fd00::/8', 'fd12:3456:789a:1::1'), 'true');
  assert.equal(contains('::1/128', '::1'), 'true');
  assert.equal(contains('10.0.0.0/8', '::ffff:10.1.2.3'), 'true'); // IPv4-mapped IPv6 is IPv4 to Go
  assert.equal(contains('::/0', '10.1.2.3'), 'false'); // an IPv6 network never holds an IPv4 address
  assert.equal(contains('2001:db8::/32', '2001:db8:1::/48'), 'true');
});

test('invalid networks or addresses are undefined', () => {
  assert.equal(contains('10.0.0.0', '10.0.0.1'), undefined);
  assert.equal(contains('10.0.0.0/33', '10.0.0.1'), undefined);
  assert.equal(contains('10.0.0.0/8', 'not-an-ip'), undefined);
  assert.equal(contains('10.0.0.0/8', '010.0.0.1'), undefined);
  assert.equal(contains('10.0.0.0/8', '10.0.0.256'), undefined);
  assert.equal(contains('2001:db8::1::/32', '::1'), undefined);
  assert.equal(rt.call('net.cidr_contains', '1', '"10.0.0.1"'), undefined);
});

test('net.cidr_intersects and net.cidr_is_valid', () => {
  const inter = (a: string, b: string) => rt.call('net.cidr_intersects', JSON.stringify(a), JSON.stringify(b));
  assert.equal(inter('10.0.0.0/8', '10.1.0.0/16'), 'true');
  assert.equal(inter('10.1.0.0/16', '10.0.0.0/8'), 'true');
  assert.equal(inter('10.0.0.0/16', '10.1.0.0/16'), 'false');
  assert.equal(inter('fd00::/8', 'fd00:1::/32'), 'true');
  assert.equal(inter('10.0.0.0/8', 'x'), undefined);
  const valid = (s: string) => rt.call('net.cidr_is_valid', JSON.stringify(s));
  assert.deepEqual(['10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0', '::/0', '1.2.3.4/32'].map(valid), ['true', 'true', 'true', 'true', 'true']);
  assert.deepEqual(['10.0.0.0', '10.0.0.0/33', '::/129', 'a.b.c.d/8', '', '1.2.3.4/'].map(valid), ['false', 'false', 'false', 'false', 'false', 'false']);
  assert.equal(rt.call('net.cidr_is_valid', '5'), 'false');
});

test('net.cidr_expand lists every address as Go writes it', () => {
  assert.equal(rt.call('net.cidr_expand', '"192.168.1.0/30"'), '{"192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"}');
  assert.equal(rt.call('net.cidr_expand', '"10.0.0.7/32"'), '{"10.0.0.7"}');
  assert.equal(rt.call('net.cidr_expand', '"2001:db8::/126"'), '{"2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"}');
  assert.equal(rt.call('net.cidr_expand', '"fe80:0:0:1::ffff/128"'), '{"fe80:0:0:1::ffff"}');
  assert.equal((rt.json('net.cidr_expand', '"10.0.0.0/16"') as string[]).length, 65536);
  assert.equal(rt.call('net.cidr_expand', '"10.0.0.0/8"'), undefined); // beyond Airlock's bound
  assert.equal(rt.call('net.cidr_expand', '"nope"'), undefined);
});
