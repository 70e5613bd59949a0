// sprintf(format, args) with Go's fmt semantics as OPA feeds it: integers as int (or *big.Int), other numbers as float64, strings as string, everything else as its Rego text.
//
// Verbs: %v %s %q %d %b %o %O %x %X %c %U %e %E %f %F %g %G %t %T %%, flags + - # space 0,
// width and precision (also `*`). Go's error forms are reproduced: %!d(string=x),
// %!d(MISSING), %!(EXTRA type=value, ...), %!(NOVERB). Explicit argument indexes (%[1]d)
// are not supported and print as %!((BADINDEX) like Go's malformed index.

import { malloc } from '../memory';
import {
  Value, typeOf, T_NUMBER, T_STRING, T_ARRAY, NUM_TEXT, numberKind, numberTextPtr, numberTextLen, arrayLen, arrayGet,
  stringPtr, stringLen,
} from '../value';
import { numberIsInteger, numberIsIntegral, numberToI64, numberToF64 } from '../number';
import { dumpRego, cstrLen } from '../json';
import { Buf, bufNew, bufByte, bufBytes, bufLit, bufRepeat, bufToString, bufData, bufLen, bufRune, decodeRune, runeWidth, runeCount } from './byte_buffer';
import { formatFloatGo } from './float_format';

const ARG_INT: u32 = 1;
const ARG_BIG: u32 = 2;
const ARG_FLOAT: u32 = 3;
const ARG_STR: u32 = 4;

// Current argument (set by loadArg).
let aKind: u32 = 0;
let aInt: i64 = 0;
let aF64: f64 = 0;
let aPtr: usize = 0; // string bytes or big-integer digits (with optional '-')
let aLen: u32 = 0;

// Current directive.
let fPlus = false;
let fMinus = false;
let fSharp = false;
let fSpace = false;
let fZero = false;
let fWidth: i32 = -1;
let fPrec: i32 = -1;

export function builtin_sprintf(format: Value, args: Value): Value {
  if (typeOf(format) != T_STRING || typeOf(args) != T_ARRAY) return 0;
  const p = stringPtr(format);
  const n = stringLen(format);
  const nargs = arrayLen(args);
  const out = bufNew(n + 32);
  let argi: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c != 0x25) {
      bufByte(out, c);
      i++;
      continue;
    }
    i++;
    fPlus = fMinus = fSharp = fSpace = fZero = false;
    fWidth = -1;
    fPrec = -1;
    // flags
    while (i < n) {
      const f = <u32>load<u8>(p + i);
      if (f == 0x2b) fPlus = true;
      else if (f == 0x2d) { fMinus = true; fZero = false; }
      else if (f == 0x23) fSharp = true;
      else if (f == 0x20) fSpace = true;
      else if (f == 0x30) fZero = !fMinus;
      else break;
      i++;
    }
    // width
    if (i < n && load<u8>(p + i) == 0x2a) {
      i++;
      if (argi < nargs && loadArg(arrayGet(args, argi)) == ARG_INT) {
        fWidth = <i32>aInt;
        if (fWidth < 0) { fMinus = true; fZero = false; fWidth = -fWidth; }
      } else bufLit(out, "%!(BADWIDTH)");
      argi++;
    } else {
      while (i < n && isDigit(load<u8>(p + i))) {
        fWidth = (fWidth < 0 ? 0 : fWidth) * 10 + <i32>(load<u8>(p + i) - 0x30);
        if (fWidth > 1000000) fWidth = 1000000;
        i++;
      }
    }
    // precision
    if (i < n && load<u8>(p + i) == 0x2e) {
      i++;
      if (i < n && load<u8>(p + i) == 0x2a) {
        i++;
        if (argi < nargs && loadArg(arrayGet(args, argi)) == ARG_INT) {
          fPrec = <i32>aInt;
          if (fPrec < 0) fPrec = -1;
        } else bufLit(out, "%!(BADPREC)");
        argi++;
      } else {
        fPrec = 0;
        while (i < n && isDigit(load<u8>(p + i))) {
          fPrec = fPrec * 10 + <i32>(load<u8>(p + i) - 0x30);
          if (fPrec > 1000000) fPrec = 1000000;
          i++;
        }
      }
    }
    if (i >= n) {
      bufLit(out, "%!(NOVERB)");
      break;
    }
    const verb = decodeRune(p + i, n - i);
    i += runeWidth;
    if (verb == 0x25) {
      bufByte(out, 0x25);
      continue;
    }
    if (verb == 0x5b) {
      bufLit(out, "%!((BADINDEX)");
      continue;
    }
    if (argi >= nargs) {
      bufLit(out, "%!");
      bufRune(out, verb);
      bufLit(out, "(MISSING)");
      continue;
    }
    loadArg(arrayGet(args, argi));
    argi++;
    formatArg(out, verb);
  }
  if (argi < nargs) {
    bufLit(out, "%!(EXTRA ");
    for (let k = argi; k < nargs; k++) {
      if (k > argi) bufLit(out, ", ");
      loadArg(arrayGet(args, k));
      typedValue(out);
    }
    bufByte(out, 0x29);
  }
  return bufToString(out);
}

@inline function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

/** Converts a Rego value the way OPA's sprintf does before calling fmt.Sprintf. */
function loadArg(v: Value): u32 {
  const t = typeOf(v);
  if (t == T_STRING) {
    aKind = ARG_STR;
    aPtr = stringPtr(v);
    aLen = stringLen(v);
  } else if (t == T_NUMBER) {
    const decimalText = numberKind(v) == NUM_TEXT && textHasFraction(numberTextPtr(v), numberTextLen(v));
    if (!decimalText && numberIsInteger(v)) {
      aKind = ARG_INT;
      aInt = numberToI64(v);
    } else if (!decimalText && numberIsIntegral(v) && numberKind(v) == NUM_TEXT) {
      aKind = ARG_BIG;
      aPtr = numberTextPtr(v);
      aLen = numberTextLen(v);
    } else {
      aKind = ARG_FLOAT;
      aF64 = numberToF64(v);
    }
  } else {
    aKind = ARG_STR;
    aPtr = dumpRego(v);
    aLen = cstrLen(aPtr);
  }
  return aKind;
}

function textHasFraction(p: usize, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return true;
  }
  return false;
}

function writeTypeName(out: Buf): void {
  if (aKind == ARG_INT) bufLit(out, "int");
  else if (aKind == ARG_BIG) bufLit(out, "*big.Int");
  else if (aKind == ARG_FLOAT) bufLit(out, "float64");
  else bufLit(out, "string");
}

function badVerb(out: Buf, verb: u32): void {
  bufLit(out, "%!");
  bufRune(out, verb);
  bufByte(out, 0x28);
  typedValue(out);
  bufByte(out, 0x29);
}

/** Go fmt's `type=value` of the loaded argument (in %!verb(...) and %!(EXTRA ...)): plain %v, no flags. */
function typedValue(out: Buf): void {
  writeTypeName(out);
  bufByte(out, 0x3d);
  fPlus = fMinus = fSharp = fSpace = fZero = false;
  fWidth = -1;
  fPrec = -1;
  formatArg(out, 0x76);
}

function formatArg(out: Buf, verb: u32): void {
  if (verb == 0x54) { // %T
    const b = bufNew(16);
    writeTypeName(b);
    padded(out, bufData(b), bufLen(b));
    return;
  }
  if (aKind == ARG_STR) {
    switch (verb) {
      case 0x76: case 0x73: { // v s
        let len = aLen;
        if (fPrec >= 0) len = runePrefixBytes(aPtr, aLen, <u32>fPrec);
        padded(out, aPtr, len);
        return;
      }
      case 0x71: { // q
        const b = bufNew(aLen + 8);
        quoteGo(b, aPtr, aLen, 0x22);
        padded(out, bufData(b), bufLen(b));
        return;
      }
      case 0x78: case 0x58: { // x X
        const b = bufNew(aLen * 3 + 4);
        let len = aLen;
        if (fPrec >= 0 && <u32>fPrec < len) len = <u32>fPrec;
        for (let i: u32 = 0; i < len; i++) {
          if (i > 0 && fSpace) bufByte(b, 0x20);
          if (fSharp && (i == 0 || fSpace)) bufLit(b, verb == 0x58 ? "0X" : "0x");
          hexByte(b, load<u8>(aPtr + i), verb == 0x58);
        }
        padded(out, bufData(b), bufLen(b));
        return;
      }
    }
    badVerb(out, verb);
    return;
  }
  if (aKind == ARG_INT || aKind == ARG_BIG) {
    formatInteger(out, verb);
    return;
  }
  formatFloatArg(out, verb);
}

function hexByte(b: Buf, x: u32, upper: bool): void {
  const hi = x >> 4;
  const lo = x & 15;
  const base: u32 = upper ? 55 : 87;
  bufByte(b, hi < 10 ? 48 + hi : base + hi);
  bufByte(b, lo < 10 ? 48 + lo : base + lo);
}

/** Byte length of the first k code points. */
function runePrefixBytes(p: usize, n: u32, k: u32): u32 {
  let i: u32 = 0;
  while (k > 0 && i < n) {
    decodeRune(p + i, n - i);
    i += runeWidth;
    k--;
  }
  return i;
}

/** Writes text padded to the width (in code points): spaces, or zeros with the 0 flag (Go pads strings with zeros too). */
function padded(out: Buf, p: usize, n: u32): void {
  const w = fWidth < 0 ? 0 : fWidth - <i32>runeCount(p, n);
  if (w <= 0) {
    bufBytes(out, p, n);
    return;
  }
  if (fMinus) {
    bufBytes(out, p, n);
    bufRepeat(out, 0x20, w);
  } else {
    bufRepeat(out, fZero ? 0x30 : 0x20, w);
    bufBytes(out, p, n);
  }
}

/** Pads a number: zero padding goes after the sign. */
function paddedNumber(out: Buf, p: usize, n: u32, allowZero: bool): void {
  if (fZero && allowZero && !fMinus && fWidth > <i32>n) {
    const w = fWidth - <i32>n;
    let signLen: u32 = 0;
    if (n > 0) {
      const c = load<u8>(p);
      if (c == 0x2d || c == 0x2b || c == 0x20) signLen = 1;
    }
    bufBytes(out, p, signLen);
    bufRepeat(out, 0x30, w);
    bufBytes(out, p + signLen, n - signLen);
    return;
  }
  const z = fZero;
  fZero = false;
  padded(out, p, n);
  fZero = z;
}

// ---------------------------------------------------------------- integers

function formatInteger(out: Buf, verb: u32): void {
  let base: u32 = 10;
  switch (verb) {
    case 0x64: case 0x76: case 0x73: base = 10; break; // d v (s only for big.Int)
    case 0x62: base = 2; break;
    case 0x6f: case 0x4f: base = 8; break;
    case 0x78: case 0x58: base = 16; break;
    case 0x63: case 0x71: case 0x55: { // c q U
      if (aKind == ARG_BIG) {
        badVerb(out, verb);
        return;
      }
      formatRuneVerb(out, verb);
      return;
    }
    case 0x65: case 0x45: case 0x66: case 0x46: case 0x67: case 0x47: {
      badVerb(out, verb);
      return;
    }
    default:
      badVerb(out, verb);
      return;
  }
  if (verb == 0x73 && aKind == ARG_INT) {
    badVerb(out, verb);
    return;
  }
  // magnitude digits in base
  let neg = false;
  const digits = bufNew(72);
  if (aKind == ARG_INT) {
    neg = aInt < 0;
    let mag: u64 = neg ? <u64>(-aInt) : <u64>aInt;
    const tmp = malloc(72);
    let k = 72;
    do {
      k--;
      const d = <u32>(mag % base);
      store<u8>(tmp + k, <u8>(d < 10 ? 48 + d : (verb == 0x58 ? 55 : 87) + d));
      mag /= base;
    } while (mag != 0);
    bufBytes(digits, tmp + k, <u32>(72 - k));
  } else {
    neg = load<u8>(aPtr) == 0x2d;
    bigToBase(digits, aPtr + (neg ? 1 : 0), aLen - (neg ? 1 : 0), base, verb == 0x58);
  }
  const b = bufNew(bufLen(digits) + 8);
  if (neg) bufByte(b, 0x2d);
  else if (fPlus) bufByte(b, 0x2b);
  else if (fSpace) bufByte(b, 0x20);
  if (verb == 0x4f) bufLit(b, "0o");
  else if (fSharp) {
    if (base == 8 && load<u8>(bufData(digits)) != 0x30) bufByte(b, 0x30);
    else if (base == 16) bufLit(b, verb == 0x58 ? "0X" : "0x");
    else if (base == 2) bufLit(b, "0b");
  }
  // precision: minimum digit count; %.0d of 0 prints nothing
  const isZero = bufLen(digits) == 1 && load<u8>(bufData(digits)) == 0x30;
  if (fPrec >= 0) {
    if (fPrec == 0 && isZero) {
      // digits dropped
    } else {
      bufRepeat(b, 0x30, fPrec - <i32>bufLen(digits));
      bufBytes(b, bufData(digits), bufLen(digits));
    }
  } else bufBytes(b, bufData(digits), bufLen(digits));
  paddedNumber(out, bufData(b), bufLen(b), fPrec < 0);
}

/** Converts decimal digits (magnitude) to another base by repeated division. */
function bigToBase(out: Buf, p: usize, n: u32, base: u32, upper: bool): void {
  if (base == 10) {
    bufBytes(out, p, n);
    return;
  }
  const work = malloc(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(work + i, <u8>(load<u8>(p + i) - 0x30));
  const rev = bufNew(n * 4 + 4);
  let start: u32 = 0;
  while (start < n) {
    let rem: u32 = 0;
    for (let i = start; i < n; i++) {
      const cur = rem * 10 + <u32>load<u8>(work + i);
      store<u8>(work + i, <u8>(cur / base));
      rem = cur % base;
    }
    bufByte(rev, rem < 10 ? 48 + rem : (upper ? 55 : 87) + rem);
    while (start < n && load<u8>(work + start) == 0) start++;
  }
  const rn = bufLen(rev);
  if (rn == 0) bufByte(out, 0x30);
  for (let i: i32 = <i32>rn - 1; i >= 0; i--) bufByte(out, load<u8>(bufData(rev) + i));
}

function formatRuneVerb(out: Buf, verb: u32): void {
  let r = aInt < 0 || aInt > 0x10ffff ? 0xfffd : <u32>aInt;
  if (r >= 0xd800 && r < 0xe000) r = 0xfffd;
  const b = bufNew(16);
  if (verb == 0x63) bufRune(b, r);
  else if (verb == 0x71) {
    const tmp = malloc(4);
    const w = writeRuneBytes(tmp, r);
    quoteGo(b, tmp, w, 0x27);
  } else {
    bufLit(b, "U+");
    const hex = bufNew(8);
    const u = aInt < 0 ? <u64>aInt : <u64>aInt;
    let v = u;
    const tmp = malloc(20);
    let k = 20;
    do {
      k--;
      const d = <u32>(v & 15);
      store<u8>(tmp + k, <u8>(d < 10 ? 48 + d : 55 + d));
      v >>= 4;
    } while (v != 0);
    let digits = 20 - k;
    const minDigits = fPrec > 4 ? fPrec : 4;
    bufRepeat(hex, 0x30, minDigits - digits);
    bufBytes(hex, tmp + k, <u32>digits);
    bufBytes(b, bufData(hex), bufLen(hex));
    if (fSharp && r != 0xfffd) {
      bufLit(b, " '");
      bufRune(b, r);
      bufByte(b, 0x27);
    }
  }
  padded(out, bufData(b), bufLen(b));
}

function writeRuneBytes(p: usize, r: u32): u32 {
  const b = bufNew(4);
  bufRune(b, r);
  memory.copy(p, bufData(b), bufLen(b));
  return bufLen(b);
}

// ---------------------------------------------------------------- floats

function formatFloatArg(out: Buf, verb: u32): void {
  let v = verb;
  let prec = fPrec;
  switch (verb) {
    case 0x76: v = 0x67; break; // %v = %g shortest
    case 0x65: case 0x45: case 0x66: case 0x46: case 0x67: case 0x47: break;
    default:
      badVerb(out, verb);
      return;
  }
  if (prec < 0 && (v == 0x65 || v == 0x45 || v == 0x66 || v == 0x46)) prec = 6;
  const b = bufNew(32);
  const f = aF64;
  if (f < 0 || (f == 0 && 1 / f < 0)) bufByte(b, 0x2d);
  else if (fPlus) bufByte(b, 0x2b);
  else if (fSpace) bufByte(b, 0x20);
  formatFloatGo(b, f, v == 0x46 ? 0x66 : v, prec);
  if (fSharp && (v | 0x20) == 0x67) sharpG(b);
  paddedNumber(out, bufData(b), bufLen(b), isFinite(f));
}

/** %#g keeps a decimal point (and Go keeps trailing zeros up to the precision); approximated by ensuring a point. */
function sharpG(b: Buf): void {
  const p = bufData(b);
  const n = bufLen(b);
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return;
  }
  bufByte(b, 0x2e);
}

// ---------------------------------------------------------------- quoting

/** Go's strconv.Quote (quote = '"') / QuoteRune (quote = '\''): printable runes kept, others escaped. */
export function quoteGo(b: Buf, p: usize, n: u32, quote: u32): void {
  bufByte(b, quote);
  let i: u32 = 0;
  while (i < n) {
    const r = decodeRune(p + i, n - i);
    const w = runeWidth;
    if (r == 0xfffd && w == 1 && load<u8>(p + i) >= 0x80) {
      bufLit(b, "\\x");
      hexByte(b, load<u8>(p + i), false);
      i++;
      continue;
    }
    i += w;
    if (r == quote || r == 0x5c) {
      bufByte(b, 0x5c);
      bufByte(b, r);
      continue;
    }
    if (r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0) && r != 0xad && r != 0x2028 && r != 0x2029 && r != 0xfeff) {
      bufRune(b, r);
      continue;
    }
    switch (r) {
      case 7: bufLit(b, "\\a"); break;
      case 8: bufLit(b, "\\b"); break;
      case 12: bufLit(b, "\\f"); break;
      case 10: bufLit(b, "\\n"); break;
      case 13: bufLit(b, "\\r"); break;
      case 9: bufLit(b, "\\t"); break;
      case 11: bufLit(b, "\\v"); break;
      default:
        if (r < 0x80) {
          bufLit(b, "\\x");
          hexByte(b, r, false);
        } else if (r < 0x10000) {
          bufLit(b, "\\u");
          hexByte(b, r >> 8, false);
          hexByte(b, r & 0xff, false);
        } else {
          bufLit(b, "\\U");
          hexByte(b, r >> 24, false);
          hexByte(b, (r >> 16) & 0xff, false);
          hexByte(b, (r >> 8) & 0xff, false);
          hexByte(b, r & 0xff, false);
        }
    }
  }
  bufByte(b, quote);
}
