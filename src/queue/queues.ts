// Producer side of the pipeline queues: enqueue an action for deciding or executing, idempotently (jobId = action id).
import { Queue, type JobState } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix, QUEUES, type ActionFacts, type ActionJob, type QueueName } from './names.ts';

export interface PipelineQueues {
  /** `facts` (optional) let the decide worker read state while it claims the action (see ActionJob). */
  enqueueDecide(actionId: string, facts?: ActionFacts): Promise<void>;
  enqueueExecute(actionId: string): Promise<void>;
  /** Age of the oldest waiting job per queue, 0 when none waits (for metrics). */
  oldestWaitingAge(): Promise<Array<{ queue: QueueName; seconds: number }>>;
  /** BullMQ's job counts in the given states, per queue (for metrics). */
  jobCounts<S extends JobState>(states: readonly S[]): Promise<Array<{ queue: QueueName; counts: Partial<Record<S, number>> }>>;
  close(): Promise<void>;
}

// A job that throws (e.g. Redis briefly unreachable mid-step) is retried with backoff: the steps resume a claimed
// action, so a retry finishes it instead of leaving it `deciding` or `approved` for good.
const jobOptions = { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 200 } } as const;

/**
 * `onError` receives the queues' own error events (their connection failing, mostly). Without it BullMQ prints each one
 * to the console, once per reconnect attempt.
 */
export function createPipelineQueues(connection: Redis, prefix: string, clock: () => number = Date.now, onError?: (e: Error) => void): PipelineQueues {
  const decide = new Queue<ActionJob>(QUEUES.decide, { connection, prefix: bullPrefix(prefix) });
  const execute = new Queue<ActionJob>(QUEUES.execute, { connection, prefix: bullPrefix(prefix) });
  if (onError) {
    decide.on('error', onError);
    execute.on('error', onError);
  }
  const named: Array<[QueueName, Queue<ActionJob>]> = [[QUEUES.decide, decide], [QUEUES.execute, execute]];
  return {
    async enqueueDecide(actionId, facts) {
      await decide.add('decide', facts ? { actionId, facts } : { actionId }, { ...jobOptions, jobId: actionId });
    },
    async enqueueExecute(actionId) {
      await execute.add('execute', { actionId }, { ...jobOptions, jobId: actionId });
    },
    oldestWaitingAge() {
      return Promise.all(named.map(async ([queue, q]) => {
        const oldest = (await q.getJobs(['waiting'], 0, 0, true))[0];
        return { queue, seconds: oldest ? Math.max(0, (clock() - oldest.timestamp) / 1000) : 0 };
      }));
    },
    jobCounts(states) {
      return Promise.all(named.map(async ([queue, q]) => ({
        queue, counts: (await q.getJobCounts(...states)) as Partial<Record<(typeof states)[number], number>>,
      })));
    },
    async close() {
      await Promise.all([decide.close(), execute.close()]);
    },
  };
}
