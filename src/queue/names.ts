// BullMQ queue names and job shapes of the pipeline.
export const QUEUES = { decide: 'decide', execute: 'execute' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Every job carries the action id: the action store is the source of truth, jobs are wake-up calls. A decide job may also
 * carry facts the action was created with, which never change: with them the decide worker reads budget state and
 * history while it claims the action, and it checks them against the claimed record before it uses what it read.
 */
export interface ActionJob { actionId: string; facts?: ActionFacts }

/** Immutable facts of an action that select the state its decision reads. */
export interface ActionFacts {
  agentId: string;
  workflowId: string;
  tool: string;
  /** sha256 of the canonical JSON of the arguments (the breakers' loop key). */
  argsHash: string;
  estimate: { costUsd?: number; tokens?: number };
}

/** BullMQ's own key prefix for a given Airlock prefix (queues live beside the action keys). */
export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}

/** The facts of a job as read back from Redis, or undefined when absent or not of this shape (the worker then reads them from the record). */
export function factsOf(job: ActionJob): ActionFacts | undefined {
  const f = job.facts as Partial<ActionFacts> | undefined;
  if (!f || typeof f !== 'object') return undefined;
  const e = f.estimate as Record<string, unknown> | undefined;
  const optionalNumber = (v: unknown) => v === undefined || typeof v === 'number';
  const ok = typeof f.agentId === 'string' && typeof f.workflowId === 'string' && typeof f.tool === 'string' && typeof f.argsHash === 'string'
    && !!e && typeof e === 'object' && optionalNumber(e.costUsd) && optionalNumber(e.tokens);
  return ok ? (f as ActionFacts) : undefined;
}
