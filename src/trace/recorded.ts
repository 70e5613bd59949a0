// What the trace readers work on: a recorded action's trace (read by the pipeline, which owns the action record) and the
// time windows of replay, shadow runs and the decision log.
import type { PolicyDecision } from '../policy/decision.ts';
import type { StoredTraceEvent } from './events.ts';
import { TimeSpecError } from './errors.ts';

/** The part of a recorded action that replay and shadow runs need: who, what, when, and the trace events. */
export interface RecordedTrace {
  action: { id: string; agentId: string; workflowId: string; tool: string; submittedAt: string; status: string };
  events: StoredTraceEvent[];
}

/** The fields of a recorded action that its decision-log line reads (the pipeline's action record has every one). */
export interface LoggedAction {
  id: string; agentId: string; workflowId: string; tool: string;
  /** The action's status: final (succeeded, failed, denied, expired) or one still in flight. */
  status: string;
  submittedAt: string; startedAt: string | null; finishedAt: string | null;
  estimate: { costUsd?: number };
  costUsd: number | null;
  context: Record<string, unknown>;
  decision: { outcome: PolicyDecision['outcome']; reasons: string[]; policyRevision: string | null; decidedAt: string } | null;
  review: { parkedAt: string; decidedBy: string | null; decision: 'approved' | 'rejected' | 'expired' | null; comment: string | null; decidedAt: string | null } | null;
  attempts: readonly unknown[];
  error: { code: string; message: string } | null;
}

export interface TimeWindow {
  sinceMs: number;
  untilMs?: number;
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
