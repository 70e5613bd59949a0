// Shadow runs: a candidate policy replayed over recorded traffic — how many decisions would change, in which direction, with examples.
import type { RecordedTrace } from './recorded.ts';
import { recordedDecision, replayDecision, type DecisionEvaluator, type ReplayResult } from './replay.ts';

export interface ShadowExample {
  actionId: string;
  tool: string;
  agentId: string;
  submittedAt: string;
  recordedReasons: string[];
  replayedReasons: string[];
}

export interface ShadowReport {
  candidateRevision: string | null;
  /** Recorded actions looked at. */
  total: number;
  /** Actions with a recorded decision, i.e. replayed. */
  replayed: number;
  /** Never decided (still queued, or gone before deciding): nothing to compare. */
  skipped: number;
  unchanged: number;
  /** Same outcome, different reasons. */
  reasonsChanged: number;
  /** Outcome changed, by direction ("allow→deny": n). */
  outcomeChanged: number;
  byDirection: Record<string, number>;
  /** Up to `examplesPerDirection` per direction (and for "reasons"), oldest first. */
  examples: Record<string, ShadowExample[]>;
  /** Replays whose recorded decision had been forced to deny (fail closed): compared, but worth knowing. */
  recordedFailClosed: number;
  durationMs: number;
}

export interface ShadowOptions {
  examplesPerDirection?: number;
  clock?: () => number;
}

/** Replays every recorded action of `source` under `candidate`; reads the source once, holds only counters and examples. */
export async function shadowRun(source: AsyncIterable<RecordedTrace> | Iterable<RecordedTrace>, candidate: DecisionEvaluator, opts: ShadowOptions = {}): Promise<ShadowReport> {
  const clock = opts.clock ?? (() => performance.now());
  const perDirection = opts.examplesPerDirection ?? 3;
  const t0 = clock();
  const report: ShadowReport = {
    candidateRevision: candidate.revision, total: 0, replayed: 0, skipped: 0, unchanged: 0, reasonsChanged: 0, outcomeChanged: 0,
    byDirection: {}, examples: {}, recordedFailClosed: 0, durationMs: 0,
  };
  for await (const rec of source) {
    report.total++;
    const recorded = recordedDecision(rec);
    if (!recorded) {
      report.skipped++;
      continue;
    }
    report.replayed++;
    if (recorded.failClosed) report.recordedFailClosed++;
    const r = replayDecision(recorded, candidate);
    if (!r.changed) {
      report.unchanged++;
      continue;
    }
    const key = r.direction ?? 'reasons';
    if (r.direction) {
      report.outcomeChanged++;
      report.byDirection[r.direction] = (report.byDirection[r.direction] ?? 0) + 1;
    } else {
      report.reasonsChanged++;
    }
    const list = (report.examples[key] ??= []);
    if (list.length < perDirection) list.push(example(r));
  }
  report.durationMs = clock() - t0;
  return report;
}

function example(r: ReplayResult): ShadowExample {
  return { actionId: r.actionId, tool: r.tool, agentId: r.agentId, submittedAt: r.submittedAt, recordedReasons: r.recorded.reasons, replayedReasons: r.replayed.reasons };
}

/** A human-readable summary of a shadow run (the CLI prints it). */
export function formatShadowReport(report: ShadowReport, label: string): string {
  const lines = [
    `shadow run of ${label} (revision ${report.candidateRevision?.slice(0, 12) ?? 'none'}) over ${report.total} recorded action(s) in ${report.durationMs.toFixed(0)} ms`,
    `  replayed ${report.replayed}, skipped ${report.skipped} (never decided)`,
    `  unchanged ${report.unchanged}, outcome changed ${report.outcomeChanged}, reasons changed ${report.reasonsChanged}`,
  ];
  if (report.recordedFailClosed > 0) lines.push(`  note: ${report.recordedFailClosed} recorded decision(s) had failed closed (state unavailable or policy error at the time)`);
  const directions = Object.entries(report.byDirection).sort((a, b) => b[1] - a[1]);
  if (directions.length > 0) {
    lines.push('  by direction:');
    for (const [d, n] of directions) lines.push(`    ${d.padEnd(16)} ${n}`);
  }
  for (const [key, list] of Object.entries(report.examples)) {
    lines.push(`  examples (${key}):`);
    for (const e of list) {
      lines.push(`    ${e.actionId} ${e.tool} agent=${e.agentId} at ${e.submittedAt}`);
      lines.push(`      recorded: ${e.recordedReasons.join('; ') || '(no reasons)'}`);
      lines.push(`      replayed: ${e.replayedReasons.join('; ') || '(no reasons)'}`);
    }
  }
  return lines.join('\n');
}
