// Reading an action's trace (events are written by the action store's transition script, in the same Redis call as the change).
import type { Redis } from 'ioredis';
import type { StoredTraceEvent } from './events.ts';

export function traceKey(prefix: string, actionId: string): string {
  return `${prefix}:trace:${actionId}`;
}

export interface TraceStore {
  read(actionId: string): Promise<StoredTraceEvent[]>;
}

export function createTraceStore(redis: Redis, prefix: string): TraceStore {
  return {
    async read(actionId) {
      const raw = await redis.lrange(traceKey(prefix, actionId), 0, -1);
      return raw.map((s) => JSON.parse(s) as StoredTraceEvent);
    },
  };
}
