// A real Redis for a test file: one connection, a unique key prefix, and cleanup of that prefix after the file.
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.AIRLOCK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  /** The connection (opened before the file's tests, closed after them). */
  readonly redis: Redis;
  /** `<name>-<random>`: every key the file writes starts with it. */
  readonly prefix: string;
}

/** Registers before/after hooks in the calling test file; read `.redis` inside tests. */
export function useTestRedis(name: string): TestRedis {
  const prefix = `${name}-${randomBytes(4).toString('hex')}`;
  let redis: Redis | undefined;
  before(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  return {
    prefix,
    get redis(): Redis {
      if (!redis) throw new Error('useTestRedis: the connection is opened in before(); use it inside tests');
      return redis;
    },
  };
}
