// Gauges sampled right before a scrape (Redis reachability, BullMQ jobs per queue and state, queue depth and age, budget
// totals), each bounded in time. Queue names arrive as label values: this module imports nothing from the rest of Airlock.
import { queueDepth, queueJobs, queueOldestAge, redisUp } from './registry.ts';

export const QUEUE_STATES = ['waiting', 'delayed', 'prioritized', 'active', 'failed'] as const;

export interface GaugeSamplerDeps {
  /** Resolves when Redis answers. */
  pingRedis(): Promise<unknown>;
  /** Job counts per queue and state; omitted in processes that should not report queues (avoids double counting). */
  jobCounts?(): Promise<Array<{ queue: string; counts: Partial<Record<(typeof QUEUE_STATES)[number], number>> }>>;
  /** Age of the oldest waiting job per queue (0 when none waits); read with `jobCounts`, which also gives the depth. */
  oldestWaitingAge?(): Promise<Array<{ queue: string; seconds: number }>>;
  /** Refreshes the budget gauges (BudgetService.refreshMetrics). */
  refreshBudget?(): Promise<void>;
  /** Upper bound for each probe: a scrape must never hang on a dead Redis. */
  timeoutMs?: number;
}

export type GaugeSampler = () => Promise<void>;

/** Never throws: a failed probe leaves its gauge as it was, except Redis reachability which drops to 0. */
export function createGaugeSampler(deps: GaugeSamplerDeps): GaugeSampler {
  const timeoutMs = deps.timeoutMs ?? 1000;
  return async () => {
    const up = await withTimeout(deps.pingRedis(), timeoutMs).then(() => true, () => false);
    redisUp.set(up ? 1 : 0);
    if (!up) return; // the other probes need Redis too; do not make the scrape wait for them
    const tasks: Array<Promise<unknown>> = [];
    if (deps.jobCounts) {
      tasks.push(withTimeout(deps.jobCounts(), timeoutMs).then((rows) => {
        for (const row of rows) {
          for (const state of QUEUE_STATES) queueJobs.set({ queue: row.queue, state }, row.counts[state] ?? 0);
          // Depth: jobs not yet taken by a worker (the same counts, not a second read).
          queueDepth.set({ queue: row.queue }, (row.counts.waiting ?? 0) + (row.counts.delayed ?? 0) + (row.counts.prioritized ?? 0));
        }
      }));
      if (deps.oldestWaitingAge) {
        tasks.push(withTimeout(deps.oldestWaitingAge(), timeoutMs).then((rows) => {
          for (const row of rows) queueOldestAge.set({ queue: row.queue }, row.seconds);
        }));
      }
    }
    if (deps.refreshBudget) tasks.push(withTimeout(deps.refreshBudget(), timeoutMs));
    await Promise.allSettled(tasks);
  };
}

/** Rejects when `p` has not settled within `ms` (a scrape must never hang on a slow Redis). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`probe timed out after ${ms} ms`)), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    }, (e: unknown) => {
      clearTimeout(t);
      reject(e);
    });
  });
}
