// Test harness for runtime builtins: instantiates build/runtime.wasm and calls `builtin_*` exports on Rego-text values.

import { mkdirSync, readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A result: `undefined` for an undefined builtin result, else the value's Rego text (sets kept, keys sorted). */
export type RegoText = string | undefined;

export interface BuiltinRuntime {
  /** Calls builtin_<name> with arguments written in Rego value syntax (JSON plus `{1, 2}` / `set()`); returns the result's Rego text. */
  call(name: string, ...args: string[]): RegoText;
  /** Same, but the result's JSON projection parsed into JavaScript (undefined when undefined). */
  json(name: string, ...args: string[]): unknown;
  /** Names of the module's exports. */
  exports: string[];
}

// The runtime core plus only these builtins files: the team edits other builtins files in the
// same tree at the same time, and their work in progress must not break these tests.
const OWN_FILES = [
  'aggregates', 'arrays', 'objects', 'types', 'numbers', 'bits', 'time', 'net', 'crypto', 'semver', 'uuid', 'walk',
];

// Value-independent cores those builtins import (rebuild when they change).
const OWN_CORES = ['operand_support', 'digest_core', 'calendar_core', 'go_time_layout', 'ip_core', 'json_patch_core', 'byte_buffer', 'semver_core'];

let cached: Promise<BuiltinRuntime> | undefined;

/** Builds (if stale) and instantiates the runtime once per test process. */
export function loadBuiltinRuntime(): Promise<BuiltinRuntime> {
  cached ??= instantiate();
  return cached;
}

async function instantiate(): Promise<BuiltinRuntime> {
  const bytes = await buildPrivateRuntime();
  const module = await WebAssembly.compile(new Uint8Array(bytes));
  const memory = new WebAssembly.Memory({ initial: 5 });
  const readCString = (addr: number): string => {
    const b = new Uint8Array(memory.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return Buffer.from(b.subarray(addr, end)).toString('utf8');
  };
  // Provide every function import: opa_abort throws like the SDK's; anything else is unused by builtins.
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
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
  const ex = instance.exports as Record<string, unknown>;
  const fn = (name: string) => {
    const f = ex[name];
    if (typeof f !== 'function') throw new Error(`runtime has no export ${name}`);
    return f as (...a: number[]) => number;
  };
  const heapSet = fn('opa_heap_ptr_set');
  const floor = dataEnd(bytes);

  const parse = (text: string): number => {
    const buf = Buffer.from(text, 'utf8');
    const p = fn('opa_malloc')(buf.length);
    new Uint8Array(memory.buffer).set(buf, p);
    const v = fn('opa_value_parse')(p, buf.length);
    if (v === 0) throw new Error(`runtime could not parse ${text}`);
    return v;
  };
  const run = (name: string, args: string[]): number => {
    heapSet(floor);
    const values = args.map(parse);
    return fn(`builtin_${name.replaceAll('.', '_')}`)(...values);
  };
  return {
    exports: WebAssembly.Module.exports(module).map((e) => e.name),
    call(name, ...args) {
      const r = run(name, args);
      return r === 0 ? undefined : readCString(fn('opa_value_dump')(r));
    },
    json(name, ...args) {
      const r = run(name, args);
      return r === 0 ? undefined : JSON.parse(readCString(fn('opa_json_dump')(r)));
    },
  };
}

async function buildPrivateRuntime(): Promise<Uint8Array> {
  const runtimeDir = join(root, 'src/rego/wasm/runtime');
  const entries = [join(runtimeDir, 'index.ts')];
  for (const f of OWN_FILES) {
    const p = join(runtimeDir, 'builtins', `${f}.ts`);
    if (existsSync(p)) entries.push(p);
  }
  const out = join(root, 'build/test-misc-builtins.wasm');
  mkdirSync(dirname(out), { recursive: true });
  const sources = [...entries, ...listTs(runtimeDir, false), ...OWN_CORES.map((c) => join(runtimeDir, 'builtins', `${c}.ts`))];
  if (existsSync(out) && sources.every((f) => !existsSync(f) || statSync(f).mtimeMs < statSync(out).mtimeMs)) return readFileSync(out);
  const { default: asc } = await import('assemblyscript/asc');
  const rel = (p: string) => p.slice(root.length + 1);
  const { error, stderr } = await asc.main([
    ...entries.map(rel),
    '--outFile', rel(out),
    '--runtime', 'stub', '--importMemory', '--noExportMemory', '--initialMemory', '2',
    '--use', 'abort=src/rego/wasm/runtime/memory/runtimeAbort', '--noAssert', '--baseDir', root,
  ], {});
  if (error) throw new Error(`runtime build failed: ${error.message}\n${stderr.toString().split('\n\n').filter((block) => block.includes('ERROR')).join('\n\n')}`);
  if (!statSync(out).size) throw new Error('runtime build wrote nothing');
  return readFileSync(out);
}

function listTs(dir: string, deep: boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return deep ? listTs(join(dir, d.name), deep) : [];
    return d.name.endsWith('.ts') ? [join(dir, d.name)] : [];
  });
}

/** First byte past the module's active data segments (where a test heap may start). */
function dataEnd(bytes: Uint8Array): number {
  let pos = 8;
  let end = 1024;
  const u32 = (): number => {
    let r = 0, shift = 0, b = 0;
    do { b = bytes[pos++]!; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    return r >>> 0;
  };
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const size = u32();
    const next = pos + size;
    if (id === 11) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const flags = u32();
        if (flags !== 0) throw new Error('unexpected data segment kind');
        if (bytes[pos++] !== 0x41) throw new Error('unexpected data offset expression');
        // signed LEB128 i32.const
        let off = 0, shift = 0, b = 0;
        do { b = bytes[pos++]!; off |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
        pos++; // end
        const len = u32();
        end = Math.max(end, off + len);
        pos += len;
      }
    }
    pos = next;
  }
  return (end + 15) & ~15;
}
