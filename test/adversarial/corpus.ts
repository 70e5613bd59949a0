// Loads the adversarial corpus and turns each case into the policy input the decide worker builds.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { argsHash } from '../../src/policy/canonical-json.ts';
import { agentFromPolicyData, buildPolicyInput } from '../../src/pipeline/policy-input.ts';
import type { PolicyInput } from '../../src/pipeline/policy-input.ts';
import type { ToolRegistry } from '../../src/tools/registry.ts';

const estimateSchema = z.object({ costUsd: z.unknown().optional(), tokens: z.unknown().optional() });

const caseSchema = z.object({
  name: z.string().min(1),
  agentId: z.string().optional(),
  workflowId: z.string().optional(),
  tool: z.string(),
  args: z.unknown().optional(),
  generate: z.object({ deep: z.number().int().optional(), bigString: z.number().int().optional(), wideObject: z.number().int().optional() }).optional(),
  estimate: estimateSchema.optional(),
  now: z.string().optional(),
  workflowSpentUsd: z.number().optional(),
  breakers: z.record(z.string(), z.object({ state: z.string(), reason: z.string().nullable().optional() })).optional(),
  history: z.array(z.object({
    tool: z.string(), sameArgs: z.boolean(), count: z.number().int().positive(),
    secondsApart: z.number().positive(), costUsd: z.number(),
  })).optional(),
  expect: z.enum(['allow', 'deny', 'review']),
  reason: z.string().optional(),
});

const corpusSchema = z.object({
  defaults: z.object({ agentId: z.string(), workflowId: z.string(), estimate: estimateSchema }),
  cases: z.array(caseSchema),
});

export type AdversarialCase = z.infer<typeof caseSchema>;
export type Corpus = z.infer<typeof corpusSchema>;

/** Wednesday 2026-11-25 10:00 UTC: inside business hours, outside any freeze. */
export const DEFAULT_NOW = '2026-11-25T10:00:00Z';

export function loadCorpus(path: string): Corpus {
  return corpusSchema.parse(parseYaml(readFileSync(path, 'utf8')));
}

interface BudgetDefaults {
  defaults: Record<'workflow' | 'agent' | 'tenant' | 'global', { capUsd: number; capTokens: number; window: string }>;
  overrides?: Record<string, { capUsd?: number; capTokens?: number }>;
}

/** The policy input for one case, built with the pipeline's own input builder. */
export function inputForCase(c: AdversarialCase, corpus: Corpus, tools: ToolRegistry, policyData: unknown): PolicyInput {
  const agentId = c.agentId ?? corpus.defaults.agentId;
  const workflowId = c.workflowId ?? corpus.defaults.workflowId;
  const args = argsForCase(c);
  const nowMs = Date.parse(c.now ?? DEFAULT_NOW);
  const agent = agentFromPolicyData(policyData, agentId);
  const budgets = (policyData as { budgets: BudgetDefaults }).budgets;
  const scopes: Record<string, unknown> = {};
  const addScope = (scope: string, kind: keyof BudgetDefaults['defaults'], spentUsd: number) => {
    const d = { ...budgets.defaults[kind], ...(budgets.overrides?.[scope] ?? {}) };
    scopes[scope] = {
      scope, capUsd: d.capUsd, spentUsd, reservedUsd: 0, remainingUsd: d.capUsd - spentUsd,
      capTokens: d.capTokens, spentTokens: 0, reservedTokens: 0, window: d.window,
    };
  };
  addScope(`workflow:${workflowId}`, 'workflow', c.workflowSpentUsd ?? 0);
  addScope(`agent:${agentId}`, 'agent', 0);
  if (agent.tenant) addScope(`tenant:${agent.tenant}`, 'tenant', 0);
  addScope('global', 'global', 0);
  const breakers = Object.fromEntries(
    Object.entries(c.breakers ?? {}).map(([scope, b]) => [scope, { state: b.state, reason: b.reason ?? null }]),
  );
  const history = (c.history ?? []).flatMap((h, group) =>
    Array.from({ length: h.count }, (_, i) => ({
      id: `act_hist_${group}_${i}`,
      tool: h.tool,
      argsHash: h.sameArgs ? argsHash(args) : argsHash({ other: i }),
      outcome: 'succeeded' as const,
      costUsd: h.costUsd,
      at_ns: (nowMs - (i + 1) * h.secondsApart * 1000) * 1_000_000,
    })),
  );
  return buildPolicyInput({
    action: {
      id: `act_adv_${slug(c.name)}`,
      agentId,
      workflowId,
      tool: c.tool,
      args: args as Record<string, unknown>,
      estimate: (c.estimate ?? corpus.defaults.estimate) as PolicyInput['action']['estimate'],
      context: {},
      submittedAt: new Date(nowMs).toISOString(),
    },
    agent,
    tools,
    budget: { scopes, breakers },
    history: history as PolicyInput['history'],
    nowMs,
  });
}

/** The arguments a case sends: its `args`, or the generated oversized/nested value. */
export function argsForCase(c: AdversarialCase): unknown {
  return c.generate ? generateArgs(c.generate) : c.args;
}

function generateArgs(g: NonNullable<AdversarialCase['generate']>): unknown {
  if (g.bigString !== undefined) return { message: 'x'.repeat(g.bigString) };
  if (g.wideObject !== undefined) {
    return Object.fromEntries(Array.from({ length: g.wideObject }, (_, i) => [`key${i}`, `value-${i}-abcdefghijklmnop`]));
  }
  let value: unknown = 'bottom';
  for (let i = 0; i < (g.deep ?? 0); i++) value = { [`level${i}`]: value };
  return value;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
}
