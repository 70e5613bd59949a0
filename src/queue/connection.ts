// Redis connections for Airlock: one factory so every process connects the same way.
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

/**
 * Connection options from an AIRLOCK_REDIS_URL: `redis://` / `rediss://` URLs as ioredis reads them, or
 * `unix:///path/to/redis.sock[?db=N&password=...]` for a Redis on the same host (a Unix socket costs both sides less
 * CPU per command than loopback TCP).
 */
export function redisTarget(url: string): string | RedisOptions {
  if (!url.startsWith('unix:')) return url;
  const u = new URL(url);
  const opts: RedisOptions = { path: decodeURIComponent(u.pathname) };
  const db = u.searchParams.get('db');
  if (db !== null) opts.db = Number(db);
  const password = u.searchParams.get('password');
  if (password) opts.password = password;
  return opts;
}

function connect(url: string, opts: RedisOptions): Redis {
  const target = redisTarget(url);
  return typeof target === 'string' ? new Redis(target, opts) : new Redis({ ...target, ...opts });
}

/** A connection for commands (store, budget, API): fails requests fast when Redis is down instead of queueing them forever. */
export function connectRedis(url: string, name = 'airlock', extra: RedisOptions = {}): Redis {
  return connect(url, { connectionName: name, maxRetriesPerRequest: 2, enableReadyCheck: true, lazyConnect: false, ...extra });
}

/** A connection for BullMQ workers and subscribers, which block: BullMQ requires maxRetriesPerRequest = null. */
export function connectBlockingRedis(url: string, name = 'airlock-worker'): Redis {
  return connect(url, { connectionName: name, maxRetriesPerRequest: null, enableReadyCheck: true });
}

