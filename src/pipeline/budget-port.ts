// What the pipeline needs from the budget service (src/budget, issue 4); its BudgetService satisfies this structurally.
import type { BreakerAttempt } from '../budget/index.ts';
import type { HashFieldCondition } from './action-store.ts';

export type { BreakerAttempt };

/** `input.budget` of the policy contract. */
export interface BudgetSnapshot {
  scopes: Record<string, unknown>;
  breakers: Record<string, { state: string; reason: string | null }>;
}

export type ReserveOutcome = { ok: true; attemptError?: string } | { ok: false; scope: string; reason: string; kind?: string };

export interface BudgetPort {
  scopesFor(a: { agentId: string; workflowId: string; tenant: string | null }): string[];
  /** With `attempt`: the attempt is recorded first, in the same step. */
  snapshot(scopes: string[], attempt?: BreakerAttempt): Promise<BudgetSnapshot>;
  /** With `opts.attempt`: a granted reservation also records that attempt, in the same step. */
  reserve(
    actionId: string, scopes: string[], amount: { usd: number; tokens: number },
    opts?: { approvedByHuman?: boolean; attempt?: Omit<BreakerAttempt, 'actionId'> },
  ): Promise<ReserveOutcome>;
  settle(actionId: string, actual: { usd?: number; tokens?: number }): Promise<unknown>;
  /**
   * Where a reservation shows that it still waits for its settle (the field holds one of the values until `settle` has
   * run). With it, the execute step sends the success right behind the settle, refused by Redis unless the settle ran.
   */
  unsettled?(actionId: string): HashFieldCondition;
  /**
   * Where a granted reservation shows that it is held (the field holds one of the values). With it, when the snapshot
   * leaves room (`expectsGrant`), the decide step sends the approval and the execute job right behind the reservation,
   * the approval refused by Redis unless the reservation was granted.
   */
  held?(actionId: string): HashFieldCondition;
  /** Whether the snapshot read for a decision leaves room for `amount` in every scope with every breaker closed. */
  expectsGrant?(snapshot: BudgetSnapshot, scopes: string[], amount: { usd: number; tokens: number }): boolean;
  release(actionId: string): Promise<unknown>;
  renewLease?(actionId: string, leaseMs?: number): Promise<boolean>;
}

/** Used only when no budget service is configured: no scopes, nothing to reserve. */
export const NO_BUDGET: BudgetPort = {
  scopesFor: () => [],
  snapshot: async () => ({ scopes: {}, breakers: {} }),
  reserve: async () => ({ ok: true }),
  settle: async () => undefined,
  release: async () => undefined,
};

/**
 * A budget answer that only enables a shortcut (`held`, `unsettled`, `expectsGrant`): null when the port has none or
 * cannot say (a budget without policy data throws); the caller then takes the path that waits for each reply.
 */
export function shortcutAnswer<T>(read: () => T | undefined): T | null {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
}
