// The policy engine's metrics port (src/policy/metrics.ts) backed by the prom-client metrics of registry.ts: the policy
// module itself never imports the registry.
import type { PolicyMetrics } from '../policy/metrics.ts';
import { policyEvalDuration, policyFailClosedTotal, policyLastReloadFailed, policyReloadFailuresTotal, policyReloadsTotal, policyRevisionInfo } from './registry.ts';

export const promPolicyMetrics: PolicyMetrics = {
  loaded(revision, previous) {
    policyLastReloadFailed.set(0);
    policyReloadsTotal.inc({ result: 'success' });
    if (previous) policyRevisionInfo.remove(previous);
    policyRevisionInfo.set({ revision }, 1);
  },
  loadFailed() {
    policyLastReloadFailed.set(1);
    policyReloadsTotal.inc({ result: 'failure' });
    policyReloadFailuresTotal.inc();
  },
  evaluated: (seconds) => policyEvalDuration.observe(seconds),
  failedClosed: (reason) => policyFailClosedTotal.inc({ reason }),
};
