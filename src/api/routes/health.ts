// Probes and metrics: GET /healthz (process up), GET /readyz (Redis reachable, a policy loaded, budgets configured), GET /metrics (Prometheus).
import { Router } from 'express';
import { registry } from '../../metrics/registry.ts';
import { readiness, type ReadinessDeps } from '../../pipeline/readiness.ts';

export interface HealthDeps extends ReadinessDeps {
  /** Refreshes gauges that are sampled rather than counted (queue depth, review backlog) before a scrape. */
  refreshGauges(): Promise<void>;
}

export function healthRouter(deps: HealthDeps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const state = await readiness(deps);
    res.status(state.ready ? 200 : 503).json(state);
  });
  r.get('/metrics', async (_req, res) => {
    await deps.refreshGauges().catch(() => undefined);
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return r;
}
