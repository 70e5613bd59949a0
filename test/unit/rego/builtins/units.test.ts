// units.parse / units.parse_bytes against OPA's unit tables and exact decimal results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();

test('units.parse: SI, milli, binary; integral results are integers, others 10-decimal text', () => {
  const cases: [string, string | undefined][] = [
    ['1E', '1000000000000000000'], ['1e', '1000000000000000000'], ['1P', '1000000000000000'], ['1G', '1000000000'],
    ['1M', '1000000'], ['1k', '1000'], ['1K', '1000'], ['1m', '0.0010000000'], ['1ki', '1024'], ['1KI', '1024'],
    ['1mi', '1048576'], ['1Ei', '1152921504606846976'], ['1.5Gi', '1610612736'], ['-2.25k', '-2250'], ['1e3', '1000'],
    ['"1"', '1'], ['.5', '0.5000000000'], ['1mb', undefined], ['1 m', undefined], ['1Q', undefined], ['k', undefined],
    ['1.2.3', undefined],
  ];
  for (const [s, want] of cases) assert.equal(rt.call('units.parse', JSON.stringify(s)), want, s);
});

test('units.parse_bytes: case-insensitive, truncated to an integer', () => {
  const cases: [string, string | undefined][] = [
    ['1KB', '1000'], ['1kib', '1024'], ['1EIB', '1152921504606846976'], ['1e', '1000000000000000000'],
    ['1.5kib', '1536'], ['-1.9', '-1'], ['0.9', '0'], ['1e3kb', '1000000'], ['10', '10'],
    ['1q', undefined], ['1 kb', undefined], ['1e1234567', undefined], ['', undefined],
  ];
  for (const [s, want] of cases) assert.equal(rt.call('units.parse_bytes', JSON.stringify(s)), want, s);
  assert.equal(rt.call('units.parse_bytes', '["1"]'), undefined);
});
