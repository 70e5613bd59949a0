// The policy engine: holds the active compiled policy, evaluates `airlock/decision` failing closed, and swaps in reloads atomically.
import type { Logger } from 'pino';
import { errorText, loadCompiledPolicy, type CompiledPolicy, type PolicyArtifact } from './compiled-policy.ts';
import { DECISION_ENTRYPOINT, failClosed, readDecision, type PolicyDecision } from './decision.ts';
import { PolicyLoadError } from './errors.ts';
import type { PolicyMetrics } from './metrics.ts';
import { watchChanges } from './watch-changes.ts';

/** What the decide step needs from a policy: a decision for an input, and the data the input builder reads (agents). */
export interface PolicyEngine {
  /** Never throws: no policy, an evaluation error or a malformed decision is a deny with `failClosed` set. `inputJson` = `input` serialized, when the caller has it. */
  evaluate(input: unknown, inputJson?: string): PolicyDecision;
  readonly revision: string | null;
  /** The policy data document (data.json) of the active revision; {} when none. */
  readonly data: unknown;
}

export interface PolicyStatus {
  loaded: boolean;
  revision: string | null;
  source: string | null;
  loadedAt: string | null;
  /** The last (re)load failure while an older revision (or nothing) keeps serving; cleared by the next success. */
  lastError: { code: string; message: string; details: string[]; at: string } | null;
}

export interface PolicyHolder extends PolicyEngine {
  /** Loads a new artifact and swaps it in; on failure keeps the previous policy, records the error and rethrows it. */
  reload(): Promise<void>;
  status(): PolicyStatus;
  /** Reloads whenever a file under `dir` changes (debounced); returns a stop function. */
  watch(dir: string, debounceMs?: number): () => void;
}

export function createPolicyHolder(deps: { load: () => Promise<PolicyArtifact>; logger: Logger; metrics: PolicyMetrics; clock?: () => number }): PolicyHolder {
  const clock = deps.clock ?? Date.now;
  const metrics = deps.metrics;
  let active: CompiledPolicy | null = null;
  let loadedAt: string | null = null;
  let lastError: PolicyStatus['lastError'] = null;
  let reloading: Promise<void> | null = null;
  let again = false;

  async function reloadOnce(): Promise<void> {
    try {
      const artifact = await deps.load();
      const next = await loadCompiledPolicy(artifact);
      // Smoke-evaluate before swapping: a module that cannot evaluate the entrypoint at all must not replace a working one.
      next.evaluate({}, DECISION_ENTRYPOINT);
      const previous = active;
      active = next; // the swap: a single reference assignment, evaluations see either the old or the new policy
      loadedAt = new Date(clock()).toISOString();
      lastError = null;
      metrics.loaded(next.revision, previous?.revision ?? null);
      deps.logger.info({ revision: next.revision, source: next.source, previous: previous?.revision ?? null }, 'policy loaded');
    } catch (e) {
      const err = e instanceof PolicyLoadError ? e : new PolicyLoadError('policy_load_failed', errorText(e));
      lastError = { code: err.code, message: err.message, details: err.details, at: new Date(clock()).toISOString() };
      metrics.loadFailed();
      deps.logger.error({ code: err.code, details: err.details.slice(0, 20), keeping: active?.revision ?? null }, err.message);
      throw err;
    }
  }

  const holder: PolicyHolder = {
    get revision() {
      return active?.revision ?? null;
    },
    get data() {
      return active?.data ?? {};
    },
    evaluate(input, inputJson) {
      const policy = active;
      if (!policy) {
        metrics.failedClosed('no_policy');
        return failClosed('no_policy', 'no policy loaded (fail closed)', null);
      }
      const t0 = performance.now();
      let resultSet: unknown;
      try {
        resultSet = policy.evaluate(input, DECISION_ENTRYPOINT, inputJson);
      } catch (e) {
        const ms = performance.now() - t0;
        metrics.evaluated(ms / 1000);
        metrics.failedClosed('eval_error');
        return failClosed('eval_error', `policy evaluation error: ${errorText(e)} (fail closed)`, policy.revision, ms);
      }
      const ms = performance.now() - t0;
      metrics.evaluated(ms / 1000);
      const decision = readDecision(resultSet, policy.revision, ms);
      if (decision.failClosed) metrics.failedClosed(decision.failClosed);
      return decision;
    },
    async reload() {
      // Serialise reloads; a change during a reload triggers exactly one more.
      if (reloading) {
        again = true;
        return reloading;
      }
      reloading = (async () => {
        try {
          do {
            again = false;
            await reloadOnce().catch((e) => {
              if (!again) throw e;
            });
          } while (again);
        } finally {
          reloading = null;
        }
      })();
      return reloading;
    },
    status() {
      return { loaded: active !== null, revision: active?.revision ?? null, source: active?.source ?? null, loadedAt, lastError };
    },
    watch(dir, debounceMs = 250) {
      // A failed reload is already logged and recorded in status and metrics.
      return watchChanges({ path: dir, kind: 'tree' }, () => void holder.reload().catch(() => undefined), { what: 'the policy path', log: deps.logger, debounceMs });
    },
  };
  return holder;
}
