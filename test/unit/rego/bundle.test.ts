import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWasmBundle, writeWasmBundle, BundleFormatError } from '../../../src/rego/bundle/index.ts';
import { readTar, writeTar } from '../../../src/rego/bundle/tar.ts';

test('tar round trip keeps names and bytes, including sizes on block boundaries', () => {
  const entries = [
    { name: 'a.txt', data: new TextEncoder().encode('hello') },
    { name: 'dir/b.bin', data: new Uint8Array(512).map((_, i) => i % 251) },
    { name: 'empty', data: new Uint8Array(0) },
  ];
  const back = readTar(writeTar(entries));
  assert.deepEqual(back.map((e) => e.name), ['a.txt', 'dir/b.bin', 'empty']);
  assert.deepEqual([...back[1]!.data], [...entries[1]!.data]);
  assert.equal(back[2]!.data.length, 0);
});

test('bundle has the opa build -t wasm layout and the system tar can list and extract it', () => {
  const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const gz = writeWasmBundle({ wasm, data: { limits: { max: 3 } }, entrypoints: ['airlock/decision'] });
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bundle-'));
  writeFileSync(join(dir, 'bundle.tar.gz'), gz);
  const listing = execFileSync('tar', ['tzf', join(dir, 'bundle.tar.gz')], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(listing, ['.manifest', 'data.json', 'policy.wasm']);
  execFileSync('tar', ['xzf', join(dir, 'bundle.tar.gz'), '-C', dir]);
  const manifest = JSON.parse(readFileSync(join(dir, '.manifest'), 'utf8'));
  assert.deepEqual(manifest.wasm, [{ entrypoint: 'airlock/decision', module: '/policy.wasm' }]);
  const back = readWasmBundle(gz);
  assert.deepEqual([...back.wasm], [...wasm]);
  assert.deepEqual(back.data, { limits: { max: 3 } });
});

test('a bundle written by the system tar with ./ prefixes is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bundle-'));
  writeFileSync(join(dir, 'policy.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
  writeFileSync(join(dir, 'data.json'), '{"x":1}');
  writeFileSync(join(dir, '.manifest'), '{"wasm":[{"entrypoint":"a/b","module":"/policy.wasm"}]}');
  execFileSync('tar', ['czf', join(dir, 'b.tar.gz'), '-C', dir, './policy.wasm', './data.json', './.manifest']);
  const back = readWasmBundle(readFileSync(join(dir, 'b.tar.gz')));
  assert.deepEqual(back.data, { x: 1 });
  assert.equal(back.manifest.wasm?.[0]?.entrypoint, 'a/b');
});

test('garbage is a typed bundle error, not a crash', () => {
  assert.throws(() => readWasmBundle(new Uint8Array([1, 2, 3])), BundleFormatError);
});
