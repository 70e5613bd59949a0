// Budget and breaker configuration read from the policy data (`data.budgets`, `data.breakers`) and cap resolution.
import { z } from 'zod';
import { BudgetConfigError } from './errors.ts';
import { scopeKind, type ScopeKind } from './scopes.ts';
import { WINDOWS, type BudgetWindow } from './windows.ts';

const capSchema = z.object({
  capUsd: z.number().nonnegative(),
  capTokens: z.number().int().nonnegative(),
  window: z.enum(WINDOWS),
});

const overrideSchema = z.object({
  capUsd: z.number().nonnegative().optional(),
  capTokens: z.number().int().nonnegative().optional(),
  window: z.enum(WINDOWS).optional(),
});

export const breakerSettingsSchema = z.object({
  velocityUsdPerMinute: z.number().positive().default(5),
  velocityWindowSeconds: z.number().positive().default(60),
  loopCount: z.number().int().min(2).default(5),
  loopWindowSeconds: z.number().positive().default(30),
  cooldownSeconds: z.number().nonnegative().default(300),
});

export const budgetConfigSchema = z.object({
  budgets: z.object({
    defaults: z.object({ workflow: capSchema, agent: capSchema, tenant: capSchema, global: capSchema }),
    overrides: z.record(z.string(), overrideSchema).default({}),
  }),
  breakers: breakerSettingsSchema.default(() => breakerSettingsSchema.parse({})),
});

export type ScopeCap = z.infer<typeof capSchema>;
export type BreakerSettings = z.infer<typeof breakerSettingsSchema>;
export type BudgetConfig = z.infer<typeof budgetConfigSchema>;

/** Reads the budget part of the policy data (the whole `policies/data.json` object); throws BudgetConfigError naming the field. */
export function budgetConfigFromPolicyData(data: unknown): BudgetConfig {
  const parsed = budgetConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BudgetConfigError(`policy data: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  for (const scope of Object.keys(parsed.data.budgets.overrides)) {
    try {
      scopeKind(scope);
    } catch {
      throw new BudgetConfigError(`policy data: budgets.overrides: invalid scope "${scope}"`);
    }
  }
  return parsed.data;
}

/** A cap changed at runtime by an admin (stored in Redis; wins over the policy data). */
export interface RuntimeCap {
  capUsd?: number;
  capTokens?: number;
}

/** Cap of a scope: runtime change > override in policy data > default of the scope kind. */
export function resolveCap(config: BudgetConfig, scope: string, runtime?: RuntimeCap): ScopeCap & { kind: ScopeKind } {
  const kind = scopeKind(scope);
  const base = config.budgets.defaults[kind];
  const over = config.budgets.overrides[scope] ?? {};
  const window: BudgetWindow = over.window ?? base.window;
  return {
    kind,
    window,
    capUsd: runtime?.capUsd ?? over.capUsd ?? base.capUsd,
    capTokens: runtime?.capTokens ?? over.capTokens ?? base.capTokens,
  };
}
