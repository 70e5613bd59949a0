// The action record: what an agent submitted, where it is in the pipeline, and what happened to it.
import type { AttemptRecord } from '../trace/events.ts';

export const ACTION_STATUSES = ['queued', 'deciding', 'pending_review', 'approved', 'executing', 'succeeded', 'failed', 'denied', 'expired'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<ActionStatus> = new Set(['succeeded', 'failed', 'denied', 'expired']);
export const isFinal = (s: ActionStatus): boolean => FINAL_STATUSES.has(s);

export type Outcome = 'allow' | 'deny' | 'review';

/** The decision as stored on the action: the policy's outcome and reasons plus what produced it. */
export interface StoredDecision {
  outcome: Outcome;
  reasons: string[];
  policyRevision: string | null;
  maxTokens: number | null;
  costCeilingUsd: number | null;
  onBudgetExceeded: 'deny' | 'review';
  decidedAt: string;
}

export interface ActionError { code: string; message: string; details?: unknown }

export interface ReviewInfo {
  parkedAt: string;
  deadline: string;
  decidedBy: string | null;
  decision: 'approved' | 'rejected' | 'expired' | null;
  comment: string | null;
  decidedAt: string | null;
}

export interface Estimate { costUsd?: number; tokens?: number }

export interface ActionRecord {
  id: string;
  agentId: string;
  workflowId: string;
  tool: string;
  args: Record<string, unknown>;
  /** sha256 of the canonical JSON of `args` (see policy/canonical-json.ts), computed once when the action is created. */
  argsHash: string;
  estimate: Estimate;
  context: Record<string, unknown>;
  idempotencyKey: string | null;
  status: ActionStatus;
  submittedAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  decision: StoredDecision | null;
  review: ReviewInfo | null;
  result: unknown;
  error: ActionError | null;
  attempts: AttemptRecord[];
  costUsd: number | null;
  /** Budget scopes the action was reserved against (set by the decide step). */
  budgetScopes: string[];
  /** Fingerprint of the API token that submitted it: agents read only their own actions. */
  owner: string | null;
  /** How many execution runs started (a crashed run is resumed by the next). */
  executionRuns?: number;
}

/** What a submission carries: the record's own fields before anything happened to it. */
export type NewAction = Pick<ActionRecord, 'agentId' | 'workflowId' | 'tool' | 'args' | 'estimate' | 'context' | 'idempotencyKey'>
  & { owner?: string | null };
