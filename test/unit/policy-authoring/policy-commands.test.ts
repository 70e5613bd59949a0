// `airlock policy test|eval|check` end to end on small fixture folders: real compiler, real SDK, real process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { airlock, fixtures } from './cli.ts';

test('policy test: a deliberately broken test fails with its file and line; summary last; exit 1', async () => {
  const r = await airlock(['policy', 'test', `${fixtures}/tests-mixed`]);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.at(-1), '2 passed, 1 failed, 1 skipped', r.stdout + r.stderr);
  assert.match(r.stdout, /FAIL test\/fixtures\/policy-authoring\/tests-mixed\/limits_test\.rego:11: data\.fixture\.limits_test\.test_large_refund_allowed/);
  assert.equal(r.code, 1);
});

test('policy test --run selects tests; --verbose lists them; all passing exits 0', async () => {
  const r = await airlock(['policy', 'test', `${fixtures}/tests-mixed`, '--verbose', '--run', 'small|override']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS data\.fixture\.limits_test\.test_small_refund_allowed/);
  assert.match(r.stdout, /PASS data\.fixture\.limits_test\.test_limit_from_data_override/);
  assert.equal(r.stdout.trimEnd().split('\n').at(-1), '2 passed, 0 failed');
});

test('policy check: several compile errors at once, each file:line:col; exit 2', async () => {
  const r = await airlock(['policy', 'check', `${fixtures}/compile-errors`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const located = r.stderr.split('\n').filter((l) => /^test\/fixtures\/policy-authoring\/compile-errors\/\w+\.rego:\d+:\d+: rego_\w+: ./.test(l));
  const files = new Set(located.map((l) => l.split(':')[0]));
  assert.ok(files.has(`${fixtures}/compile-errors/first.rego`), r.stderr);
  assert.ok(files.has(`${fixtures}/compile-errors/second.rego`), r.stderr);
  for (const l of located) {
    const line = Number(l.split(':')[1]);
    assert.ok(line >= 4 && line <= 5, `error reported on line ${line}, expected 4 or 5: ${l}`);
  }
});

test('policy test on a folder that does not compile shows the errors and exits 2', async () => {
  const r = await airlock(['policy', 'test', `${fixtures}/compile-errors`]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /first\.rego:\d+:\d+: rego_/);
});

test('policy eval prints JSON, merges --data, and prints undefined when undefined', async () => {
  const dir = `${fixtures}/eval`;
  const greeted = await airlock(['policy', 'eval', '-d', dir, '-i', `${dir}/input.json`, 'data.fixture.greet.greeting']);
  assert.equal(greeted.code, 0, greeted.stderr);
  assert.equal(JSON.parse(greeted.stdout), 'Bonjour, Ada');

  const langs = await airlock(['policy', 'eval', '-d', dir, '--data', `${dir}/extra-data.json`, 'data.fixture.greet.languages']);
  assert.deepEqual(JSON.parse(langs.stdout), ['de', 'en', 'fr']);

  const none = await airlock(['policy', 'eval', '-d', dir, 'data.fixture.greet.greeting']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout.trim(), 'undefined');
});

test('bad data.json and bad references are clear errors, not stack traces', async () => {
  const bad = await airlock(['policy', 'check', `${fixtures}/bad-data`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad-data\/data\.json:3:\d+: rego_parse_error: invalid JSON/);

  const ref = await airlock(['policy', 'eval', '-d', `${fixtures}/eval`, 'input.name']);
  assert.equal(ref.code, 2);
  assert.match(ref.stderr, /^error: input\.name: expected a reference into data/);
  assert.doesNotMatch(ref.stderr, /\n\s+at /);

  const missing = await airlock(['policy', 'eval', '-d', `${fixtures}/eval`, '-i', 'no/such/input.json', 'data.fixture.greet.greeting']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/input\.json: cannot read input file/);
});
