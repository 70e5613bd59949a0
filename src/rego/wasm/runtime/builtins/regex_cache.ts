// Compiled regex programs kept across evaluations in the cache region (memory.ts), keyed by pattern text.
//
// A policy matches the same patterns on every evaluation (constants, or built from data), so
// compiling them once matters more than anything else a regex call does. Programs are
// immutable, so a cached one can be shared by every later evaluation. The cache region lies
// below the heap floor and survives heap resets; when it is full, patterns are compiled on the
// heap per call as before (correct, just slower). The region is never reset: the set of
// distinct patterns a policy uses is small, and the lookup table caps the entries.

import { heapGet, heapSet, airlock_cache_base, airlock_cache_end } from '../memory';
import { reCompile } from './regex_vm';

// Region layout: [u32 used bytes][u32 entry count][entries: (u32 hash, u32 patPtr, u32 patLen, u32 prog)][...programs]
const MAX_ENTRIES: u32 = 128;
const TABLE: usize = 8 + (<usize>MAX_ENTRIES << 4);
/** Slack for malloc's alignment when the same compile is replayed at another address. */
const ALIGN_SLACK: usize = 16;

/** The compiled program of pattern p[0..n): cached when possible; 0 when the pattern is invalid. */
export function reCompileCached(p: usize, n: u32): usize {
  const base = airlock_cache_base;
  if (base == 0 || airlock_cache_end < base + TABLE) return reCompile(p, n);
  if (load<u32>(base) == 0) store<u32>(base, <u32>TABLE); // first use: the region is zeroed memory
  const h = hashBytes(p, n);
  const count = load<u32>(base, 4);
  for (let i: u32 = 0; i < count; i++) {
    const e = base + 8 + (<usize>i << 4);
    if (load<u32>(e) == h && load<u32>(e, 8) == n && memory.compare(load<u32>(e, 4), p, n) == 0) return load<u32>(e, 12);
  }
  // Compile on the heap first: that tells the size; replay it in the region when it fits.
  const heap0 = heapGet();
  const prog = reCompile(p, n);
  const size = heapGet() - heap0;
  if (count >= MAX_ENTRIES) return prog;
  const at = base + <usize>load<u32>(base);
  const need = size + ALIGN_SLACK + <usize>n + 8;
  if (at + need > airlock_cache_end) return prog;
  const pat = at;
  memory.copy(pat, p, n);
  // The heap copy is garbage now; compile again with the heap pointer inside the region.
  heapSet((pat + n + 7) & ~(<usize>7));
  const cached = prog == 0 ? 0 : reCompile(pat, n);
  store<u32>(base, <u32>(heapGet() - base));
  heapSet(heap0);
  const e = base + 8 + (<usize>count << 4);
  store<u32>(e, h);
  store<u32>(e, <u32>pat, 4);
  store<u32>(e, n, 8);
  store<u32>(e, <u32>cached, 12);
  store<u32>(base, count + 1, 4);
  return cached;
}

function hashBytes(p: usize, n: u32): u32 {
  let h: u32 = 2166136261;
  for (let i: u32 = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 16777619;
  return h;
}
