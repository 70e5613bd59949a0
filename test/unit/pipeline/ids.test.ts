// Action and check ids: time part + pooled random hex; unique across many pool refills, and the format the API documents.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId, randomHex } from '../../../src/pipeline/ids.ts';
import { newActionId } from '../../../src/pipeline/action-store.ts';

it('ids have the documented shape and do not repeat across pool refills', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = i % 2 ? newActionId() : newId('chk', 6);
    assert.match(id, i % 2 ? /^act_[0-9a-z]+[0-9a-f]{16}$/ : /^chk_[0-9a-z]+[0-9a-f]{12}$/);
    assert.ok(!seen.has(id), `duplicate id ${id}`);
    seen.add(id);
  }
});

it('randomHex returns the asked number of bytes, refills the pool when it runs out, and refuses more than the pool', () => {
  const parts = Array.from({ length: 1000 }, () => randomHex(13)); // 13 000 bytes: three refills of the 4 KB pool
  for (const p of parts) assert.match(p, /^[0-9a-f]{26}$/);
  assert.equal(new Set(parts).size, parts.length);
  // Not all zero, and bytes spread over the range (a broken refill would leave zeros or repeat the pool).
  const bytes = Buffer.from(parts.join(''), 'hex');
  const distinct = new Set(bytes).size;
  assert.ok(distinct > 200, `only ${distinct} distinct byte values in ${bytes.length} random bytes`);
  assert.throws(() => randomHex(5000), RangeError);
});
