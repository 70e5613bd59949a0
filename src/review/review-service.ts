// The human-review queue: list pending items oldest first, show one with its decision input, approve, reject, expire.
import type { Logger } from 'pino';
import * as metrics from '../metrics/registry.ts';
import type { ActionRecord, ReviewInfo } from '../pipeline/action.ts';
import type { ActionStore } from '../pipeline/action-store.ts';
import type { BudgetPort } from '../pipeline/budget-port.ts';
import { historyEntry } from '../pipeline/decide-step.ts';
import { reservationAmount } from '../pipeline/evaluate-action.ts';
import { inputAction } from '../pipeline/decide-step.ts';
import { ReviewConflictError, ReviewNotFoundError } from '../pipeline/errors.ts';
import { failClosed } from '../policy/decision.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { BudgetStep } from '../trace/events.ts';

export interface ReviewItem {
  id: string;
  action: ActionRecord;
  reasons: string[];
  deadline: string;
}

export interface ReviewDetail extends ReviewItem {
  input: unknown;
}

export interface ReviewService {
  listPending(page: { offset: number; limit: number }): Promise<{ items: ReviewItem[]; total: number }>;
  get(id: string): Promise<ReviewDetail>;
  approve(id: string, by: string, comment: string | null): Promise<ActionRecord>;
  reject(id: string, by: string, comment: string | null): Promise<ActionRecord>;
  /** Expires every item whose deadline passed; returns the ids expired. */
  expireDue(limit?: number): Promise<string[]>;
  /** Backlog size and age of the oldest item, for metrics. */
  backlog(): Promise<{ count: number; oldestAgeSeconds: number }>;
}

export interface ReviewDeps {
  store: ActionStore;
  budget: BudgetPort;
  tools: ToolRegistry;
  enqueueExecute(actionId: string): Promise<void>;
  clock: () => number;
  logger: Logger;
}

export function createReviewService(deps: ReviewDeps): ReviewService {
  const iso = () => new Date(deps.clock()).toISOString();

  async function pendingAction(id: string): Promise<ActionRecord> {
    const a = await deps.store.get(id);
    if (!a || !a.review) throw new ReviewNotFoundError(id);
    if (a.status !== 'pending_review') throw new ReviewConflictError(id, a.status);
    return a;
  }

  function decided(a: ActionRecord, decision: ReviewInfo['decision'], by: string | null, comment: string | null): ReviewInfo {
    return { ...(a.review as ReviewInfo), decision, decidedBy: by, comment, decidedAt: iso() };
  }

  const service: ReviewService = {
    async listPending({ offset, limit }) {
      const [entries, total] = await Promise.all([deps.store.pendingReviews(offset, limit), deps.store.pendingReviewCount()]);
      const actions = await Promise.all(entries.map((e) => deps.store.get(e.id)));
      const items: ReviewItem[] = [];
      entries.forEach((e, i) => {
        const a = actions[i];
        if (a) items.push({ id: a.id, action: a, reasons: a.decision?.reasons ?? [], deadline: new Date(e.deadlineMs).toISOString() });
      });
      return { items, total };
    },

    async get(id) {
      const a = await deps.store.get(id);
      if (!a || !a.review) throw new ReviewNotFoundError(id);
      return { id, action: a, reasons: a.decision?.reasons ?? [], deadline: a.review.deadline, input: await deps.store.decisionInput(id) };
    },

    async approve(id, by, comment) {
      const a = await pendingAction(id);
      // Reserve before committing the approval so that an approved action never runs unfunded; a lost race gives it back.
      const decisionForAmount = a.decision
        ? { ...failClosed('no_policy', '', null), costCeilingUsd: a.decision.costCeilingUsd, maxTokens: a.decision.maxTokens }
        : failClosed('no_policy', '', null);
      const amount = reservationAmount(inputAction(a), deps.tools, decisionForAmount);
      let budget: BudgetStep = { scopes: a.budgetScopes, reservedUsd: amount.usd, reservedTokens: amount.tokens, ok: true };
      try {
        const r = await deps.budget.reserve(id, a.budgetScopes, amount, { approvedByHuman: true });
        if (!r.ok) budget = { ...budget, reservedUsd: 0, reservedTokens: 0, ok: false, refusedScope: r.scope, refusedReason: r.reason };
      } catch (e) {
        budget = { ...budget, reservedUsd: 0, reservedTokens: 0, ok: false, error: (e as Error).message };
      }
      const to = budget.ok ? 'approved' : 'denied';
      const now = deps.clock();
      const result = await deps.store.transition(id, {
        from: ['pending_review'], to,
        event: budget.ok
          ? { type: 'review_approved', at: iso(), to: 'approved', by, comment, budget }
          : { type: 'budget_refused', at: iso(), to: 'denied', budget },
        fields: {
          review: decided(a, 'approved', by, comment),
          ...(budget.ok ? {} : {
            finishedAt: iso(),
            error: { code: 'budget_exceeded', message: `approved, but the budget refused: ${budget.refusedScope ?? ''} ${budget.refusedReason ?? budget.error ?? ''}`.trim() },
          }),
        },
        review: { op: 'rem' },
        // Approved, it waits for an execute worker again: with a lease, so that a lost execute job cannot strand it.
        ...(budget.ok ? { lease: { op: 'add' as const, deadlineMs: now + deps.store.requeueAfterMs } } : {}),
        ...(budget.ok ? {} : { history: { workflowId: a.workflowId, entry: historyEntry(a, 'denied', null, now) } }),
      });
      if (!result.ok) {
        if (budget.ok) await deps.budget.release(id).catch(() => undefined);
        throw new ReviewConflictError(id, result.current);
      }
      metrics.reviewDecisionsTotal.inc({ decision: 'approved' });
      if (budget.ok) await deps.enqueueExecute(id);
      return (await deps.store.get(id))!;
    },

    async reject(id, by, comment) {
      const a = await pendingAction(id);
      const result = await deps.store.transition(id, {
        from: ['pending_review'], to: 'denied',
        event: { type: 'review_rejected', at: iso(), to: 'denied', by, comment },
        fields: { review: decided(a, 'rejected', by, comment), finishedAt: iso() },
        review: { op: 'rem' },
        history: { workflowId: a.workflowId, entry: historyEntry(a, 'denied', null, deps.clock()) },
      });
      if (!result.ok) throw new ReviewConflictError(id, result.current);
      await deps.budget.release(id).catch(() => undefined);
      metrics.reviewDecisionsTotal.inc({ decision: 'rejected' });
      metrics.actionsTotal.inc({ tool: deps.tools.get(a.tool) ? a.tool : '(unknown)', outcome: 'denied' });
      return (await deps.store.get(id))!;
    },

    async expireDue(limit = 100) {
      const due = await deps.store.dueReviews(deps.clock(), limit);
      const expired: string[] = [];
      for (const id of due) {
        const a = await deps.store.get(id);
        const result = await deps.store.transition(id, {
          from: ['pending_review'], to: 'expired',
          event: { type: 'review_expired', at: iso(), to: 'expired' },
          fields: { ...(a?.review ? { review: decided(a, 'expired', null, null) } : {}), finishedAt: iso() },
          review: { op: 'rem' },
          ...(a ? { history: { workflowId: a.workflowId, entry: historyEntry(a, 'expired', null, deps.clock()) } } : {}),
        });
        if (!result.ok) continue;
        await deps.budget.release(id).catch(() => undefined);
        metrics.reviewDecisionsTotal.inc({ decision: 'expired' });
        if (a) metrics.actionsTotal.inc({ tool: deps.tools.get(a.tool) ? a.tool : '(unknown)', outcome: 'expired' });
        expired.push(id);
      }
      if (expired.length) deps.logger.info({ count: expired.length }, 'review items expired');
      return expired;
    },

    async backlog() {
      const [count, oldest] = await Promise.all([deps.store.pendingReviewCount(), deps.store.pendingReviews(0, 1)]);
      const first = oldest[0] ? await deps.store.get(oldest[0].id) : null;
      const parked = first?.review ? Date.parse(first.review.parkedAt) : deps.clock();
      return { count, oldestAgeSeconds: Math.max(0, (deps.clock() - parked) / 1000) };
    },
  };
  return service;
}
