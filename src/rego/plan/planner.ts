// The planner: lowers a compiled program to an IR Policy — one plan per entrypoint, one function
// per rule group and per virtual document it needs, re-planned per `with` scope that affects it.
import type { RegoError, Term } from '../syntax/ast.ts';
import type { CompiledProgram, DocNode, RuleGroup } from '../compile/program.ts';
import { pathKey } from '../compile/program.ts';
import { directEdges, isPrefix } from '../compile/recursion.ts';
import { BodyPlanner, type PlannerServices } from './body.ts';
import { FuncBuilder, PolicyBuilder, localOp } from './builder.ts';
import { DATA_LOCAL, INPUT_LOCAL, type Func, type Policy } from './ir.ts';
import { dataOverridden, NO_OVERRIDES, type Overrides } from './overrides.ts';
import { planGroup } from './rules.ts';

export class Planner implements PlannerServices {
  readonly pb = new PolicyBuilder();
  readonly errors: RegoError[] = [];
  private readonly funcNames = new Map<string, string>();
  private readonly affectedCache = new Map<string, boolean>();
  private counter = 0;

  constructor(readonly program: CompiledProgram) {}

  /** Adds a plan named `name` evaluating the document at `path` (absolute, starting with 'data'). */
  planEntrypoint(name: string, path: string[]): void {
    const fb = new FuncBuilder(2);
    const bp = new BodyPlanner(this, fb, NO_OVERRIDES, INPUT_LOCAL, DATA_LOCAL);
    const loc = { file: '<entrypoint>', line: 1, col: 1 };
    const terms: Term[] = path.slice(1).map((value) => ({ type: 'string', value, loc }));
    bp.dataRef(terms, (op) => fb.emit({ op: 'resultSetAdd', value: bp.toLocal(op) }));
    this.pb.plans.push({ name, blocks: fb.topBlocks() });
  }

  build(): Policy {
    return this.pb.build();
  }

  groupFunc(group: RuleGroup, ov: Overrides): string {
    const effective = ov.key && this.affected(group, ov) ? ov : NO_OVERRIDES;
    return this.ensure(`g:${pathKey(group.path)}|${effective.key}`, group.path, effective.key, planGroupNamed(this, group, effective));
  }

  docFunc(node: DocNode, ov: Overrides): string {
    return this.ensure(`d:${pathKey(node.path)}|${ov.key}`, node.path, ov.key, (name) => this.planDoc(node, ov, name));
  }

  private ensure(key: string, path: string[], variant: string, plan: (name: string) => Func): string {
    const existing = this.funcNames.get(key);
    if (existing) return existing;
    const name = `g${this.counter++}.${path.join('.')}${variant ? '#with' : ''}`;
    this.funcNames.set(key, name);
    this.pb.funcs.push(plan(name));
    return name;
  }

  /** The virtual document at a tree node: every rule below it, merged over the base data there. */
  private planDoc(node: DocNode, ov: Overrides, name: string): Func {
    const fb = new FuncBuilder(2);
    const result = fb.newLocal();
    const obj = fb.newLocal();
    fb.emit({ op: 'makeObject', target: obj });
    for (const child of [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (dataOverridden(ov, child.path) || child.group?.kind === 'function') continue;
      const key = this.pb.strOperand(child.name);
      const func = child.group ? this.groupFunc(child.group, ov) : this.docFunc(child, ov);
      fb.nested(() => {
        const t = fb.newLocal();
        fb.emit({ op: 'call', func, args: [localOp(INPUT_LOCAL), localOp(DATA_LOCAL)], result: t });
        fb.emit({ op: 'objectInsert', key, value: localOp(t), object: obj });
      });
    }
    fb.emit({ op: 'assignVar', source: localOp(obj), target: result });
    fb.nested(() => {
      let cur = DATA_LOCAL;
      for (const seg of node.path.slice(1)) {
        const t = fb.newLocal();
        fb.emit({ op: 'dot', source: localOp(cur), key: this.pb.strOperand(seg), target: t });
        cur = t;
      }
      const merged = fb.newLocal();
      fb.emit({ op: 'objectMerge', a: obj, b: cur, target: merged });
      fb.emit({ op: 'assignVar', source: localOp(merged), target: result });
    });
    return { name, params: [INPUT_LOCAL, DATA_LOCAL], result, blocks: fb.topBlocks(), path: node.path, memoize: true };
  }

  /** Whether a group reads (directly or through other groups) something the overrides replace. */
  private affected(group: RuleGroup, ov: Overrides, visiting = new Set<string>()): boolean {
    const key = `${pathKey(group.path)}|${ov.key}`;
    const cached = this.affectedCache.get(key);
    if (cached !== undefined) return cached;
    if (visiting.has(key)) return false;
    visiting.add(key);
    const deps = this.program.deps.get(pathKey(group.path));
    let hit = false;
    if (deps) {
      hit =
        deps.dataRefs.some((r) => ov.data.some((p) => isPrefix(p, r) || isPrefix(r, p))) ||
        [...deps.funcs].some((f) => ov.funcs.has(f)) ||
        [...deps.builtins].some((b) => ov.funcs.has(b));
      if (!hit) hit = directEdges(deps, this.program.groups).some((g) => this.affected(g, ov, visiting));
    }
    this.affectedCache.set(key, hit);
    return hit;
  }
}

function planGroupNamed(p: Planner, group: RuleGroup, ov: Overrides): (name: string) => Func {
  return (name) => planGroup(p, group, name, ov);
}
