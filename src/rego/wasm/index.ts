// The WebAssembly backend: links the planner's IR with the AssemblyScript runtime into one module the OPA SDK loads.
import binaryen from 'binaryen';
import type { Policy } from '../plan/ir.ts';
import type { RegoError, Location } from '../syntax/ast.ts';
import { loadRuntimeBinary, RuntimeBuildError } from './runtime-binary.ts';
import { StaticData } from './static-data.ts';
import { appendDataSegment } from './data-segment.ts';
import { PolicyCodegen, CodegenError, type RuntimeSymbols } from './codegen.ts';

export { CodegenError } from './codegen.ts';

export interface GenerateOptions {
  /** Also return the module as WebAssembly text (large: includes the runtime). */
  dumpWat?: boolean;
}

export interface GenerateResult {
  wasm?: Uint8Array;
  wat?: string;
  errors: RegoError[];
}

/** The engine's WebAssembly API (the project's TypeScript lib has no WebAssembly typings). */
const engine = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

const NO_LOCATION: Location = { file: '<codegen>', line: 0, col: 0 };
const SDK_DEFAULT_PAGES = 5;
/** Bytes reserved below the heap for caches that outlive evaluations (compiled regexes); shrinks to fit the SDK's 5 pages. */
const CACHE_REGION = 96 * 1024;
const MIN_CACHE_REGION = 8 * 1024;
const FEATURES =
  binaryen.Features.MutableGlobals | binaryen.Features.SignExt | binaryen.Features.BulkMemory |
  binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemoryOpt;

/** Generates the module for `policy`. Errors (unknown builtins, malformed IR) are returned, never thrown. */
export async function generateWasm(policy: Policy, opts: GenerateOptions = {}): Promise<GenerateResult> {
  let runtime: Uint8Array;
  try {
    runtime = loadRuntimeBinary();
  } catch (e) {
    const message = e instanceof RuntimeBuildError ? e.message : `cannot load the WebAssembly runtime: ${String(e)}`;
    return { errors: [{ code: 'rego_compile_error', message, loc: NO_LOCATION }] };
  }
  const mod = binaryen.readBinary(runtime);
  try {
    mod.setFeatures(FEATURES);
    const rt = runtimeSymbols(mod);
    const dataBase = align(runtimeDataEnd(mod), 16);
    const statics = new StaticData(dataBase);
    const gen = new PolicyCodegen(mod, policy, rt, statics);

    // eval_plan replaces the runtime's import of the same name.
    const evalPlan = importedFunctionName(mod, 'airlock', 'eval_plan');
    mod.removeFunction(evalPlan);
    gen.emitAll(evalPlan);

    // Per-policy exports: entrypoints() and builtins() parse constant JSON.
    const entrypoints = Object.fromEntries(policy.plans.map((p, i) => [p.name, i]));
    exportJsonConstant(mod, rt, statics, 'entrypoints', entrypoints);
    exportJsonConstant(mod, rt, statics, 'builtins', gen.builtinIds());

    // Static data, then the cache region, then the heap.
    const cacheBase = align(statics.end, 16);
    if (cacheBase > SDK_DEFAULT_PAGES * 65536) {
      throw new CodegenError('rego_compile_error', `policy constants need ${cacheBase} bytes; more than the SDK's default memory`);
    }
    // Leave a quarter of the SDK's initial memory to the heap (data document, input).
    let cacheSize = Math.min(CACHE_REGION, align(Math.max(0, SDK_DEFAULT_PAGES * 65536 * 0.75 - cacheBase), 16));
    if (cacheSize < MIN_CACHE_REGION) cacheSize = 0;
    const heapBase = cacheBase + cacheSize;
    // An older runtime build has no cache region: it simply does not cache.
    if (mod.getExport('airlock_cache_base')) {
      setGlobalInit(mod, 'airlock_cache_base', cacheSize ? cacheBase : 0);
      setGlobalInit(mod, 'airlock_cache_end', cacheSize ? heapBase : 0);
    }
    setGlobalInit(mod, 'airlock_heap_ptr', heapBase);

    // No binaryen passes on the generated functions: they tripled the first compile (binaryen's
    // own code is cold then) and changed nothing measurable at run time (the engine optimizes).
    const wat = opts.dumpWat ? mod.emitText() : undefined;
    const wasm = appendDataSegment(mod.emitBinary(), statics.base, statics.contents());
    // The engine's validator is far cheaper than binaryen's whole-module validate().
    if (!engine.validate(wasm)) throw new CodegenError('rego_compile_error', 'generated module failed validation');
    return { wasm, wat, errors: [] };
  } catch (e) {
    if (e instanceof CodegenError) return { errors: [{ code: e.code, message: e.message, loc: NO_LOCATION }] };
    throw e;
  } finally {
    mod.dispose();
  }
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function runtimeSymbols(mod: binaryen.Module): RuntimeSymbols {
  const funcs = new Map<string, string>();
  for (let i = 0; i < mod.getNumExports(); i++) {
    const info = binaryen.getExportInfo(mod.getExportByIndex(i));
    if (info.kind === binaryen.ExternalFunction) funcs.set(info.name, info.value);
  }
  const abort = funcs.get('rt_opa_abort');
  if (!abort) throw new CodegenError('rego_compile_error', 'runtime does not export rt_opa_abort');
  return { funcs, abort };
}

/** binaryen.js methods missing from its typings. */
interface DataSegmentReader {
  getNumDataSegments(): number;
  getDataSegmentByIndex(i: number): number;
  getDataSegmentInfo(ref: number): { offset: number | null; data: ArrayBuffer };
}

function runtimeDataEnd(mod: binaryen.Module): number {
  const reader = mod as unknown as DataSegmentReader;
  let end = 0;
  for (let i = 0; i < reader.getNumDataSegments(); i++) {
    const seg = reader.getDataSegmentInfo(reader.getDataSegmentByIndex(i));
    if (seg.offset !== null) end = Math.max(end, seg.offset + seg.data.byteLength);
  }
  return Math.max(end, 1024);
}

function importedFunctionName(mod: binaryen.Module, module: string, base: string): string {
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
    if (info.module === module && info.base === base) return info.name;
  }
  throw new CodegenError('rego_compile_error', `runtime does not import ${module}.${base}`);
}

function exportJsonConstant(mod: binaryen.Module, rt: RuntimeSymbols, statics: StaticData, name: string, value: unknown): void {
  const parse = rt.funcs.get('opa_json_parse');
  if (!parse) throw new CodegenError('rego_compile_error', 'runtime does not export opa_json_parse');
  const [ptr, len] = statics.bytesOf(JSON.stringify(value));
  const internal = `policy/${name}`;
  mod.addFunction(internal, binaryen.none, binaryen.i32, [], mod.call(parse, [mod.i32.const(ptr), mod.i32.const(len)], binaryen.i32));
  mod.addFunctionExport(internal, name);
}

/** Gives the runtime's exported mutable global `name` the initial value `value` and drops the export. */
function setGlobalInit(mod: binaryen.Module, name: string, value: number): void {
  const exp = mod.getExport(name);
  if (!exp) throw new CodegenError('rego_compile_error', `runtime does not export ${name} (rebuild build/runtime.wasm)`);
  const global = binaryen.getExportInfo(exp).value;
  mod.removeExport(name);
  mod.removeGlobal(global);
  mod.addGlobal(global, binaryen.i32, true, mod.i32.const(value));
}
