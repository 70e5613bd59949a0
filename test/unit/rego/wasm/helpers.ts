// Test helpers for the wasm backend: build small IR policies by hand, compile them, load them with the real SDK.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { generateWasm } from '../../../../src/rego/wasm/index.ts';
import type { Block, Operand, Policy, Stmt, Func } from '../../../../src/rego/plan/ir.ts';

/** The parts of the engine's WebAssembly API the tests use (the project's TypeScript lib has no WebAssembly typings). */
export interface WasmMemory { buffer: ArrayBuffer; grow(pages: number): number }
export interface WasmInstance { exports: Record<string, unknown> }
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; imports(m: object): { module: string; name: string }[]; exports(m: object): { name: string }[] };
  Memory: new (d: { initial: number }) => WasmMemory;
  instantiate(m: object, imports: object): Promise<WasmInstance>;
}
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type LoadedPolicy = Awaited<ReturnType<typeof loadPolicy>>;

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
  return loadPolicy(await compilePolicy(policy), undefined, builtins as Record<string, () => unknown>);
}
