// The built-in demo tools (echo, sleep, fail, costly, cluster.scale): their registry entries and their implementations.
import { ToolCallError } from './errors.ts';

/** Registry entries (validated like file entries). */
export const BUILTIN_TOOLS = [
  {
    name: 'echo', description: 'Returns its arguments (demo, allowed for every agent)', risk: 'low',
    args: { type: 'object' }, executor: { kind: 'builtin', name: 'echo' }, tags: ['demo'],
  },
  {
    name: 'sleep', description: 'Waits args.ms milliseconds (demo)', risk: 'low',
    args: { type: 'object', required: ['ms'], properties: { ms: { type: 'integer', minimum: 0, maximum: 60000 } } },
    executor: { kind: 'builtin', name: 'sleep' }, tags: ['demo'],
  },
  {
    name: 'fail', description: 'Always fails: transient (retried) or permanent (demo)', risk: 'low',
    args: { type: 'object', properties: { mode: { enum: ['transient', 'permanent'] }, message: { type: 'string' } } },
    executor: { kind: 'builtin', name: 'fail' }, tags: ['demo'],
  },
  {
    name: 'costly', description: 'Reports a cost of args.usd dollars (demo for budgets)', risk: 'medium',
    args: { type: 'object', required: ['usd'], properties: { usd: { type: 'number', minimum: 0, maximum: 1000 } } },
    costModel: { perCallUsd: 0.1, perTokenUsd: 0 }, executor: { kind: 'builtin', name: 'costly' }, tags: ['demo', 'cost'],
  },
  {
    name: 'cluster.scale', description: 'Pretends to scale a cluster; costs money per call (demo for runaway agents)', risk: 'medium',
    args: {
      type: 'object', required: ['cluster', 'replicas'], additionalProperties: false,
      properties: { cluster: { type: 'string', minLength: 1 }, replicas: { type: 'integer', minimum: 0, maximum: 1000 } },
    },
    costModel: { perCallUsd: 0.5, perTokenUsd: 0 }, executor: { kind: 'builtin', name: 'cluster.scale' }, tags: ['demo', 'infra'],
  },
] as const;

export interface BuiltinOutput { output: unknown; costUsd?: number }
export type BuiltinTool = (args: Record<string, unknown>, ctx: { actionId: string; signal: AbortSignal }) => Promise<BuiltinOutput>;

export const BUILTIN_IMPLEMENTATIONS: Record<string, BuiltinTool> = {
  async echo(args) {
    return { output: { echo: args } };
  },
  async sleep(args, { signal }) {
    const ms = Number(args.ms ?? 0);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new ToolCallError('timeout', `sleep aborted after timeout`));
      }, { once: true });
    });
    return { output: { slept: ms } };
  },
  async fail(args) {
    const message = typeof args.message === 'string' ? args.message : 'demo failure';
    throw args.mode === 'permanent' ? new ToolCallError('tool_error', message) : new ToolCallError('http_5xx', message, 503);
  },
  async costly(args) {
    const usd = Number(args.usd);
    return { output: { charged: usd }, costUsd: usd };
  },
  async 'cluster.scale'(args) {
    return { output: { cluster: args.cluster, replicas: args.replicas, scaled: true }, costUsd: 0.5 };
  },
};
