// The budget service: snapshot for policy input, atomic reserve/settle/release with leases, and breaker attempts.
import type { Redis } from 'ioredis';
import { resolveCap, type BudgetConfig } from './config.ts';
import { BudgetInputError, BudgetUnavailableError, BudgetError } from './errors.ts';
import { budgetKeys, type BudgetKeys } from './keys.ts';
import type { BudgetMetrics } from './metrics.ts';
import { checkTokens, formatUsd, microsToUsd, usdToMicros } from './money.ts';
import { scopeKind, scopesFor } from './scopes.ts';
import { loadBudgetScripts, type BudgetScripts, type Reply, type ScriptCall } from './scripts.ts';
import type { BreakerAttempt, BreakerView, BudgetInput, ReserveOptions, ReserveResult, ScopeBudget, Settlement } from './types.ts';
import { periodTtlSeconds } from './windows.ts';

/** Reservation statuses that settle-3.lua still charges: held, or reclaimed by the sweeper (a late settle still charges). */
const UNSETTLED_STATUSES: readonly string[] = ['reserved', 'expired'];
/** The status of a reservation that is granted and not yet settled, released or reclaimed. */
const HELD_STATUSES: readonly string[] = ['reserved'];

export interface BudgetDeps {
  redis: Redis;
  /** Key prefix, e.g. "airlock:" (tests: a unique prefix each). */
  prefix: string;
  /** Milliseconds since the epoch; injected so tests can cross day and month boundaries. */
  clock: () => number;
  config: BudgetConfig;
  metrics: BudgetMetrics;
  /** Default reservation lease (ms) before the sweeper may reclaim it; renew it while the action runs. */
  leaseMs: number;
  /** How long closed reservation records are kept, so a late settle/release stays a no-op (s). */
  closedTtlSeconds: number;
}

/** The core operations the pipeline calls (the admin half is BudgetAdmin; index.ts joins both as BudgetService). */
export interface BudgetCore {
  /** Scopes that apply to an action: workflow:<id>, agent:<id>, tenant:<id> (if the agent has one), global. */
  scopesFor(a: { agentId: string; workflowId: string; tenant: string | null }): string[];
  /**
   * `input.budget` for the policy: each scope's cap/spent/reserved/remaining (current window) and breaker state.
   * With `attempt`, the attempt is recorded first (as recordAttempt does) in the same atomic step, so a breaker it
   * trips already shows open in the snapshot.
   */
  snapshot(scopes: string[], attempt?: BreakerAttempt): Promise<BudgetInput>;
  /**
   * Reserves the estimate in every scope atomically and leases it (default lease from createBudgetService).
   * Idempotent per actionId while held. Refused when a scope would pass its cap (kind 'cap') or a breaker
   * is open / its half-open probe slot is taken (kind 'breaker'). In half-open, the first reservation becomes the probe.
   * With `opts.attempt`, a granted reservation also feeds those scopes' breakers in the same step; a failure of that
   * part leaves the reservation granted and is reported as `attemptError`.
   */
  reserve(actionId: string, scopes: string[], amount: { usd: number; tokens: number }, opts?: ReserveOptions): Promise<ReserveResult>;
  /** Extends the lease of a held reservation; false when it is no longer held (then do not execute without reserving again). */
  renewLease(actionId: string, leaseMs?: number): Promise<boolean>;
  /**
   * Charges the actual cost once (idempotent): unknown usd/tokens → the reserved estimate is charged, never zero.
   * The unused part of the reservation is released. A settle after the sweeper reclaimed the lease still charges.
   * Settling a half-open probe closes its breaker.
   */
  settle(actionId: string, actual: { usd?: number; tokens?: number }): Promise<Settlement>;
  /** The reservation's status field and the values it holds until `settle` (or a release) has run. */
  unsettled(actionId: string): { key: string; field: string; values: readonly string[] };
  /** The reservation's status field and the value it holds while the reservation is granted and not yet closed. */
  held(actionId: string): { key: string; field: string; values: readonly string[] };
  /**
   * Whether a snapshot read for a decision leaves room for `amount` in every scope with every breaker closed: a
   * reservation is then expected to be granted, and a caller may send what follows it without waiting for its reply
   * (Redis still decides). False when any scope is missing from the snapshot.
   */
  expectsGrant(snapshot: BudgetInput, scopes: string[], amount: { usd: number; tokens: number }): boolean;
  /** Releases the reservation (denied, rejected, expired, failed); idempotent; true when something was released. */
  release(actionId: string): Promise<boolean>;
  /** Feeds the velocity and loop breakers of every scope; returns the scopes this attempt tripped. */
  recordAttempt(a: BreakerAttempt): Promise<string[]>;
  /** Releases reservations whose lease ended (used by the sweeper); returns how many were reclaimed. */
  sweepExpired(limit?: number): Promise<number>;
}

export interface BudgetInternals {
  deps: BudgetDeps;
  keys: BudgetKeys;
  scripts: BudgetScripts;
  /** Runs a Redis operation; any Redis failure becomes BudgetUnavailableError (callers fail closed). */
  guard<T>(what: string, op: () => Promise<T>): Promise<T>;
  readScopes(scopes: string[]): Promise<BudgetInput>;
  snapshotCall(scopes: string[]): { call: ScriptCall; parse(reply: Reply): BudgetInput };
}

export function createInternals(deps: BudgetDeps): BudgetInternals {
  const keys = budgetKeys(deps.prefix);
  const scripts = loadBudgetScripts(deps.redis);
  const guard = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      if (err instanceof BudgetError) throw err;
      throw new BudgetUnavailableError(`budget ${what} failed: ${(err as Error).message}`, err);
    }
  };

  /** The snapshot script's keys and arguments for these scopes, and the reader of its reply. */
  function snapshotCall(scopes: string[]): { call: ScriptCall; parse(reply: Reply): BudgetInput } {
    const now = deps.clock();
    const caps = scopes.map((s) => resolveCap(deps.config, s));
    // One read-only script for every scope (a 9-command pipeline per decision and per check cost more on both sides).
    const keyList = [keys.caps];
    scopes.forEach((scope, i) => keyList.push(keys.state(scope, caps[i]!.window, now), keys.breaker(scope)));
    const parse = (reply: Reply): BudgetInput => {
      if (!Array.isArray(reply)) throw new BudgetUnavailableError('budget snapshot failed: unexpected reply', reply);
      const out: BudgetInput = { scopes: {}, breakers: {} };
      scopes.forEach((scope, i) => {
        const field = (j: number): string | null => (reply[i * 10 + j] as string | null | undefined) ?? null; // a field HMGET did not find is a nil reply
        const [spentUsd, reservedUsd, spentTokens, reservedTokens] = [0, 1, 2, 3].map((j) => Number(field(j) ?? 0));
        const runtimeUsd = field(4);
        const runtimeTokens = field(5);
        const capUsd = runtimeUsd != null ? Number(runtimeUsd) : usdToMicros(caps[i]!.capUsd);
        const capTokens = runtimeTokens != null ? Number(runtimeTokens) : caps[i]!.capTokens;
        out.scopes[scope] = {
          scope,
          capUsd: microsToUsd(capUsd),
          spentUsd: microsToUsd(spentUsd!),
          reservedUsd: microsToUsd(reservedUsd!),
          remainingUsd: microsToUsd(Math.max(0, capUsd - spentUsd! - reservedUsd!)),
          capTokens,
          spentTokens: spentTokens!,
          reservedTokens: reservedTokens!,
          window: caps[i]!.window,
        };
        out.breakers[scope] = breakerView([field(6), field(7), field(8), field(9)], now);
      });
      return out;
    };
    return { call: { keys: keyList, args: scopes }, parse };
  }

  async function readScopes(scopes: string[]): Promise<BudgetInput> {
    const { call, parse } = snapshotCall(scopes);
    return parse(await guard('snapshot', () => scripts.run('snapshot', call.keys, call.args)));
  }

  return { deps, keys, scripts, guard, readScopes, snapshotCall };
}

/** Effective breaker state: a stored "open" past its cooldown is half-open, unless a probe already holds the slot. */
export function breakerView([state, reason, openUntil, probe]: (string | null)[], now: number): BreakerView {
  if (state !== 'open') return { state: 'closed', reason: null };
  if (now < Number(openUntil ?? 0)) return { state: 'open', reason: reason || 'breaker open' };
  if (probe) return { state: 'open', reason: `${reason || 'breaker open'} (half-open: probe action ${probe} in flight)` };
  return { state: 'half_open', reason: reason || 'breaker half-open' };
}

export function createBudgetCore(inner: BudgetInternals): BudgetCore {
  const { deps, keys, scripts, guard } = inner;

  function checkScopes(scopes: string[]): void {
    if (!Array.isArray(scopes) || scopes.length === 0) throw new BudgetInputError('at least one budget scope is required');
    if (new Set(scopes).size !== scopes.length) throw new BudgetInputError(`duplicate budget scopes: ${scopes.join(', ')}`);
    for (const s of scopes) scopeKind(s);
  }
  function checkActionId(actionId: string): void {
    if (typeof actionId !== 'string' || actionId.length === 0 || actionId.length > 200) {
      throw new BudgetInputError('actionId must be a non-empty string of at most 200 characters');
    }
  }

  /** The recordAttempt script's keys and arguments (the inputs checked first). */
  function attemptCall(a: BreakerAttempt): ScriptCall {
    checkActionId(a.actionId);
    checkScopes(a.scopes);
    if (typeof a.tool !== 'string' || a.tool.length === 0) throw new BudgetInputError('tool must be a non-empty string');
    if (typeof a.argsHash !== 'string' || a.argsHash.length === 0) throw new BudgetInputError('argsHash must be a non-empty string');
    const b = deps.config.breakers;
    const keyList = [keys.breakerEvents, keys.breakerScopes];
    for (const scope of a.scopes) keyList.push(keys.breaker(scope), keys.velocity(scope), keys.loop(scope, a.tool, a.argsHash));
    const velocityWindowMs = Math.round(b.velocityWindowSeconds * 1000);
    const velocityLimit = usdToMicros((b.velocityUsdPerMinute * b.velocityWindowSeconds) / 60);
    const args: (string | number)[] = [
      a.actionId, usdToMicros(a.costUsd, 'costUsd'), deps.clock(), velocityWindowMs, velocityLimit,
      b.loopCount, Math.round(b.loopWindowSeconds * 1000), Math.round(b.cooldownSeconds * 1000), a.scopes.length, a.tool, ...a.scopes,
    ];
    return { keys: keyList, args };
  }

  /** Counts the trips in a recordAttempt reply ({scope, kind, reason, ...}) and returns the tripped scopes. */
  function noteTrips(reply: Reply): string[] {
    const flat = Array.isArray(reply) ? (reply as string[]) : [];
    const tripped: string[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      tripped.push(flat[i]!);
      deps.metrics.breakerTripped(scopeKind(flat[i]!), flat[i + 1] as 'velocity' | 'loop');
    }
    return tripped;
  }

  return {
    scopesFor,

    async snapshot(scopes, attempt) {
      for (const s of scopes) scopeKind(s);
      if (!attempt) return inner.readScopes(scopes);
      const recording = attemptCall(attempt);
      const { call, parse } = inner.snapshotCall(scopes);
      const reply = await guard('attempt recording and snapshot', () => scripts.runPair('recordAttemptThenSnapshot', recording, call));
      noteTrips(reply.first);
      return parse(reply.second);
    },

    async reserve(actionId, scopes, amount, opts = {}) {
      checkActionId(actionId);
      checkScopes(scopes);
      const usd = usdToMicros(amount.usd, 'amount.usd');
      const tokens = checkTokens(amount.tokens, 'amount.tokens');
      const now = deps.clock();
      const leaseMs = opts.leaseMs ?? deps.leaseMs;
      const keyList = [keys.reservation(actionId), keys.leases, keys.caps, keys.knownScopes];
      const args: (string | number)[] = [actionId, usd, tokens, now, now + leaseMs, opts.approvedByHuman ? '1' : '0', scopes.length];
      for (const scope of scopes) {
        const cap = resolveCap(deps.config, scope);
        keyList.push(keys.state(scope, cap.window, now), keys.breaker(scope));
        args.push(scope, usdToMicros(cap.capUsd), cap.capTokens, periodTtlSeconds(cap.window), cap.window);
      }
      let reply: Reply[];
      let attemptError: string | null = null;
      if (opts.attempt) {
        const recording = attemptCall({ ...opts.attempt, actionId });
        const pair = await guard('reserve', () => scripts.runPair('reserveThenRecordAttempt', { keys: keyList, args }, recording));
        reply = pair.first as Reply[];
        if (pair.second !== null) noteTrips(pair.second);
        attemptError = pair.secondError;
      } else {
        reply = (await guard('reserve', () => scripts.run('reserve', keyList, args))) as Reply[];
      }
      if (reply[0] === 1) return attemptError === null ? { ok: true } : { ok: true, attemptError };
      const [, scope, code, a, b, c] = reply as [number, string, string, number | string, number | string, number];
      const kind = scope ? scopeKind(scope) : 'none';
      switch (code) {
        case 'cap_usd': {
          deps.metrics.rejected(kind, 'cap_usd');
          const remaining = Math.max(0, Number(a) - Number(b) - c);
          return { ok: false, kind: 'cap', scope, reason: `budget exceeded in ${scope}: needs ${formatUsd(usd)}, ${formatUsd(remaining)} of ${formatUsd(Number(a))} remaining` };
        }
        case 'cap_tokens': {
          deps.metrics.rejected(kind, 'cap_tokens');
          const remaining = Math.max(0, Number(a) - Number(b) - c);
          return { ok: false, kind: 'cap', scope, reason: `token budget exceeded in ${scope}: needs ${tokens} tokens, ${remaining} of ${a} remaining` };
        }
        case 'breaker_open':
          deps.metrics.rejected(kind, 'breaker');
          return { ok: false, kind: 'breaker', scope, reason: `circuit breaker open for ${scope}: ${a}` };
        case 'breaker_probe':
          deps.metrics.rejected(kind, 'breaker');
          return { ok: false, kind: 'breaker', scope, reason: `circuit breaker half-open for ${scope}: probe action ${b} in flight (${a})` };
        default:
          deps.metrics.rejected('none', 'closed');
          return { ok: false, kind: 'closed', scope: '', reason: `the budget reservation of ${actionId} was already settled` };
      }
    },

    async renewLease(actionId, leaseMs) {
      checkActionId(actionId);
      const until = deps.clock() + (leaseMs ?? deps.leaseMs);
      const reply = await guard('lease renewal', () => scripts.run('renewLease', [keys.reservation(actionId), keys.leases], [actionId, until]));
      return reply === 1;
    },

    async settle(actionId, actual) {
      checkActionId(actionId);
      const usd = actual.usd === undefined ? '' : usdToMicros(actual.usd, 'actual.usd');
      const tokens = actual.tokens === undefined ? '' : checkTokens(actual.tokens, 'actual.tokens');
      const reply = (await guard('settle', () =>
        scripts.run('settle', [keys.reservation(actionId), keys.leases, keys.breakerEvents], [actionId, usd, tokens, deps.clock(), deps.closedTtlSeconds]),
      )) as Reply[];
      if (reply[0] !== 1) return { settled: false, chargedUsd: 0, chargedTokens: 0 };
      return { settled: true, chargedUsd: microsToUsd(Number(reply[2])), chargedTokens: Number(reply[3]) };
    },

    unsettled(actionId) {
      checkActionId(actionId);
      return { key: keys.reservation(actionId), field: 'status', values: UNSETTLED_STATUSES };
    },

    held(actionId) {
      checkActionId(actionId);
      return { key: keys.reservation(actionId), field: 'status', values: HELD_STATUSES };
    },

    expectsGrant(snapshot, scopes, amount) {
      return scopes.every((scope) => {
        const b = snapshot.scopes[scope];
        const breaker = snapshot.breakers[scope];
        return b !== undefined && (breaker === undefined || breaker.state === 'closed')
          && b.remainingUsd >= amount.usd && b.capTokens - b.spentTokens - b.reservedTokens >= amount.tokens;
      });
    },

    async release(actionId) {
      checkActionId(actionId);
      const reply = (await guard('release', () =>
        scripts.run('release', [keys.reservation(actionId), keys.leases], [actionId, deps.clock(), deps.closedTtlSeconds, 'released']),
      )) as Reply[];
      return reply[0] === 1;
    },

    async recordAttempt(a) {
      const { keys: keyList, args } = attemptCall(a);
      return noteTrips(await guard('attempt recording', () => scripts.run('recordAttempt', keyList, args)));
    },

    async sweepExpired(limit = 200) {
      const now = deps.clock();
      const due = await guard('sweep', () => deps.redis.zrangebyscore(keys.leases, '-inf', now, 'LIMIT', 0, limit));
      let reclaimed = 0;
      for (const actionId of due) {
        const reply = (await guard('sweep', () =>
          scripts.run('release', [keys.reservation(actionId), keys.leases], [actionId, now, deps.closedTtlSeconds, 'expired']),
        )) as Reply[];
        if (reply[0] === 1) reclaimed++;
      }
      if (reclaimed > 0) deps.metrics.reclaimed(reclaimed);
      return reclaimed;
    },
  };
}
