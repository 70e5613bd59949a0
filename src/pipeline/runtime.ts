// Assembles one process's pipeline from the configuration: Redis, stores, queues, tools, policy engine and budget service.
import pino, { type Logger } from 'pino';
import { budgetConfigFromPolicyData, createBudgetService, type BudgetService } from '../budget/index.ts';
import { promBudgetMetrics } from '../metrics/budget-metrics.ts';
import { promPolicyMetrics } from '../metrics/policy-metrics.ts';
import { ConfigError, type AirlockConfig } from '../config/index.ts';
import { collectProcessMetrics, countRedisConnectionErrors, toolRegistryReloadsTotal } from '../metrics/registry.ts';
import { createPolicyHolder, type PolicyHolder } from '../policy/engine.ts';
import { loadPolicyArtifact } from '../policy/source.ts';
import { closeConnection, connectRedis, logConnectionErrors, throttledErrorLog, type Redis } from '../queue/connection.ts';
import { createPipelineQueues, type PipelineQueues } from '../queue/queues.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import { createReloadingToolRegistry } from '../tools/reloading-registry.ts';
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
  /** The budget service configured from the active policy data; every call throws while that data is missing or invalid (fail closed). */
  budget: BudgetService;
  budgetPort: BudgetPort;
  clock: () => number;
  close(): Promise<void>;
}

export function createLogger(config: AirlockConfig, proc: string): Logger {
  return pino({ level: config.logLevel, base: { proc, pid: process.pid } });
}

/** BudgetService methods that answer at once (no Redis): forwarded as plain calls, not as promises. */
const SYNCHRONOUS_BUDGET_METHODS: ReadonlySet<PropertyKey> = new Set<keyof BudgetService>(['scopesFor', 'unsettled', 'held', 'expectsGrant']);

/**
 * The budget caps and breaker settings live in the policy data, so the budget service follows the active policy revision:
 * rebuilt when the revision changes, and failing every call while no (valid) data is loaded — the decide step then denies.
 */
function policyBackedBudget(policy: PolicyHolder, build: (data: unknown) => BudgetService, logger: Logger): BudgetService {
  let revision: string | null = null;
  let current: BudgetService | null = null;
  let error = 'budget not configured: no policy data loaded';
  const resolve = (): BudgetService => {
    if (policy.revision !== revision) {
      revision = policy.revision;
      current = null;
      if (revision) {
        try {
          current = build(policy.data);
        } catch (e) {
          error = `budget configuration invalid: ${(e as Error).message}`;
          logger.error({ revision, err: error }, 'budget configuration invalid; every action is denied (fail closed)');
        }
      }
    }
    if (!current) throw new Error(error);
    return current;
  };
  // One forwarding function per method, made on first use (not a new closure on every call of the hot path).
  const forwarders = new Map<PropertyKey, unknown>();
  const forwarder = (prop: PropertyKey): unknown => {
    // The synchronous ones throw while unconfigured (or for ids no scope can hold); the caller then fails closed.
    if (SYNCHRONOUS_BUDGET_METHODS.has(prop)) {
      return (...args: unknown[]) => (resolve()[prop as keyof BudgetService] as (...a: unknown[]) => unknown)(...args);
    }
    return (...args: unknown[]) => {
      let svc: BudgetService;
      try {
        svc = resolve();
      } catch (e) {
        return Promise.reject(e);
      }
      const fn = svc[prop as keyof BudgetService] as unknown as (...a: unknown[]) => unknown;
      return fn.apply(svc, args);
    };
  };
  return new Proxy({} as BudgetService, {
    get(_target, prop) {
      if (prop === 'then') return undefined; // not a thenable
      let f = forwarders.get(prop);
      if (f === undefined) forwarders.set(prop, (f = forwarder(prop)));
      return f;
    },
  });
}

export async function createRuntime(config: AirlockConfig, proc: string, opts: { loadPolicy: boolean }): Promise<Runtime> {
  if (!config.redisUrl) throw new ConfigError('AIRLOCK_REDIS_URL is not set (only `airlock up` starts a local redis-server)', ['AIRLOCK_REDIS_URL']);
  const logger = createLogger(config, proc);
  collectProcessMetrics();
  const clock = Date.now;
  const tools = createReloadingToolRegistry(config.toolsFile, logger, (result) => toolRegistryReloadsTotal.inc({ result }));
  const stopToolsWatch = config.toolsWatch ? tools.watch() : () => undefined;
  const redis = connectRedis(config.redisUrl, `airlock-${proc}`);
  logConnectionErrors(redis, logger, 'commands', { count: countRedisConnectionErrors('commands') });
  const store = createActionStore(redis, config.prefix, { requeueAfterMs: config.requeueAfterSeconds * 1000 });
  // Queue producers share the store's connection: Redis runs one connection's commands in the order they were sent, so
  // a job sent right behind the state change it follows (an action's creation, its decision) runs after it, without
  // waiting for the change's reply. (ioredis copies the forty-odd scripts BullMQ defines into every pipeline() of this
  // connection; no pipeline() is on the hot path.)
  const queues = createPipelineQueues(redis, config.prefix, clock, throttledErrorLog(logger, 'queue error', {}).error);
  const policy = createPolicyHolder({ load: () => loadPolicyArtifact(config.policyDir), logger, metrics: promPolicyMetrics, clock });
  let stopWatch = () => undefined as void;
  if (opts.loadPolicy) {
    await policy.reload().catch(() => undefined); // logged; status and /readyz show it; decisions fail closed meanwhile
    if (config.policyWatch) stopWatch = policy.watch(config.policyDir);
  }

  const budget = policyBackedBudget(policy, (data) =>
    // The reservation lease covers the wait in the execute queue (a reservation reclaimed while queued would have to be made
    // again); executions renew it together with their own lease.
    createBudgetService({
      redis, prefix: `${config.prefix}:`, clock, config: budgetConfigFromPolicyData(data), metrics: promBudgetMetrics, leaseMs: config.budgetLeaseSeconds * 1000,
    }), logger);

  return {
    config, logger, redis, store, traces: createTraceStore(redis, config.prefix), queues, tools, policy, budget, budgetPort: budget, clock,
    async close() {
      stopWatch();
      stopToolsWatch();
      await queues.close().catch(() => undefined);
      await closeConnection(redis);
    },
  };
}
