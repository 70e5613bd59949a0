// Assembles one process's pipeline from the configuration: Redis, stores, queues, tools, policy engine and budget service.
import pino, { type Logger } from 'pino';
import { budgetConfigFromPolicyData, createBudgetService, promBudgetMetrics, type BudgetService } from '../budget/index.ts';
import type { AirlockConfig } from '../config/index.ts';
import { collectProcessMetrics } from '../metrics/registry.ts';
import { createPolicyHolder, type PolicyHolder } from '../policy/engine.ts';
import { loadPolicyArtifact } from '../policy/source.ts';
import { connectRedis, type Redis } from '../queue/connection.ts';
import { createPipelineQueues, type PipelineQueues } from '../queue/queues.ts';
import { loadToolRegistry, type ToolRegistry } from '../tools/registry.ts';
import { createTraceStore, type TraceStore } from '../trace/store.ts';
import { createActionStore, type ActionStore } from './action-store.ts';
import type { BudgetPort } from './budget-port.ts';

export interface Runtime {
  config: AirlockConfig;
  logger: Logger;
  redis: Redis;
  store: ActionStore;
  traces: TraceStore;
  queues: PipelineQueues;
  tools: ToolRegistry;
  policy: PolicyHolder;
  /** The budget service, or null when it could not be configured (then `budgetPort` refuses everything: fail closed). */
  budget: BudgetService | null;
  budgetPort: BudgetPort;
  clock: () => number;
  close(): Promise<void>;
}

export function createLogger(config: AirlockConfig, proc: string): Logger {
  return pino({ level: config.logLevel, base: { proc, pid: process.pid } });
}

/** Budget state cannot be known: every operation fails, so the decide step denies and nothing executes. */
function unavailableBudget(reason: string): BudgetPort {
  const fail = async (): Promise<never> => {
    throw new Error(reason);
  };
  return { scopesFor: () => [], snapshot: fail, reserve: fail, settle: fail, release: fail, recordAttempt: fail, renewLease: fail };
}

export async function createRuntime(config: AirlockConfig, proc: string, opts: { loadPolicy: boolean }): Promise<Runtime> {
  if (!config.redisUrl) throw new Error('AIRLOCK_REDIS_URL is not set (only `airlock up` starts a local redis-server)');
  const logger = createLogger(config, proc);
  collectProcessMetrics();
  const clock = Date.now;
  const tools = loadToolRegistry(config.toolsFile);
  const redis = connectRedis(config.redisUrl, `airlock-${proc}`);
  redis.on('error', (e: Error) => logger.warn({ err: e.message }, 'redis connection error'));
  const store = createActionStore(redis, config.prefix);
  const queues = createPipelineQueues(redis, config.prefix, clock);
  const policy = createPolicyHolder({ load: () => loadPolicyArtifact(config.policyDir), logger, clock });
  let stopWatch = () => undefined as void;
  if (opts.loadPolicy) {
    await policy.reload().catch(() => undefined); // logged; status and /readyz show it; decisions fail closed meanwhile
    if (config.policyWatch) stopWatch = policy.watch(config.policyDir);
  }

  let budget: BudgetService | null = null;
  let budgetPort: BudgetPort = unavailableBudget('budget not configured: no policy data loaded');
  if (opts.loadPolicy && policy.status().loaded) {
    try {
      budget = createBudgetService({ redis, prefix: `${config.prefix}:`, clock, config: budgetConfigFromPolicyData(policy.data), metrics: promBudgetMetrics });
      budgetPort = budget;
    } catch (e) {
      logger.error({ err: (e as Error).message }, 'budget configuration invalid; every action is denied (fail closed)');
      budgetPort = unavailableBudget(`budget configuration invalid: ${(e as Error).message}`);
    }
  }

  return {
    config, logger, redis, store, traces: createTraceStore(redis, config.prefix), queues, tools, policy, budget, budgetPort, clock,
    async close() {
      stopWatch();
      await queues.close().catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}
