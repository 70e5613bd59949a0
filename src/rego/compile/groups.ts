// Pass: group rules by the document path they define, check that the definitions of one path
// agree (kind, arity, one default, no else on multi-value rules) and build the document tree.
import type { Module, Rule, Term } from '../syntax/ast.ts';
import { regoError, type ErrorSink } from './errors.ts';
import type { DocNode, GroupKind, RuleDef, RuleGroup } from './program.ts';
import { pathKey } from './program.ts';
import { packagePath } from './resolve.ts';
import { isClosure, isGround, termText } from './terms.ts';

/** The path and dynamic head elements of one rule, relative to its group. */
export interface HeadShape {
  path: string[];
  kind: GroupKind;
  keyPath: Term[];
  leafSet: boolean;
}

export function headShape(module: Module, rule: Rule): HeadShape {
  const h = rule.head;
  const elems: Term[] = [...h.ref.path];
  let kind: GroupKind = h.kind;
  let key = h.key;
  // The parser keeps a partial object's key as the last element of its ref (`p[k] := v`);
  // a partial set's element is never part of its ref (`a.b contains "b"` has ref a.b).
  if (kind === 'partialObject') {
    const last = elems.pop();
    key ??= last;
  }
  const statics: string[] = [];
  let i = 0;
  for (; i < elems.length; i++) {
    const e = elems[i]!;
    if (e.type !== 'string') break;
    statics.push(e.value);
  }
  const dyn = elems.slice(i);
  const head = h.ref.head.type === 'var' ? h.ref.head.name : termText(h.ref.head);
  const path = [...packagePath(module), head, ...statics];
  if (kind === 'complete' && dyn.length) {
    kind = 'partialObject';
    key = dyn.pop();
  }
  const keyPath = kind === 'partialObject' || kind === 'partialSet' ? [...dyn, ...(key ? [key] : [])] : [];
  const leafSet = kind === 'partialSet' && dyn.length > 0;
  if (leafSet) kind = 'partialObject';
  return { path, kind, keyPath, leafSet };
}

export function buildGroups(modules: Module[], errors: ErrorSink): { groups: Map<string, RuleGroup>; root: DocNode } {
  const groups = new Map<string, RuleGroup>();
  const root: DocNode = { name: 'data', path: ['data'], children: new Map() };
  const nodeAt = (path: string[]): DocNode => {
    let n = root;
    for (let i = 1; i < path.length; i++) {
      const name = path[i]!;
      let c = n.children.get(name);
      if (!c) {
        c = { name, path: path.slice(0, i + 1), children: new Map() };
        n.children.set(name, c);
      }
      n = c;
    }
    return n;
  };
  for (const m of modules) nodeAt(packagePath(m));
  for (const m of modules) {
    for (const rule of m.rules) {
      const shape = headShape(m, rule);
      const name = shape.path[packagePath(m).length];
      if (m.regoVersion === 1 && (name === 'input' || name === 'data')) {
        errors.push(regoError('rego_compile_error', `rules must not shadow ${name} (use a different rule name): ${name} cannot be shadowed`, rule.loc));
        continue;
      }
      const key = pathKey(shape.path);
      let g = groups.get(key);
      const arity = rule.head.args?.length;
      if (!g) {
        g = { path: shape.path, kind: shape.kind, defs: [], ...(arity !== undefined ? { arity } : {}) };
        groups.set(key, g);
        nodeAt(shape.path).group = g;
      } else if (g.kind !== shape.kind) {
        errors.push(regoError('rego_type_error', `conflicting rules ${shape.path.join('.')} found`, rule.loc));
        continue;
      } else if (g.kind === 'function' && g.arity !== arity) {
        errors.push(regoError('rego_type_error', `conflicting rules ${shape.path.join('.')} found: function has arity ${g.arity} and ${arity}`, rule.loc));
        continue;
      }
      if (rule.else && (shape.kind === 'partialSet' || shape.kind === 'partialObject')) {
        errors.push(regoError('rego_type_error', `else keyword cannot be used on multi-value rules`, rule.loc));
        continue;
      }
      const def: RuleDef = { rule, module: m, keyPath: shape.keyPath, ...(shape.leafSet ? { leafSet: true } : {}) };
      if (rule.default && g.kind === 'partialObject' && !shape.leafSet && shape.keyPath.length === 1 && isGround(shape.keyPath[0]!)) {
        // `default p[true] := v` defaults one constant key of the object (OPA's rule tree node p[true]).
        const key = JSON.stringify(shape.keyPath[0], (k, v) => (k === 'loc' ? undefined : v));
        const dup = (g.keyDefaults ?? []).some((d) => JSON.stringify(d.keyPath[0], (k, v) => (k === 'loc' ? undefined : v)) === key);
        if (dup) errors.push(regoError('rego_type_error', `multiple default rules ${shape.path.join('.')}[${termText(shape.keyPath[0]!)}] found`, rule.loc));
        else (g.keyDefaults ??= []).push(def);
        checkDefaultValue(rule, errors);
        continue;
      }
      if (rule.default) {
        if (g.default) {
          errors.push(regoError('rego_type_error', `multiple default rules ${shape.path.join('.')} found`, rule.loc));
          continue;
        }
        checkDefaultValue(rule, errors);
        g.default = def;
      } else g.defs.push(def);
    }
  }
  for (const g of [...groups.values()]) if (g.kind === 'partialObject') absorbKeyedRules(nodeAt(g.path), g, groups);
  checkTree(root, errors);
  return { groups, root };
}

/**
 * Complete rules below a partial object's path (`c.hello := 1` beside `c[k] := v`) define keys
 * of that object: they become definitions of the object with a constant key path.
 */
function absorbKeyedRules(node: DocNode, group: RuleGroup, groups: Map<string, RuleGroup>): void {
  // `peers[a] contains b` beside `peers.m contains "x"`: both add to the set at peers.m.
  const depths = new Set(group.defs.map((d) => (d.leafSet ? d.keyPath.length - 1 : -1)));
  const setDepth = depths.size === 1 && !depths.has(-1) ? [...depths][0] : undefined;
  const visit = (n: DocNode, keys: string[]): boolean => {
    let all = true;
    for (const [name, child] of [...n.children]) {
      const path = [...keys, name];
      const g = child.group;
      const loc = g?.defs[0]?.rule.loc ?? { file: '', line: 0, col: 0 };
      const constKeys = (): Term[] => path.map((value) => ({ type: 'string', value, loc }));
      if (g && g.kind === 'complete' && !g.default && child.children.size === 0) {
        for (const d of g.defs) group.defs.push({ ...d, keyPath: constKeys() });
        groups.delete(pathKey(g.path));
        n.children.delete(name);
      } else if (g && g.kind === 'partialSet' && child.children.size === 0 && setDepth === path.length) {
        for (const d of g.defs) group.defs.push({ ...d, keyPath: [...constKeys(), d.keyPath[0]!], leafSet: true });
        groups.delete(pathKey(g.path));
        n.children.delete(name);
      } else if (!g && visit(child, path)) n.children.delete(name);
      else all = false;
    }
    return all;
  };
  visit(node, []);
}

function checkDefaultValue(rule: Rule, errors: ErrorSink): void {
  const v = rule.head.value;
  if (!v) return;
  const bad = (t: Term): string | undefined => {
    if (t.type === 'var') return 'var';
    if (t.type === 'ref') return 'ref';
    if (t.type === 'call') return 'call';
    if (isClosure(t)) return undefined;
    if (t.type === 'array' || t.type === 'set') return t.items.map(bad).find((x) => x);
    if (t.type === 'object') return t.entries.flat().map(bad).find((x) => x);
    return undefined;
  };
  const what = bad(v);
  if (what) errors.push(regoError('rego_type_error', `default rule value cannot contain ${what}: invalid \`${what}\` in default value`, v.loc));
  if (rule.body.length) errors.push(regoError('rego_type_error', `default rules must not have a body`, rule.loc));
}

function checkTree(node: DocNode, errors: ErrorSink): void {
  if (node.group && node.group.kind !== 'function' && node.children.size) {
    const first = node.group.defs[0] ?? node.group.default;
    const child = [...node.children.values()][0]!;
    if (first) errors.push(regoError('rego_type_error', `rule ${node.path.join('.')} conflicts with ${child.path.join('.')}: rule conflicts with the following rule`, first.rule.loc));
  }
  for (const c of node.children.values()) checkTree(c, errors);
}
