// Probes and metrics: GET /healthz (process up), GET /readyz (Redis reachable, a policy loaded, budgets configured), GET /metrics (Prometheus).
import { Router } from 'express';
import type { PolicyStatus } from '../../policy/engine.ts';
import { registry } from '../../metrics/registry.ts';

export interface HealthDeps {
  pingRedis(): Promise<void>;
  policyStatus(): PolicyStatus;
  /** Whether budgets are configured from the active policy data (when not, every action is denied). */
  budgetStatus(): { ok: boolean; error?: string };
  /** Refreshes gauges that are sampled rather than counted (queue depth, review backlog) before a scrape. */
  refreshGauges(): Promise<void>;
}

export function healthRouter(deps: HealthDeps): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    let redis: { ok: boolean; error?: string } = { ok: true };
    try {
      await deps.pingRedis();
    } catch (e) {
      redis = { ok: false, error: (e as Error).message };
    }
    const policy = deps.policyStatus();
    const budget = deps.budgetStatus();
    const ready = redis.ok && policy.loaded && budget.ok;
    res.status(ready ? 200 : 503).json({ ready, redis, policy, budget });
  });
  r.get('/metrics', async (_req, res) => {
    await deps.refreshGauges().catch(() => undefined);
    res.setHeader('content-type', registry.contentType);
    res.send(await registry.metrics());
  });
  return r;
}
