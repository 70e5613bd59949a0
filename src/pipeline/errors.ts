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

/**
 * A job found its action not yet in the status it follows from (an execute job before the decision is stored). Jobs are
 * sent right behind the state change they follow, so this happens when that change was refused (an approval sent
 * behind a reservation that a race at the budget cap refused: the decision recorded next is not an approval) or when
 * Redis ran them out of order (a script sent again after NOSCRIPT): the job throws and BullMQ retries it with backoff.
 */
export class ActionNotReadyError extends Error {
  readonly code = 'action_not_ready';
  constructor(readonly actionId: string, readonly status: string) {
    super(`action ${actionId} is still ${status}; the job is retried`);
    this.name = 'ActionNotReadyError';
  }
}
