// Reading recorded actions (the action hash plus its trace) from Redis by submission time, in bounded pipelined batches.
import type { Redis } from 'ioredis';
import type { ActionRecord, ActionStatus } from '../pipeline/action.ts';
import { decodeAction } from '../pipeline/action-store.ts';
import type { StoredTraceEvent } from './events.ts';
import { traceKey } from './store.ts';
import { TimeSpecError } from './errors.ts';

/** An action as recorded: its record and its ordered trace events. */
export interface RecordedAction {
  action: ActionRecord;
  events: StoredTraceEvent[];
}

/** The part of a recorded action that replay and shadow runs need: who, what, when, and the trace events. */
export interface RecordedTrace {
  action: Pick<ActionRecord, 'id' | 'agentId' | 'workflowId' | 'tool' | 'submittedAt' | 'status'>;
  events: StoredTraceEvent[];
}

export interface ListedAction {
  id: string; agentId: string; workflowId: string; tool: string; submittedAt: string;
  submittedMs: number; finishedMs: number | null; status: ActionStatus;
}

export interface TimeWindow {
  sinceMs: number;
  untilMs?: number;
}

/** The action hash key; the layout is the action store's (src/pipeline/action-store.ts), read here without a second writer. */
export function actionKey(prefix: string, id: string): string {
  return `${prefix}:action:${id}`;
}

/** Ids (with submission and finish times and status) of every action submitted in the window, oldest first. */
export async function listActions(redis: Redis, prefix: string, window: TimeWindow): Promise<ListedAction[]> {
  const until = window.untilMs ?? Number.POSITIVE_INFINITY;
  const out: ListedAction[] = [];
  const keyPrefix = actionKey(prefix, '');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(keyPrefix)}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const p = redis.pipeline();
    for (const k of keys) p.hmget(k, 'id', 'submittedAt', 'finishedAt', 'status', 'agentId', 'workflowId', 'tool');
    const rows = (await p.exec()) ?? [];
    for (const [err, value] of rows) {
      if (err) throw err;
      const [id, submittedAt, finishedAt, status, agentId, workflowId, tool] = value as Array<string | null>;
      if (!id || !submittedAt) continue; // a half-written or foreign key under the pattern
      const submittedMs = Date.parse(submittedAt);
      if (!(submittedMs >= window.sinceMs && submittedMs <= until)) continue;
      out.push({
        id, agentId: agentId ?? '', workflowId: workflowId ?? '', tool: tool ?? '', submittedAt,
        submittedMs, finishedMs: finishedAt ? Date.parse(finishedAt) : null, status: status as ActionStatus,
      });
    }
  } while (cursor !== '0');
  out.sort((a, b) => a.submittedMs - b.submittedMs || (a.id < b.id ? -1 : 1));
  return out;
}

/** Every action of the window with its trace, oldest first, read `batchSize` actions per Redis round trip. */
export async function* readRecordedActions(redis: Redis, prefix: string, window: TimeWindow, batchSize = 250): AsyncGenerator<RecordedAction> {
  const ids = await listActions(redis, prefix, window);
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    for (const r of await readBatch(redis, prefix, batch.map((b) => b.id))) yield r;
  }
}

/**
 * The lighter read for replay and shadow runs: the listed fields plus the trace, where only the `decided` event is decoded
 * (the others hold arguments and results that a replay does not need). `batchSize` actions per Redis round trip.
 */
export async function* readRecordedTraces(redis: Redis, prefix: string, window: TimeWindow, batchSize = 500): AsyncGenerator<RecordedTrace> {
  const listed = await listActions(redis, prefix, window);
  for (let i = 0; i < listed.length; i += batchSize) {
    const batch = listed.slice(i, i + batchSize);
    const p = redis.pipeline();
    for (const a of batch) p.lrange(traceKey(prefix, a.id), 0, -1);
    const rows = (await p.exec()) ?? [];
    for (let j = 0; j < batch.length; j++) {
      const [err, raw] = rows[j]!;
      if (err) throw err;
      const { id, agentId, workflowId, tool, submittedAt, status } = batch[j]!;
      yield { action: { id, agentId, workflowId, tool, submittedAt, status }, events: decodeDecidedEvents(raw as string[]) };
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
  const p = redis.pipeline();
  for (const id of ids) {
    p.hgetall(actionKey(prefix, id));
    p.lrange(traceKey(prefix, id), 0, -1);
  }
  const rows = (await p.exec()) ?? [];
  const out: RecordedAction[] = [];
  for (let j = 0; j < ids.length; j++) {
    const [e1, hash] = rows[2 * j]!;
    const [e2, trace] = rows[2 * j + 1]!;
    if (e1) throw e1;
    if (e2) throw e2;
    const h = hash as Record<string, string>;
    if (!h.id) continue; // deleted between listing and reading (retention)
    out.push({ action: decodeAction(h), events: (trace as string[]).map((s) => JSON.parse(s) as StoredTraceEvent) });
  }
  return out;
}

/**
 * `--since`/`--until` values: a duration back from `nowMs` (90s, 15m, 24h, 7d, 500ms) or an ISO-8601 timestamp.
 * Throws TimeSpecError for anything else.
 */
export function parseTimeSpec(spec: string, nowMs: number): number {
  const s = spec.trim();
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(s);
  if (m) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'];
    return nowMs - Number(m[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) return t;
  }
  throw new TimeSpecError(spec);
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
