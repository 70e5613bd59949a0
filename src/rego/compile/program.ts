// The compiled program handed from the compile passes to the planner: rule groups by path and the virtual-document tree.
import type { Module, Rule, Term } from '../syntax/ast.ts';

export type GroupKind = 'complete' | 'partialSet' | 'partialObject' | 'function';

/** One rule definition (an else chain counts as one) with its head decomposed relative to its group. */
export interface RuleDef {
  /** Rewritten rule: locals renamed, refs resolved, bodies reordered for safety. */
  rule: Rule;
  module: Module;
  /**
   * For partial objects: the dynamic head elements after the group path, the last one the
   * key (`a.b[x].c[y] := v` in group a.b → [x, "c", y]). For partial sets: [element].
   */
  keyPath: Term[];
  /** A multi-value rule with variables inside its reference (`q[a][b] contains x`): the leaf is a set. */
  leafSet?: boolean;
}

export interface RuleGroup {
  /** Absolute path: ['data', 'pkg', 'p']. */
  path: string[];
  kind: GroupKind;
  defs: RuleDef[];
  default?: RuleDef;
  /** Partial objects: `default p[k] := v` with a constant key k, used when no definition gives key k. */
  keyDefaults?: RuleDef[];
  /** Number of arguments for functions. */
  arity?: number;
}

/** A node of the virtual-document tree (packages and rule paths under `data`). */
export interface DocNode {
  name: string;
  path: string[];
  children: Map<string, DocNode>;
  group?: RuleGroup;
}

/** What a rule group reads, used for recursion checks and for re-planning under `with`. */
export interface GroupDeps {
  /** Static prefixes of every `data` reference (absolute, starting with 'data'). */
  dataRefs: string[][];
  /** User functions called (pathKey of their absolute paths). */
  funcs: Set<string>;
  /** Builtins called by name. */
  builtins: Set<string>;
}

export interface CompiledProgram {
  groups: Map<string, RuleGroup>;
  root: DocNode;
  deps: Map<string, GroupDeps>;
}

export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}
