// Pure parts of tracing: W3C traceparent parsing and child spans, --since time specs, replay diffs and shadow-run counting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyDecision } from '../../../src/policy/decision.ts';
import type { StoredTraceEvent } from '../../../src/trace/events.ts';
import { TimeSpecError } from '../../../src/trace/errors.ts';
import { parseTimeSpec, type RecordedTrace } from '../../../src/trace/recorded.ts';
import { recordedDecision, replayDecision, type DecisionEvaluator } from '../../../src/trace/replay.ts';
import { withOpenBreakers } from '../../../src/policy/decision.ts';
import { formatShadowReport, shadowRun } from '../../../src/trace/shadow.ts';
import { childTraceParent, parseTraceParent } from '../../../src/trace/traceparent.ts';

describe('traceparent', () => {
  it('parses valid headers and rejects what the spec says to ignore', () => {
    assert.deepEqual(parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
      { version: '00', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: '01' });
    assert.equal(parseTraceParent('00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01')?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    for (const bad of [
      undefined, 42, '', 'garbage', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
    ]) assert.equal(parseTraceParent(bad), null, String(bad));
    // A future version may carry more fields.
    assert.equal(parseTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more')?.version, '01');
  });

  it('derives one stable child span per event under the same trace id', () => {
    const parent = parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')!;
    const a = childTraceParent(parent, 'act_1', 0);
    assert.match(a, /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    assert.equal(childTraceParent(parent, 'act_1', 0), a);
    assert.notEqual(childTraceParent(parent, 'act_1', 1), a);
    assert.notEqual(childTraceParent(parent, 'act_2', 0), a);
  });
});

describe('time specs', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  it('reads durations back from now and ISO timestamps', () => {
    assert.equal(parseTimeSpec('24h', now), now - 86_400_000);
    assert.equal(parseTimeSpec('90s', now), now - 90_000);
    assert.equal(parseTimeSpec('7d', now), now - 7 * 86_400_000);
    assert.equal(parseTimeSpec('1.5m', now), now - 90_000);
    assert.equal(parseTimeSpec('2026-01-01T12:00:00Z', now), Date.parse('2026-01-01T12:00:00Z'));
    assert.equal(parseTimeSpec('2026-01-01', now), Date.parse('2026-01-01'));
  });
  it('rejects anything else with a typed error', () => {
    for (const bad of ['', 'yesterday', '24', '-1h', '1y', '2026-13-45T99:99:99Z']) assert.throws(() => parseTimeSpec(bad, now), TimeSpecError, bad);
  });
});

const decision = (outcome: PolicyDecision['outcome'], reasons: string[], revision = 'rev-b'): PolicyDecision =>
  ({ outcome, reasons, maxTokens: null, costCeilingUsd: null, onBudgetExceeded: 'deny', policyRevision: revision, failClosed: null, evalMs: 0.1 });

function trace(id: string, decided: Partial<Extract<StoredTraceEvent, { type: 'decided' }>> | null): RecordedTrace {
  const events: StoredTraceEvent[] = [{ type: 'deciding', at: '2026-01-01T00:00:00Z', to: 'deciding', from: 'queued' }];
  if (decided) {
    events.push({
      type: 'decided', at: '2026-01-01T00:00:00Z', to: 'approved', from: 'deciding', outcome: 'allow', reasons: ['ok'], policyRevision: 'rev-a',
      input: { action: { tool: 'echo' }, budget: { scopes: {}, breakers: {} } }, failClosed: null, budget: null, reviewDeadline: null, durationMs: 1, policyEvalMs: 0.1, ...decided,
    } as StoredTraceEvent);
  }
  return { action: { id, agentId: 'a', workflowId: 'w', tool: 'echo', submittedAt: '2026-01-01T00:00:00Z', status: 'approved' }, events };
}

/** A policy that decides by the input's tool: a table instead of Rego, to test the diff logic alone. */
const tablePolicy = (table: Record<string, PolicyDecision>): DecisionEvaluator => ({
  revision: 'rev-b',
  evaluate: (input) => table[(input as { action: { tool: string } }).action.tool] ?? decision('deny', ['no rule']),
});

describe('replay diff', () => {
  it('same outcome and reasons: unchanged; otherwise direction and reason changes', () => {
    const rec = recordedDecision(trace('act_1', {}))!;
    assert.equal(replayDecision(rec, tablePolicy({ echo: decision('allow', ['ok']) })).changed, false);
    const r = replayDecision(rec, tablePolicy({ echo: decision('review', ['ok', 'new rule']) }));
    assert.equal(r.direction, 'allow→review');
    assert.deepEqual(r.reasonsAdded, ['new rule']);
    assert.deepEqual(r.reasonsRemoved, []);
    assert.equal(r.sameRevision, false);
    const reasonsOnly = replayDecision(rec, tablePolicy({ echo: decision('allow', ['reworded']) }));
    assert.equal(reasonsOnly.changed, true);
    assert.equal(reasonsOnly.direction, null);
  });

  it('a refused budget reservation is not a policy change: the policy side was allow', () => {
    const rec = recordedDecision(trace('act_2', {
      outcome: 'deny', to: 'denied', reasons: ['ok', 'budget: workflow:w: cap_usd'],
      budget: { scopes: ['workflow:w'], reservedUsd: 0, reservedTokens: 0, ok: false, refusedScope: 'workflow:w', refusedReason: 'cap_usd' },
    }))!;
    assert.equal(rec.outcome, 'deny');
    assert.equal(rec.policyOutcome, 'allow');
    const r = replayDecision(rec, tablePolicy({ echo: decision('allow', ['ok']) }));
    assert.equal(r.changed, false);
    assert.equal(r.recorded.finalOutcome, 'deny');
  });

  it('an open breaker in the recorded input turns a replayed allow into review, as the decide step does', () => {
    const input = { action: { tool: 'echo' }, budget: { scopes: {}, breakers: { 'workflow:w': { state: 'open', reason: 'loop' } } } };
    assert.deepEqual(withOpenBreakers(decision('allow', ['ok']), input.budget.breakers).reasons, ['ok', 'circuit breaker open on workflow:w: loop']);
    assert.equal(withOpenBreakers(decision('deny', ['no']), input.budget.breakers).outcome, 'deny');
    const rec = recordedDecision(trace('act_3', { outcome: 'review', to: 'pending_review', reasons: ['ok', 'circuit breaker open on workflow:w: loop'], input }))!;
    assert.equal(replayDecision(rec, tablePolicy({ echo: decision('allow', ['ok']) })).changed, false);
  });
});

describe('shadow run', () => {
  it('counts by direction, keeps a bounded number of examples and skips undecided actions', async () => {
    const source = [
      trace('act_a', {}), trace('act_b', {}), trace('act_c', {}),
      trace('act_d', { outcome: 'deny', to: 'denied', reasons: ['no'], input: { action: { tool: 'rm' }, budget: { scopes: {}, breakers: {} } } }),
      trace('act_e', null),
    ];
    const report = await shadowRun(source, tablePolicy({ echo: decision('deny', ['echo is off']), rm: decision('deny', ['no']) }), { examplesPerDirection: 2 });
    assert.deepEqual(
      { total: report.total, replayed: report.replayed, skipped: report.skipped, unchanged: report.unchanged, outcomeChanged: report.outcomeChanged, byDirection: report.byDirection },
      { total: 5, replayed: 4, skipped: 1, unchanged: 1, outcomeChanged: 3, byDirection: { 'allow→deny': 3 } },
    );
    assert.deepEqual(report.examples['allow→deny']!.map((e) => e.actionId), ['act_a', 'act_b']);
    const text = formatShadowReport(report, 'candidate');
    assert.match(text, /allow→deny\s+3/);
    assert.match(text, /act_a echo agent=a/);
  });
});
