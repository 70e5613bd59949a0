// Test harness for runtime builtins: instantiates the project's build/runtime.wasm and calls `builtin_*` exports on values.
import { loadRuntimeBinary } from '../../../../src/rego/wasm/runtime-binary.ts';

/** A result: `undefined` for an undefined builtin result, else the value's Rego text (sets kept, keys sorted). */
export type RegoText = string | undefined;

export interface BuiltinRuntime {
  /** Calls builtin_<name> with arguments written in Rego value syntax (JSON plus `{1, 2}` / `set()`); returns the result's Rego text. */
  call(name: string, ...args: string[]): RegoText;
  /** Same, but the result's JSON projection parsed into JavaScript (undefined when undefined). */
  json(name: string, ...args: string[]): unknown;
  /** Calls with one JavaScript value per argument (passed as JSON). */
  js(name: string, ...args: unknown[]): unknown;
  /** Heap top after the last call (to check that repeated calls stay bounded). */
  heapTop(): number;
  /** Names of the module's exports. */
  exports: string[];
}

let cached: Promise<BuiltinRuntime> | undefined;

/** Instantiates the runtime once per test process (rebuilding it first when its sources are newer). */
export function loadBuiltinRuntime(): Promise<BuiltinRuntime> {
  cached ??= instantiate();
  return cached;
}

async function instantiate(): Promise<BuiltinRuntime> {
  const bytes = loadRuntimeBinary();
  const module = await WebAssembly.compile(new Uint8Array(bytes));
  const memory = new WebAssembly.Memory({ initial: 5 });
  const readCString = (addr: number): string => {
    const b = new Uint8Array(memory.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return Buffer.from(b.subarray(addr, end)).toString('utf8');
  };
  // Every function import: opa_abort throws like the SDK's; the others are unused by builtins.
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
  // The bare runtime has no heap start of its own (codegen sets it for a policy): start past its static data.
  const floor = Math.max(fn('opa_heap_ptr_get')(), dataEnd(bytes));
  fn('opa_heap_ptr_set')(floor);

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
  const asJson = (r: number): unknown => (r === 0 ? undefined : JSON.parse(readCString(fn('opa_json_dump')(r))));
  return {
    exports: WebAssembly.Module.exports(module).map((e) => e.name),
    call: (name, ...args) => {
      const r = run(name, args);
      return r === 0 ? undefined : readCString(fn('opa_value_dump')(r));
    },
    json: (name, ...args) => asJson(run(name, args)),
    js: (name, ...args) => asJson(run(name, args.map((a) => JSON.stringify(a)))),
    heapTop: () => fn('opa_heap_ptr_get')(),
  };
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
