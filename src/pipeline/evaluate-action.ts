// The shared first half of deciding (used by the decide worker and POST /v1/check): gather state, build the input, evaluate, enforce breakers.
import { failClosed, withOpenBreakers, type PolicyDecision } from '../policy/decision.ts';
import type { PolicyEngine } from '../policy/engine.ts';
import * as metrics from '../metrics/registry.ts';
import { modelCostUsd, type ToolMetadata, type ToolRegistry } from '../tools/registry.ts';
import type { ActionStore } from './action-store.ts';
import type { BreakerAttempt, BudgetPort, BudgetSnapshot } from './budget-port.ts';
import { agentFromPolicyData, buildPolicyInputFromRaw, type InputAction, type PolicyInput } from './policy-input.ts';

export interface EvaluateDeps {
  policy: PolicyEngine;
  tools: ToolRegistry;
  budget: BudgetPort;
  store: ActionStore;
  clock: () => number;
}

export interface Evaluation {
  input: PolicyInput;
  /** `input` serialized once (the policy reads it, the trace stores it). */
  inputJson: string;
  decision: PolicyDecision;
  scopes: string[];
}

/** The facts of an action that select the state its decision reads: budget scopes, breaker attempt, workflow history. */
export type StateKey = Pick<InputAction, 'agentId' | 'workflowId'>;

/** Budget and history as the policy input needs them, or why they are unknown. */
export interface GatheredState {
  agent: PolicyInput['agent'];
  scopes: string[];
  budget: BudgetSnapshot;
  historyRaw: string[];
  stateError: string | null;
}

/**
 * Reads the state a decision depends on. `attemptFor` names, once the scopes are known, the attempt to record before
 * budget state is read (the decide step feeds the breakers there); it is recorded in the same step as the snapshot.
 */
export async function gatherState(deps: EvaluateDeps, key: StateKey, attemptFor?: (scopes: string[]) => BreakerAttempt | undefined): Promise<GatheredState> {
  const agent = agentFromPolicyData(deps.policy.data, key.agentId);
  let budget: BudgetSnapshot = { scopes: {}, breakers: {} };
  let historyRaw: string[] = [];
  let stateError: string | null = null;
  let scopes: string[] = [];
  try {
    scopes = deps.budget.scopesFor({ agentId: key.agentId, workflowId: key.workflowId, tenant: agent.tenant });
  } catch (e) {
    // e.g. an id outside the budget-scope alphabet: no budget can hold the action, so it must not be allowed.
    stateError = `budget scopes unknown: ${(e as Error).message}`;
  }
  const snapshot = stateError ? Promise.resolve(budget) : deps.budget.snapshot(scopes, attemptFor?.(scopes));
  const [b, h] = await Promise.allSettled([snapshot, deps.store.historyRaw(key.workflowId)]);
  if (b.status === 'fulfilled') budget = b.value;
  else stateError ??= `budget state unknown: ${(b.reason as Error).message}`;
  if (h.status === 'fulfilled') historyRaw = h.value;
  else stateError ??= `history unknown: ${(h.reason as Error).message}`;
  return { agent, scopes, budget, historyRaw, stateError };
}

/** Builds the input from the action and its gathered state, evaluates, and fails closed on unknown state. */
export function evaluateWithState(deps: EvaluateDeps, action: InputAction, state: GatheredState): Evaluation {
  const { agent, budget, historyRaw, stateError, scopes } = state;
  const { input, inputJson } = buildPolicyInputFromRaw({ action, agent, tools: deps.tools, budget, historyRaw, nowMs: deps.clock() });
  let decision = deps.policy.evaluate(input, inputJson);
  if (stateError) {
    // Unknown state never lets an action through. A policy that denies anyway is the decision, with its own reasons:
    // the unknown state did not change the outcome.
    if (decision.outcome === 'deny' && !decision.failClosed) return { input, inputJson, decision, scopes };
    metrics.policyFailClosedTotal.inc({ reason: 'state_unavailable' });
    decision = { ...failClosed('eval_error', `${stateError} (fail closed)`, deps.policy.revision), evalMs: decision.evalMs };
    return { input, inputJson, decision, scopes };
  }
  return { input, inputJson, decision: withOpenBreakers(decision, budget.breakers), scopes };
}

/** Gathers the action's state, then evaluates (POST /v1/check, and the decide step when no state was read ahead). */
export async function evaluateAction(deps: EvaluateDeps, action: InputAction, attemptFor?: (scopes: string[]) => BreakerAttempt | undefined): Promise<Evaluation> {
  return evaluateWithState(deps, action, await gatherState(deps, action, attemptFor));
}

/** An action's estimated cost: its own `costUsd`, else what the tool's cost model charges for its estimated tokens. */
export function estimatedUsd(estimate: InputAction['estimate'], tool: ToolMetadata): number {
  return estimate.costUsd ?? modelCostUsd(tool.costModel, estimatedTokens(estimate));
}

const estimatedTokens = (estimate: InputAction['estimate']) => Math.max(0, Math.floor(estimate.tokens ?? 0));

/** The reservation amount: the action's estimate (or the tool's cost model), capped by the policy's cost ceiling. */
export function reservationAmount(action: InputAction, tools: ToolRegistry, decision: PolicyDecision): { usd: number; tokens: number } {
  const tokens = estimatedTokens(action.estimate);
  let usd = estimatedUsd(action.estimate, tools.metadata(action.tool));
  if (decision.costCeilingUsd !== null) usd = Math.min(usd, decision.costCeilingUsd);
  return { usd: Math.max(0, usd), tokens: decision.maxTokens !== null ? Math.min(tokens, decision.maxTokens) : tokens };
}
