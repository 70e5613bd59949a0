// Starts the HTTP API on a runtime: builds the services the routes use, listens, and closes gracefully.
import type { Server } from 'node:http';
import { ConfigError } from '../config/index.ts';
import { listenOn } from '../config/listen.ts';
import * as metrics from '../metrics/registry.ts';
import { createActionsService } from '../pipeline/actions-service.ts';
import { createFinalWaiter } from '../pipeline/final-waiter.ts';
import { runtimeReadiness } from '../pipeline/readiness.ts';
import type { Runtime } from '../pipeline/runtime.ts';
import { connectBlockingRedis, logConnectionErrors } from '../queue/connection.ts';
import { createReviewService } from '../review/review-service.ts';
import { createApp } from './app.ts';
import { createAppServer } from './http-server.ts';
import { createGaugeSampler, QUEUE_STATES, withTimeout } from '../metrics/sampler.ts';

export interface RunningApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(rt: Runtime): Promise<RunningApi> {
  const { config } = rt;
  if (!config.tokens || config.tokens.length === 0) throw new ConfigError('AIRLOCK_TOKENS is not set: the API never runs open (use `airlock up` to generate tokens)', ['AIRLOCK_TOKENS']);
  const subscriber = connectBlockingRedis(config.redisUrl!, 'airlock-api-sub');
  logConnectionErrors(subscriber, rt.logger, 'final-state subscriber', { count: metrics.countRedisConnectionErrors('final-state subscriber') });
  const waiter = createFinalWaiter(rt.store, subscriber); // subscribes in the background: the API listens even while Redis is away
  const enqueueExecute = (id: string) => rt.queues.enqueueExecute(id);
  const reviews = createReviewService({ store: rt.store, budget: rt.budgetPort, tools: rt.tools, enqueueExecute, clock: rt.clock, logger: rt.logger });
  const actions = createActionsService({
    store: rt.store, policy: rt.policy, tools: rt.tools, budget: rt.budgetPort, clock: rt.clock, waiter,
    enqueueDecide: (id, facts) => rt.queues.enqueueDecide(id, facts),
  });
  const sampleGauges = createGaugeSampler({
    pingRedis: () => rt.redis.ping(), jobCounts: () => rt.queues.jobCounts(QUEUE_STATES), oldestWaitingAge: () => rt.queues.oldestWaitingAge(),
    refreshBudget: () => rt.budget.refreshMetrics(),
  });
  const app = createApp({
    services: { actions, reviews, traces: rt.traces, budget: rt.budget, policy: rt.policy },
    health: {
      ...runtimeReadiness(rt),
      refreshGauges: async () => {
        // Each probe is bounded: a slow Redis leaves those gauges at their last value instead of hanging the scrape.
        const [, backlog] = await Promise.allSettled([
          sampleGauges(), // Redis reachability, jobs per queue and state, queue depth and age, budget totals
          withTimeout(reviews.backlog(), 1000),
        ]);
        if (backlog.status === 'fulfilled') {
          metrics.reviewBacklog.set(backlog.value.count);
          metrics.reviewOldestAge.set(backlog.value.oldestAgeSeconds);
        }
      },
    },
    tokens: config.tokens,
    bodyLimit: config.bodyLimit,
    rateLimitPerSecond: config.rateLimitPerSecond,
    logger: rt.logger,
  });
  const server: Server = createAppServer(app);
  await listenOn(server, { host: config.host, port: config.port, settings: ['AIRLOCK_HOST', 'AIRLOCK_PORT'] });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  rt.logger.info({ url }, 'API listening');
  return {
    url,
    port,
    async close() {
      await waiter.close(); // wakes long-polls so connections can finish
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
