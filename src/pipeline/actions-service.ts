// The agent-facing operations: submit an action (idempotently), read it, wait for it, and check a call without queueing it.
import type { ActionRecord, NewAction } from './action.ts';
import { newId } from './ids.ts';
import type { ActionStore } from './action-store.ts';
import { ActionNotFoundError, IdempotencyConflictError } from './errors.ts';
import { evaluateAction, type EvaluateDeps } from './evaluate-action.ts';
import type { FinalWaiter, FinalWatch } from './final-waiter.ts';
import type { PolicyDecision } from '../policy/decision.ts';
import { actionFacts, type ActionFacts } from './action-facts.ts';

export interface ActionsServiceDeps extends EvaluateDeps {
  store: ActionStore;
  /** `facts` let the decide worker read state while it claims the action. */
  enqueueDecide(actionId: string, facts?: ActionFacts): Promise<void>;
  waiter: FinalWaiter;
}

export interface CheckRequest {
  agentId: string; workflowId: string; tool: string; args: Record<string, unknown>;
  estimate: NewAction['estimate']; context: Record<string, unknown>;
}

export interface ActionsService {
  submit(action: NewAction): Promise<{ action: ActionRecord; created: boolean }>;
  /** Submits, then long-polls up to `waitMs` for a final state (the action as it is then). */
  submitAndWait(action: NewAction, waitMs: number): Promise<{ action: ActionRecord; created: boolean }>;
  /** `owner` set = the caller may only see actions it submitted (agent role). */
  get(id: string, owner: string | null): Promise<ActionRecord>;
  waitForFinal(id: string, owner: string | null, timeoutMs: number): Promise<ActionRecord>;
  check(req: CheckRequest): Promise<PolicyDecision & { checkId: string }>;
}

export function createActionsService(deps: ActionsServiceDeps): ActionsService {
  async function visible(id: string, owner: string | null): Promise<ActionRecord> {
    const a = await deps.store.get(id);
    // An agent asking for someone else's action gets the same answer as for a missing one: no existence oracle.
    if (!a || (owner !== null && a.owner !== owner)) throw new ActionNotFoundError(id);
    return a;
  }
  const enqueue = (a: ActionRecord) => deps.enqueueDecide(a.id, actionFacts(a));
  /**
   * Creates the action and enqueues it when it is new (the enqueue goes out right behind the create; see store.create).
   * A resubmission answers only to the caller that made the action (the key is per agent id, tokens may share one); one
   * of an action still queued re-enqueues it (job id = action id, so never twice): covers a crash between create and enqueue.
   */
  async function create(action: NewAction, whenNew: (a: ActionRecord) => Promise<void>): Promise<{ action: ActionRecord; created: boolean }> {
    const out = await deps.store.create(action, new Date(deps.clock()), whenNew);
    if (out.created) return out;
    if ((action.owner ?? null) !== out.action.owner) throw new IdempotencyConflictError(action.idempotencyKey ?? '');
    if (out.action.status === 'queued') await enqueue(out.action);
    return out;
  }
  return {
    submit: (action) => create(action, enqueue),
    async submitAndWait(action, waitMs) {
      let watch: FinalWatch | null = null;
      const out = await create(action, (a) => {
        // A new action cannot become final before it is enqueued: listening first makes a read after enqueueing unnecessary.
        watch = deps.waiter.watch(a.id);
        return enqueue(a);
      }).catch((e: unknown) => {
        (watch as FinalWatch | null)?.cancel();
        throw e;
      });
      if (!out.created) return { action: (await deps.waiter.waitForFinal(out.action.id, waitMs)) ?? out.action, created: false };
      return { action: (await watch!.wait(waitMs)) ?? out.action, created: true };
    },
    get: visible,
    async waitForFinal(id, owner, timeoutMs) {
      await visible(id, owner);
      const a = await deps.waiter.waitForFinal(id, timeoutMs);
      if (!a) throw new ActionNotFoundError(id);
      return a;
    },
    async check(req) {
      const checkId = newId('chk', 6);
      const { decision } = await evaluateAction(deps, { id: checkId, ...req, submittedAt: new Date(deps.clock()).toISOString() });
      return { ...decision, checkId };
    },
  };
}
