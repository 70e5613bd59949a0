// The review-desk dashboard: what waits for a human, for how long, what reviewers decide, and where reviews come from.
import { dashboard, Layout, type Dashboard } from './grafana.ts';

const R = '$__rate_interval';

export function reviewDeskDashboard(): Dashboard {
  const l = new Layout();
  l.row('Waiting now')
    .stat({
      title: 'Pending reviews', description: 'Actions parked for a human decision', unit: 'short',
      thresholds: [{ value: null, color: 'green' }, { value: 20, color: 'orange' }, { value: 100, color: 'red' }],
      queries: [{ expr: 'max(airlock_review_backlog)' }],
    })
    .stat({
      title: 'Oldest pending', description: 'Age of the oldest pending review (expires at AIRLOCK_REVIEW_TTL)', unit: 's',
      thresholds: [{ value: null, color: 'green' }, { value: 900, color: 'orange' }, { value: 3600, color: 'red' }],
      queries: [{ expr: 'max(airlock_review_oldest_age_seconds)' }],
    })
    .stat({ title: 'Sent to review / min', description: 'Decisions that parked an action for review, per minute', unit: 'short', queries: [{ expr: `sum(rate(airlock_actions_total{outcome="review"}[${R}])) * 60` }] })
    .stat({
      title: 'Approval ratio', description: 'Approved among approved + rejected + expired', unit: 'percentunit',
      queries: [{ expr: `sum(rate(airlock_review_decisions_total{decision="approved"}[${R}])) / sum(rate(airlock_review_decisions_total[${R}]))` }],
    })
    .timeseries({ title: 'Backlog', description: 'Pending reviews over time', unit: 'short', queries: [{ expr: 'max(airlock_review_backlog)', legend: 'pending' }] })
    .timeseries({ title: 'Oldest pending age', description: 'Age of the oldest pending review over time', unit: 's', queries: [{ expr: 'max(airlock_review_oldest_age_seconds)', legend: 'oldest' }] });

  l.row('Decisions')
    .timeseries({ title: 'Review decisions', description: 'Approved, rejected and expired per second', unit: 'ops', queries: [{ expr: `sum by (decision) (rate(airlock_review_decisions_total[${R}]))`, legend: '{{decision}}' }] })
    .timeseries({ title: 'Reviews by tool', description: 'Actions sent to review per second, by tool', unit: 'ops', queries: [{ expr: `sum by (tool) (rate(airlock_actions_total{outcome="review"}[${R}]))`, legend: '{{tool}}' }] })
    .timeseries({ title: 'Review API latency p99', description: 'Latency of the review routes (list, read, approve, reject)', unit: 's', queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (rate(airlock_api_request_duration_seconds_bucket{route=~"/v1/reviews.*"}[${R}])))`, legend: '{{route}}' }] })
    .timeseries({ title: 'Outcomes after review', description: 'Final states per second (approved actions end succeeded or failed; rejected and expired ones denied or expired)', unit: 'ops', queries: [{ expr: `sum by (outcome) (rate(airlock_actions_total{outcome=~"succeeded|failed|denied|expired"}[${R}]))`, legend: '{{outcome}}' }] });

  return dashboard({
    uid: 'airlock-review-desk', title: 'Airlock — review desk', tags: ['airlock', 'review'], panels: l.panels, refresh: '10s',
    description: 'The human-review queue of Airlock: backlog, age of the oldest item, decisions and where reviews come from.',
  });
}
