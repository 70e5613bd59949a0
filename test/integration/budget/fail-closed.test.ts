// When Redis cannot be reached every budget operation fails fast with BudgetUnavailableError (callers then do not execute).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { BudgetUnavailableError, budgetConfigFromPolicyData, createBudgetService } from '../../../src/budget/index.ts';
import { testPolicyData } from './helpers.ts';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('budget fails closed without Redis', () => {
  it('reserve, snapshot, settle, release and recordAttempt reject with budget_unavailable, without hanging', { timeout: 10_000 }, async () => {
    const redis = new Redis({ host: '127.0.0.1', port: await closedPort(), enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    const budget = createBudgetService({ redis, prefix: 'nowhere:', clock: Date.now, config: budgetConfigFromPolicyData(testPolicyData()) });
    const scopes = ['workflow:w', 'global'];
    const ops: [string, () => Promise<unknown>][] = [
      ['reserve', () => budget.reserve('a', scopes, { usd: 1, tokens: 0 })],
      ['snapshot', () => budget.snapshot(scopes)],
      ['settle', () => budget.settle('a', {})],
      ['release', () => budget.release('a')],
      ['renewLease', () => budget.renewLease('a')],
      ['recordAttempt', () => budget.recordAttempt({ actionId: 'a', scopes, tool: 't', argsHash: 'h', costUsd: 0 })],
    ];
    for (const [name, op] of ops) {
      await assert.rejects(op(), (e: unknown) => e instanceof BudgetUnavailableError && e.code === 'budget_unavailable', name);
    }
    redis.disconnect();
  });
});
