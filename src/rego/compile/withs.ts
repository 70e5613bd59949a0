// Pass: `with` targets must not replace part of a virtual document (OPA's rewriteWithModifiers check).
import type { Body, Expr, Module, Rule, Term } from '../syntax/ast.ts';
import { regoError, type ErrorSink } from './errors.ts';
import type { DocNode } from './program.ts';
import { closureBody, childTerms, exprTerms, isClosure, refStaticPrefix } from './terms.ts';

/**
 * `with data.t.p.q as v` where a rule defines data.t.p would have to change part of that
 * rule's value; OPA rejects it at compile time, and so do we.
 */
export function checkWithTargets(modules: Module[], root: DocNode, errors: ErrorSink): void {
  for (const m of modules) for (const r of m.rules) forEachExprInRule(r, (e) => checkExpr(e, root, errors));
}

function checkExpr(e: Expr, root: DocNode, errors: ErrorSink): void {
  for (const w of e.with) {
    const target = refStaticPrefix(w.target);
    if (target[0] !== 'data') continue;
    let node = root;
    for (let i = 1; i < target.length - 1; i++) {
      const child = node.children.get(target[i]!);
      if (!child) break;
      if (child.group) {
        errors.push(regoError('rego_compile_error', 'with keyword cannot partially replace virtual document(s)', w.target.loc));
        break;
      }
      node = child;
    }
  }
}

function forEachExprInRule(rule: Rule, fn: (e: Expr) => void): void {
  const terms = [...rule.head.ref.path, ...(rule.head.args ?? []), ...(rule.head.key ? [rule.head.key] : []), ...(rule.head.value ? [rule.head.value] : [])];
  for (const t of terms) forEachExprInTerm(t, fn);
  forEachExprInBody(rule.body, fn);
  if (rule.else) forEachExprInRule(rule.else, fn);
}

function forEachExprInBody(body: Body, fn: (e: Expr) => void): void {
  for (const e of body) {
    fn(e);
    for (const t of exprTerms(e)) forEachExprInTerm(t, fn);
    if (e.body.kind === 'every') forEachExprInBody(e.body.body, fn);
  }
}

function forEachExprInTerm(t: Term, fn: (e: Expr) => void): void {
  if (isClosure(t)) forEachExprInBody(closureBody(t), fn);
  for (const c of childTerms(t)) forEachExprInTerm(c, fn);
  if (t.type === 'arraycompr' || t.type === 'setcompr') forEachExprInTerm(t.term, fn);
  if (t.type === 'objectcompr') {
    forEachExprInTerm(t.key, fn);
    forEachExprInTerm(t.value, fn);
  }
}
