// Hash builtins on the runtime module, checked against Node's crypto implementation of the same digests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const inputs = ['', 'abc', 'The quick brown fox jumps over the lazy dog', 'é ünïcödé ✓', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(1000)];

test('crypto.sha256, sha1 and md5 give the lowercase hex digest of the UTF-8 bytes', () => {
  for (const s of inputs) {
    for (const [builtin, alg] of [['crypto.sha256', 'sha256'], ['crypto.sha1', 'sha1'], ['crypto.md5', 'md5']] as const) {
      assert.equal(rt.json(builtin, JSON.stringify(s)), createHash(alg).update(s, 'utf8').digest('hex'), `${builtin}(${s.length})`);
    }
  }
  assert.equal(rt.call('crypto.sha256', '1'), undefined);
});

test('crypto.hmac.sha256(message, key)', () => {
  for (const key of ['', 'key', 'k'.repeat(64), 'k'.repeat(100)]) {
    for (const s of inputs.slice(0, 4)) {
      assert.equal(rt.json('crypto.hmac.sha256', JSON.stringify(s), JSON.stringify(key)), createHmac('sha256', key).update(s, 'utf8').digest('hex'));
    }
  }
  assert.equal(rt.call('crypto.hmac.sha256', '"x"', 'null'), undefined);
});
