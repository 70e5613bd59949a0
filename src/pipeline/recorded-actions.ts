// Reading recorded actions (the action hash plus its trace) by submission time, and trace retention: the pipeline owns the
// action hash and its keys, so reading and deleting them lives here; the trace module turns what is read into replays and logs.
import type { Redis } from 'ioredis';
import type { StoredTraceEvent } from '../trace/events.ts';
import type { RecordedTrace, TimeWindow } from '../trace/recorded.ts';
import { traceKey } from '../trace/store.ts';
import { actionKeys } from './action-keys.ts';
import { isFinal, type ActionRecord, type ActionStatus } from './action.ts';
import { decodeAction } from './action-store.ts';

/** An action as recorded: its record and its ordered trace events. */
export interface RecordedAction {
  action: ActionRecord;
  events: StoredTraceEvent[];
}

export interface ListedAction {
  id: string; agentId: string; workflowId: string; tool: string; submittedAt: string;
  submittedMs: number; finishedMs: number | null; status: ActionStatus; idempotencyKey: string | null;
}

/** Index entries read per round trip while listing a window. */
const LIST_PAGE = 1000;

/**
 * Ids of the actions submitted in the window, oldest first, from the submission-time index (never a scan of the key
 * space), paged by (score, member) so that a page costs O(log n + page) whatever the size of the window.
 */
async function* submittedIds(redis: Redis, prefix: string, window: TimeWindow): AsyncGenerator<string[]> {
  const key = actionKeys(prefix).submitted;
  const until = window.untilMs === undefined ? '+inf' : String(window.untilMs);
  let from = String(window.sinceMs);
  let lastScore: string | null = null;
  let lastMember = '';
  let seenAtLast = 0; // entries already read with score == lastScore (the next page starts at lastScore inclusive)
  for (;;) {
    const raw: string[] = await redis.zrangebyscore(key, from, until, 'WITHSCORES', 'LIMIT', lastScore === null ? 0 : seenAtLast, LIST_PAGE);
    if (raw.length === 0) return;
    const ids: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const member = raw[i]!;
      const score: string = raw[i + 1]!;
      // An entry added meanwhile at the current score shifts the page by one: skip what was already returned.
      if (score === lastScore && member <= lastMember) continue;
      if (score === lastScore) seenAtLast++;
      else {
        lastScore = score;
        seenAtLast = 1;
      }
      lastMember = member;
      ids.push(member);
    }
    if (ids.length > 0) yield ids;
    if (raw.length < 2 * LIST_PAGE) return;
    from = lastScore!;
  }
}

/** The actions submitted in the window (with submission and finish times and status), oldest first. */
export async function* listActions(redis: Redis, prefix: string, window: TimeWindow): AsyncGenerator<ListedAction[]> {
  const k = actionKeys(prefix);
  for await (const ids of submittedIds(redis, prefix, window)) {
    const rows = await pipelined(redis, ids.map((id): [string, ...string[]] =>
      ['hmget', k.action(id), 'id', 'submittedAt', 'finishedAt', 'status', 'agentId', 'workflowId', 'tool', 'idempotencyKey']));
    const out: ListedAction[] = [];
    for (const value of rows) {
      const [id, submittedAt, finishedAt, status, agentId, workflowId, tool, idempotencyKey] = value as Array<string | null>;
      if (!id || !submittedAt) continue; // deleted by retention between the index read and this one
      out.push({
        id, agentId: agentId ?? '', workflowId: workflowId ?? '', tool: tool ?? '', submittedAt,
        submittedMs: Date.parse(submittedAt), finishedMs: finishedAt ? Date.parse(finishedAt) : null, status: status as ActionStatus,
        idempotencyKey: idempotencyKey || null,
      });
    }
    if (out.length > 0) yield out;
  }
}

/** Every action of the window with its trace, oldest first, read `batchSize` actions per Redis round trip. */
export async function* readRecordedActions(redis: Redis, prefix: string, window: TimeWindow, batchSize = 250): AsyncGenerator<RecordedAction> {
  for await (const ids of submittedIds(redis, prefix, window)) {
    for (let i = 0; i < ids.length; i += batchSize) {
      for (const r of await readBatch(redis, prefix, ids.slice(i, i + batchSize))) yield r;
    }
  }
}

/**
 * The lighter read for replay and shadow runs: the listed fields plus the trace, where only the `decided` event is decoded
 * (the others hold arguments and results that a replay does not need). `batchSize` actions per Redis round trip.
 */
export async function* readRecordedTraces(redis: Redis, prefix: string, window: TimeWindow, batchSize = 500): AsyncGenerator<RecordedTrace> {
  for await (const listed of listActions(redis, prefix, window)) {
    for (let i = 0; i < listed.length; i += batchSize) {
      const batch = listed.slice(i, i + batchSize);
      const traces = await pipelined(redis, batch.map((a): [string, ...string[]] => ['lrange', traceKey(prefix, a.id), '0', '-1']));
      for (let j = 0; j < batch.length; j++) {
        const { id, agentId, workflowId, tool, submittedAt, status } = batch[j]!;
        yield { action: { id, agentId, workflowId, tool, submittedAt, status }, events: decodeDecidedEvents(traces[j] as string[]) };
      }
    }
  }
}

/** Decodes only `decided` events; the store writes them as {"from":...,"type":"decided",...}, checked cheaply before parsing. */
function decodeDecidedEvents(raw: string[]): StoredTraceEvent[] {
  const out: StoredTraceEvent[] = [];
  for (const s of raw) {
    const head = s.slice(0, 80);
    if (head.includes('"type":"') ? !head.includes('"type":"decided"') : !s.includes('"type":"decided"')) continue;
    const e = JSON.parse(s) as StoredTraceEvent;
    if (e.type === 'decided') out.push(e);
  }
  return out;
}

/** One recorded action, or null when there is none with that id. */
export async function readRecordedAction(redis: Redis, prefix: string, id: string): Promise<RecordedAction | null> {
  const [r] = await readBatch(redis, prefix, [id]);
  return r ?? null;
}

async function readBatch(redis: Redis, prefix: string, ids: string[]): Promise<RecordedAction[]> {
  const k = actionKeys(prefix);
  const p = redis.pipeline();
  for (const id of ids) {
    p.hgetall(k.action(id));
    p.lrange(traceKey(prefix, id), 0, -1);
  }
  const rows = await execOrThrow(p);
  const out: RecordedAction[] = [];
  for (let j = 0; j < ids.length; j++) {
    const h = rows[2 * j] as Record<string, string>;
    if (!h.id) continue; // deleted between listing and reading (retention)
    out.push({ action: decodeAction(h), events: (rows[2 * j + 1] as string[]).map((s) => JSON.parse(s) as StoredTraceEvent) });
  }
  return out;
}

/**
 * Adds every recorded action that the submission-time index lacks (records written before the index existed), found by
 * one SCAN of the action keys; idempotent, and safe while Airlock runs (ZADD NX never moves an entry).
 */
export async function indexRecordedActions(redis: Redis, prefix: string): Promise<{ scanned: number; added: number }> {
  const k = actionKeys(prefix);
  const pattern = `${k.action('').replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  let cursor = '0';
  let scanned = 0;
  let added = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const rows = await pipelined(redis, keys.map((key): [string, ...string[]] => ['hmget', key, 'id', 'submittedAt']));
    const p = redis.pipeline();
    let n = 0;
    for (const row of rows as Array<[string | null, string | null]>) {
      const [id, submittedAt] = row;
      const ms = submittedAt ? Date.parse(submittedAt) : NaN;
      if (!id || !Number.isFinite(ms)) continue; // not an action record (or half-written)
      p.zadd(k.submitted, 'NX', ms, id);
      n++;
    }
    scanned += n;
    if (n > 0) for (const v of await execOrThrow(p)) added += Number(v);
  } while (cursor !== '0');
  return { scanned, added };
}

export interface RetentionResult {
  /** Final actions older than the cutoff whose record and trace were deleted (or would be, on a dry run). */
  deleted: number;
  /** Older than the cutoff but not final (still pending review or running): always kept. */
  keptInFlight: number;
  cutoff: string;
}

/**
 * Trace retention: deletes the record, trace and index entry of every final action that finished before
 * `nowMs - olderThanMs` (and its idempotency key, which would otherwise point at a deleted action until its TTL).
 * Actions still in flight are never touched, whatever their age (a pending review must stay decidable).
 */
export async function pruneFinalActions(redis: Redis, prefix: string, opts: { olderThanMs: number; nowMs: number; dryRun?: boolean }): Promise<RetentionResult> {
  if (!(opts.olderThanMs > 0)) throw new RangeError(`retention must be a positive duration, got ${opts.olderThanMs} ms`);
  const k = actionKeys(prefix);
  const cutoffMs = opts.nowMs - opts.olderThanMs;
  let deleted = 0;
  let keptInFlight = 0;
  const doomed: ListedAction[] = [];
  // An action finishes after it was submitted: only those submitted before the cutoff can have finished before it.
  for await (const rows of listActions(redis, prefix, { sinceMs: 0, untilMs: cutoffMs })) {
    for (const r of rows) {
      if (!isFinal(r.status)) {
        keptInFlight++;
        continue;
      }
      if ((r.finishedMs ?? r.submittedMs) >= cutoffMs) continue;
      doomed.push(r);
    }
  }
  for (let i = 0; i < doomed.length; i += 500) {
    const batch = doomed.slice(i, i + 500);
    if (!opts.dryRun) {
      const p = redis.pipeline();
      for (const { id, agentId, idempotencyKey } of batch) {
        p.del(k.action(id), traceKey(prefix, id));
        p.zrem(k.submitted, id);
        if (agentId && idempotencyKey) p.eval(DEL_IF_EQUALS, 1, k.idem(agentId, idempotencyKey), id);
      }
      await execOrThrow(p);
    }
    deleted += batch.length;
  }
  return { deleted, keptInFlight, cutoff: new Date(cutoffMs).toISOString() };
}

const DEL_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

function pipelined(redis: Redis, commands: Array<[string, ...string[]]>): Promise<unknown[]> {
  return execOrThrow(redis.pipeline(commands));
}

/** The replies of a pipeline, or the first command's error. */
async function execOrThrow(p: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const res = (await p.exec()) ?? [];
  return res.map(([err, v]) => {
    if (err) throw err;
    return v;
  });
}
