// Circuit breaker routes: GET /v1/breakers (state and recent events), POST /v1/breakers/:scope/reset (recorded).
import { Router } from 'express';
import type { BudgetService } from '../../budget/index.ts';
import type { BudgetRouteAuth } from './budgets.ts';

export function breakersRouter(budget: BudgetService, auth: BudgetRouteAuth): Router {
  const router = Router();
  const reviewers = auth.requireRole('reviewer', 'admin');

  router.get('/v1/breakers', reviewers, async (_req, res) => {
    const [breakers, events] = await Promise.all([budget.listBreakers(), budget.breakerEvents(100)]);
    res.json({ breakers, events });
  });

  router.get('/v1/breakers/:scope', reviewers, async (req, res) => {
    res.json(await budget.getBreaker(String(req.params.scope)));
  });

  // A reviewer resetting the breaker is the human hand-off the breaker asked for.
  router.post('/v1/breakers/:scope/reset', reviewers, async (req, res) => {
    res.json(await budget.resetBreaker(String(req.params.scope), auth.actorOf(req, res)));
  });

  return router;
}
