// The misc builtins inside compiled policies: Rego source → Airlock's compiler → the official OPA SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile, formatRegoError } from '../../../../src/rego/index.ts';

const POLICY = `package t

now := 1703444325734390000

clock := time.clock([now, "Europe/Paris"])
weekday := time.weekday(now)
business_hours if {
  [h, _, _] := time.clock(input.ts)
  h >= 9
  h < 17
}
expires_in_days := (time.parse_rfc3339_ns(input.expires) - now) / (24 * 3600 * 1000000000)

internal if net.cidr_contains("10.0.0.0/8", input.ip)
limit := object.get(input, ["budget", "limit"], 100)
total := sum([c | some c in input.costs])
biggest := max(input.costs)
paths contains p if {
  walk(input.doc, [p, v])
  is_number(v)
}
patched := json.patch(input.doc, [{"op": "add", "path": "/c", "value": 3}])
digest := crypto.sha256("abc")
newer if semver.compare(input.version, "1.2.0") > 0
bad_type := abs(input.version)
`;

const compiled = await compile([{ path: 't.rego', text: POLICY }], { entrypoints: ['t'] });
assert.deepEqual(compiled.errors.map(formatRegoError), []);
const policy = await loadPolicy(compiled.wasm!);

const input = {
  ts: 1703430000000000000, // 15:00Z
  expires: '2023-12-31T18:58:45.73439Z',
  ip: '10.20.30.40',
  budget: { limit: 25 },
  costs: [3, 7.5, 1],
  doc: { a: 1, b: { x: 2 } },
  version: '1.10.0',
};

test('builtins compose in a compiled policy evaluated by the OPA SDK', () => {
  const [{ result }] = policy.evaluate(input, 't') as Array<{ result: Record<string, unknown> }>;
  assert.deepEqual(result.clock, [19, 58, 45]);
  assert.equal(result.weekday, 'Sunday');
  assert.equal(result.business_hours, true);
  assert.equal(result.expires_in_days, 7);
  assert.equal(result.internal, true);
  assert.equal(result.limit, 25);
  assert.equal(result.total, 11.5);
  assert.equal(result.biggest, 7.5);
  assert.deepEqual(result.paths, [['a'], ['b', 'x']]);
  assert.deepEqual(result.patched, { a: 1, b: { x: 2 }, c: 3 });
  assert.equal(result.digest, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(result.newer, true);
  assert.equal('bad_type' in result, false, 'a builtin type error leaves the rule undefined (non-strict)');
});

test('undefined builtin results fail closed: a rule that needs them is undefined', () => {
  const [{ result }] = policy.evaluate({ ...input, ip: 'not-an-ip', costs: [], expires: 'soon', version: 'x' }, 't') as Array<{ result: Record<string, unknown> }>;
  for (const k of ['internal', 'biggest', 'expires_in_days', 'newer']) assert.equal(k in result, false, k);
  assert.equal(result.total, 0);
  assert.equal(result.limit, 25);
});
