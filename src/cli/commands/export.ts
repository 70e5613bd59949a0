// `airlock export --since <t> --format jsonl` (the decision log, one line per action), `airlock retention --older-than <d>`
// (trace pruning) and `airlock reindex` (adds records written before the submission-time index existed).
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { connectRedis } from '../../queue/connection.ts';
import { indexRecordedActions, pruneFinalActions, readRecordedActions } from '../../pipeline/recorded-actions.ts';
import { exportDecisionLog } from '../../trace/export.ts';
import { parseTimeSpec } from '../../trace/recorded.ts';

const FORMATS = ['jsonl'] as const;

export function register(program: Command): void {
  program
    .command('export')
    .description('write the decision log: one JSON line per action (decision, reasons, cost, outcome, reviewer, timings)')
    .requiredOption('--since <time>', 'actions submitted since: a duration back (24h, 30m, 7d) or an ISO timestamp')
    .option('--until <time>', 'end of the window (same forms); default now')
    .option('--format <format>', `output format (${FORMATS.join('|')})`, 'jsonl')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts: { since: string; until?: string; format: string; out?: string }) => {
      process.exitCode = await runExport(opts);
    });

  program
    .command('retention')
    .description('delete the records and traces of final actions older than a duration (in-flight ones are always kept)')
    .option('--older-than <duration>', 'e.g. 30d, 72h; default AIRLOCK_TRACE_RETENTION or 30d', process.env.AIRLOCK_TRACE_RETENTION || '30d')
    .option('--dry-run', 'only count what would be deleted')
    .action(async (opts: { olderThan: string; dryRun?: boolean }) => {
      process.exitCode = await runRetention(opts);
    });

  registerReindex(program);
}

function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description('add recorded actions missing from the submission-time index (records written before it existed) so that export, replay and retention see them')
    .action(async () => {
      process.exitCode = await runReindex();
    });
}

async function runReindex(): Promise<number> {
  const config = loadConfig();
  if (!config.redisUrl) return fail('reindex', 'AIRLOCK_REDIS_URL is not set');
  const redis = connectRedis(config.redisUrl, 'airlock-reindex');
  try {
    const r = await indexRecordedActions(redis, config.prefix);
    process.stdout.write(`indexed ${r.added} action(s) that were missing; ${r.scanned} recorded action(s) found\n`);
    return 0;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

async function runExport(opts: { since: string; until?: string; format: string; out?: string }): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) return fail('export', `unknown --format "${opts.format}" (supported: ${FORMATS.join(', ')})`);
  const config = loadConfig();
  if (!config.redisUrl) return fail('export', 'AIRLOCK_REDIS_URL is not set: the decision log is read from Redis');
  const now = Date.now();
  let window: { sinceMs: number; untilMs: number };
  try {
    window = { sinceMs: parseTimeSpec(opts.since, now), untilMs: opts.until ? parseTimeSpec(opts.until, now) : now };
  } catch (e) {
    return fail('export', (e as Error).message);
  }
  const out: WriteStream | NodeJS.WriteStream = opts.out ? createWriteStream(opts.out) : process.stdout;
  const redis = connectRedis(config.redisUrl, 'airlock-export');
  try {
    const n = await exportDecisionLog(readRecordedActions(redis, config.prefix, window), (line) => {
      if (!out.write(line)) return new Promise<void>((resolve) => out.once('drain', () => resolve()));
    });
    if (opts.out) await new Promise<void>((resolve, reject) => (out as WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())));
    process.stderr.write(`exported ${n} action(s) submitted between ${new Date(window.sinceMs).toISOString()} and ${new Date(window.untilMs).toISOString()}\n`);
    return 0;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

async function runRetention(opts: { olderThan: string; dryRun?: boolean }): Promise<number> {
  const config = loadConfig();
  if (!config.redisUrl) return fail('retention', 'AIRLOCK_REDIS_URL is not set');
  const now = Date.now();
  let olderThanMs: number;
  try {
    olderThanMs = now - parseTimeSpec(opts.olderThan, now);
  } catch (e) {
    return fail('retention', (e as Error).message);
  }
  if (!/^\d/.test(opts.olderThan.trim()) || olderThanMs <= 0 || /^\d{4}-/.test(opts.olderThan.trim())) return fail('retention', `--older-than must be a positive duration such as 30d, got "${opts.olderThan}"`);
  const redis = connectRedis(config.redisUrl, 'airlock-retention');
  try {
    const r = await pruneFinalActions(redis, config.prefix, { olderThanMs, nowMs: now, dryRun: opts.dryRun ?? false });
    process.stdout.write(`${opts.dryRun ? 'would delete' : 'deleted'} ${r.deleted} final action(s) finished before ${r.cutoff}; kept ${r.keptInFlight} older action(s) still in flight\n`);
    return 0;
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

function fail(cmd: string, message: string): number {
  process.stderr.write(`airlock ${cmd}: ${message}\n`);
  return 2;
}
