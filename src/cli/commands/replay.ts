// `airlock replay <id>` and `airlock replay --since 24h --policy <dir>`: re-evaluate recorded decisions against the current or a candidate policy.
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { connectRedis } from '../../queue/connection.ts';
import { NoRecordedDecisionError } from '../../trace/errors.ts';
import { readRecordedAction, readRecordedTraces } from '../../pipeline/recorded-actions.ts';
import { parseTimeSpec } from '../../trace/recorded.ts';
import { loadCandidatePolicy, recordedDecision, replayDecision, type ReplayResult } from '../../trace/replay.ts';
import { formatShadowReport, shadowRun } from '../../trace/shadow.ts';

interface ReplayOptions { since?: string; until?: string; policy?: string; json?: boolean; examples: string; failOnChange?: boolean }

export function register(program: Command): void {
  program
    .command('replay')
    .description('replay one recorded action (<id>) or shadow-run recorded traffic (--since) against the current policy files or --policy')
    .argument('[id]', 'action id (act_...)')
    .option('--since <time>', 'shadow run over actions submitted since: a duration back (24h, 30m, 7d) or an ISO timestamp')
    .option('--until <time>', 'end of the window (same forms as --since); default now')
    .option('--policy <path>', 'candidate policy: folder of .rego (compiled by Airlock), OPA bundle .tar.gz or .wasm; default AIRLOCK_POLICY_DIR')
    .option('--examples <n>', 'examples shown per direction of change', '3')
    .option('--json', 'print the result as JSON')
    .option('--fail-on-change', 'exit 3 when any decision would change (for CI gates on policy changes)')
    .action(async (id: string | undefined, opts: ReplayOptions) => {
      process.exitCode = await runReplay(id, opts);
    });
}

async function runReplay(id: string | undefined, opts: ReplayOptions): Promise<number> {
  if (!id && !opts.since) return usage('give an action id, or --since <time> for a shadow run');
  if (id && opts.since) return usage('give either an action id or --since, not both');
  const examples = Number(opts.examples);
  if (!Number.isInteger(examples) || examples < 0) return usage(`--examples must be a non-negative integer, got "${opts.examples}"`);
  const config = loadConfig();
  if (!config.redisUrl) return usage('AIRLOCK_REDIS_URL is not set: replay reads recorded actions from Redis');
  const now = Date.now();
  let window: { sinceMs: number; untilMs: number } | null = null;
  try {
    if (opts.since) window = { sinceMs: parseTimeSpec(opts.since, now), untilMs: opts.until ? parseTimeSpec(opts.until, now) : now };
  } catch (e) {
    return usage((e as Error).message);
  }
  const policyPath = opts.policy ?? config.policyDir;
  let policy: Awaited<ReturnType<typeof loadCandidatePolicy>>;
  try {
    policy = await loadCandidatePolicy(policyPath);
  } catch (e) {
    const err = e as Error & { details?: string[] };
    process.stderr.write(`cannot load policy ${policyPath}: ${err.message}\n${(err.details ?? []).slice(0, 10).map((d) => `  ${d}\n`).join('')}`);
    return 2;
  }
  const redis = connectRedis(config.redisUrl, 'airlock-replay');
  try {
    if (id) {
      const rec = await readRecordedAction(redis, config.prefix, id);
      if (!rec) {
        process.stderr.write(`no action ${id} under prefix "${config.prefix}"\n`);
        return 1;
      }
      const recorded = recordedDecision(rec);
      if (!recorded) {
        process.stderr.write(`${new NoRecordedDecisionError(id, rec.action.status).message}\n`);
        return 1;
      }
      const result = replayDecision(recorded, policy);
      process.stdout.write(opts.json ? `${JSON.stringify({ policy: { source: policy.source, revision: policy.revision }, ...result }, null, 2)}\n` : `${formatReplay(result, policy.source)}\n`);
      return result.changed && opts.failOnChange ? 3 : 0;
    }
    const report = await shadowRun(readRecordedTraces(redis, config.prefix, window!), policy, { examplesPerDirection: examples });
    const label = `${policy.source} since ${new Date(window!.sinceMs).toISOString()}`;
    process.stdout.write(opts.json ? `${JSON.stringify({ policy: { source: policy.source, revision: policy.revision }, ...report }, null, 2)}\n` : `${formatShadowReport(report, label)}\n`);
    return report.outcomeChanged + report.reasonsChanged > 0 && opts.failOnChange ? 3 : 0;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

export function formatReplay(r: ReplayResult, source: string): string {
  const lines = [
    `replay of ${r.actionId} (${r.tool}, agent ${r.agentId}, submitted ${r.submittedAt})`,
    `  recorded: ${r.recorded.outcome}${r.recorded.finalOutcome !== r.recorded.outcome ? ` (final ${r.recorded.finalOutcome} after budget)` : ''} under revision ${r.recorded.policyRevision?.slice(0, 12) ?? 'none'}`,
    `  replayed: ${r.replayed.outcome} under revision ${r.replayed.policyRevision?.slice(0, 12) ?? 'none'} from ${source}${r.sameRevision ? ' (same revision)' : ''}`,
    r.changed ? `  CHANGED${r.direction ? `: ${r.direction}` : ' (reasons only)'}` : '  unchanged: same decision and reasons',
  ];
  for (const reason of r.reasonsRemoved) lines.push(`  - ${reason}`);
  for (const reason of r.reasonsAdded) lines.push(`  + ${reason}`);
  if (!r.changed) for (const reason of r.replayed.reasons) lines.push(`    ${reason}`);
  return lines.join('\n');
}

function usage(message: string): number {
  process.stderr.write(`airlock replay: ${message}\n`);
  return 2;
}
