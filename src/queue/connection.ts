// Redis connections for Airlock: one factory so every process connects the same way.
import type { Socket } from 'node:net';
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
  const redis = typeof target === 'string' ? new Redis(target, opts) : new Redis({ ...target, ...opts });
  coalesceWritesPerTick(redis);
  return redis;
}

/**
 * Sends the commands a connection is given in one tick as one socket write. ioredis writes every command on its own
 * (one system call each); corking the socket until the tick's end lets Node hand them to the kernel together.
 */
function coalesceWritesPerTick(redis: Redis): void {
  redis.on('connect', () => {
    // ioredis emits 'connect' once per new socket (first connection and every reconnect).
    const socket = (redis as unknown as { stream?: Socket }).stream;
    if (!socket) return;
    const write = socket.write;
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };
    socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      return write.apply(this, args);
    } as Socket['write'];
  });
}

/** A connection for commands (store, budget, API): fails requests fast when Redis is down instead of queueing them forever. */
export function connectRedis(url: string, name = 'airlock', extra: RedisOptions = {}): Redis {
  return connect(url, { connectionName: name, maxRetriesPerRequest: 2, enableReadyCheck: true, lazyConnect: false, ...extra });
}

/** A connection for BullMQ workers and subscribers, which block: BullMQ requires maxRetriesPerRequest = null. */
export function connectBlockingRedis(url: string, name = 'airlock-worker'): Redis {
  return connect(url, { connectionName: name, maxRetriesPerRequest: null, enableReadyCheck: true });
}


/**
 * Closes a connection: QUIT when Redis answers, so replies in flight arrive first; otherwise just drops it, since QUIT
 * would wait in the offline queue for a Redis that is away (retried until maxRetriesPerRequest, or forever).
 */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => undefined);
  else redis.disconnect();
}

/** Where a connection's errors are logged (a pino logger fits). */
export interface ConnectionLog {
  warn(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
}

/**
 * A repeated error logged without flooding: the first at once, then at most one line per `everyMs` saying how many were
 * left out; `recovered()` logs one line (when there were errors) and starts over.
 */
export function throttledErrorLog(log: ConnectionLog, msg: string, fields: object, everyMs = 10_000, now: () => number = Date.now) {
  let lastLoggedAt = -Infinity;
  let leftOut = 0;
  let failing = false;
  const notLogged = () => (leftOut > 0 ? { errorsNotLogged: leftOut } : {});
  return {
    error(e: Error): void {
      failing = true;
      const t = now();
      if (t - lastLoggedAt < everyMs) {
        leftOut++;
        return;
      }
      log.warn({ ...fields, err: e.message, ...notLogged() }, msg);
      lastLoggedAt = t;
      leftOut = 0;
    },
    recovered(recoveredMsg: string): void {
      if (!failing) return;
      log.info({ ...fields, ...notLogged() }, recoveredMsg);
      failing = false;
      lastLoggedAt = -Infinity;
      leftOut = 0;
    },
  };
}

/**
 * Logs a connection's errors through throttledErrorLog, and one line when it is ready again: ioredis emits an error per
 * reconnect attempt (every 50 ms at first) on each of a process's several connections while Redis is unreachable.
 * `count` is told of every error (a metric).
 */
export function logConnectionErrors(redis: Redis, log: ConnectionLog, connection: string, opts: { count?: (connection: string) => void; everyMs?: number; now?: () => number } = {}): void {
  const errors = throttledErrorLog(log, 'redis connection error', { connection }, opts.everyMs ?? 10_000, opts.now ?? Date.now);
  redis.on('error', (e: Error) => {
    opts.count?.(connection); // every error, where the log leaves most out
    errors.error(e);
  });
  redis.on('ready', () => errors.recovered('redis connection restored'));
}
