// The one prom-client registry of Airlock and every metric definition; call sites only inc/observe/set.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();

let defaultsCollected = false;
/** Process metrics (CPU, memory, event loop lag); called once by each process entry point. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry, prefix: 'airlock_' });
}

const fastBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const slowBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

// ---------------------------------------------------------------- pipeline (issue 3)

/** Actions that reached an outcome; outcome ∈ allow|deny|review (decisions) or succeeded|failed|denied|expired (final). */
export const actionsTotal = new Counter({
  name: 'airlock_actions_total',
  help: 'Actions by tool and outcome (decision outcomes and final states)',
  labelNames: ['tool', 'outcome'] as const,
  registers: [registry],
});

export const decisionDuration = new Histogram({
  name: 'airlock_decision_duration_seconds',
  help: 'Whole decide step (input building, policy evaluation, budget reservation)',
  labelNames: ['outcome'] as const,
  buckets: fastBuckets,
  registers: [registry],
});

export const policyEvalDuration = new Histogram({
  name: 'airlock_policy_eval_duration_seconds',
  help: 'Time spent inside the compiled policy (opa-wasm evaluate)',
  buckets: fastBuckets,
  registers: [registry],
});

export const policyFailClosedTotal = new Counter({
  name: 'airlock_policy_fail_closed_total',
  help: 'Decisions turned into deny because the policy was missing, failed or returned a malformed decision',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const policyRevisionInfo = new Gauge({
  name: 'airlock_policy_revision_info',
  help: 'The policy revision currently loaded (value 1)',
  labelNames: ['revision'] as const,
  registers: [registry],
});

export const policyReloadsTotal = new Counter({
  name: 'airlock_policy_reloads_total',
  help: 'Policy (re)loads by result',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const policyReloadFailuresTotal = new Counter({
  name: 'airlock_policy_reload_failures_total',
  help: 'Policy reloads that failed to compile or load (the previous policy stays active)',
  registers: [registry],
});

export const policyLastReloadFailed = new Gauge({
  name: 'airlock_policy_last_reload_failed',
  help: '1 when the most recent policy (re)load failed and an older revision is serving',
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'airlock_queue_depth',
  help: 'Jobs waiting or delayed per queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const queueOldestAge = new Gauge({
  name: 'airlock_queue_oldest_age_seconds',
  help: 'Age of the oldest waiting job per queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const reviewBacklog = new Gauge({
  name: 'airlock_review_backlog',
  help: 'Actions waiting for a human decision',
  registers: [registry],
});

export const reviewOldestAge = new Gauge({
  name: 'airlock_review_oldest_age_seconds',
  help: 'Age of the oldest action waiting for review',
  registers: [registry],
});

export const reviewDecisionsTotal = new Counter({
  name: 'airlock_review_decisions_total',
  help: 'Human review decisions (approved, rejected) and expiries',
  labelNames: ['decision'] as const,
  registers: [registry],
});

export const executorDuration = new Histogram({
  name: 'airlock_executor_duration_seconds',
  help: 'Executor call latency per attempt',
  labelNames: ['tool', 'kind'] as const,
  buckets: slowBuckets,
  registers: [registry],
});

export const executorErrorsTotal = new Counter({
  name: 'airlock_executor_errors_total',
  help: 'Executor errors per attempt by tool and error kind',
  labelNames: ['tool', 'kind'] as const,
  registers: [registry],
});

export const executorRetriesTotal = new Counter({
  name: 'airlock_executor_retries_total',
  help: 'Retries of transient executor failures',
  labelNames: ['tool'] as const,
  registers: [registry],
});

export const deadLettersTotal = new Counter({
  name: 'airlock_dead_letters_total',
  help: 'Actions failed after their last attempt (dead-lettered)',
  labelNames: ['tool'] as const,
  registers: [registry],
});

export const actionsRequeuedTotal = new Counter({
  name: 'airlock_actions_requeued_total',
  help: 'Actions whose lease ran out, handed to their queue again by the lease reaper, by the status they waited in (executing: the worker died or hung; queued, deciding, approved: the wake-up job was lost)',
  labelNames: ['status'] as const,
  registers: [registry],
});
// Every status starts at 0, so that rate/increase see the series before the first hand-over.
for (const status of ['queued', 'deciding', 'approved', 'executing']) actionsRequeuedTotal.labels({ status }).inc(0);

export const apiRequestDuration = new Histogram({
  name: 'airlock_api_request_duration_seconds',
  help: 'HTTP API latency by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: fastBuckets,
  registers: [registry],
});

// ---------------------------------------------------------------- budget (issue 4) — owned by the budget engineer
// Per scope kind (workflow|agent|tenant|global), summed over the known scopes of the current window period.
export const budgetSpentUsd = new Gauge({
  name: 'airlock_budget_spent_usd',
  help: 'USD spent (settled) in the current window, summed per scope kind',
  labelNames: ['scope_kind'] as const,
  registers: [registry],
});

export const budgetReservedUsd = new Gauge({
  name: 'airlock_budget_reserved_usd',
  help: 'USD reserved by running actions, summed per scope kind',
  labelNames: ['scope_kind'] as const,
  registers: [registry],
});

export const budgetRemainingUsd = new Gauge({
  name: 'airlock_budget_remaining_usd',
  help: 'USD remaining under the caps in the current window, summed per scope kind',
  labelNames: ['scope_kind'] as const,
  registers: [registry],
});

/** reason ∈ cap_usd|cap_tokens|breaker|closed */
export const budgetRejectionsTotal = new Counter({
  name: 'airlock_budget_rejections_total',
  help: 'Budget reservations refused, by scope kind and reason',
  labelNames: ['scope_kind', 'reason'] as const,
  registers: [registry],
});

export const budgetReclaimedTotal = new Counter({
  name: 'airlock_budget_reservations_reclaimed_total',
  help: 'Reservations whose lease ran out (dead worker) reclaimed by the sweeper',
  registers: [registry],
});

/** Number of breakers of a scope kind in each state (closed|open|half_open). */
export const breakerState = new Gauge({
  name: 'airlock_breaker_state',
  help: 'Circuit breakers per scope kind and state',
  labelNames: ['scope_kind', 'state'] as const,
  registers: [registry],
});

/** trigger ∈ velocity|loop */
export const breakerTripsTotal = new Counter({
  name: 'airlock_breaker_trips_total',
  help: 'Circuit breaker trips by scope kind and trigger',
  labelNames: ['scope_kind', 'trigger'] as const,
  registers: [registry],
});

export const breakerResetsTotal = new Counter({
  name: 'airlock_breaker_resets_total',
  help: 'Circuit breaker resets by an admin or reviewer',
  labelNames: ['scope_kind'] as const,
  registers: [registry],
});
// ---------------------------------------------------------------- end budget

// ---------------------------------------------------------------- observability (issue 5)
/** Sampled before each scrape (src/metrics/sampler.ts): 1 when this process's Redis connection answers PING. */
export const redisUp = new Gauge({
  name: 'airlock_redis_up',
  help: '1 when Redis answered PING at the last scrape of this process, 0 when it did not (nothing is decided or executed then)',
  registers: [registry],
});

/** Reloads of the tool registry after its file changed; result ∈ success|failure (a failure keeps the previous one). */
export const toolRegistryReloadsTotal = new Counter({
  name: 'airlock_tool_registry_reloads_total',
  help: 'Reloads of the AIRLOCK_TOOLS registry after the file changed, by result (a failure keeps the previous registry serving)',
  labelNames: ['result'] as const,
  registers: [registry],
});
for (const result of ['success', 'failure']) toolRegistryReloadsTotal.labels({ result }).inc(0);

/** Every error of a Redis connection of this process (the log shows at most one line per connection per 10 s). */
export const redisConnectionErrorsTotal = new Counter({
  name: 'airlock_redis_connection_errors_total',
  help: 'Errors reported by this process\'s Redis connections (refused, reset, timed out), per connection',
  labelNames: ['connection'] as const,
  registers: [registry],
});

/** The `count` of logConnectionErrors for this registry; the connection's series starts at 0 so rates work from the start. */
export function countRedisConnectionErrors(connection: string): (connection: string) => void {
  redisConnectionErrorsTotal.inc({ connection }, 0);
  return (c) => redisConnectionErrorsTotal.inc({ connection: c });
}

/** Sampled before each scrape by the API process; state ∈ waiting|delayed|prioritized|active|failed. */
export const queueJobs = new Gauge({
  name: 'airlock_queue_jobs',
  help: 'BullMQ jobs per pipeline queue and job state',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

/** Replays of recorded decisions served by the API (POST /v1/actions/:id/replay); result ∈ same|changed. */
export const replayEvaluationsTotal = new Counter({
  name: 'airlock_replay_evaluations_total',
  help: 'Recorded decisions re-evaluated through the replay API, by result (same or changed)',
  labelNames: ['result'] as const,
  registers: [registry],
});
