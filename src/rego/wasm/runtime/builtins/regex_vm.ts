// RE2-style regular expressions: compiles the syntax tree to a program and runs it on a Pike VM (linear time, leftmost-first like Go).
//
// Usage: `const prog = reCompile(ptr, len)` (0 = invalid pattern), then
// `reExec(prog, input, n, start, caps)` fills caps[0..reNumSlots(prog)) with byte offsets
// (-1 = group did not participate) of the leftmost-first match starting at or after `start`,
// or `reMatch(prog, input, n)` when only "is there a match" matters (no captures: faster).
// Programs are immutable once compiled (regex_cache.ts keeps them across evaluations); the VM's
// scratch lists are shared by all programs and live on the heap of the current evaluation.

import { malloc, heapEpoch } from '../memory';
import { decodeRune, runeWidth } from './byte_buffer';
import { runesFoldEqual, toLowerRune, toUpperRune } from './unicode_case';
import {
  parseRegex, reGroupCount, reGroupNames, nodeKind, nodeA, nodeB, nodeC, nodeD,
  N_EMPTY, N_LIT, N_CLASS, N_ANY, N_ASSERT, N_CAT, N_ALT, N_REPEAT, N_CAPTURE,
  A_BEGIN_TEXT, A_END_TEXT, A_BEGIN_LINE, A_END_LINE, A_WORD, A_NOT_WORD,
} from './regex_syntax';

const I_RUNE: u32 = 1; // a = rune, b = fold
const I_CLASS: u32 = 2; // a = ranges, b = count, c = flags (1 neg, 2 fold)
const I_ANY: u32 = 3; // a = matches '\n' too
const I_SPLIT: u32 = 4; // a = preferred pc, b = other pc
const I_JMP: u32 = 5; // a = pc
const I_SAVE: u32 = 6; // a = slot
const I_ASSERT: u32 = 7; // a = kind
const I_MATCH: u32 = 8;

/** Largest program accepted (instructions), like RE2's size limit on `(a{1000}){1000}`. */
const MAX_PROG: u32 = 100000;

// Program header: [u32 insts][u32 count][u32 slots][u32 groupNames][u32 groupCount]
//                 [u32 prefilter][32 bytes: bitmap of the bytes a match can start with]
//                 [u32 required byte + 1, 0 = none]
// prefilter != 0 when a match must consume a byte from the bitmap first (no empty match from the
// start, no `.`): the VM then skips ASCII bytes outside the bitmap while it has no live thread.
// A required byte is an ASCII byte every match contains (the `@` of an e-mail pattern): a text
// without it cannot match, which one scan of the text tells.
const PROG_HEADER: usize = 60;
@inline export function reNumSlots(prog: usize): u32 { return load<u32>(prog, 8); }
@inline export function reGroupCountOf(prog: usize): u32 { return load<u32>(prog, 16); }
/** Name of group g (1-based) as (ptr, len); len 0 when unnamed. */
@inline export function reGroupNamePtr(prog: usize, g: u32): usize { return load<u32>(load<u32>(prog, 12) + (<usize>g << 3)); }
@inline export function reGroupNameLen(prog: usize, g: u32): u32 { return load<u32>(load<u32>(prog, 12) + (<usize>g << 3), 4); }

let insts: usize = 0;
let pcNext: u32 = 0;
let tooBig = false;

/** Parses and compiles a pattern; 0 when it is not valid RE2 syntax. */
export function reCompile(p: usize, n: u32): usize {
  const root = parseRegex(p, n);
  if (root == 0) return 0;
  tooBig = false;
  const size = progSize(root) + 3;
  if (tooBig || size > MAX_PROG) return 0;
  insts = malloc(<usize>size << 4);
  pcNext = 0;
  emit(I_SAVE, 0, 0, 0);
  compileNode(root);
  emit(I_SAVE, 1, 0, 0);
  emit(I_MATCH, 0, 0, 0);
  const prog = malloc(PROG_HEADER);
  store<u32>(prog, <u32>insts);
  store<u32>(prog, pcNext, 4);
  store<u32>(prog, (reGroupCount + 1) << 1, 8);
  store<u32>(prog, <u32>reGroupNames, 12);
  store<u32>(prog, reGroupCount, 16);
  computeFirstBytes(prog);
  store<u32>(prog, <u32>(requiredByte(root) + 1), 56);
  return prog;
}

// ---------------------------------------------------------------- required byte

@inline function isAsciiAlnum(b: i32): bool {
  return (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a);
}

/** An ASCII byte that every match of node contains, or -1. Prefers punctuation (rarer in text) over letters and digits. */
function requiredByte(node: usize): i32 {
  const k = nodeKind(node);
  if (k == N_LIT) {
    const r = nodeA(node);
    if (r >= 0x80) return -1;
    // Case folding leaves ASCII punctuation alone; letters would need both cases.
    if (nodeB(node) != 0 && isAsciiAlnum(<i32>r)) return -1;
    return <i32>r;
  }
  if (k == N_CAPTURE) return requiredByte(nodeA(node));
  if (k == N_REPEAT) return nodeB(node) >= 1 ? requiredByte(nodeA(node)) : -1;
  if (k == N_CAT) {
    const kids = nodeA(node);
    let best: i32 = -1;
    for (let i: u32 = 0; i < nodeB(node); i++) {
      const b = requiredByte(load<u32>(kids + (<usize>i << 2)));
      if (b < 0) continue;
      if (!isAsciiAlnum(b)) return b;
      if (best < 0) best = b;
    }
    return best;
  }
  if (k == N_ALT) {
    const kids = nodeA(node);
    const count = nodeB(node);
    if (count == 0) return -1;
    const first = requiredByte(load<u32>(kids));
    for (let i: u32 = 1; i < count && first >= 0; i++) {
      if (requiredByte(load<u32>(kids + (<usize>i << 2))) != first) return -1;
    }
    return first;
  }
  return -1;
}

/** False when prog needs a byte that input[start..n) lacks (no match possible). */
@inline function requiredBytePresent(prog: usize, input: usize, start: u32, n: u32): bool {
  const req = load<u32>(prog, 56);
  if (req == 0) return true;
  const b = <u8>(req - 1);
  for (let i = start; i < n; i++) if (load<u8>(input + i) == b) return true;
  return false;
}

// ---------------------------------------------------------------- first-byte prefilter

@inline function bitmapAdd(bm: usize, b: u32): void {
  const p = bm + (<usize>b >> 3);
  store<u8>(p, load<u8>(p) | <u8>(1 << <u8>(b & 7)));
}

@inline function bitmapHas(bm: usize, b: u32): bool {
  return (load<u8>(bm + (<usize>b >> 3)) & <u8>(1 << <u8>(b & 7))) != 0;
}

function bitmapAddRange(bm: usize, lo: u32, hi: u32): void {
  for (let b = lo; b <= hi; b++) bitmapAdd(bm, b);
}

/**
 * Fills the program's first-byte bitmap: every byte that can begin a match. Conservative: any
 * rune that may be non-ASCII (including invalid UTF-8, which reads as U+FFFD) adds all bytes >= 0x80.
 */
function computeFirstBytes(prog: usize): void {
  const bm = prog + 24;
  memory.fill(bm, 0, 32);
  store<u32>(prog, 0, 20);
  const n = load<u32>(prog, 4);
  const seen = malloc((<usize>n + 7) >> 3);
  memory.fill(seen, 0, (<usize>n + 7) >> 3);
  const todo = malloc((<usize>n * 2 + 2) << 2); // each processed pc pushes at most two
  let sp: u32 = 0;
  store<u32>(todo, 0);
  sp = 1;
  while (sp > 0) {
    sp--;
    const pc = load<u32>(todo + (<usize>sp << 2));
    if (bitmapHas(seen, pc)) continue;
    bitmapAdd(seen, pc);
    const ip = insts + (<usize>pc << 4);
    const op = load<u32>(ip);
    if (op == I_MATCH || op == I_ANY) return; // an empty match or any byte at all: no filtering
    if (op == I_JMP) {
      { store<u32>(todo + (<usize>sp << 2), load<u32>(ip, 4)); sp++; }
    } else if (op == I_SPLIT) {
      { store<u32>(todo + (<usize>sp << 2), load<u32>(ip, 4)); sp++; }
      { store<u32>(todo + (<usize>sp << 2), load<u32>(ip, 8)); sp++; }
    } else if (op == I_SAVE || op == I_ASSERT) {
      { store<u32>(todo + (<usize>sp << 2), pc + 1); sp++; }
    } else if (op == I_RUNE) {
      const r = load<u32>(ip, 4);
      const fold = load<u32>(ip, 8) != 0;
      if (r < 0x80) bitmapAdd(bm, r);
      if (fold) {
        for (let b: u32 = 0; b < 0x80; b++) if (runesFoldEqual(b, r)) bitmapAdd(bm, b);
      }
      if (r >= 0x80 || fold) bitmapAddRange(bm, 0x80, 0xff);
    } else if (op == I_CLASS) {
      for (let b: u32 = 0; b < 0x80; b++) if (classMatches(ip, b)) bitmapAdd(bm, b);
      const ranges = load<u32>(ip, 4);
      const count = load<u32>(ip, 8);
      let wide = (load<u32>(ip, 12) & 3) != 0;
      for (let i: u32 = 0; i < count && !wide; i++) wide = load<u32>(ranges + (<usize>i << 3), 4) >= 0x80;
      if (wide) bitmapAddRange(bm, 0x80, 0xff);
    }
  }
  store<u32>(prog, 1, 20);
}

function progSize(node: usize): u32 {
  if (tooBig) return 0;
  const k = nodeKind(node);
  let s: u32 = 0;
  if (k == N_EMPTY) return 0;
  if (k == N_LIT || k == N_CLASS || k == N_ANY || k == N_ASSERT) return 1;
  if (k == N_CAT || k == N_ALT) {
    const kids = nodeA(node);
    const count = nodeB(node);
    for (let i: u32 = 0; i < count; i++) s += progSize(load<u32>(kids + (<usize>i << 2)));
    if (k == N_ALT) s += (count - 1) * 2;
  } else if (k == N_CAPTURE) {
    s = progSize(nodeA(node)) + 2;
  } else if (k == N_REPEAT) {
    const x = <u64>progSize(nodeA(node));
    const min = <u64>nodeB(node);
    const max = <i32>nodeC(node);
    let t: u64;
    if (max < 0) t = min == 0 ? x + 2 : (min - 1) * x + x + 1;
    else t = min * x + (<u64>max - min) * (x + 1);
    if (t > <u64>MAX_PROG) {
      tooBig = true;
      return 0;
    }
    s = <u32>t;
  }
  if (s > MAX_PROG) tooBig = true;
  return s;
}

function emit(op: u32, a: u32, b: u32, c: u32): u32 {
  const pc = pcNext++;
  const p = insts + (<usize>pc << 4);
  store<u32>(p, op);
  store<u32>(p, a, 4);
  store<u32>(p, b, 8);
  store<u32>(p, c, 12);
  return pc;
}

@inline function patchA(pc: u32, a: u32): void { store<u32>(insts + (<usize>pc << 4), a, 4); }
@inline function patchB(pc: u32, b: u32): void { store<u32>(insts + (<usize>pc << 4), b, 8); }

function compileNode(node: usize): void {
  const k = nodeKind(node);
  switch (k) {
    case N_EMPTY: return;
    case N_LIT: emit(I_RUNE, nodeA(node), nodeB(node), 0); return;
    case N_CLASS: emit(I_CLASS, nodeA(node), nodeB(node), nodeC(node)); return;
    case N_ANY: emit(I_ANY, nodeA(node), 0, 0); return;
    case N_ASSERT: emit(I_ASSERT, nodeA(node), 0, 0); return;
    case N_CAPTURE: {
      const g = nodeB(node);
      emit(I_SAVE, g << 1, 0, 0);
      compileNode(nodeA(node));
      emit(I_SAVE, (g << 1) + 1, 0, 0);
      return;
    }
    case N_CAT: {
      const kids = nodeA(node);
      const count = nodeB(node);
      for (let i: u32 = 0; i < count; i++) compileNode(load<u32>(kids + (<usize>i << 2)));
      return;
    }
    case N_ALT: {
      const kids = nodeA(node);
      const count = nodeB(node);
      // Jumps to the end are chained through their `a` field until patched.
      let jumps: u32 = 0xffffffff;
      for (let i: u32 = 0; i < count; i++) {
        if (i + 1 < count) {
          const split = emit(I_SPLIT, 0, 0, 0);
          patchA(split, pcNext);
          compileNode(load<u32>(kids + (<usize>i << 2)));
          const j = emit(I_JMP, jumps, 0, 0);
          jumps = j;
          patchB(split, pcNext);
        } else compileNode(load<u32>(kids + (<usize>i << 2)));
      }
      while (jumps != 0xffffffff) {
        const nextJ = load<u32>(insts + (<usize>jumps << 4), 4);
        patchA(jumps, pcNext);
        jumps = nextJ;
      }
      return;
    }
    case N_REPEAT: {
      const child = nodeA(node);
      const min = nodeB(node);
      const max = <i32>nodeC(node);
      const greedy = nodeD(node) != 0;
      if (max < 0) {
        if (min == 0) {
          compileStar(child, greedy);
          return;
        }
        for (let i: u32 = 1; i < min; i++) compileNode(child);
        // x+ : L: x; split(L, next)
        const l = pcNext;
        compileNode(child);
        const split = emit(I_SPLIT, 0, 0, 0);
        if (greedy) { patchA(split, l); patchB(split, pcNext); }
        else { patchA(split, pcNext); patchB(split, l); }
        return;
      }
      for (let i: u32 = 0; i < min; i++) compileNode(child);
      // (max - min) nested optionals: x(x(x)?)?)? — every split jumps to the common end.
      const optional = <u32>max - min;
      if (optional == 0) return;
      const splits = malloc(<usize>optional << 2);
      for (let i: u32 = 0; i < optional; i++) {
        const split = emit(I_SPLIT, 0, 0, 0);
        store<u32>(splits + (<usize>i << 2), split);
        if (greedy) patchA(split, pcNext);
        else patchB(split, pcNext);
        compileNode(child);
      }
      for (let i: u32 = 0; i < optional; i++) {
        const split = load<u32>(splits + (<usize>i << 2));
        if (greedy) patchB(split, pcNext);
        else patchA(split, pcNext);
      }
      return;
    }
  }
}

function compileStar(child: usize, greedy: bool): void {
  const l = emit(I_SPLIT, 0, 0, 0);
  compileNode(child);
  emit(I_JMP, l, 0, 0);
  if (greedy) { patchA(l, l + 1); patchB(l, pcNext); }
  else { patchA(l, pcNext); patchB(l, l + 1); }
}

// ---------------------------------------------------------------- Pike VM

// A thread list: sparse set of pcs, in priority order, with capture slots per pc.
// [u32 dense][u32 sparse][u32 count][u32 caps]
function listNew(ninst: u32, slots: u32): usize {
  const l = malloc(16);
  store<u32>(l, <u32>malloc(<usize>ninst << 2));
  store<u32>(l, <u32>malloc(<usize>ninst << 2), 4);
  store<u32>(l, 0, 8);
  store<u32>(l, <u32>malloc(<usize>ninst * slots << 2), 12);
  return l;
}

@inline function listHas(l: usize, pc: u32): bool {
  const i = load<u32>(load<u32>(l, 4) + (<usize>pc << 2));
  return i < load<u32>(l, 8) && load<u32>(load<u32>(l) + (<usize>i << 2)) == pc;
}

@inline function listInsert(l: usize, pc: u32): void {
  const n = load<u32>(l, 8);
  store<u32>(load<u32>(l) + (<usize>n << 2), pc);
  store<u32>(load<u32>(l, 4) + (<usize>pc << 2), n);
  store<u32>(l, n + 1, 8);
}

// VM scratch shared by every program: exploration stack, two thread lists, a capture buffer.
// Valid while the heap has not been reset below it (heapEpoch) and large enough (ninst, slots).
let scratchEpoch: u32 = 0xffffffff;
let scratchInsts: u32 = 0;
let scratchSlots: u32 = 0;
let scratchList1: usize = 0;
let scratchList2: usize = 0;
let scratchWork: usize = 0;

function ensureScratch(ninst: u32, slots: u32): void {
  if (scratchEpoch == heapEpoch && scratchInsts >= ninst && scratchSlots >= slots) return;
  const ni = ninst > scratchInsts || scratchEpoch != heapEpoch ? ninst : scratchInsts;
  const ns = slots > scratchSlots || scratchEpoch != heapEpoch ? slots : scratchSlots;
  stack = malloc(<usize>(ni * 2 + 4) << 3);
  scratchList1 = listNew(ni, ns);
  scratchList2 = listNew(ni, ns);
  scratchWork = malloc(<usize>ns << 2);
  scratchInsts = ni;
  scratchSlots = ns;
  scratchEpoch = heapEpoch;
}

// Exploration stack for adding threads: entries (u32 what, i32 value). what < 0x80000000: explore pc;
// otherwise restore slot (what & 0x7fffffff) to value.
let stack: usize = 0;

/** Shared input context for assertions. */
let inPtr: usize = 0;
let inLen: u32 = 0;

function isWordAt(i: i32): bool {
  if (i < 0 || <u32>i >= inLen) return false;
  const c = <u32>load<u8>(inPtr + i);
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

function assertHolds(kind: u32, at: u32): bool {
  switch (kind) {
    case A_BEGIN_TEXT: return at == 0;
    case A_END_TEXT: return at == inLen;
    case A_BEGIN_LINE: return at == 0 || load<u8>(inPtr + at - 1) == 0x0a;
    case A_END_LINE: return at == inLen || load<u8>(inPtr + at) == 0x0a;
    case A_WORD: return isWordAt(<i32>at - 1) != isWordAt(<i32>at);
    case A_NOT_WORD: return isWordAt(<i32>at - 1) == isWordAt(<i32>at);
  }
  return false;
}

/**
 * Adds the thread at pc (and everything reachable without consuming input) to list l, at input
 * offset `at`. With slots == 0 no captures are tracked.
 */
function addThread(l: usize, pc0: u32, at: u32, caps: usize, slots: u32): void {
  let sp: u32 = 0;
  store<u32>(stack, pc0);
  sp = 1;
  while (sp > 0) {
    sp--;
    const what = load<u32>(stack + (<usize>sp << 3));
    if (what >= 0x80000000) {
      store<i32>(caps + (<usize>(what & 0x7fffffff) << 2), load<i32>(stack + (<usize>sp << 3), 4));
      continue;
    }
    const pc = what;
    if (listHas(l, pc)) continue;
    listInsert(l, pc);
    const ip = insts + (<usize>pc << 4);
    const op = load<u32>(ip);
    switch (op) {
      case I_JMP:
        store<u32>(stack + (<usize>sp << 3), load<u32>(ip, 4));
        sp++;
        break;
      case I_SPLIT:
        store<u32>(stack + (<usize>sp << 3), load<u32>(ip, 8));
        sp++;
        store<u32>(stack + (<usize>sp << 3), load<u32>(ip, 4));
        sp++;
        break;
      case I_SAVE: {
        const slot = load<u32>(ip, 4);
        if (slot < slots) {
          const e = stack + (<usize>sp << 3);
          store<u32>(e, slot | 0x80000000);
          store<i32>(e, load<i32>(caps + (<usize>slot << 2)), 4);
          sp++;
          store<i32>(caps + (<usize>slot << 2), <i32>at);
        }
        store<u32>(stack + (<usize>sp << 3), pc + 1);
        sp++;
        break;
      }
      case I_ASSERT:
        if (assertHolds(load<u32>(ip, 4), at)) {
          store<u32>(stack + (<usize>sp << 3), pc + 1);
          sp++;
        }
        break;
      default:
        // Consuming instruction or MATCH: the thread waits here with a copy of its captures.
        if (slots != 0) memory.copy(load<u32>(l, 12) + (<usize>pc * slots << 2), caps, <usize>slots << 2);
    }
  }
}

function classMatches(ip: usize, r: u32): bool {
  const ranges = load<u32>(ip, 4);
  const count = load<u32>(ip, 8);
  const f = load<u32>(ip, 12);
  let hit = inRanges(ranges, count, r);
  if (!hit && (f & 2) != 0) {
    const lo = toLowerRune(r);
    const up = toUpperRune(r);
    hit = (lo != r && inRanges(ranges, count, lo)) || (up != r && inRanges(ranges, count, up));
    // Go folds ranges fully (e.g. 'k' ~ KELVIN SIGN); cover the title/lower round trip too.
    if (!hit && up != r) {
      const l2 = toLowerRune(up);
      if (l2 != r && l2 != lo) hit = inRanges(ranges, count, l2);
    }
  }
  return (f & 1) != 0 ? !hit : hit;
}

function inRanges(ranges: usize, count: u32, r: u32): bool {
  for (let i: u32 = 0; i < count; i++) {
    const p = ranges + (<usize>i << 3);
    if (r >= load<u32>(p) && r <= load<u32>(p, 4)) return true;
  }
  return false;
}

/** Does the consuming instruction at ip accept rune r? */
@inline function consumes(ip: usize, op: u32, r: i32): bool {
  if (op == I_RUNE) {
    const want = load<u32>(ip, 4);
    return <u32>r == want || (load<u32>(ip, 8) != 0 && runesFoldEqual(<u32>r, want));
  }
  if (op == I_CLASS) return classMatches(ip, <u32>r);
  if (op == I_ANY) return r != 0x0a || load<u32>(ip, 4) != 0;
  return false;
}

/** With no live thread, the next offset >= at where a match may start (skipping ASCII bytes the program cannot start with). */
@inline function skipToCandidate(prog: usize, input: usize, n: u32, at: u32): u32 {
  if (load<u32>(prog, 20) == 0) return at;
  const bm = prog + 24;
  while (at < n) {
    const c = <u32>load<u8>(input + at);
    if (c >= 0x80 || bitmapHas(bm, c)) break;
    at++;
  }
  return at;
}

/**
 * Runs prog over input[0..n) looking for the leftmost-first match starting at or after `start`.
 * On success writes reNumSlots(prog) i32 offsets at caps and returns true.
 */
export function reExec(prog: usize, input: usize, n: u32, start: u32, caps: usize): bool {
  insts = load<u32>(prog);
  const ninst = load<u32>(prog, 4);
  const slots = load<u32>(prog, 8);
  inPtr = input;
  inLen = n;
  if (!requiredBytePresent(prog, input, start, n)) return false;
  ensureScratch(ninst, slots);
  let clist: usize = scratchList1;
  let nlist: usize = scratchList2;
  const work: usize = scratchWork;
  store<u32>(clist, 0, 8);
  store<u32>(nlist, 0, 8);
  let matched = false;
  let at = start;
  for (;;) {
    if (!matched) {
      if (load<u32>(clist, 8) == 0) {
        at = skipToCandidate(prog, input, n, at);
        if (at >= n && load<u32>(prog, 20) != 0) break;
      }
      memory.fill(work, 0xff, <usize>slots << 2);
      addThread(clist, 0, at, work, slots);
    }
    const count = load<u32>(clist, 8);
    if (count == 0) break;
    let r: i32 = -1;
    let w: u32 = 1;
    if (at < n) {
      r = <i32>decodeRune(input + at, n - at);
      w = runeWidth;
    }
    store<u32>(nlist, 0, 8);
    const dense = load<u32>(clist);
    const ccaps = load<u32>(clist, 12);
    for (let i: u32 = 0; i < count; i++) {
      const pc = load<u32>(dense + (<usize>i << 2));
      const ip = insts + (<usize>pc << 4);
      const op = load<u32>(ip);
      const tcaps = ccaps + (<usize>pc * slots << 2);
      if (op == I_MATCH) {
        memory.copy(caps, tcaps, <usize>slots << 2);
        matched = true;
        break; // lower-priority threads are cut
      }
      if (r < 0) continue;
      if (consumes(ip, op, r)) addThread(nlist, pc + 1, at + w, tcaps, slots);
    }
    const t = clist;
    clist = nlist;
    nlist = t;
    if (at >= n) break;
    at += w;
  }
  return matched;
}

/** Is there any match of prog in input[0..n)? Like reExec without captures, stopping at the first thread that matches. */
export function reMatch(prog: usize, input: usize, n: u32): bool {
  insts = load<u32>(prog);
  const ninst = load<u32>(prog, 4);
  inPtr = input;
  inLen = n;
  if (!requiredBytePresent(prog, input, 0, n)) return false;
  ensureScratch(ninst, 0);
  let clist: usize = scratchList1;
  let nlist: usize = scratchList2;
  store<u32>(clist, 0, 8);
  store<u32>(nlist, 0, 8);
  const filtered = load<u32>(prog, 20) != 0;
  let at: u32 = 0;
  for (;;) {
    if (load<u32>(clist, 8) == 0) {
      at = skipToCandidate(prog, input, n, at);
      if (at >= n && filtered) return false;
    }
    addThread(clist, 0, at, 0, 0);
    const count = load<u32>(clist, 8);
    let r: i32 = -1;
    let w: u32 = 1;
    if (at < n) {
      r = <i32>decodeRune(input + at, n - at);
      w = runeWidth;
    }
    store<u32>(nlist, 0, 8);
    const dense = load<u32>(clist);
    for (let i: u32 = 0; i < count; i++) {
      const pc = load<u32>(dense + (<usize>i << 2));
      const ip = insts + (<usize>pc << 4);
      const op = load<u32>(ip);
      if (op == I_MATCH) return true;
      if (r >= 0 && consumes(ip, op, r)) addThread(nlist, pc + 1, at + w, 0, 0);
    }
    const t = clist;
    clist = nlist;
    nlist = t;
    if (at >= n) return false;
    at += w;
  }
  return false;
}
