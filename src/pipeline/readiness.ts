// What a readiness probe reports, for the API's /readyz and the workers' metrics endpoint: Redis reachable, a policy
// loaded, budgets configured from it. A process that is not ready decides and executes nothing (fail closed).
import type { PolicyStatus } from '../policy/engine.ts';
import type { Runtime } from './runtime.ts';

export interface ReadinessDeps {
  pingRedis(): Promise<unknown>;
  policyStatus(): PolicyStatus;
  /** Whether budgets are configured from the active policy data (when not, every action is denied). */
  budgetStatus(): { ok: boolean; error?: string };
}

export interface Readiness {
  ready: boolean;
  redis: { ok: boolean; error?: string };
  policy: PolicyStatus;
  budget: { ok: boolean; error?: string };
}

export async function readiness(deps: ReadinessDeps): Promise<Readiness> {
  let redis: Readiness['redis'] = { ok: true };
  try {
    await deps.pingRedis();
  } catch (e) {
    redis = { ok: false, error: (e as Error).message };
  }
  const policy = deps.policyStatus();
  const budget = deps.budgetStatus();
  return { ready: redis.ok && policy.loaded && budget.ok, redis, policy, budget };
}

/** The probes of a process's runtime. */
export function runtimeReadiness(rt: Pick<Runtime, 'redis' | 'policy' | 'budget'>): ReadinessDeps {
  return {
    pingRedis: () => rt.redis.ping(),
    policyStatus: () => rt.policy.status(),
    budgetStatus: () => {
      // The budget service is built from the policy data; while that is missing or invalid every call throws.
      try {
        rt.budget.scopesFor({ agentId: 'readyz', workflowId: 'readyz', tenant: null });
        return { ok: true };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    },
  };
}
