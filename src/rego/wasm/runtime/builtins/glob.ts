// glob.match and glob.quote_meta with gobwas/glob semantics (as OPA uses it), matched by translating the glob to RE2 for the Pike VM.
//
// Syntax: `*` any run of non-delimiter code points, `**` any run at all, `?` one non-delimiter
// code point, `[abc]` / `[a-z]` / `[!...]` one code point in / not in the set (delimiters
// included), `{a,b}` alternatives (nestable), `\x` a literal x. Delimiters: null → none,
// [] → ["."], otherwise the first code point of each string. Malformed globs are undefined.

import { malloc } from '../memory';
import {
  Value, typeOf, T_NULL, T_ARRAY, T_STRING, makeBool, arrayLen, arrayGet, stringPtr, stringLen,
} from '../value';
import { bufNew, bufByte, bufLit, bufToString, bufData, bufLen, bufTruncate, decodeRune, runeWidth, Buf } from './byte_buffer';
import { reMatch } from './regex_vm';
import { reCompileCached } from './regex_cache';

let gSrc: usize = 0;
let gLen: u32 = 0;
let gPos: u32 = 0;
let gBad = false;
let gDelims: usize = 0; // u32 code points
let gDelimCount: u32 = 0;

export function builtin_glob_match(pattern: Value, delimiters: Value, match: Value): Value {
  if (typeOf(pattern) != T_STRING || typeOf(match) != T_STRING) return 0;
  const dt = typeOf(delimiters);
  if (dt == T_NULL) {
    gDelimCount = 0;
  } else if (dt == T_ARRAY) {
    const n = arrayLen(delimiters);
    if (n == 0) {
      gDelims = malloc(4);
      store<u32>(gDelims, 0x2e);
      gDelimCount = 1;
    } else {
      gDelims = malloc(<usize>n << 2);
      for (let i: u32 = 0; i < n; i++) {
        const d = arrayGet(delimiters, i);
        if (typeOf(d) != T_STRING || stringLen(d) == 0) return 0;
        store<u32>(gDelims + (<usize>i << 2), decodeRune(stringPtr(d), stringLen(d)));
      }
      gDelimCount = n;
    }
  } else return 0;
  gSrc = stringPtr(pattern);
  gLen = stringLen(pattern);
  gPos = 0;
  gBad = false;
  const b = bufNew(gLen * 4 + 16);
  bufLit(b, "^(?s:");
  translate(b, false);
  if (gBad || gPos < gLen) return 0;
  bufLit(b, ")$");
  const prog = reCompileCached(bufData(b), bufLen(b));
  if (prog == 0) return 0;
  return makeBool(reMatch(prog, stringPtr(match), stringLen(match)));
}

/** Writes code point r as a regex literal `\x{...}` (safe inside and outside classes). */
function hexRune(b: Buf, r: u32): void {
  bufLit(b, "\\x{");
  let started = false;
  for (let shift: i32 = 20; shift >= 0; shift -= 4) {
    const d = (r >> <u32>shift) & 0xf;
    if (d != 0 || started || shift == 0) {
      bufByte(b, d < 10 ? 48 + d : 87 + d);
      started = true;
    }
  }
  bufByte(b, 0x7d);
}

/** Writes the code point at gPos, after its '\' escape if it has one (a '\' at the very end is an error). */
function literalRune(b: Buf): void {
  if (load<u8>(gSrc + gPos) == 0x5c) {
    gPos++;
    if (gPos >= gLen) {
      gBad = true;
      return;
    }
  }
  const r = decodeRune(gSrc + gPos, gLen - gPos);
  gPos += runeWidth;
  hexRune(b, r);
}

function notDelims(b: Buf): void {
  if (gDelimCount == 0) {
    bufByte(b, 0x2e); // .
    return;
  }
  bufLit(b, "[^");
  for (let i: u32 = 0; i < gDelimCount; i++) hexRune(b, load<u32>(gDelims + (<usize>i << 2)));
  bufByte(b, 0x5d);
}

/** Translates glob text until end (or, inside braces, until ',' or '}' which the caller consumes). */
function translate(b: Buf, inTerms: bool): void {
  while (gPos < gLen && !gBad) {
    const c = <u32>load<u8>(gSrc + gPos);
    if (inTerms && (c == 0x2c || c == 0x7d)) return;
    if (c == 0x2a) {
      gPos++;
      if (gPos < gLen && load<u8>(gSrc + gPos) == 0x2a) {
        gPos++;
        bufLit(b, "(?:.*)");
      } else {
        bufLit(b, "(?:");
        notDelims(b);
        bufLit(b, "*)");
      }
      continue;
    }
    if (c == 0x3f) {
      gPos++;
      notDelims(b);
      continue;
    }
    if (c == 0x5b) {
      translateRange(b);
      continue;
    }
    if (c == 0x7b) {
      gPos++;
      bufLit(b, "(?:");
      for (;;) {
        translate(b, true);
        if (gBad) return;
        if (gPos >= gLen) {
          gBad = true; // unclosed '{'
          return;
        }
        const d = <u32>load<u8>(gSrc + gPos);
        gPos++;
        if (d == 0x2c) {
          bufByte(b, 0x7c);
          continue;
        }
        break; // '}'
      }
      bufByte(b, 0x29);
      continue;
    }
    literalRune(b);
  }
}

/** `[...]`: either lo-hi or a list, optionally negated with '!'. */
function translateRange(b: Buf): void {
  gPos++; // [
  let neg = false;
  if (gPos < gLen && load<u8>(gSrc + gPos) == 0x21) {
    neg = true;
    gPos++;
  }
  if (gPos >= gLen) {
    gBad = true;
    return;
  }
  const lo = decodeRune(gSrc + gPos, gLen - gPos);
  const lw = runeWidth;
  if (gPos + lw < gLen && load<u8>(gSrc + gPos + lw) == 0x2d && gPos + lw + 1 < gLen) {
    gPos += lw + 1;
    const hi = decodeRune(gSrc + gPos, gLen - gPos);
    gPos += runeWidth;
    if (gPos >= gLen || load<u8>(gSrc + gPos) != 0x5d) {
      gBad = true;
      return;
    }
    gPos++;
    if (hi < lo) {
      bufLit(b, neg ? "(?:.)" : "[^\\x{0}-\\x{10ffff}]");
      return;
    }
    bufLit(b, neg ? "[^" : "[");
    hexRune(b, lo);
    bufByte(b, 0x2d);
    hexRune(b, hi);
    bufByte(b, 0x5d);
    return;
  }
  // list of code points up to ']' (with '\' escapes)
  const start = bufLen(b);
  bufLit(b, neg ? "[^" : "[");
  let count: u32 = 0;
  for (;;) {
    if (gPos >= gLen) {
      gBad = true;
      return;
    }
    const c = <u32>load<u8>(gSrc + gPos);
    if (c == 0x5d) {
      gPos++;
      break;
    }
    literalRune(b);
    if (gBad) return;
    count++;
  }
  if (count == 0) {
    // `[]` matches nothing, `[!]` any single code point.
    bufTruncate(b, start);
    bufLit(b, neg ? "(?:.)" : "[^\\x{0}-\\x{10ffff}]");
    return;
  }
  bufByte(b, 0x5d);
}

/** glob.quote_meta: escapes gobwas' special characters `* ? \ [ ] { }`. */
export function builtin_glob_quote_meta(pattern: Value): Value {
  if (typeOf(pattern) != T_STRING) return 0;
  const p = stringPtr(pattern);
  const n = stringLen(pattern);
  const b = bufNew(n * 2 + 1);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2a || c == 0x3f || c == 0x5c || c == 0x5b || c == 0x5d || c == 0x7b || c == 0x7d) bufByte(b, 0x5c);
    bufByte(b, c);
  }
  return bufToString(b);
}
