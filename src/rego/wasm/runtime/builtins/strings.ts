// String builtins (concat, contains, lower, split, substring, indexof, trim*, format_int, strings.*) with OPA's Go semantics.
//
// Non-strict OPA: a wrong operand type or a builtin error makes the call undefined (return 0).
// Indexes (indexof, substring) count code points, as OPA does with []rune.

import { malloc } from '../memory';
import {
  Value, typeOf, T_NUMBER, T_STRING, T_ARRAY, T_SET, T_OBJECT, makeBool, makeInt, makeString, makeArray,
  arrayAppend, arrayLen, arrayGet, setLen, setElemAt, objectLen, objectKeyAt, objectValueAt, stringPtr, stringLen,
} from '../value';
import { numberToF64, numberIsInteger, numberToI64 } from '../number';
import {
  bufNew, bufBytes, bufByte, bufRune, bufToString, decodeRune, runeWidth, runeCount, runeOffset,
  bytesIndexOf,
} from './byte_buffer';
import { toLowerRune, toUpperRune } from './unicode_case';

@inline function isStr(v: Value): bool {
  return typeOf(v) == T_STRING;
}

/** An exact integer operand that fits in i32 range, as OPA's IntOperand; sets strIntOk. */
let strIntOk = false;
function intOperand(v: Value): i64 {
  strIntOk = false;
  if (typeOf(v) != T_NUMBER || !numberIsInteger(v)) return 0;
  strIntOk = true;
  return numberToI64(v);
}

// ---------------------------------------------------------------- concat

export function builtin_concat(delim: Value, coll: Value): Value {
  if (!isStr(delim)) return 0;
  const t = typeOf(coll);
  if (t != T_ARRAY && t != T_SET) return 0;
  const n = t == T_ARRAY ? arrayLen(coll) : setLen(coll);
  const b = bufNew(64);
  for (let i: u32 = 0; i < n; i++) {
    const x = t == T_ARRAY ? arrayGet(coll, i) : setElemAt(coll, i);
    if (!isStr(x)) return 0;
    if (i > 0) bufBytes(b, stringPtr(delim), stringLen(delim));
    bufBytes(b, stringPtr(x), stringLen(x));
  }
  return bufToString(b);
}

// ---------------------------------------------------------------- predicates

export function builtin_contains(s: Value, sub: Value): Value {
  if (!isStr(s) || !isStr(sub)) return 0;
  return makeBool(bytesIndexOf(stringPtr(s), stringLen(s), stringPtr(sub), stringLen(sub), 0) >= 0);
}

function hasPrefix(p: usize, n: u32, q: usize, m: u32): bool {
  return m <= n && memory.compare(p, q, m) == 0;
}

function hasSuffix(p: usize, n: u32, q: usize, m: u32): bool {
  return m <= n && memory.compare(p + n - m, q, m) == 0;
}

export function builtin_startswith(s: Value, prefix: Value): Value {
  if (!isStr(s) || !isStr(prefix)) return 0;
  return makeBool(hasPrefix(stringPtr(s), stringLen(s), stringPtr(prefix), stringLen(prefix)));
}

export function builtin_endswith(s: Value, suffix: Value): Value {
  if (!isStr(s) || !isStr(suffix)) return 0;
  return makeBool(hasSuffix(stringPtr(s), stringLen(s), stringPtr(suffix), stringLen(suffix)));
}

/** strings.any_prefix_match / any_suffix_match: operands are a string or an array/set of strings. */
function anyAffixMatch(a: Value, b: Value, suffix: bool): Value {
  if (!isStrOrStrColl(a) || !isStrOrStrColl(b)) return 0;
  const na = affixCount(a);
  const nb = affixCount(b);
  for (let i: u32 = 0; i < na; i++) {
    const s = affixAt(a, i);
    for (let j: u32 = 0; j < nb; j++) {
      const x = affixAt(b, j);
      const ok = suffix
        ? hasSuffix(stringPtr(s), stringLen(s), stringPtr(x), stringLen(x))
        : hasPrefix(stringPtr(s), stringLen(s), stringPtr(x), stringLen(x));
      if (ok) return makeBool(true);
    }
  }
  return makeBool(false);
}

function isStrOrStrColl(v: Value): bool {
  const t = typeOf(v);
  if (t == T_STRING) return true;
  if (t != T_ARRAY && t != T_SET) return false;
  const n = affixCount(v);
  for (let i: u32 = 0; i < n; i++) if (!isStr(affixAt(v, i))) return false;
  return true;
}

function affixCount(v: Value): u32 {
  const t = typeOf(v);
  return t == T_STRING ? 1 : t == T_ARRAY ? arrayLen(v) : setLen(v);
}

function affixAt(v: Value, i: u32): Value {
  const t = typeOf(v);
  return t == T_STRING ? v : t == T_ARRAY ? arrayGet(v, i) : setElemAt(v, i);
}

export function builtin_strings_any_prefix_match(a: Value, b: Value): Value {
  return anyAffixMatch(a, b, false);
}

export function builtin_strings_any_suffix_match(a: Value, b: Value): Value {
  return anyAffixMatch(a, b, true);
}

// ---------------------------------------------------------------- case

function mapCase(s: Value, upper: bool): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const b = bufNew(n + 4);
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) {
      bufByte(b, upper ? (c >= 97 && c <= 122 ? c - 32 : c) : (c >= 65 && c <= 90 ? c + 32 : c));
      i++;
      continue;
    }
    const r = decodeRune(p + i, n - i);
    const w = runeWidth;
    if (r == 0xfffd && w == 1) bufRune(b, 0xfffd); // Go maps invalid bytes to U+FFFD
    else bufRune(b, upper ? toUpperRune(r) : toLowerRune(r));
    i += w;
  }
  return bufToString(b);
}

export function builtin_lower(s: Value): Value {
  return mapCase(s, false);
}

export function builtin_upper(s: Value): Value {
  return mapCase(s, true);
}

// ---------------------------------------------------------------- replace / split

/** Go's strings.Replace(s, old, new, -1): an empty `old` inserts `new` before every code point and at the end. */
export function builtin_replace(s: Value, old: Value, repl: Value): Value {
  if (!isStr(s) || !isStr(old) || !isStr(repl)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const op = stringPtr(old);
  const on = stringLen(old);
  const rp = stringPtr(repl);
  const rn = stringLen(repl);
  const b = bufNew(n + 16);
  if (on == 0) {
    let i: u32 = 0;
    bufBytes(b, rp, rn);
    while (i < n) {
      decodeRune(p + i, n - i);
      bufBytes(b, p + i, runeWidth);
      i += runeWidth;
      bufBytes(b, rp, rn);
    }
    return bufToString(b);
  }
  let i: u32 = 0;
  for (;;) {
    const j = bytesIndexOf(p, n, op, on, i);
    if (j < 0) break;
    bufBytes(b, p + i, <u32>j - i);
    bufBytes(b, rp, rn);
    i = <u32>j + on;
  }
  bufBytes(b, p + i, n - i);
  return bufToString(b);
}

/**
 * strings.replace_n(patterns, s): Go's strings.NewReplacer with the pattern keys in sorted order.
 * At each position the first key (in that order) that matches wins; the scan then continues after it.
 */
export function builtin_strings_replace_n(patterns: Value, s: Value): Value {
  if (typeOf(patterns) != T_OBJECT || !isStr(s)) return 0;
  const k = objectLen(patterns);
  for (let j: u32 = 0; j < k; j++) {
    if (!isStr(objectKeyAt(patterns, j)) || !isStr(objectValueAt(patterns, j))) return 0;
  }
  const p = stringPtr(s);
  const n = stringLen(s);
  const b = bufNew(n + 16);
  let i: u32 = 0;
  let emptyKey: i32 = -1;
  for (let j: u32 = 0; j < k; j++) if (stringLen(objectKeyAt(patterns, j)) == 0) { emptyKey = <i32>j; break; }
  for (;;) {
    let hit: i32 = -1;
    for (let j: u32 = 0; j < k; j++) {
      const key = objectKeyAt(patterns, j);
      const kl = stringLen(key);
      if (kl == 0) {
        hit = <i32>j;
        break;
      }
      if (kl <= n - i && memory.compare(p + i, stringPtr(key), kl) == 0) {
        hit = <i32>j;
        break;
      }
    }
    if (hit >= 0) {
      const key = objectKeyAt(patterns, <u32>hit);
      const val = objectValueAt(patterns, <u32>hit);
      bufBytes(b, stringPtr(val), stringLen(val));
      if (stringLen(key) > 0) {
        i += stringLen(key);
        if (i >= n) {
          if (emptyKey >= 0) bufBytes(b, stringPtr(objectValueAt(patterns, <u32>emptyKey)), stringLen(objectValueAt(patterns, <u32>emptyKey)));
          break;
        }
        continue;
      }
    }
    if (i >= n) break;
    decodeRune(p + i, n - i);
    bufBytes(b, p + i, runeWidth);
    i += runeWidth;
    if (i >= n && emptyKey >= 0) {
      const val = objectValueAt(patterns, <u32>emptyKey);
      bufBytes(b, stringPtr(val), stringLen(val));
      break;
    }
  }
  return bufToString(b);
}

/** Go's strings.Split: an empty separator splits into code points ("" → []). */
export function builtin_split(s: Value, sep: Value): Value {
  if (!isStr(s) || !isStr(sep)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const sp = stringPtr(sep);
  const sn = stringLen(sep);
  const out = makeArray(4);
  if (sn == 0) {
    let i: u32 = 0;
    while (i < n) {
      decodeRune(p + i, n - i);
      arrayAppend(out, makeString(p + i, runeWidth));
      i += runeWidth;
    }
    return out;
  }
  let i: u32 = 0;
  for (;;) {
    const j = bytesIndexOf(p, n, sp, sn, i);
    if (j < 0) break;
    arrayAppend(out, makeString(p + i, <u32>j - i));
    i = <u32>j + sn;
  }
  arrayAppend(out, makeString(p + i, n - i));
  return out;
}

// ---------------------------------------------------------------- substring / indexof

export function builtin_substring(s: Value, start: Value, length: Value): Value {
  if (!isStr(s)) return 0;
  const st = intOperand(start);
  if (!strIntOk) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const count = <i64>runeCount(p, n);
  if (st >= count) return makeString(p, 0);
  if (st < 0) return 0; // "negative offset"
  const len = intOperand(length);
  if (!strIntOk) return 0;
  const from = runeOffset(p, n, <u32>st);
  if (len < 0) return makeString(p + from, n - from);
  let upto = st + len;
  if (upto > count) upto = count;
  const to = runeOffset(p, n, <u32>upto);
  return makeString(p + from, to - from);
}

/** Code point index of the first occurrence at or after byte `from`, converting byte offsets. */
function runeIndexOfByte(p: usize, byteOff: u32): i64 {
  return <i64>runeCount(p, byteOff);
}

export function builtin_indexof(s: Value, sub: Value): Value {
  if (!isStr(s) || !isStr(sub)) return 0;
  if (stringLen(sub) == 0) return 0; // "empty search character"
  const p = stringPtr(s);
  const j = bytesIndexOf(p, stringLen(s), stringPtr(sub), stringLen(sub), 0);
  return makeInt(j < 0 ? -1 : runeIndexOfByte(p, <u32>j));
}

export function builtin_indexof_n(s: Value, sub: Value): Value {
  if (!isStr(s) || !isStr(sub)) return 0;
  if (stringLen(sub) == 0) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const out = makeArray(4);
  let i: u32 = 0;
  let runeIdx: i64 = 0;
  let counted: u32 = 0;
  for (;;) {
    const j = bytesIndexOf(p, n, stringPtr(sub), stringLen(sub), i);
    if (j < 0) break;
    runeIdx += <i64>runeCount(p + counted, <u32>j - counted);
    counted = <u32>j;
    arrayAppend(out, makeInt(runeIdx));
    // overlapping matches: continue one code point later
    decodeRune(p + j, n - <u32>j);
    i = <u32>j + runeWidth;
  }
  return out;
}

// ---------------------------------------------------------------- trim

/** True when code point r occurs in the cutset bytes. */
function inCutset(r: u32, cp: usize, cn: u32): bool {
  let i: u32 = 0;
  while (i < cn) {
    const c = decodeRune(cp + i, cn - i);
    if (c == r) return true;
    i += runeWidth;
  }
  return false;
}

/** Byte length of the leading run of code points in the cutset. */
function trimLeftLen(p: usize, n: u32, cp: usize, cn: u32): u32 {
  let i: u32 = 0;
  while (i < n) {
    const r = decodeRune(p + i, n - i);
    const w = runeWidth;
    if (!inCutset(r, cp, cn)) break;
    i += w;
  }
  return i;
}

/** Byte offset where the trailing run of cutset code points starts. */
function trimRightEnd(p: usize, n: u32, cp: usize, cn: u32): u32 {
  let end = n;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && (load<u8>(p + start) & 0xc0) == 0x80 && end - start < 4) start--;
    const r = decodeRune(p + start, end - start);
    if (runeWidth != end - start) {
      // not a full sequence ending here: treat the last byte alone
      start = end - 1;
      if (!inCutset(0xfffd, cp, cn)) break;
      end = start;
      continue;
    }
    if (!inCutset(r, cp, cn)) break;
    end = start;
  }
  return end;
}

export function builtin_trim(s: Value, cut: Value): Value {
  if (!isStr(s) || !isStr(cut)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const l = trimLeftLen(p, n, stringPtr(cut), stringLen(cut));
  const e = trimRightEnd(p + l, n - l, stringPtr(cut), stringLen(cut));
  return makeString(p + l, e);
}

export function builtin_trim_left(s: Value, cut: Value): Value {
  if (!isStr(s) || !isStr(cut)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const l = trimLeftLen(p, n, stringPtr(cut), stringLen(cut));
  return makeString(p + l, n - l);
}

export function builtin_trim_right(s: Value, cut: Value): Value {
  if (!isStr(s) || !isStr(cut)) return 0;
  const p = stringPtr(s);
  return makeString(p, trimRightEnd(p, stringLen(s), stringPtr(cut), stringLen(cut)));
}

export function builtin_trim_prefix(s: Value, pre: Value): Value {
  if (!isStr(s) || !isStr(pre)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  if (hasPrefix(p, n, stringPtr(pre), stringLen(pre))) return makeString(p + stringLen(pre), n - stringLen(pre));
  return s;
}

export function builtin_trim_suffix(s: Value, suf: Value): Value {
  if (!isStr(s) || !isStr(suf)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  if (hasSuffix(p, n, stringPtr(suf), stringLen(suf))) return makeString(p, n - stringLen(suf));
  return s;
}

/** Go's unicode.IsSpace. */
export function isUnicodeSpace(r: u32): bool {
  if (r <= 0xff) return r == 0x20 || (r >= 0x09 && r <= 0x0d) || r == 0x85 || r == 0xa0;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000;
}

export function builtin_trim_space(s: Value): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  let i: u32 = 0;
  while (i < n) {
    const r = decodeRune(p + i, n - i);
    if (!isUnicodeSpace(r)) break;
    i += runeWidth;
  }
  let end = n;
  while (end > i) {
    let start = end - 1;
    while (start > i && (load<u8>(p + start) & 0xc0) == 0x80 && end - start < 4) start--;
    const r = decodeRune(p + start, end - start);
    if (runeWidth != end - start || !isUnicodeSpace(r)) break;
    end = start;
  }
  return makeString(p + i, end - i);
}

// ---------------------------------------------------------------- strings.reverse / strings.count

export function builtin_strings_reverse(s: Value): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  // Collect code point starts, then copy in reverse (invalid bytes become U+FFFD, as Go's []rune).
  const b = bufNew(n + 4);
  let i: u32 = 0;
  const starts = malloc(<usize>(n + 1) << 2);
  let k: u32 = 0;
  while (i < n) {
    store<u32>(starts + (<usize>k << 2), i);
    decodeRune(p + i, n - i);
    i += runeWidth;
    k++;
  }
  store<u32>(starts + (<usize>k << 2), n);
  while (k > 0) {
    k--;
    const a = load<u32>(starts + (<usize>k << 2));
    const e = load<u32>(starts + (<usize>(k + 1) << 2));
    const r = decodeRune(p + a, e - a);
    if (r == 0xfffd && runeWidth == 1 && e - a == 1 && load<u8>(p + a) >= 0x80) bufRune(b, 0xfffd);
    else bufBytes(b, p + a, e - a);
  }
  return bufToString(b);
}

/** Go's strings.Count: non-overlapping occurrences; an empty substring counts code points + 1. */
export function builtin_strings_count(s: Value, sub: Value): Value {
  if (!isStr(s) || !isStr(sub)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const m = stringLen(sub);
  if (m == 0) return makeInt(<i64>runeCount(p, n) + 1);
  let count: i64 = 0;
  let i: u32 = 0;
  for (;;) {
    const j = bytesIndexOf(p, n, stringPtr(sub), m, i);
    if (j < 0) break;
    count++;
    i = <u32>j + m;
  }
  return makeInt(count);
}

// ---------------------------------------------------------------- format_int

/** format_int(number, base): the number truncated toward zero (OPA: big.Float.Int), in base 2, 8, 10 or 16. */
export function builtin_format_int(x: Value, base: Value): Value {
  if (typeOf(x) != T_NUMBER || typeOf(base) != T_NUMBER) return 0;
  if (!numberIsInteger(base)) return 0;
  const bv = numberToI64(base);
  if (bv != 2 && bv != 8 && bv != 10 && bv != 16) return 0;
  const radix = <u64>bv;
  let neg = false;
  let mag: u64;
  if (numberIsInteger(x)) {
    const i = numberToI64(x);
    neg = i < 0;
    mag = neg ? <u64>(-i) : <u64>i;
  } else {
    const f = numberToF64(x);
    if (!isFinite(f)) return 0;
    const t = f < 0 ? Math.ceil(f) : Math.floor(f);
    if (Math.abs(t) >= 18446744073709551616.0) return 0; // beyond u64: not supported (would need big integers)
    neg = t < 0;
    mag = <u64>Math.abs(t);
  }
  const tmp = malloc(72);
  let i = 72;
  do {
    i--;
    const d = <u32>(mag % radix);
    store<u8>(tmp + i, <u8>(d < 10 ? 48 + d : 87 + d));
    mag /= radix;
  } while (mag != 0);
  if (neg) {
    i--;
    store<u8>(tmp + i, 45);
  }
  return makeString(tmp + i, <u32>(72 - i));
}
