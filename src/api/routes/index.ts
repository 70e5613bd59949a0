// The table of contents of the HTTP API: every router, in the order they are mounted.
import type { Router } from 'express';
import type { BudgetService } from '../../budget/index.ts';
import { principalOf, requireRole } from '../auth.ts';
import { breakersRouter } from './breakers.ts';
import { budgetsRouter } from './budgets.ts';
import type { ActionsService } from '../../pipeline/actions-service.ts';
import type { ReviewService } from '../../review/review-service.ts';
import type { TraceStore } from '../../trace/store.ts';
import { actionsRouter } from './actions.ts';
import { checkRouter } from './check.ts';
import { reviewsRouter } from './reviews.ts';
import { traceRouter } from './trace.ts';
import type { PolicyEngine } from '../../policy/engine.ts';

export interface ApiServices {
  actions: ActionsService;
  reviews: ReviewService;
  traces: TraceStore;
  /** The budget service (src/budget); its admin routes mount below. */
  budget: BudgetService | null;
  /** The serving policy engine (replay against the active policy). */
  policy?: PolicyEngine;
}

const budgetAuth = { requireRole, actorOf: (_req: unknown, res: Parameters<typeof principalOf>[0]) => principalOf(res).id };

/** Authenticated /v1 routes. */
export function v1Routes(s: ApiServices): Router[] {
  return [
    traceRouter(s), // first: keeps the agent's traceparent on POST /v1/actions, serves /v1/actions/:id/trace and /replay
    actionsRouter(s),
    checkRouter(s),
    reviewsRouter(s),
    ...(s.budget ? [budgetsRouter(s.budget, budgetAuth), breakersRouter(s.budget, budgetAuth)] : []),
  ];
}
