// The decide step: evaluate the policy for a queued action, reserve its budget, and record allow/deny/review atomically.
import type { Logger } from 'pino';
import * as metrics from '../metrics/registry.ts';
import type { BudgetStep } from '../trace/events.ts';
import type { ActionRecord, StoredDecision } from './action.ts';
import type { ActionStore, Precondition } from './action-store.ts';
import { actionFacts, sameFacts, type ActionFacts } from './action-facts.ts';
import { shortcutAnswer, type BreakerAttempt } from './budget-port.ts';
import { estimatedUsd, evaluateWithState, gatherState, reservationAmount, type EvaluateDeps, type GatheredState } from './evaluate-action.ts';
import type { InputAction } from './policy-input.ts';

export interface DecideDeps extends EvaluateDeps {
  enqueueExecute(actionId: string): Promise<void>;
  reviewTtlSeconds: number;
  logger: Logger;
}

export function inputAction(a: ActionRecord): InputAction {
  return { id: a.id, agentId: a.agentId, workflowId: a.workflowId, tool: a.tool, args: a.args, estimate: a.estimate, context: a.context, submittedAt: a.submittedAt };
}

const isOwnScope = (scope: string) => scope.startsWith('workflow:') || scope.startsWith('agent:');

/**
 * Every attempt — denied ones too — feeds the breakers of its own workflow and agent before the budget is read, so a
 * runaway loop (or an agent that keeps trying expensive calls) trips them in time. Shared scopes (tenant, global) learn
 * only reserved spend (decideAction): one agent's denied request with a huge estimate must not park every other agent's
 * work. Recording is idempotent per action id (a redelivered job does not count twice).
 */
function ownScopeAttempt(deps: DecideDeps, actionId: string, f: ActionFacts): (scopes: string[]) => BreakerAttempt | undefined {
  const costUsd = estimatedUsd(f.estimate, deps.tools.metadata(f.tool));
  return (scopes) => {
    const own = scopes.filter(isOwnScope);
    return own.length > 0 ? { actionId, scopes: own, tool: f.tool, argsHash: f.argsHash, costUsd } : undefined;
  };
}

/**
 * Decides one action; safe to run twice for the same id (a redelivered job finds the action already decided). With the
 * job's `facts`, budget state and history are read while the action is claimed; they are used only if the claimed
 * record has the same facts, and read again from the record otherwise.
 */
export async function decideAction(deps: DecideDeps, actionId: string, facts?: ActionFacts): Promise<void> {
  const started = performance.now();
  const at = () => new Date(deps.clock()).toISOString();
  // Claim and read in one step: a redelivered job finds the action already decided and stops here.
  const claim = deps.store.transition(actionId, {
    from: ['queued', 'deciding'], to: 'deciding', event: { type: 'deciding', at: at(), to: 'deciding' }, returnAction: true,
  });
  const early: Promise<GatheredState> | null = facts ? gatherState(deps, facts, ownScopeAttempt(deps, actionId, facts)) : null;
  early?.catch(() => undefined); // awaited below when the claim succeeds
  const claimed = await claim;
  if (!claimed.ok) {
    if (claimed.current === 'approved') return deps.enqueueExecute(actionId); // crashed between decision and enqueue
    if (claimed.current === null) deps.logger.warn({ actionId }, 'decide: no such action; dropping job');
    return;
  }
  const action = claimed.action!;
  const own = actionFacts(action);
  const hash = own.argsHash;
  let state: GatheredState;
  if (early && sameFacts(facts!, own)) state = await early;
  else {
    if (early) deps.logger.warn({ actionId, job: facts, record: own }, 'decide: the job\'s facts differ from the action; state read again from the record');
    state = await gatherState(deps, own, ownScopeAttempt(deps, actionId, own));
  }
  const { input, inputJson, decision, scopes } = evaluateWithState(deps, inputAction(action), state);
  let outcome = decision.outcome;
  const reasons = [...decision.reasons];
  let budgetStep: BudgetStep | null = null;
  /**
   * Sends the decision (and, for an allow, the execute job right behind it, on the same connection: see createRuntime;
   * Redis runs it after the decision is stored, so it never finds the action still deciding unless the decision was
   * refused, and then it finds the action in another status and stops there).
   */
  const send = (precondition?: Precondition) => {
    const now = deps.clock();
    const decidedAt = new Date(now).toISOString();
    const stored: StoredDecision = {
      outcome, reasons, policyRevision: decision.policyRevision, maxTokens: decision.maxTokens,
      costCeilingUsd: decision.costCeilingUsd, onBudgetExceeded: decision.onBudgetExceeded, decidedAt,
    };
    const to = outcome === 'allow' ? 'approved' : outcome === 'deny' ? 'denied' : 'pending_review';
    const deadlineMs = now + deps.reviewTtlSeconds * 1000;
    const reviewDeadline = outcome === 'review' ? new Date(deadlineMs).toISOString() : null;
    const durationMs = performance.now() - started;
    const recorded = deps.store.transition(actionId, {
      from: ['deciding'],
      to,
      eventInputJson: inputJson,
      event: {
        type: 'decided', at: decidedAt, to, outcome, reasons, policyRevision: decision.policyRevision, input,
        failClosed: decision.failClosed, budget: budgetStep, reviewDeadline, durationMs: Math.round(durationMs * 1000) / 1000,
        policyEvalMs: Math.round(decision.evalMs * 1000) / 1000,
      },
      fields: {
        decision: stored, budgetScopes: scopes, // the input is kept once, in the `decided` event (store.decisionInput reads it)
        ...(outcome === 'review' ? { review: { parkedAt: decidedAt, deadline: reviewDeadline!, decidedBy: null, decision: null, comment: null, decidedAt: null } } : {}),
        ...(outcome === 'deny' ? { finishedAt: decidedAt } : {}),
      },
      ...(outcome === 'review' ? { review: { op: 'add' as const, deadlineMs } } : {}),
      // Approved keeps the lease it was created with (it still waits for a worker); denied and parked actions do not.
      ...(outcome !== 'allow' ? { lease: { op: 'rem' as const } } : {}),
      ...(outcome === 'deny' ? { history: { workflowId: action.workflowId, entry: historyEntry(action, 'denied', null, now) } } : {}),
      ...(precondition ? { precondition } : {}),
    });
    const enqueued = outcome === 'allow' ? deps.enqueueExecute(actionId) : null;
    enqueued?.catch(() => undefined); // awaited by `finish`, after the decision's own reply
    return { recorded, enqueued, durationMs };
  };
  const finish = async (sent: ReturnType<typeof send>) => {
    metrics.decisionDuration.observe({ outcome }, sent.durationMs / 1000);
    metrics.actionsTotal.inc({ tool: metricTool(deps, action.tool), outcome });
    if (outcome === 'deny') metrics.actionsTotal.inc({ tool: metricTool(deps, action.tool), outcome: 'denied' });
    if (sent.enqueued) await sent.enqueued;
  };

  if (outcome === 'allow') {
    const amount = reservationAmount(input.action, deps.tools, decision);
    budgetStep = { scopes, reservedUsd: amount.usd, reservedTokens: amount.tokens, ok: true };
    // Reserved spend counts toward the shared scopes' breakers (they trip for the actions that follow): recorded with
    // the reservation, only when it is granted.
    const shared = scopes.filter((s) => !isOwnScope(s));
    const reserving = Promise.allSettled([deps.budget.reserve(actionId, scopes, amount,
      shared.length > 0 ? { attempt: { scopes: shared, tool: action.tool, argsHash: hash, costUsd: amount.usd } } : {})]);
    // When the budget state read for this decision leaves room, the approval (and the execute job) go out right behind
    // the reservation, the approval refused by Redis unless the reservation was granted: one round trip for both.
    // Refused (a race at the cap), the outcome the refusal calls for is recorded after it, as without the condition,
    // and the execute job finds the action not approved. Without room the reservation's reply comes first, so a
    // runaway loop against an exhausted budget sends no execute jobs.
    const held = shortcutAnswer(() => (deps.budget.expectsGrant?.(state.budget, scopes, amount) ? deps.budget.held?.(actionId) : undefined));
    const approval = held ? send({ ...held, holds: 'one of' }) : null;
    const [reserved] = await reserving;
    const grant = reserved.status === 'fulfilled' && reserved.value.ok ? reserved.value : null;
    if (grant?.attemptError) deps.logger.warn({ actionId, err: grant.attemptError }, 'shared-scope attempt not recorded');
    if (approval) {
      const result = await approval.recorded;
      if (result.ok) return finish(approval);
      if (!result.unmet) {
        // Someone else moved the action meanwhile; give back what we reserved.
        if (grant) await deps.budget.release(actionId).catch(() => undefined);
        return;
      }
    }
    if (reserved.status === 'rejected') {
      const message = (reserved.reason as Error).message;
      budgetStep = { ...budgetStep, reservedUsd: 0, reservedTokens: 0, ok: false, error: message };
      outcome = 'deny';
      reasons.push(`budget unavailable: ${message} (fail closed)`);
    } else if (!reserved.value.ok) {
      const r = reserved.value;
      budgetStep = { ...budgetStep, reservedUsd: 0, reservedTokens: 0, ok: false, refusedScope: r.scope, refusedReason: r.reason };
      outcome = r.kind === 'breaker' ? 'review' : decision.onBudgetExceeded;
      reasons.push(`budget: ${r.scope}: ${r.reason}`);
    } else if (approval) {
      // Granted, yet not held when the approval ran: nothing else should close a reservation in between. Fail closed.
      await deps.budget.release(actionId).catch(() => undefined);
      budgetStep = { ...budgetStep, reservedUsd: 0, reservedTokens: 0, ok: false, error: 'the reservation was not held when the approval ran' };
      outcome = 'deny';
      reasons.push('budget: the reservation was not held when the approval ran (fail closed)');
    }
  }

  const sent = send();
  const result = await sent.recorded;
  if (!result.ok) {
    // Someone else moved the action meanwhile; give back what we reserved.
    if (budgetStep?.ok) await deps.budget.release(actionId).catch(() => undefined);
    return;
  }
  await finish(sent);
}

export function historyEntry(a: ActionRecord, outcome: ActionRecord['status'], costUsd: number | null, nowMs: number) {
  return { id: a.id, tool: a.tool, argsHash: a.argsHash, outcome, costUsd, at_ns: nowMs * 1_000_000 };
}

/** Bounded label values: unknown tool names collapse into one label. */
export function metricTool(deps: { tools: EvaluateDeps['tools'] }, tool: string): string {
  return deps.tools.get(tool) ? tool : '(unknown)';
}
