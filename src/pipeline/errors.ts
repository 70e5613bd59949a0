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

/** State the pipeline cannot read (Redis down, budget unknown): callers fail closed. */
export class StateUnavailableError extends Error {
  readonly code = 'state_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'StateUnavailableError';
  }
}
