// Emission helpers for the planner: the policy's string table and a per-function builder of locals and nested blocks.
import { EXTERNAL_BUILTIN_NAMES } from '../host-builtins.ts';
import type { Block, Func, Local, Operand, Plan, Policy, Stmt } from './ir.ts';

/** Collects the parts of a Policy while the planner works. */
export class PolicyBuilder {
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly funcs: Func[] = [];
  readonly plans: Plan[] = [];

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  strOperand(s: string): Operand {
    return { kind: 'string', index: this.str(s) };
  }

  build(): Policy {
    return { strings: this.strings, externalBuiltins: this.hostBuiltinsCalled(), plans: this.plans, funcs: this.funcs };
  }

  /** Builtins the module must import (from Airlock's host functions or the SDK), in first-use order. */
  private hostBuiltinsCalled(): string[] {
    const used = new Set<string>();
    const visit = (blocks: Block[]): void => {
      for (const b of blocks) {
        for (const s of b.stmts) {
          if (s.op === 'callBuiltin' && EXTERNAL_BUILTIN_NAMES.includes(s.name)) used.add(s.name);
          if ('block' in s) visit([s.block]);
          if ('blocks' in s) visit(s.blocks);
        }
      }
    };
    for (const f of this.funcs) visit(f.blocks);
    for (const p of this.plans) visit(p.blocks);
    return [...used];
  }
}

/** Builds the statements of one function or plan: allocates locals and tracks the block being filled. */
export class FuncBuilder {
  private next: Local;
  private readonly stack: Stmt[][] = [[]];

  constructor(firstFree: Local) {
    this.next = firstFree;
  }

  newLocal(): Local {
    return this.next++;
  }

  emit(s: Stmt): void {
    this.stack[this.stack.length - 1]!.push(s);
  }

  /** Runs `fill` with a fresh block as the emission target and returns that block. */
  block(fill: () => void): Block {
    const stmts: Stmt[] = [];
    this.stack.push(stmts);
    try {
      fill();
    } finally {
      this.stack.pop();
    }
    return { stmts };
  }

  /** Emits `fill`'s statements inside a nested BlockStmt, so that a failure ends only that block. */
  nested(fill: () => void): void {
    this.emit({ op: 'block', blocks: [this.block(fill)] });
  }

  topBlocks(): Block[] {
    return [{ stmts: this.stack[0]! }];
  }
}

export function localOp(local: Local): Operand {
  return { kind: 'local', local };
}
