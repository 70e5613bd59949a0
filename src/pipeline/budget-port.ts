// What the pipeline needs from the budget service (src/budget, issue 4); its BudgetService satisfies this structurally.

/** `input.budget` of the policy contract. */
export interface BudgetSnapshot {
  scopes: Record<string, unknown>;
  breakers: Record<string, { state: string; reason: string | null }>;
}

export type ReserveOutcome = { ok: true } | { ok: false; scope: string; reason: string; kind?: string };

export interface BudgetPort {
  scopesFor(a: { agentId: string; workflowId: string; tenant: string | null }): string[];
  snapshot(scopes: string[]): Promise<BudgetSnapshot>;
  reserve(actionId: string, scopes: string[], amount: { usd: number; tokens: number }, opts?: { approvedByHuman?: boolean }): Promise<ReserveOutcome>;
  settle(actionId: string, actual: { usd?: number; tokens?: number }): Promise<unknown>;
  release(actionId: string): Promise<unknown>;
  recordAttempt(a: { actionId: string; scopes: string[]; tool: string; argsHash: string; costUsd: number }): Promise<unknown>;
  renewLease?(actionId: string, leaseMs?: number): Promise<boolean>;
}

/** Used only when no budget service is configured: no scopes, nothing to reserve. */
export const NO_BUDGET: BudgetPort = {
  scopesFor: () => [],
  snapshot: async () => ({ scopes: {}, breakers: {} }),
  reserve: async () => ({ ok: true }),
  settle: async () => undefined,
  release: async () => undefined,
  recordAttempt: async () => undefined,
};
