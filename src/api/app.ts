// The Express application: body limit, request metrics, probes, then authenticated and rate-limited /v1 routes, 404 and errors.
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { TokenGrant } from '../config/index.ts';
import { apiRequestDuration } from '../metrics/registry.ts';
import { authenticate } from './auth.ts';
import { errorHandler, notFoundRoute } from './errors.ts';
import { rateLimit } from './rate-limit.ts';
import { healthRouter, type HealthDeps } from './routes/health.ts';
import { v1Routes, type ApiServices } from './routes/index.ts';

export interface AppDeps {
  services: ApiServices;
  health: HealthDeps;
  tokens: TokenGrant[];
  bodyLimit: string;
  rateLimitPerSecond: number;
  logger: Logger;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? '(unmatched)' : req.path.startsWith('/v1') ? '/v1' : req.path;
      apiRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - t0) / 1e9);
    });
    next();
  });
  app.use(healthRouter(deps.health));
  app.use('/v1', authenticate(deps.tokens), rateLimit(deps.rateLimitPerSecond));
  app.use(express.json({ limit: deps.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] }));
  for (const router of v1Routes(deps.services)) app.use(router);
  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
