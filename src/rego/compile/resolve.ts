// Pass: resolve names — package-relative rule references and import aliases become absolute
// `data…`/`input…` references, and every call is resolved to a user function or a builtin.
import type { Expr, Module, RefTerm, Term, WithModifier } from '../syntax/ast.ts';
import { lookupBuiltin } from '../builtins/catalog.ts';
import { regoError, type ErrorSink } from './errors.ts';
import { LOCAL_SEP, makeRef, mapTerm, refStaticPrefix, termText } from './terms.ts';
import { pathKey } from './program.ts';

/** What resolution needs to know about every module being compiled together. */
export interface ResolveContext {
  /** Absolute paths (pathKey) of every user function. */
  functions: Set<string>;
  /** Rule names (first head element) of every package, by pathKey of the package path. */
  packageRules: Map<string, Set<string>>;
}

/** Calls whose operator is handled by the planner itself rather than the catalog. */
export const KEYWORD_CALLS = new Set(['eq', 'assign']);

export function packagePath(module: Module): string[] {
  return refStaticPrefix(module.package);
}

/** Absolute path of a rule head's static part: data.pkg + leading string elements of its ref. */
export function ruleStaticPath(module: Module, ref: RefTerm): string[] {
  return [...packagePath(module), ...refStaticPrefix(ref)];
}

export function resolveModule(module: Module, ctx: ResolveContext, errors: ErrorSink): Module {
  const pkg = packagePath(module);
  const globals = new Map<string, string[]>();
  for (const name of ctx.packageRules.get(pathKey(pkg)) ?? []) globals.set(name, [...pkg, name]);
  const seen = new Map<string, string>();
  let regoV1 = false;
  let future = false;
  for (const imp of module.imports) {
    const path = refStaticPrefix(imp.path);
    const root = path[0];
    if (root === 'rego') {
      if (regoV1 || future) errors.push(regoError('rego_parse_error', `the \`rego.v1\` import implies \`future.keywords\`, these are therefore mutually exclusive: this import shadows previous import`, imp.loc));
      regoV1 = true;
      continue;
    }
    if (root === 'future') {
      if (regoV1) errors.push(regoError('rego_parse_error', `the \`rego.v1\` import implies \`future.keywords\`, these are therefore mutually exclusive: this import shadows previous import`, imp.loc));
      future = true;
      continue;
    }
    if (root !== 'data' && root !== 'input') {
      errors.push(regoError('rego_compile_error', `invalid import ${termText(imp.path)}: path must begin with input or data`, imp.loc));
      continue;
    }
    const alias = imp.alias ?? path[path.length - 1]!;
    const prev = seen.get(alias);
    if (prev !== undefined) {
      errors.push(regoError('rego_compile_error', `import ${termText(imp.path)} shadows import ${prev}: this import shadows previous import`, imp.loc));
      continue;
    }
    seen.set(alias, termText(imp.path));
    if (alias === 'input' || alias === 'data') continue;
    globals.set(alias, path);
  }
  const r = new Resolver(module, globals, ctx, errors);
  return { ...module, rules: module.rules.map((rule) => r.rule(rule)) };
}

class Resolver {
  constructor(
    private readonly module: Module,
    private readonly globals: Map<string, string[]>,
    private readonly ctx: ResolveContext,
    private readonly errors: ErrorSink,
  ) {}

  rule(rule: Module['rules'][number]): Module['rules'][number] {
    const h = rule.head;
    const t = (x: Term | undefined): Term | undefined => (x ? this.term(x) : undefined);
    const out = {
      ...rule,
      head: { ...h, ref: { ...h.ref, path: h.ref.path.map((p) => this.term(p)) }, key: t(h.key), value: t(h.value), ...(h.args ? { args: h.args.map((a) => this.term(a)) } : {}) },
      body: rule.body.map((e) => this.expr(e)),
    };
    if (rule.else) out.else = this.rule(rule.else);
    return out;
  }

  expr(e: Expr): Expr {
    const withs = e.with.map((w) => this.withMod(w));
    const b = e.body;
    switch (b.kind) {
      case 'term':
        return { ...e, with: withs, body: { kind: 'term', term: this.term(b.term) } };
      case 'some':
        return { ...e, with: withs };
      case 'somein':
        return { ...e, with: withs, body: { ...b, key: b.key && this.term(b.key), value: this.term(b.value), collection: this.term(b.collection) } };
      case 'every':
        return { ...e, with: withs, body: { ...b, domain: this.term(b.domain), body: b.body.map((x) => this.expr(x)) } };
    }
  }

  private withMod(w: WithModifier): WithModifier {
    const value = this.term(w.value);
    const head = w.target.head;
    if (head.type !== 'var') return { ...w, value };
    if (head.name === 'input' || head.name === 'data') return { ...w, value };
    const g = this.globals.get(head.name);
    if (g) return { ...w, value, target: this.absoluteRef(g, w.target) };
    return { ...w, value };
  }

  private lookup(name: string): string[] | undefined {
    if (name.includes(LOCAL_SEP)) return undefined;
    if (name === 'input' || name === 'data') return [name];
    return this.globals.get(name);
  }

  private absoluteRef(prefix: string[], ref: RefTerm): RefTerm {
    const base = makeRef(prefix, ref.head.loc);
    return { ...ref, head: base.head, path: [...base.path, ...ref.path.map((p) => this.term(p))] };
  }

  term(t: Term): Term {
    return mapTerm(
      t,
      (x) => {
        if (x.type === 'var') {
          if (x.wildcard) return x;
          const g = this.lookup(x.name);
          if (!g || (g.length === 1 && g[0] === x.name)) return x;
          return g.length > 1 ? makeRef(g, x.loc) : { ...x, name: g[0]! };
        }
        if (x.type === 'ref' && x.head.type === 'var') {
          const g = this.lookup(x.head.name);
          if (g && !(g.length === 1 && g[0] === x.head.name)) return this.absoluteRef(g, x);
          return undefined;
        }
        if (x.type === 'call') return { ...x, operator: this.operator(x.operator), args: x.args.map((a) => this.term(a)) };
        return undefined;
      },
      (e) => this.expr(e),
    );
  }

  private operator(op: RefTerm): RefTerm {
    const parts = refStaticPrefix(op);
    if (parts.length !== op.path.length + 1) {
      this.errors.push(regoError('rego_type_error', `undefined function ${termText(op)}`, op.loc));
      return op;
    }
    const name = parts.join('.');
    if (KEYWORD_CALLS.has(name)) return op;
    const g = this.lookup(parts[0]!);
    if (g && (g[0] === 'data' || g[0] === 'input')) {
      const full = [...g, ...parts.slice(1)];
      if (full[0] === 'data' && this.ctx.functions.has(pathKey(full))) return makeRef(full, op.loc);
      if (!lookupBuiltin(name, this.module.regoVersion)) {
        this.errors.push(regoError('rego_type_error', `undefined function ${full.join('.')}`, op.loc));
        return op;
      }
    }
    if (lookupBuiltin(name, this.module.regoVersion)) return op;
    const deprecated = lookupBuiltin(name, 0) ? ' (deprecated builtins are not available in Rego v1)' : '';
    this.errors.push(regoError('rego_type_error', `undefined function ${name}${deprecated}`, op.loc));
    return op;
  }
}
