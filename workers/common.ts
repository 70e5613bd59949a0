// Shared wiring of the worker entry points: BullMQ Workers over one pipeline queue with the configured lock and stall settings.
import { Worker, type Processor } from 'bullmq';
import type { ActionJob, QueueName } from '../src/queue/names.ts';
import { bullPrefix } from '../src/queue/names.ts';
import { closeConnection, connectBlockingRedis, logConnectionErrors, throttledErrorLog } from '../src/queue/connection.ts';
import type { Runtime } from '../src/pipeline/runtime.ts';
import { ActionNotReadyError } from '../src/pipeline/errors.ts';
import { countRedisConnectionErrors } from '../src/metrics/registry.ts';

export interface RunningWorker {
  /** Stops taking jobs, waits for in-flight ones, disconnects. */
  close(): Promise<void>;
}

/**
 * `AIRLOCK_FETCH_LOOPS` BullMQ Workers share the queue's `concurrency` (each takes its share) and one connection for
 * their commands; each has its own blocking connection. A BullMQ Worker fetches one job per round trip, one after the
 * other, so under load jobs wait in the queue while a single fetch loop is in flight; a second loop halves that wait.
 */
export function startQueueWorker(rt: Runtime, queue: QueueName, concurrency: number, process: (job: ActionJob) => Promise<void>): RunningWorker {
  const connection = connectBlockingRedis(rt.config.redisUrl!, `airlock-${queue}-worker`);
  logConnectionErrors(connection, rt.logger, `${queue} worker`, { count: countRedisConnectionErrors(`${queue} worker`) });
  let inFlight = 0; // jobs whose step is running in this process
  const processor: Processor<ActionJob> = async (job) => {
    inFlight++;
    try {
      return await process(job.data);
    } finally {
      inFlight--;
    }
  };
  const loops = Math.min(rt.config.fetchLoops, concurrency);
  const newWorker = (share: number) => new Worker<ActionJob>(queue, processor, {
    connection,
    prefix: bullPrefix(rt.config.prefix),
    concurrency: share,
    lockDuration: rt.config.jobLockMs,
    stalledInterval: Math.max(250, Math.floor(rt.config.jobLockMs / 2)),
    // A crashed worker's job comes back several times before BullMQ gives up; the lease reaper covers the rest.
    maxStalledCount: 10,
  });
  // The shares add up to `concurrency`: loop i takes floor((concurrency + i) / loops).
  const workers = Array.from({ length: loops }, (_, i) => newWorker(Math.floor((concurrency + i) / loops)));
  // BullMQ reports every failed fetch while Redis is unreachable (its own blocking connection included): throttled too.
  const workerErrors = throttledErrorLog(rt.logger, 'worker error', { queue });
  for (const worker of workers) {
    worker.on('failed', (job, err) => {
      // An execute job that went out with an approval Redis then refused (a race at the budget cap) is retried once or
      // twice until it finds the action's final status: expected, not an error.
      const notReady = err instanceof ActionNotReadyError;
      rt.logger[notReady ? 'info' : 'error']({ actionId: job?.data.actionId, queue, err: err.message }, notReady ? 'job retried: action not ready' : 'job failed');
    });
    worker.on('error', (err) => workerErrors.error(err));
  }
  rt.logger.info({ queue, concurrency, fetchLoops: loops }, 'worker started');
  return {
    async close() {
      if (connection.status === 'ready') {
        await Promise.all(workers.map((w) => w.close()));
        await closeConnection(connection);
        return;
      }
      // Redis is away: BullMQ's graceful close would wait for it (its fetch loop and bookkeeping need it), until the
      // process's grace period ran out. Let the steps running here finish, then close without waiting for Redis; their
      // jobs come back to a worker through BullMQ's stalled-job check and the lease reaper.
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
      await Promise.all(workers.map((w) => w.close(true)));
      await closeConnection(connection);
    },
  };
}
