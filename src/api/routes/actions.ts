// Agent routes: POST /v1/actions (idempotent, ?wait long-poll), GET /v1/actions/:id, GET /v1/actions/:id/trace.
import { Router } from 'express';
import { z } from 'zod';
import { isFinal } from '../../pipeline/action.ts';
import type { ActionsService } from '../../pipeline/actions-service.ts';
import type { TraceStore } from '../../trace/store.ts';
import { assertActsAs, principalOf, requireRole } from '../auth.ts';
import { parseOrThrow } from '../errors.ts';
import { actionView } from '../views.ts';

const MAX_WAIT_SECONDS = 60;
/** Deepest nesting accepted in args/context: enough for any real tool call, far from what overflows a serializer's stack. */
export const MAX_JSON_DEPTH = 128;

/** Nesting depth of a JSON value, measured without recursion (a hostile body must not overflow this check either). */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** A JSON object of bounded depth (args, context). */
export const boundedObject = z.record(z.string(), z.unknown()).refine((v) => jsonDepth(v, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH, {
  message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
});

export const estimateSchema = z.strictObject({
  costUsd: z.number().nonnegative().max(1e9).optional(),
  tokens: z.number().int().nonnegative().max(1e12).optional(),
});

export const submitActionSchema = z.strictObject({
  agentId: z.string().min(1).max(200),
  workflowId: z.string().min(1).max(200),
  tool: z.string().min(1).max(200),
  args: boundedObject,
  estimate: estimateSchema.optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
  context: boundedObject.optional(),
});

const waitQuery = z.object({ wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).optional() });
const idParams = z.object({ id: z.string().regex(/^act_[a-z0-9]+$/, 'not an action id') });

export function actionsRouter(deps: { actions: ActionsService; traces: TraceStore }): Router {
  const r = Router();
  r.post('/v1/actions', requireRole('agent'), async (req, res) => {
    const body = parseOrThrow(submitActionSchema, req.body, 'body');
    const { wait } = parseOrThrow(waitQuery, req.query, 'query');
    const p = principalOf(res);
    assertActsAs(p, body.agentId);
    const submitted = {
      agentId: body.agentId, workflowId: body.workflowId, tool: body.tool, args: body.args, estimate: body.estimate ?? {},
      context: body.context ?? {}, idempotencyKey: body.idempotencyKey ?? null, owner: p.id,
    };
    if (wait) {
      const { action, created } = await deps.actions.submitAndWait(submitted, wait * 1000);
      res.status(isFinal(action.status) ? 200 : 202).json({ ...actionView(action), created });
      return;
    }
    const { action, created } = await deps.actions.submit(submitted);
    res.status(created ? 202 : 200).json({ id: action.id, status: action.status, created });
  });

  r.get('/v1/actions/:id', requireRole('agent'), async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params, 'params');
    const { wait } = parseOrThrow(waitQuery, req.query, 'query');
    const p = principalOf(res);
    const owner = p.role === 'admin' ? null : p.id;
    const a = wait ? await deps.actions.waitForFinal(id, owner, wait * 1000) : await deps.actions.get(id, owner);
    res.json(actionView(a));
  });

  r.get('/v1/actions/:id/trace', requireRole('agent'), async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params, 'params');
    const p = principalOf(res);
    await deps.actions.get(id, p.role === 'admin' ? null : p.id);
    res.json({ id, events: await deps.traces.read(id) });
  });
  return r;
}
