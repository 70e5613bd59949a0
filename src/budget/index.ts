// Public face of the budget module: the BudgetService contract the pipeline and API use, and its factory.
import type { Redis } from 'ioredis';
import { createBudgetAdmin, type BudgetAdmin } from './admin.ts';
import type { BudgetConfig } from './config.ts';
import { noBudgetMetrics, type BudgetMetrics } from './metrics.ts';
import { createBudgetCore, createInternals, type BudgetCore } from './service.ts';

/**
 * Budgets that cannot be overspent. Amounts are USD on the wire and integer micro-dollars in Redis; every
 * reservation is one Lua script over all scopes (all or nothing). Every method throws BudgetUnavailableError
 * (code `budget_unavailable`) when Redis fails: the caller must then NOT execute (fail closed).
 *
 * Pipeline use:
 * - decide: `scopes = scopesFor(...)`; `input.budget = await snapshot(scopes, attempt)` (records the attempt in the
 *   workflow and agent breakers first, in the same step); evaluate policy; on allow (and no breaker open) →
 *   `reserve(actionId, scopes, {usd: min(estimate, cost_ceiling_usd), tokens}, {attempt})` (a granted reservation
 *   feeds the shared scopes' breakers in the same step); refused with kind 'cap' →
 *   decision.on_budget_exceeded (default deny) with `reason`; kind 'breaker' → review with `reason`.
 * - review approve: `reserve(..., {approvedByHuman: true})` (open breakers do not block a human's approval; caps do).
 * - execute: before each attempt `renewLease(actionId)`; if false the reservation was reclaimed → `reserve` again,
 *   and if that is refused do not execute. After execution `settle(actionId, {usd?, tokens?})`.
 * - deny / reject / expire / failed for good: `release(actionId)`.
 */
export interface BudgetService extends BudgetCore, BudgetAdmin {}

export interface BudgetServiceDeps {
  redis: Redis;
  prefix: string;
  clock: () => number;
  config: BudgetConfig;
  metrics?: BudgetMetrics;
  /** Default reservation lease in ms (default 120 000). */
  leaseMs?: number;
  /** How long settled/released reservation records are remembered for idempotency, in seconds (default 7 days). */
  closedTtlSeconds?: number;
}

export function createBudgetService(deps: BudgetServiceDeps): BudgetService {
  const inner = createInternals({
    redis: deps.redis,
    prefix: deps.prefix,
    clock: deps.clock,
    config: deps.config,
    metrics: deps.metrics ?? noBudgetMetrics,
    leaseMs: deps.leaseMs ?? 120_000,
    closedTtlSeconds: deps.closedTtlSeconds ?? 7 * 24 * 3600,
  });
  return { ...createBudgetCore(inner), ...createBudgetAdmin(inner) };
}

export { budgetConfigFromPolicyData, resolveCap, type BudgetConfig, type BreakerSettings, type ScopeCap } from './config.ts';
export { BudgetError, BudgetInputError, BudgetUnavailableError, InvalidScopeError, BudgetConfigError } from './errors.ts';
export { scopesFor, scopeKind, isValidScope, SCOPE_KINDS, type ScopeKind } from './scopes.ts';
export { startBudgetSweeper, type BudgetSweeper } from './sweeper.ts';
export type { BudgetMetrics } from './metrics.ts';
export type * from './types.ts';
