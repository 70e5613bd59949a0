// Lowers rule bodies, expressions and terms to IR statements in continuation-passing style:
// each step emits its statements and then calls the continuation inside the innermost block
// it opened (a scan's body, a with's block…), so later expressions run once per binding.
import type { Body, Expr, Location, RefTerm, RegoError, Term, VarTerm } from '../syntax/ast.ts';
import { BUILTINS } from '../builtins/catalog.ts';
import type { CompiledProgram, DocNode, RuleGroup } from '../compile/program.ts';
import { pathKey } from '../compile/program.ts';
import { displayName, exprCall, isGround, operatorName, refStaticPrefix } from '../compile/terms.ts';
import { regoError } from '../compile/errors.ts';
import { FuncBuilder, PolicyBuilder, localOp } from './builder.ts';
import type { Local, Operand } from './ir.ts';
import { dataOverridden, withoutFunc, type Overrides } from './overrides.ts';
import { planPrint } from './print.ts';
import { planWithExpr } from './with.ts';

export type K = () => void;
export type KOp = (op: Operand) => void;

/** What body planning needs from the planner that owns the functions. */
export interface PlannerServices {
  readonly pb: PolicyBuilder;
  readonly program: CompiledProgram;
  readonly errors: RegoError[];
  groupFunc(group: RuleGroup, ov: Overrides): string;
  docFunc(node: DocNode, ov: Overrides): string;
}

export const OBJECT_CONFLICT = 'object keys must be unique';

export class BodyPlanner {
  private readonly vars = new Map<string, Local>();
  input: Local;
  data: Local;

  constructor(
    readonly svc: PlannerServices,
    readonly fb: FuncBuilder,
    public ov: Overrides,
    inputLocal: Local,
    dataLocal: Local,
  ) {
    this.input = inputLocal;
    this.data = dataLocal;
  }

  // ---------------------------------------------------------------- variables

  isBound(name: string): boolean {
    return this.vars.has(name);
  }

  /** Binds `v` to `op` while `k` runs. */
  bind(v: VarTerm, op: Operand, k: K): void {
    const local = this.toLocal(op);
    const prev = this.vars.get(v.name);
    this.vars.set(v.name, local);
    try {
      k();
    } finally {
      if (prev === undefined) this.vars.delete(v.name);
      else this.vars.set(v.name, prev);
    }
  }

  toLocal(op: Operand): Local {
    if (op.kind === 'local') return op.local;
    const l = this.fb.newLocal();
    this.fb.emit({ op: 'assignVar', source: op, target: l });
    return l;
  }

  error(message: string, loc: Location): void {
    this.svc.errors.push(regoError('rego_compile_error', message, loc));
  }

  // ---------------------------------------------------------------- bodies and expressions

  body(body: Body, k: K, i = 0): void {
    if (i === body.length) return k();
    this.expr(body[i]!, () => this.body(body, k, i + 1));
  }

  expr(e: Expr, k: K): void {
    if (e.with.length) return planWithExpr(this, e, k);
    if (e.negated) {
      this.fb.emit({ op: 'not', block: this.fb.block(() => this.exprInner(e, () => {})) });
      return k();
    }
    this.exprInner(e, k);
  }

  private exprInner(e: Expr, k: K): void {
    const b = e.body;
    switch (b.kind) {
      case 'some':
        return k();
      case 'somein':
        return this.term(b.collection, (col) => {
          const src = this.toLocal(col);
          const key = this.fb.newLocal();
          const value = this.fb.newLocal();
          const block = this.fb.block(() => {
            const withValue = () => this.unifyLocal(b.value, localOp(value), k);
            if (b.key) this.unifyLocal(b.key, localOp(key), withValue);
            else withValue();
          });
          this.fb.emit({ op: 'scan', source: src, key, value, block });
        });
      case 'every':
        return this.term(b.domain, (dom) => {
          const src = this.toLocal(dom);
          this.requireCollection(src);
          const found = this.fb.newLocal();
          const key = this.fb.newLocal();
          const value = this.fb.newLocal();
          this.fb.emit({ op: 'resetLocal', target: found });
          const outer = this.fb.block(() => {
            const scanBlock = this.fb.block(() => {
              const inner = () => {
                this.fb.emit({ op: 'not', block: this.fb.block(() => this.body(b.body, () => {})) });
                this.fb.emit({ op: 'assignVar', source: { kind: 'bool', value: true }, target: found });
              };
              this.bind(b.value, localOp(value), () => (b.key ? this.bind(b.key, localOp(key), inner) : inner()));
            });
            this.fb.emit({ op: 'scan', source: src, key, value, block: scanBlock });
            this.fb.emit({ op: 'isDefined', source: found });
          });
          this.fb.emit({ op: 'not', block: outer });
          k();
        });
      case 'term': {
        const call = exprCall(e);
        if (call && (call.name === 'eq' || call.name === 'assign') && call.args.length === 2) return this.unify(call.args[0]!, call.args[1]!, k);
        if (call && (call.name === 'equal' || call.name === 'neq') && call.args.length === 2 && !this.mocked(call.name)) {
          return this.term(call.args[0]!, (a) =>
            this.term(call.args[1]!, (bb) => {
              this.fb.emit({ op: call.name === 'equal' ? 'equal' : 'notEqual', a, b: bb });
              k();
            }),
          );
        }
        if (b.term.type === 'call') return this.callExpr(b.term, k);
        return this.term(b.term, (op) => {
          this.fb.emit({ op: 'notEqual', a: op, b: { kind: 'bool', value: false } });
          k();
        });
      }
    }
  }

  /** A call used as a whole expression: with an output argument it unifies, otherwise its value must not be false. */
  private callExpr(t: Extract<Term, { type: 'call' }>, k: K): void {
    const name = operatorName(t.operator) ?? '';
    if (name === 'print' && !this.mocked(name)) return planPrint(this, t.args, t.loc, k);
    if (name === 'trace' && !this.mocked(name)) {
      // OPA's trace only adds a note to an evaluation trace, which compiled modules do not keep.
      this.fb.emit({ op: 'nop' });
      return k();
    }
    const arity = this.arityOf(name, t);
    if (arity !== undefined && t.args.length === arity + 1) {
      const out = t.args[arity]!;
      return this.call(t, t.args.slice(0, arity), (r) => this.unifyLocal(out, r, k));
    }
    this.call(t, t.args, (r) => {
      this.fb.emit({ op: 'notEqual', a: r, b: { kind: 'bool', value: false } });
      k();
    });
  }

  private arityOf(name: string, t: Extract<Term, { type: 'call' }>): number | undefined {
    const parts = refStaticPrefix(t.operator);
    if (parts[0] === 'data') return this.svc.program.groups.get(pathKey(parts))?.arity;
    const b = BUILTINS.get(name);
    return b && !b.variadic ? b.args.length : undefined;
  }

  private mocked(name: string): boolean {
    return this.ov.funcs.has(name);
  }

  // ---------------------------------------------------------------- calls

  /** Plans a call with the given input arguments; `k` receives its result. */
  call(t: Extract<Term, { type: 'call' }>, args: Term[], k: KOp): void {
    const parts = refStaticPrefix(t.operator);
    const isUser = parts[0] === 'data';
    const name = isUser ? pathKey(parts) : parts.join('.');
    const mock = this.ov.funcs.get(name);
    if (mock) {
      // The arguments are still evaluated: an undefined argument leaves the call undefined.
      if (mock.kind === 'value') return this.terms(args, () => this.term(mock.term, k));
      if (mock.kind === 'builtin') return this.terms(args, (ops) => this.emitBuiltin(mock.name, ops, t.loc, k));
      const g = this.svc.program.groups.get(pathKey(mock.path));
      if (!g) return this.error(`undefined function ${mock.path.join('.')}`, t.loc);
      return this.terms(args, (ops) => this.emitUserCall(g, ops, k, withoutFunc(this.ov, name)));
    }
    if (isUser) {
      const g = this.svc.program.groups.get(name);
      if (!g || g.kind !== 'function') return this.error(`undefined function ${parts.join('.')}`, t.loc);
      return this.terms(args, (ops) => this.emitUserCall(g, ops, k));
    }
    if (name === 'print') return planPrint(this, args, t.loc, () => k({ kind: 'bool', value: true }));
    if (name === 'trace') {
      this.fb.emit({ op: 'nop' });
      return k({ kind: 'bool', value: true });
    }
    this.terms(args, (ops) => this.emitBuiltin(name, ops, t.loc, k));
  }

  private emitUserCall(g: RuleGroup, ops: Operand[], k: KOp, ov: Overrides = this.ov): void {
    const result = this.fb.newLocal();
    this.fb.emit({ op: 'call', func: this.svc.groupFunc(g, ov), args: [localOp(this.input), localOp(this.data), ...ops], result });
    k(localOp(result));
  }

  private emitBuiltin(name: string, ops: Operand[], loc: Location, k: KOp): void {
    const result = this.fb.newLocal();
    this.fb.emit({ op: 'callBuiltin', name, args: ops, result, loc });
    if (BUILTINS.get(name)?.relation) {
      // A relation's result is the array of its solutions: iterate it.
      const key = this.fb.newLocal();
      const value = this.fb.newLocal();
      const block = this.fb.block(() => k(localOp(value)));
      this.fb.emit({ op: 'scan', source: result, key, value, block });
      return;
    }
    k(localOp(result));
  }

  // ---------------------------------------------------------------- terms

  terms(ts: Term[], k: (ops: Operand[]) => void, i = 0, acc: Operand[] = []): void {
    if (i === ts.length) return k(acc);
    this.term(ts[i]!, (op) => this.terms(ts, k, i + 1, [...acc, op]));
  }

  term(t: Term, k: KOp): void {
    switch (t.type) {
      case 'null': {
        const l = this.fb.newLocal();
        this.fb.emit({ op: 'makeNull', target: l });
        return k(localOp(l));
      }
      case 'boolean':
        return k({ kind: 'bool', value: t.value });
      case 'number':
        return k(localOp(this.number(t.text)));
      case 'string':
        return k(this.svc.pb.strOperand(t.value));
      case 'var': {
        const l = this.vars.get(t.name);
        if (l === undefined && t.name === 'input') return this.inputDoc(k);
        if (l === undefined && t.name === 'data') return this.dataRef([], k);
        if (l === undefined) {
          this.svc.errors.push(regoError('rego_unsafe_var_error', `var ${displayName(t.name)} is unsafe`, t.loc));
          return;
        }
        return k(localOp(l));
      }
      case 'ref':
        return this.ref(t, k);
      case 'array':
        return this.terms(t.items, (ops) => {
          const l = this.fb.newLocal();
          this.fb.emit({ op: 'makeArray', capacity: ops.length, target: l });
          for (const o of ops) this.fb.emit({ op: 'arrayAppend', value: o, array: l });
          k(localOp(l));
        });
      case 'set':
        return this.terms(t.items, (ops) => {
          const l = this.fb.newLocal();
          this.fb.emit({ op: 'makeSet', target: l });
          for (const o of ops) this.fb.emit({ op: 'setAdd', value: o, set: l });
          k(localOp(l));
        });
      case 'object':
        return this.terms(t.entries.flat(), (ops) => {
          const l = this.fb.newLocal();
          this.fb.emit({ op: 'makeObject', target: l });
          for (let i = 0; i < ops.length; i += 2) this.fb.emit({ op: 'objectInsert', key: ops[i]!, value: ops[i + 1]!, object: l });
          k(localOp(l));
        });
      case 'call':
        return this.call(t, t.args, k);
      case 'arraycompr': {
        const l = this.fb.newLocal();
        this.fb.emit({ op: 'makeArray', capacity: 0, target: l });
        this.fb.nested(() => this.body(t.body, () => this.term(t.term, (v) => this.fb.emit({ op: 'arrayAppend', value: v, array: l }))));
        return k(localOp(l));
      }
      case 'setcompr': {
        const l = this.fb.newLocal();
        this.fb.emit({ op: 'makeSet', target: l });
        this.fb.nested(() => this.body(t.body, () => this.term(t.term, (v) => this.fb.emit({ op: 'setAdd', value: v, set: l }))));
        return k(localOp(l));
      }
      case 'objectcompr': {
        const l = this.fb.newLocal();
        this.fb.emit({ op: 'makeObject', target: l });
        this.fb.nested(() =>
          this.body(t.body, () =>
            this.term(t.key, (key) => this.term(t.value, (value) => this.fb.emit({ op: 'objectInsertOnce', key, value, object: l, message: OBJECT_CONFLICT }))),
          ),
        );
        return k(localOp(l));
      }
    }
  }

  /** The input document itself: undefined (the body fails) when the caller gave none. */
  private inputDoc(k: KOp): void {
    this.fb.emit({ op: 'isDefined', source: this.input });
    k(localOp(this.input));
  }

  number(text: string): Local {
    const l = this.fb.newLocal();
    if (/^-?\d+$/.test(text) && Math.abs(Number(text)) < 2 ** 31) this.fb.emit({ op: 'makeNumberInt', value: Number(text), target: l });
    else this.fb.emit({ op: 'makeNumberRef', index: this.svc.pb.str(text), target: l });
    return l;
  }

  private int(n: number): Local {
    const l = this.fb.newLocal();
    this.fb.emit({ op: 'makeNumberInt', value: n, target: l });
    return l;
  }

  // ---------------------------------------------------------------- references

  ref(r: RefTerm, k: KOp): void {
    const h = r.head;
    if (h.type === 'var') {
      if (h.name === 'input' && !this.vars.has('input')) return r.path.length ? this.walk(localOp(this.input), r.path, 0, k) : this.inputDoc(k);
      if (h.name === 'data' && !this.vars.has('data')) return this.dataRef(r.path, k);
    }
    this.term(h, (base) => this.walk(base, r.path, 0, k));
  }

  /** Walks `path[i..]` from `base`: dots for known keys, scans for unbound variables and patterns. */
  walk(base: Operand, path: Term[], i: number, k: KOp, dataKeys = false): void {
    if (i === path.length) return k(base);
    const elem = path[i]!;
    if (dataKeys && elem.type === 'number') {
      // Indexing base data with a number also finds the object key of the same text, as OPA does.
      const target = this.fb.newLocal();
      this.fb.emit({ op: 'resetLocal', target });
      const num = this.number(elem.text);
      this.fb.nested(() => this.fb.emit({ op: 'dot', source: base, key: localOp(num), target }));
      this.fb.nested(() => {
        this.fb.emit({ op: 'isUndefined', source: target });
        this.fb.emit({ op: 'dot', source: base, key: this.svc.pb.strOperand(elem.text), target });
      });
      this.fb.emit({ op: 'isDefined', source: target });
      return this.walk(localOp(target), path, i + 1, k, dataKeys);
    }
    if (this.hasUnbound(elem)) {
      const src = this.toLocal(base);
      const key = this.fb.newLocal();
      const value = this.fb.newLocal();
      const block = this.fb.block(() => this.unifyLocal(elem, localOp(key), () => this.walk(localOp(value), path, i + 1, k, dataKeys)));
      this.fb.emit({ op: 'scan', source: src, key, value, block });
      return;
    }
    this.term(elem, (key) => {
      const target = this.fb.newLocal();
      this.fb.emit({ op: 'dot', source: base, key, target });
      this.walk(localOp(target), path, i + 1, k, dataKeys);
    });
  }

  /** A reference into `data`: virtual documents (rules) where the path meets them, base data elsewhere. */
  dataRef(path: Term[], k: KOp): void {
    let node = this.svc.program.root;
    let i = 0;
    for (; i < path.length; i++) {
      const elem = path[i]!;
      const name = elem.type === 'string' ? elem.value : elem.type === 'number' ? elem.text : undefined;
      if (name === undefined) break;
      const child = node.children.get(name);
      if (!child) return this.walk(localOp(this.data), path, 0, k, true);
      node = child;
      if (dataOverridden(this.ov, node.path)) return this.walk(localOp(this.data), path, 0, k, true);
      if (node.group) {
        if (node.group.kind === 'function' && node.group.arity !== 0) return this.walk(localOp(this.data), path, 0, k, true);
        const result = this.fb.newLocal();
        this.fb.emit({ op: 'call', func: this.svc.groupFunc(node.group, this.ov), args: [localOp(this.input), localOp(this.data)], result });
        return this.walk(localOp(result), path, i + 1, k);
      }
    }
    const result = this.fb.newLocal();
    this.fb.emit({ op: 'call', func: this.svc.docFunc(node, this.ov), args: [localOp(this.input), localOp(this.data)], result });
    this.walk(localOp(result), path, i, k);
  }

  // ---------------------------------------------------------------- unification

  /** Whether `t` has variables that unification would bind (pattern positions only). */
  hasUnbound(t: Term): boolean {
    if (t.type === 'var') return !this.vars.has(t.name);
    if (t.type === 'array') return t.items.some((x) => this.hasUnbound(x));
    if (t.type === 'object') return t.entries.some(([, v]) => this.hasUnbound(v));
    return false;
  }

  unify(a: Term, b: Term, k: K): void {
    if (a.type === 'var' && !this.vars.has(a.name)) return this.term(b, (op) => this.bind(a, op, k));
    if (b.type === 'var' && !this.vars.has(b.name)) return this.term(a, (op) => this.bind(b, op, k));
    if (a.type === 'array' && b.type === 'array') {
      if (a.items.length !== b.items.length) return this.fail();
      return this.unifyPairs(a.items.map((x, i) => [x, b.items[i]!] as [Term, Term]), k);
    }
    if (a.type === 'object' && b.type === 'object' && (this.hasUnbound(a) || this.hasUnbound(b))) {
      // Keys are never bound by unification (OPA plugs them first): with a variable or
      // computed key, match the patterns against the other side's value at run time.
      if (![...a.entries, ...b.entries].every(([kk]) => isGround(kk))) {
        if (!this.hasUnbound(b)) return this.term(b, (op) => this.unifyLocal(a, op, k));
        if (!this.hasUnbound(a)) return this.term(a, (op) => this.unifyLocal(b, op, k));
        return this.error('cannot unify two objects with variable keys when both have unbound values: bind one side first', a.loc);
      }
      const key = (t: Term) => JSON.stringify(t, (kk, v) => (kk === 'loc' ? undefined : v));
      const bm = new Map(b.entries.map(([kk, v]) => [key(kk), v]));
      if (a.entries.length !== b.entries.length || a.entries.some(([kk]) => !bm.has(key(kk)))) return this.fail();
      return this.unifyPairs(a.entries.map(([kk, v]) => [v, bm.get(key(kk))!] as [Term, Term]), k);
    }
    if (this.hasUnbound(a)) return this.term(b, (op) => this.unifyLocal(a, op, k));
    if (this.hasUnbound(b)) return this.term(a, (op) => this.unifyLocal(b, op, k));
    this.term(a, (x) =>
      this.term(b, (y) => {
        this.fb.emit({ op: 'equal', a: x, b: y });
        k();
      }),
    );
  }

  /** Unifies pairs, postponing a pair whose both sides are still unbound until others bound them. */
  private unifyPairs(pairs: Array<[Term, Term]>, k: K): void {
    if (!pairs.length) return k();
    const ready = pairs.findIndex(([x, y]) => !(this.hasUnbound(x) && this.hasUnbound(y)) || x.type === 'array' || x.type === 'object');
    const idx = ready < 0 ? 0 : ready;
    const [x, y] = pairs[idx]!;
    const rest = pairs.filter((_, i) => i !== idx);
    this.unify(x, y, () => this.unifyPairs(rest, k));
  }

  /** Unifies a pattern term with a value already computed. */
  unifyLocal(p: Term, value: Operand, k: K): void {
    if (p.type === 'var') {
      const l = this.vars.get(p.name);
      if (l === undefined) return this.bind(p, value, k);
      this.fb.emit({ op: 'equal', a: localOp(l), b: value });
      return k();
    }
    if (p.type === 'array' && this.hasUnbound(p)) {
      const src = this.toLocal(value);
      this.fb.emit({ op: 'isArray', source: localOp(src) });
      const n = this.fb.newLocal();
      this.fb.emit({ op: 'len', source: localOp(src), target: n });
      this.fb.emit({ op: 'equal', a: localOp(n), b: localOp(this.int(p.items.length)) });
      const step = (i: number): void => {
        if (i === p.items.length) return k();
        const item = this.fb.newLocal();
        this.fb.emit({ op: 'dot', source: localOp(src), key: localOp(this.int(i)), target: item });
        this.unifyLocal(p.items[i]!, localOp(item), () => step(i + 1));
      };
      return step(0);
    }
    if (p.type === 'object' && this.hasUnbound(p)) {
      const src = this.toLocal(value);
      this.fb.emit({ op: 'isObject', source: localOp(src) });
      const n = this.fb.newLocal();
      this.fb.emit({ op: 'len', source: localOp(src), target: n });
      this.fb.emit({ op: 'equal', a: localOp(n), b: localOp(this.int(p.entries.length)) });
      const step = (i: number): void => {
        if (i === p.entries.length) return k();
        const [key, v] = p.entries[i]!;
        this.term(key, (ko) => {
          const item = this.fb.newLocal();
          this.fb.emit({ op: 'dot', source: localOp(src), key: ko, target: item });
          this.unifyLocal(v, localOp(item), () => step(i + 1));
        });
      };
      return step(0);
    }
    this.term(p, (x) => {
      this.fb.emit({ op: 'equal', a: x, b: value });
      k();
    });
  }

  /** Fails unless `src` holds an array, object or set. */
  private requireCollection(src: Local): void {
    const ok = this.fb.newLocal();
    this.fb.emit({ op: 'resetLocal', target: ok });
    const mark = { op: 'assignVar' as const, source: { kind: 'bool' as const, value: true }, target: ok };
    this.fb.emit({
      op: 'block',
      blocks: [
        { stmts: [{ op: 'isArray', source: localOp(src) }, mark] },
        { stmts: [{ op: 'isObject', source: localOp(src) }, mark] },
        { stmts: [{ op: 'isSet', source: localOp(src) }, mark] },
      ],
    });
    this.fb.emit({ op: 'isDefined', source: ok });
  }

  /** Emits a statement that always fails (ends the current block). */
  fail(): void {
    this.fb.emit({ op: 'equal', a: { kind: 'bool', value: true }, b: { kind: 'bool', value: false } });
  }
}
