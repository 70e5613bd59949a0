// Test harness for the string/regex/glob/sprintf/encoding/units builtins: builds the runtime core plus those files and calls `builtin_*` exports.

import { mkdirSync, readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

// The project's TypeScript lib (ES2022, no DOM) does not declare WebAssembly: the few members used here.
interface WasmImportDesc { module: string; name: string; kind: string }
interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: { imports(m: object): WasmImportDesc[] };
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(m: object, imports: Record<string, Record<string, unknown>>): Promise<{ exports: Record<string, unknown> }>;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const runtimeDir = join(root, 'src/rego/wasm/runtime');

/** The builtins files under test; other builtins files are left out so that their work in progress cannot break these tests. */
const OWN_FILES = ['strings', 'regex', 'glob', 'sprintf', 'encoding', 'units'];
/** Value-independent cores those files import (a change triggers a rebuild). */
const OWN_CORES = ['byte_buffer', 'unicode_case', 'regex_syntax', 'regex_vm', 'float_format'];

export interface StringsRuntime {
  /** Calls builtin_<name> with arguments in Rego value syntax; the result's Rego text, or undefined. */
  call(name: string, ...args: string[]): string | undefined;
  /** Same, with the result's JSON projection parsed (undefined when the builtin is undefined). */
  json(name: string, ...args: string[]): unknown;
  /** Calls with a JavaScript value per argument (encoded as JSON). */
  js(name: string, ...args: unknown[]): unknown;
  /** Heap top after the last call (to check that repeated calls stay bounded). */
  heapTop(): number;
}

let cached: Promise<StringsRuntime> | undefined;

export function loadStringsRuntime(): Promise<StringsRuntime> {
  cached ??= instantiate();
  return cached;
}

async function instantiate(): Promise<StringsRuntime> {
  const bytes = await build();
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: 5 });
  const readCString = (addr: number): string => {
    const b = new Uint8Array(memory.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return Buffer.from(b.subarray(addr, end)).toString('utf8');
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    if (imp.kind === 'memory') imports[imp.module]![imp.name] = memory;
    else if (imp.kind === 'function') {
      imports[imp.module]![imp.name] = imp.name === 'opa_abort'
        ? (addr: number) => { throw new Error(readCString(addr)); }
        : () => 0;
    }
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const ex = instance.exports;
  const fn = (name: string) => {
    const f = ex[name];
    if (typeof f !== 'function') throw new Error(`runtime has no export ${name}`);
    return f as (...a: number[]) => number;
  };
  // The heap floor: past the static data (the initial heap pointer codegen would set).
  const floor = (fn('opa_heap_ptr_get')() || 0) > 0 ? fn('opa_heap_ptr_get')() : 1 << 16;
  const parse = (text: string): number => {
    const buf = Buffer.from(text, 'utf8');
    const p = fn('opa_malloc')(buf.length);
    new Uint8Array(memory.buffer).set(buf, p);
    const v = fn('opa_value_parse')(p, buf.length);
    if (v === 0) throw new Error(`runtime could not parse ${text}`);
    return v;
  };
  const run = (name: string, args: string[]): number => {
    fn('opa_heap_ptr_set')(floor);
    const values = args.map(parse);
    return fn(`builtin_${name.replaceAll('.', '_')}`)(...values);
  };
  return {
    call(name, ...args) {
      const r = run(name, args);
      return r === 0 ? undefined : readCString(fn('opa_value_dump')(r));
    },
    json(name, ...args) {
      const r = run(name, args);
      return r === 0 ? undefined : JSON.parse(readCString(fn('opa_json_dump')(r)));
    },
    js(name, ...args) {
      const r = run(name, args.map((a) => JSON.stringify(a)));
      return r === 0 ? undefined : JSON.parse(readCString(fn('opa_json_dump')(r)));
    },
    heapTop: () => fn('opa_heap_ptr_get')(),
  };
}

async function build(): Promise<Uint8Array> {
  const entries = [join(runtimeDir, 'index.ts')];
  for (const f of OWN_FILES) {
    const p = join(runtimeDir, 'builtins', `${f}.ts`);
    if (existsSync(p)) entries.push(p);
  }
  const out = join(root, 'build/test-strings-builtins.wasm');
  mkdirSync(dirname(out), { recursive: true });
  const sources = [
    ...entries,
    ...readdirSync(runtimeDir).filter((n) => n.endsWith('.ts')).map((n) => join(runtimeDir, n)),
    ...OWN_CORES.map((c) => join(runtimeDir, 'builtins', `${c}.ts`)),
  ];
  if (existsSync(out) && sources.every((f) => !existsSync(f) || statSync(f).mtimeMs < statSync(out).mtimeMs)) return readFileSync(out);
  const { default: asc } = await import('assemblyscript/asc');
  const rel = (p: string) => p.slice(root.length + 1);
  const { error, stderr } = await asc.main([
    ...entries.map(rel),
    '--outFile', rel(out),
    '--runtime', 'stub', '--importMemory', '--noExportMemory', '--initialMemory', '2',
    '--use', 'abort=src/rego/wasm/runtime/memory/runtimeAbort', '-O2', '--noAssert', '--baseDir', root,
  ], {});
  if (error) throw new Error(`runtime build failed: ${error.message}\n${stderr.toString().split('\n').filter((l) => !l.includes('AS201')).join('\n')}`);
  return readFileSync(out);
}
