// The Node flags Airlock's processes run with are the same wherever they are started: the `airlock` command's shebang,
// `npm start`, and the end-to-end harness (which starts the processes the benchmarks and tests measure).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AIRLOCK_NODE_FLAGS, ROOT } from '../e2e/pipeline/harness.ts';

test('bin/airlock.js\'s shebang, npm start and the e2e harness pass the same Node flags', () => {
  assert.ok(AIRLOCK_NODE_FLAGS.includes('--no-memory-reducer'));
  const shebang = readFileSync(join(ROOT, 'bin/airlock.js'), 'utf8').split('\n')[0]!;
  assert.equal(shebang, `#!/usr/bin/env -S node ${AIRLOCK_NODE_FLAGS.join(' ')}`);
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  assert.equal(start, `node ${AIRLOCK_NODE_FLAGS.join(' ')} bin/airlock.js up`);
});
