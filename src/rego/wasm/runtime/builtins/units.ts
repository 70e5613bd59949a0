// units.parse and units.parse_bytes: quantities like "10Mi", "1.5k", "200m", "1e3KB" computed exactly in decimal, as OPA does with big.Rat/big.Float.
//
// units.parse: SI (k/K, M, g/G, t/T, p/P, e/E, m = milli) and binary (Ki, Mi, ...; case-insensitive after
// the first letter). Integral results are integers, others OPA's FloatString(10) text (10 decimals).
// units.parse_bytes: case-insensitive, SI (kb/k ... eb/e) and binary (kib/ki ... eib/ei), truncated to an integer.
// Errors (spaces, no amount, unknown unit, bad number, exponent over 6 digits) are undefined.

import { malloc } from '../memory';
import { Value, typeOf, T_STRING, stringPtr, stringLen } from '../value';
import { parseNumber } from '../number';

// Scratch from the last parse: digits (ASCII) and a decimal exponent: value = ±digits × 10^exp.
let uDigits: usize = 0;
let uCount: u32 = 0;
let uExp: i32 = 0;
let uNeg = false;

const MAX_SCALE: i32 = 4000; // refuse results with more digits than this (OPA would build huge numbers)

export function builtin_units_parse(x: Value): Value {
  return parseQuantity(x, false);
}

export function builtin_units_parse_bytes(x: Value): Value {
  return parseQuantity(x, true);
}

function parseQuantity(x: Value, bytes: bool): Value {
  if (typeOf(x) != T_STRING) return 0;
  // Copy without '"' (and lower-cased for parse_bytes).
  const p = stringPtr(x);
  const n = stringLen(x);
  const s = malloc(n + 1);
  let len: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c == 0x22) continue;
    if (c == 0x20) return 0; // spaces not allowed in resource strings
    if (bytes && c >= 65 && c <= 90) c += 32;
    store<u8>(s + len, <u8>c);
    len++;
  }
  // Split number and unit.
  let split: i32 = -1;
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(s + i);
    const isNum = (c >= 0x30 && c <= 0x39) || c == 0x2e;
    if (!isNum && c != 0x65 && c != 0x45 && c != 0x2b && c != 0x2d) {
      split = <i32>i;
      break;
    }
    if (c == 0x65 || c == 0x45) {
      const next = i + 1 < len ? <u32>load<u8>(s + i + 1) : 0;
      if (i == len - 1 || !((next >= 0x30 && next <= 0x39) || next == 0x2b || next == 0x2d)) {
        split = <i32>i;
        break;
      }
      let j = i + 1;
      if (next == 0x2b || next == 0x2d) {
        i++;
        j++;
      }
      let k = j;
      while (k < len && load<u8>(s + k) >= 0x30 && load<u8>(s + k) <= 0x39) k++;
      if (k - j > 6) return 0; // exponent too large
    }
  }
  const numLen: u32 = split < 0 ? len : <u32>split;
  if (numLen == 0) return 0; // no amount provided
  const unit = s + numLen;
  const unitLen = len - numLen;

  // Multiplier: mult × 10^multExp.
  let mult: u64 = 0;
  let multExp: i32 = 0;
  if (bytes) {
    mult = bytesUnit(unit, unitLen);
  } else {
    // lower-case everything after the first letter
    for (let i: u32 = 1; i < unitLen; i++) {
      const c = <u32>load<u8>(unit + i);
      if (c >= 65 && c <= 90) store<u8>(unit + i, <u8>(c + 32));
    }
    if (unitLen == 1 && load<u8>(unit) == 0x6d) {
      mult = 1;
      multExp = -3;
    } else mult = siUnit(unit, unitLen);
  }
  if (mult == 0) return 0; // unit not recognized

  if (!parseDecimal(s, numLen)) return 0; // could not parse amount to a number
  mulSmall(mult);
  uExp += multExp;
  if (uExp > MAX_SCALE || <i32>uCount + uExp > MAX_SCALE) return 0;
  return bytes ? integerPart() : ratText();
}

function siUnit(u: usize, n: u32): u64 {
  if (n == 0) return 1;
  const c0 = <u32>load<u8>(u);
  if (n == 1) {
    switch (c0) {
      case 0x6b: case 0x4b: return 1000; // k K
      case 0x4d: return 1000000; // M
      case 0x67: case 0x47: return 1000000000; // g G
      case 0x74: case 0x54: return 1000000000000; // t T
      case 0x70: case 0x50: return 1000000000000000; // p P
      case 0x65: case 0x45: return 1000000000000000000; // e E
    }
    return 0;
  }
  if (n == 2 && load<u8>(u + 1) == 0x69) {
    switch (c0) {
      case 0x6b: case 0x4b: return 1 << 10;
      case 0x6d: case 0x4d: return 1 << 20;
      case 0x67: case 0x47: return 1 << 30;
      case 0x74: case 0x54: return (<u64>1) << 40;
      case 0x70: case 0x50: return (<u64>1) << 50;
      case 0x65: case 0x45: return (<u64>1) << 60;
    }
  }
  return 0;
}

/** Lower-cased byte units: "", k/kb, ki/kib, ... e/eb, ei/eib. */
function bytesUnit(u: usize, n: u32): u64 {
  if (n == 0) return 1;
  if (n > 3) return 0;
  const c0 = <u32>load<u8>(u);
  let binary = false;
  if (n >= 2 && load<u8>(u + 1) == 0x69) {
    binary = true;
    if (n == 3 && load<u8>(u + 2) != 0x62) return 0;
  } else if (n == 2) {
    if (load<u8>(u + 1) != 0x62) return 0;
  } else if (n == 3) return 0;
  let k: u32 = 0;
  switch (c0) {
    case 0x6b: k = 1; break;
    case 0x6d: k = 2; break;
    case 0x67: k = 3; break;
    case 0x74: k = 4; break;
    case 0x70: k = 5; break;
    case 0x65: k = 6; break;
    default: return 0;
  }
  if (binary) return (<u64>1) << (<u64>(10 * k));
  let m: u64 = 1;
  for (let i: u32 = 0; i < k; i++) m *= 1000;
  return m;
}

/** Parses [+-]digits[.digits][e[+-]digits] into uDigits/uCount/uExp/uNeg; false when malformed. */
function parseDecimal(s: usize, n: u32): bool {
  let i: u32 = 0;
  uNeg = false;
  const c = <u32>load<u8>(s);
  if (c == 0x2b || c == 0x2d) {
    uNeg = c == 0x2d;
    i++;
  }
  uDigits = malloc(n + 32);
  uCount = 0;
  uExp = 0;
  let sawDigit = false;
  let sawDot = false;
  for (; i < n; i++) {
    const d = <u32>load<u8>(s + i);
    if (d >= 0x30 && d <= 0x39) {
      sawDigit = true;
      if (uCount > 0 || d != 0x30) {
        store<u8>(uDigits + uCount, <u8>d);
        uCount++;
      }
      if (sawDot) uExp--;
    } else if (d == 0x2e && !sawDot) sawDot = true;
    else break;
  }
  if (!sawDigit) return false;
  if (i < n) {
    const e = <u32>load<u8>(s + i);
    if (e != 0x65 && e != 0x45) return false;
    i++;
    let eneg = false;
    if (i < n && (load<u8>(s + i) == 0x2b || load<u8>(s + i) == 0x2d)) {
      eneg = load<u8>(s + i) == 0x2d;
      i++;
    }
    if (i >= n) return false;
    let ev: i32 = 0;
    for (; i < n; i++) {
      const d = <u32>load<u8>(s + i);
      if (d < 0x30 || d > 0x39) return false;
      ev = ev * 10 + <i32>(d - 0x30);
      if (ev > 10000000) return false;
    }
    uExp += eneg ? -ev : ev;
  }
  return true;
}

/** uDigits × m (m < 2^61). */
function mulSmall(m: u64): void {
  if (uCount == 0 || m == 1) return;
  const out = malloc(uCount + 24);
  // compute from the least significant digit into a right-aligned buffer
  let carry: u64 = 0;
  let o: i32 = <i32>uCount + 23;
  for (let i: i32 = <i32>uCount - 1; i >= 0; i--) {
    const t = <u64>(load<u8>(uDigits + i) - 0x30) * m + carry;
    store<u8>(out + o, <u8>(0x30 + <u32>(t % 10)));
    carry = t / 10;
    o--;
  }
  while (carry > 0) {
    store<u8>(out + o, <u8>(0x30 + <u32>(carry % 10)));
    carry /= 10;
    o--;
  }
  uDigits = out + o + 1;
  uCount = <u32>(<i32>uCount + 23 - o);
}

/** The value truncated toward zero, as an integer number. */
function integerPart(): Value {
  const intDigits: i32 = <i32>uCount + uExp;
  if (uCount == 0 || intDigits <= 0) return textNumber(0, false, 0, 0, 0);
  return textNumber(uDigits, uNeg, <u32>min(intDigits, <i32>uCount), intDigits > <i32>uCount ? <u32>(intDigits - <i32>uCount) : 0, 0);
}

/** OPA: an integer when integral, else big.Rat.FloatString(10) (10 decimals, halves away from zero). */
function ratText(): Value {
  // strip trailing zeros into the exponent
  while (uCount > 0 && load<u8>(uDigits + uCount - 1) == 0x30) {
    uCount--;
    uExp++;
  }
  if (uCount == 0) return textNumber(0, false, 0, 0, 0);
  if (uExp >= 0) return textNumber(uDigits, uNeg, uCount, <u32>uExp, 0);
  // digits = int part . frac part; keep 11 fraction digits then round to 10
  const fracLen = <u32>(-uExp);
  const total = <i32>uCount;
  const intLen = total - <i32>fracLen; // may be <= 0
  // Build a padded digit string: intPart (at least "0") + 10 fraction digits, plus the rounding digit.
  const buf = malloc(<usize>(max(intLen, 1) + 16));
  let w: u32 = 0;
  store<u8>(buf, 0x30); // leading spare for a carry
  w = 1;
  if (intLen <= 0) {
    store<u8>(buf + w, 0x30);
    w++;
  } else {
    memory.copy(buf + w, uDigits, intLen);
    w += <u32>intLen;
  }
  const intEnd = w;
  for (let k: i32 = 0; k < 11; k++) {
    const idx = intLen + k; // index into digits
    const d = idx >= 0 && idx < total ? load<u8>(uDigits + idx) : 0x30;
    store<u8>(buf + w, d);
    w++;
  }
  const roundDigit = <u32>load<u8>(buf + w - 1) - 0x30;
  w--;
  if (roundDigit >= 5) {
    let k = <i32>w - 1;
    while (k >= 0) {
      const d = <u32>load<u8>(buf + k);
      if (d == 0x39) {
        store<u8>(buf + k, 0x30);
        k--;
      } else {
        store<u8>(buf + k, <u8>(d + 1));
        break;
      }
    }
  }
  // assemble "-int.frac"
  let start: u32 = 0;
  while (start < intEnd - 1 && load<u8>(buf + start) == 0x30) start++;
  const out = malloc(w + 4);
  let o: u32 = 0;
  if (uNeg) {
    store<u8>(out, 0x2d);
    o = 1;
  }
  memory.copy(out + o, buf + start, intEnd - start);
  o += intEnd - start;
  store<u8>(out + o, 0x2e);
  o++;
  memory.copy(out + o, buf + intEnd, w - intEnd);
  o += w - intEnd;
  return parseNumber(out, o);
}

/** A number from `len` digits at d followed by `zeros` zeros (0 digits → 0). */
function textNumber(d: usize, neg: bool, len: u32, zeros: u32, _unused: u32): Value {
  if (len == 0) {
    const z = malloc(1);
    store<u8>(z, 0x30);
    return parseNumber(z, 1);
  }
  const out = malloc(len + zeros + 2);
  let o: u32 = 0;
  if (neg) {
    store<u8>(out, 0x2d);
    o = 1;
  }
  memory.copy(out + o, d, len);
  o += len;
  memory.fill(out + o, 0x30, zeros);
  o += zeros;
  return parseNumber(out, o);
}
