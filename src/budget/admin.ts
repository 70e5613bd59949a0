// Budget administration: list and read scopes, change caps at runtime (recorded), list and reset breakers, metric totals.
import { BudgetInputError, BudgetUnavailableError } from './errors.ts';
import { checkTokens, usdToMicros } from './money.ts';
import { SCOPE_KINDS, scopeKind, type ScopeKind } from './scopes.ts';
import { breakerView, type BudgetInternals } from './service.ts';
import type { BreakerDetail, BreakerEvent, BreakerState, CapChange, ScopeBudget } from './types.ts';

export interface BudgetAdmin {
  /** Every scope known from the policy data overrides, runtime caps or past reservations, current window period. */
  listBudgets(): Promise<ScopeBudget[]>;
  getBudget(scope: string): Promise<ScopeBudget>;
  /** Changes a scope's cap at runtime (wins over policy data); the change is recorded with who and when. */
  setCap(scope: string, cap: { capUsd?: number; capTokens?: number }, by: string): Promise<{ budget: ScopeBudget; change: CapChange }>;
  capChanges(limit?: number): Promise<CapChange[]>;
  listBreakers(): Promise<BreakerDetail[]>;
  getBreaker(scope: string): Promise<BreakerDetail>;
  /** Closes the breaker (admin/reviewer reset); recorded as an event. */
  resetBreaker(scope: string, by: string): Promise<{ scope: string; previous: BreakerState | 'closed'; state: 'closed' }>;
  breakerEvents(limit?: number): Promise<BreakerEvent[]>;
  /** Recomputes the per-kind spend/reserved/remaining and breaker-state gauges. */
  refreshMetrics(): Promise<void>;
}

const iso = (ms: string | null | undefined): string | null => (ms ? new Date(Number(ms)).toISOString() : null);

export function createBudgetAdmin(inner: BudgetInternals): BudgetAdmin {
  const { deps, keys, scripts, guard } = inner;

  async function knownScopes(): Promise<string[]> {
    const [reserved, runtime] = await guard('listing', () =>
      Promise.all([deps.redis.smembers(keys.knownScopes), deps.redis.hkeys(keys.caps)]),
    );
    const all = new Set<string>([...reserved, ...Object.keys(deps.config.budgets.overrides), ...runtime.map((f) => f.replace(/\|(usd|tokens)$/, ''))]);
    return [...all].filter((s) => { try { scopeKind(s); return true; } catch { return false; } }).sort();
  }

  async function breakerDetails(scopes: string[]): Promise<BreakerDetail[]> {
    const now = deps.clock();
    const pipe = deps.redis.pipeline();
    for (const s of scopes) pipe.hmget(keys.breaker(s), 'state', 'reason', 'openUntil', 'probe', 'kind', 'trips', 'openedAt');
    const replies = await guard('breaker listing', async () => (await pipe.exec()) ?? []);
    return scopes.map((scope, i) => {
      const [err, value] = replies[i] ?? [null, []];
      // A failed read inside the pipeline is the same unknown state as a failed connection.
      if (err) throw new BudgetUnavailableError(`breaker listing: ${err.message}`, err);
      const f = value as (string | null)[];
      const view = breakerView(f.slice(0, 4), now);
      return {
        scope,
        ...view,
        trigger: view.state === 'closed' ? null : ((f[4] as 'velocity' | 'loop' | null) ?? null),
        trips: Number(f[5] ?? 0),
        openedAt: view.state === 'closed' ? null : iso(f[6]),
        openUntil: view.state === 'closed' ? null : iso(f[2]),
        probeActionId: view.state === 'closed' ? null : (f[3] ?? null),
      };
    });
  }

  return {
    async listBudgets() {
      const scopes = await knownScopes();
      const snap = await inner.readScopes(scopes);
      return scopes.map((s) => snap.scopes[s]!);
    },

    async getBudget(scope) {
      scopeKind(scope);
      return (await inner.readScopes([scope])).scopes[scope]!;
    },

    async setCap(scope, cap, by) {
      scopeKind(scope);
      if (cap.capUsd === undefined && cap.capTokens === undefined) throw new BudgetInputError('give capUsd, capTokens or both');
      if (!by) throw new BudgetInputError('the change must name who made it');
      const at = deps.clock();
      const fields: Record<string, number> = {};
      if (cap.capUsd !== undefined) fields[`${scope}|usd`] = usdToMicros(cap.capUsd, 'capUsd');
      if (cap.capTokens !== undefined) fields[`${scope}|tokens`] = checkTokens(cap.capTokens, 'capTokens');
      const change: CapChange = { scope, capUsd: cap.capUsd ?? null, capTokens: cap.capTokens ?? null, by, at: new Date(at).toISOString() };
      await guard('cap change', () =>
        deps.redis.multi().hset(keys.caps, fields).lpush(keys.capsLog, JSON.stringify(change)).ltrim(keys.capsLog, 0, 999).sadd(keys.knownScopes, scope).exec(),
      );
      return { budget: (await inner.readScopes([scope])).scopes[scope]!, change };
    },

    async capChanges(limit = 100) {
      const raw = await guard('cap log', () => deps.redis.lrange(keys.capsLog, 0, limit - 1));
      return raw.map((r) => JSON.parse(r) as CapChange);
    },

    async listBreakers() {
      const scopes = await guard('breaker listing', () => deps.redis.smembers(keys.breakerScopes));
      return breakerDetails(scopes.sort());
    },

    async getBreaker(scope) {
      scopeKind(scope);
      return (await breakerDetails([scope]))[0]!;
    },

    async resetBreaker(scope, by) {
      const kind = scopeKind(scope);
      if (!by) throw new BudgetInputError('the reset must name who made it');
      const previous = (await guard('breaker reset', () =>
        scripts.run('resetBreaker', [keys.breaker(scope), keys.breakerEvents, keys.breakerScopes], [scope, by, deps.clock()]),
      )) as BreakerState;
      deps.metrics.breakerReset(kind);
      return { scope, previous, state: 'closed' };
    },

    async breakerEvents(limit = 100) {
      const raw = await guard('breaker events', () => deps.redis.lrange(keys.breakerEvents, 0, limit - 1));
      return raw.map((r) => {
        const e = JSON.parse(r) as Omit<BreakerEvent, 'at'> & { at: number };
        return { ...e, at: new Date(e.at).toISOString() };
      });
    },

    async refreshMetrics() {
      const scopes = await knownScopes();
      const snap = await inner.readScopes(scopes);
      const totals = new Map<ScopeKind, { spentUsd: number; reservedUsd: number; remainingUsd: number }>(
        SCOPE_KINDS.map((k) => [k, { spentUsd: 0, reservedUsd: 0, remainingUsd: 0 }]),
      );
      for (const s of Object.values(snap.scopes)) {
        const t = totals.get(scopeKind(s.scope))!;
        t.spentUsd += s.spentUsd;
        t.reservedUsd += s.reservedUsd;
        t.remainingUsd += s.remainingUsd;
      }
      for (const [kind, t] of totals) deps.metrics.scopeTotals(kind, t);
      const breakers = await this.listBreakers();
      for (const kind of SCOPE_KINDS) {
        const counts: Record<BreakerState, number> = { closed: 0, open: 0, half_open: 0 };
        for (const b of breakers) if (scopeKind(b.scope) === kind) counts[b.state]++;
        deps.metrics.breakerStates(kind, counts);
      }
    },
  };
}
