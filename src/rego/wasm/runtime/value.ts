// Rego values in raw memory: type tags, constructors, accessors and the collection operations.
//
// ============================ VALUE API RULES (for builtin writers) ============================
// - A value is a `Value` (= usize): the address of its header in linear memory. 0 means
//   UNDEFINED. A builtin returns UNDEFINED (0) for "no result" — that includes OPA's non-strict
//   errors such as a wrong argument type. Only raise a runtime error (`abortWith(msg)` from
//   memory.ts) where OPA raises one even in non-strict mode.
// - Values handed to you are IMMUTABLE: never write into an argument. Build new values.
//   The in-place operations (arrayAppend, objectInsert, setAdd) are only for collections you
//   created yourself and have not yet returned.
// - Allocate ONLY with `malloc`/`calloc` (memory.ts) or the constructors here. Never use
//   AssemblyScript managed types (String, Array, Map, class instances): no GC exists here.
//   AS string LITERALS are fine as constants: `makeStringFromLiteral("text")` turns one into
//   a Value.
// - Strings are UTF-8 bytes (stringPtr, stringLen), not NUL-terminated. makeString does not
//   copy: the bytes must outlive the value (heap or static data); use makeStringCopy otherwise.
// - Objects iterate in Rego's sorted key order (objectKeyAt/objectValueAt with 0 <= i < len),
//   sets in sorted element order (setElemAt), arrays by index (arrayGet). Lookups are
//   O(log n) (binary search over the sorted entries).
// - Numbers: makeInt (exact i64), makeFloat (f64; integral values become ints), makeNumberFromText
//   (exact literal text, big integers and decimals keep their text). Read them with
//   numberIsInteger + numberToI64 (exact integers only) or numberToF64. Arithmetic in number.ts.
// - Ordering/equality: compare(a, b) (<0, 0, >0, Rego's total order) and equal(a, b) in compare.ts.
// - Builtins are exported from files in runtime/builtins/ as
//   `export function builtin_<opa name with '.' -> '_'>(a: Value, ...): Value`.
// =============================================================================================
//
// Layouts (all fields little-endian, header 16 bytes unless said):
//   null    [tag]                                          (static singleton)
//   boolean [tag][u32 b @4]                                (static singletons)
//   number  [tag][u8 kind @1][u32 textLen @4][i64 | f64 | u32 textPtr @8]
//   string  [tag][u32 len @4][u32 bytesPtr @8]
//   array   [tag][u32 len @4][u32 cap @8][u32 elems @12]   elems: Value[cap]
//   object  [tag][u32 len @4][u32 cap @8][u32 entries @12] entries: (key, value)[cap], sorted by key
//   set     [tag][u32 len @4][u32 cap @8][u32 elems @12]   elems sorted

import { malloc } from './memory';
import { bytesCompare, compare } from './compare';

export type Value = usize;
export const UNDEFINED: Value = 0;

// Type tags, numbered in Rego's order of types: null < boolean < number < string < array < object < set.
export const T_NULL: u32 = 1;
export const T_BOOLEAN: u32 = 2;
export const T_NUMBER: u32 = 3;
export const T_STRING: u32 = 4;
export const T_ARRAY: u32 = 5;
export const T_OBJECT: u32 = 6;
export const T_SET: u32 = 7;

// Number representations.
export const NUM_INT: u32 = 0; // exact i64 at @8
export const NUM_FLOAT: u32 = 1; // f64 at @8, never integral-and-small (those become NUM_INT)
export const NUM_TEXT: u32 = 2; // exact decimal literal text (ptr @8, len @4): big integers, decimals

const NULL_VALUE: usize = memory.data<u32>([1, 0]);
const TRUE_VALUE: usize = memory.data<u32>([2, 1]);
const FALSE_VALUE: usize = memory.data<u32>([2, 0]);

// ---------------------------------------------------------------- scalars

/** The type tag (T_*) of a defined value. */
@inline export function typeOf(v: Value): u32 {
  return load<u8>(v);
}

export function makeNull(): Value {
  return NULL_VALUE;
}

export function makeBool(b: bool): Value {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

export function boolValue(v: Value): bool {
  return load<u32>(v, 4) != 0;
}

export function makeInt(i: i64): Value {
  const v = malloc(16);
  store<u32>(v, T_NUMBER | (NUM_INT << 8));
  store<i64>(v, i, 8);
  return v;
}

const I64_LIMIT: f64 = 9223372036854775808.0; // 2^63

/** A number from an f64. Integral values in i64 range become exact ints. */
export function makeFloat(f: f64): Value {
  if (f == Math.floor(f) && f > -I64_LIMIT && f < I64_LIMIT) return makeInt(<i64>f);
  const v = malloc(16);
  store<u32>(v, T_NUMBER | (NUM_FLOAT << 8));
  store<f64>(v, f, 8);
  return v;
}

/** A number kept exactly as its decimal text (the bytes must outlive the value). No validation: use parseNumber in number.ts for text from outside. */
export function makeNumberText(ptr: usize, len: u32): Value {
  const v = malloc(16);
  store<u32>(v, T_NUMBER | (NUM_TEXT << 8));
  store<u32>(v, len, 4);
  store<u32>(v, ptr, 8);
  return v;
}

@inline export function numberKind(v: Value): u32 {
  return load<u8>(v, 1);
}

@inline export function numberIntValue(v: Value): i64 {
  return load<i64>(v, 8);
}

@inline export function numberFloatValue(v: Value): f64 {
  return load<f64>(v, 8);
}

@inline export function numberTextPtr(v: Value): usize {
  return load<u32>(v, 8);
}

@inline export function numberTextLen(v: Value): u32 {
  return load<u32>(v, 4);
}

export function makeString(ptr: usize, len: u32): Value {
  const v = malloc(16);
  store<u32>(v, T_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, ptr, 8);
  return v;
}

export function makeStringCopy(ptr: usize, len: u32): Value {
  const bytes = malloc(len);
  memory.copy(bytes, ptr, len);
  return makeString(bytes, len);
}

/** A string value from an AssemblyScript string literal (UTF-16 → UTF-8). */
export function makeStringFromLiteral(s: string): Value {
  const src = changetype<usize>(s);
  const n = <u32>s.length;
  const dst = malloc(n * 3);
  let o: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let c = <u32>load<u16>(src + (i << 1));
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const lo = <u32>load<u16>(src + ((i + 1) << 1));
      if (lo >= 0xdc00 && lo < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    o += writeUtf8(dst + o, c);
  }
  return makeString(dst, o);
}

/** Writes code point c as UTF-8 at p; returns the byte count (1..4). */
export function writeUtf8(p: usize, c: u32): u32 {
  if (c < 0x80) {
    store<u8>(p, <u8>c);
    return 1;
  }
  if (c < 0x800) {
    store<u8>(p, <u8>(0xc0 | (c >> 6)));
    store<u8>(p, <u8>(0x80 | (c & 0x3f)), 1);
    return 2;
  }
  if (c < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (c >> 12)));
    store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
    store<u8>(p, <u8>(0x80 | (c & 0x3f)), 2);
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (c >> 18)));
  store<u8>(p, <u8>(0x80 | ((c >> 12) & 0x3f)), 1);
  store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 2);
  store<u8>(p, <u8>(0x80 | (c & 0x3f)), 3);
  return 4;
}

@inline export function stringLen(v: Value): u32 {
  return load<u32>(v, 4);
}

@inline export function stringPtr(v: Value): usize {
  return load<u32>(v, 8);
}

// ---------------------------------------------------------------- collections (shared layout)

@inline export function collectionLen(v: Value): u32 {
  return load<u32>(v, 4);
}

function makeCollection(tag: u32, cap: u32, slot: u32): Value {
  if (cap < 4) cap = 4;
  const v = malloc(16);
  store<u32>(v, tag);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, malloc(<usize>cap * slot), 12);
  return v;
}

/** Makes room for one more slot of `slot` bytes, doubling the capacity when full. */
function reserveOne(v: Value, slot: u32): void {
  const len = load<u32>(v, 4);
  const cap = load<u32>(v, 8);
  if (len < cap) return;
  const ncap = cap * 2;
  const data = malloc(<usize>ncap * slot);
  memory.copy(data, load<u32>(v, 12), <usize>len * slot);
  store<u32>(v, ncap, 8);
  store<u32>(v, data, 12);
}

// ---------------------------------------------------------------- arrays

export function makeArray(cap: u32): Value {
  return makeCollection(T_ARRAY, cap, 4);
}

@inline export function arrayLen(a: Value): u32 {
  return load<u32>(a, 4);
}

/** Element i (0 <= i < len; unchecked). */
@inline export function arrayGet(a: Value, i: u32): Value {
  return load<u32>(load<u32>(a, 12) + (<usize>i << 2));
}

/** Appends in place (only on arrays you made). */
export function arrayAppend(a: Value, x: Value): void {
  reserveOne(a, 4);
  const len = load<u32>(a, 4);
  store<u32>(load<u32>(a, 12) + (<usize>len << 2), x);
  store<u32>(a, len + 1, 4);
}

/** Overwrites element i in place (only on arrays you made; 0 <= i < len). */
export function arraySet(a: Value, i: u32, x: Value): void {
  store<u32>(load<u32>(a, 12) + (<usize>i << 2), x);
}

// ---------------------------------------------------------------- objects

export function makeObject(cap: u32): Value {
  return makeCollection(T_OBJECT, cap, 8);
}

@inline export function objectLen(o: Value): u32 {
  return load<u32>(o, 4);
}

/** i-th key in sorted order (0 <= i < len; unchecked). */
@inline export function objectKeyAt(o: Value, i: u32): Value {
  return load<u32>(load<u32>(o, 12) + (<usize>i << 3));
}

/** i-th value in sorted key order. */
@inline export function objectValueAt(o: Value, i: u32): Value {
  return load<u32>(load<u32>(o, 12) + (<usize>i << 3), 4);
}

/** Index of key, or -(insertion point) - 1 when absent. */
export function objectFind(o: Value, key: Value): i32 {
  const entries = load<u32>(o, 12);
  let lo: i32 = 0;
  let hi: i32 = <i32>load<u32>(o, 4) - 1;
  if (typeOf(key) == T_STRING) {
    // The usual lookup (a string key): compare's order without its dispatch — other types sort by type, strings bytewise.
    const kp = stringPtr(key);
    const kl = stringLen(key);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = load<u32>(entries + (<usize>mid << 3));
      const tk = typeOf(k);
      const c = tk == T_STRING ? bytesCompare(stringPtr(k), stringLen(k), kp, kl) : tk < T_STRING ? -1 : 1;
      if (c == 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(load<u32>(entries + (<usize>mid << 3)), key);
    if (c == 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** The value under key, or UNDEFINED. */
export function objectGet(o: Value, key: Value): Value {
  const i = objectFind(o, key);
  return i < 0 ? UNDEFINED : objectValueAt(o, <u32>i);
}

/** Inserts or overwrites key in place (only on objects you made). */
export function objectInsert(o: Value, key: Value, value: Value): void {
  const len = load<u32>(o, 4);
  // Fast path: keys arriving in sorted order append.
  if (len > 0) {
    const c = compare(objectKeyAt(o, len - 1), key);
    if (c < 0) {
      reserveOne(o, 8);
      const e = load<u32>(o, 12) + (<usize>len << 3);
      store<u32>(e, key);
      store<u32>(e, value, 4);
      store<u32>(o, len + 1, 4);
      return;
    }
  }
  const i = objectFind(o, key);
  if (i >= 0) {
    store<u32>(load<u32>(o, 12) + (<usize>i << 3), value, 4);
    return;
  }
  const at = <u32>(-i - 1);
  reserveOne(o, 8);
  const entries = load<u32>(o, 12);
  const p = entries + (<usize>at << 3);
  memory.copy(p + 8, p, <usize>(len - at) << 3);
  store<u32>(p, key);
  store<u32>(p, value, 4);
  store<u32>(o, len + 1, 4);
}

/** Appends an entry WITHOUT keeping order; call objectSortEntries before any lookup. For bulk builders (JSON parse). */
export function objectAppendUnsorted(o: Value, key: Value, value: Value): void {
  reserveOne(o, 8);
  const len = load<u32>(o, 4);
  const e = load<u32>(o, 12) + (<usize>len << 3);
  store<u32>(e, key);
  store<u32>(e, value, 4);
  store<u32>(o, len + 1, 4);
}

/** Sorts entries appended with objectAppendUnsorted by key; for duplicate keys the last one wins. */
export function objectSortEntries(o: Value): void {
  const len = load<u32>(o, 4);
  if (len < 2) return;
  const entries = load<u32>(o, 12);
  sortSlots(entries, len, 8);
  // Stable sort keeps later duplicates after earlier ones: keep the last of each run.
  let w: u32 = 0;
  for (let r: u32 = 0; r < len; r++) {
    const k = load<u32>(entries + (<usize>r << 3));
    if (r + 1 < len && compare(k, load<u32>(entries + (<usize>(r + 1) << 3))) == 0) continue;
    if (w != r) store<u64>(entries + (<usize>w << 3), load<u64>(entries + (<usize>r << 3)));
    w++;
  }
  store<u32>(o, w, 4);
}

/**
 * objectSortEntries for objects whose keys are all strings (parsed JSON), comparing the keys' bytes directly. Small
 * objects sort in place by insertion (keys that arrive in order cost one comparison each); larger ones take the general path.
 */
export function objectSortStringKeyEntries(o: Value): void {
  const len = load<u32>(o, 4);
  if (len < 2) return;
  if (len > 12) {
    objectSortEntries(o);
    return;
  }
  const entries = load<u32>(o, 12);
  let dup = false;
  for (let i: u32 = 1; i < len; i++) {
    const cur = load<u64>(entries + (<usize>i << 3));
    const key = <u32>cur;
    const kp = stringPtr(key);
    const kl = stringLen(key);
    let j = i;
    while (j > 0) {
      const q = entries + (<usize>(j - 1) << 3);
      const other = load<u32>(q);
      const c = bytesCompare(stringPtr(other), stringLen(other), kp, kl);
      if (c <= 0) {
        // The scan stops at the largest key not above this one: an equal key, if any, is that one.
        if (c == 0) dup = true;
        break;
      }
      store<u64>(q + 8, load<u64>(q));
      j--;
    }
    store<u64>(entries + (<usize>j << 3), cur);
  }
  if (!dup) return;
  // The sort is stable: of equal keys the later one comes last; keep it.
  let w: u32 = 0;
  for (let r: u32 = 0; r < len; r++) {
    const k = load<u32>(entries + (<usize>r << 3));
    if (r + 1 < len) {
      const n = load<u32>(entries + (<usize>(r + 1) << 3));
      if (bytesCompare(stringPtr(k), stringLen(k), stringPtr(n), stringLen(n)) == 0) continue;
    }
    if (w != r) store<u64>(entries + (<usize>w << 3), load<u64>(entries + (<usize>r << 3)));
    w++;
  }
  store<u32>(o, w, 4);
}

// ---------------------------------------------------------------- sets

export function makeSet(cap: u32): Value {
  return makeCollection(T_SET, cap, 4);
}

@inline export function setLen(s: Value): u32 {
  return load<u32>(s, 4);
}

/** i-th element in sorted order (0 <= i < len; unchecked). */
@inline export function setElemAt(s: Value, i: u32): Value {
  return load<u32>(load<u32>(s, 12) + (<usize>i << 2));
}

/** Index of x, or -(insertion point) - 1 when absent. */
export function setFind(s: Value, x: Value): i32 {
  const elems = load<u32>(s, 12);
  let lo: i32 = 0;
  let hi: i32 = <i32>load<u32>(s, 4) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(load<u32>(elems + (<usize>mid << 2)), x);
    if (c == 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

export function setContains(s: Value, x: Value): bool {
  return setFind(s, x) >= 0;
}

/** Adds x in place (only on sets you made); no-op when present. */
export function setAdd(s: Value, x: Value): void {
  const len = load<u32>(s, 4);
  if (len > 0 && compare(setElemAt(s, len - 1), x) < 0) {
    reserveOne(s, 4);
    store<u32>(load<u32>(s, 12) + (<usize>len << 2), x);
    store<u32>(s, len + 1, 4);
    return;
  }
  const i = setFind(s, x);
  if (i >= 0) return;
  const at = <u32>(-i - 1);
  reserveOne(s, 4);
  const p = load<u32>(s, 12) + (<usize>at << 2);
  memory.copy(p + 4, p, <usize>(len - at) << 2);
  store<u32>(p, x);
  store<u32>(s, len + 1, 4);
}

/** Appends WITHOUT keeping order; call setSortElems before any lookup. */
export function setAppendUnsorted(s: Value, x: Value): void {
  reserveOne(s, 4);
  const len = load<u32>(s, 4);
  store<u32>(load<u32>(s, 12) + (<usize>len << 2), x);
  store<u32>(s, len + 1, 4);
}

/** Sorts and de-duplicates elements appended with setAppendUnsorted. */
export function setSortElems(s: Value): void {
  const len = load<u32>(s, 4);
  if (len < 2) return;
  const elems = load<u32>(s, 12);
  sortSlots(elems, len, 4);
  let w: u32 = 1;
  for (let r: u32 = 1; r < len; r++) {
    const x = load<u32>(elems + (<usize>r << 2));
    if (compare(load<u32>(elems + (<usize>(w - 1) << 2)), x) == 0) continue;
    store<u32>(elems + (<usize>w << 2), x);
    w++;
  }
  store<u32>(s, w, 4);
}

// ---------------------------------------------------------------- sorting

/**
 * Stable sort of n slots of `slot` bytes (4 or 8) whose first u32 is the Value compared.
 * Insertion sort for short runs, bottom-up merge sort otherwise (O(n log n)).
 */
export function sortSlots(base: usize, n: u32, slot: u32): void {
  if (n <= 12) {
    insertionSort(base, n, slot);
    return;
  }
  const bytes = <usize>n * slot;
  let src = base;
  let dst = malloc(bytes);
  const tmpStart = dst;
  // Sort runs of 8 in place first.
  for (let i: u32 = 0; i < n; i += 8) insertionSort(base + <usize>i * slot, min(8, n - i), slot);
  for (let width: u32 = 8; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const a = src + <usize>i * slot;
        const b = src + <usize>j * slot;
        if (compare(load<u32>(b), load<u32>(a)) < 0) {
          copySlot(dst + <usize>k * slot, b, slot);
          j++;
        } else {
          copySlot(dst + <usize>k * slot, a, slot);
          i++;
        }
        k++;
      }
      if (i < mid) memory.copy(dst + <usize>k * slot, src + <usize>i * slot, <usize>(mid - i) * slot);
      else if (j < hi) memory.copy(dst + <usize>k * slot, src + <usize>j * slot, <usize>(hi - j) * slot);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != base) memory.copy(base, src, bytes);
  // tmpStart is garbage now (bump allocator).
  if (tmpStart == 0) unreachable();
}

@inline function copySlot(dst: usize, src: usize, slot: u32): void {
  if (slot == 8) store<u64>(dst, load<u64>(src));
  else store<u32>(dst, load<u32>(src));
}

function insertionSort(base: usize, n: u32, slot: u32): void {
  for (let i: u32 = 1; i < n; i++) {
    const p = base + <usize>i * slot;
    const cur = slot == 8 ? load<u64>(p) : <u64>load<u32>(p);
    const key = <u32>cur;
    let j = i;
    while (j > 0) {
      const q = base + <usize>(j - 1) * slot;
      if (compare(load<u32>(q), key) <= 0) break;
      copySlot(q + slot, q, slot);
      j--;
    }
    const t = base + <usize>j * slot;
    if (slot == 8) store<u64>(t, cur);
    else store<u32>(t, <u32>cur);
  }
}
