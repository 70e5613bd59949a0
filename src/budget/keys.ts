// Redis key names of the budget module, all under one prefix (give it a hash tag, e.g. "{airlock}:", for Redis Cluster).
import { periodOf, type BudgetWindow } from './windows.ts';

export interface BudgetKeys {
  state(scope: string, window: BudgetWindow, nowMs: number): string;
  caps: string;
  capsLog: string;
  knownScopes: string;
  reservation(actionId: string): string;
  leases: string;
  breaker(scope: string): string;
  velocity(scope: string): string;
  loop(scope: string, tool: string, argsHash: string): string;
  breakerEvents: string;
  breakerScopes: string;
}

export function budgetKeys(prefix: string): BudgetKeys {
  const p = prefix;
  return {
    state: (scope, window, nowMs) => `${p}budget:state:${scope}:${periodOf(window, nowMs)}`,
    caps: `${p}budget:caps`,
    capsLog: `${p}budget:caps:log`,
    knownScopes: `${p}budget:scopes`,
    reservation: (actionId) => `${p}budget:res:${actionId}`,
    leases: `${p}budget:leases`,
    breaker: (scope) => `${p}breaker:${scope}`,
    velocity: (scope) => `${p}breaker:velocity:${scope}`,
    loop: (scope, tool, argsHash) => `${p}breaker:loop:${scope}:${tool}:${argsHash}`,
    breakerEvents: `${p}breaker:events`,
    breakerScopes: `${p}breaker:scopes`,
  };
}
