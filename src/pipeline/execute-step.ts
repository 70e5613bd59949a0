// The execute step: validate arguments, run the tool with retries under an execution lease, settle the cost, record the result.
import type { Logger } from 'pino';
import * as metrics from '../metrics/registry.ts';
import { runTool, type ExecutorDeps } from '../tools/executor.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { ActionStore } from './action-store.ts';
import type { BudgetPort } from './budget-port.ts';
import { historyEntry, metricTool } from './decide-step.ts';

export interface ExecuteDeps {
  store: ActionStore;
  tools: ToolRegistry;
  budget: BudgetPort;
  executor: ExecutorDeps;
  clock: () => number;
  /** How long an execution may go without progress before the reaper hands it to another worker. */
  leaseSeconds: number;
  logger: Logger;
}

/** Executes one approved action; a rerun after a crash resumes it (same Idempotency-Key, attempt numbering continued). */
export async function executeAction(deps: ExecuteDeps, actionId: string): Promise<void> {
  const action = await deps.store.get(actionId);
  if (!action) {
    deps.logger.warn({ actionId }, 'execute: no such action; dropping job');
    return;
  }
  if (action.status !== 'approved' && action.status !== 'executing') return;
  const now = () => deps.clock();
  const iso = () => new Date(now()).toISOString();
  const leaseMs = deps.leaseSeconds * 1000;
  const run = (await deps.store.executionRuns(actionId)) + 1;
  const started = await deps.store.transition(actionId, {
    from: ['approved', 'executing'], to: 'executing',
    event: { type: 'execution_started', at: iso(), to: 'executing', run },
    fields: { executionRuns: run, ...(action.startedAt ? {} : { startedAt: iso() }) },
    lease: { op: 'add', deadlineMs: now() + leaseMs },
  });
  if (!started.ok) return;
  const t0 = performance.now();
  const toolName = metricTool(deps, action.tool);

  const finishFailed = async (code: string, message: string, details: unknown, event: Parameters<ActionStore['transition']>[1]['event']) => {
    await deps.budget.release(actionId).catch((e) => deps.logger.error({ actionId, err: (e as Error).message }, 'budget release failed'));
    await deps.store.transition(actionId, {
      from: ['executing'], to: 'failed', event,
      fields: { error: { code, message, details }, finishedAt: iso() },
      lease: { op: 'rem' },
      history: { workflowId: action.workflowId, entry: historyEntry(action, 'failed', null, now()) },
    });
    metrics.actionsTotal.inc({ tool: toolName, outcome: 'failed' });
  };

  const tool = deps.tools.get(action.tool);
  if (!tool) {
    await finishFailed('unknown_tool', `tool "${action.tool}" is not in the registry`, null,
      { type: 'failed', at: iso(), to: 'failed', error: { code: 'unknown_tool', message: `tool "${action.tool}" is not in the registry` }, attempts: 0 });
    return;
  }
  const argErrors = deps.tools.validateArgs(tool.name, action.args);
  if (argErrors.length > 0) {
    await finishFailed('invalid_args', `arguments do not match the schema of ${tool.name}`, argErrors,
      { type: 'args_invalid', at: iso(), to: 'failed', errors: argErrors });
    return;
  }

  // The reservation may have been reclaimed by the budget sweeper while this action waited (or its worker died): reserve again or do not run.
  const held = (await deps.budget.renewLease?.(actionId).catch(() => false)) ?? true;
  if (!held) {
    const again = await deps.budget
      .reserve(actionId, action.budgetScopes, { usd: action.estimate.costUsd ?? tool.costModel.perCallUsd, tokens: action.estimate.tokens ?? 0 }, { approvedByHuman: action.review?.decision === 'approved' })
      .catch((e: Error) => ({ ok: false as const, scope: '-', reason: e.message }));
    if (!again.ok) {
      await finishFailed('budget_reclaimed', `reservation lapsed and could not be renewed: ${again.scope} ${again.reason}`, null,
        { type: 'failed', at: iso(), to: 'failed', error: { code: 'budget_reclaimed', message: again.reason }, attempts: action.attempts.length });
      return;
    }
  }

  const attempts = [...action.attempts];
  const outcome = await runTool(
    tool,
    { actionId, tool: tool.name, args: action.args, maxTokens: action.decision?.maxTokens ?? null },
    deps.executor,
    async (a) => {
      attempts.push(a);
      await deps.store.transition(actionId, {
        from: ['executing'], to: 'executing', event: { type: 'attempt', at: iso(), to: 'executing', attempt: a },
        fields: { attempts }, lease: { op: 'add', deadlineMs: now() + leaseMs },
      });
      await deps.budget.renewLease?.(actionId).catch(() => false);
    },
    attempts.length + 1,
  );

  if (!outcome.ok) {
    metrics.deadLettersTotal.inc({ tool: toolName });
    await finishFailed('tool_failed', outcome.error.message, { attempts },
      { type: 'failed', at: iso(), to: 'failed', error: { code: 'tool_failed', message: outcome.error.message }, attempts: attempts.length });
    return;
  }

  const { result } = outcome;
  const costUsd = result.costUsd ?? (result.tokens !== undefined ? tool.costModel.perCallUsd + tool.costModel.perTokenUsd * result.tokens : undefined);
  let charged: number | null = costUsd ?? null;
  try {
    await deps.budget.settle(actionId, { ...(costUsd !== undefined ? { usd: costUsd } : {}), ...(result.tokens !== undefined ? { tokens: result.tokens } : {}) });
    if (charged === null) charged = action.estimate.costUsd ?? null;
  } catch (e) {
    deps.logger.error({ actionId, err: (e as Error).message }, 'budget settle failed; the sweeper reclaims the reservation');
  }
  const durationMs = performance.now() - t0;
  await deps.store.transition(actionId, {
    from: ['executing'], to: 'succeeded',
    event: { type: 'succeeded', at: iso(), to: 'succeeded', result: result.output, costUsd: charged, attempts: attempts.length, durationMs: Math.round(durationMs) },
    fields: { result: result.output, finishedAt: iso(), ...(charged !== null ? { costUsd: charged } : {}) },
    lease: { op: 'rem' },
    history: { workflowId: action.workflowId, entry: historyEntry(action, 'succeeded', charged, now()) },
  });
  metrics.actionsTotal.inc({ tool: toolName, outcome: 'succeeded' });
}
