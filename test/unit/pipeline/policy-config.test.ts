// Decision reading (fail closed on anything malformed), the policy holder without a policy, bundles, and configuration parsing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../../src/config/index.ts';
import { readBundle } from '../../../src/policy/bundle.ts';
import { readDecision } from '../../../src/policy/decision.ts';
import { createPolicyHolder } from '../../../src/policy/engine.ts';
import { PolicyLoadError } from '../../../src/policy/errors.ts';
import { promPolicyMetrics } from '../../../src/metrics/policy-metrics.ts';

describe('decision contract', () => {
  it('reads a well-formed decision with obligations', () => {
    const d = readDecision([{ result: { outcome: 'review', reasons: ['r'], max_tokens: 10, cost_ceiling_usd: 1.5, on_budget_exceeded: 'review' } }], 'rev', 0.1);
    assert.deepEqual([d.outcome, d.reasons, d.maxTokens, d.costCeilingUsd, d.onBudgetExceeded, d.failClosed], ['review', ['r'], 10, 1.5, 'review', null]);
  });
  it('undefined, missing fields or wrong types deny', () => {
    assert.equal(readDecision([], 'rev', 0).failClosed, 'undefined_decision');
    for (const bad of [{ outcome: 'allow' }, { outcome: 'maybe', reasons: [] }, { outcome: 'allow', reasons: 'x' }, 'allow', null]) {
      const d = readDecision([{ result: bad }], 'rev', 0);
      assert.equal(d.outcome, 'deny');
      assert.equal(d.failClosed, 'malformed_decision');
    }
  });
  it('no policy loaded → deny; a failed load is recorded and rethrown', async () => {
    const holder = createPolicyHolder({ load: async () => { throw new PolicyLoadError('policy_compile_failed', 'broken', ['a.rego:1:1: rego_parse_error: x']); }, logger: pino({ level: 'silent' }), metrics: promPolicyMetrics });
    assert.equal(holder.evaluate({}).failClosed, 'no_policy');
    await assert.rejects(holder.reload(), PolicyLoadError);
    const st = holder.status();
    assert.equal(st.loaded, false);
    assert.equal(st.lastError?.code, 'policy_compile_failed');
    assert.deepEqual(st.lastError?.details, ['a.rego:1:1: rego_parse_error: x']);
  });
});

describe('OPA bundles', () => {
  function tar(files: Record<string, string | Buffer>): Buffer {
    const blocks: Buffer[] = [];
    for (const [name, content] of Object.entries(files)) {
      const body = Buffer.from(content);
      const h = Buffer.alloc(512);
      h.write(name, 0);
      h.write('0000644\0', 100);
      h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
      h.write('0', 156);
      h.write('ustar\0', 257);
      blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024));
    return gzipSync(Buffer.concat(blocks));
  }
  it('reads /policy.wasm, /data.json (root and nested) and /.manifest', () => {
    const b = readBundle(tar({
      '/.manifest': JSON.stringify({ revision: 'x', wasm: [{ entrypoint: 'airlock/decision', module: '/policy.wasm' }] }),
      '/policy.wasm': Buffer.from([0, 97, 115, 109]),
      '/data.json': JSON.stringify({ agents: { a: {} } }),
      '/limits/data.json': JSON.stringify({ max: 3 }),
    }), 'b.tar.gz');
    assert.deepEqual([...b.wasm], [0, 97, 115, 109]);
    assert.deepEqual(b.data, { agents: { a: {} }, limits: { max: 3 } });
    assert.equal(b.manifest.wasm?.[0]?.entrypoint, 'airlock/decision');
  });
  it('rejects non-gzip input and bundles without a module', () => {
    assert.throws(() => readBundle(Buffer.from('nope'), 'x'), PolicyLoadError);
    assert.throws(() => readBundle(tar({ '/data.json': '{}' }), 'x'), /no \/policy\.wasm/);
  });
});

describe('configuration', () => {
  it('safe defaults', () => {
    const c = loadConfig({});
    assert.equal(c.redisUrl, null);
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.reviewTtlSeconds, 86400);
    assert.equal(c.tokens, null);
    assert.match(c.policyDir, /policies$/);
    assert.equal(c.fetchLoops, 2);
  });
  it('parses tokens and durations, and names the bad variable', () => {
    const c = loadConfig({ AIRLOCK_TOKENS: 'a:agent, b:reviewer,c:admin', AIRLOCK_REVIEW_TTL: '90m', AIRLOCK_PORT: '9000' });
    assert.deepEqual(c.tokens, [{ token: 'a', role: 'agent' }, { token: 'b', role: 'reviewer' }, { token: 'c', role: 'admin' }]);
    assert.equal(c.reviewTtlSeconds, 5400);
    assert.equal(c.port, 9000);
    const bound = loadConfig({ AIRLOCK_TOKENS: 'tokA:agent:support-bot,tokB:agent,tokC:admin' });
    assert.deepEqual(bound.tokens, [{ token: 'tokA', role: 'agent', agentId: 'support-bot' }, { token: 'tokB', role: 'agent' }, { token: 'tokC', role: 'admin' }]);
    // The error names the variable the user set, in the message and in `fields`.
    const names = (env: Record<string, string>, fields: string[], text: RegExp) =>
      assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.code === 'config_invalid' && text.test(e.message) && JSON.stringify(e.fields) === JSON.stringify(fields));
    names({ AIRLOCK_TOKENS: 'a:boss' }, ['AIRLOCK_TOKENS'], /^invalid configuration: AIRLOCK_TOKENS: .*"a:boss"/);
    names({ AIRLOCK_PORT: 'http' }, ['AIRLOCK_PORT'], /^invalid configuration: AIRLOCK_PORT: /);
    names({ AIRLOCK_REVIEW_TTL: 'soon' }, ['AIRLOCK_REVIEW_TTL'], /^invalid configuration: AIRLOCK_REVIEW_TTL: not a duration: "soon"/);
    names({ AIRLOCK_FETCH_LOOPS: '0' }, ['AIRLOCK_FETCH_LOOPS'], /^invalid configuration: AIRLOCK_FETCH_LOOPS: /);
    names({ AIRLOCK_PORT: '99999', AIRLOCK_LOG_LEVEL: 'loud' }, ['AIRLOCK_PORT', 'AIRLOCK_LOG_LEVEL'], /AIRLOCK_PORT: .*; AIRLOCK_LOG_LEVEL: /);
  });
  it('reads switches the same from the environment and from the config file', () => {
    for (const off of ['0', 'false', 'No', 'FALSE']) assert.equal(loadConfig({ AIRLOCK_POLICY_WATCH: off }).policyWatch, false, off);
    for (const on of ['1', 'true', 'yes', 'on']) assert.equal(loadConfig({ AIRLOCK_TOOLS_WATCH: on }).toolsWatch, true, on);
    assert.equal(loadConfig({}).policyWatch, true);
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    try {
      const file = join(dir, 'airlock.yaml');
      writeFileSync(file, 'policyWatch: "false"\ntoolsWatch: false\n');
      const c = loadConfig({ AIRLOCK_CONFIG: file });
      assert.equal(c.policyWatch, false, 'a quoted "false" in the file is off, as in the environment');
      assert.equal(c.toolsWatch, false);
      writeFileSync(file, 'policyWatch: 0\ntoolsWatch: yes\n');
      assert.deepEqual([loadConfig({ AIRLOCK_CONFIG: file }).policyWatch, loadConfig({ AIRLOCK_CONFIG: file }).toolsWatch], [false, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('names the key of the AIRLOCK_CONFIG file at fault, and rejects keys it does not know', () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-config-'));
    try {
      const file = join(dir, 'airlock.yaml');
      writeFileSync(file, 'port: 9100\nreviewTtlSeconds: 2h\n');
      const c = loadConfig({ AIRLOCK_CONFIG: file });
      assert.equal(c.port, 9100);
      assert.equal(c.reviewTtlSeconds, 7200);
      assert.equal(loadConfig({ AIRLOCK_CONFIG: file, AIRLOCK_PORT: '9200' }).port, 9200, 'the environment wins over the file');
      writeFileSync(file, 'port: 9100\nreviewTtlSeconds: later\n');
      assert.throws(() => loadConfig({ AIRLOCK_CONFIG: file }), (e: unknown) =>
        e instanceof ConfigError && /AIRLOCK_CONFIG:reviewTtlSeconds: not a duration/.test(e.message) && e.fields.join() === 'AIRLOCK_CONFIG:reviewTtlSeconds');
      writeFileSync(file, 'port: 9100\nreviewTTL: 2h\n');
      assert.throws(() => loadConfig({ AIRLOCK_CONFIG: file }), (e: unknown) =>
        e instanceof ConfigError && /unknown setting "reviewTTL"/.test(e.message) && e.fields.join() === 'AIRLOCK_CONFIG:reviewTTL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
