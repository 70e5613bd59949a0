// The events of an action's trace: one per state change, appended atomically with the change itself.

/** Every event names its type and carries `at` (ISO time); `from` (the previous status) is added by the store when appended. */
export type TraceEvent =
  | { type: 'submitted'; at: string; to: 'queued'; action: SubmittedSnapshot }
  | { type: 'deciding'; at: string; to: 'deciding' }
  | { type: 'decided'; at: string; to: string; outcome: 'allow' | 'deny' | 'review'; reasons: string[]; policyRevision: string | null;
      input: unknown; failClosed: string | null; budget: BudgetStep | null; reviewDeadline: string | null; durationMs: number; policyEvalMs: number }
  | { type: 'review_approved'; at: string; to: string; by: string; comment: string | null; budget: BudgetStep | null }
  | { type: 'review_rejected'; at: string; to: 'denied'; by: string; comment: string | null }
  | { type: 'review_expired'; at: string; to: 'expired' }
  | { type: 'execution_started'; at: string; to: 'executing'; run: number }
  | { type: 'attempt'; at: string; to: 'executing'; attempt: AttemptRecord }
  | { type: 'args_invalid'; at: string; to: 'failed'; errors: ArgError[] }
  | { type: 'succeeded'; at: string; to: 'succeeded'; result: unknown; costUsd: number | null; attempts: number; durationMs: number; note?: string }
  | { type: 'failed'; at: string; to: 'failed'; error: { code: string; message: string }; attempts: number }
  | { type: 'budget_refused'; at: string; to: 'denied'; budget: BudgetStep };

export interface SubmittedSnapshot {
  agentId: string; workflowId: string; tool: string; args: unknown;
  estimate: { costUsd?: number; tokens?: number }; idempotencyKey: string | null;
}

/** What the budget step did at a decision or approval: reservation made or refused, and why. */
export interface BudgetStep {
  scopes: string[];
  reservedUsd: number;
  reservedTokens: number;
  ok: boolean;
  refusedScope?: string;
  refusedReason?: string;
  error?: string;
}

export interface AttemptRecord {
  n: number;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  /** Transient failures are retried; permanent ones end the action. */
  errorKind?: 'network' | 'timeout' | 'http_5xx' | 'http_429' | 'http_4xx' | 'tool_error' | 'bad_response';
  status?: number;
  message?: string;
}

export interface ArgError { path: string; message: string }

export type StoredTraceEvent = TraceEvent & { from: string };
