// `with` replacing user functions: by a builtin, and by another function that calls the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueOf } from './evaluate.ts';

test('a user function may be replaced by a builtin', async () => {
  const got = await valueOf(['package t\nsize(_) := -1\nr := v if v := size(["a", "b"]) with size as count\n'], 't/r');
  assert.equal(got, 2);
});

test('inside the replacement function the original is called, not the mock again', async () => {
  const got = await valueOf(['package t\nbase(x) := x * 10\nwrapped(x) := base(x) + 1\nr := v if v := base(2) with base as wrapped\n'], 't/r');
  assert.equal(got, 21);
});

test('a call replaced by a value still needs its arguments defined', async () => {
  const src = ['package t\nr if count(input.missing) == 1 with count as 1\ns if count(input.xs) == 1 with count as 1\n'];
  assert.equal(await valueOf(src, 't/r', { input: {} }), undefined);
  assert.equal(await valueOf(src, 't/s', { input: { xs: [1, 2] } }), true);
});
