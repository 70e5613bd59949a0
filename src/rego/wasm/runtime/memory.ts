// Bump allocator over the imported memory; its pointer IS the heap pointer the SDK gets and sets.
//
// Rules:
// - Everything (values, strings, scratch) is allocated with `malloc`; nothing is ever freed
//   individually. The SDK resets the heap pointer to its floor before every evaluation, so
//   an evaluation's garbage disappears with it.
// - Never use AssemblyScript's managed objects (String, Array, Map, `new` on managed classes):
//   the stub runtime would allocate behind this allocator's back.
// - Codegen rewrites the initial value of `airlock_heap_ptr` to the first free byte after
//   all static data (runtime data + the policy's string constants).

@external("env", "opa_abort")
export declare function opa_abort(addr: usize): void;

@external("env", "opa_println")
export declare function opa_println(addr: usize): void;

const OUT_OF_MEMORY = memory.data<u8>([111, 117, 116, 32, 111, 102, 32, 109, 101, 109, 111, 114, 121, 0]);

/** The heap top. Exported so that codegen can set its initial value. */
export let airlock_heap_ptr: usize = 0;

/**
 * A region below the heap floor that survives heap resets: caches of compiled constant-like
 * things (regex programs) keyed by their source text. Codegen rewrites both bounds; 0/0 means
 * no cache (everything is then built per evaluation on the heap).
 */
export let airlock_cache_base: usize = 0;
export let airlock_cache_end: usize = 0;

/**
 * Counts heap resets that lower the heap pointer and evaluation starts. Scratch memory allocated
 * on the heap may be reused by later code only while this is unchanged (it is bumped whenever
 * that memory may have been handed out or overwritten again).
 */
export let heapEpoch: u32 = 0;

/** Returns the address of `n` fresh bytes, 8-byte aligned. Grows memory as needed; aborts when it cannot. */
export function malloc(n: usize): usize {
  const p = (airlock_heap_ptr + 7) & ~(<usize>7);
  const end = p + n;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) {
      opa_abort(OUT_OF_MEMORY);
      unreachable();
    }
  }
  airlock_heap_ptr = end;
  return p;
}

/** Like malloc, but the bytes are zeroed (memory may hold an earlier evaluation's garbage). */
export function calloc(n: usize): usize {
  const p = malloc(n);
  memory.fill(p, 0, n);
  return p;
}

export function heapGet(): usize {
  return airlock_heap_ptr;
}

/**
 * Starts an evaluation with the heap at p. The SDK's fast path wrote the input text above its
 * floor without telling the module, so every earlier heap allocation counts as gone.
 */
export function heapStartEvaluation(p: usize): void {
  heapEpoch++;
  airlock_heap_ptr = p;
}

export function heapSet(p: usize): void {
  if (p < airlock_heap_ptr) heapEpoch++;
  airlock_heap_ptr = p;
}

/** Copies an ASCII/UTF-16 static AssemblyScript string literal into a NUL-terminated byte string on the heap. */
export function cstring(msg: string): usize {
  const src = changetype<usize>(msg);
  const n = <usize>msg.length;
  const dst = malloc(n + 1);
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + (i << 1)));
  store<u8>(dst + n, 0);
  return dst;
}

/** Raises a runtime error: the SDK's opa_abort import throws `msg` in JavaScript. Never returns. */
export function abortWith(msg: string): void {
  opa_abort(cstring(msg));
  unreachable();
}

/** Target of AssemblyScript's own `abort` (asc --use abort=...): routed to opa_abort. */
export function runtimeAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  if (message === null) abortWith("internal error");
  else abortWith(message);
}
