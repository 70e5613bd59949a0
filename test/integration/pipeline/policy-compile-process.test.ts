// Policies of the long-running processes compile in a process of their own (src/policy/compile-isolated.ts): the same
// module as an in-process compile, compile errors with file:line:column, and a bounded compile time.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { compilePolicyFolderIsolated } from '../../../src/policy/compile-isolated.ts';
import { compilePolicyFolder } from '../../../src/policy/compiler.ts';
import { PolicyLoadError } from '../../../src/policy/errors.ts';

const FIXTURE = new URL('../../fixtures/policies/simple/', import.meta.url).pathname;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-compile-process-'));
  cpSync(FIXTURE, dir, { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

it('gives the module and data an in-process compile gives', async () => {
  const [isolated, inProcess] = await Promise.all([compilePolicyFolderIsolated(dir), compilePolicyFolder(dir)]);
  assert.ok(isolated.wasm instanceof Uint8Array && isolated.wasm.length > 1000);
  assert.deepEqual(Buffer.from(isolated.wasm), Buffer.from(inProcess.wasm));
  assert.deepEqual(isolated.data, inProcess.data);
  assert.equal(isolated.source, dir);
});

it('reports compile errors with file:line:column, as a typed error', async () => {
  const broken = mkdtempSync(join(tmpdir(), 'airlock-compile-broken-'));
  try {
    cpSync(FIXTURE, broken, { recursive: true });
    writeFileSync(join(broken, 'broken.rego'), 'package airlock\n\nx := {"a": \n');
    await assert.rejects(compilePolicyFolderIsolated(broken), (e: unknown) =>
      e instanceof PolicyLoadError && e.code === 'policy_compile_failed' && e.details.some((d) => /broken\.rego:\d+:\d+: /.test(d)));
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
});

it('kills a compile that takes longer than its limit and fails the load', async () => {
  const t0 = Date.now();
  await assert.rejects(compilePolicyFolderIsolated(dir, undefined, 50), (e: unknown) =>
    e instanceof PolicyLoadError && e.code === 'policy_compile_failed' && /took longer than 0\.05 s/.test(e.message));
  assert.ok(Date.now() - t0 < 5000, 'the limit is enforced, not waited out');
});
