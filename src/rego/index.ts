// The compiler's front door: Rego source files → one WebAssembly module the OPA SDK loads.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseModule } from './syntax/parser.ts';
import { compileToIR } from './plan/index.ts';
import { printPolicy } from './plan/ir.ts';
import { generateWasm } from './wasm/index.ts';
import type { Module, RegoError } from './syntax/ast.ts';

export { formatRegoError } from './syntax/ast.ts';
export type { RegoError, Location } from './syntax/ast.ts';

export interface SourceFile {
  path: string;
  text: string;
}

export type DumpStage = 'ast' | 'ir' | 'wat';

export interface CompileOptions {
  /** OPA-style entrypoints (`airlock/decision`, `test/x`); at least one. */
  entrypoints: string[];
  /** 1 (default): Rego v1. 0: OPA's --v0-compatible dialect (`import rego.v1` still switches a module to v1). */
  regoVersion?: 0 | 1;
  /** Also return a textual dump of one stage. */
  dump?: DumpStage;
}

export interface CompileResult {
  wasm?: Uint8Array;
  errors: RegoError[];
  dump?: string;
  /** Milliseconds spent per stage, for benchmarks and `--verbose`. */
  timings: { parse: number; plan: number; codegen: number };
}

/** Compile Rego files into one module with the given entrypoints; errors are collected, never thrown. */
export async function compile(files: SourceFile[], opts: CompileOptions): Promise<CompileResult> {
  const timings = { parse: 0, plan: 0, codegen: 0 };
  const errors: RegoError[] = [];
  const regoVersion = opts.regoVersion ?? 1;

  let t0 = performance.now();
  const modules: Module[] = [];
  for (const file of files) {
    const parsed = parseModule(file.path, file.text, { regoVersion });
    errors.push(...parsed.errors);
    if (parsed.module) modules.push(parsed.module);
  }
  timings.parse = performance.now() - t0;
  if (opts.dump === 'ast') return { errors, dump: JSON.stringify(modules, null, 2), timings };
  if (errors.length > 0) return { errors, timings };
  if (opts.entrypoints.length === 0) {
    return { errors: [noEntrypointError(files)], timings };
  }

  t0 = performance.now();
  const planned = compileToIR(modules, { entrypoints: opts.entrypoints });
  timings.plan = performance.now() - t0;
  errors.push(...planned.errors);
  if (errors.length > 0 || !planned.policy) return { errors, timings };
  if (opts.dump === 'ir') return { errors, dump: printPolicy(planned.policy), timings };

  t0 = performance.now();
  const generated = await generateWasm(planned.policy, { dumpWat: opts.dump === 'wat' });
  timings.codegen = performance.now() - t0;
  errors.push(...generated.errors);
  if (errors.length > 0 || !generated.wasm) return { errors, timings, dump: generated.wat };
  return { wasm: generated.wasm, errors, timings, dump: generated.wat };
}

export interface PolicyDirOptions extends CompileOptions {
  /** Include `*_test.rego` files (policy tests); default false. */
  includeTests?: boolean;
}

export interface PolicyDirResult extends CompileResult {
  /** The merged `data.json` documents found in the directory tree (`{}` when none). */
  data: Record<string, unknown>;
  /** The Rego files that were compiled, relative to the directory. */
  files: string[];
}

/** Compile every `.rego` file under `dir` (tests excluded unless asked) and read its `data.json`. */
export async function compilePolicyDir(dir: string, opts: PolicyDirOptions): Promise<PolicyDirResult> {
  const sources = await readPolicySources(dir, opts.includeTests ?? false);
  const data = await mergeDataFiles(dir, sources.dataFiles);
  const result = await compile(sources.rego, opts);
  return { ...result, data, files: sources.rego.map((f) => relative(dir, f.path)) };
}

export interface PolicySources {
  rego: SourceFile[];
  dataFiles: string[];
}

/** Every `.rego` file below `dir`, sorted by path; `*_test.rego` only when `includeTests`. */
export async function readPolicySources(dir: string, includeTests: boolean): Promise<PolicySources> {
  const paths = await walk(dir);
  const regoPaths = paths.filter((p) => p.endsWith('.rego') && (includeTests || !p.endsWith('_test.rego')));
  const rego = await Promise.all(regoPaths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
  return { rego, dataFiles: paths.filter((p) => basename(p) === 'data.json') };
}

/**
 * The data document of a policy directory: each `data.json` is placed at the path of its
 * folder relative to `dir` (as `opa build` does), and the documents are merged.
 */
export async function readPolicyData(dir: string): Promise<Record<string, unknown>> {
  return mergeDataFiles(dir, (await walk(dir)).filter((p) => basename(p) === 'data.json'));
}

async function mergeDataFiles(dir: string, paths: string[]): Promise<Record<string, unknown>> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    const rel = relative(dir, path).split('/').slice(0, -1);
    let node = root;
    for (const seg of rel) {
      const next = node[seg];
      node[seg] = next && typeof next === 'object' && !Array.isArray(next) ? next : {};
      node = node[seg] as Record<string, unknown>;
    }
    mergeInto(node, parsed, path);
  }
  return root;
}

/** Deep-merges the data document `value` (read from `path`) into `target`, as bundle data files are merged. */
export function mergeInto(target: Record<string, unknown>, value: unknown, path: string): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${path}: a data.json file must hold a JSON object`);
  }
  for (const [k, v] of Object.entries(value)) {
    const cur = target[k];
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) {
      mergeInto(cur as Record<string, unknown>, v, path);
    } else {
      target[k] = v;
    }
  }
}

async function walk(dir: string): Promise<string[]> {
  const info = await stat(dir);
  if (!info.isDirectory()) return [dir];
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const p = join(dir, name);
    const s = await stat(p);
    if (s.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

function noEntrypointError(files: SourceFile[]): RegoError {
  return {
    code: 'rego_compile_error',
    message: 'no entrypoint given: name at least one rule, e.g. -e airlock/decision',
    loc: { file: files[0]?.path ?? '<none>', line: 1, col: 1 },
  };
}

/** `data.a.b` → `a/b`; `data` → `` (the whole data document). */
export function entrypointForRef(ref: string): string {
  const trimmed = ref.trim();
  if (trimmed === 'data') return '';
  if (!trimmed.startsWith('data.')) throw new Error(`not a data reference: ${ref}`);
  return trimmed.slice('data.'.length).replace(/\./g, '/');
}
