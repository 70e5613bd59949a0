// Builds the policy input exactly as docs/policy-contract.md describes it, from the action, policy data, tool registry, budget and history.
import type { ToolMetadata, ToolRegistry } from '../tools/registry.ts';
import type { Estimate } from './action.ts';
import type { HistoryEntry } from './action-store.ts';
import type { BudgetSnapshot } from './budget-port.ts';

export interface PolicyInput {
  action: {
    id: string; agentId: string; workflowId: string; tool: string;
    args: Record<string, unknown>; estimate: Estimate; context: Record<string, unknown>; submittedAt: string;
  };
  agent: { id: string; known: boolean; roles: string[]; tenant: string | null };
  tool: ToolMetadata;
  budget: BudgetSnapshot;
  history: HistoryEntry[];
  now_ns: number;
}

export type InputAction = PolicyInput['action'];

/** `input.agent` from `data.agents[agentId]` of the active policy data. */
export function agentFromPolicyData(data: unknown, agentId: string): PolicyInput['agent'] {
  const agents = (data as { agents?: Record<string, unknown> } | null)?.agents;
  const entry = agents && typeof agents === 'object' ? (agents as Record<string, unknown>)[agentId] : undefined;
  if (!entry || typeof entry !== 'object') return { id: agentId, known: false, roles: [], tenant: null };
  const e = entry as { roles?: unknown; tenant?: unknown };
  return {
    id: agentId,
    known: true,
    roles: Array.isArray(e.roles) ? e.roles.filter((r): r is string => typeof r === 'string') : [],
    tenant: typeof e.tenant === 'string' ? e.tenant : null,
  };
}

export function buildPolicyInput(parts: {
  action: InputAction; agent: PolicyInput['agent']; tools: ToolRegistry; budget: BudgetSnapshot; history: HistoryEntry[]; nowMs: number;
}): PolicyInput {
  return {
    action: parts.action,
    agent: parts.agent,
    tool: parts.tools.metadata(parts.action.tool),
    budget: parts.budget,
    history: parts.history,
    now_ns: parts.nowMs * 1_000_000,
  };
}
