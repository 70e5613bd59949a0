// Unit tests of turning a data reference into an SDK entrypoint name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PolicyAuthoringError } from '../../../src/policy/authoring/errors.ts';
import { entrypointOf } from '../../../src/policy/authoring/entrypoint-ref.ts';

test('dotted and bracketed references become entrypoint paths', () => {
  assert.equal(entrypointOf('data.airlock.decision'), 'airlock/decision');
  assert.equal(entrypointOf(' data.airlock["guardrails"].cost '), 'airlock/guardrails/cost');
});

test('anything else is a clear error with a stable code', () => {
  for (const bad of ['input.x', 'data', 'data.', 'airlock.decision', 'data.a[0]', 'data.a b']) {
    assert.throws(() => entrypointOf(bad), (e: unknown) => e instanceof PolicyAuthoringError && e.code === 'bad_reference', bad);
  }
});
