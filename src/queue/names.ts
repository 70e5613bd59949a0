// BullMQ queue names and job shapes of the pipeline.
export const QUEUES = { decide: 'decide', execute: 'execute' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Every job carries only the action id: the action store is the source of truth, jobs are wake-up calls. */
export interface ActionJob { actionId: string }

/** BullMQ's own key prefix for a given Airlock prefix (queues live beside the action keys). */
export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}
