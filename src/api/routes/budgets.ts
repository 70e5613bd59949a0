// Budget admin routes: GET /v1/budgets, GET /v1/budgets/:scope, PUT /v1/budgets/:scope {capUsd, capTokens} (recorded).
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { z, ZodError } from 'zod';
import { BudgetError, type BudgetService } from '../../budget/index.ts';

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
    const body = capChangeSchema.parse(req.body ?? {});
    const result = await budget.setCap(String(req.params.scope), body, auth.actorOf(req, res));
    res.json(result);
  });

  router.use(budgetErrorResponder);
  return router;
}

const STATUS: Record<BudgetError['code'], number> = {
  budget_invalid_input: 400,
  budget_invalid_scope: 400,
  budget_config_invalid: 500,
  budget_unavailable: 503,
};

/** Answers the errors these routes know; anything else goes on to the app's error handler. */
export const budgetErrorResponder: ErrorRequestHandler = (err, _req, res, next) => {
  if (err instanceof ZodError) {
    res.status(400).json({
      error: {
        code: 'invalid_body',
        message: err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
        details: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    });
    return;
  }
  if (err instanceof BudgetError) {
    res.status(STATUS[err.code]).json({ error: { code: err.code, message: err.message, details: null } });
    return;
  }
  next(err);
};
