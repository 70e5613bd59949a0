// Redis connections for Airlock: one factory so every process connects the same way.
import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

/** A connection for commands (store, budget, API): fails requests fast when Redis is down instead of queueing them forever. */
export function connectRedis(url: string, name = 'airlock'): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 2, enableReadyCheck: true, lazyConnect: false });
}

/** A connection for BullMQ workers and subscribers, which block: BullMQ requires maxRetriesPerRequest = null. */
export function connectBlockingRedis(url: string, name = 'airlock-worker'): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: null, enableReadyCheck: true });
}
