// The budget service's metrics port (src/budget/metrics.ts) backed by the prom-client metrics of the budget section of
// registry.ts: the budget module itself never imports the registry.
import {
  breakerResetsTotal, breakerState, breakerTripsTotal, budgetReclaimedTotal, budgetRejectionsTotal,
  budgetRemainingUsd, budgetReservedUsd, budgetSpentUsd,
} from './registry.ts';
import type { BudgetMetrics } from '../budget/metrics.ts';

export const promBudgetMetrics: BudgetMetrics = {
  rejected: (kind, reason) => budgetRejectionsTotal.inc({ scope_kind: kind, reason }),
  breakerTripped: (kind, trigger) => breakerTripsTotal.inc({ scope_kind: kind, trigger }),
  breakerReset: (kind) => breakerResetsTotal.inc({ scope_kind: kind }),
  scopeTotals(kind, t) {
    budgetSpentUsd.set({ scope_kind: kind }, t.spentUsd);
    budgetReservedUsd.set({ scope_kind: kind }, t.reservedUsd);
    budgetRemainingUsd.set({ scope_kind: kind }, t.remainingUsd);
  },
  breakerStates(kind, counts) {
    for (const [state, n] of Object.entries(counts)) breakerState.set({ scope_kind: kind, state }, n);
  },
  reclaimed: (n) => budgetReclaimedTotal.inc(n),
};
