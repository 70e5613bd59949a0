// Periodically reclaims reservations whose lease ran out (dead workers) and refreshes the budget gauges.
import type { Logger } from 'pino';
import type { BudgetService } from './index.ts';

export interface BudgetSweeper {
  /** Runs one pass now (also what the timer calls); returns reservations reclaimed. */
  sweepOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startBudgetSweeper(opts: { budget: BudgetService; intervalMs: number; logger?: Logger; refreshMetrics?: boolean }): BudgetSweeper {
  const { budget, intervalMs, logger } = opts;
  let running: Promise<number> | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
    let total = 0;
    // Drain in batches so a backlog after an outage is cleared in one pass.
    for (;;) {
      const n = await budget.sweepExpired(200);
      total += n;
      if (n < 200) break;
    }
    if (total > 0) logger?.info({ reclaimed: total }, 'budget sweeper reclaimed expired reservations');
    if (opts.refreshMetrics !== false) await budget.refreshMetrics();
    return total;
  }

  function sweepOnce(): Promise<number> {
    if (!running) running = pass().finally(() => { running = null; });
    return running;
  }

  const timer = setInterval(() => {
    if (stopped) return;
    sweepOnce().catch((err: unknown) => logger?.error({ err }, 'budget sweeper pass failed'));
  }, intervalMs);
  timer.unref();

  return {
    sweepOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}
