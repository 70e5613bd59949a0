// The decision log: one structured line per recorded action (decision, reasons, cost, outcome, reviewer, timings), and trace retention.
import type { Redis } from 'ioredis';
import { isFinal, type ActionStatus } from '../pipeline/action.ts';
import type { StoredTraceEvent } from './events.ts';
import { actionKey, listActions, readRecordedActions, type RecordedAction, type TimeWindow } from './recorded.ts';
import { traceKey } from './store.ts';
import { traceParentOfContext, formatTraceParent } from './traceparent.ts';

export interface DecisionLogLine {
  id: string;
  agentId: string;
  workflowId: string;
  tool: string;
  /** The final (or current) status: succeeded, failed, denied, expired, or a non-final one for actions still in flight. */
  outcome: ActionStatus;
  decision: { outcome: 'allow' | 'deny' | 'review'; reasons: string[]; policyRevision: string | null; failClosed: string | null } | null;
  cost: { estimateUsd: number | null; reservedUsd: number | null; costUsd: number | null };
  reviewer: { by: string | null; decision: 'approved' | 'rejected' | 'expired' | null; comment: string | null; decidedAt: string | null } | null;
  timings: {
    submittedAt: string; decidedAt: string | null; startedAt: string | null; finishedAt: string | null;
    /** Submission to decision, the decide step itself, policy evaluation, time parked for review, execution, and end to end (ms). */
    queueMs: number | null; decideMs: number | null; policyEvalMs: number | null; reviewWaitMs: number | null; executionMs: number | null; totalMs: number | null;
  };
  attempts: number;
  error: { code: string; message: string } | null;
  traceparent: string | null;
}

export function decisionLogLine(rec: RecordedAction): DecisionLogLine {
  const a = rec.action;
  const decided = findEvent(rec.events, 'decided');
  const reviewEvent = rec.events.find((e) => e.type === 'review_approved' || e.type === 'review_rejected' || e.type === 'review_expired');
  const started = findEvent(rec.events, 'execution_started');
  const submittedMs = Date.parse(a.submittedAt);
  const decidedAt = decided?.at ?? a.decision?.decidedAt ?? null;
  const ms = (from: string | null | undefined, to: string | null | undefined) => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null);
  const reservedUsd = [decided?.budget, reviewEvent && 'budget' in reviewEvent ? reviewEvent.budget : null].reduce<number | null>((acc, b) => (b?.ok ? (acc ?? 0) + b.reservedUsd : acc), null);
  const tp = traceParentOfContext(a.context);
  return {
    id: a.id, agentId: a.agentId, workflowId: a.workflowId, tool: a.tool, outcome: a.status,
    decision: a.decision
      ? { outcome: a.decision.outcome, reasons: a.decision.reasons, policyRevision: a.decision.policyRevision, failClosed: decided?.failClosed ?? null }
      : null,
    cost: { estimateUsd: a.estimate.costUsd ?? null, reservedUsd, costUsd: a.costUsd },
    reviewer: a.review ? { by: a.review.decidedBy, decision: a.review.decision, comment: a.review.comment, decidedAt: a.review.decidedAt } : null,
    timings: {
      submittedAt: a.submittedAt, decidedAt, startedAt: a.startedAt, finishedAt: a.finishedAt,
      queueMs: decidedAt ? Math.max(0, Date.parse(decidedAt) - submittedMs) : null,
      decideMs: decided?.durationMs ?? null,
      policyEvalMs: decided?.policyEvalMs ?? null,
      reviewWaitMs: a.review ? ms(a.review.parkedAt, a.review.decidedAt) : null,
      executionMs: ms(a.startedAt ?? started?.at, a.finishedAt),
      totalMs: a.finishedAt ? Math.max(0, Date.parse(a.finishedAt) - submittedMs) : null,
    },
    attempts: a.attempts.length,
    error: a.error ? { code: a.error.code, message: a.error.message } : null,
    traceparent: tp ? formatTraceParent(tp) : null,
  };
}

/** Writes one JSON line per action of the window, oldest first; returns how many were written. */
export async function exportDecisionLog(redis: Redis, prefix: string, window: TimeWindow, write: (line: string) => void | Promise<void>): Promise<number> {
  let n = 0;
  for await (const rec of readRecordedActions(redis, prefix, window)) {
    await write(`${JSON.stringify(decisionLogLine(rec))}\n`);
    n++;
  }
  return n;
}

export interface RetentionResult {
  /** Final actions older than the cutoff whose record and trace were deleted (or would be, on a dry run). */
  deleted: number;
  /** Older than the cutoff but not final (still pending review or running): always kept. */
  keptInFlight: number;
  cutoff: string;
}

/**
 * Trace retention: deletes the record and trace of every final action that finished before `nowMs - olderThanMs`.
 * Actions still in flight are never touched, whatever their age (a pending review must stay decidable).
 */
export async function pruneTraces(redis: Redis, prefix: string, opts: { olderThanMs: number; nowMs: number; dryRun?: boolean }): Promise<RetentionResult> {
  if (!(opts.olderThanMs > 0)) throw new RangeError(`retention must be a positive duration, got ${opts.olderThanMs} ms`);
  const cutoffMs = opts.nowMs - opts.olderThanMs;
  const rows = await listActions(redis, prefix, { sinceMs: 0, untilMs: cutoffMs });
  let deleted = 0;
  let keptInFlight = 0;
  const doomed: string[] = [];
  for (const r of rows) {
    if (!isFinal(r.status)) {
      keptInFlight++;
      continue;
    }
    if ((r.finishedMs ?? r.submittedMs) >= cutoffMs) continue;
    doomed.push(r.id);
  }
  for (let i = 0; i < doomed.length; i += 500) {
    const batch = doomed.slice(i, i + 500);
    if (!opts.dryRun) {
      const owners = (await pipelined(redis, batch.map((id) => ['hmget', actionKey(prefix, id), 'agentId', 'idempotencyKey']))) as Array<[string | null, string | null]>;
      const p = redis.pipeline();
      batch.forEach((id, j) => {
        p.del(actionKey(prefix, id), traceKey(prefix, id));
        // The idempotency key would otherwise point at a deleted action until its TTL (layout of src/pipeline/action-store.ts).
        const [agentId, key] = owners[j] ?? [null, null];
        if (agentId && key) p.eval(DEL_IF_EQUALS, 1, `${prefix}:idem:${agentId.length}:${agentId}:${key}`, id);
      });
      const res = (await p.exec()) ?? [];
      for (const [err] of res) if (err) throw err;
    }
    deleted += batch.length;
  }
  return { deleted, keptInFlight, cutoff: new Date(cutoffMs).toISOString() };
}

const DEL_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

async function pipelined(redis: Redis, commands: Array<[string, ...string[]]>): Promise<unknown[]> {
  const res = (await redis.pipeline(commands).exec()) ?? [];
  return res.map(([err, v]) => {
    if (err) throw err;
    return v;
  });
}

function findEvent<T extends StoredTraceEvent['type']>(events: StoredTraceEvent[], type: T): Extract<StoredTraceEvent, { type: T }> | undefined {
  return events.find((e): e is Extract<StoredTraceEvent, { type: T }> => e.type === type);
}
