// The plan stage's entry: compiles parsed modules (compile passes) and lowers them to the IR Policy.
import type { Module, RegoError } from '../syntax/ast.ts';
import { compileModules } from '../compile/index.ts';
import type { Policy } from './ir.ts';
import { Planner } from './planner.ts';

export interface CompileToIROptions {
  /** OPA-style entrypoints without `data.`: `airlock/decision`, `test`, `test/x`; '' or 'data' is the whole data document. */
  entrypoints: string[];
}

export function compileToIR(modules: Module[], opts: CompileToIROptions): { policy?: Policy; errors: RegoError[] } {
  const { program, errors } = compileModules(modules);
  if (!program) return { errors };
  const planner = new Planner(program);
  for (const ep of opts.entrypoints) planner.planEntrypoint(ep, entrypointPath(ep));
  if (planner.errors.length) return { errors: planner.errors };
  return { policy: planner.build(), errors: [] };
}

/** `test/x` → ['data','test','x']; also accepts `data.test.x` and `data/test/x`. */
export function entrypointPath(ep: string): string[] {
  let text = ep.trim();
  if (text === '' || text === 'data') return ['data'];
  if (text.startsWith('data.')) return ['data', ...text.slice(5).split('.')];
  if (text.startsWith('data/')) text = text.slice(5);
  return ['data', ...text.split('/').filter((s) => s.length)];
}
