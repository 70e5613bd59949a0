// Time builtins on the runtime module; expected values are Go's / OPA's results for the same calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const T = '1703444325734390000'; // 2023-12-24T18:58:45.73439Z, a Sunday
const T2 = '1257894000000000000'; // 2009-11-10T23:00:00Z, a Tuesday

test('time.date, time.clock, time.weekday in UTC and named zones', () => {
  assert.equal(rt.call('time.date', T), '[2023, 12, 24]');
  assert.equal(rt.call('time.date', `[${T2}, "UTC"]`), '[2009, 11, 10]');
  assert.equal(rt.call('time.clock', T), '[18, 58, 45]');
  for (const z of ['UTC', '', 'Local']) assert.equal(rt.call('time.clock', `[${T}, "${z}"]`), '[18, 58, 45]', z);
  assert.equal(rt.call('time.clock', `[${T}, "CET"]`), '[19, 58, 45]');
  assert.equal(rt.call('time.clock', `[${T}, "America/New_York"]`), '[13, 58, 45]');
  assert.equal(rt.call('time.clock', '[1688000000000000000, "Europe/Berlin"]'), '[2, 53, 20]'); // 2023-06-29 00:53:20Z, CEST
  assert.equal(rt.call('time.clock', '[1688000000000000000, "America/Los_Angeles"]'), '[17, 53, 20]'); // PDT
  assert.equal(rt.call('time.date', `[${T2}, "Asia/Tokyo"]`), '[2009, 11, 11]');
  assert.equal(rt.call('time.weekday', T), '"Sunday"');
  assert.equal(rt.call('time.weekday', `[${T2}, ""]`), '"Tuesday"');
  assert.equal(rt.call('time.date', '-1'), '[1969, 12, 31]');
  assert.equal(rt.call('time.date', '-62135596800000000000'), undefined); // outside i64 ns: not a valid timestamp
});

test('time arguments of the wrong shape or unknown zones are undefined', () => {
  assert.equal(rt.call('time.date', `"${T}"`), undefined);
  assert.equal(rt.call('time.clock', '[]'), undefined);
  assert.equal(rt.call('time.clock', `[${T}, 1]`), undefined);
  assert.equal(rt.call('time.clock', `[${T}, "Mars/Olympus"]`), undefined);
  assert.equal(rt.call('time.clock', '1.5'), undefined);
});

test('time.parse_ns, parse_rfc3339_ns with Go layouts', () => {
  assert.equal(rt.call('time.parse_ns', '"2006-01-02T15:04:05"', '"2016-05-10T19:06:42"'), '1462907202000000000');
  assert.equal(rt.call('time.parse_ns', '"2006-01-02 15:04:05"', '"2015-09-05 23:56:04"'), '1441497364000000000');
  assert.equal(rt.call('time.parse_ns', '"2006-01-02"', '"2020-02-02"'), '1580601600000000000');
  assert.equal(rt.call('time.parse_ns', '"RFC3339"', '"2020-02-02T01:00:00+01:00"'), '1580601600000000000');
  assert.equal(rt.call('time.parse_ns', '"Mon, 02 Jan 2006 15:04:05 MST"', '"Sun, 02 Feb 2020 00:00:00 UTC"'), '1580601600000000000');
  assert.equal(rt.call('time.parse_ns', '"2006 Jan _2 3:04PM"', '"2020 Feb  2 3:04PM"'), '1580655840000000000');
  assert.equal(rt.call('time.parse_ns', '"Jan _2 3:04PM"', '"Feb  2 3:04PM"'), undefined); // no year: Go's year 0 is outside the i64 ns range
  assert.equal(rt.call('time.parse_ns', '"2006-01-02"', '"2020-02-30"'), undefined);
  assert.equal(rt.call('time.parse_ns', '"2006-01-02"', '"2020-02-02x"'), undefined);
  assert.equal(rt.call('time.parse_ns', '"2006-01-02"', '5'), undefined);
  assert.equal(rt.call('time.parse_rfc3339_ns', '"1985-04-12T23:20:50.52Z"'), '482196050520000000');
  assert.equal(rt.call('time.parse_rfc3339_ns', '"1996-12-19T16:39:57-08:00"'), '851042397000000000');
  assert.equal(rt.call('time.parse_rfc3339_ns', '"1996-12-19"'), undefined);
});

test('time.format with default, explicit and named layouts; round trip through parse_ns', () => {
  // Go's RFC3339Nano drops trailing zeros of the fraction.
  assert.equal(rt.call('time.format', T), '"2023-12-24T18:58:45.73439Z"');
  assert.equal(rt.call('time.format', T2), '"2009-11-10T23:00:00Z"');
  assert.equal(rt.call('time.format', `[${T}, "UTC", "2006-01-02T15:04:05"]`), '"2023-12-24T18:58:45"');
  assert.equal(rt.call('time.format', `[${T2}, "", "02/01/2006 15:04"]`), '"10/11/2009 23:00"');
  assert.equal(rt.call('time.format', `[${T2}, "UTC", "RFC1123"]`), '"Tue, 10 Nov 2009 23:00:00 UTC"');
  assert.equal(rt.call('time.format', `[${T2}, "America/New_York", "Mon Jan _2 3:04PM MST -07:00 .000"]`), '"Tue Nov 10 6:00PM EST -05:00 .000"');
  assert.equal(rt.call('time.format', `[${T}, "CET", "2006-01-02T15:04:05.999999999Z07:00"]`), '"2023-12-24T19:58:45.73439+01:00"');
  const layout = '"2006-01-02T15:04:05.999999999"';
  const text = rt.call('time.format', `[${T}, "UTC", ${layout}]`)!;
  assert.equal(rt.call('time.parse_ns', layout, text), T);
  assert.equal(rt.call('time.format', `[${T}, "UTC", 42]`), undefined);
});

test('time.parse_duration_ns follows Go', () => {
  const cases: Array<[string, string | undefined]> = [
    ['1h', '3600000000000'], ['5m', '300000000000'], ['45s', '45000000000'], ['15ms', '15000000'],
    ['1h6m13.3s20ms15µs1ns', '3973320015001'], ['1.2h20.2ms15µs56ns', '4320020215056'], ['45.67s123ms', '45793000000'],
    ['15.000001ms', '15000001'], ['-1.5us', '-1500'], ['0', '0'], ['+2s', '2000000000'],
    ['', undefined], ['1', undefined], ['1d', undefined], ['.s', undefined], ['9999999999h', undefined],
  ];
  for (const [s, want] of cases) assert.equal(rt.call('time.parse_duration_ns', JSON.stringify(s)), want, s);
  assert.equal(rt.call('time.parse_duration_ns', '100'), undefined);
});

test('time.add_date normalizes like Go and is undefined out of range', () => {
  const cases: Array<[string, string, string, string]> = [
    ['0', '0', '0', T], ['1', '0', '0', '1735066725734390000'], ['-60', '0', '0', '-190011674265610000'],
    ['0', '15', '0', '1742842725734390000'], ['0', '-19', '0', '1653418725734390000'], ['0', '0', '37', '1706641125734390000'],
    ['213', '6', '5', '8441261925734390000'], ['-213', '-6', '-5', '-5034459674265610000'], ['10', '14', '-75', '2049476325734390000'],
  ];
  for (const [y, m, d, want] of cases) assert.equal(rt.call('time.add_date', T, y, m, d), want, `${y} ${m} ${d}`);
  assert.equal(rt.call('time.add_date', '1580515200000000000', '0', '1', '0'), '1583020800000000000'); // Jan 31 2020 + 1 month = Mar 2
  assert.equal(rt.call('time.add_date', T, '2147483647', '0', '0'), undefined);
  assert.equal(rt.call('time.add_date', T, '-2147483647', '0', '0'), undefined);
  assert.equal(rt.call('time.add_date', T, '1.5', '0', '0'), undefined);
});

test('time.diff', () => {
  assert.equal(rt.call('time.diff', T, T2), '[14, 1, 13, 19, 58, 45]');
  assert.equal(rt.call('time.diff', T2, T), '[14, 1, 13, 19, 58, 45]');
  assert.equal(rt.call('time.diff', `[${T}, "UTC"]`, `[${T2}, ""]`), '[14, 1, 13, 19, 58, 45]');
  assert.equal(rt.call('time.diff', '1580601600000000000', '1583020800000000000'), '[0, 0, 28, 0, 0, 0]'); // 2020-02-02 .. 2020-03-01
  assert.equal(rt.call('time.diff', `"${T}"`, T2), undefined);
  // Same second, different zones: b is read in a's zone, the order comes from the nanoseconds.
  assert.equal(rt.call('time.diff', `[${T}, "CET"]`, '1703444325000000000'), '[0, 0, 0, 0, 0, 0]');
});

test('the i64 nanosecond range is enforced at both ends', () => {
  assert.equal(rt.call('time.parse_rfc3339_ns', '"2262-04-11T23:47:16.854775807Z"'), '9223372036854775807');
  assert.equal(rt.call('time.parse_rfc3339_ns', '"2262-04-11T23:47:16.854775808Z"'), undefined);
  assert.equal(rt.call('time.parse_rfc3339_ns', '"1677-09-21T00:12:43.145224192Z"'), '-9223372036854775808');
  assert.equal(rt.call('time.parse_rfc3339_ns', '"1677-09-21T00:12:43.145224191Z"'), undefined);
  assert.equal(rt.call('time.add_date', '9223372036854775807', '0', '0', '1'), undefined);
});
