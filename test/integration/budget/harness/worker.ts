// Test harness process: a minimal BullMQ decide or execute worker that uses the real BudgetService (reserve / lease / settle).
// Usage: node --import tsx worker.ts decide|execute   (settings in env HARNESS, see HarnessSettings)
import { appendFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { budgetConfigFromPolicyData, createBudgetService } from '../../../../src/budget/index.ts';

export interface HarnessSettings {
  redisUrl: string;
  budgetPrefix: string;
  queuePrefix: string;
  policyData: unknown;
  leaseMs: number;
  decideConcurrency: number;
  executeConcurrency: number;
  executeMs: number;
  executorLog: string;
  capUsd: number;
}

export interface DecideJob {
  actionId: string;
  agentId: string;
  workflowId: string;
  tenant: string | null;
  costUsd: number;
}

const role = process.argv[2];
const s = JSON.parse(process.env.HARNESS ?? '{}') as HarnessSettings;
const redis = new Redis(s.redisUrl, { maxRetriesPerRequest: 2 });
const connection = new Redis(s.redisUrl, { maxRetriesPerRequest: null });
const budget = createBudgetService({ redis, prefix: s.budgetPrefix, clock: Date.now, config: budgetConfigFromPolicyData(s.policyData), leaseMs: s.leaseMs });
const outcomes = `${s.budgetPrefix}harness:outcomes`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (role === 'decide') {
  const execute = new Queue('execute', { connection, prefix: s.queuePrefix });
  new Worker<DecideJob>(
    'decide',
    async (job) => {
      const a = job.data;
      const scopes = budget.scopesFor(a);
      await budget.snapshot(scopes); // what the policy would see
      const r = await budget.reserve(a.actionId, scopes, { usd: a.costUsd, tokens: 0 });
      if (!r.ok) {
        await redis.hset(outcomes, a.actionId, `denied:${r.scope}`);
        return;
      }
      await execute.add('run', { ...a, scopes }, { jobId: a.actionId, attempts: 5, backoff: { type: 'fixed', delay: 100 } });
    },
    { connection, prefix: s.queuePrefix, concurrency: s.decideConcurrency },
  );
} else if (role === 'execute') {
  new Worker<DecideJob & { scopes: string[] }>(
    'execute',
    async (job) => {
      const a = job.data;
      // Still holding the reservation? If the sweeper reclaimed it (queued too long, or a dead worker), reserve again or do not run.
      if (!(await budget.renewLease(a.actionId))) {
        const again = await budget.reserve(a.actionId, a.scopes, { usd: a.costUsd, tokens: 0 });
        if (!again.ok) {
          // 'closed': a previous attempt already ran and settled it (its worker died before recording the outcome).
          await redis.hset(outcomes, a.actionId, again.kind === 'closed' ? 'executed' : `failed:${again.kind}`);
          return;
        }
      }
      const heartbeat = setInterval(() => void budget.renewLease(a.actionId).catch(() => false), Math.max(50, s.leaseMs / 3));
      try {
        appendFileSync(s.executorLog, `start ${a.actionId} pid=${process.pid}\n`);
        await sleep(s.executeMs);
        const settled = await budget.settle(a.actionId, { usd: a.costUsd });
        const w = (await budget.snapshot([a.scopes[0]!])).scopes[a.scopes[0]!]!;
        appendFileSync(s.executorLog, `done ${a.actionId} charged=${settled.chargedUsd} settled=${settled.settled} spent=${w.spentUsd} reserved=${w.reservedUsd}\n`);
        await redis.hset(outcomes, a.actionId, 'executed');
      } finally {
        clearInterval(heartbeat);
      }
    },
    { connection, prefix: s.queuePrefix, concurrency: s.executeConcurrency, lockDuration: 2000, stalledInterval: 1000, maxStalledCount: 5 },
  );
} else {
  console.error(`usage: worker.ts decide|execute (got ${role})`);
  process.exit(2);
}
console.log(`ready ${role}`);
