// Public face of the budget module: the BudgetService contract the pipeline and API use, and its factory.
import type { Redis } from 'ioredis';
import { createBudgetAdmin, type BudgetAdmin } from './admin.ts';
import type { BudgetConfig } from './config.ts';
import { noBudgetMetrics, type BudgetMetrics } from './metrics.ts';
import { createBudgetCore, createInternals } from './service.ts';
import type { BudgetInput, ReserveOptions, ReserveResult, Settlement } from './types.ts';

/**
 * Budgets that cannot be overspent. Amounts are USD on the wire and integer micro-dollars in Redis; every
 * reservation is one Lua script over all scopes (all or nothing). Every method throws BudgetUnavailableError
 * (code `budget_unavailable`) when Redis fails: the caller must then NOT execute (fail closed).
 *
 * Pipeline use:
 * - decide: `scopes = scopesFor(...)`; `recordAttempt(...)` (feeds the breakers; returns scopes it tripped);
 *   `input.budget = await snapshot(scopes)`; evaluate policy; on allow (and no breaker open) →
 *   `reserve(actionId, scopes, {usd: min(estimate, cost_ceiling_usd), tokens})`; refused with kind 'cap' →
 *   decision.on_budget_exceeded (default deny) with `reason`; kind 'breaker' → review with `reason`.
 * - review approve: `reserve(..., {approvedByHuman: true})` (open breakers do not block a human's approval; caps do).
 * - execute: before each attempt `renewLease(actionId)`; if false the reservation was reclaimed → `reserve` again,
 *   and if that is refused do not execute. After execution `settle(actionId, {usd?, tokens?})`.
 * - deny / reject / expire / failed for good: `release(actionId)`.
 */
export interface BudgetService extends BudgetAdmin {
  /** Scopes that apply to an action: workflow:<id>, agent:<id>, tenant:<id> (if the agent has one), global. */
  scopesFor(a: { agentId: string; workflowId: string; tenant: string | null }): string[];
  /** `input.budget` for the policy: each scope's cap/spent/reserved/remaining (current window) and breaker state. */
  snapshot(scopes: string[]): Promise<BudgetInput>;
  /**
   * Reserves the estimate in every scope atomically and leases it (default lease from createBudgetService).
   * Idempotent per actionId while held. Refused when a scope would pass its cap (kind 'cap') or a breaker
   * is open / its half-open probe slot is taken (kind 'breaker'). In half-open, the first reservation becomes the probe.
   */
  reserve(actionId: string, scopes: string[], amount: { usd: number; tokens: number }, opts?: ReserveOptions): Promise<ReserveResult>;
  /** Extends the lease of a held reservation; false when it is no longer held (then do not execute without reserving again). */
  renewLease(actionId: string, leaseMs?: number): Promise<boolean>;
  /**
   * Charges the actual cost once (idempotent): unknown usd/tokens → the reserved estimate is charged, never zero.
   * The unused part of the reservation is released. A settle after the sweeper reclaimed the lease still charges.
   * Settling a half-open probe closes its breaker.
   */
  settle(actionId: string, actual: { usd?: number; tokens?: number }): Promise<Settlement>;
  /** Releases the reservation (denied, rejected, expired, failed); idempotent; true when something was released. */
  release(actionId: string): Promise<boolean>;
  /** Feeds the velocity and loop breakers of every scope; returns the scopes this attempt tripped. */
  recordAttempt(a: { actionId: string; scopes: string[]; tool: string; argsHash: string; costUsd: number }): Promise<string[]>;
  /** Releases reservations whose lease ended (used by the sweeper); returns how many were reclaimed. */
  sweepExpired(limit?: number): Promise<number>;
}

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
export { promBudgetMetrics } from './promMetrics.ts';
export type * from './types.ts';
