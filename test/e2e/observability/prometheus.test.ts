// Observability end to end: a real Prometheus scrapes a running Airlock (API + decide/execute/review-expiry processes) under a
// short mixed load; every dashboard panel query returns data and every alert expression parses and loads. On the same recorded
// traffic: GET trace with the agent's traceparent, POST replay, `airlock replay` (one action, shadow run) and `airlock export`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { allDashboards } from '../../../dashboards/src/build.ts';
import { panelQueries } from '../../../dashboards/src/grafana.ts';
import {
  AIRLOCK_NODE_FLAGS, compileShippedPolicies, freePort, removeDir, ROOT, startStack, startToolServer, tempDir, TOKENS, waitFor, writeToolRegistry,
  type Stack, type ToolServer,
} from '../pipeline/harness.ts';
import { requireBinary, startPrometheus, substituteGrafanaVariables, type PrometheusServer } from '../../integration/observability/prometheus-tools.ts';

const prometheusBin = requireBinary('prometheus');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const CAPPED_WORKFLOW = 'wf-obs-capped';

let dir: string;
let tools: ToolServer;
let stack: Stack;
let prom: PrometheusServer;
let changedPolicyDir: string;
const submitted: Array<{ id: string; expect: string }> = [];
let tracedId = '';
let allowedEchoIds: string[] = [];

interface Res { status: number; body: any }
async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await fetch(stack.api + path, {
    method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A copy of the shipped policies whose data caps one workflow below one echo's estimate (a deterministic budget refusal). */
function writePolicyCopy(target: string, edit: (data: any) => void): string {
  cpSync(join(ROOT, 'policies'), target, { recursive: true });
  const data = JSON.parse(readFileSync(join(target, 'data.json'), 'utf8'));
  edit(data);
  writeFileSync(join(target, 'data.json'), JSON.stringify(data, null, 2));
  return target;
}

before(async () => {
  if (prometheusBin.skip) return;
  dir = tempDir('obs');
  const served = writePolicyCopy(join(dir, 'policies-served'), (d) => {
    d.budgets.overrides[`workflow:${CAPPED_WORKFLOW}`] = { capUsd: 0.5 };
  });
  // The candidate for the shadow run: echo is no longer permitted to anyone (allow → deny for every echo).
  changedPolicyDir = writePolicyCopy(join(dir, 'policies-candidate'), (d) => {
    d.budgets.overrides[`workflow:${CAPPED_WORKFLOW}`] = { capUsd: 0.5 };
    d.permissions.everyone = d.permissions.everyone.filter((t: string) => t !== 'echo');
    for (const role of Object.keys(d.permissions.roles)) d.permissions.roles[role] = d.permissions.roles[role].filter((t: string) => t !== 'echo');
  });
  const previous = process.env.AIRLOCK_E2E_POLICY_DIR;
  delete process.env.AIRLOCK_E2E_POLICY_DIR;
  const policyPath = await compileShippedPolicies(join(dir, 'compiled'), served);
  if (previous !== undefined) process.env.AIRLOCK_E2E_POLICY_DIR = previous;
  tools = await startToolServer(dir);
  stack = await startStack({
    policyPath, toolsFile: writeToolRegistry(dir, tools.url), kinds: [],
    env: { AIRLOCK_REVIEW_TTL: '3s', AIRLOCK_EXECUTE_MAX_ATTEMPTS: '2', AIRLOCK_RETRY_BASE_MS: '10', AIRLOCK_RETRY_MAX_MS: '50', AIRLOCK_LOG_LEVEL: 'warn' },
  });
  const [pDecide, pExecute, pExpiry, pProm] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  await Promise.all([
    stack.start('api', { AIRLOCK_LOG_LEVEL: 'info' }),
    stack.start('decide', { AIRLOCK_METRICS_PORT: String(pDecide), AIRLOCK_LOG_LEVEL: 'info' }),
    stack.start('execute', { AIRLOCK_METRICS_PORT: String(pExecute), AIRLOCK_LOG_LEVEL: 'info' }),
    stack.start('review-expiry', { AIRLOCK_METRICS_PORT: String(pExpiry), AIRLOCK_LOG_LEVEL: 'info' }),
  ]);
  const apiHost = stack.api.replace(/^http:\/\//, '');
  prom = await startPrometheus({
    binary: prometheusBin.path!, dir, port: pProm, ruleFile: join(ROOT, 'dashboards/alerts.yml'),
    targets: [apiHost, `127.0.0.1:${pDecide}`, `127.0.0.1:${pExecute}`, `127.0.0.1:${pExpiry}`],
  });
  await waitFor('readyz', async () => (await fetch(`${stack.api}/readyz`)).status === 200, 20_000);
  await waitFor('all four targets up', async () => {
    const r = await prom.query('sum(up{job="airlock"})');
    const v = Array.isArray(r.data?.result) ? Number((r.data!.result[0] as { value?: [number, string] })?.value?.[1]) : 0;
    return v === 4;
  }, 20_000, 250);
  await runMixedLoad();
}, { timeout: 180_000 });

after(async () => {
  await prom?.stop();
  await stack?.stop();
  await tools?.stop();
  if (dir) removeDir(dir);
});

const run = Date.now().toString(36);
const wf = (name: string) => `wf-obs-${name}-${run}`;

async function submit(body: Record<string, unknown>, expect: string, wait = 10, headers: Record<string, string> = {}): Promise<Res> {
  const res = await call('POST', `/v1/actions?wait=${wait}`, TOKENS.agent, body, headers);
  assert.ok(res.status === 200 || res.status === 202, JSON.stringify(res.body));
  submitted.push({ id: res.body.id, expect });
  return res;
}

/** allow → succeeded, deny, review → approve/reject/expire, transient failures → dead letter, a budget refusal, a loop breaker trip. */
async function runMixedLoad(): Promise<void> {
  const allows = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    submit({ agentId: 'demo-agent', workflowId: wf(`allow${i % 3}`), tool: 'echo', args: { n: i } }, 'succeeded')));
  allowedEchoIds = allows.map((r) => r.body.id);
  for (const r of allows) assert.equal(r.body.status, 'succeeded', JSON.stringify(r.body.decision));
  const traced = await submit({ agentId: 'demo-agent', workflowId: wf('traced'), tool: 'echo', args: { traced: true } }, 'succeeded', 10, { traceparent: TRACEPARENT });
  tracedId = traced.body.id;
  allowedEchoIds.push(tracedId);

  const denies = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    submit({ agentId: 'stranger-bot', workflowId: wf('deny'), tool: 'files.read', args: { path: `/data/shared/${i}` } }, 'denied')));
  for (const r of denies) assert.equal(r.body.status, 'denied');

  const reviews = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    submit({ agentId: 'demo-agent', workflowId: wf('review'), tool: 'files.delete', args: { path: `/tmp/airlock/obs-${i}.log` } }, 'review', 2)));
  for (const r of reviews) assert.equal(r.body.status, 'pending_review', JSON.stringify(r.body.decision));
  for (const r of reviews.slice(0, 2)) assert.equal((await call('POST', `/v1/reviews/${r.body.id}/approve`, TOKENS.reviewer, { comment: 'ok' })).status, 200);
  for (const r of reviews.slice(2, 4)) assert.equal((await call('POST', `/v1/reviews/${r.body.id}/reject`, TOKENS.reviewer, { comment: 'no' })).status, 200);

  const failing = await Promise.all(Array.from({ length: 2 }, (_, i) =>
    submit({ agentId: 'demo-agent', workflowId: wf('fail'), tool: 'fail', args: { mode: 'transient', message: `down ${i}` } }, 'failed')));
  for (const r of failing) assert.equal(r.body.status, 'failed', JSON.stringify(r.body));

  const capped = await submit({ agentId: 'demo-agent', workflowId: CAPPED_WORKFLOW, tool: 'echo', args: { big: true }, estimate: { costUsd: 1 } }, 'denied');
  assert.equal(capped.body.status, 'denied', JSON.stringify(capped.body.decision));
  assert.ok(capped.body.decision.reasons.some((r: string) => r.startsWith('budget: ')), capped.body.decision.reasons.join('; '));

  // The same call over and over in one workflow trips the loop breaker; later calls go to review.
  for (let i = 0; i < 7; i++) await submit({ agentId: 'demo-agent', workflowId: wf('loop'), tool: 'echo', args: { same: 'call' } }, 'loop', 5);

  // The parked reviews left alone expire (TTL 3 s).
  await waitFor('two reviews expired', async () => {
    const states = await Promise.all(reviews.slice(4).map(async (r) => (await call('GET', `/v1/actions/${r.body.id}`, TOKENS.agent)).body.status));
    return states.every((s) => s === 'expired');
  }, 20_000, 200);
}

describe('observability against a real Prometheus', { skip: prometheusBin.skip || false }, () => {
  it('every panel query of every dashboard parses and returns data', async () => {
    // Gauges and counters settle after the load; give Prometheus a few scrapes of the final values.
    await waitFor('expiries scraped', async () => {
      const r = await prom.query('sum(airlock_review_decisions_total{decision="expired"})');
      return Array.isArray(r.data?.result) && r.data!.result.length > 0 && Number((r.data!.result[0] as { value: [number, string] }).value[1]) >= 2;
    }, 20_000, 250);
    await new Promise((r) => setTimeout(r, 3000));
    const failures: string[] = [];
    let checked = 0;
    for (const [file, d] of Object.entries(allDashboards())) {
      for (const q of panelQueries(d)) {
        checked++;
        const res = await prom.query(substituteGrafanaVariables(q.expr));
        if (res.status !== 'success') failures.push(`${file} "${q.panel}" ${q.refId}: ${res.errorType}: ${res.error}\n    ${q.expr}`);
        else if (!Array.isArray(res.data?.result) || res.data!.result.length === 0) failures.push(`${file} "${q.panel}" ${q.refId}: no data\n    ${q.expr}`);
      }
    }
    assert.ok(checked >= 40, `only ${checked} panel queries found`);
    assert.deepEqual(failures, [], `${failures.length} of ${checked} panel queries failed:\n${failures.join('\n')}`);
  });

  it('every alert expression parses through the HTTP API, and Prometheus loads and evaluates the rules', async () => {
    const rules = (parseYaml(readFileSync(join(ROOT, 'dashboards/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 6);
    for (const rule of rules) {
      const res = await prom.query(rule.expr);
      assert.equal(res.status, 'success', `${rule.alert}: ${res.error}`);
    }
    const loaded = await waitFor('rules evaluated', async () => {
      const body = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> } };
      const all = body.data.groups.flatMap((g) => g.rules);
      return all.length === rules.length && all.every((r) => r.health === 'ok') ? all : null;
    }, 15_000, 250);
    assert.deepEqual(loaded.map((r) => r.name).sort(), rules.map((r) => r.alert).sort());
    // The loop breaker tripped during the load: its alert is at least pending (it fires after `for: 1m`).
    const alerts = (await (await fetch(`${prom.url}/api/v1/alerts`)).json()) as { data: { alerts: Array<{ labels: { alertname: string; scope_kind?: string }; state: string }> } };
    assert.ok(alerts.data.alerts.some((a) => a.labels.alertname === 'AirlockBreakerOpen' && a.labels.scope_kind === 'workflow'), JSON.stringify(alerts.data.alerts));
  });

  it('the trace keeps the agent\'s traceparent on the action and on every event', async () => {
    const t = await call('GET', `/v1/actions/${tracedId}/trace`, TOKENS.agent);
    assert.equal(t.status, 200);
    assert.equal(t.body.traceparent, TRACEPARENT);
    assert.equal(t.body.action.context.traceparent, TRACEPARENT);
    assert.deepEqual(t.body.events.map((e: { type: string }) => e.type), ['submitted', 'deciding', 'decided', 'execution_started', 'attempt', 'succeeded']);
    const spans = new Set<string>();
    for (const e of t.body.events) {
      const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(e.traceparent);
      assert.ok(m, `event ${e.type} has traceparent ${e.traceparent}`);
      assert.equal(m[1], TRACE_ID);
      spans.add(m[2]!);
    }
    assert.equal(spans.size, t.body.events.length, 'one span per event');
    const decided = t.body.events.find((e: { type: string }) => e.type === 'decided');
    assert.equal(decided.input.action.id, tracedId, 'the full policy input is in the trace');
    assert.match(decided.policyRevision, /^[0-9a-f]{64}$/);
    // Stable: a second read names the same spans.
    const again = await call('GET', `/v1/actions/${tracedId}/trace`, TOKENS.agent);
    assert.deepEqual(again.body.events.map((e: { traceparent: string }) => e.traceparent), t.body.events.map((e: { traceparent: string }) => e.traceparent));
  });

  it('POST /v1/actions/:id/replay: same decision under the serving policy, the diff under a changed one', async () => {
    const same = await call('POST', `/v1/actions/${tracedId}/replay`, TOKENS.agent, {});
    assert.equal(same.status, 200, JSON.stringify(same.body));
    assert.equal(same.body.changed, false);
    assert.equal(same.body.sameRevision, true);
    assert.equal(same.body.replayed.outcome, 'allow');
    assert.deepEqual(same.body.replayed.reasons, same.body.recorded.reasons);

    const forbidden = await call('POST', `/v1/actions/${tracedId}/replay`, TOKENS.agent, { policy: changedPolicyDir });
    assert.equal(forbidden.status, 403);
    const changed = await call('POST', `/v1/actions/${tracedId}/replay`, TOKENS.admin, { policy: changedPolicyDir });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.changed, true);
    assert.equal(changed.body.direction, 'allow→deny');
    assert.ok(changed.body.reasonsAdded.length > 0);
    assert.notEqual(changed.body.replayed.policyRevision, changed.body.recorded.policyRevision);

    const broken = await call('POST', `/v1/actions/${tracedId}/replay`, TOKENS.admin, { policy: join(dir, 'no-such-policy') });
    assert.equal(broken.status, 422);
    assert.equal(broken.body.error.code, 'policy_not_found');
  });

  it('airlock replay <id> and airlock replay --since --policy (shadow run with counts by direction and examples)', async () => {
    const one = await cli(['replay', tracedId]);
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, /unchanged: same decision and reasons/);

    const shadow = await cli(['replay', '--since', '1h', '--policy', changedPolicyDir, '--json', '--examples', '2']);
    assert.equal(shadow.code, 0, shadow.err);
    const report = JSON.parse(shadow.out);
    assert.equal(report.total, submitted.length);
    assert.equal(report.skipped, 0);
    // Every echo the serving policy allowed is denied by the candidate.
    assert.ok(report.byDirection['allow→deny'] >= allowedEchoIds.length, JSON.stringify(report.byDirection));
    assert.ok(report.examples['allow→deny'].length === 2);
    assert.equal(report.unchanged + report.outcomeChanged + report.reasonsChanged, report.replayed);
    // Human-readable, and as a CI gate: exit 3 when any decision would change.
    const gate = await cli(['replay', '--since', '1h', '--policy', changedPolicyDir, '--fail-on-change']);
    assert.equal(gate.code, 3, gate.err);
    assert.match(gate.out, new RegExp(`allow→deny\\s+${report.byDirection['allow→deny']}\\n`));
    assert.match(gate.out, /examples \(allow→deny\):/);
    const bad = await cli(['replay', '--since', 'yesterday-ish']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /not a time/);
  });

  it('airlock export --since --format jsonl: one line per action with decision, reasons, cost, outcome, reviewer, timings', async () => {
    const r = await cli(['export', '--since', '1h', '--format', 'jsonl']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, submitted.length);
    assert.deepEqual(new Set(lines.map((l) => l.id)), new Set(submitted.map((s) => s.id)));
    const approved = lines.filter((l) => l.reviewer?.decision === 'approved');
    assert.equal(approved.length, 2);
    for (const l of approved) {
      assert.match(l.reviewer.by, /^tok_/);
      assert.equal(l.outcome, 'succeeded');
      assert.ok(l.timings.reviewWaitMs >= 0 && l.timings.totalMs >= l.timings.reviewWaitMs);
    }
    const traced = lines.find((l) => l.id === tracedId);
    assert.equal(traced.traceparent, TRACEPARENT);
    assert.equal(traced.decision.outcome, 'allow');
    assert.ok(traced.timings.decideMs > 0 && traced.timings.totalMs >= 0);
    assert.equal(typeof traced.cost.reservedUsd, 'number');
    const failed = lines.filter((l) => l.outcome === 'failed');
    assert.ok(failed.every((l) => l.attempts === 2 && l.error.code === 'tool_failed'), JSON.stringify(failed));
    // The two reviews left alone expired (and so did the loop breaker's parked calls).
    const expired = lines.filter((l) => l.outcome === 'expired');
    assert.ok(expired.length >= 2);
    for (const l of expired) assert.equal(l.reviewer.decision, 'expired');
    const bad = await cli(['export', '--since', '1h', '--format', 'csv']);
    assert.equal(bad.code, 2);
  });
});

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...AIRLOCK_NODE_FLAGS, join(ROOT, 'bin/airlock.js'), ...args], { cwd: ROOT, env: { ...stack.env, AIRLOCK_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.once('error', reject);
    p.once('exit', (code) => {
      clearTimeout(t);
      resolve({ code: code ?? -1, out, err });
    });
  });
}
