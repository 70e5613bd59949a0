// Rego v1's module-level checks that need no type information (OPA's checkDuplicateImports and
// checkRootDocumentOverrides): run on every v1 module, reported as rego_compile_error like OPA.

import type { Body, Expr, Module, RegoError, Rule, Term } from './ast.ts';

const ROOTS = new Set(['input', 'data']);

export function checkRegoV1Module(module: Module): RegoError[] {
  const errors: RegoError[] = [];
  const error = (loc: RegoError['loc'], message: string) => errors.push({ code: 'rego_compile_error', message, loc });

  const names = new Map<string, string>();
  for (const imp of module.imports) {
    const last = imp.path.path[imp.path.path.length - 1];
    const name = imp.alias ?? (last?.type === 'string' ? last.value : imp.path.head.type === 'var' ? imp.path.head.name : '');
    const text = importText(imp.path.head, imp.path.path) + (imp.alias ? ` as ${imp.alias}` : '');
    const previous = names.get(name);
    if (previous !== undefined) error(imp.loc, `import must not shadow import ${previous}`);
    else names.set(name, text);
  }

  for (const rule of module.rules) {
    for (let r: Rule | undefined = rule; r; r = r.else) {
      const head = r.head.ref.head;
      if (head.type === 'var' && ROOTS.has(head.name)) error(r.loc, `rules must not shadow ${head.name} (use a different rule name)`);
      for (const arg of r.head.args ?? []) {
        if (arg.type === 'ref' && arg.path.length === 0 && arg.head.type === 'var' && ROOTS.has(arg.head.name)) {
          error(arg.loc, `args must not shadow ${arg.head.name} (use a different variable name)`);
        }
      }
      walkBody(r.body, (e) => {
        if (e.body.kind !== 'term' || e.body.term.type !== 'call') return;
        const call = e.body.term;
        const op = call.operator;
        if (op.head.type !== 'var' || op.head.name !== 'assign' || op.path.length > 0) return;
        const lhs = call.args[0];
        if (lhs?.type === 'ref' && lhs.path.length === 0 && lhs.head.type === 'var' && ROOTS.has(lhs.head.name)) {
          error(e.loc, `variables must not shadow ${lhs.head.name} (use a different variable name)`);
        }
      });
    }
  }
  return errors;
}

function importText(head: Term, path: Term[]): string {
  const parts = [head.type === 'var' ? head.name : '?'];
  for (const p of path) parts.push(p.type === 'string' ? p.value : '?');
  return parts.join('.');
}

/** Visits every expression of a body, including those nested in comprehensions and `every`. */
function walkBody(body: Body, visit: (e: Expr) => void): void {
  for (const e of body) {
    visit(e);
    switch (e.body.kind) {
      case 'term':
        walkTerm(e.body.term, visit);
        break;
      case 'somein':
        walkTerm(e.body.collection, visit);
        break;
      case 'every':
        walkTerm(e.body.domain, visit);
        walkBody(e.body.body, visit);
        break;
      case 'some':
        break;
    }
    for (const w of e.with) walkTerm(w.value, visit);
  }
}

function walkTerm(t: Term, visit: (e: Expr) => void): void {
  switch (t.type) {
    case 'arraycompr':
    case 'setcompr':
      walkTerm(t.term, visit);
      walkBody(t.body, visit);
      break;
    case 'objectcompr':
      walkBody(t.body, visit);
      break;
    case 'array':
    case 'set':
      t.items.forEach((i) => walkTerm(i, visit));
      break;
    case 'object':
      t.entries.forEach(([k, v]) => {
        walkTerm(k, visit);
        walkTerm(v, visit);
      });
      break;
    case 'call':
      t.args.forEach((a) => walkTerm(a, visit));
      break;
    case 'ref':
      walkTerm(t.head, visit);
      t.path.forEach((p) => walkTerm(p, visit));
      break;
    default:
      break;
  }
}
