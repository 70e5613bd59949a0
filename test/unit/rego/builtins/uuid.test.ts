// uuid.parse and uuid.rfc4122 on the runtime module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const parse = (s: string) => rt.json('uuid.parse', JSON.stringify(s));

test('uuid.parse decodes version 1 and 2 fields as OPA does', () => {
  assert.deepEqual(parse('b01d0062-a116-11ee-822b-7ab0b9e5e0c0'), {
    clocksequence: 555, macvariables: 'local:unicast', nodeid: '7a-b0-b9-e5-e0-c0', time: 1703282931110717000, variant: 'RFC4122', version: 1,
  });
  assert.deepEqual(parse('000003e8-a129-21ee-ae00-325096b39f47'), {
    clocksequence: 11776, domain: 'Person', id: 1000, macvariables: 'local:unicast', nodeid: '32-50-96-b3-9f-47', time: 1703290796079613600, variant: 'RFC4122', version: 2,
  });
  assert.equal((parse('6ba7b810-9dad-11d1-80b4-00c04fd430c8') as { macvariables: string }).macvariables, 'global:unicast');
});

test('uuid.parse: other versions give version and variant only; accepted spellings', () => {
  assert.deepEqual(parse('c6db027c-615c-3b4d-959e-1a917747ca5a'), { variant: 'RFC4122', version: 3 });
  assert.deepEqual(parse('A6342DF8-7801-469C-B3F3-C5317A0EBDAA'), { variant: 'RFC4122', version: 4 });
  assert.deepEqual(parse('{a6342df8-7801-469c-b3f3-c5317a0ebdaa}'), { variant: 'RFC4122', version: 4 });
  assert.deepEqual(parse('urn:uuid:a6342df8-7801-469c-b3f3-c5317a0ebdaa'), { variant: 'RFC4122', version: 4 });
  assert.deepEqual(parse('a6342df87801469cb3f3c5317a0ebdaa'), { variant: 'RFC4122', version: 4 });
  assert.deepEqual(parse('017F22E2-79B0-7CC3-98C4-DC0C0C07398F'), { variant: 'RFC4122', version: 7 });
  assert.deepEqual(parse('a6342df8-7801-469c-d3f3-c5317a0ebdaa'), { variant: 'Microsoft', version: 4 });
  for (const bad of ['not-valid', '', 'a6342df8-7801-469c-b3f3-c5317a0ebdax', 'a6342df8x7801-469c-b3f3-c5317a0ebdaa']) assert.equal(parse(bad), undefined, bad);
  assert.equal(rt.call('uuid.parse', '42'), undefined);
});

test('uuid.rfc4122 is a well-formed v4 UUID, the same for the same key', () => {
  const a = rt.json('uuid.rfc4122', '"1"') as string;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(rt.json('uuid.rfc4122', '"1"'), a);
  assert.notEqual(rt.json('uuid.rfc4122', '"2"'), a);
  assert.deepEqual(parse(a), { variant: 'RFC4122', version: 4 });
  assert.equal(rt.call('uuid.rfc4122', '42'), undefined);
});
