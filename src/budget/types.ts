// Shapes the budget module hands out: a scope's budget as policy and API read it, breaker state, reservation results.
import type { ScopeKind } from './scopes.ts';
import type { BudgetWindow } from './windows.ts';

/** One scope as `input.budget.scopes[scope]` and `GET /v1/budgets/:scope` show it (USD as numbers, tokens whole). */
export interface ScopeBudget {
  scope: string;
  capUsd: number;
  spentUsd: number;
  reservedUsd: number;
  remainingUsd: number;
  capTokens: number;
  spentTokens: number;
  reservedTokens: number;
  window: BudgetWindow;
}

/** `half_open`: the cooldown has passed and one probe action may run; it closes the breaker when it settles. */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerView {
  state: BreakerState;
  reason: string | null;
}

/** `input.budget` of the policy contract. */
export interface BudgetInput {
  scopes: Record<string, ScopeBudget>;
  breakers: Record<string, BreakerView>;
}

/**
 * Why a reservation was refused: `cap` = a scope would pass its USD or token cap (policy's on_budget_exceeded applies),
 * `breaker` = the scope's breaker is open (the action goes to human review), `closed` = this action's reservation was already settled.
 */
export type ReserveRefusal = 'cap' | 'breaker' | 'closed';

/** `attemptError`: the reservation was granted but recording `ReserveOptions.attempt` failed. */
export type ReserveResult = { ok: true; attemptError?: string } | { ok: false; scope: string; reason: string; kind: ReserveRefusal };

/** One attempt of an action as the velocity and loop breakers of its scopes count it. */
export interface BreakerAttempt {
  actionId: string;
  scopes: string[];
  tool: string;
  /** Identifies equal arguments (loop detection). */
  argsHash: string;
  /** Spend the attempt would add (velocity). */
  costUsd: number;
}

export interface ReserveOptions {
  /** The action was approved by a human reviewer: an open breaker does not block it (caps still do). */
  approvedByHuman?: boolean;
  /** Lease length; the sweeper reclaims the reservation when it is neither renewed nor settled by then. */
  leaseMs?: number;
  /** When the reservation is granted, feed these scopes' breakers with this attempt in the same step. */
  attempt?: Omit<BreakerAttempt, 'actionId'>;
}

/** A settlement: the reservation moved to spent. */
export interface Settlement {
  settled: boolean;
  chargedUsd: number;
  chargedTokens: number;
}

export interface BreakerDetail extends BreakerView {
  scope: string;
  trigger: 'velocity' | 'loop' | null;
  trips: number;
  openedAt: string | null;
  openUntil: string | null;
  probeActionId: string | null;
}

export interface BreakerEvent {
  type: 'trip' | 'reset' | 'closed';
  scope: string;
  at: string;
  kind?: 'velocity' | 'loop';
  reason?: string;
  by?: string;
  actionId?: string;
  previous?: string;
}

export interface CapChange {
  scope: string;
  capUsd: number | null;
  capTokens: number | null;
  by: string;
  at: string;
}

export type { ScopeKind, BudgetWindow };
