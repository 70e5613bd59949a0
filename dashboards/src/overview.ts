// The Airlock overview dashboard: traffic, outcomes, latency, queues, review backlog, spend against budgets, breakers, errors, policy, processes.
import { dashboard, Layout, type Dashboard } from './grafana.ts';

const R = '$__rate_interval';
const DECISIONS = 'outcome=~"allow|deny|review"';
const FINALS = 'outcome=~"succeeded|failed|denied|expired"';

export function overviewDashboard(): Dashboard {
  const l = new Layout();
  l.row('Traffic and outcomes')
    .stat({ title: 'Decisions / s', description: 'Policy decisions per second (allow + deny + review)', unit: 'ops', queries: [{ expr: `sum(rate(airlock_actions_total{${DECISIONS}}[${R}]))` }] })
    .stat({
      title: 'Deny ratio', description: 'Share of decisions that were deny', unit: 'percentunit',
      thresholds: [{ value: null, color: 'green' }, { value: 0.25, color: 'orange' }, { value: 0.5, color: 'red' }],
      queries: [{ expr: `sum(rate(airlock_actions_total{outcome="deny"}[${R}])) / sum(rate(airlock_actions_total{${DECISIONS}}[${R}]))` }],
    })
    .stat({
      title: 'Review backlog', description: 'Actions waiting for a human decision', unit: 'short',
      thresholds: [{ value: null, color: 'green' }, { value: 20, color: 'orange' }, { value: 100, color: 'red' }],
      queries: [{ expr: 'max(airlock_review_backlog)' }],
    })
    .stat({
      title: 'Redis reachable', description: 'Lowest airlock_redis_up over all processes (0 = some process cannot reach Redis: nothing is decided)', unit: 'none',
      thresholds: [{ value: null, color: 'red' }, { value: 1, color: 'green' }],
      queries: [{ expr: 'min(airlock_redis_up)' }],
    })
    .timeseries({ title: 'Decisions by outcome', description: 'allow / deny / review per second', unit: 'ops', queries: [{ expr: `sum by (outcome) (rate(airlock_actions_total{${DECISIONS}}[${R}]))`, legend: '{{outcome}}' }] })
    .timeseries({ title: 'Final states', description: 'succeeded / failed / denied / expired per second', unit: 'ops', queries: [{ expr: `sum by (outcome) (rate(airlock_actions_total{${FINALS}}[${R}]))`, legend: '{{outcome}}' }] })
    .timeseries({ title: 'Decisions by tool', description: 'Decisions per second per tool (unknown tools collapse into "(unknown)")', unit: 'ops', queries: [{ expr: `sum by (tool) (rate(airlock_actions_total{${DECISIONS}}[${R}]))`, legend: '{{tool}}' }] })
    .timeseries({ title: 'API requests by status', description: 'HTTP requests per second by status code', unit: 'reqps', queries: [{ expr: `sum by (status) (rate(airlock_api_request_duration_seconds_count[${R}]))`, legend: '{{status}}' }] });

  l.row('Latency')
    .timeseries({
      title: 'Decision latency', description: 'Whole decide step (input, policy, budget reservation): p50 / p99', unit: 's',
      queries: [
        { expr: `histogram_quantile(0.5, sum by (le) (rate(airlock_decision_duration_seconds_bucket[${R}])))`, legend: 'p50' },
        { expr: `histogram_quantile(0.99, sum by (le) (rate(airlock_decision_duration_seconds_bucket[${R}])))`, legend: 'p99' },
      ],
    })
    .timeseries({
      title: 'Policy evaluation latency', description: 'Time inside the compiled policy (opa-wasm): p50 / p99', unit: 's',
      queries: [
        { expr: `histogram_quantile(0.5, sum by (le) (rate(airlock_policy_eval_duration_seconds_bucket[${R}])))`, legend: 'p50' },
        { expr: `histogram_quantile(0.99, sum by (le) (rate(airlock_policy_eval_duration_seconds_bucket[${R}])))`, legend: 'p99' },
      ],
    })
    .timeseries({ title: 'API latency p99 by route', description: 'HTTP latency per route', unit: 's', queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (rate(airlock_api_request_duration_seconds_bucket[${R}])))`, legend: '{{route}}' }] })
    .timeseries({ title: 'Executor latency p99 by tool', description: 'Per attempt, by tool', unit: 's', queries: [{ expr: `histogram_quantile(0.99, sum by (le, tool) (rate(airlock_executor_duration_seconds_bucket[${R}])))`, legend: '{{tool}}' }] });

  l.row('Queues and review')
    .timeseries({ title: 'Queue depth', description: 'Jobs waiting or delayed per queue', unit: 'short', queries: [{ expr: 'max by (queue) (airlock_queue_depth)', legend: '{{queue}}' }] })
    .timeseries({ title: 'Oldest waiting job', description: 'Age of the oldest waiting job per queue', unit: 's', queries: [{ expr: 'max by (queue) (airlock_queue_oldest_age_seconds)', legend: '{{queue}}' }] })
    .timeseries({ title: 'Jobs by queue and state', description: 'BullMQ jobs per queue and state (waiting, delayed, prioritized, active, failed)', unit: 'short', queries: [{ expr: 'max by (queue, state) (airlock_queue_jobs)', legend: '{{queue}} {{state}}' }] })
    .timeseries({
      title: 'Review backlog and oldest item', description: 'Pending reviews and the age of the oldest (right axis in seconds)', unit: 'short',
      queries: [{ expr: 'max(airlock_review_backlog)', legend: 'pending' }, { expr: 'max(airlock_review_oldest_age_seconds)', legend: 'oldest age (s)' }],
    });

  l.row('Spend, budgets and breakers')
    .timeseries({ title: 'Spend by scope kind', description: 'USD settled in the current window, summed per scope kind', unit: 'currencyUSD', queries: [{ expr: 'max by (scope_kind) (airlock_budget_spent_usd)', legend: '{{scope_kind}} spent' }, { expr: 'max by (scope_kind) (airlock_budget_reserved_usd)', legend: '{{scope_kind}} reserved' }] })
    .timeseries({ title: 'Remaining budget by scope kind', description: 'USD left under the caps, summed per scope kind', unit: 'currencyUSD', queries: [{ expr: 'max by (scope_kind) (airlock_budget_remaining_usd)', legend: '{{scope_kind}}' }] })
    .timeseries({ title: 'Budget rejections', description: 'Reservations refused by scope kind and reason', unit: 'ops', queries: [{ expr: `sum by (scope_kind, reason) (rate(airlock_budget_rejections_total[${R}]))`, legend: '{{scope_kind}} {{reason}}' }] })
    .timeseries({ title: 'Breakers by state', description: 'Circuit breakers per scope kind and state, and trips', unit: 'short', queries: [{ expr: 'max by (scope_kind, state) (airlock_breaker_state)', legend: '{{scope_kind}} {{state}}' }, { expr: `sum by (scope_kind, trigger) (increase(airlock_breaker_trips_total[${R}]))`, legend: 'trips {{scope_kind}} {{trigger}}' }] });

  l.row('Errors')
    .timeseries({ title: 'Executor errors by tool and kind', description: 'Failed attempts per second', unit: 'ops', queries: [{ expr: `sum by (tool, kind) (rate(airlock_executor_errors_total[${R}]))`, legend: '{{tool}} {{kind}}' }] })
    .timeseries({ title: 'Retries and dead letters', description: 'Retries of transient failures, and actions failed after their last attempt', unit: 'ops', queries: [{ expr: `sum by (tool) (rate(airlock_executor_retries_total[${R}]))`, legend: 'retries {{tool}}' }, { expr: `sum by (tool) (rate(airlock_dead_letters_total[${R}]))`, legend: 'dead letters {{tool}}' }] })
    .timeseries({ title: 'Actions handed back to their queue', description: 'Actions that outlived their lease, by the status they waited in: executing (the worker died or hung) or queued, deciding, approved (the wake-up job was lost)', unit: 'short', queries: [{ expr: `sum by (status) (increase(airlock_actions_requeued_total[${R}]))`, legend: '{{status}}' }] })
    .timeseries({ title: 'Redis connection errors', description: 'Errors of the processes\' Redis connections per second, by connection (refused, reset, timed out; the logs show at most one line per connection per 10 s)', unit: 'ops', queries: [{ expr: `sum by (connection) (rate(airlock_redis_connection_errors_total[${R}]))`, legend: '{{connection}}' }] });

  l.row('Policy and processes')
    .table({ title: 'Policy revision in use', description: 'Revision each process serves (more than one row during a rollout or a stuck reload)', queries: [{ expr: 'count by (revision) (airlock_policy_revision_info)', legend: '{{revision}}', instant: true }] })
    .timeseries({ title: 'Policy reloads', description: 'Reloads by result, and 1 while a failed reload leaves an older revision serving', unit: 'short', queries: [{ expr: `sum by (result) (increase(airlock_policy_reloads_total[${R}]))`, legend: '{{result}}' }, { expr: 'max(airlock_policy_last_reload_failed)', legend: 'last reload failed' }] })
    .timeseries({ title: 'Process CPU', description: 'CPU seconds per second per scraped process', unit: 'percentunit', queries: [{ expr: `sum by (instance) (rate(airlock_process_cpu_seconds_total[${R}]))`, legend: '{{instance}}' }] })
    .timeseries({ title: 'Process memory and event loop lag', description: 'Resident memory per process; event loop lag p99', unit: 'bytes', queries: [{ expr: 'max by (instance) (airlock_process_resident_memory_bytes)', legend: 'rss {{instance}}' }, { expr: 'max by (instance) (airlock_nodejs_eventloop_lag_p99_seconds)', legend: 'loop lag p99 (s) {{instance}}' }] });

  return dashboard({
    uid: 'airlock-overview', title: 'Airlock — overview', tags: ['airlock'], panels: l.panels,
    description: 'Traffic, outcomes, latency, queues, review backlog, spend against budgets, breakers and errors of the Airlock guardrail sidecar.',
  });
}
