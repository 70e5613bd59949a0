// What the policy engine reports to metrics, as a small injectable interface (prom-client adapter in src/metrics/policy-metrics.ts).

export interface PolicyMetrics {
  /** A (re)load succeeded: `revision` now serves, in place of `previous`. */
  loaded(revision: string, previous: string | null): void;
  /** A (re)load failed: the previous revision (or none) keeps serving. */
  loadFailed(): void;
  /** One evaluation took this long (errors included). */
  evaluated(seconds: number): void;
  /** A decision failed closed, and why (no_policy, eval_error, or the decision's own fail-closed reason). */
  failedClosed(reason: string): void;
}

/** For callers that do not export metrics (tests, one-shot tools). */
export const NO_POLICY_METRICS: PolicyMetrics = {
  loaded: () => undefined,
  loadFailed: () => undefined,
  evaluated: () => undefined,
  failedClosed: () => undefined,
};
