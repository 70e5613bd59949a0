// The action store on Redis: create (idempotent per agent + key), read, and atomic status transitions with their trace events.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { DEFAULT_REQUEUE_AFTER_SECONDS } from '../config/index.ts';
import { argsHash } from '../policy/canonical-json.ts';
import type { AttemptRecord, TraceEvent } from '../trace/events.ts';
import { traceKey } from '../trace/store.ts';
import { actionKeys } from './action-keys.ts';
import { newId } from './ids.ts';
import type { ActionError, ActionRecord, ActionStatus, NewAction, ReviewInfo, StoredDecision } from './action.ts';

export const HISTORY_LIMIT = 50;
const IDEMPOTENCY_TTL_SECONDS = 7 * 86400;

/** One entry of `input.history` (see docs/policy-contract.md). */
export interface HistoryEntry { id: string; tool: string; argsHash: string; outcome: ActionStatus; costUsd: number | null; at_ns: number }

/** The start of an execution run before the store numbers it (see TransitionEvent). */
export type RunStartEvent = Omit<Extract<TraceEvent, { type: 'execution_started' }>, 'run'>;

/**
 * The event of a transition. With `countRun` the step also counts an execution run: executionRuns + 1, the run number
 * added to the event as `run`, and startedAt set to the event's time on the first run.
 */
export type TransitionEvent = { event: TraceEvent; countRun?: false } | { event: RunStartEvent; countRun: true };

export type TransitionRequest = TransitionEvent & {
  from: readonly ActionStatus[];
  to: ActionStatus;
  /** Events appended before `event` in the same atomic step (e.g. the successful attempt recorded with the success). */
  before?: TraceEvent[];
  /** The `decided` event's input, already serialized (the decide step serializes it once for the policy and the store). */
  eventInputJson?: string;
  /** Return the action as it is after the change (a claim that also reads, in one round trip). */
  returnAction?: boolean;
  fields?: Partial<StoredFields>;
  review?: { op: 'add'; deadlineMs: number } | { op: 'rem' };
  lease?: { op: 'add'; deadlineMs: number } | { op: 'rem' };
  history?: { workflowId: string; entry: HistoryEntry };
  /**
   * Refused (`unmet: true`) unless the hash field holds one of `values` ('one of': what the change needs is there) or
   * none of them ('none of': a step that must come first has happened).
   */
  precondition?: Precondition;
};

/** A transition's precondition: a hash field, the values it may or may not hold. */
export type Precondition = HashFieldCondition & { holds: 'one of' | 'none of' };

/** A hash field and the values it holds while something is still pending (e.g. a reservation not yet settled). */
export interface HashFieldCondition { key: string; field: string; values: readonly string[] }

export type TransitionResult =
  | { ok: true; previous: ActionStatus; action?: ActionRecord }
  | { ok: false; current: ActionStatus | null; unmet?: true };

/** Fields the pipeline sets on transitions (JSON-encoded in the hash where not strings). */
export interface StoredFields {
  updatedAt: string;
  startedAt: string;
  finishedAt: string;
  decision: StoredDecision;
  review: ReviewInfo;
  result: unknown;
  error: ActionError;
  attempts: AttemptRecord[];
  costUsd: number;
  input: unknown;
  executionRuns: number;
  budgetScopes: string[];
}

export interface ActionStore {
  readonly prefix: string;
  /** How long an action may wait for a worker (queued, deciding, approved) before the lease reaper enqueues it again. */
  readonly requeueAfterMs: number;
  /**
   * A new action gets a lease until `now` + requeueAfterMs: if it still waits for a worker then, the lease reaper enqueues it again.
   * `whenNew` gets the new action and its promise is awaited with the creation. An action without an idempotency key is
   * always new: `whenNew` is then called as soon as the create command is sent, so that what it sends on the same
   * connection (the decide job) travels in the same write and runs after the create in Redis, without a round trip
   * in between. With a key it is called once Redis answered that the action was created.
   */
  create(action: NewAction, now: Date, whenNew?: (created: ActionRecord) => Promise<void>): Promise<{ action: ActionRecord; created: boolean }>;
  get(id: string): Promise<ActionRecord | null>;
  /** The policy input the action was decided on (for reviewers and replay). */
  decisionInput(id: string): Promise<unknown>;
  transition(id: string, req: TransitionRequest): Promise<TransitionResult>;
  history(workflowId: string): Promise<HistoryEntry[]>;
  /** The same entries as stored JSON texts (the policy input splices them in without parsing). */
  historyRaw(workflowId: string): Promise<string[]>;
  pendingReviews(offset: number, limit: number): Promise<Array<{ id: string; deadlineMs: number }>>;
  pendingReviewCount(): Promise<number>;
  dueReviews(nowMs: number, limit: number): Promise<string[]>;
  /**
   * Actions whose lease ran out: the deadline by which an action waiting for a worker (queued, deciding, approved) must
   * make progress, or by which an execution must finish or renew it (executing).
   */
  expiredLeases(nowMs: number, limit: number): Promise<string[]>;
  /** Moves a lease's deadline (reaper hand-over), or drops it when the action no longer waits for a worker. */
  setLease(id: string, deadlineMs: number | null): Promise<void>;
  /** The channel on which every final transition publishes "<id> <status>\n<action hash as a flat JSON array>" (see decodeFinalMessage). */
  readonly finalChannel: string;
}

type ScriptedRedis = Redis & {
  airlockCreateAction(...args: Array<string | number>): Promise<[number, string]>;
  airlockTransition(...args: Array<string | number>): Promise<[number, string, (string[] | 'unmet')?]>;
};

const luaDir = new URL('./lua/', import.meta.url);
const createLua = readFileSync(new URL('create-action-5.lua', luaDir), 'utf8');
const transitionLua = readFileSync(new URL('transition-6.lua', luaDir), 'utf8');

/** The store's requeue period when its caller gives none (tests): AIRLOCK_REQUEUE_AFTER's default. */
const DEFAULT_REQUEUE_AFTER_MS = DEFAULT_REQUEUE_AFTER_SECONDS * 1000;

export function newActionId(): string {
  return newId('act', 8);
}

export function createActionStore(redis: Redis, prefix: string, opts: { requeueAfterMs?: number } = {}): ActionStore {
  const requeueAfterMs = opts.requeueAfterMs ?? DEFAULT_REQUEUE_AFTER_MS;
  const r = redis as ScriptedRedis;
  if (typeof r.airlockTransition !== 'function') {
    redis.defineCommand('airlockCreateAction', { numberOfKeys: 5, lua: createLua });
    redis.defineCommand('airlockTransition', { numberOfKeys: 6, lua: transitionLua });
  }
  const k = actionKeys(prefix);
  const finalChannel = `${prefix}:final`;

  const store: ActionStore = {
    prefix,
    requeueAfterMs,
    finalChannel,
    async create(a, now, whenNew) {
      const id = newActionId();
      const at = now.toISOString();
      const fields: Record<string, string> = {
        id, agentId: a.agentId, workflowId: a.workflowId, tool: a.tool,
        args: JSON.stringify(a.args), argsHash: argsHash(a.args), estimate: JSON.stringify(a.estimate), context: JSON.stringify(a.context),
        idempotencyKey: a.idempotencyKey ?? '', owner: a.owner ?? '', status: 'queued', submittedAt: at, updatedAt: at, executionRuns: '0',
      };
      const event: TraceEvent = {
        type: 'submitted', at, to: 'queued',
        action: { agentId: a.agentId, workflowId: a.workflowId, tool: a.tool, args: a.args, estimate: a.estimate, idempotencyKey: a.idempotencyKey },
      };
      const sent = r.airlockCreateAction(
        a.idempotencyKey ? k.idem(a.agentId, a.idempotencyKey) : `${prefix}:idem:-`, k.action(id), traceKey(prefix, id), k.submitted, k.leases,
        a.idempotencyKey ? '1' : '0', id, JSON.stringify(event), IDEMPOTENCY_TTL_SECONDS, now.getTime(), now.getTime() + requeueAfterMs,
        ...Object.entries(fields).flat(),
      );
      const followed = whenNew && !a.idempotencyKey ? whenNew(decodeAction(fields)) : null;
      followed?.catch(() => undefined); // awaited below, after the create's own reply
      const [created, actualId] = await sent;
      if (followed) await followed;
      else if (whenNew && created === 1) await whenNew(decodeAction(fields));
      // A new action is exactly what was written: no need to read it back.
      const action = created === 1 ? decodeAction(fields) : await store.get(actualId);
      if (!action) throw new Error(`action ${actualId} vanished right after lookup`);
      return { action, created: created === 1 };
    },

    async get(id) {
      const h = await redis.hgetall(k.action(id));
      return h.id ? decodeAction(h) : null;
    },

    async decisionInput(id) {
      // The input lives in the trace's `decided` event (written once per decision); older records also kept it on the hash.
      const [events, legacy] = await Promise.all([redis.lrange(traceKey(prefix, id), 0, -1), redis.hget(k.action(id), 'input')]);
      for (let i = events.length - 1; i >= 0; i--) {
        if (!events[i]!.includes('"type":"decided"')) continue;
        const e = JSON.parse(events[i]!) as { type?: string; input?: unknown };
        if (e.type === 'decided' && e.input !== undefined) return e.input;
      }
      return legacy ? JSON.parse(legacy) : null;
    },

    async transition(id, req) {
      const fields = encodeFields({ updatedAt: req.event.at, ...req.fields });
      // With a single allowed status the previous one is known here: the event is written with its "from" and Redis pushes it
      // as it is (rewriting a 10 KB decided event inside the script cost more than the rest of the transition).
      const from = req.from.length === 1 ? req.from[0]! : null;
      const events = [...(req.before ?? []).map((e) => JSON.stringify(e)), eventJson(req.event, req.eventInputJson)]
        .map((json) => (from === null ? json : `{"from":${JSON.stringify(from)},${json.slice(1)}`));
      const [ok, status, third] = await r.airlockTransition(
        k.action(id), traceKey(prefix, id), k.reviews, req.history ? k.history(req.history.workflowId) : `${prefix}:history:-`, k.leases,
        req.precondition?.key ?? `${prefix}:precondition:-`,
        req.from.join(','), req.to, events.length,
        req.review?.op ?? '-', req.review?.op === 'add' ? req.review.deadlineMs : 0,
        req.history ? JSON.stringify(req.history.entry) : '-', HISTORY_LIMIT,
        req.lease?.op ?? '-', req.lease?.op === 'add' ? req.lease.deadlineMs : 0,
        isFinalStatus(req.to) ? finalChannel : '-',
        req.returnAction ? '1' : '0',
        req.countRun ? req.event.at : '-',
        ...(req.precondition ? [req.precondition.field, req.precondition.values.join(','), req.precondition.holds === 'one of' ? 'one-of' : 'none-of'] : ['-', '-', '-']),
        ...events,
        ...fields,
      );
      if (ok !== 1) return { ok: false, current: (status || null) as ActionStatus | null, ...(third === 'unmet' ? { unmet: true as const } : {}) };
      return { ok: true, previous: status as ActionStatus, ...(Array.isArray(third) ? { action: decodeAction(flatToRecord(third)) } : {}) };
    },

    async history(workflowId) {
      return (await store.historyRaw(workflowId)).map((s) => JSON.parse(s) as HistoryEntry);
    },

    historyRaw: (workflowId) => redis.lrange(k.history(workflowId), 0, HISTORY_LIMIT - 1),

    async pendingReviews(offset, limit) {
      const raw = await redis.zrange(k.reviews, offset, offset + limit - 1, 'WITHSCORES');
      const out: Array<{ id: string; deadlineMs: number }> = [];
      for (let i = 0; i < raw.length; i += 2) out.push({ id: raw[i]!, deadlineMs: Number(raw[i + 1]) });
      return out;
    },

    pendingReviewCount: () => redis.zcard(k.reviews),

    dueReviews: (nowMs, limit) => redis.zrangebyscore(k.reviews, 0, nowMs, 'LIMIT', 0, limit),

    expiredLeases: (nowMs, limit) => redis.zrangebyscore(k.leases, 0, nowMs, 'LIMIT', 0, limit),

    async setLease(id, deadlineMs) {
      if (deadlineMs === null) await redis.zrem(k.leases, id);
      else await redis.zadd(k.leases, 'XX', deadlineMs, id);
    },
  };

  return store;
}

function isFinalStatus(s: ActionStatus): boolean {
  return s === 'succeeded' || s === 'failed' || s === 'denied' || s === 'expired';
}

function encodeFields(f: Partial<StoredFields>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(f)) {
    if (value === undefined) continue;
    out.push(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** An event's JSON; a pre-serialized `input` is spliced in instead of serializing it again. */
function eventJson(event: TraceEvent | RunStartEvent, inputJson: string | undefined): string {
  if (inputJson === undefined || !('input' in event)) return JSON.stringify(event);
  const { input: _input, ...rest } = event;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"input":${inputJson}}`;
}

function flatToRecord(flat: string[]): Record<string, string> {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
  return h;
}

/** Reads a final-state message of `finalChannel`: the id, and the action as it was when it became final. */
export function decodeFinalMessage(message: string): { id: string; action: () => ActionRecord | null } {
  const nl = message.indexOf('\n');
  const head = nl < 0 ? message : message.slice(0, nl);
  const id = head.slice(0, head.indexOf(' '));
  return {
    id,
    action: () => {
      if (nl < 0) return null;
      try {
        const flat = JSON.parse(message.slice(nl + 1)) as string[];
        return Array.isArray(flat) && flat.length > 0 ? decodeAction(flatToRecord(flat)) : null;
      } catch {
        return null;
      }
    },
  };
}

function json<T>(raw: string | undefined, fallback: T): T {
  return raw ? (JSON.parse(raw) as T) : fallback;
}

/** An action record from its Redis hash (non-string fields are stored as JSON); used by the store and by trace readers. */
export function decodeAction(h: Record<string, string>): ActionRecord {
  const args = json<Record<string, unknown>>(h.args, {});
  return {
    id: h.id!,
    agentId: h.agentId!,
    workflowId: h.workflowId!,
    tool: h.tool!,
    args,
    // Records created before the hash was stored get it computed here.
    argsHash: h.argsHash || argsHash(args),
    estimate: json(h.estimate, {}),
    context: json(h.context, {}),
    idempotencyKey: h.idempotencyKey || null,
    status: h.status as ActionStatus,
    submittedAt: h.submittedAt!,
    updatedAt: h.updatedAt ?? h.submittedAt!,
    startedAt: h.startedAt ?? null,
    finishedAt: h.finishedAt ?? null,
    decision: json<StoredDecision | null>(h.decision, null),
    review: json<ReviewInfo | null>(h.review, null),
    result: json<unknown>(h.result, null),
    error: json<ActionError | null>(h.error, null),
    attempts: json<AttemptRecord[]>(h.attempts, []),
    costUsd: h.costUsd ? Number(h.costUsd) : null,
    budgetScopes: json<string[]>(h.budgetScopes, []),
    owner: h.owner || null,
    executionRuns: Number(h.executionRuns ?? 0),
  };
}
