// A bare /metrics HTTP endpoint for processes without the API (workers), so Prometheus can scrape every process; with
// /healthz, and /readyz when the process gives its readiness.
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { ConfigError } from '../config/index.ts';
import { listenOn } from '../config/listen.ts';
import { registry } from './registry.ts';
import { createGaugeSampler, type GaugeSampler } from './sampler.ts';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Runs before each scrape (sampled gauges). */
  sample?: GaugeSampler;
  /** Serves GET /readyz when given: 200 when `ready`, 503 otherwise, with the whole state as JSON. */
  readiness?: () => Promise<{ ready: boolean }>;
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const readiness = opts.readiness;
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/healthz' && !(path === '/readyz' && readiness))) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'route_not_found', message: `no route ${req.method} ${path}` } }));
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz' && readiness) {
      readiness()
        .then((state) => res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(state)))
        .catch((e: Error) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: false, error: e.message })));
      return;
    }
    (opts.sample ? opts.sample() : Promise.resolve())
      .then(() => registry.metrics())
      .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch((e: Error) => {
        opts.logger.error({ err: e.message }, 'metrics scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      });
  });
  await listenOn(server, { host: opts.host, port: opts.port, what: 'for /metrics', settings: ['AIRLOCK_METRICS_PORT'] });
  server.unref(); // never keeps a worker alive on its own: shutdown waits for the queue worker, not for this endpoint
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host}:${port}/metrics`;
  opts.logger.info({ url }, 'metrics listening');
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** The port from AIRLOCK_METRICS_PORT, or null when unset (no worker endpoint). Throws a clear error on a bad value. */
export function metricsPortFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env.AIRLOCK_METRICS_PORT;
  if (raw === undefined || raw === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`AIRLOCK_METRICS_PORT must be a port number (0-65535), got "${raw}"`, ['AIRLOCK_METRICS_PORT']);
  return port;
}

/**
 * For worker processes: serves /metrics, /healthz and /readyz on `port` (AIRLOCK_METRICS_PORT, see metricsPortFromEnv; on `host`) when it is set, sampling Redis reachability
 * before each scrape. Queue and budget gauges are left to the API process so that sums over processes do not double count.
 */
export async function startWorkerMetrics(port: number | null, deps: { host: string; logger: Logger; pingRedis(): Promise<unknown>; readiness?: () => Promise<{ ready: boolean }> }): Promise<MetricsServer | null> {
  if (port === null) return null;
  return startMetricsServer({ host: deps.host, port, logger: deps.logger, sample: createGaugeSampler({ pingRedis: deps.pingRedis }), ...(deps.readiness ? { readiness: deps.readiness } : {}) });
}
