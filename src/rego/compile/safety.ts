// Pass: safety — every variable must be bound before use. Reorders each body (as OPA does)
// so that expressions that bind a variable come before those that consume it, then reports
// what stays unbound as `rego_unsafe_var_error: var x is unsafe`.
import type { Body, Expr, Rule, Term, VarTerm } from '../syntax/ast.ts';
import { lookupBuiltin } from '../builtins/catalog.ts';
import { regoError, type ErrorSink } from './errors.ts';
import { closureBody, closureHead, displayName, exprCall, forEachVar, forEachVarInExpr, isClosure, operatorName } from './terms.ts';

/** Number of input arguments of a callable (user function or builtin), or undefined if variadic/unknown. */
export type ArityOf = (name: string) => number | undefined;

export function checkRuleSafety(rule: Rule, arity: ArityOf, errors: ErrorSink): Rule {
  const safe = new Set<string>();
  for (const a of rule.head.args ?? []) forEachVar(a, (v) => safe.add(v.name));
  const headTerms: Term[] = [...rule.head.ref.path, ...(rule.head.key ? [rule.head.key] : []), ...(rule.head.value ? [rule.head.value] : [])];
  const outer = new Set<string>(safe);
  for (const t of headTerms) forEachVar(t, (v) => outer.add(v.name), true);
  const checker = new SafetyChecker(arity, errors);
  const { body, safe: bound } = checker.reorder(rule.body, safe, outer);
  // A head variable that occurs in the body is reported there, if at all (as OPA does).
  const inBody = new Set<string>();
  for (const e of rule.body) forEachVarInExpr(e, (v) => inBody.add(v.name), true);
  reportUnsafeTerms(headTerms, new Set([...bound, ...inBody]), outer, arity, errors);
  for (const t of headTerms) checker.closuresIn(t, bound, outer);
  const out: Rule = { ...rule, body };
  if (rule.else) out.else = checkRuleSafety(rule.else, arity, errors);
  return out;
}

class SafetyChecker {
  constructor(
    private readonly arity: ArityOf,
    private readonly errors: ErrorSink,
  ) {}

  /**
   * Orders `body` so each expression's inputs are bound by earlier ones. `safe` holds vars
   * bound on entry; `outer` the vars of enclosing scopes that closures may refer to.
   */
  reorder(body: Body, safe0: Set<string>, outer0: Set<string>): { body: Body; safe: Set<string> } {
    const outer = new Set(outer0);
    for (const e of body) forEachVarInExpr(e, (v) => outer.add(v.name), true);
    const safe = new Set(safe0);
    const placed: Expr[] = [];
    let remaining = body.slice();
    let progress = true;
    while (remaining.length && progress) {
      progress = false;
      const next: Expr[] = [];
      for (const e of remaining) {
        const sim = new ExprSim(safe, outer, this.arity);
        sim.expr(e);
        if (sim.unsafe.length === 0) {
          placed.push(this.rewriteNested(e, new Set(safe), outer));
          for (const v of sim.binds) safe.add(v);
          progress = true;
        } else next.push(e);
      }
      remaining = next;
    }
    for (const e of remaining) {
      const sim = new ExprSim(safe, outer, this.arity);
      sim.expr(e);
      const reported = new Set<string>();
      for (const v of sim.unsafe) {
        if (reported.has(v.name)) continue;
        reported.add(v.name);
        this.errors.push(regoError('rego_unsafe_var_error', `var ${displayName(v.name)} is unsafe`, v.loc));
      }
      placed.push(e);
    }
    return { body: placed, safe };
  }

  /** Reorders closure and `every` bodies inside an expression placed with `safe` bound. */
  private rewriteNested(e: Expr, safe: Set<string>, outer: Set<string>): Expr {
    const b = e.body;
    const t = (x: Term): Term => this.closures(x, safe, outer);
    const withs = e.with.map((w) => ({ ...w, value: t(w.value) }));
    switch (b.kind) {
      case 'term':
        return { ...e, with: withs, body: { kind: 'term', term: t(b.term) } };
      case 'somein':
        return { ...e, with: withs, body: { ...b, collection: t(b.collection), value: t(b.value), key: b.key && t(b.key) } };
      case 'every': {
        const inner = new Set(safe);
        inner.add(b.value.name);
        if (b.key) inner.add(b.key.name);
        const r = this.reorder(b.body, inner, outer);
        return { ...e, with: withs, body: { ...b, domain: t(b.domain), body: r.body } };
      }
      default:
        return e;
    }
  }

  closuresIn(t: Term, safe: Set<string>, outer: Set<string>): void {
    this.closures(t, safe, outer);
  }

  private closures(t: Term, safe: Set<string>, outer: Set<string>): Term {
    if (isClosure(t)) {
      const r = this.reorder(closureBody(t), safe, outer);
      reportUnsafeTerms(closureHead(t), r.safe, outer, this.arity, this.errors, true);
      const innerOuter = new Set(outer);
      for (const e of r.body) forEachVarInExpr(e, (v) => innerOuter.add(v.name), true);
      const heads = closureHead(t).map((h) => this.closures(h, r.safe, innerOuter));
      if (t.type === 'objectcompr') return { ...t, body: r.body, key: heads[0]!, value: heads[1]! };
      if (t.type === 'arraycompr' || t.type === 'setcompr') return { ...t, body: r.body, term: heads[0]! };
      return t;
    }
    switch (t.type) {
      case 'ref':
        return { ...t, head: this.closures(t.head, safe, outer), path: t.path.map((p) => this.closures(p, safe, outer)) };
      case 'array':
        return { ...t, items: t.items.map((i) => this.closures(i, safe, outer)) };
      case 'set':
        return { ...t, items: t.items.map((i) => this.closures(i, safe, outer)) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.closures(k, safe, outer), this.closures(v, safe, outer)] as [Term, Term]) };
      case 'call':
        return { ...t, args: t.args.map((a) => this.closures(a, safe, outer)) };
      default:
        return t;
    }
  }
}

/**
 * Simulates evaluating one expression given the bound vars: collects the vars it would bind
 * and the var occurrences it would need but that are not bound.
 */
export class ExprSim {
  readonly binds = new Set<string>();
  readonly unsafe: VarTerm[] = [];
  constructor(
    private readonly safe: ReadonlySet<string>,
    private readonly outer: ReadonlySet<string>,
    private readonly arity: ArityOf,
  ) {}

  private isBound(name: string): boolean {
    return this.safe.has(name) || this.binds.has(name);
  }

  expr(e: Expr): void {
    for (const w of e.with) if (!namesBuiltin(w.value, this.safe)) this.input(w.value);
    if (e.negated) {
      const inner = new ExprSim(new Set([...this.safe, ...this.binds]), this.outer, this.arity);
      inner.exprBody(e);
      for (const v of inner.unsafe) this.unsafe.push(v);
      // Vars a negation would bind stay local to it; only wildcards may be left unbound.
      for (const name of inner.binds) {
        if (!name.startsWith('$')) {
          let loc: VarTerm | undefined;
          forEachVarInExpr(e, (v) => {
            if (!loc && v.name === name) loc = v;
          });
          if (loc) this.unsafe.push(loc);
        }
      }
      return;
    }
    this.exprBody(e);
  }

  private exprBody(e: Expr): void {
    const b = e.body;
    switch (b.kind) {
      case 'some':
        return;
      case 'somein':
        this.input(b.collection);
        if (b.key) this.pattern(b.key);
        this.pattern(b.value);
        return;
      case 'every': {
        this.input(b.domain);
        const local = new Set([b.value.name, ...(b.key ? [b.key.name] : [])]);
        for (const x of b.body) forEachVarInExpr(x, (v) => this.needOuter(v, local));
        return;
      }
      case 'term': {
        const call = exprCall(e);
        if (call && (call.name === 'eq' || call.name === 'assign') && call.args.length === 2) {
          this.unify(call.args[0]!, call.args[1]!);
          return;
        }
        this.input(b.term);
      }
    }
  }

  /** A var a closure refers to must be bound when it belongs to an enclosing scope. */
  private needOuter(v: VarTerm, local: ReadonlySet<string>): void {
    if (local.has(v.name) || v.wildcard || v.name === 'input' || v.name === 'data') return;
    if (this.outer.has(v.name) && !this.isBound(v.name)) this.unsafe.push(v);
  }

  private trial(f: (s: ExprSim) => void): boolean {
    const s = new ExprSim(new Set([...this.safe, ...this.binds]), this.outer, this.arity);
    f(s);
    return s.unsafe.length === 0;
  }

  /** t is evaluated to a value: all its vars must be bound, except those a ref generates. */
  input(t: Term): void {
    switch (t.type) {
      case 'var':
        if (!this.isBound(t.name) && t.name !== 'input' && t.name !== 'data') this.unsafe.push(t);
        return;
      case 'ref':
        if (t.head.type === 'var') {
          if (t.head.name !== 'input' && t.head.name !== 'data') this.input(t.head);
        } else this.input(t.head);
        for (const p of t.path) {
          if (p.type === 'var') {
            if (!this.isBound(p.name)) this.binds.add(p.name);
          } else if (p.type === 'array' || p.type === 'object') this.pattern(p);
          else this.input(p);
        }
        return;
      case 'array':
      case 'set':
        for (const i of t.items) this.input(i);
        return;
      case 'object':
        for (const [k, v] of t.entries) {
          this.input(k);
          this.input(v);
        }
        return;
      case 'call':
        this.call(t);
        return;
      case 'arraycompr':
      case 'setcompr':
      case 'objectcompr':
        forEachVar(t, (v) => this.needOuter(v, new Set()));
        return;
      default:
        return;
    }
  }

  private call(t: Extract<Term, { type: 'call' }>): void {
    const name = operatorName(t.operator) ?? '';
    if (name === 'print') {
      // Each argument is its own closure (OPA rewrites it to a set comprehension): its vars
      // must be bound, except those a reference inside it generates, which stay inside it.
      for (const a of t.args) {
        const inner = new ExprSim(new Set([...this.safe, ...this.binds]), this.outer, this.arity);
        inner.input(a);
        this.unsafe.push(...inner.unsafe);
      }
      return;
    }
    const n = this.arity(name);
    const inputs = n === undefined ? t.args : t.args.slice(0, n);
    for (const a of inputs) this.input(a);
    if (n !== undefined) for (const a of t.args.slice(n)) this.pattern(a);
  }

  /** t is matched against a known value: unbound vars in pattern positions become bound. */
  pattern(t: Term): void {
    switch (t.type) {
      case 'var':
        if (!this.isBound(t.name)) this.binds.add(t.name);
        return;
      case 'array':
        for (const i of t.items) this.pattern(i);
        return;
      case 'object':
        for (const [k, v] of t.entries) {
          this.input(k);
          this.pattern(v);
        }
        return;
      default:
        this.input(t);
    }
  }

  private unify(a: Term, b: Term): void {
    if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
      const pairs = a.items.map((x, i) => [x, b.items[i]!] as [Term, Term]);
      let pending = pairs;
      let progress = true;
      while (pending.length && progress) {
        progress = false;
        const rest: Array<[Term, Term]> = [];
        for (const [x, y] of pending) {
          if (this.trial((s) => s.unify(x, y))) {
            this.unify(x, y);
            progress = true;
          } else rest.push([x, y]);
        }
        pending = rest;
      }
      for (const [x, y] of pending) this.unify(x, y);
      return;
    }
    if (a.type === 'object' && b.type === 'object') {
      const bm = new Map(b.entries.map(([k, v]) => [JSON.stringify(stripLocs(k)), v]));
      for (const [k, v] of a.entries) {
        const other = bm.get(JSON.stringify(stripLocs(k)));
        if (other) this.unify(v, other);
        else {
          this.input(k);
          this.pattern(v);
        }
      }
      return;
    }
    if (this.trial((s) => s.input(b))) {
      this.input(b);
      this.pattern(a);
      return;
    }
    if (this.trial((s) => s.input(a))) {
      this.input(a);
      this.pattern(b);
      return;
    }
    // Neither side can be evaluated yet: what is missing is what the value side needs,
    // not the variables the pattern side would bind (`msg := f(who)`: only `who` is unsafe).
    if (isPattern(a)) {
      this.input(b);
      this.pattern(a);
      return;
    }
    if (isPattern(b)) {
      this.input(a);
      this.pattern(b);
      return;
    }
    this.input(a);
    this.input(b);
  }
}

function isPattern(t: Term): boolean {
  return t.type === 'var' || t.type === 'array' || t.type === 'object';
}

function stripLocs(t: Term): unknown {
  return JSON.parse(JSON.stringify(t, (k, v) => (k === 'loc' ? undefined : v)));
}

/** Terms evaluated with `bound` vars (rule and closure heads): every var in them must be bound. */
function reportUnsafeTerms(terms: Term[], bound: Set<string>, outer: Set<string>, arity: ArityOf, errors: ErrorSink, mayGenerate = false): void {
  const sim = new ExprSim(bound, outer, arity);
  for (const t of terms) sim.input(t);
  const reported = new Set<string>();
  const report = (v: VarTerm) => {
    if (reported.has(v.name)) return;
    reported.add(v.name);
    errors.push(regoError('rego_unsafe_var_error', `var ${displayName(v.name)} is unsafe`, v.loc));
  };
  for (const v of sim.unsafe) report(v);
  if (sim.binds.size && !mayGenerate) for (const t of terms) forEachVar(t, (v) => sim.binds.has(v.name) && report(v));
}

/** `with f as count`: a value naming a builtin (not a bound variable) is the builtin itself, not a variable. */
function namesBuiltin(t: Term, safe: ReadonlySet<string>): boolean {
  if (t.type === 'var') return !safe.has(t.name) && lookupBuiltin(t.name, 0) !== undefined;
  if (t.type !== 'ref' || t.head.type !== 'var' || safe.has(t.head.name)) return false;
  const name = operatorName(t);
  return name !== undefined && lookupBuiltin(name, 0) !== undefined;
}
