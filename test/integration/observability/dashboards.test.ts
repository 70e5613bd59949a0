// Dashboards and alert rules: valid Grafana JSON (schemaVersion 39) in sync with dashboards/src, every panel and alert tied to
// a metric that exists in the registry, provisioning files that point at them, and promtool check/test rules passing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { allDashboards, DASHBOARD_DIR, renderDashboard } from '../../../dashboards/src/build.ts';
import { DATASOURCE_UID, panelQueries, SCHEMA_VERSION, type Dashboard, type Panel } from '../../../dashboards/src/grafana.ts';
import { collectProcessMetrics, registry } from '../../../src/metrics/registry.ts';
import { requireBinary, runPromtool } from './prometheus-tools.ts';

const promtool = requireBinary('promtool');

/** Every series name the registry exports (histograms as _bucket/_sum/_count), process metrics included. */
async function exportedSeriesNames(): Promise<Set<string>> {
  collectProcessMetrics();
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    if (String(m.type) === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

const metricNamesIn = (expr: string): string[] => [...new Set(expr.match(/\bairlock_[a-z0-9_]+\b/g) ?? [])];

function walk(panels: Panel[], fn: (p: Panel) => void): void {
  for (const p of panels) {
    fn(p);
    if (p.panels) walk(p.panels, fn);
  }
}

describe('Grafana dashboards', () => {
  const built = allDashboards();

  it('the checked-in JSON is what dashboards/src builds (npm run dashboards)', () => {
    for (const [file, d] of Object.entries(built)) {
      assert.equal(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), renderDashboard(d), `${file} is stale: run npm run dashboards`);
    }
  });

  it('are valid Grafana dashboard JSON: schemaVersion, unique ids, grid, datasource variable, targets', () => {
    for (const [file, d] of Object.entries(built)) {
      const parsed = JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard;
      assert.equal(parsed.schemaVersion, SCHEMA_VERSION, file);
      assert.equal(SCHEMA_VERSION, 39);
      assert.match(parsed.uid, /^[a-z0-9-]{1,40}$/, `${file}: uid`);
      assert.ok(parsed.title.length > 0);
      const ds = parsed.templating.list as Array<{ name: string; type: string; query: string; current: { value: string } }>;
      assert.deepEqual(ds.map((v) => [v.name, v.type, v.query]), [['datasource', 'datasource', 'prometheus']]);
      assert.equal(ds[0]!.current.value, DATASOURCE_UID);
      const ids = new Set<number>();
      let dataPanels = 0;
      walk(parsed.panels, (p) => {
        assert.ok(Number.isInteger(p.id) && !ids.has(p.id), `${file}: duplicate or bad panel id ${p.id}`);
        ids.add(p.id);
        const g = p.gridPos;
        assert.ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0 && g.y >= 0, `${file} "${p.title}": gridPos ${JSON.stringify(g)}`);
        assert.ok(['row', 'timeseries', 'stat', 'table', 'bargauge'].includes(p.type), `${file} "${p.title}": type ${p.type}`);
        if (p.type === 'row') return;
        dataPanels++;
        assert.ok(p.description && p.description.length > 0, `${file} "${p.title}": description`);
        assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' });
        assert.ok(p.targets && p.targets.length > 0, `${file} "${p.title}": no targets`);
        const refIds = p.targets.map((t) => t.refId);
        assert.equal(new Set(refIds).size, refIds.length, `${file} "${p.title}": duplicate refId`);
        for (const t of p.targets) assert.ok(t.expr.trim().length > 0);
      });
      // Panels do not overlap.
      const cells = new Set<string>();
      walk(parsed.panels, (p) => {
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${file} "${p.title}" overlaps another panel at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
        }
      });
      assert.ok(dataPanels >= 8, `${file}: only ${dataPanels} panels`);
    }
  });

  it('every panel query names only metrics the registry exports, and each one names at least one', async () => {
    const names = await exportedSeriesNames();
    const missing: string[] = [];
    for (const [file, d] of Object.entries(built)) {
      for (const q of panelQueries(d)) {
        const used = metricNamesIn(q.expr);
        assert.ok(used.length > 0, `${file} "${q.panel}": no airlock_ metric in ${q.expr}`);
        for (const n of used) if (!names.has(n)) missing.push(`${file} "${q.panel}": ${n}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('the overview covers every area the issue lists', () => {
    const exprs = panelQueries(built['overview.json']!).map((q) => q.expr).join('\n');
    for (const metric of [
      'airlock_actions_total', 'airlock_decision_duration_seconds_bucket', 'airlock_policy_eval_duration_seconds_bucket', 'airlock_queue_depth',
      'airlock_queue_oldest_age_seconds', 'airlock_review_backlog', 'airlock_review_oldest_age_seconds', 'airlock_budget_spent_usd',
      'airlock_budget_remaining_usd', 'airlock_breaker_state', 'airlock_executor_errors_total', 'airlock_dead_letters_total',
      'airlock_executor_retries_total', 'airlock_api_request_duration_seconds_bucket', 'airlock_policy_revision_info', 'airlock_redis_up',
    ]) assert.ok(exprs.includes(metric), `overview has no panel on ${metric}`);
  });

  it('provisioning files point Grafana at the Prometheus datasource and the dashboard folder', () => {
    const dsFile = parseYaml(readFileSync(join(DASHBOARD_DIR, 'provisioning/datasources/prometheus.yml'), 'utf8')) as { apiVersion: number; datasources: Array<{ uid: string; type: string; url: string }> };
    assert.equal(dsFile.apiVersion, 1);
    assert.equal(dsFile.datasources[0]!.uid, DATASOURCE_UID);
    assert.equal(dsFile.datasources[0]!.type, 'prometheus');
    const dbFile = parseYaml(readFileSync(join(DASHBOARD_DIR, 'provisioning/dashboards/airlock.yml'), 'utf8')) as { apiVersion: number; providers: Array<{ type: string; options: { path: string } }> };
    assert.equal(dbFile.apiVersion, 1);
    assert.equal(dbFile.providers[0]!.type, 'file');
    assert.ok(dbFile.providers[0]!.options.path.length > 0);
  });
});

describe('Prometheus alert rules', () => {
  const rulesText = readFileSync(join(DASHBOARD_DIR, 'alerts.yml'), 'utf8');
  const rules = (parseYaml(rulesText) as { groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }> }> }).groups.flatMap((g) => g.rules);

  it('cover the alerts the issue asks for, with severity and summary, on metrics that exist', async () => {
    const names = await exportedSeriesNames();
    const byName = new Map(rules.map((r) => [r.alert, r]));
    for (const a of ['AirlockReviewBacklogTooOld', 'AirlockBreakerOpen', 'AirlockDenyRateSpike', 'AirlockDeadLettersGrowing', 'AirlockPolicyReloadFailing', 'AirlockRedisUnreachable']) {
      assert.ok(byName.has(a), `missing alert ${a}`);
    }
    for (const r of rules) {
      assert.ok(['warning', 'critical'].includes(r.labels.severity), `${r.alert}: severity`);
      assert.ok(r.annotations.summary.length > 0);
      for (const n of metricNamesIn(r.expr)) assert.ok(names.has(n), `${r.alert}: ${n} is not exported`);
    }
  });

  it('promtool check rules passes', { skip: promtool.skip || false }, () => {
    const r = runPromtool(promtool.path!, ['check', 'rules', 'alerts.yml'], DASHBOARD_DIR);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('promtool test rules passes: each alert fires on its trigger and not on healthy series', { skip: promtool.skip || false }, () => {
    const r = runPromtool(promtool.path!, ['test', 'rules', 'alerts.test.yml'], DASHBOARD_DIR);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /SUCCESS/);
    const tested = new Set([...readFileSync(join(DASHBOARD_DIR, 'alerts.test.yml'), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    for (const rule of rules) assert.ok(tested.has(rule.alert), `alerts.test.yml does not test ${rule.alert}`);
  });
});
