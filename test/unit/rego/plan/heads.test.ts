// Rule heads lowered to the right documents: multi-value rules with ref heads keep constant elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueOf } from './evaluate.ts';

test('a partial set with a ref head keeps a constant element equal to the last ref part', async () => {
  const got = await valueOf(
    [
      `package t
a.b contains "b"
a.b contains "c"
c contains "c"
d.e contains x if some x in ["e", "f"]
`,
    ],
    't',
  );
  assert.deepEqual(got, { a: { b: ['b', 'c'] }, c: ['c'], d: { e: ['e', 'f'] } });
});
