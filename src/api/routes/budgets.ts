// Budget admin routes: GET /v1/budgets, GET /v1/budgets/:scope, PUT /v1/budgets/:scope {capUsd, capTokens} (recorded).
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { BudgetService } from '../../budget/index.ts';
import { parseOrThrow } from '../errors.ts';

/** What the budget and breaker routers need from the app's auth. */
export interface BudgetRouteAuth {
  /** Middleware letting only the given roles through (401/403 otherwise). */
  requireRole: (...roles: ('agent' | 'reviewer' | 'admin')[]) => RequestHandler;
  /** Who made the request, recorded with cap changes and breaker resets. */
  actorOf: (req: Request, res: Response) => string;
}

export const capChangeSchema = z
  .object({
    capUsd: z.number().nonnegative().max(100_000_000).optional(),
    capTokens: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict()
  .refine((b) => b.capUsd !== undefined || b.capTokens !== undefined, { message: 'give capUsd, capTokens or both' });

export type CapChangeBody = z.infer<typeof capChangeSchema>;

export function budgetsRouter(budget: BudgetService, auth: BudgetRouteAuth): Router {
  const router = Router();
  const readers = auth.requireRole('reviewer', 'admin');

  router.get('/v1/budgets', readers, async (_req, res) => {
    const [budgets, changes] = await Promise.all([budget.listBudgets(), budget.capChanges(50)]);
    res.json({ budgets, changes });
  });

  router.get('/v1/budgets/:scope', readers, async (req, res) => {
    const scope = String(req.params.scope);
    const view = await budget.getBudget(scope);
    const changes = (await budget.capChanges(200)).filter((c) => c.scope === scope);
    res.json({ ...view, changes });
  });

  router.put('/v1/budgets/:scope', auth.requireRole('admin'), async (req, res) => {
    const body = parseOrThrow(capChangeSchema, req.body ?? {}, 'body');
    const result = await budget.setCap(String(req.params.scope), body, auth.actorOf(req, res));
    res.json(result);
  });

  return router;
}
