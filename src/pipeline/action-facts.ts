// The facts a decide job carries (see ActionJob in src/queue/names.ts): what the action was created with, never changed.
import type { ActionFacts } from '../queue/names.ts';
import type { ActionRecord } from './action.ts';

export type { ActionFacts };

export function actionFacts(a: Pick<ActionRecord, 'agentId' | 'workflowId' | 'tool' | 'argsHash' | 'estimate'>): ActionFacts {
  return { agentId: a.agentId, workflowId: a.workflowId, tool: a.tool, argsHash: a.argsHash, estimate: a.estimate };
}

export function sameFacts(a: ActionFacts, b: ActionFacts): boolean {
  return a.agentId === b.agentId && a.workflowId === b.workflowId && a.tool === b.tool && a.argsHash === b.argsHash
    && a.estimate.costUsd === b.estimate.costUsd && a.estimate.tokens === b.estimate.tokens;
}
