// Pass: rewrite local variables — `:=`, `some`, `some … in`, `every` and function arguments
// declare variables in a scope; each declared variable gets a unique name (`x§3`) so that
// later stages can treat names as unique, and misuse is reported the way OPA does.
import type { Body, Expr, Module, Rule, Term, VarTerm } from '../syntax/ast.ts';
import { regoError, type ErrorSink } from './errors.ts';
import { LOCAL_SEP, mapTerm, exprCall } from './terms.ts';

class Scope {
  readonly declared = new Map<string, string>();
  readonly used = new Set<string>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): string | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const n = s.declared.get(name);
      if (n !== undefined) return n;
    }
    return undefined;
  }
}

export function rewriteLocals(module: Module, errors: ErrorSink): Module {
  const rw = new LocalRewriter(errors, module.regoVersion);
  return { ...module, rules: module.rules.map((r) => rw.rule(r, undefined)) };
}

class LocalRewriter {
  private counter = 0;
  constructor(
    private readonly errors: ErrorSink,
    private readonly regoVersion: 0 | 1,
  ) {}

  rule(rule: Rule, inheritedArgs: Term[] | undefined): Rule {
    const scope = new Scope();
    const argsIn = rule.head.args ?? inheritedArgs;
    const args = argsIn?.map((a) => this.declare(a, scope, 'arg'));
    const body = this.body(rule.body, scope);
    const use = (t: Term | undefined): Term | undefined => (t ? this.term(t, scope) : undefined);
    const head = {
      ...rule.head,
      ref: { ...rule.head.ref, path: rule.head.ref.path.map((p) => this.term(p, scope)) },
      ...(args ? { args } : {}),
      key: use(rule.head.key),
      value: use(rule.head.value),
    };
    const out: Rule = { ...rule, head, body };
    if (rule.else) out.else = this.rule(rule.else, argsIn);
    return out;
  }

  body(body: Body, scope: Scope): Body {
    const out: Body = [];
    for (const e of body) {
      const r = this.expr(e, scope);
      if (r) out.push(r);
    }
    return out;
  }

  private expr(e: Expr, scope: Scope): Expr | undefined {
    const withs = e.with.map((w) => ({ ...w, value: this.term(w.value, scope) }));
    const b = e.body;
    if (b.kind === 'some') {
      for (const v of b.vars) this.declareVar(v, scope, 'local');
      return undefined;
    }
    if (b.kind === 'somein') {
      const collection = this.term(b.collection, scope);
      const key = b.key ? this.declare(b.key, scope, 'local') : undefined;
      const value = this.declare(b.value, scope, 'local');
      return { ...e, with: withs, body: { kind: 'somein', key, value, collection } };
    }
    if (b.kind === 'every') {
      const domain = this.term(b.domain, scope);
      const inner = new Scope(scope);
      const key = b.key ? (this.declare(b.key, inner, 'local') as VarTerm) : undefined;
      const value = this.declare(b.value, inner, 'local') as VarTerm;
      const body = this.body(b.body, inner);
      return { ...e, with: withs, body: { kind: 'every', key, value, domain, body } };
    }
    const call = exprCall(e);
    if (call && call.name === 'assign' && call.args.length === 2 && b.term.type === 'call') {
      const [lhs0, rhs] = call.args as [Term, Term];
      const lhs = lhs0.type === 'ref' && lhs0.path.length === 0 && lhs0.head.type === 'var' ? lhs0.head : lhs0;
      const rhs2 = this.term(rhs, scope);
      if (lhs.type !== 'var' && lhs.type !== 'array' && lhs.type !== 'object') {
        this.errors.push(regoError('rego_compile_error', `cannot assign to ${lhs.type}`, lhs.loc));
        return { ...e, with: withs, body: { kind: 'term', term: { ...b.term, args: [lhs, rhs2] } } };
      }
      const lhs2 = this.declare(lhs, scope, 'local');
      return { ...e, with: withs, body: { kind: 'term', term: { ...b.term, args: [lhs2, rhs2] } } };
    }
    return { ...e, with: withs, body: { kind: 'term', term: this.term(b.term, scope) } };
  }

  /** Rewrites a term where its variables are used (not declared). */
  term(t: Term, scope: Scope): Term {
    return mapTerm(t, (x) => {
      if (x.type === 'var') {
        if (x.wildcard) return x;
        const n = scope.lookup(x.name);
        if (n !== undefined) return { ...x, name: n };
        scope.used.add(x.name);
        return x;
      }
      if (x.type === 'call') return { ...x, args: x.args.map((a) => this.term(a, scope)) };
      if (x.type === 'arraycompr' || x.type === 'setcompr') {
        const inner = new Scope(scope);
        const body = this.body(x.body, inner);
        return { ...x, body, term: this.term(x.term, inner) };
      }
      if (x.type === 'objectcompr') {
        const inner = new Scope(scope);
        const body = this.body(x.body, inner);
        return { ...x, body, key: this.term(x.key, inner), value: this.term(x.value, inner) };
      }
      return undefined;
    });
  }

  /** Rewrites a pattern whose variables are declared in `scope` (`:=` left side, `some … in`, args). */
  private declare(t: Term, scope: Scope, how: 'arg' | 'local'): Term {
    if (t.type === 'var') return this.declareVar(t, scope, how);
    if (t.type === 'array') return { ...t, items: t.items.map((i) => this.declare(i, scope, how)) };
    if (t.type === 'object') return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope), this.declare(v, scope, how)] as [Term, Term]) };
    return this.term(t, scope);
  }

  private declareVar(v: VarTerm, scope: Scope, how: 'arg' | 'local'): VarTerm {
    if (v.wildcard) return v;
    if ((v.name === 'input' || v.name === 'data') && (this.regoVersion === 1 || how === 'arg')) {
      const what = how === 'arg' ? 'args' : 'variables';
      this.errors.push(regoError('rego_compile_error', `${what} must not shadow ${v.name} (use a different variable name)`, v.loc));
      return v;
    }
    if (scope.declared.has(v.name)) {
      this.errors.push(regoError('rego_compile_error', `var ${v.name} assigned above`, v.loc));
      return { ...v, name: scope.declared.get(v.name)! };
    }
    if (scope.used.has(v.name)) {
      this.errors.push(regoError('rego_compile_error', `var ${v.name} referenced above`, v.loc));
    }
    const name = how === 'arg' ? `${v.name}${LOCAL_SEP}a` : `${v.name}${LOCAL_SEP}${++this.counter}`;
    scope.declared.set(v.name, name);
    return { ...v, name };
  }
}
