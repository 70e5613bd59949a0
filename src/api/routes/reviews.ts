// Reviewer routes: list pending reviews oldest first, show one with its decision input, approve or reject (409 on a second decision).
import { Router } from 'express';
import { z } from 'zod';
import type { ReviewService } from '../../review/review-service.ts';
import { principalOf, requireRole } from '../auth.ts';
import { parseOrThrow } from '../errors.ts';
import { actionView } from '../views.ts';

const listQuery = z.object({
  status: z.literal('pending').default('pending'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const idParams = z.object({ id: z.string().regex(/^act_[a-z0-9]+$/, 'not an action id') });
const decisionBody = z.strictObject({ comment: z.string().max(2000).optional() });

export function reviewsRouter(deps: { reviews: ReviewService }): Router {
  const r = Router();
  r.get('/v1/reviews', requireRole('reviewer'), async (req, res) => {
    const q = parseOrThrow(listQuery, req.query, 'query');
    const { items, total } = await deps.reviews.listPending(q);
    res.json({
      items: items.map((i) => ({ id: i.id, reasons: i.reasons, deadline: i.deadline, action: actionView(i.action) })),
      total, offset: q.offset, limit: q.limit,
      next: q.offset + items.length < total ? q.offset + items.length : null,
    });
  });

  r.get('/v1/reviews/:id', requireRole('reviewer'), async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params, 'params');
    const d = await deps.reviews.get(id);
    res.json({ id: d.id, reasons: d.reasons, deadline: d.deadline, input: d.input, action: actionView(d.action) });
  });

  for (const verb of ['approve', 'reject'] as const) {
    r.post(`/v1/reviews/:id/${verb}`, requireRole('reviewer'), async (req, res) => {
      const { id } = parseOrThrow(idParams, req.params, 'params');
      const body = parseOrThrow(decisionBody, req.body ?? {}, 'body');
      const by = principalOf(res).id;
      const a = verb === 'approve' ? await deps.reviews.approve(id, by, body.comment ?? null) : await deps.reviews.reject(id, by, body.comment ?? null);
      res.json(actionView(a));
    });
  }
  return r;
}
