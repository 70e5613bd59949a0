// The execute step: validate arguments, run the tool with retries under an execution lease, settle the cost, record the result.
import type { Logger } from 'pino';
import * as metrics from '../metrics/registry.ts';
import { runTool, type ExecutorDeps } from '../tools/executor.ts';
import { modelCostUsd, type ToolRegistry } from '../tools/registry.ts';
import type { AttemptRecord, TraceEvent } from '../trace/events.ts';
import type { ActionRecord } from './action.ts';
import type { ActionStore, HashFieldCondition, Precondition, TransitionResult } from './action-store.ts';
import { shortcutAnswer, type BudgetPort } from './budget-port.ts';
import { historyEntry, inputAction, metricTool } from './decide-step.ts';
import { reservationAmount } from './evaluate-action.ts';
import { failClosed } from '../policy/decision.ts';
import { ActionNotReadyError } from './errors.ts';

export interface ExecuteDeps {
  store: ActionStore;
  tools: ToolRegistry;
  budget: BudgetPort;
  executor: ExecutorDeps;
  clock: () => number;
  /** How long an execution may go without progress before the reaper hands it to another worker; renewed while the tool runs. */
  leaseSeconds: number;
  /** Budget reservation lease renewed with the execution lease (default: the budget service's own default). */
  budgetLeaseMs?: number;
  logger: Logger;
}

/** Executes one approved action; a rerun after a crash resumes it (same Idempotency-Key, attempt numbering continued). */
export async function executeAction(deps: ExecuteDeps, actionId: string): Promise<void> {
  const now = () => deps.clock();
  const iso = () => new Date(now()).toISOString();
  const leaseMs = deps.leaseSeconds * 1000;
  const renewBudget = () => deps.budget.renewLease?.(actionId, deps.budgetLeaseMs).catch(() => false) ?? Promise.resolve(true);

  // One round trip for both: the claim (the store numbers the run) and whether the reservation made at the decision is
  // still held (renewing a reservation of an action that is not ours to run changes nothing: it is settled or released).
  const [started, held] = await Promise.all([
    deps.store.transition(actionId, {
      from: ['approved', 'executing'], to: 'executing',
      event: { type: 'execution_started', at: iso(), to: 'executing' },
      countRun: true,
      lease: { op: 'add', deadlineMs: now() + leaseMs },
      returnAction: true,
    }),
    renewBudget(),
  ]);
  if (!started.ok) {
    if (started.current === null) deps.logger.warn({ actionId }, 'execute: no such action; dropping job');
    if (started.current === 'queued' || started.current === 'deciding') throw new ActionNotReadyError(actionId, started.current);
    return;
  }
  const action = started.action!;
  const t0 = performance.now();
  const toolName = metricTool(deps, action.tool);

  const finishFailed = async (code: string, message: string, details: unknown, event: TraceEvent) => {
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

  // The reservation lapsed (the sweeper reclaimed it while the action waited, or its worker died): reserve again — the same
  // amount the decision reserved — or do not run. A reservation already settled means a run that died after the tool
  // completed and the cost was charged: the action did execute, so it is finished as succeeded without charging again.
  const amount = reservationAmount(inputAction(action), deps.tools, decisionAmounts(action));
  let alreadySettled = false;
  if (!held) {
    const again = await deps.budget
      .reserve(actionId, action.budgetScopes, amount, { approvedByHuman: action.review?.decision === 'approved' })
      .catch((e: Error) => ({ ok: false as const, scope: '-', reason: e.message, kind: 'error' }));
    if (!again.ok && again.kind === 'closed') {
      alreadySettled = true;
      deps.logger.warn({ actionId }, 'execute: the reservation was already settled by an earlier run; fetching the result again (same Idempotency-Key)');
    } else if (!again.ok) {
      await finishFailed('budget_reclaimed', `reservation lapsed and could not be renewed: ${again.scope} ${again.reason}`, null,
        { type: 'failed', at: iso(), to: 'failed', error: { code: 'budget_reclaimed', message: again.reason }, attempts: action.attempts.length });
      return;
    }
  }

  // While the tool runs, keep both leases alive so that a slow call is not mistaken for a dead worker.
  const heartbeat = setInterval(() => {
    void deps.store.setLease(actionId, now() + leaseMs).catch(() => undefined);
    if (!alreadySettled) void renewBudget();
  }, Math.max(1000, leaseMs / 3));
  heartbeat.unref();

  const attempts = [...action.attempts];
  let outcome: Awaited<ReturnType<typeof runTool>>;
  try {
    outcome = await runTool(
      tool,
      { actionId, tool: tool.name, args: action.args, maxTokens: action.decision?.maxTokens ?? null },
      deps.executor,
      async (a) => {
        attempts.push(a);
        if (a.ok) return; // recorded with the success, in the same step
        // A failed attempt is recorded before the next one starts, so a resumed run continues the numbering.
        await deps.store.transition(actionId, {
          from: ['executing'], to: 'executing', event: { type: 'attempt', at: iso(), to: 'executing', attempt: a },
          fields: { attempts }, lease: { op: 'add', deadlineMs: now() + leaseMs },
        });
        if (!alreadySettled) await renewBudget();
      },
      attempts.length + 1,
    );
  } finally {
    clearInterval(heartbeat);
  }

  if (!outcome.ok) {
    if (alreadySettled) {
      // The side effect happened in the earlier run (its cost is settled); only its result could not be fetched again.
      await finishSucceeded(deps, action, attempts, null, null, performance.now() - t0, `result unavailable: ${outcome.error.message}`);
      metrics.actionsTotal.inc({ tool: toolName, outcome: 'succeeded' });
      return;
    }
    metrics.deadLettersTotal.inc({ tool: toolName });
    await finishFailed('tool_failed', outcome.error.message, { attempts },
      { type: 'failed', at: iso(), to: 'failed', error: { code: 'tool_failed', message: outcome.error.message }, attempts: attempts.length });
    return;
  }

  const { result } = outcome;
  const costUsd = result.costUsd ?? (result.tokens !== undefined ? modelCostUsd(tool.costModel, result.tokens) : undefined);
  // Unknown actual cost → the budget charges the reserved estimate (never zero); the record shows the same amount.
  const charged: number | null = alreadySettled ? null : costUsd ?? amount.usd;
  // The spend is charged before the action is recorded as succeeded: if the budget cannot be written, the step throws
  // and the job is retried (the tool is called again with the same Idempotency-Key), so real spend is never dropped.
  const succeed = (precondition?: Precondition) => finishSucceeded(deps, action, attempts, result.output, charged, performance.now() - t0, null, precondition);
  if (!alreadySettled) {
    const unsettled = shortcutAnswer(() => deps.budget.unsettled?.(actionId));
    // The success goes out right behind the settle, on the same connection, refused by Redis unless the settle ran
    // (the reservation no longer waits for it): one round trip for both. Refused, the settle is retried as below.
    const recorded = unsettled ? await settleThenSucceed(deps, actionId, costUsd, result.tokens, succeed, unsettled) : null;
    if (!recorded) {
      await settleSpend(deps, actionId, costUsd, result.tokens);
      await succeed();
    }
  } else await succeed();
  metrics.actionsTotal.inc({ tool: toolName, outcome: 'succeeded' });
}

/**
 * Sends one settle and the success behind it. True when the success is recorded (then the settle ran before it, in
 * Redis); false when the settle did not run (failed, or refused the reported cost) and the success was refused with
 * it, or when Redis did not answer.
 */
async function settleThenSucceed(
  deps: ExecuteDeps, actionId: string, usd: number | undefined, tokens: number | undefined,
  succeed: (precondition: Precondition) => Promise<TransitionResult>, unsettled: HashFieldCondition,
): Promise<boolean> {
  const actual = { ...(usd !== undefined ? { usd } : {}), ...(tokens !== undefined ? { tokens } : {}) };
  const settled = deps.budget.settle(actionId, actual);
  settled.catch(() => undefined); // its outcome shows in the success's: refused unless the settle ran
  let recorded: TransitionResult;
  try {
    recorded = await succeed({ ...unsettled, holds: 'none of' });
  } catch {
    // Redis did not answer: whether either ran is unknown. The caller settles again (a second settle charges nothing
    // more) and records the success again (a second one is refused: the action is no longer executing).
    await settled.catch(() => undefined);
    return false;
  }
  if (recorded.ok || !recorded.unmet) return true; // recorded, or no longer ours to finish (as with the steps one after the other)
  await settled.catch((e: unknown) => deps.logger.warn({ actionId, err: (e as Error).message }, 'settle failed; retrying'));
  return false;
}

/**
 * Settles the actual spend, retrying a few times when the budget store is unreachable. An actual amount the budget
 * refuses as invalid is charged as the reserved estimate instead (never zero); other failures are rethrown.
 */
async function settleSpend(deps: ExecuteDeps, actionId: string, usd: number | undefined, tokens: number | undefined): Promise<void> {
  let actual: { usd?: number; tokens?: number } = { ...(usd !== undefined ? { usd } : {}), ...(tokens !== undefined ? { tokens } : {}) };
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.budget.settle(actionId, actual);
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'budget_invalid_input' && Object.keys(actual).length > 0) {
        deps.logger.warn({ actionId, err: (e as Error).message }, 'settle: the reported cost is invalid; charging the estimate');
        actual = {};
        continue;
      }
      if (attempt >= 4) throw e;
      deps.logger.warn({ actionId, attempt, err: (e as Error).message }, 'settle failed; retrying');
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

/** Records success together with the attempt that produced it (one atomic step); with a precondition, only when it is met. */
async function finishSucceeded(
  deps: ExecuteDeps, action: ActionRecord, attempts: AttemptRecord[], output: unknown, charged: number | null, durationMs: number, note: string | null,
  precondition?: Precondition,
): Promise<TransitionResult> {
  const iso = new Date(deps.clock()).toISOString();
  const last = attempts[attempts.length - 1];
  return deps.store.transition(action.id, {
    from: ['executing'], to: 'succeeded',
    before: last?.ok ? [{ type: 'attempt', at: iso, to: 'executing', attempt: last }] : [],
    event: { type: 'succeeded', at: iso, to: 'succeeded', result: output, costUsd: charged, attempts: attempts.length, durationMs: Math.round(durationMs), ...(note ? { note } : {}) },
    fields: { result: output, attempts, finishedAt: iso, ...(charged !== null ? { costUsd: charged } : {}) },
    lease: { op: 'rem' },
    history: { workflowId: action.workflowId, entry: historyEntry(action, 'succeeded', charged, deps.clock()) },
    ...(precondition ? { precondition } : {}),
  });
}

/** The amounts part of the stored decision, for re-reserving exactly what the decision reserved. */
function decisionAmounts(a: ActionRecord) {
  const base = failClosed('no_policy', '', null);
  return a.decision ? { ...base, costCeilingUsd: a.decision.costCeilingUsd, maxTokens: a.decision.maxTokens } : base;
}
