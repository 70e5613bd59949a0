// semver.is_valid and semver.compare on the runtime module (OPA's internal/semver rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const cmp = (a: string, b: string) => rt.call('semver.compare', JSON.stringify(a), JSON.stringify(b));
const valid = (x: string) => rt.call('semver.is_valid', x);

test('semver.is_valid', () => {
  for (const v of ['1.9.10', '1.8.15', '1.1.12-rc1+foo', 'v1.2.3', '0.0.0', '1.2.3-alpha.1', '1.2.3+build.5']) assert.equal(valid(JSON.stringify(v)), 'true', v);
  for (const v of ['1.1', '1.2.3.4', '', 'a.b.c', '1.2.3-al_pha', '1.2.3+b_d', '1..3', '1.2.3-a..b']) assert.equal(valid(JSON.stringify(v)), 'false', v);
  // OPA only checks non-empty pre-release / metadata parts, so a bare '-' or '+' passes.
  for (const v of ['1.2.3-', '1.2.3+']) assert.equal(valid(JSON.stringify(v)), 'true', v);
  assert.equal(valid('1'), 'false');
  assert.equal(valid('null'), 'false');
});

test('semver.compare by precedence', () => {
  assert.deepEqual([cmp('1.9.10', '1.9.10'), cmp('1.9.10', '1.8.15'), cmp('1.8.15', '1.9.10')], ['0', '1', '-1']);
  assert.equal(cmp('1.10.0', '1.9.0'), '1');
  assert.equal(cmp('1.0.0-alpha', '1.0.0'), '-1');
  const order = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 0; i + 1 < order.length; i++) {
    assert.equal(cmp(order[i]!, order[i + 1]!), '-1', `${order[i]} < ${order[i + 1]}`);
    assert.equal(cmp(order[i + 1]!, order[i]!), '1');
  }
  assert.equal(cmp('1.0.0+a', '1.0.0+b'), '0');
  assert.equal(cmp('v2.0.0', '2.0.0'), '0');
  assert.equal(cmp('1.0', '1.0.0'), undefined);
  assert.equal(rt.call('semver.compare', '1', '"1.0.0"'), undefined);
});
