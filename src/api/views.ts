// Wire shapes of API responses built from domain records (one place, so every route shows an action the same way).
import type { ActionRecord } from '../pipeline/action.ts';

export function actionView(a: ActionRecord) {
  return {
    id: a.id,
    status: a.status,
    agentId: a.agentId,
    workflowId: a.workflowId,
    tool: a.tool,
    args: a.args,
    estimate: a.estimate,
    context: a.context,
    idempotencyKey: a.idempotencyKey,
    decision: a.decision
      ? { outcome: a.decision.outcome, reasons: a.decision.reasons, policyRevision: a.decision.policyRevision, maxTokens: a.decision.maxTokens, costCeilingUsd: a.decision.costCeilingUsd }
      : null,
    review: a.review,
    result: a.result,
    error: a.error,
    attempts: a.attempts,
    costUsd: a.costUsd,
    timestamps: { submittedAt: a.submittedAt, decidedAt: a.decision?.decidedAt ?? null, startedAt: a.startedAt, finishedAt: a.finishedAt, updatedAt: a.updatedAt },
  };
}
