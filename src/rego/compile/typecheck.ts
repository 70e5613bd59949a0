// Pass: type checks — builtin and function arity, and argument types where they are known
// statically (literals, composite literals, results of other builtin calls), as OPA's checker does.
import type { Body, Expr, Rule, Term } from '../syntax/ast.ts';
import { lookupBuiltin, typeAccepts, typeText, type TypeSpec } from '../builtins/catalog.ts';
import { regoError, type ErrorSink } from './errors.ts';
import { childTerms, closureBody, closureHead, exprTerms, isClosure, operatorName } from './terms.ts';
import { KEYWORD_CALLS } from './resolve.ts';

export interface TypeContext {
  /** Arity of each user function by dotted absolute name (`data.lib.f`). */
  functionArity: Map<string, number>;
  regoVersion: 0 | 1;
}

const ANY: TypeSpec = { kind: 'any' };

export function typecheckRule(rule: Rule, ctx: TypeContext, errors: ErrorSink): void {
  const c = new Checker(ctx, errors);
  for (const t of [...rule.head.ref.path, ...(rule.head.key ? [rule.head.key] : []), ...(rule.head.value ? [rule.head.value] : [])]) c.term(t, false);
  c.body(rule.body);
  if (rule.else) typecheckRule(rule.else, ctx, errors);
}

class Checker {
  constructor(
    private readonly ctx: TypeContext,
    private readonly errors: ErrorSink,
  ) {}

  body(b: Body): void {
    for (const e of b) this.expr(e);
  }

  private expr(e: Expr): void {
    const b = e.body;
    if (b.kind === 'term') this.term(b.term, true);
    else for (const t of exprTerms(e)) this.term(t, false);
    if (b.kind === 'every') this.body(b.body);
    if (b.kind === 'somein') {
      const ct = this.typeOf(b.collection);
      if (ct.kind !== 'any' && !typeAccepts({ kind: 'union', of: [{ kind: 'array', of: ANY }, { kind: 'set', of: ANY }, { kind: 'object', key: ANY, value: ANY }] }, ct)) {
        this.errors.push(regoError('rego_type_error', `\`some .. in collection\` expects array/set/object, have ${typeText(ct)}`, b.collection.loc));
      }
    }
  }

  /** Checks calls inside `t`; `top` when `t` is a whole expression (then a call may carry an output argument). */
  term(t: Term, top: boolean): void {
    if (t.type === 'call') this.call(t, top);
    else if (isClosure(t)) {
      this.body(closureBody(t));
      for (const h of closureHead(t)) this.term(h, false);
    } else for (const c of childTerms(t)) this.term(c, false);
  }

  private call(t: Extract<Term, { type: 'call' }>, top: boolean): void {
    for (const a of t.args) this.term(a, false);
    const name = operatorName(t.operator);
    if (name === undefined || KEYWORD_CALLS.has(name)) {
      if (name === 'eq' || name === 'assign') this.checkUnifiable(t.args[0], t.args[1]);
      return;
    }
    const fnArity = this.ctx.functionArity.get(name);
    if (fnArity !== undefined) {
      this.arity(name, fnArity, t, top);
      return;
    }
    const decl = lookupBuiltin(name, this.ctx.regoVersion) ?? lookupBuiltin(name, 0);
    if (!decl) return;
    if (decl.variadic) return;
    if (!this.arity(name, decl.args.length, t, top)) return;
    const have = t.args.slice(0, decl.args.length).map((a) => this.typeOf(a));
    if (have.some((h, i) => !typeAccepts(decl.args[i]!, h))) {
      this.errors.push(
        regoError(
          'rego_type_error',
          `${name}: invalid argument(s)\n\thave: (${have.map(typeText).join(', ')})\n\twant: (${decl.args.map(typeText).join(', ')})`,
          t.loc,
        ),
      );
    }
  }

  private arity(name: string, n: number, t: Extract<Term, { type: 'call' }>, top: boolean): boolean {
    const got = t.args.length;
    if (got === n || (top && got === n + 1)) return true;
    this.errors.push(regoError('rego_type_error', `${name}: arity mismatch: expects ${n} argument${n === 1 ? '' : 's'}, got ${got}`, t.loc));
    return false;
  }

  /** Literal arrays/objects on both sides of `=` must have the same shape, as OPA's checker reports. */
  private checkUnifiable(a: Term | undefined, b: Term | undefined): void {
    if (!a || !b) return;
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) {
        this.errors.push(regoError('rego_type_error', `match error: mismatch in number of array elements: ${a.items.length} and ${b.items.length}`, a.loc));
        return;
      }
      a.items.forEach((x, i) => this.checkUnifiable(x, b.items[i]));
      return;
    }
    if (a.type === 'object' && b.type === 'object') {
      const keys = (o: typeof a) => o.entries.map(([k]) => (k.type === 'string' ? k.value : undefined));
      const ka = keys(a);
      const kb = keys(b);
      if (ka.every((k) => k !== undefined) && kb.every((k) => k !== undefined)) {
        const sa = [...ka].sort().join('\u0000');
        const sb = [...kb].sort().join('\u0000');
        if (sa !== sb) this.errors.push(regoError('rego_type_error', `match error: object keys mismatch: ${JSON.stringify(ka)} and ${JSON.stringify(kb)}`, a.loc));
      }
      return;
    }
    const scalar = (t: Term) => t.type === 'null' || t.type === 'boolean' || t.type === 'number' || t.type === 'string';
    const kind = (t: Term) => (scalar(t) ? (t.type === 'null' ? 'null' : t.type) : t.type);
    const structural = new Set(['null', 'boolean', 'number', 'string', 'array', 'object', 'set']);
    if (structural.has(kind(a)) && structural.has(kind(b)) && kind(a) !== kind(b) && (a.type === 'array' || a.type === 'object' || b.type === 'array' || b.type === 'object')) {
      this.errors.push(regoError('rego_type_error', `match error: cannot unify ${kind(a)} with ${kind(b)}`, a.loc));
    }
  }

  /** Static type of a term, `any` when it depends on run-time values. */
  typeOf(t: Term): TypeSpec {
    switch (t.type) {
      case 'null':
      case 'boolean':
      case 'number':
      case 'string':
        return { kind: t.type };
      case 'array':
        return { kind: 'array', of: this.union(t.items) };
      case 'set':
        return { kind: 'set', of: this.union(t.items) };
      case 'object':
        return { kind: 'object', key: this.union(t.entries.map(([k]) => k)), value: this.union(t.entries.map(([, v]) => v)) };
      case 'arraycompr':
        return { kind: 'array', of: ANY };
      case 'setcompr':
        return { kind: 'set', of: ANY };
      case 'objectcompr':
        return { kind: 'object', key: ANY, value: ANY };
      case 'call': {
        const name = operatorName(t.operator);
        if (!name || this.ctx.functionArity.has(name)) return ANY;
        const decl = lookupBuiltin(name, 0);
        if (!decl || decl.relation || decl.variadic || t.args.length !== decl.args.length) return ANY;
        return decl.result;
      }
      default:
        return ANY;
    }
  }

  private union(items: Term[]): TypeSpec {
    if (!items.length) return ANY;
    const ts = items.map((i) => this.typeOf(i));
    if (ts.some((x) => x.kind === 'any')) return ANY;
    const uniq = new Map(ts.map((x) => [typeText(x), x]));
    return uniq.size === 1 ? ts[0]! : { kind: 'union', of: [...uniq.values()] };
  }
}
