// `airlock policy build` end to end: real compiler, real SDK, real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { readWasmBundle } from '../../../src/rego/bundle/index.ts';

const bin = resolve(import.meta.dirname, '../../../bin/airlock.js');
const airlock = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

const dir = mkdtempSync(join(tmpdir(), 'airlock-build-'));
writeFileSync(
  join(dir, 'limits.rego'),
  [
    'package limits',
    '',
    'default allow := false',
    '',
    'allow if input.amount <= data.limits.max',
    '',
    'over contains name if {',
    '  some name, amount in input.items',
    '  amount > data.limits.max',
    '}',
  ].join('\n'),
);
writeFileSync(join(dir, 'data.json'), JSON.stringify({ limits: { max: 100 } }));

test('builds a module with several entrypoints that the SDK evaluates', async () => {
  const out = join(dir, 'policy.wasm');
  const r = airlock('policy', 'build', join(dir, 'limits.rego'), '--data', join(dir, 'data.json'), '-e', 'limits/allow', '-e', 'limits/over', '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const policy = await loadPolicy(readFileSync(out));
  policy.setData({ limits: { max: 100 } });
  assert.deepEqual(policy.evaluate({ amount: 50 }, 'limits/allow'), [{ result: true }]);
  assert.deepEqual(policy.evaluate({ amount: 500 }, 'limits/allow'), [{ result: false }]);
  assert.deepEqual(policy.evaluate({ items: { a: 1, b: 300, c: 101 } }, 'limits/over'), [{ result: ['b', 'c'] }]);
  assert.deepEqual(Object.keys(policy.entrypoints).sort(), ['limits/allow', 'limits/over']);
});

test('--bundle writes the opa build -t wasm layout with the folder data', async () => {
  const out = join(dir, 'bundle.tar.gz');
  const r = airlock('policy', 'build', dir, '--bundle', '-e', 'limits/allow', '-o', out);
  assert.equal(r.status, 0, r.stderr);
  const bundle = readWasmBundle(readFileSync(out));
  assert.deepEqual(bundle.data, { limits: { max: 100 } });
  assert.deepEqual(bundle.manifest.wasm, [{ entrypoint: 'limits/allow', module: '/policy.wasm' }]);
  const policy = await loadPolicy(bundle.wasm);
  policy.setData(bundle.data as object);
  assert.deepEqual(policy.evaluate({ amount: 100 }, 'limits/allow'), [{ result: true }]);
});

test('bad Rego: several errors at once, each file:line:col with a code, exit 1, no module written', () => {
  const bad = join(dir, 'bad.rego');
  writeFileSync(bad, ['package bad', '', 'p if {', '  x := y', '}', '', 'q := count(1, 2)', '', 'r if nosuch.fn(1)'].join('\n'));
  const out = join(dir, 'bad.wasm');
  const r = airlock('policy', 'build', bad, '-e', 'bad/p', '-o', out);
  assert.equal(r.status, 1);
  const lines = r.stderr.split('\n').filter((l) => /^.+:\d+:\d+: rego_\w+: /.test(l));
  assert.ok(lines.length >= 2, `expected several located errors, got:\n${r.stderr}`);
  assert.ok(lines.some((l) => l.startsWith(`${bad}:4:`) && l.includes('rego_unsafe_var_error')), r.stderr);
  assert.ok(lines.some((l) => l.startsWith(`${bad}:7:`)), r.stderr);
  assert.throws(() => readFileSync(out));
});

test('a parse error names file, line and column', () => {
  const bad = join(dir, 'syntax.rego');
  writeFileSync(bad, 'package s\n\np if {\n  x := \n}\n');
  const r = airlock('policy', 'build', bad, '-e', 's/p', '-o', join(dir, 's.wasm'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: rego_parse_error: `));
});

test('--dump ir prints the plan instead of writing a module', () => {
  const r = airlock('policy', 'build', join(dir, 'limits.rego'), '-e', 'limits/allow', '--dump', 'ir');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /plan limits\/allow/);
});
