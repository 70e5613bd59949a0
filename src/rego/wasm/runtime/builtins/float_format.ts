// Go strconv-style float formatting (%e %f %g, shortest and fixed precision) over an exact decimal expansion of the f64.
//
// A decimal here is Go's `decimal`: digits d[0..nd) (ASCII, no trailing zeros) and a decimal point
// position dp, value = 0.d0d1... × 10^dp. Fixed precisions are rounded half-to-even on the exact
// binary value, as strconv does; the shortest form comes from AssemblyScript's Grisu (dtoa).

import { dtoa_buffered } from 'util/number';
import { malloc } from '../memory';
import { Buf, bufByte } from './byte_buffer';

// The current decimal (module globals: one conversion at a time).
let fd: usize = 0;
let fnd: i32 = 0;
let fdp: i32 = 0;

const DTOA_SCRATCH = memory.data(128);

/** Exact decimal expansion of |f| (finite). */
function exactDecimal(f: f64): void {
  const bits = reinterpret<u64>(f);
  let e2 = <i32>((bits >> 52) & 0x7ff);
  let mant = bits & 0xfffffffffffff;
  if (e2 == 0) e2 = 1;
  else mant |= (<u64>1) << 52;
  e2 -= 1075;
  if (mant == 0) {
    fnd = 0;
    fdp = 0;
    return;
  }
  while ((mant & 1) == 0 && e2 < 0) {
    mant >>= 1;
    e2++;
  }
  // little-endian digit array
  const cap: i32 = 1200;
  const a = malloc(cap);
  let n: i32 = 0;
  let m = mant;
  while (m > 0) {
    store<u8>(a + n, <u8>(m % 10));
    m /= 10;
    n++;
  }
  let k: i32 = 0;
  if (e2 >= 0) {
    for (let i = 0; i < e2; i++) n = mulDigits(a, n, 2);
  } else {
    k = -e2;
    for (let i = 0; i < k; i++) n = mulDigits(a, n, 5);
  }
  // reverse into big-endian ASCII, drop trailing zeros
  fd = malloc(n + 2);
  for (let i = 0; i < n; i++) store<u8>(fd + i, <u8>(0x30 + load<u8>(a + n - 1 - i)));
  fnd = n;
  fdp = n - k;
  while (fnd > 0 && load<u8>(fd + fnd - 1) == 0x30) fnd--;
}

function mulDigits(a: usize, n: i32, by: u32): i32 {
  let carry: u32 = 0;
  for (let i = 0; i < n; i++) {
    const t = <u32>load<u8>(a + i) * by + carry;
    store<u8>(a + i, <u8>(t % 10));
    carry = t / 10;
  }
  while (carry > 0) {
    store<u8>(a + n, <u8>(carry % 10));
    carry /= 10;
    n++;
  }
  return n;
}

/** Shortest round-trip digits of |f| (finite, non-zero). */
function shortestDecimal(f: f64): void {
  const len = <i32>dtoa_buffered(DTOA_SCRATCH, Math.abs(f));
  // Parse the JavaScript-style text: digits, optional '.', optional e±x.
  fd = malloc(32);
  fnd = 0;
  let pointAt: i32 = -1;
  let exp: i32 = 0;
  let i: i32 = 0;
  let leading = true;
  let intDigits: i32 = 0;
  for (; i < len; i++) {
    const c = <u32>load<u16>(DTOA_SCRATCH + (<usize>i << 1));
    if (c == 0x2e) {
      pointAt = fnd;
      continue;
    }
    if (c == 0x65) {
      i++;
      let neg = false;
      const s = <u32>load<u16>(DTOA_SCRATCH + (<usize>i << 1));
      if (s == 0x2d || s == 0x2b) {
        neg = s == 0x2d;
        i++;
      }
      for (; i < len; i++) exp = exp * 10 + <i32>(load<u16>(DTOA_SCRATCH + (<usize>i << 1)) - 0x30);
      if (neg) exp = -exp;
      break;
    }
    if (leading && c == 0x30) {
      // leading zeros (e.g. "0.001"): they shift the point
      if (pointAt >= 0) intDigits--;
      continue;
    }
    leading = false;
    store<u8>(fd + fnd, <u8>c);
    fnd++;
    if (pointAt < 0) intDigits++;
  }
  // Digits before the point count toward dp; zeros after "0." reduce it.
  fdp = intDigits + exp;
  while (fnd > 0 && load<u8>(fd + fnd - 1) == 0x30) fnd--;
}

/** Go's decimal.Round(nd): half to even on the exact value. */
function roundTo(nd: i32): void {
  if (nd < 0 || nd >= fnd) return;
  let up: bool;
  const c = <u32>load<u8>(fd + nd);
  if (c == 0x35 && nd + 1 == fnd) up = nd > 0 && ((<u32>load<u8>(fd + nd - 1) - 0x30) & 1) == 1;
  else up = c >= 0x35;
  if (up) {
    for (let i = nd - 1; i >= 0; i--) {
      const d = <u32>load<u8>(fd + i);
      if (d < 0x39) {
        store<u8>(fd + i, <u8>(d + 1));
        fnd = i + 1;
        return;
      }
    }
    store<u8>(fd, 0x31);
    fnd = 1;
    fdp++;
  } else {
    fnd = nd;
    while (fnd > 0 && load<u8>(fd + fnd - 1) == 0x30) fnd--;
    if (fnd == 0) fdp = 0;
  }
}

@inline function digitAt(i: i32): u32 {
  return i >= 0 && i < fnd ? <u32>load<u8>(fd + i) : 0x30;
}

function writeE(b: Buf, prec: i32, upper: bool): void {
  bufByte(b, fnd == 0 ? 0x30 : digitAt(0));
  if (prec > 0) {
    bufByte(b, 0x2e);
    for (let i = 1; i <= prec; i++) bufByte(b, digitAt(i));
  }
  bufByte(b, upper ? 0x45 : 0x65);
  let exp = fnd == 0 ? 0 : fdp - 1;
  if (exp < 0) {
    bufByte(b, 0x2d);
    exp = -exp;
  } else bufByte(b, 0x2b);
  if (exp < 10) {
    bufByte(b, 0x30);
    bufByte(b, 0x30 + <u32>exp);
  } else if (exp < 100) {
    bufByte(b, 0x30 + <u32>(exp / 10));
    bufByte(b, 0x30 + <u32>(exp % 10));
  } else {
    bufByte(b, 0x30 + <u32>(exp / 100));
    bufByte(b, 0x30 + <u32>((exp / 10) % 10));
    bufByte(b, 0x30 + <u32>(exp % 10));
  }
}

function writeF(b: Buf, prec: i32): void {
  if (fdp > 0) {
    for (let i = 0; i < fdp; i++) bufByte(b, digitAt(i));
  } else bufByte(b, 0x30);
  if (prec > 0) {
    bufByte(b, 0x2e);
    for (let i = 1; i <= prec; i++) bufByte(b, digitAt(fdp + i - 1));
  }
}

/**
 * Appends |f| formatted like Go's strconv.FormatFloat(f, verb, prec, 64) without the sign
 * (verb 'e' 'E' 'f' 'F' 'g' 'G'; prec < 0 = shortest). The caller writes the sign.
 */
export function formatFloatGo(b: Buf, f: f64, verb: u32, prec: i32): void {
  f = Math.abs(f);
  if (isNaN(f)) {
    bufByte(b, 0x4e); bufByte(b, 0x61); bufByte(b, 0x4e);
    return;
  }
  if (!isFinite(f)) {
    bufByte(b, 0x49); bufByte(b, 0x6e); bufByte(b, 0x66);
    return;
  }
  const shortest = prec < 0;
  const lower = verb | 0x20;
  if (f == 0) {
    fnd = 0;
    fdp = 0;
    fd = malloc(4);
  } else if (shortest) shortestDecimal(f);
  else exactDecimal(f);
  if (lower == 0x65) {
    if (shortest) prec = fnd > 0 ? fnd - 1 : 0;
    else roundTo(prec + 1);
    writeE(b, prec, verb == 0x45);
    return;
  }
  if (lower == 0x66) {
    if (shortest) prec = fnd > fdp ? fnd - fdp : 0;
    else roundTo(fdp + prec);
    writeF(b, prec);
    return;
  }
  // %g
  let eprec = prec;
  if (shortest) {
    prec = fnd;
    eprec = 6;
  } else {
    if (prec == 0) prec = 1;
    roundTo(prec);
    eprec = prec;
    if (eprec > fnd && fnd >= fdp) eprec = fnd;
  }
  const exp = fdp - 1;
  if (fnd != 0 && (exp < -4 || exp >= eprec)) {
    if (prec > fnd) prec = fnd;
    writeE(b, prec - 1 < 0 ? 0 : prec - 1, verb == 0x47);
    return;
  }
  if (fnd == 0) {
    bufByte(b, 0x30);
    return;
  }
  if (prec > fdp) prec = fnd;
  writeF(b, prec - fdp > 0 ? prec - fdp : 0);
}
