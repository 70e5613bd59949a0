// The tool registry: built-in demo tools plus the tools of AIRLOCK_TOOLS (JSON or YAML), validated with zod, argument schemas compiled with ajv.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ArgError } from '../trace/events.ts';
import { BUILTIN_TOOLS } from './builtin-tools.ts';
import { ToolRegistryError } from './errors.ts';

const httpExecutor = z.object({
  kind: z.literal('http'),
  url: z.string().url(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  timeoutMs: z.number().int().positive().max(600_000).default(10_000),
  headers: z.record(z.string(), z.string()).default({}),
});
const builtinExecutor = z.object({ kind: z.literal('builtin'), name: z.string().min(1) });

export const toolDefinitionSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  description: z.string().default(''),
  risk: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
  args: z.record(z.string(), z.unknown()).default({ type: 'object' }),
  costModel: z.object({ perCallUsd: z.number().nonnegative().default(0), perTokenUsd: z.number().nonnegative().default(0) }).default({ perCallUsd: 0, perTokenUsd: 0 }),
  tags: z.array(z.string()).default([]),
  executor: z.discriminatedUnion('kind', [httpExecutor, builtinExecutor]),
  maxAttempts: z.number().int().min(1).max(20).optional(),
});
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;
export type HttpExecutorConfig = z.infer<typeof httpExecutor>;

const registryFileSchema = z.union([z.array(toolDefinitionSchema), z.object({ tools: z.array(toolDefinitionSchema) })]);

/** `input.tool` of the policy contract. */
/** What a tool's cost model charges for one call of `tokens` tokens. */
export function modelCostUsd(costModel: ToolMetadata['costModel'], tokens: number): number {
  return costModel.perCallUsd + costModel.perTokenUsd * tokens;
}

export interface ToolMetadata {
  name: string; known: boolean; risk: string; description: string;
  costModel: { perCallUsd: number; perTokenUsd: number }; tags: string[];
}

export interface ToolRegistry {
  get(name: string): ToolDefinition | undefined;
  list(): ToolDefinition[];
  metadata(name: string): ToolMetadata;
  /** Schema errors of `args` for the tool (empty = valid). */
  validateArgs(name: string, args: unknown): ArgError[];
}

export function createToolRegistry(definitions: unknown[] = []): ToolRegistry {
  const parsed = z.array(toolDefinitionSchema).safeParse([...BUILTIN_TOOLS, ...definitions]);
  if (!parsed.success) throw new ToolRegistryError(`invalid tool definition: ${formatIssues(parsed.error)}`);
  const tools = new Map<string, ToolDefinition>();
  for (const t of parsed.data) tools.set(t.name, t); // file entries override built-ins of the same name
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new Map<string, ValidateFunction>();
  for (const t of tools.values()) {
    try {
      validators.set(t.name, ajv.compile(t.args));
    } catch (e) {
      throw new ToolRegistryError(`tool ${t.name}: invalid argument JSON Schema: ${(e as Error).message}`);
    }
  }
  return {
    get: (name) => tools.get(name),
    list: () => [...tools.values()],
    metadata(name) {
      const t = tools.get(name);
      if (!t) return { name, known: false, risk: 'unknown', description: '', costModel: { perCallUsd: 0, perTokenUsd: 0 }, tags: [] };
      return { name, known: true, risk: t.risk, description: t.description, costModel: t.costModel, tags: t.tags };
    },
    validateArgs(name, args) {
      const validate = validators.get(name);
      if (!validate) return [{ path: '', message: `unknown tool "${name}"` }];
      if (validate(args)) return [];
      return (validate.errors ?? []).map((e) => ({
        path: e.instancePath || '/',
        message: `${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      }));
    },
  };
}

/** Reads the AIRLOCK_TOOLS file (JSON or YAML: a list of tools or {tools: [...]}); null = built-ins only. */
export function loadToolRegistry(file: string | null): ToolRegistry {
  if (!file) return createToolRegistry();
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolRegistryError(`cannot read tool registry ${file}: ${(e as Error).message}`);
  }
  const parsed = registryFileSchema.safeParse(raw);
  if (!parsed.success) throw new ToolRegistryError(`tool registry ${file}: ${formatIssues(parsed.error)}`);
  return createToolRegistry(Array.isArray(parsed.data) ? parsed.data : parsed.data.tools);
}

function formatIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
