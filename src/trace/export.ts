// The decision log: one structured line per recorded action (decision, reasons, cost, outcome, reviewer, timings).
import type { StoredTraceEvent } from './events.ts';
import type { LoggedAction } from './recorded.ts';
import { traceParentOfContext, formatTraceParent } from './traceparent.ts';

/** A recorded action as the decision log reads it: its record and its ordered trace events. */
export interface LoggedRecord {
  action: LoggedAction;
  events: StoredTraceEvent[];
}

export interface DecisionLogLine {
  id: string;
  agentId: string;
  workflowId: string;
  tool: string;
  /** The final (or current) status: succeeded, failed, denied, expired, or a non-final one for actions still in flight. */
  outcome: string;
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

export function decisionLogLine(rec: LoggedRecord): DecisionLogLine {
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

/** Writes one JSON line per recorded action, in the order given (the readers give them oldest first); returns how many. */
export async function exportDecisionLog(records: AsyncIterable<LoggedRecord>, write: (line: string) => void | Promise<void>): Promise<number> {
  let n = 0;
  for await (const rec of records) {
    await write(`${JSON.stringify(decisionLogLine(rec))}\n`);
    n++;
  }
  return n;
}

function findEvent<T extends StoredTraceEvent['type']>(events: StoredTraceEvent[], type: T): Extract<StoredTraceEvent, { type: T }> | undefined {
  return events.find((e): e is Extract<StoredTraceEvent, { type: T }> => e.type === type);
}
