// The compile stage: runs the passes over parsed modules and returns the program the planner lowers.
import type { Module, RegoError } from '../syntax/ast.ts';
import { lookupBuiltin } from '../builtins/catalog.ts';
import type { CompiledProgram, GroupDeps } from './program.ts';
import { pathKey } from './program.ts';
import { rewriteLocals } from './locals.ts';
import { packagePath, resolveModule, type ResolveContext } from './resolve.ts';
import { checkRuleSafety } from './safety.ts';
import { buildGroups, headShape } from './groups.ts';
import { typecheckProgram } from './typecheck.ts';
import { checkRecursion, collectDeps } from './recursion.ts';
import { checkWithTargets } from './withs.ts';

export type { CompiledProgram, RuleGroup, RuleDef, DocNode, GroupDeps, GroupKind } from './program.ts';
export { pathKey } from './program.ts';

export function compileModules(modules: Module[]): { program?: CompiledProgram; errors: RegoError[] } {
  const errors: RegoError[] = [];
  // Names every module may refer to: rule names per package and function paths.
  const ctx: ResolveContext = { functions: new Set(), packageRules: new Map() };
  const functionArity = new Map<string, number>();
  for (const m of modules) {
    const pk = pathKey(packagePath(m));
    let names = ctx.packageRules.get(pk);
    if (!names) ctx.packageRules.set(pk, (names = new Set()));
    for (const r of m.rules) {
      if (r.head.ref.head.type === 'var') names.add(r.head.ref.head.name);
      if (r.head.kind === 'function') {
        const shape = headShape(m, r);
        ctx.functions.add(pathKey(shape.path));
        functionArity.set(shape.path.join('.'), r.head.args?.length ?? 0);
      }
    }
  }
  const arityOf = (name: string): number | undefined => {
    const f = functionArity.get(name);
    if (f !== undefined) return f;
    const b = lookupBuiltin(name, 0);
    if (!b || b.variadic) return undefined;
    return b.args.length;
  };
  const rewritten = modules.map((m) => {
    const local = rewriteLocals(m, errors);
    const resolved = resolveModule(local, ctx, errors);
    return { ...resolved, rules: resolved.rules.map((r) => checkRuleSafety(r, arityOf, errors)) };
  });
  const { groups, root } = buildGroups(rewritten, errors);
  checkWithTargets(rewritten, root, errors);
  typecheckProgram(groups, functionArity, errors);
  const deps = new Map<string, GroupDeps>();
  for (const [k, g] of groups) deps.set(k, collectDeps(g, (p) => groups.get(pathKey(p))?.kind === 'function'));
  checkRecursion(groups, deps, errors);
  if (errors.length) return { errors: sortByLocation(errors) };
  return { program: { groups, root, deps }, errors };
}

/** Errors in source order (file, line, column), as OPA lists them; the sort is stable. */
function sortByLocation(errors: RegoError[]): RegoError[] {
  return [...errors].sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.col - b.loc.col));
}
