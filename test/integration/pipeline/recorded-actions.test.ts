// Recorded actions are listed by submission time from the store's index (not by scanning keys): windows are exact at both
// ends, pages of the index never drop or repeat an action (many actions share a millisecond), retention empties the
// index of what it deletes, and `airlock reindex` indexes records written before the index existed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { createActionStore } from '../../../src/pipeline/action-store.ts';
import { indexRecordedActions, listActions, pruneFinalActions, readRecordedActions, readRecordedTraces } from '../../../src/pipeline/recorded-actions.ts';
import type { TimeWindow } from '../../../src/trace/recorded.ts';
import { TEST_REDIS_URL, useTestRedis } from '../../support/redis.ts';

const t = useTestRedis('recorded');
const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const ROOT = join(import.meta.dirname, '../../..');

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** 3,700 actions over 13 milliseconds: 200 in each, but 1,300 in the 7th, more ties on one score than an index page (1,000) holds. */
async function seed(prefix: string): Promise<Array<{ id: string; ms: number }>> {
  const store = createActionStore(t.redis, prefix);
  const made: Array<{ id: string; ms: number }> = [];
  for (let ms = 0; ms < 13; ms++) {
    const batch = await Promise.all(Array.from({ length: ms === 6 ? 1300 : 200 }, (_, i) =>
      store.create({ agentId: 'bot', workflowId: `wf-${i % 7}`, tool: 'echo', args: { ms, i }, estimate: {}, context: {}, idempotencyKey: null }, new Date(T0 + ms))));
    for (const b of batch) made.push({ id: b.action.id, ms });
  }
  // What the index order must be: by time, then by id (a zset orders equal scores by member).
  return made.sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : 1));
}

it('lists exactly the actions of a window, oldest first, across index pages with thousands of ties', async () => {
  const prefix = `${t.prefix}:a`;
  const made = await seed(prefix);
  const expect = (w: TimeWindow) => made.filter((m) => m.ms + T0 >= w.sinceMs && (w.untilMs === undefined || m.ms + T0 <= w.untilMs)).map((m) => m.id);

  for (const w of [{ sinceMs: 0 }, { sinceMs: T0 + 3, untilMs: T0 + 9 }, { sinceMs: T0 + 12 }, { sinceMs: T0 + 5, untilMs: T0 + 5 }, { sinceMs: T0 + 6, untilMs: T0 + 6 }, { sinceMs: T0 + 13 }]) {
    const listed = (await collect(listActions(t.redis, prefix, w))).map((a) => a.id);
    assert.equal(new Set(listed).size, listed.length, `no action listed twice in ${JSON.stringify(w)}`);
    assert.deepEqual(listed, expect(w), `window ${JSON.stringify(w)}`);
  }
  const sample = (await collect(listActions(t.redis, prefix, { sinceMs: T0 + 4, untilMs: T0 + 4 })))[0]!;
  assert.equal(sample.status, 'queued');
  assert.equal(sample.submittedMs, T0 + 4);
  assert.equal(sample.finishedMs, null);

  // The readers that export and replay use walk the same index.
  const w = { sinceMs: T0 + 11 };
  const records: string[] = [];
  for await (const r of readRecordedActions(t.redis, prefix, w, 64)) records.push(r.action.id);
  assert.deepEqual(records, expect(w));
  const traces: string[] = [];
  for await (const r of readRecordedTraces(t.redis, prefix, w, 64)) traces.push(r.action.id);
  assert.deepEqual(traces, expect(w));
});

it('an action deleted behind the index is skipped, and retention removes the index entries it deletes', async () => {
  const prefix = `${t.prefix}:b`;
  const store = createActionStore(t.redis, prefix);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { action } = await store.create({ agentId: 'bot', workflowId: 'wf', tool: 'echo', args: { i }, estimate: {}, context: {}, idempotencyKey: null }, new Date(T0 + i));
    ids.push(action.id);
  }
  await t.redis.del(`${prefix}:action:${ids[1]}`);
  assert.deepEqual((await collect(listActions(t.redis, prefix, { sinceMs: 0 }))).map((a) => a.id), [ids[0], ids[2], ids[3], ids[4]]);

  // Two become final long ago; the other two stay in flight.
  for (const id of [ids[0]!, ids[2]!]) {
    const at = new Date(T0 + 10).toISOString();
    const r = await store.transition(id, {
      from: ['queued'], to: 'failed', event: { type: 'failed', at, to: 'failed', error: { code: 'test', message: 'made final by the test' }, attempts: 0 }, fields: { finishedAt: at },
    });
    assert.equal(r.ok, true);
  }
  const result = await pruneFinalActions(t.redis, prefix, { olderThanMs: 60_000, nowMs: T0 + 3_600_000 });
  assert.deepEqual({ deleted: result.deleted, keptInFlight: result.keptInFlight }, { deleted: 2, keptInFlight: 2 });
  const indexed = await t.redis.zrange(`${prefix}:actions:submitted`, 0, -1);
  assert.deepEqual(indexed, [ids[1], ids[3], ids[4]], 'pruned actions leave the index; the in-flight ones (and the stale entry) stay');
});

it('reindex adds records written before the index existed, once; `airlock reindex` runs it', async () => {
  const prefix = `${t.prefix}:c`;
  const store = createActionStore(t.redis, prefix);
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const { action } = await store.create({ agentId: 'bot', workflowId: 'wf', tool: 'echo', args: { i }, estimate: {}, context: {}, idempotencyKey: null }, new Date(T0 + 10 * (29 - i)));
    ids.push(action.id);
  }
  // As a store from before the index would have left them: records and traces, no index; plus a foreign key under the pattern.
  await t.redis.del(`${prefix}:actions:submitted`);
  await t.redis.hset(`${prefix}:action:not-an-action`, 'note', 'no id, no submittedAt');
  assert.equal((await collect(listActions(t.redis, prefix, { sinceMs: 0 }))).length, 0);

  assert.deepEqual(await indexRecordedActions(t.redis, prefix), { scanned: 30, added: 30 });
  const listed = (await collect(listActions(t.redis, prefix, { sinceMs: 0 }))).map((a) => a.id);
  assert.deepEqual(listed, [...ids].reverse(), 'listed by submission time (created newest first here)');
  assert.deepEqual(await indexRecordedActions(t.redis, prefix), { scanned: 30, added: 0 }, 'a second run adds nothing');

  await t.redis.zrem(`${prefix}:actions:submitted`, ids[3]!, ids[7]!);
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin/airlock.js'), 'reindex'], {
    env: { ...process.env, AIRLOCK_REDIS_URL: TEST_REDIS_URL, AIRLOCK_PREFIX: prefix }, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /^indexed 2 action\(s\) that were missing; 30 recorded action\(s\) found$/m);
  assert.equal(await t.redis.zcard(`${prefix}:actions:submitted`), 30);
});
