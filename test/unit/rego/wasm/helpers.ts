// Test helpers for the wasm backend: build small IR policies by hand, compile them, load them with the real SDK.
import opa from '@open-policy-agent/opa-wasm';
import { generateWasm } from '../../../../src/rego/wasm/index.ts';
import type { Block, Operand, Policy, Stmt, Func } from '../../../../src/rego/plan/ir.ts';

export type LoadedPolicy = Awaited<ReturnType<typeof opa.loadPolicy>>;

export const local = (n: number): Operand => ({ kind: 'local', local: n });

/** Builds a Policy, interning string constants as they are referenced with str(). */
export class PolicyBuilder {
  readonly strings: string[] = [];
  readonly plans: Policy['plans'] = [];
  readonly funcs: Func[] = [];
  readonly externalBuiltins: string[] = [];

  idx(s: string): number {
    let i = this.strings.indexOf(s);
    if (i < 0) i = this.strings.push(s) - 1;
    return i;
  }

  str(s: string): Operand {
    return { kind: 'string', index: this.idx(s) };
  }

  plan(name: string, ...blocks: Stmt[][]): this {
    this.plans.push({ name, blocks: blocks.map((stmts): Block => ({ stmts })) });
    return this;
  }

  func(f: Func): this {
    this.funcs.push(f);
    return this;
  }

  build(): Policy {
    return { strings: this.strings, plans: this.plans, funcs: this.funcs, externalBuiltins: this.externalBuiltins };
  }
}

export async function compilePolicy(policy: Policy): Promise<Uint8Array> {
  const r = await generateWasm(policy);
  if (r.errors.length || !r.wasm) throw new Error(`codegen failed: ${JSON.stringify(r.errors)}`);
  return r.wasm;
}

export async function load(policy: Policy, builtins: Record<string, (...a: unknown[]) => unknown> = {}): Promise<LoadedPolicy> {
  return opa.loadPolicy(await compilePolicy(policy), undefined, builtins);
}

/** A plan that returns the JSON value `input.v` run through `stmts` ending with result local `out`. */
export function exprPlan(b: PolicyBuilder, stmts: Stmt[], out: number): Stmt[] {
  return [...stmts, { op: 'resultSetAdd', value: out }];
}
