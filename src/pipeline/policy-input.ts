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

/**
 * The input and its JSON text, built from the history entries as stored (JSON texts): they are spliced into the text
 * without being parsed, and parsed only if someone reads `input.history` (the compiled policy reads the text).
 */
export function buildPolicyInputFromRaw(parts: {
  action: InputAction; agent: PolicyInput['agent']; tools: ToolRegistry; budget: BudgetSnapshot; historyRaw: string[]; nowMs: number;
}): { input: PolicyInput; inputJson: string } {
  const tool = parts.tools.metadata(parts.action.tool);
  const nowNs = parts.nowMs * 1_000_000;
  const input = new InputWithStoredHistory(parts.action, parts.agent, tool, parts.budget, nowNs, parts.historyRaw);
  const inputJson = `{"action":${JSON.stringify(parts.action)},"agent":${JSON.stringify(parts.agent)},"tool":${JSON.stringify(tool)},`
    + `"budget":${JSON.stringify(parts.budget)},"history":[${parts.historyRaw.join(',')}],"now_ns":${JSON.stringify(nowNs)}}`;
  return { input, inputJson };
}

/**
 * A policy input whose history is parsed from the stored texts on first read. The lazy getter lives on the class: a
 * getter defined per object (Object.defineProperty with a fresh closure) gave every input its own hidden class, which
 * V8 kept through young-generation collections (measured as promoted bytes per scavenge in the API under /v1/check).
 */
class InputWithStoredHistory implements PolicyInput {
  #history: HistoryEntry[] | null = null;
  readonly #historyRaw: string[];

  constructor(
    readonly action: InputAction,
    readonly agent: PolicyInput['agent'],
    readonly tool: ToolMetadata,
    readonly budget: BudgetSnapshot,
    readonly now_ns: number,
    historyRaw: string[],
  ) {
    this.#historyRaw = historyRaw;
  }

  get history(): HistoryEntry[] {
    return (this.#history ??= this.#historyRaw.map((s) => JSON.parse(s) as HistoryEntry));
  }

  /** The same document as inputJson. */
  toJSON(): PolicyInput {
    return { action: this.action, agent: this.agent, tool: this.tool, budget: this.budget, history: this.history, now_ns: this.now_ns };
  }
}
