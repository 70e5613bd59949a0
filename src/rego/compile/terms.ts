// Helpers over AST terms and bodies shared by the compile passes and the planner: walking, mapping, naming.
import type { Body, Expr, Location, RefTerm, Term, VarTerm } from '../syntax/ast.ts';
import { formatTerm } from '../syntax/printer.ts';

/** Separator the local-variable pass puts between a var's source name and its unique suffix. */
export const LOCAL_SEP = '§';

/** The name a user wrote for a (possibly rewritten) variable, for messages. */
export function displayName(name: string): string {
  const i = name.indexOf(LOCAL_SEP);
  return i < 0 ? name : name.slice(0, i);
}

export function isClosure(t: Term): boolean {
  return t.type === 'arraycompr' || t.type === 'setcompr' || t.type === 'objectcompr';
}

/** Direct sub-terms of a term, excluding closure bodies (see `closureParts`). */
export function childTerms(t: Term): Term[] {
  switch (t.type) {
    case 'ref':
      return [t.head, ...t.path];
    case 'array':
    case 'set':
      return t.items;
    case 'object':
      return t.entries.flat();
    case 'call':
      return t.args;
    default:
      return [];
  }
}

/** Calls `fn` for every variable in `t`; closure bodies and heads are entered unless `skipClosures`. */
export function forEachVar(t: Term, fn: (v: VarTerm) => void, skipClosures = false): void {
  if (t.type === 'var') return fn(t);
  if (isClosure(t)) {
    if (skipClosures) return;
    for (const e of closureBody(t)) forEachVarInExpr(e, fn, false);
    for (const h of closureHead(t)) forEachVar(h, fn, false);
    return;
  }
  for (const c of childTerms(t)) forEachVar(c, fn, skipClosures);
}

export function forEachVarInExpr(e: Expr, fn: (v: VarTerm) => void, skipClosures = false): void {
  for (const t of exprTerms(e)) forEachVar(t, fn, skipClosures);
  if (e.body.kind === 'every' && !skipClosures) for (const x of e.body.body) forEachVarInExpr(x, fn, false);
}

/** The terms an expression holds at its own level (every's body excluded). */
export function exprTerms(e: Expr): Term[] {
  const out: Term[] = [];
  const b = e.body;
  if (b.kind === 'term') out.push(b.term);
  else if (b.kind === 'some') out.push(...b.vars);
  else if (b.kind === 'somein') {
    if (b.key) out.push(b.key);
    out.push(b.value, b.collection);
  } else {
    if (b.key) out.push(b.key);
    out.push(b.value, b.domain);
  }
  for (const w of e.with) out.push(w.value);
  return out;
}

export function closureBody(t: Term): Body {
  return t.type === 'arraycompr' || t.type === 'setcompr' || t.type === 'objectcompr' ? t.body : [];
}

export function closureHead(t: Term): Term[] {
  if (t.type === 'arraycompr' || t.type === 'setcompr') return [t.term];
  if (t.type === 'objectcompr') return [t.key, t.value];
  return [];
}

export function varNames(t: Term, skipClosures = false): Set<string> {
  const s = new Set<string>();
  forEachVar(t, (v) => s.add(v.name), skipClosures);
  return s;
}

/** True when the term holds no variables at all (closures count as non-ground). */
export function isGround(t: Term): boolean {
  if (t.type === 'var' || isClosure(t) || t.type === 'call') return false;
  return childTerms(t).every(isGround);
}

export function isScalar(t: Term): boolean {
  return t.type === 'null' || t.type === 'boolean' || t.type === 'number' || t.type === 'string';
}

/** Leading constant string elements of a ref whose head is a var: `data.a.b[x].c` → ['data','a','b']. */
export function refStaticPrefix(ref: RefTerm): string[] {
  if (ref.head.type !== 'var') return [];
  const out = [ref.head.name];
  for (const p of ref.path) {
    if (p.type !== 'string') break;
    out.push(p.value);
  }
  return out;
}

export function refText(ref: RefTerm): string {
  return termText(ref);
}

/** Compact Rego-like text of a term, for messages and keys: source variable names, comprehension bodies elided. */
export function termText(t: Term): string {
  return formatTerm(t, { varName: displayName, elideBodies: true });
}

/** The dotted name of a call operator (`time.now_ns`, `data.lib.f`), or undefined when it has dynamic parts. */
export function operatorName(ref: RefTerm): string | undefined {
  const prefix = refStaticPrefix(ref);
  return prefix.length === ref.path.length + 1 ? prefix.join('.') : undefined;
}

export function makeVar(name: string, loc: Location): VarTerm {
  return { type: 'var', name, loc };
}

export function makeRef(parts: string[], loc: Location): RefTerm {
  return {
    type: 'ref',
    head: makeVar(parts[0]!, loc),
    path: parts.slice(1).map((value) => ({ type: 'string', value, loc })),
    loc,
  };
}

/**
 * Rebuilds a term bottom-up. `f` may return a replacement for a node (then its children are
 * not visited) or undefined to recurse. Closure bodies are mapped with `mapExprFn`.
 */
export function mapTerm(t: Term, f: (t: Term) => Term | undefined, mapExprFn?: (e: Expr) => Expr): Term {
  const r = f(t);
  if (r) return r;
  const m = (x: Term): Term => mapTerm(x, f, mapExprFn);
  const mb = (b: Body): Body => (mapExprFn ? b.map(mapExprFn) : b);
  switch (t.type) {
    case 'ref':
      return { ...t, head: m(t.head), path: t.path.map(m) };
    case 'array':
      return { ...t, items: t.items.map(m) };
    case 'set':
      return { ...t, items: t.items.map(m) };
    case 'object':
      return { ...t, entries: t.entries.map(([k, v]) => [m(k), m(v)] as [Term, Term]) };
    case 'call':
      return { ...t, operator: m(t.operator) as RefTerm, args: t.args.map(m) };
    case 'arraycompr':
      return { ...t, body: mb(t.body), term: m(t.term) };
    case 'setcompr':
      return { ...t, body: mb(t.body), term: m(t.term) };
    case 'objectcompr':
      return { ...t, body: mb(t.body), key: m(t.key), value: m(t.value) };
    default:
      return t;
  }
}

/** Whether an expression is a call to one of the named builtins (`eq`, `assign`…). */
export function exprCall(e: Expr): { name: string; args: Term[] } | undefined {
  if (e.body.kind !== 'term' || e.body.term.type !== 'call') return undefined;
  const name = operatorName(e.body.term.operator);
  return name === undefined ? undefined : { name, args: e.body.term.args };
}
