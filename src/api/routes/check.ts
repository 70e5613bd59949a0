// POST /v1/check: the decision for a tool call, nothing queued or executed (the sidecar call for agents that run tools themselves).
import { Router } from 'express';
import type { ActionsService } from '../../pipeline/actions-service.ts';
import { assertActsAs, principalOf, requireRole } from '../auth.ts';
import { parseOrThrow } from '../errors.ts';
import { submitActionSchema } from './actions.ts';

/** The action body without the idempotency key: a check is never stored. */
const checkSchema = submitActionSchema.omit({ idempotencyKey: true });

export function checkRouter(deps: { actions: ActionsService }): Router {
  const r = Router();
  r.post('/v1/check', requireRole('agent'), async (req, res) => {
    const t0 = performance.now();
    const body = parseOrThrow(checkSchema, req.body, 'body');
    assertActsAs(principalOf(res), body.agentId);
    const d = await deps.actions.check({ ...body, estimate: body.estimate ?? {}, context: body.context ?? {} });
    // The time from the validated body to the decision (state read, policy evaluated), for the caller to tell its own
    // waits from the sidecar's (W3C Server-Timing; browsers' and HTTP clients' tools show it).
    res.setHeader('Server-Timing', `decide;dur=${(performance.now() - t0).toFixed(3)}`);
    res.json({
      checkId: d.checkId, outcome: d.outcome, reasons: d.reasons, policyRevision: d.policyRevision,
      maxTokens: d.maxTokens, costCeilingUsd: d.costCeilingUsd, onBudgetExceeded: d.onBudgetExceeded, failClosed: d.failClosed,
    });
  });
  return r;
}
