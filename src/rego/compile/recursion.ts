// Pass: dependencies between rule groups (what each reads and calls) and the recursion check over them.
import type { Body, RefTerm, Rule, Term } from '../syntax/ast.ts';
import { regoError, type ErrorSink } from './errors.ts';
import type { GroupDeps, RuleGroup } from './program.ts';
import { pathKey } from './program.ts';
import { childTerms, closureBody, closureHead, exprTerms, isClosure, operatorName, refStaticPrefix } from './terms.ts';

export function collectDeps(group: RuleGroup, isFunction: (path: string[]) => boolean): GroupDeps {
  const deps: GroupDeps = { dataRefs: [], funcs: new Set(), builtins: new Set() };
  const term = (t: Term): void => {
    if (t.type === 'ref' && t.head.type === 'var' && t.head.name === 'data') deps.dataRefs.push(refGroundPrefix(t));
    if (t.type === 'call') {
      const name = operatorName(t.operator);
      if (name !== undefined) {
        const parts = refStaticPrefix(t.operator);
        if (parts[0] === 'data' && isFunction(parts)) deps.funcs.add(pathKey(parts));
        else deps.builtins.add(name);
      }
    }
    if (isClosure(t)) {
      body(closureBody(t));
      closureHead(t).forEach(term);
    } else childTerms(t).forEach(term);
  };
  const body = (b: Body): void => {
    for (const e of b) {
      exprTerms(e).forEach(term);
      for (const w of e.with) {
        const wt = refStaticPrefix(w.target);
        if (wt[0] === 'data' && isFunction(wt)) deps.funcs.add(pathKey(wt));
      }
      if (e.body.kind === 'every') body(e.body.body);
    }
  };
  const rule = (r: Rule): void => {
    for (const t of [...r.head.ref.path, ...(r.head.args ?? []), ...(r.head.key ? [r.head.key] : []), ...(r.head.value ? [r.head.value] : [])]) term(t);
    body(r.body);
    if (r.else) rule(r.else);
  };
  for (const d of group.defs) rule(d.rule);
  if (group.default) rule(group.default.rule);
  return deps;
}

/** Groups that a group's dependencies reach directly. */
export function directEdges(deps: GroupDeps, groups: Map<string, RuleGroup>): RuleGroup[] {
  const out = new Set<RuleGroup>();
  for (const f of deps.funcs) {
    const g = groups.get(f);
    if (g) out.add(g);
  }
  for (const ref of deps.dataRefs) {
    for (const g of groups.values()) {
      if (g.kind === 'function') continue;
      if (isPrefix(g.path, ref) || isPrefix(ref, g.path)) out.add(g);
    }
  }
  return [...out];
}

export function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((x, i) => x === b[i]);
}

export function checkRecursion(groups: Map<string, RuleGroup>, deps: Map<string, GroupDeps>, errors: ErrorSink): void {
  const edges = new Map<string, string[]>();
  for (const [k, d] of deps) edges.set(k, directEdges(d, groups).map((g) => pathKey(g.path)));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (k: string): void => {
    state.set(k, 'active');
    stack.push(k);
    for (const n of edges.get(k) ?? []) {
      const s = state.get(n);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(n)), n];
        const g = groups.get(n)!;
        if (!reported.has(n)) {
          reported.add(n);
          const def = g.defs[0] ?? g.default;
          const names = cycle.map((c) => groups.get(c)!.path.join('.'));
          if (def) errors.push(regoError('rego_recursion_error', `rule ${g.path.join('.')} is recursive: ${names.join(' -> ')}`, def.rule.loc));
        }
      } else if (!s) visit(n);
    }
    stack.pop();
    state.set(k, 'done');
  };
  for (const k of groups.keys()) if (!state.has(k)) visit(k);
}

/** Like the static prefix, but numbers and booleans in the path count as their key text (data[1] reads data["1"]). */
export function refGroundPrefix(ref: RefTerm): string[] {
  const out = [ref.head.type === 'var' ? ref.head.name : ''];
  for (const p of ref.path) {
    if (p.type === 'string') out.push(p.value);
    else if (p.type === 'number') out.push(p.text);
    else if (p.type === 'boolean') out.push(String(p.value));
    else break;
  }
  return out;
}
