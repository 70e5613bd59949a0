// Prints AST nodes as compact Rego-like text, operators shown as the builtin calls they are (for dumps and tests).

import type { Body, Expr, Module, RefTerm, Rule, Term } from './ast.ts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How a term is written: variable names as given or mapped (e.g. rewritten locals back to source names), comprehension bodies in full or elided. */
export interface TermFormat {
  varName?: (name: string) => string;
  elideBodies?: boolean;
}

export function formatTerm(t: Term, f: TermFormat = {}): string {
  const sub = (x: Term) => formatTerm(x, f);
  const body = (b: Body) => (f.elideBodies ? '...' : formatBody(b));
  switch (t.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(t.value);
    case 'number':
      return t.text;
    case 'string':
      return JSON.stringify(t.value);
    case 'var':
      return f.varName ? f.varName(t.name) : t.name;
    case 'ref':
      return formatRef(t, f);
    case 'array':
      return `[${t.items.map(sub).join(', ')}]`;
    case 'set':
      return t.items.length === 0 ? 'set()' : `{${t.items.map(sub).join(', ')}}`;
    case 'object':
      return `{${t.entries.map(([k, v]) => `${sub(k)}: ${sub(v)}`).join(', ')}}`;
    case 'arraycompr':
      return `[${sub(t.term)} | ${body(t.body)}]`;
    case 'setcompr':
      return `{${sub(t.term)} | ${body(t.body)}}`;
    case 'objectcompr':
      return `{${sub(t.key)}: ${sub(t.value)} | ${body(t.body)}}`;
    case 'call':
      return `${formatRef(t.operator, f)}(${t.args.map(sub).join(', ')})`;
  }
}

export function formatRef(r: RefTerm, f: TermFormat = {}): string {
  let out = formatTerm(r.head, f);
  for (const p of r.path) out += p.type === 'string' && IDENT.test(p.value) ? `.${p.value}` : `[${formatTerm(p, f)}]`;
  return out;
}

export function formatExpr(e: Expr): string {
  let out = e.negated ? 'not ' : '';
  const b = e.body;
  switch (b.kind) {
    case 'term':
      out += formatTerm(b.term);
      break;
    case 'some':
      out += `some ${b.vars.map((x) => formatTerm(x)).join(', ')}`;
      break;
    case 'somein':
      out += `some ${b.key ? formatTerm(b.key) + ', ' : ''}${formatTerm(b.value)} in ${formatTerm(b.collection)}`;
      break;
    case 'every':
      out += `every ${b.key ? formatTerm(b.key) + ', ' : ''}${formatTerm(b.value)} in ${formatTerm(b.domain)} { ${formatBody(b.body)} }`;
      break;
  }
  for (const w of e.with) out += ` with ${formatRef(w.target)} as ${formatTerm(w.value)}`;
  return out;
}

export function formatBody(body: Body): string {
  return body.map(formatExpr).join('; ');
}

/** `complete p := 1`, `partialSet p contains x if { … }`, `function f(x) = y if { … } else = 2` */
export function formatRule(r: Rule): string {
  const h = r.head;
  let out = `${r.default ? 'default ' : ''}${h.kind} ${formatRef(h.ref)}`;
  if (h.args) out += `(${h.args.map((x) => formatTerm(x)).join(', ')})`;
  if (h.kind === 'partialSet' && h.key) out += ` contains ${formatTerm(h.key)}`;
  if (h.value) out += ` ${h.assign ? ':=' : '='} ${formatTerm(h.value)}`;
  if (r.body.length > 0) out += ` if { ${formatBody(r.body)} }`;
  for (let e = r.else; e; e = e.else) {
    out += ` else ${e.head.assign ? ':=' : '='} ${e.head.value ? formatTerm(e.head.value) : 'true'}`;
    if (e.body.length > 0) out += ` if { ${formatBody(e.body)} }`;
  }
  return out;
}

export function formatModule(m: Module): string {
  const lines = [`package ${formatRef(m.package)}  # rego v${m.regoVersion}`];
  for (const i of m.imports) lines.push(`import ${formatRef(i.path)}${i.alias ? ` as ${i.alias}` : ''}`);
  for (const r of m.rules) lines.push(formatRule(r));
  return lines.join('\n');
}
