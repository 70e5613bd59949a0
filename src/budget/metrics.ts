// What the budget module reports to metrics, as a small injectable interface (prom-client adapter in src/metrics/budget-metrics.ts).
import type { ScopeKind } from './scopes.ts';
import type { BreakerState } from './types.ts';

export interface ScopeKindTotals {
  spentUsd: number;
  reservedUsd: number;
  remainingUsd: number;
}

export interface BudgetMetrics {
  /** A reservation was refused; reason = cap_usd | cap_tokens | breaker. */
  rejected(kind: ScopeKind | 'none', reason: 'cap_usd' | 'cap_tokens' | 'breaker' | 'closed'): void;
  breakerTripped(kind: ScopeKind, trigger: 'velocity' | 'loop'): void;
  breakerReset(kind: ScopeKind): void;
  /** Totals of the current window period across the known scopes of one kind. */
  scopeTotals(kind: ScopeKind, totals: ScopeKindTotals): void;
  breakerStates(kind: ScopeKind, counts: Record<BreakerState, number>): void;
  /** Reservations reclaimed by the sweeper. */
  reclaimed(count: number): void;
}

export const noBudgetMetrics: BudgetMetrics = {
  rejected() {},
  breakerTripped() {},
  breakerReset() {},
  scopeTotals() {},
  breakerStates() {},
  reclaimed() {},
};
