// Lowers `with` modifiers: replaced input/data documents become WithStmt scopes, mocked
// functions and builtins become overrides that re-plan the rules they affect.
import type { Expr, WithModifier } from '../syntax/ast.ts';
import { BUILTINS } from '../builtins/catalog.ts';
import { pathKey } from '../compile/program.ts';
import { refStaticPrefix, termText } from '../compile/terms.ts';
import type { BodyPlanner, K } from './body.ts';
import { localOp } from './builder.ts';
import type { Local } from './ir.ts';
import { withData, withFunc, type Overrides, type Replacement } from './overrides.ts';

interface Scope {
  input: Local;
  data: Local;
  ov: Overrides;
}

/**
 * Plans expression `e` (which has `with` modifiers) and then `k`. The expression runs with
 * the replacements; the rest of the body (k) runs with the outer documents again but keeps
 * the expression's bindings, and so it stays inside the WithStmt blocks.
 */
export function planWithExpr(bp: BodyPlanner, e: Expr, k: K): void {
  const saved = scopeOf(bp);
  let emittedWith = false;
  const apply = (mods: WithModifier[], i: number): void => {
    if (i === mods.length) {
      bp.expr({ ...e, with: [] }, () => {
        const inner = scopeOf(bp);
        setScope(bp, saved);
        try {
          if (emittedWith) freshMemoScope(bp, k);
          else k();
        } finally {
          setScope(bp, inner);
        }
      });
      return;
    }
    const w = mods[i]!;
    const target = refStaticPrefix(w.target);
    if (target.length !== w.target.path.length + 1) {
      bp.error(`with target ${termText(w.target)} must be a static reference`, w.loc);
      return;
    }
    const root = target[0]!;
    const mock = mockFor(bp, target, w);
    if (mock) {
      const prev = bp.ov;
      bp.ov = withFunc(bp.ov, mock.name, mock.replacement);
      try {
        apply(mods, i + 1);
      } finally {
        bp.ov = prev;
      }
      return;
    }
    if (root !== 'input' && root !== 'data') {
      bp.error(`with target ${termText(w.target)} must be input, data or a function`, w.loc);
      return;
    }
    bp.term(w.value, (value) => {
      const local = root === 'input' ? bp.input : bp.data;
      const t = bp.fb.newLocal();
      const path = target.slice(1).map((s) => bp.svc.pb.str(s));
      emittedWith = true;
      const block = bp.fb.block(() => {
        const prev = scopeOf(bp);
        if (root === 'input') bp.input = t;
        else {
          bp.data = t;
          bp.ov = withData(bp.ov, target);
        }
        try {
          apply(mods, i + 1);
        } finally {
          setScope(bp, prev);
        }
      });
      bp.fb.emit({ op: 'with', local, path, value, target: t, block });
    });
  };
  apply(e.with, 0);
}

function scopeOf(bp: BodyPlanner): Scope {
  return { input: bp.input, data: bp.data, ov: bp.ov };
}

function setScope(bp: BodyPlanner, s: Scope): void {
  bp.input = s.input;
  bp.data = s.data;
  bp.ov = s.ov;
}

/**
 * The rest of the body after a `with` expression runs inside the with's block (it may use
 * the expression's bindings) but must not see memoized results computed under the
 * replaced document: a with that replaces nothing opens a fresh memo scope for it.
 */
function freshMemoScope(bp: BodyPlanner, k: K): void {
  const t = bp.fb.newLocal();
  const prevInput = bp.input;
  const block = bp.fb.block(() => {
    bp.input = t;
    try {
      k();
    } finally {
      bp.input = prevInput;
    }
  });
  bp.fb.emit({ op: 'with', local: prevInput, path: [], value: localOp(prevInput), target: t, block });
}

/** A `with` on a user function or builtin: what replaces it (another function, a builtin, or a value). */
function mockFor(bp: BodyPlanner, target: string[], w: WithModifier): { name: string; replacement: Replacement } | undefined {
  const groups = bp.svc.program.groups;
  let name: string | undefined;
  if (target[0] === 'data') {
    const g = groups.get(pathKey(target));
    if (g?.kind === 'function') name = pathKey(target);
  } else if (BUILTINS.has(target.join('.'))) name = target.join('.');
  if (name === undefined) return undefined;
  const v = w.value;
  if (v.type === 'ref' || v.type === 'var') {
    const parts = v.type === 'var' ? [v.name] : refStaticPrefix(v);
    const full = v.type === 'var' || parts.length === v.path.length + 1;
    if (full && parts[0] === 'data' && groups.get(pathKey(parts))?.kind === 'function') return { name, replacement: { kind: 'func', path: parts } };
    if (full && BUILTINS.has(parts.join('.')) && !bp.isBound(parts[0]!)) return { name, replacement: { kind: 'builtin', name: parts.join('.') } };
  }
  return { name, replacement: { kind: 'value', term: v } };
}
