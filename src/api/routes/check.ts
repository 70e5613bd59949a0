// POST /v1/check: the decision for a tool call, nothing queued or executed (the sidecar call for agents that run tools themselves).
import { Router } from 'express';
import { z } from 'zod';
import type { ActionsService } from '../../pipeline/actions-service.ts';
import { assertActsAs, principalOf, requireRole } from '../auth.ts';
import { parseOrThrow } from '../errors.ts';
import { boundedObject, estimateSchema } from './actions.ts';

const checkSchema = z.strictObject({
  agentId: z.string().min(1).max(200),
  workflowId: z.string().min(1).max(200),
  tool: z.string().min(1).max(200),
  args: boundedObject,
  estimate: estimateSchema.optional(),
  context: boundedObject.optional(),
});

export function checkRouter(deps: { actions: ActionsService }): Router {
  const r = Router();
  r.post('/v1/check', requireRole('agent'), async (req, res) => {
    const body = parseOrThrow(checkSchema, req.body, 'body');
    assertActsAs(principalOf(res), body.agentId);
    const d = await deps.actions.check({ ...body, estimate: body.estimate ?? {}, context: body.context ?? {} });
    res.json({
      checkId: d.checkId, outcome: d.outcome, reasons: d.reasons, policyRevision: d.policyRevision,
      maxTokens: d.maxTokens, costCeilingUsd: d.costCeilingUsd, onBudgetExceeded: d.onBudgetExceeded, failClosed: d.failClosed,
    });
  });
  return r;
}
