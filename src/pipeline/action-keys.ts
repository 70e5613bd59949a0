// The Redis key layout of recorded actions: written by the action store, read by the recorded-action readers and retention.

export interface ActionKeys {
  /** The action hash. */
  action(id: string): string;
  /** Idempotency key of one agent (the agent id is length-prefixed so that no agent id and key can collide). */
  idem(agentId: string, key: string): string;
  /** Every action by submission time (zset, score = submitted ms): what export, replay and retention list a window from. */
  readonly submitted: string;
  readonly reviews: string;
  /**
   * Leases (zset, score = deadline ms) of actions waiting for a worker (queued, deciding, approved) or being executed;
   * the lease reaper hands an action whose deadline passed back to its queue. (The key's name predates the waiting states.)
   */
  readonly leases: string;
  history(workflowId: string): string;
}

export function actionKeys(prefix: string): ActionKeys {
  return {
    action: (id) => `${prefix}:action:${id}`,
    idem: (agentId, key) => `${prefix}:idem:${agentId.length}:${agentId}:${key}`,
    submitted: `${prefix}:actions:submitted`,
    reviews: `${prefix}:reviews:pending`,
    leases: `${prefix}:executing:leases`,
    history: (wf) => `${prefix}:history:${wf}`,
  };
}
