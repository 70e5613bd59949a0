// Replay: re-evaluates the exact policy input recorded at decision time against the current or a candidate policy, and diffs the decisions.
import { errorText, loadCompiledPolicy } from '../policy/compiled-policy.ts';
import { DECISION_ENTRYPOINT, failClosed, readDecision, withOpenBreakers, type PolicyDecision } from '../policy/decision.ts';
import { loadPolicyArtifact } from '../policy/source.ts';
import type { BudgetStep, StoredTraceEvent } from './events.ts';
import type { RecordedTrace } from './recorded.ts';

type Outcome = PolicyDecision['outcome'];

/** What replay needs from a policy: the decide worker's PolicyEngine satisfies it, and so does a candidate loaded from a path. */
export interface DecisionEvaluator {
  evaluate(input: unknown): PolicyDecision;
  readonly revision: string | null;
}

/** The decision as the decide step recorded it, split into what the policy said and what budgets added afterwards. */
export interface RecordedDecision {
  actionId: string;
  tool: string;
  agentId: string;
  workflowId: string;
  submittedAt: string;
  input: unknown;
  policyRevision: string | null;
  /** The final outcome recorded (after budget reservation). */
  outcome: Outcome;
  reasons: string[];
  failClosed: string | null;
  /** The outcome before the budget reservation changed it (a refused reservation turns allow into deny/review). */
  policyOutcome: Outcome;
  policyReasons: string[];
  budget: BudgetStep | null;
}

export interface ReplayedSide {
  outcome: Outcome;
  reasons: string[];
  policyRevision: string | null;
  failClosed: string | null;
}

export interface ReplayResult {
  actionId: string;
  tool: string;
  agentId: string;
  submittedAt: string;
  recorded: ReplayedSide & { finalOutcome: Outcome; budget: BudgetStep | null };
  replayed: ReplayedSide;
  sameRevision: boolean;
  /** Outcome or reasons differ. */
  changed: boolean;
  outcomeChanged: boolean;
  /** e.g. "allow→deny"; null when the outcome is the same. */
  direction: string | null;
  reasonsAdded: string[];
  reasonsRemoved: string[];
}

/** The recorded decision of an action (its `decided` trace event), or null when it was never decided. */
export function recordedDecision(rec: RecordedTrace): RecordedDecision | null {
  const decided = rec.events.find((e): e is Extract<StoredTraceEvent, { type: 'decided' }> => e.type === 'decided');
  if (!decided) return null;
  const a = rec.action;
  // The decide step appends exactly one budget reason when a reservation was refused or failed; the policy had said allow.
  const budgetChanged = decided.budget !== null && decided.budget.ok === false;
  return {
    actionId: a.id, tool: a.tool, agentId: a.agentId, workflowId: a.workflowId, submittedAt: a.submittedAt,
    input: decided.input, policyRevision: decided.policyRevision, outcome: decided.outcome, reasons: decided.reasons,
    failClosed: decided.failClosed, budget: decided.budget,
    policyOutcome: budgetChanged ? 'allow' : decided.outcome,
    policyReasons: budgetChanged ? decided.reasons.slice(0, -1) : decided.reasons,
  };
}

/**
 * Re-evaluates one recorded decision. The comparison is on the policy's side of the decision (budget reservations are
 * not replayed: they depended on live counters), with the decide step's breaker rule applied to both sides alike.
 */
export function replayDecision(rec: RecordedDecision, policy: DecisionEvaluator): ReplayResult {
  const raw = policy.evaluate(rec.input);
  const replayed = withOpenBreakers(raw, (rec.input as { budget?: { breakers?: Record<string, { state?: string; reason?: string | null }> } } | null)?.budget?.breakers ?? {});
  const recordedSide: ReplayedSide = { outcome: rec.policyOutcome, reasons: rec.policyReasons, policyRevision: rec.policyRevision, failClosed: rec.failClosed };
  const before = new Set(recordedSide.reasons);
  const after = new Set(replayed.reasons);
  const reasonsAdded = replayed.reasons.filter((r) => !before.has(r));
  const reasonsRemoved = recordedSide.reasons.filter((r) => !after.has(r));
  const outcomeChanged = replayed.outcome !== recordedSide.outcome;
  const changed = outcomeChanged || reasonsAdded.length > 0 || reasonsRemoved.length > 0;
  return {
    actionId: rec.actionId, tool: rec.tool, agentId: rec.agentId, submittedAt: rec.submittedAt,
    recorded: { ...recordedSide, finalOutcome: rec.outcome, budget: rec.budget },
    replayed: { outcome: replayed.outcome, reasons: replayed.reasons, policyRevision: replayed.policyRevision, failClosed: replayed.failClosed },
    sameRevision: rec.policyRevision !== null && rec.policyRevision === replayed.policyRevision,
    changed, outcomeChanged,
    direction: outcomeChanged ? `${recordedSide.outcome}→${replayed.outcome}` : null,
    reasonsAdded, reasonsRemoved,
  };
}

/**
 * A candidate policy for replay from a folder of .rego files (compiled by Airlock's compiler), an OPA bundle or a .wasm.
 * Unlike the serving engine it touches no serving metrics (revision info, reloads): a shadow run must not look like a deploy.
 * Throws PolicyLoadError when it does not compile or load.
 */
export async function loadCandidatePolicy(path: string): Promise<DecisionEvaluator & { source: string }> {
  const compiled = await loadCompiledPolicy(await loadPolicyArtifact(path));
  return {
    revision: compiled.revision,
    source: compiled.source,
    evaluate(input) {
      const t0 = performance.now();
      try {
        return readDecision(compiled.evaluate(input, DECISION_ENTRYPOINT), compiled.revision, performance.now() - t0);
      } catch (e) {
        return failClosed('eval_error', `policy evaluation error: ${errorText(e)} (fail closed)`, compiled.revision, performance.now() - t0);
      }
    },
  };
}
