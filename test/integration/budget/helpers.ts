// Shared setup of the budget integration tests: a real Redis connection, a unique key prefix, cleanup, a movable clock.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { budgetConfigFromPolicyData, createBudgetService, type BudgetConfig, type BudgetService } from '../../../src/budget/index.ts';

export const REDIS_URL = process.env.AIRLOCK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Policy data with the documented shape; tests override what they need. */
export function testPolicyData(over: { workflowCapUsd?: number; breakers?: Record<string, number> } = {}): unknown {
  return {
    budgets: {
      defaults: {
        workflow: { capUsd: over.workflowCapUsd ?? 10, capTokens: 200000, window: 'none' },
        agent: { capUsd: 50, capTokens: 2000000, window: 'day' },
        tenant: { capUsd: 1000, capTokens: 50000000, window: 'month' },
        global: { capUsd: 5000, capTokens: 200000000, window: 'day' },
      },
      overrides: { 'workflow:wf-big': { capUsd: 100 } },
    },
    breakers: { velocityUsdPerMinute: 5, velocityWindowSeconds: 60, loopCount: 5, loopWindowSeconds: 30, cooldownSeconds: 300, ...over.breakers },
  };
}

export interface BudgetFixture {
  redis: Redis;
  prefix: string;
  config: BudgetConfig;
  now: { ms: number };
  budget: BudgetService;
  cleanup(): Promise<void>;
}

export async function budgetFixture(opts: { policyData?: unknown; startMs?: number; leaseMs?: number } = {}): Promise<BudgetFixture> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const prefix = `test:budget:${randomUUID()}:`;
  const config = budgetConfigFromPolicyData(opts.policyData ?? testPolicyData());
  const now = { ms: opts.startMs ?? Date.parse('2026-11-25T10:00:00.000Z') };
  const budget = createBudgetService({ redis, prefix, clock: () => now.ms, config, leaseMs: opts.leaseMs });
  return {
    redis, prefix, config, now, budget,
    async cleanup() {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
