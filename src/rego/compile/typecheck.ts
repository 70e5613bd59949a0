// Pass: type checks — builtin and function arity, and argument types where they are known
// statically, as OPA's checker does: literals, builtin results, local variables assigned
// from those, `some … in` elements, and function parameters (typed by their use in the
// body). Rule values, input and base data are `any` and always accepted.
import type { Body, Expr, Rule, Term } from '../syntax/ast.ts';
import { lookupBuiltin, typeAccepts, typeText, type TypeSpec } from '../builtins/catalog.ts';
import { regoError, type ErrorSink } from './errors.ts';
import type { RuleDef, RuleGroup } from './program.ts';
import { pathKey } from './program.ts';
import { childTerms, closureBody, closureHead, exprCall, exprTerms, isClosure, operatorName } from './terms.ts';
import { KEYWORD_CALLS } from './resolve.ts';

export interface TypeContext {
  /** Arity of each user function by dotted absolute name (`data.lib.f`). */
  functionArity: Map<string, number>;
  regoVersion: 0 | 1;
  /** Parameter types of the user function at an absolute path, when all its definitions agree. */
  funcType?: (path: string[]) => FuncType | undefined;
}

export interface FuncType {
  params: TypeSpec[];
}

const ANY: TypeSpec = { kind: 'any' };
const COLLECTION: TypeSpec = { kind: 'union', of: [{ kind: 'array', of: ANY }, { kind: 'set', of: ANY }, { kind: 'object', key: ANY, value: ANY }] };

/** Type-checks every rule of the program, with rule and function result types inferred from their definitions. */
export function typecheckProgram(groups: Map<string, RuleGroup>, functionArity: Map<string, number>, errors: ErrorSink): void {
  const types = new FunctionSignatures(groups, functionArity);
  for (const g of groups.values()) {
    for (const d of [...g.defs, ...(g.default ? [g.default] : [])]) {
      typecheckRule(d.rule, types.context(d), errors);
    }
  }
}

export function typecheckRule(rule: Rule, ctx: TypeContext, errors: ErrorSink): void {
  const params = new Set<string>();
  for (const a of rule.head.args ?? []) if (a.type === 'var') params.add(a.name);
  const c = new Checker(ctx, errors, new Map(), params);
  c.body(rule.body);
  for (const t of [...rule.head.ref.path, ...(rule.head.key ? [rule.head.key] : []), ...(rule.head.value ? [rule.head.value] : [])]) c.term(t, false);
  if (rule.else) typecheckRule(rule.else, ctx, errors);
}

/**
 * Parameter types of user functions, inferred from how each definition's body uses them
 * (as OPA's checker does); a function being computed (recursion) has none.
 */
class FunctionSignatures {
  private readonly funcs = new Map<string, FuncType | undefined>();

  constructor(
    private readonly groups: Map<string, RuleGroup>,
    private readonly functionArity: Map<string, number>,
  ) {}

  context(d: RuleDef): TypeContext {
    return { functionArity: this.functionArity, regoVersion: d.module.regoVersion, funcType: (p) => this.funcTypeAt(p) };
  }

  funcTypeAt(path: string[]): FuncType | undefined {
    const key = pathKey(path);
    if (this.funcs.has(key)) return this.funcs.get(key);
    const g = this.groups.get(key);
    if (!g || g.kind !== 'function') return undefined;
    this.funcs.set(key, undefined);
    const sigs = [...g.defs, ...(g.default ? [g.default] : [])].map((d) => this.signature(d));
    const text = (f: FuncType) => f.params.map(typeText).join(',');
    // Definitions that disagree make OPA's function type a union, which it does not check.
    const agreed = sigs.length > 0 && sigs.every((f) => text(f) === text(sigs[0]!)) ? sigs[0] : undefined;
    this.funcs.set(key, agreed);
    return agreed;
  }

  private signature(d: RuleDef): FuncType {
    const args = d.rule.head.args ?? [];
    const params = new Set<string>();
    for (const a of args) if (a.type === 'var') params.add(a.name);
    const c = new Checker(this.context(d), [], new Map(), params);
    c.body(d.rule.body);
    if (d.rule.head.value) c.term(d.rule.head.value, false);
    return { params: args.map((a) => c.typeOf(a)) };
  }
}

class Checker {
  constructor(
    private readonly ctx: TypeContext,
    private readonly errors: ErrorSink,
    /** Static types of the local variables bound so far in this body (and enclosing ones). */
    private readonly env: Map<string, TypeSpec>,
    /** Function parameters not yet typed: their first use as a builtin argument gives their type. */
    private readonly params: ReadonlySet<string> = new Set(),
  ) {}

  body(b: Body): void {
    for (const e of b) this.expr(e);
  }

  private expr(e: Expr): void {
    const b = e.body;
    if (b.kind === 'term') this.term(b.term, true);
    else for (const t of exprTerms(e)) this.term(t, false);
    if (b.kind === 'every') {
      const inner = this.child();
      const dt = this.typeOf(b.domain);
      inner.bindVar(b.value, elementType(dt));
      if (b.key) inner.bindVar(b.key, keyType(dt));
      inner.body(b.body);
    }
    if (b.kind === 'somein') {
      const ct = this.typeOf(b.collection);
      if (ct.kind !== 'any' && !typeAccepts(COLLECTION, ct)) {
        this.errors.push(regoError('rego_type_error', `\`some .. in collection\` expects array/set/object, have ${typeText(ct)}`, b.collection.loc));
      }
      this.checkArrayPattern(b.value, elementType(ct));
      this.bindPattern(b.value, elementType(ct));
      if (b.key) this.bindPattern(b.key, keyType(ct));
    }
    if (!e.negated && b.kind === 'term' && e.with.length === 0) this.learn(e);
  }

  /** Records the types of variables an expression binds: `x := 1`, `x = count(y)`, `count(y, n)`. */
  private learn(e: Expr): void {
    const call = exprCall(e);
    if (!call) return;
    if ((call.name === 'assign' || call.name === 'eq') && call.args.length === 2) {
      const [a, b] = call.args as [Term, Term];
      if (a.type === 'var' && !this.env.has(a.name)) this.bindVar(a, this.typeOf(b));
      else if (b.type === 'var' && !this.env.has(b.name)) this.bindVar(b, this.typeOf(a));
      else if (a.type === 'array' && !this.hasTypedVars(a)) this.bindPattern(a, this.typeOf(b));
      if (a.type === 'array' && b.type !== 'array') this.checkArrayPattern(a, this.typeOf(b));
      else if (b.type === 'array' && a.type !== 'array') this.checkArrayPattern(b, this.typeOf(a));
      return;
    }
    const decl = this.ctx.functionArity.has(call.name) ? undefined : lookupBuiltin(call.name, 0);
    if (!decl || decl.variadic || decl.relation || call.args.length !== decl.args.length + 1) return;
    this.bindPattern(call.args[decl.args.length]!, decl.result);
  }

  /** An array pattern can never match an array of another known length: OPA's checker reports it. */
  private checkArrayPattern(p: Term, t: TypeSpec): void {
    if (p.type !== 'array' || t.kind !== 'array' || !t.static || t.static.length === p.items.length) return;
    this.errors.push(regoError('rego_type_error', `match error: mismatch in number of array elements: ${p.items.length} and ${t.static.length}\n\tleft  : array of ${p.items.length}\n\tright : ${typeText(t)}`, p.loc));
  }

  private hasTypedVars(t: Term): boolean {
    return t.type === 'var' ? this.env.has(t.name) : childTerms(t).some((c) => this.hasTypedVars(c));
  }

  private bindVar(v: Term, t: TypeSpec): void {
    if (v.type === 'var' && !v.wildcard && !this.env.has(v.name)) this.env.set(v.name, t);
  }

  /** Types the variables of a pattern matched against a value of type `t` (only where that is unambiguous). */
  private bindPattern(p: Term, t: TypeSpec): void {
    if (p.type === 'var') return this.bindVar(p, t);
    if (p.type === 'array') p.items.forEach((item, i) => this.bindPattern(item, t.kind === 'array' ? (t.static?.[i] ?? t.of) : ANY));
  }

  private child(): Checker {
    return new Checker(this.ctx, this.errors, new Map(this.env), this.params);
  }

  /** OPA types an untyped parameter by the first argument position it is passed to. */
  private narrow(args: Term[], want: TypeSpec[]): void {
    args.forEach((a, i) => {
      if (a.type === 'var' && this.params.has(a.name) && !this.env.has(a.name) && want[i]) this.env.set(a.name, want[i]);
    });
  }

  /** Checks calls inside `t`; `top` when `t` is a whole expression (then a call may carry an output argument). */
  term(t: Term, top: boolean): void {
    if (t.type === 'call') this.call(t, top);
    else if (isClosure(t)) {
      const inner = this.child();
      inner.body(closureBody(t));
      for (const h of closureHead(t)) inner.term(h, false);
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
      if (!this.arity(name, fnArity, t, top)) return;
      const sig = this.ctx.funcType?.(name.split('.'));
      if (sig) this.checkArgs(name, t, sig.params);
      return;
    }
    const decl = lookupBuiltin(name, this.ctx.regoVersion) ?? lookupBuiltin(name, 0);
    if (!decl) return;
    if (decl.variadic) return;
    if (!this.arity(name, decl.args.length, t, top)) return;
    this.checkArgs(name, t, decl.args);
  }

  private checkArgs(name: string, t: Extract<Term, { type: 'call' }>, want: TypeSpec[]): void {
    const args = t.args.slice(0, want.length);
    const have = args.map((a) => this.typeOf(a));
    if (have.some((h, i) => !typeAccepts(want[i]!, h))) {
      this.errors.push(
        regoError('rego_type_error', `${name}: invalid argument(s)\n\thave: (${have.map(typeText).join(', ')})\n\twant: (${want.map(typeText).join(', ')})`, t.loc),
      );
      return;
    }
    this.narrow(args, want);
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
      case 'var':
        return this.env.get(t.name) ?? ANY;
      case 'array':
        return { kind: 'array', of: this.union(t.items), static: t.items.map((i) => this.typeOf(i)) };
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
      case 'ref':
        // Rule values are not typed (the lead's decision, more lenient than OPA's checker): an
        // ill-typed rule passed to a builtin is a builtin error at run time, so undefined.
        return ANY;
      case 'call': {
        const name = operatorName(t.operator);
        if (!name) return ANY;
        if (this.ctx.functionArity.has(name)) return ANY;
        const decl = lookupBuiltin(name, 0);
        if (!decl || decl.relation || decl.variadic || t.args.length !== decl.args.length) return ANY;
        return decl.result;
      }
    }
  }

  private union(items: Term[]): TypeSpec {
    if (!items.length) return ANY;
    return unionOf(items.map((i) => this.typeOf(i)));
  }
}

/** One type for several: `any` if any is unknown, the single type when all agree, else their union. */
function unionOf(ts: TypeSpec[]): TypeSpec {
  if (!ts.length || ts.some((x) => x.kind === 'any')) return ANY;
  const uniq = new Map<string, TypeSpec>();
  for (const t of ts) for (const m of t.kind === 'union' ? t.of : [t]) uniq.set(typeText(m), m);
  return uniq.size === 1 ? [...uniq.values()][0]! : { kind: 'union', of: [...uniq.values()] };
}

/** The type of the elements `some x in c` / `every x in c` iterate. */
function elementType(t: TypeSpec): TypeSpec {
  if (t.kind === 'array' || t.kind === 'set') return t.of;
  if (t.kind === 'object') return t.value;
  return ANY;
}

function keyType(t: TypeSpec): TypeSpec {
  if (t.kind === 'array') return { kind: 'number' };
  if (t.kind === 'set') return t.of;
  if (t.kind === 'object') return t.key;
  return ANY;
}
