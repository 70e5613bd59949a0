// Encoding builtins: base64, base64url, hex, urlquery and json.* with Go's encoding/* and net/url semantics as OPA uses them.
//
// Decoders are undefined on malformed input (OPA non-strict). json.marshal writes Go's
// json.Marshal text: compact, sorted keys, sets as arrays, and <, >, &, U+2028, U+2029 escaped.

import { malloc } from '../memory';
import {
  Value, typeOf, T_STRING, T_ARRAY, T_SET, T_OBJECT, T_BOOLEAN, makeBool, makeObject, objectGet,
  objectInsert, makeArray, arrayAppend, arrayLen, arrayGet, setLen, setElemAt, objectLen, objectKeyAt, objectValueAt,
  boolValue, stringPtr, stringLen,
} from '../value';
import { parseJson, dumpJson, cstrLen } from '../json';
import { Buf, bufNew, bufByte, bufBytes, bufLit, bufToString, bufData, bufLen } from './byte_buffer';

@inline function isStr(v: Value): bool {
  return typeOf(v) == T_STRING;
}

// ---------------------------------------------------------------- base64

const STD_ALPHABET = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

@inline function alphabetChar(url: bool, i: u32): u32 {
  if (url) {
    if (i == 62) return 0x2d; // -
    if (i == 63) return 0x5f; // _
  }
  return <u32>load<u8>(STD_ALPHABET + i);
}

function base64Encode(s: Value, url: bool, pad: bool): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const b = bufNew((n + 2) / 3 * 4 + 4);
  let i: u32 = 0;
  while (i + 3 <= n) {
    const v = (<u32>load<u8>(p + i) << 16) | (<u32>load<u8>(p + i + 1) << 8) | <u32>load<u8>(p + i + 2);
    bufByte(b, alphabetChar(url, (v >> 18) & 63));
    bufByte(b, alphabetChar(url, (v >> 12) & 63));
    bufByte(b, alphabetChar(url, (v >> 6) & 63));
    bufByte(b, alphabetChar(url, v & 63));
    i += 3;
  }
  const rest = n - i;
  if (rest > 0) {
    let v = <u32>load<u8>(p + i) << 16;
    if (rest == 2) v |= <u32>load<u8>(p + i + 1) << 8;
    bufByte(b, alphabetChar(url, (v >> 18) & 63));
    bufByte(b, alphabetChar(url, (v >> 12) & 63));
    if (rest == 2) bufByte(b, alphabetChar(url, (v >> 6) & 63));
    else if (pad) bufByte(b, 0x3d);
    if (pad) bufByte(b, 0x3d);
  }
  return bufToString(b);
}

function base64Value(c: u32, url: bool): i32 {
  if (c >= 65 && c <= 90) return <i32>c - 65;
  if (c >= 97 && c <= 122) return <i32>c - 71;
  if (c >= 48 && c <= 57) return <i32>c + 4;
  if (url) {
    if (c == 0x2d) return 62;
    if (c == 0x5f) return 63;
  } else {
    if (c == 0x2b) return 62;
    if (c == 0x2f) return 63;
  }
  return -1;
}

/**
 * Go's Encoding.DecodeString with padding required: '\r' and '\n' are ignored, '=' only as
 * final padding. Returns the decoded buffer or 0 when malformed.
 */
function base64DecodeBytes(p: usize, n: u32, url: bool): Buf {
  const b = bufNew(n / 4 * 3 + 4);
  let acc: u32 = 0;
  let k: u32 = 0; // sextets in the current quantum
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    i++;
    if (c == 0x0a || c == 0x0d) continue;
    if (c == 0x3d) {
      // padding: quantum must have 2 or 3 sextets, then exactly the right number of '='
      if (k < 2) return 0;
      let need = 4 - k - 1;
      while (need > 0) {
        while (i < n && (load<u8>(p + i) == 0x0a || load<u8>(p + i) == 0x0d)) i++;
        if (i >= n || load<u8>(p + i) != 0x3d) return 0;
        i++;
        need--;
      }
      while (i < n && (load<u8>(p + i) == 0x0a || load<u8>(p + i) == 0x0d)) i++;
      if (i < n) return 0; // data after padding
      if (k == 2) bufByte(b, (acc >> 4) & 0xff);
      else {
        bufByte(b, (acc >> 10) & 0xff);
        bufByte(b, (acc >> 2) & 0xff);
      }
      return b;
    }
    const v = base64Value(c, url);
    if (v < 0) return 0;
    acc = (acc << 6) | <u32>v;
    k++;
    if (k == 4) {
      bufByte(b, (acc >> 16) & 0xff);
      bufByte(b, (acc >> 8) & 0xff);
      bufByte(b, acc & 0xff);
      acc = 0;
      k = 0;
    }
  }
  if (k != 0) return 0; // missing padding
  return b;
}

export function builtin_base64_encode(s: Value): Value {
  return base64Encode(s, false, true);
}

export function builtin_base64_decode(s: Value): Value {
  if (!isStr(s)) return 0;
  const b = base64DecodeBytes(stringPtr(s), stringLen(s), false);
  return b == 0 ? 0 : bufToString(b);
}

export function builtin_base64_is_valid(s: Value): Value {
  if (!isStr(s)) return makeBool(false);
  return makeBool(base64DecodeBytes(stringPtr(s), stringLen(s), false) != 0);
}

export function builtin_base64url_encode(s: Value): Value {
  return base64Encode(s, true, true);
}

export function builtin_base64url_encode_no_pad(s: Value): Value {
  return base64Encode(s, true, false);
}

/** base64url.decode: missing padding is restored first (RFC 7515 appendix C), as OPA does. */
export function builtin_base64url_decode(s: Value): Value {
  if (!isStr(s)) return 0;
  let p = stringPtr(s);
  let n = stringLen(s);
  if (n == 0 || load<u8>(p + n - 1) != 0x3d) {
    const r = n % 4;
    if (r == 1) return 0;
    if (r != 0) {
      const q = malloc(n + 2);
      memory.copy(q, p, n);
      store<u8>(q + n, 0x3d);
      if (r == 2) store<u8>(q + n + 1, 0x3d);
      n += r == 2 ? 2 : 1;
      p = q;
    }
  }
  const b = base64DecodeBytes(p, n, true);
  return b == 0 ? 0 : bufToString(b);
}

// ---------------------------------------------------------------- hex

function hexDigit(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  if (c >= 0x61 && c <= 0x66) return <i32>c - 0x57;
  if (c >= 0x41 && c <= 0x46) return <i32>c - 0x37;
  return -1;
}

function hexByteLower(b: Buf, x: u32): void {
  const hi = x >> 4;
  const lo = x & 15;
  bufByte(b, hi < 10 ? 48 + hi : 87 + hi);
  bufByte(b, lo < 10 ? 48 + lo : 87 + lo);
}

export function builtin_hex_encode(s: Value): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const b = bufNew(n * 2 + 1);
  for (let i: u32 = 0; i < n; i++) hexByteLower(b, load<u8>(p + i));
  return bufToString(b);
}

export function builtin_hex_decode(s: Value): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  if ((n & 1) != 0) return 0;
  const b = bufNew(n / 2 + 1);
  for (let i: u32 = 0; i < n; i += 2) {
    const hi = hexDigit(load<u8>(p + i));
    const lo = hexDigit(load<u8>(p + i + 1));
    if (hi < 0 || lo < 0) return 0;
    bufByte(b, <u32>(hi * 16 + lo));
  }
  return bufToString(b);
}

// ---------------------------------------------------------------- urlquery

/** url.QueryEscape into b. */
function queryEscape(b: Buf, p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f ||
        c == 0x2e || c == 0x7e) bufByte(b, c);
    else if (c == 0x20) bufByte(b, 0x2b);
    else {
      bufByte(b, 0x25);
      const hi = c >> 4;
      const lo = c & 15;
      bufByte(b, hi < 10 ? 48 + hi : 55 + hi);
      bufByte(b, lo < 10 ? 48 + lo : 55 + lo);
    }
  }
}

/** url.QueryUnescape into b; false on a malformed %-escape. */
function queryUnescape(b: Buf, p: usize, n: u32): bool {
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x25) {
      if (i + 2 >= n) return false;
      const hi = hexDigit(load<u8>(p + i + 1));
      const lo = hexDigit(load<u8>(p + i + 2));
      if (hi < 0 || lo < 0) return false;
      bufByte(b, <u32>(hi * 16 + lo));
      i += 3;
    } else if (c == 0x2b) {
      bufByte(b, 0x20);
      i++;
    } else {
      bufByte(b, c);
      i++;
    }
  }
  return true;
}

export function builtin_urlquery_encode(s: Value): Value {
  if (!isStr(s)) return 0;
  const b = bufNew(stringLen(s) * 3 + 1);
  queryEscape(b, stringPtr(s), stringLen(s));
  return bufToString(b);
}

export function builtin_urlquery_decode(s: Value): Value {
  if (!isStr(s)) return 0;
  const b = bufNew(stringLen(s) + 1);
  if (!queryUnescape(b, stringPtr(s), stringLen(s))) return 0;
  return bufToString(b);
}

/** url.Values{...}.Encode(): keys sorted, each value "k=v", joined by '&'. Values: string, or array/set of strings. */
export function builtin_urlquery_encode_object(obj: Value): Value {
  if (typeOf(obj) != T_OBJECT) return 0;
  const b = bufNew(64);
  const n = objectLen(obj);
  let first = true;
  for (let i: u32 = 0; i < n; i++) {
    const k = objectKeyAt(obj, i);
    if (!isStr(k)) return 0;
    const v = objectValueAt(obj, i);
    const t = typeOf(v);
    if (t == T_STRING) {
      if (!first) bufByte(b, 0x26);
      first = false;
      queryPair(b, k, v);
    } else if (t == T_ARRAY || t == T_SET) {
      const m = t == T_ARRAY ? arrayLen(v) : setLen(v);
      for (let j: u32 = 0; j < m; j++) {
        const x = t == T_ARRAY ? arrayGet(v, j) : setElemAt(v, j);
        if (!isStr(x)) return 0;
        if (!first) bufByte(b, 0x26);
        first = false;
        queryPair(b, k, x);
      }
    } else return 0;
  }
  return bufToString(b);
}

function queryPair(b: Buf, k: Value, v: Value): void {
  queryEscape(b, stringPtr(k), stringLen(k));
  bufByte(b, 0x3d);
  queryEscape(b, stringPtr(v), stringLen(v));
}

/** url.ParseQuery: "a=1&b=2&a=3" → {"a": ["1", "3"], "b": ["2"]}; ';' separators and bad escapes are errors. */
export function builtin_urlquery_decode_object(s: Value): Value {
  if (!isStr(s)) return 0;
  const p = stringPtr(s);
  const n = stringLen(s);
  const out = makeObject(4);
  let i: u32 = 0;
  while (i <= n) {
    let j = i;
    while (j < n && load<u8>(p + j) != 0x26) j++;
    // segment [i, j)
    if (j > i) {
      let eq = i;
      while (eq < j && load<u8>(p + eq) != 0x3d) eq++;
      for (let k = i; k < j; k++) if (load<u8>(p + k) == 0x3b) return 0; // invalid semicolon separator
      const kb = bufNew(eq - i + 1);
      if (!queryUnescape(kb, p + i, eq - i)) return 0;
      const vb = bufNew(j - eq + 1);
      if (eq < j && !queryUnescape(vb, p + eq + 1, j - eq - 1)) return 0;
      const key = bufToString(kb);
      let arr = objectGet(out, key);
      if (arr == 0) {
        arr = makeArray(1);
        objectInsert(out, key, arr);
      }
      arrayAppend(arr, bufToString(vb));
    }
    i = j + 1;
  }
  return out;
}

// ---------------------------------------------------------------- json

/** Go json.Marshal text of v (as OPA's ast.JSON → json.Marshal). */
function marshalCompact(v: Value): Buf {
  const text = dumpJson(v);
  const n = cstrLen(text);
  const b = bufNew(n + 16);
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(text + i);
    if (c == 0x3c || c == 0x3e || c == 0x26) {
      bufLit(b, c == 0x3c ? "\\u003c" : c == 0x3e ? "\\u003e" : "\\u0026");
      i++;
    } else if (c == 0xe2 && i + 2 < n && load<u8>(text + i + 1) == 0x80 && (load<u8>(text + i + 2) == 0xa8 || load<u8>(text + i + 2) == 0xa9)) {
      bufLit(b, load<u8>(text + i + 2) == 0xa8 ? "\\u2028" : "\\u2029");
      i += 3;
    } else {
      bufByte(b, c);
      i++;
    }
  }
  return b;
}

export function builtin_json_marshal(x: Value): Value {
  return bufToString(marshalCompact(x));
}

/** json.marshal_with_options(x, {"pretty": bool, "indent": string, "prefix": string}): Go's MarshalIndent when pretty. */
export function builtin_json_marshal_with_options(x: Value, opts: Value): Value {
  if (typeOf(opts) != T_OBJECT) return 0;
  let indent: Value = 0;
  let prefix: Value = 0;
  let implicitPretty = false;
  let explicit = false;
  let pretty = false;
  const n = objectLen(opts);
  for (let i: u32 = 0; i < n; i++) {
    const k = objectKeyAt(opts, i);
    const v = objectValueAt(opts, i);
    if (!isStr(k)) return 0;
    if (keyIs(k, "prefix")) {
      if (!isStr(v)) return 0;
      prefix = v;
      implicitPretty = true;
    } else if (keyIs(k, "indent")) {
      if (!isStr(v)) return 0;
      indent = v;
      implicitPretty = true;
    } else if (keyIs(k, "pretty")) {
      if (typeOf(v) != T_BOOLEAN) return 0;
      explicit = true;
      pretty = boolValue(v);
    } else return 0; // unknown key
  }
  if (!explicit) pretty = implicitPretty;
  const compact = marshalCompact(x);
  if (!pretty) return bufToString(compact);
  const b = bufNew(bufLen(compact) * 2 + 16);
  const pp: usize = prefix != 0 ? stringPtr(prefix) : 0;
  const pn: u32 = prefix != 0 ? stringLen(prefix) : 0;
  let ip: usize = 0;
  let inl: u32 = 0;
  if (indent != 0) {
    ip = stringPtr(indent);
    inl = stringLen(indent);
  } else {
    ip = changetype<usize>(TAB);
    inl = 1;
  }
  bufBytes(b, pp, pn); // MarshalIndent does not prefix the first line; OPA adds it
  indentJson(b, bufData(compact), bufLen(compact), pp, pn, ip, inl);
  return bufToString(b);
}

const TAB = memory.data<u8>([9]);

function keyIs(k: Value, lit: string): bool {
  const n = stringLen(k);
  if (<u32>lit.length != n) return false;
  const s = changetype<usize>(lit);
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(stringPtr(k) + i) != <u32>load<u16>(s + (i << 1))) return false;
  return true;
}

function newline(b: Buf, pp: usize, pn: u32, ip: usize, inl: u32, depth: i32): void {
  bufByte(b, 0x0a);
  bufBytes(b, pp, pn);
  for (let d = 0; d < depth; d++) bufBytes(b, ip, inl);
}

/** Go's json.Indent over compact JSON text. */
function indentJson(b: Buf, t: usize, n: u32, pp: usize, pn: u32, ip: usize, inl: u32): void {
  let depth: i32 = 0;
  let inString = false;
  let needIndent = false; // just opened a container; indent before the first element
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(t + i);
    if (inString) {
      bufByte(b, c);
      if (c == 0x5c) {
        i++;
        bufByte(b, load<u8>(t + i));
      } else if (c == 0x22) inString = false;
      continue;
    }
    if (needIndent && c != 0x5d && c != 0x7d) {
      needIndent = false;
      depth++;
      newline(b, pp, pn, ip, inl, depth);
    }
    if (c == 0x22) {
      inString = true;
      bufByte(b, c);
    } else if (c == 0x7b || c == 0x5b) {
      bufByte(b, c);
      needIndent = true;
    } else if (c == 0x7d || c == 0x5d) {
      if (needIndent) needIndent = false; // empty container stays {} / []
      else {
        depth--;
        newline(b, pp, pn, ip, inl, depth);
      }
      bufByte(b, c);
    } else if (c == 0x2c) {
      bufByte(b, c);
      newline(b, pp, pn, ip, inl, depth);
    } else if (c == 0x3a) {
      bufByte(b, c);
      bufByte(b, 0x20);
    } else bufByte(b, c);
  }
}

export function builtin_json_unmarshal(s: Value): Value {
  if (!isStr(s)) return 0;
  return parseJson(stringPtr(s), stringLen(s));
}

export function builtin_json_is_valid(s: Value): Value {
  if (!isStr(s)) return makeBool(false);
  return makeBool(parseJson(stringPtr(s), stringLen(s)) != 0);
}
