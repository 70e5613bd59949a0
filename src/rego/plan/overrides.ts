// What `with` replaces in the current scope: base/virtual data paths and mocked functions or builtins.
import type { Term } from '../syntax/ast.ts';

export type Replacement =
  | { kind: 'func'; path: string[] }
  | { kind: 'builtin'; name: string }
  | { kind: 'value'; term: Term };

export interface Overrides {
  /** Paths under `data` (absolute, starting with 'data') replaced in the data document. */
  readonly data: readonly string[][];
  /** Mocked callables: user functions by pathKey, builtins by name. */
  readonly funcs: ReadonlyMap<string, Replacement>;
  /** Canonical text identifying this set of overrides ('' when empty); names function variants. */
  readonly key: string;
}

export const NO_OVERRIDES: Overrides = { data: [], funcs: new Map(), key: '' };

export function withData(ov: Overrides, path: string[]): Overrides {
  const data = [...ov.data.filter((p) => JSON.stringify(p) !== JSON.stringify(path)), path];
  return { data, funcs: ov.funcs, key: overridesKey(data, ov.funcs) };
}

export function withFunc(ov: Overrides, name: string, r: Replacement): Overrides {
  const funcs = new Map(ov.funcs);
  funcs.set(name, r);
  return { data: ov.data, funcs, key: overridesKey(ov.data, funcs) };
}

/** The overrides without the mock of `name`: a replacement function runs without its own mock (OPA). */
export function withoutFunc(ov: Overrides, name: string): Overrides {
  if (!ov.funcs.has(name)) return ov;
  const funcs = new Map(ov.funcs);
  funcs.delete(name);
  return { data: ov.data, funcs, key: overridesKey(ov.data, funcs) };
}

function overridesKey(data: readonly string[][], funcs: ReadonlyMap<string, Replacement>): string {
  const parts = data.map((p) => `d:${JSON.stringify(p)}`).sort();
  for (const [k, r] of [...funcs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const what = r.kind === 'func' ? JSON.stringify(r.path) : r.kind === 'builtin' ? r.name : JSON.stringify(r.term, (key, v) => (key === 'loc' ? undefined : v));
    parts.push(`f:${k}=${r.kind}:${what}`);
  }
  return parts.join(';');
}

/** Whether `path` lies at or under a replaced data path. */
export function dataOverridden(ov: Overrides, path: readonly string[]): boolean {
  return ov.data.some((p) => p.length <= path.length && p.every((x, i) => x === path[i]));
}
