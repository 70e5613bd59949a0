// `--watch`: a change to a .rego file under the folder reruns the callback once (debounced); other files are ignored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchFolder } from '../../../src/policy/authoring/watch.ts';

test('a burst of .rego changes reruns once; a .txt change does not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-watch-'));
  let runs = 0;
  const handle = watchFolder(dir, async () => {
    runs++;
  }, 100);
  try {
    await sleep(100);
    writeFileSync(join(dir, 'notes.txt'), 'x');
    await sleep(400);
    assert.equal(runs, 0);
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'a.rego'), `package a\nx := ${i}\n`);
    const deadline = Date.now() + 5000;
    while (runs === 0 && Date.now() < deadline) await sleep(50);
    await sleep(300);
    assert.equal(runs, 1);
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
