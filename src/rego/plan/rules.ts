// Lowers rule groups to IR functions: complete rules (with default and else), partial sets and objects, user functions.
import type { Rule, Term } from '../syntax/ast.ts';
import type { RuleDef, RuleGroup } from '../compile/program.ts';
import { BodyPlanner, OBJECT_CONFLICT, type PlannerServices } from './body.ts';
import { FuncBuilder, localOp } from './builder.ts';
import { DATA_LOCAL, INPUT_LOCAL, type Func, type Local, type Operand } from './ir.ts';
import type { Overrides } from './overrides.ts';

export const COMPLETE_CONFLICT = 'complete rules must not produce multiple outputs';
export const FUNCTION_CONFLICT = 'functions must not produce multiple outputs for same inputs';

export function planGroup(svc: PlannerServices, group: RuleGroup, name: string, ov: Overrides): Func {
  const arity = group.kind === 'function' ? (group.arity ?? 0) : 0;
  const params: Local[] = [INPUT_LOCAL, DATA_LOCAL];
  for (let i = 0; i < arity; i++) params.push(2 + i);
  const fb = new FuncBuilder(2 + arity);
  const result = fb.newLocal();
  const newBody = () => new BodyPlanner(svc, fb, ov, INPUT_LOCAL, DATA_LOCAL);
  const args = params.slice(2);
  switch (group.kind) {
    case 'partialSet':
      fb.emit({ op: 'makeSet', target: result });
      for (const def of group.defs) {
        const bp = newBody();
        fb.nested(() => bp.body(def.rule.body, () => bp.term(def.keyPath[0]!, (v) => fb.emit({ op: 'setAdd', value: v, set: result }))));
      }
      break;
    case 'partialObject':
      fb.emit({ op: 'makeObject', target: result });
      // With definitions of different depths, one may try to write inside a value another
      // produced (`t[k].cfg := {...}` and `t.only.cfg.x.z := 2`): OPA raises a conflict.
      // The key paths of produced values are kept to detect it.
      let leaves: Local | undefined;
      if (new Set(group.defs.map((d) => d.keyPath.length)).size > 1) {
        leaves = fb.newLocal();
        fb.emit({ op: 'makeSet', target: leaves });
      }
      for (const def of group.defs) {
        const bp = newBody();
        fb.nested(() => bp.body(def.rule.body, () => insertAtPath(bp, result, def, leaves)));
      }
      for (const def of group.keyDefaults ?? []) {
        const bp = newBody();
        fb.nested(() => insertIfAbsent(bp, result, def.keyPath[0]!, def.rule.head.value ?? TRUE));
      }
      break;
    case 'complete':
    case 'function': {
      const message = group.kind === 'function' ? FUNCTION_CONFLICT : COMPLETE_CONFLICT;
      for (const def of group.defs) planChain(newBody, def, args, result, message);
      if (group.default) {
        const d = group.default;
        fb.nested(() => {
          fb.emit({ op: 'isUndefined', source: result });
          const bp = newBody();
          bindArgs(bp, d.rule.head.args ?? [], args, () => bp.term(d.rule.head.value ?? TRUE, (v) => fb.emit({ op: 'assignVar', source: v, target: result })));
        });
      }
      break;
    }
  }
  return { name, params, result, blocks: fb.topBlocks(), path: group.path, memoize: group.kind !== 'function' };
}

const TRUE: Term = { type: 'boolean', value: true, loc: { file: '', line: 0, col: 0 } };

/** One definition with its else chain: the first rule of the chain whose body succeeds gives the value. */
function planChain(newBody: () => BodyPlanner, def: RuleDef, args: Local[], result: Local, message: string): void {
  const chain: Rule[] = [];
  for (let r: Rule | undefined = def.rule; r; r = r.else) chain.push(r);
  const first = newBody();
  const fb = first.fb;
  const argsOf = (r: Rule) => r.head.args ?? def.rule.head.args ?? [];
  if (chain.length === 1) {
    const r = chain[0]!;
    fb.nested(() => bindArgs(first, argsOf(r), args, () => first.body(r.body, () => first.term(r.head.value ?? TRUE, (v) => assignOnce(first, v, result, message)))));
    return;
  }
  const chosen = fb.newLocal();
  fb.emit({ op: 'resetLocal', target: chosen });
  chain.forEach((r, i) => {
    const bp = i === 0 ? first : newBody();
    fb.nested(() => {
      if (i > 0) fb.emit({ op: 'isUndefined', source: chosen });
      bindArgs(bp, argsOf(r), args, () => bp.body(r.body, () => bp.term(r.head.value ?? TRUE, (v) => assignOnce(bp, v, chosen, message))));
    });
  });
  fb.nested(() => {
    fb.emit({ op: 'isDefined', source: chosen });
    fb.emit({ op: 'assignVarOnce', source: localOp(chosen), target: result, message });
  });
}

function assignOnce(bp: BodyPlanner, v: Operand, target: Local, message: string): void {
  bp.fb.emit({ op: 'assignVarOnce', source: v, target, message });
}

/** Unifies a function's parameter patterns with the argument locals, then continues. */
function bindArgs(bp: BodyPlanner, patterns: Term[], args: Local[], k: () => void, i = 0): void {
  if (i >= patterns.length || i >= args.length) return k();
  bp.unifyLocal(patterns[i]!, localOp(args[i]!), () => bindArgs(bp, patterns, args, k, i + 1));
}

/** A keyed default: inserts `key: value` unless a definition already gave that key. */
function insertIfAbsent(bp: BodyPlanner, obj: Local, key: Term, value: Term): void {
  bp.terms([key, value], ([k, v]) => {
    const fb = bp.fb;
    const existing = fb.newLocal();
    fb.emit({ op: 'resetLocal', target: existing });
    fb.nested(() => fb.emit({ op: 'dot', source: localOp(obj), key: k!, target: existing }));
    fb.emit({ op: 'isUndefined', source: existing });
    fb.emit({ op: 'objectInsert', key: k!, value: v!, object: obj });
  });
}

/** Inserts a partial object definition's value at its key path, creating nested objects on the way. */
function insertAtPath(bp: BodyPlanner, obj: Local, def: RuleDef, leaves?: Local): void {
  const value = def.leafSet ? def.keyPath[def.keyPath.length - 1]! : (def.rule.head.value ?? TRUE);
  const keyTerms = def.leafSet ? def.keyPath.slice(0, -1) : def.keyPath;
  bp.terms([...keyTerms, value], (ops) => {
    const fb = bp.fb;
    const keys = ops.slice(0, -1);
    const v = ops[ops.length - 1]!;
    let cur = obj;
    const depth = def.leafSet ? keys.length : keys.length - 1;
    for (let i = 0; i < depth; i++) {
      const leaf = def.leafSet && i === depth - 1;
      const next = fb.newLocal();
      fb.emit({ op: 'resetLocal', target: next });
      fb.nested(() => fb.emit({ op: 'dot', source: localOp(cur), key: keys[i]!, target: next }));
      const parent = cur;
      fb.nested(() => {
        fb.emit({ op: 'isUndefined', source: next });
        fb.emit(leaf ? { op: 'makeSet', target: next } : { op: 'makeObject', target: next });
        fb.emit({ op: 'objectInsert', key: keys[i]!, value: localOp(next), object: parent });
      });
      if (leaves !== undefined) abortIfProduced(bp, leaves, keys.slice(0, i + 1));
      fb.emit(leaf ? { op: 'isSet', source: localOp(next) } : { op: 'isObject', source: localOp(next) });
      cur = next;
    }
    if (def.leafSet) fb.emit({ op: 'setAdd', value: v, set: cur });
    else {
      fb.emit({ op: 'objectInsertOnce', key: keys[keys.length - 1]!, value: v, object: cur, message: OBJECT_CONFLICT });
      if (leaves !== undefined) fb.emit({ op: 'setAdd', value: localOp(keyArray(bp, keys)), set: leaves });
    }
  });
}

function keyArray(bp: BodyPlanner, keys: Operand[]): Local {
  const arr = bp.fb.newLocal();
  bp.fb.emit({ op: 'makeArray', capacity: keys.length, target: arr });
  for (const k of keys) bp.fb.emit({ op: 'arrayAppend', value: k, array: arr });
  return arr;
}

/** Raises OPA's conflict when `prefix` is the key path of a value another definition produced. */
function abortIfProduced(bp: BodyPlanner, leaves: Local, prefix: Operand[]): void {
  const fb = bp.fb;
  const path = keyArray(bp, prefix);
  fb.nested(() => {
    const found = fb.newLocal();
    const flag = fb.newLocal();
    fb.emit({ op: 'dot', source: localOp(leaves), key: localOp(path), target: found });
    fb.emit({ op: 'resetLocal', target: flag });
    fb.emit({ op: 'assignVarOnce', source: { kind: 'bool', value: true }, target: flag, message: OBJECT_CONFLICT });
    fb.emit({ op: 'assignVarOnce', source: { kind: 'bool', value: false }, target: flag, message: OBJECT_CONFLICT });
  });
}
