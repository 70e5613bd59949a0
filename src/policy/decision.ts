// The decision contract of `airlock/decision`: reading a result set into a decision, failing closed on anything malformed.
import { z } from 'zod';

export const DECISION_ENTRYPOINT = 'airlock/decision';

const decisionSchema = z.object({
  outcome: z.enum(['allow', 'deny', 'review']),
  reasons: z.array(z.string()),
  max_tokens: z.number().int().nonnegative().optional(),
  cost_ceiling_usd: z.number().nonnegative().optional(),
  on_budget_exceeded: z.enum(['deny', 'review']).optional(),
});

export interface PolicyDecision {
  outcome: 'allow' | 'deny' | 'review';
  reasons: string[];
  maxTokens: number | null;
  costCeilingUsd: number | null;
  onBudgetExceeded: 'deny' | 'review';
  /** Revision of the policy that decided; null when no policy was loaded. */
  policyRevision: string | null;
  /** Why the decision was forced to deny (no policy, evaluation error, malformed decision); null for a real decision. */
  failClosed: FailClosedReason | null;
  /** Time spent inside the policy module. */
  evalMs: number;
}

export type FailClosedReason = 'no_policy' | 'eval_error' | 'undefined_decision' | 'malformed_decision';

/** Turns the opa-wasm result set (`[{result}]` or `[]`) into a decision. */
export function readDecision(resultSet: unknown, revision: string, evalMs: number): PolicyDecision {
  if (!Array.isArray(resultSet) || resultSet.length === 0) {
    return failClosed('undefined_decision', 'policy decision is undefined (fail closed)', revision, evalMs);
  }
  const first: unknown = resultSet[0];
  const value = first && typeof first === 'object' ? (first as { result?: unknown }).result : undefined;
  const parsed = decisionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'decision'}: ${issue.message}` : 'invalid';
    return failClosed('malformed_decision', `policy decision is malformed (${where}); fail closed`, revision, evalMs);
  }
  const d = parsed.data;
  return {
    outcome: d.outcome,
    reasons: d.reasons,
    maxTokens: d.max_tokens ?? null,
    costCeilingUsd: d.cost_ceiling_usd ?? null,
    onBudgetExceeded: d.on_budget_exceeded ?? 'deny',
    policyRevision: revision,
    failClosed: null,
    evalMs,
  };
}

export function failClosed(reason: FailClosedReason, message: string, revision: string | null, evalMs = 0): PolicyDecision {
  return { outcome: 'deny', reasons: [message], maxTokens: null, costCeilingUsd: null, onBudgetExceeded: 'deny', policyRevision: revision, failClosed: reason, evalMs };
}

/**
 * Fail safe: an open circuit breaker on any applicable scope turns `allow` into `review`, whatever the policy said.
 * The decide step applies it, and replay applies the same rule so that a replayed decision matches the recorded one.
 */
export function withOpenBreakers(decision: PolicyDecision, breakers: Record<string, { state?: string; reason?: string | null } | undefined>): PolicyDecision {
  if (decision.outcome !== 'allow') return decision;
  const open = Object.entries(breakers).filter(([, v]) => v?.state === 'open');
  if (open.length === 0) return decision;
  return { ...decision, outcome: 'review', reasons: [...decision.reasons, ...open.map(([s, v]) => `circuit breaker open on ${s}${v?.reason ? `: ${v.reason}` : ''}`)] };
}
