// JSON text ⇄ values: the parser (also Rego-syntax sets for opa_value_parse) and the JSON / Rego-text writers.
//
// Output rules (OPA's JSON projection of a value):
// - sets leave as arrays of their elements in Rego's sort order;
// - object keys leave in Rego's sorted order; a key that is not a string leaves as the string of
//   its own compact JSON text, as OPA's ast.JSON does (it runs the key through Go's
//   encoding/json): 1 → "1", [1] → "[1]", ["a", 2] → "[\"a\",2]", the set {1, 2} → "[1,2]",
//   {"a": 5} → "{\"a\":5}", true → "true", null → "null". (A key nested inside such a key
//   that is itself not a string is escaped only once: a known simplification.);
// - opa_value_dump writes Rego text instead, like OPA's String(): ", " and ": " separators,
//   sets as {1, 2}, the empty set as set();
// - integers print without fraction; big integers and literal decimals print as their exact
//   text; computed floats print as the shortest text that round-trips (0.30000000000000004).

import { malloc, heapGet, heapSet } from './memory';
import {
  Value, typeOf, T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET,
  makeNull, makeBool, makeString, makeArray, arrayAppend, makeObject, objectAppendUnsorted,
  objectSortEntries, objectSortStringKeyEntries, makeSet, setAppendUnsorted, setSortElems, boolValue, numberKind,
  numberIntValue, numberFloatValue, numberTextPtr, numberTextLen, NUM_INT, NUM_FLOAT,
  stringPtr, stringLen, arrayLen, arrayGet, objectLen, objectKeyAt, objectValueAt, setLen,
  setElemAt, writeUtf8,
} from './value';
import { parseNumber, writeI64, formatF64 } from './number';

// ================================================================ parser

const MAX_DEPTH: i32 = 2000;

let pPos: usize = 0;
let pEnd: usize = 0;
let pRego = false;
let pFailed = false;

/** Parses JSON text at [ptr, ptr+len); UNDEFINED (0) on any syntax error. Strings without escapes point into the text (which must outlive the value). */
export function parseJson(ptr: usize, len: u32): Value {
  return parseText(ptr, len, false);
}

/** Like parseJson, but also accepts Rego set syntax: `{1, 2}` and `set()`. */
export function parseRegoValue(ptr: usize, len: u32): Value {
  return parseText(ptr, len, true);
}

function parseText(ptr: usize, len: u32, rego: bool): Value {
  pPos = ptr;
  pEnd = ptr + len;
  pRego = rego;
  pFailed = false;
  const v = parseValue(0);
  if (pFailed || v == 0) return 0;
  skipWs();
  if (pPos != pEnd) return 0;
  return v;
}

@inline function fail(): Value {
  pFailed = true;
  return 0;
}

@inline function skipWs(): void {
  while (pPos < pEnd) {
    const c = load<u8>(pPos);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) pPos++;
    else break;
  }
}

function expectWord(w0: u32, word: usize, n: u32): bool {
  if (pPos + n > pEnd) return false;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(pPos + i) != load<u8>(word + i)) return false;
  pPos += n;
  return true;
}

const W_NULL = memory.data<u8>([110, 117, 108, 108]);
const W_TRUE = memory.data<u8>([116, 114, 117, 101]);
const W_FALSE = memory.data<u8>([102, 97, 108, 115, 101]);
const W_SET = memory.data<u8>([115, 101, 116, 40, 41]);

function parseValue(depth: i32): Value {
  if (depth > MAX_DEPTH) return fail();
  skipWs();
  if (pPos >= pEnd) return fail();
  const c = load<u8>(pPos);
  switch (c) {
    case 0x7b: return parseObject(depth);
    case 0x5b: return parseArray(depth);
    case 0x22: return parseString();
    case 0x6e: return expectWord(c, W_NULL, 4) ? makeNull() : fail();
    case 0x74: return expectWord(c, W_TRUE, 4) ? makeBool(true) : fail();
    case 0x66: return expectWord(c, W_FALSE, 5) ? makeBool(false) : fail();
    case 0x73: return pRego && expectWord(c, W_SET, 5) ? makeSet(0) : fail();
  }
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
    const start = pPos;
    pPos++;
    while (pPos < pEnd) {
      const d = load<u8>(pPos);
      if ((d >= 0x30 && d <= 0x39) || d == 0x2e || d == 0x65 || d == 0x45 || d == 0x2b || d == 0x2d) pPos++;
      else break;
    }
    const v = parseNumber(start, <u32>(pPos - start));
    return v == 0 ? fail() : v;
  }
  return fail();
}

function parseArray(depth: i32): Value {
  pPos++; // [
  const a = makeArray(8);
  skipWs();
  if (pPos < pEnd && load<u8>(pPos) == 0x5d) {
    pPos++;
    return a;
  }
  while (true) {
    const v = parseValue(depth + 1);
    if (v == 0) return fail();
    arrayAppend(a, v);
    skipWs();
    if (pPos >= pEnd) return fail();
    const c = load<u8>(pPos++);
    if (c == 0x5d) return a;
    if (c != 0x2c) return fail();
  }
  return a;
}

function parseObject(depth: i32): Value {
  pPos++; // {
  skipWs();
  if (pPos < pEnd && load<u8>(pPos) == 0x7d) {
    pPos++;
    return makeObject(0);
  }
  const first = parseValue(depth + 1);
  if (first == 0) return fail();
  skipWs();
  if (pPos >= pEnd) return fail();
  if (pRego && load<u8>(pPos) != 0x3a) return parseSetRest(first, depth);
  if (!pRego && typeOf(first) != T_STRING) return fail();
  const o = makeObject(8);
  let key = first;
  while (true) {
    skipWs();
    if (pPos >= pEnd || load<u8>(pPos) != 0x3a) return fail();
    pPos++;
    const v = parseValue(depth + 1);
    if (v == 0) return fail();
    objectAppendUnsorted(o, key, v);
    skipWs();
    if (pPos >= pEnd) return fail();
    const c = load<u8>(pPos++);
    if (c == 0x7d) break;
    if (c != 0x2c) return fail();
    key = parseValue(depth + 1);
    if (key == 0) return fail();
    if (!pRego && typeOf(key) != T_STRING) return fail();
  }
  if (pRego) objectSortEntries(o);
  else objectSortStringKeyEntries(o); // JSON: every key is a string
  return o;
}

function parseSetRest(first: Value, depth: i32): Value {
  const s = makeSet(8);
  setAppendUnsorted(s, first);
  while (true) {
    skipWs();
    if (pPos >= pEnd) return fail();
    const c = load<u8>(pPos++);
    if (c == 0x7d) break;
    if (c != 0x2c) return fail();
    const v = parseValue(depth + 1);
    if (v == 0) return fail();
    setAppendUnsorted(s, v);
  }
  setSortElems(s);
  return s;
}

function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  return -1;
}

function read4Hex(p: usize): i32 {
  if (p + 4 > pEnd) return -1;
  let x: i32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const h = hexVal(load<u8>(p + i));
    if (h < 0) return -1;
    x = (x << 4) | h;
  }
  return x;
}

function parseString(): Value {
  pPos++; // "
  const start = pPos;
  let escapes = false;
  // Eight bytes at a time while none is a quote, a backslash or a control byte (< 0x20); the byte loop below takes over
  // from the first word that has one. (x - 0x01…) & ~x & 0x80… is non-zero when some byte of x is zero, and
  // (w - 0x20…) & ~w & 0x80… when some byte is below 0x20; a borrow can only flag bytes after a real hit.
  while (pPos + 8 <= pEnd) {
    const w = load<u64>(pPos);
    const q = w ^ 0x2222222222222222;
    const b = w ^ 0x5c5c5c5c5c5c5c5c;
    const hit = ((q - 0x0101010101010101) & ~q) | ((b - 0x0101010101010101) & ~b) | ((w - 0x2020202020202020) & ~w);
    if ((hit & 0x8080808080808080) != 0) break;
    pPos += 8;
  }
  while (true) {
    if (pPos >= pEnd) return fail();
    const c = load<u8>(pPos);
    if (c == 0x22) break;
    if (c < 0x20) return fail();
    if (c == 0x5c) {
      escapes = true;
      pPos += 2;
    } else pPos++;
  }
  const end = pPos;
  pPos++; // closing quote
  const n = <u32>(end - start);
  if (!escapes) return makeString(start, n);
  // Decode escapes into a fresh buffer (never longer than the source).
  const out = malloc(n);
  let o: u32 = 0;
  let p = start;
  while (p < end) {
    const c = load<u8>(p);
    if (c != 0x5c) {
      store<u8>(out + o++, c);
      p++;
      continue;
    }
    if (p + 1 >= end) return fail();
    const e = load<u8>(p + 1);
    p += 2;
    switch (e) {
      case 0x22: store<u8>(out + o++, 0x22); break;
      case 0x5c: store<u8>(out + o++, 0x5c); break;
      case 0x2f: store<u8>(out + o++, 0x2f); break;
      case 0x62: store<u8>(out + o++, 0x08); break;
      case 0x66: store<u8>(out + o++, 0x0c); break;
      case 0x6e: store<u8>(out + o++, 0x0a); break;
      case 0x72: store<u8>(out + o++, 0x0d); break;
      case 0x74: store<u8>(out + o++, 0x09); break;
      case 0x75: {
        let cp = read4Hex(p);
        if (cp < 0) return fail();
        p += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {
          // surrogate pair
          if (p + 6 <= end && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) {
            const lo = read4Hex(p + 2);
            if (lo >= 0xdc00 && lo < 0xe000) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              p += 6;
            } else cp = 0xfffd;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
        o += writeUtf8(out + o, <u32>cp);
        break;
      }
      default:
        return fail();
    }
  }
  return makeString(out, o);
}

// ================================================================ writer

// The writer appends at the heap top; nothing else may allocate while a dump is in progress.
let wPos: usize = 0;
let wLimit: usize = 0;
let wEscape: i32 = 0; // > 0 while writing Rego text inside a JSON string (non-string object keys)

function wBegin(): usize {
  wPos = (heapGet() + 7) & ~(<usize>7);
  wLimit = (<usize>memory.size()) << 16;
  return wPos;
}

/** Finishes with a NUL byte and moves the heap past the text; returns the text's address. */
function wFinish(start: usize): usize {
  wRaw(0);
  heapSet(wPos);
  return start;
}

@inline function wEnsure(n: usize): void {
  if (wPos + n > wLimit) {
    const need = wPos + n - wLimit;
    heapSet(wPos);
    malloc(need); // grows memory (or aborts)
    wLimit = (<usize>memory.size()) << 16;
  }
}

@inline function wRaw(c: u32): void {
  wEnsure(1);
  store<u8>(wPos++, <u8>c);
}

/** One byte of output, escaped when inside a key string. */
function wByte(c: u32): void {
  if (wEscape > 0) wEscapedByte(c);
  else wRaw(c);
}

function wBytes(p: usize, n: u32): void {
  if (wEscape > 0) {
    for (let i: u32 = 0; i < n; i++) wEscapedByte(load<u8>(p + i));
    return;
  }
  wEnsure(n);
  memory.copy(wPos, p, n);
  wPos += n;
}

const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** Writes byte c as it must appear inside a JSON string. */
function wEscapedByte(c: u32): void {
  if (c == 0x22 || c == 0x5c) {
    wRaw(0x5c);
    wRaw(c);
  } else if (c < 0x20) {
    wRaw(0x5c);
    if (c == 0x0a) wRaw(0x6e);
    else if (c == 0x0d) wRaw(0x72);
    else if (c == 0x09) wRaw(0x74);
    else if (c == 0x08) wRaw(0x62);
    else if (c == 0x0c) wRaw(0x66);
    else {
      wRaw(0x75); wRaw(0x30); wRaw(0x30);
      wRaw(load<u8>(HEX + (c >> 4)));
      wRaw(load<u8>(HEX + (c & 15)));
    }
  } else wRaw(c);
}

/** A quoted string; its bytes are escaped for this string, then (via wByte) once more inside a key string. */
function wQuoted(p: usize, n: u32): void {
  wByte(0x22);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x22 || c == 0x5c) {
      wByte(0x5c);
      wByte(c);
    } else if (c < 0x20) {
      wByte(0x5c);
      if (c == 0x0a) wByte(0x6e);
      else if (c == 0x0d) wByte(0x72);
      else if (c == 0x09) wByte(0x74);
      else {
        wByte(0x75); wByte(0x30); wByte(0x30);
        wByte(load<u8>(HEX + (c >> 4)));
        wByte(load<u8>(HEX + (c & 15)));
      }
    } else wByte(c);
  }
  wByte(0x22);
}

const NUMBUF = memory.data(64);

function wNumber(v: Value): void {
  const k = numberKind(v);
  if (k == NUM_INT) {
    const n = writeI64(NUMBUF, numberIntValue(v));
    wBytes(NUMBUF, n);
  } else if (k == NUM_FLOAT) {
    const f = numberFloatValue(v);
    if (!isFinite(f)) {
      wBytes(W_NULL, 4);
      return;
    }
    const n = formatF64(NUMBUF, f);
    wBytes(NUMBUF, n);
  } else wBytes(numberTextPtr(v), numberTextLen(v));
}

/** JSON of v (rego=false) or Rego text (rego=true). */
function writeValue(v: Value, rego: bool): void {
  switch (typeOf(v)) {
    case T_NULL: wBytes(W_NULL, 4); return;
    case T_BOOLEAN:
      if (boolValue(v)) wBytes(W_TRUE, 4);
      else wBytes(W_FALSE, 5);
      return;
    case T_NUMBER: wNumber(v); return;
    case T_STRING: wQuoted(stringPtr(v), stringLen(v)); return;
    case T_ARRAY: {
      wByte(0x5b);
      const n = arrayLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) sep(rego);
        writeValue(arrayGet(v, i), rego);
      }
      wByte(0x5d);
      return;
    }
    case T_OBJECT: {
      wByte(0x7b);
      const n = objectLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) sep(rego);
        const k = objectKeyAt(v, i);
        if (rego || typeOf(k) == T_STRING) writeValue(k, rego);
        else {
          // Non-string key: the string of its compact JSON text (OPA's ast.JSON encodes the key with
          // Go's encoding/json and trims the newline).
          wByte(0x22);
          wEscape++;
          writeValue(k, false);
          wEscape--;
          wByte(0x22);
        }
        wByte(0x3a);
        if (rego) wByte(0x20);
        writeValue(objectValueAt(v, i), rego);
      }
      wByte(0x7d);
      return;
    }
    case T_SET: {
      const n = setLen(v);
      if (rego && n == 0) {
        wBytes(W_SET, 5);
        return;
      }
      wByte(rego ? 0x7b : 0x5b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) sep(rego);
        writeValue(setElemAt(v, i), rego);
      }
      wByte(rego ? 0x7d : 0x5d);
      return;
    }
  }
}

@inline function sep(rego: bool): void {
  wByte(0x2c);
  if (rego) wByte(0x20);
}

/** NUL-terminated JSON text of v on the heap. */
export function dumpJson(v: Value): usize {
  const start = wBegin();
  wEscape = 0;
  if (v == 0) wBytes(W_NULL, 4);
  else writeValue(v, false);
  return wFinish(start);
}

/** NUL-terminated Rego text of v on the heap (sets kept as sets). */
export function dumpRego(v: Value): usize {
  const start = wBegin();
  wEscape = 0;
  if (v == 0) wBytes(W_NULL, 4);
  else writeValue(v, true);
  return wFinish(start);
}

/** Length of a NUL-terminated string. */
export function cstrLen(p: usize): u32 {
  let n: u32 = 0;
  while (load<u8>(p + n) != 0) n++;
  return n;
}
