// Trace routes: GET /v1/actions/:id/trace (ordered events with traceparent), POST /v1/actions/:id/replay, and keeping the agent's traceparent.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ActionsService } from '../../pipeline/actions-service.ts';
import type { PolicyEngine } from '../../policy/engine.ts';
import { PolicyLoadError } from '../../policy/errors.ts';
import { NoRecordedDecisionError } from '../../trace/errors.ts';
import { loadCandidatePolicy, recordedDecision, replayDecision, type DecisionEvaluator } from '../../trace/replay.ts';
import type { TraceStore } from '../../trace/store.ts';
import { childTraceParent, formatTraceParent, parseTraceParent, traceParentOfContext, TRACEPARENT_CONTEXT_KEY } from '../../trace/traceparent.ts';
import { replayEvaluationsTotal } from '../../metrics/registry.ts';
import { principalOf, requireRole } from '../auth.ts';
import { ApiError, forbidden, parseOrThrow } from '../errors.ts';
import { actionView } from '../views.ts';

const idParams = z.object({ id: z.string().regex(/^act_[a-z0-9]+$/, 'not an action id') });
export const replayBodySchema = z.strictObject({
  /** A policy folder, bundle or .wasm on the server to replay against instead of the active policy (admin only). */
  policy: z.string().min(1).max(4096).optional(),
});

export interface TraceRouteDeps {
  actions: ActionsService;
  traces: TraceStore;
  /** The serving policy engine; replay against the active policy answers 503 without it. */
  policy?: PolicyEngine;
}

export function traceRouter(deps: TraceRouteDeps): Router {
  const r = Router();
  r.post('/v1/actions', keepTraceParent);

  r.get('/v1/actions/:id/trace', requireRole('agent'), async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params, 'params');
    const p = principalOf(res);
    const action = await deps.actions.get(id, p.role === 'admin' ? null : p.id);
    const events = await deps.traces.read(id);
    const parent = traceParentOfContext(action.context);
    res.json({
      id,
      status: action.status,
      traceparent: parent ? formatTraceParent(parent) : null,
      action: actionView(action),
      events: events.map((e, i) => (parent ? { ...e, traceparent: childTraceParent(parent, id, i) } : e)),
    });
  });

  r.post('/v1/actions/:id/replay', requireRole('agent'), async (req, res) => {
    const { id } = parseOrThrow(idParams, req.params, 'params');
    const body = parseOrThrow(replayBodySchema, req.body ?? {}, 'body');
    const p = principalOf(res);
    if (body.policy !== undefined && p.role !== 'admin') throw forbidden('only admin may replay against another policy path');
    const action = await deps.actions.get(id, p.role === 'admin' ? null : p.id);
    const recorded = recordedDecision({ action, events: await deps.traces.read(id) });
    if (!recorded) throw httpError(new NoRecordedDecisionError(id, action.status));
    let policy: DecisionEvaluator;
    let source = 'active';
    if (body.policy !== undefined) {
      try {
        const candidate = await loadCandidatePolicy(body.policy);
        policy = candidate;
        source = candidate.source;
      } catch (e) {
        throw httpError(e);
      }
    } else {
      if (!deps.policy) throw new ApiError(503, 'replay_unavailable', 'this API process has no policy engine to replay against');
      policy = deps.policy;
    }
    const replayed = replayDecision(recorded, policy);
    replayEvaluationsTotal.inc({ result: replayed.changed ? 'changed' : 'same' });
    res.json({ id, policy: { source, revision: policy.revision }, ...replayed });
  });
  return r;
}

/**
 * Keeps the agent's W3C traceparent on the action: a valid header is copied into the submitted `context` before the
 * actions route validates and stores the body (an explicit header wins over a context value; invalid headers are ignored, as the spec says).
 */
const keepTraceParent: RequestHandler = (req, _res, next) => {
  const tp = parseTraceParent(req.headers.traceparent);
  const body: unknown = req.body;
  if (tp && body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as { context?: unknown };
    if (b.context === undefined) b.context = { [TRACEPARENT_CONTEXT_KEY]: formatTraceParent(tp) };
    else if (b.context && typeof b.context === 'object' && !Array.isArray(b.context)) (b.context as Record<string, unknown>)[TRACEPARENT_CONTEXT_KEY] = formatTraceParent(tp);
  }
  next();
};

function httpError(e: unknown): unknown {
  if (e instanceof NoRecordedDecisionError) return new ApiError(409, e.code, e.message, { status: e.status });
  if (e instanceof PolicyLoadError) return new ApiError(422, e.code, e.message, e.details.length ? { errors: e.details.slice(0, 20) } : undefined);
  return e;
}
