// Running a tool call: dispatch to the tool's executor, retry transient failures with exponential backoff and full jitter.
import * as metrics from '../metrics/registry.ts';
import type { AttemptRecord } from '../trace/events.ts';
import { BUILTIN_IMPLEMENTATIONS } from './builtin-tools.ts';
import { ToolCallError } from './errors.ts';
import { callHttpTool } from './executors/http.ts';
import type { ToolDefinition } from './registry.ts';

export interface ExecutionRequest {
  actionId: string;
  tool: string;
  args: Record<string, unknown>;
  maxTokens: number | null;
  attempt: number;
}

export interface ExecutionResult { output: unknown; costUsd?: number; tokens?: number }

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ExecutorDeps {
  retry: RetryPolicy;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type RunOutcome =
  | { ok: true; result: ExecutionResult; attempts: AttemptRecord[] }
  | { ok: false; error: ToolCallError; attempts: AttemptRecord[] };

/** Backoff before attempt n+1 (n ≥ 1): a random delay in [0, min(max, base·2^(n-1))], at least Retry-After when the tool sent one. */
export function backoffDelay(n: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  const jittered = Math.round(random() * ceiling);
  return retryAfterMs !== undefined ? Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs)) : jittered;
}

/** One call through the tool's executor, without retries. */
export async function callTool(tool: ToolDefinition, req: ExecutionRequest): Promise<ExecutionResult> {
  if (tool.executor.kind === 'http') return callHttpTool(tool.executor, req);
  const impl = BUILTIN_IMPLEMENTATIONS[tool.executor.name];
  if (!impl) throw new ToolCallError('tool_error', `no built-in tool named "${tool.executor.name}"`);
  return impl(req.args, { actionId: req.actionId, signal: AbortSignal.timeout(60_000) });
}

/**
 * Calls the tool until it succeeds, fails permanently, or attempts run out. `firstAttempt` continues the numbering when an
 * execution is resumed after a worker crash; `onAttempt` records each attempt (in the trace) before the next starts.
 */
export async function runTool(
  tool: ToolDefinition,
  req: Omit<ExecutionRequest, 'attempt'>,
  deps: ExecutorDeps,
  onAttempt: (a: AttemptRecord) => Promise<void>,
  firstAttempt = 1,
): Promise<RunOutcome> {
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const maxAttempts = tool.maxAttempts ?? deps.retry.maxAttempts;
  const attempts: AttemptRecord[] = [];
  const kind = tool.executor.kind;
  for (let n = firstAttempt; ; n++) {
    const startedAt = now();
    const t0 = performance.now();
    try {
      const result = await callTool(tool, { ...req, attempt: n });
      const durationMs = performance.now() - t0;
      metrics.executorDuration.observe({ tool: tool.name, kind }, durationMs / 1000);
      const a: AttemptRecord = { n, startedAt: new Date(startedAt).toISOString(), durationMs: round(durationMs), ok: true };
      attempts.push(a);
      await onAttempt(a);
      return { ok: true, result, attempts };
    } catch (e) {
      const durationMs = performance.now() - t0;
      metrics.executorDuration.observe({ tool: tool.name, kind }, durationMs / 1000);
      const err = e instanceof ToolCallError ? e : new ToolCallError('tool_error', (e as Error).message ?? String(e));
      metrics.executorErrorsTotal.inc({ tool: tool.name, kind: err.kind });
      const a: AttemptRecord = {
        n, startedAt: new Date(startedAt).toISOString(), durationMs: round(durationMs), ok: false,
        errorKind: err.kind, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}),
      };
      attempts.push(a);
      await onAttempt(a);
      if (!err.transient || n >= maxAttempts) return { ok: false, error: err, attempts };
      metrics.executorRetriesTotal.inc({ tool: tool.name });
      await sleep(backoffDelay(n, deps.retry, random, err.retryAfterMs));
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
