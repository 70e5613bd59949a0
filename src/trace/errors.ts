// Typed errors of trace reading, replay and export; src/api/routes/trace.ts and the CLI turn them into answers.
export class NoRecordedDecisionError extends Error {
  readonly code = 'no_recorded_decision';
  constructor(readonly actionId: string, readonly status: string) {
    super(`action ${actionId} has no recorded decision yet (status ${status}); nothing to replay`);
    this.name = 'NoRecordedDecisionError';
  }
}

export class TimeSpecError extends Error {
  readonly code = 'invalid_time';
  constructor(readonly spec: string) {
    super(`not a time: "${spec}" (use a duration back from now such as 90s, 15m, 24h, 7d, or an ISO-8601 timestamp)`);
    this.name = 'TimeSpecError';
  }
}
