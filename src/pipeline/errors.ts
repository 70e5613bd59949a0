// Typed errors of the pipeline's domain operations; src/api/errors.ts maps them to HTTP.
export class ActionNotFoundError extends Error {
  readonly code = 'action_not_found';
  constructor(readonly actionId: string) {
    super(`no action ${actionId}`);
    this.name = 'ActionNotFoundError';
  }
}

export class ReviewNotFoundError extends Error {
  readonly code = 'review_not_found';
  constructor(readonly actionId: string) {
    super(`no review item ${actionId}`);
    this.name = 'ReviewNotFoundError';
  }
}

/** The item was already decided (or is not waiting for review): the second decision loses. */
export class ReviewConflictError extends Error {
  readonly code = 'review_conflict';
  constructor(readonly actionId: string, readonly status: string | null) {
    super(`action ${actionId} is ${status ?? 'gone'}, not pending_review`);
    this.name = 'ReviewConflictError';
  }
}

/**
 * The idempotency key was first used by another token for the same agent id: the existing
 * action is not shown (it is not this caller's), and no second action is created.
 */
export class IdempotencyConflictError extends Error {
  readonly code = 'idempotency_key_conflict';
  constructor(readonly idempotencyKey: string) {
    super(`idempotency key ${JSON.stringify(idempotencyKey)} is already used by another caller for this agent`);
    this.name = 'IdempotencyConflictError';
  }
}

/** State the pipeline cannot read (Redis down, budget unknown): callers fail closed. */
export class StateUnavailableError extends Error {
  readonly code = 'state_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'StateUnavailableError';
  }
}
