// OPA's arithmetic on non-integers: Go big.Float with a 64-bit mantissa, printed with Text('g', -1).
//
// OPA (topdown/arithmetic.go) turns each operand's text into a big.Float (SetString: precision
// 64, round to nearest even), adds/subtracts/multiplies/divides with one rounding to 64 bits,
// and prints the shortest decimal that reads back as the same 64-bit value, in %g form
// (exponent form when the decimal exponent is < -4 or >= 6). So 0.1 + 0.2 is 0.3,
// 1 / 3 is 0.33333333333333333334 and 1000000.5 + 1 is 1.0000015e+06.
// Values: sign, 64-bit mantissa m (top bit set) and exponent e: value = m * 2^e. Operands
// outside what this handles (exponents beyond ±400, infinities) make the caller use f64.

import { malloc } from './memory';
import { scanDecimal, scanNeg, scanDigits, scanCount, scanExp } from './decimal_scan';
import {
  Value, makeInt, makeNumberText, numberKind, numberIntValue, numberFloatValue, numberTextPtr, numberTextLen, NUM_INT, NUM_TEXT,
} from './value';
import { writeI64, formatF64, bigIntValue } from './number';
import {
  Nat, natFromU64, natToU64, natBitLen, natAdd, natSub, natCmp, natMul, natShl, natShr, natBit,
  natLowBitsNonZero, natDivMod, natRemainder, natPow5, natFromDecimal, natToDecimal, natDigitsLen, natIsZero,
} from './bignat';

const MAX_EXP10: i32 = 400;
const MAX_DIGITS: u32 = 800;

// The result of the last operation.
let rZero = true;
let rNeg = false;
let rM: u64 = 0;
let rE: i32 = 0;

/** a op b for op in '+', '-', '*', '/' as OPA computes it; 0 when the caller should fall back to f64. Division by zero is the caller's check. */
export function bigFloatArith(a: Value, b: Value, op: u32): Value {
  if (!fromNumber(b)) return 0;
  const bZero = rZero;
  const bNeg = rNeg;
  const bM = rM;
  const bE = rE;
  if (!fromNumber(a)) return 0;
  const aZero = rZero;
  const aNeg = rNeg;
  const aM = rM;
  const aE = rE;
  if (op == 0x2b || op == 0x2d) add(aZero, aNeg, aM, aE, bZero, op == 0x2d ? !bNeg : bNeg, bM, bE);
  else if (op == 0x2a) mul(aZero, aNeg, aM, aE, bZero, bNeg, bM, bE);
  else {
    if (bZero) return 0;
    quo(aZero, aNeg, aM, aE, bNeg, bM, bE);
  }
  return toNumber();
}

/** Compares two numbers as OPA does (both read as 64-bit big.Floats). */
export function bigFloatCompare(a: Value, b: Value): i32 {
  if (!fromNumber(b)) return 2;
  const bZero = rZero;
  const bNeg = rNeg;
  const bM = rM;
  const bE = rE;
  if (!fromNumber(a)) return 2;
  const sa: i32 = rZero ? 0 : rNeg ? -1 : 1;
  const sb: i32 = bZero ? 0 : bNeg ? -1 : 1;
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  let c: i32 = 0;
  if (rE != bE) c = rE < bE ? -1 : 1;
  else if (rM != bM) c = rM < bM ? -1 : 1;
  return sa < 0 ? -c : c;
}

// ---------------------------------------------------------------- conversions

/** Reads a number into rZero/rNeg/rM/rE the way big.Float.SetString reads its text. */
function fromNumber(v: Value): bool {
  let p: usize;
  let n: u32;
  const k = numberKind(v);
  if (k == NUM_INT) {
    const x = numberIntValue(v);
    rZero = x == 0;
    rNeg = x < 0;
    if (!rZero) normalize(rNeg ? <u64>(-x) : <u64>x, 0);
    return true;
  }
  if (k == NUM_TEXT) {
    p = numberTextPtr(v);
    n = numberTextLen(v);
  } else {
    const f = numberFloatValue(v);
    if (!isFinite(f)) return false;
    p = malloc(40);
    n = formatF64(p, f);
  }
  return parseText(p, n);
}

@inline function normalize(m: u64, e: i32): void {
  const z = <u32>clz(m);
  rM = m << z;
  rE = e - <i32>z;
}

function parseText(p: usize, n: u32): bool {
  if (!scanDecimal(p, n)) return false;
  rNeg = scanNeg;
  const digits = scanDigits;
  const d = scanCount;
  const exp = scanExp;
  rZero = d == 0;
  if (rZero) return true;
  if (d > MAX_DIGITS || exp > <i64>MAX_EXP10 || exp < -<i64>MAX_EXP10) return false;
  const exp10 = <i32>exp;
  const k = <u32>(exp10 < 0 ? -exp10 : exp10);
  const neg = rNeg;
  if (d <= 19 && k <= 27) {
    // Fast path: the mantissa fits 64 bits (exact), 5^k fits 64 bits: one rounding, like Go.
    let mant: u64 = 0;
    for (let j: u32 = 0; j < d; j++) mant = mant * 10 + <u64>(load<u8>(digits + j) - 0x30);
    normalize(mant, 0);
    let p5: u64 = 1;
    for (let j: u32 = 0; j < k; j++) p5 *= 5;
    if (exp10 >= 0) {
      mul128(rM, p5);
      round128(neg, mHi, mLo, rE + exp10, false);
    } else {
      div128(rM, p5);
      round128(neg, mHi, mLo, rE - 64 + exp10, divRemNonZero);
    }
    return true;
  }
  // General path (Go's scan): the whole mantissa times or over 5^k (held at 128 bits), one rounding.
  const zm = natFromDecimal(digits, d);
  const ze: i32 = 0;
  let p5 = natPow5(k);
  let e5: i32 = 0;
  const bl = natBitLen(p5);
  if (bl > 128) {
    // Go computes 5^k at 128 bits: keep 128, rounded to nearest even.
    const s = bl - 128;
    const top = natShr(p5, s);
    const up = natBit(p5, s - 1) && (natLowBitsNonZero(p5, s - 1) || natBit(top, 0));
    p5 = up ? natAdd(top, natFromU64(1)) : top;
    e5 = <i32>s;
  }
  if (exp10 >= 0) {
    roundNat(neg, natMul(zm, p5), ze + e5 + exp10, false);
  } else {
    const shift = natBitLen(p5) + 66;
    const q = natDivMod(natShl(zm, shift), p5);
    roundNat(neg, q, ze - <i32>shift - e5 + exp10, !natIsZero(natRemainder));
  }
  return true;
}

// ---------------------------------------------------------------- 128-bit helpers

let mHi: u64 = 0;
let mLo: u64 = 0;
let divRemNonZero = false;

/** (mHi, mLo) = a * b. */
function mul128(a: u64, b: u64): void {
  const a0 = a & 0xffffffff;
  const a1 = a >> 32;
  const b0 = b & 0xffffffff;
  const b1 = b >> 32;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  mLo = (p00 & 0xffffffff) | (mid << 32);
  mHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/** (mHi, mLo) = (a << 64) / d for d < 2^63; divRemNonZero tells whether it was inexact. */
function div128(a: u64, d: u64): void {
  mHi = a / d;
  let r = a % d;
  let q: u64 = 0;
  for (let i = 63; i >= 0; i--) {
    r <<= 1;
    q <<= 1;
    if (r >= d) {
      r -= d;
      q |= 1;
    }
  }
  mLo = q;
  divRemNonZero = r != 0;
}

/** The result m * 2^e rounded up by one unit when the dropped part is above half, or exactly half and m is odd. */
function setRoundedHalfEven(m: u64, e: i32, half: bool, rest: bool): void {
  if (half && (rest || (m & 1) != 0)) {
    m++;
    if (m == 0) {
      m = <u64>1 << 63;
      e++;
    }
  }
  rM = m;
  rE = e;
}

/** Rounds (hi:lo) * 2^e (+ a little more when sticky) to 64 bits, nearest even, into the result. */
function round128(neg: bool, hi: u64, lo: u64, e: i32, sticky: bool): void {
  rNeg = neg;
  if (hi == 0 && lo == 0) {
    rZero = true;
    return;
  }
  rZero = false;
  const len: u32 = hi != 0 ? 128 - <u32>clz(hi) : 64 - <u32>clz(lo);
  if (len <= 64) {
    const m = hi != 0 ? (hi << (64 - len)) | (lo >> len) : lo;
    normalize(m, e);
    return;
  }
  const s = len - 64;
  // m = (hi:lo) >> s, half = bit s-1, rest = bits below s-1
  let m: u64;
  if (s >= 64) m = hi >> (s - 64);
  else m = (hi << (64 - s)) | (lo >> s);
  const halfBit = s - 1;
  const half = halfBit >= 64 ? ((hi >> (halfBit - 64)) & 1) != 0 : ((lo >> halfBit) & 1) != 0;
  let rest = sticky;
  if (!rest) {
    if (halfBit >= 64) rest = lo != 0 || (halfBit > 64 && (hi & ((<u64>1 << (halfBit - 64)) - 1)) != 0);
    else rest = halfBit > 0 && (lo & ((<u64>1 << halfBit) - 1)) != 0;
  }
  setRoundedHalfEven(m, e + <i32>s, half, rest);
}

/** Rounds n * 2^e (+ a little more when sticky) to 64 bits, nearest even, into the result. */
function roundNat(neg: bool, n: Nat, e: i32, sticky: bool): void {
  rNeg = neg;
  const len = natBitLen(n);
  if (len == 0) {
    rZero = true;
    return;
  }
  rZero = false;
  if (len <= 64) {
    normalize(natToU64(n), e);
    return;
  }
  const s = len - 64;
  const m = natToU64(natShr(n, s));
  const half = natBit(n, s - 1);
  const rest = sticky || natLowBitsNonZero(n, s - 1);
  setRoundedHalfEven(m, e + <i32>s, half, rest);
}

// ---------------------------------------------------------------- operations

function add(aZero: bool, aNeg: bool, aM: u64, aE: i32, bZero: bool, bNeg: bool, bM: u64, bE: i32): void {
  if (aZero && bZero) {
    rZero = true;
    rNeg = false;
    return;
  }
  if (bZero) {
    setResult(aNeg, aM, aE);
    return;
  }
  if (aZero) {
    setResult(bNeg, bM, bE);
    return;
  }
  // Make a the operand with the larger exponent.
  if (aE < bE) {
    const tn = aNeg; aNeg = bNeg; bNeg = tn;
    const tm = aM; aM = bM; bM = tm;
    const te = aE; aE = bE; bE = te;
  }
  const d = <u32>(aE - bE);
  if (d > 200) {
    // b is below a quarter of a's ulp even in the binade under a: the result rounds to a.
    setResult(aNeg, aM, aE);
    return;
  }
  // Exact: a * 2^d + b at exponent bE.
  const x = natShl(natFromU64(aM), d);
  const y = natFromU64(bM);
  if (aNeg == bNeg) {
    roundNat(aNeg, natAdd(x, y), bE, false);
    return;
  }
  const c = natCmp(x, y);
  if (c == 0) {
    rZero = true;
    rNeg = false;
    return;
  }
  if (c > 0) roundNat(aNeg, natSub(x, y), bE, false);
  else roundNat(bNeg, natSub(y, x), bE, false);
}

function mul(aZero: bool, aNeg: bool, aM: u64, aE: i32, bZero: bool, bNeg: bool, bM: u64, bE: i32): void {
  if (aZero || bZero) {
    rZero = true;
    rNeg = false;
    return;
  }
  mul128(aM, bM);
  round128(aNeg != bNeg, mHi, mLo, aE + bE, false);
}

function quo(aZero: bool, aNeg: bool, aM: u64, aE: i32, bNeg: bool, bM: u64, bE: i32): void {
  if (aZero) {
    rZero = true;
    rNeg = false;
    return;
  }
  // (aM << 64) / bM has 64 or 65 bits; the remainder decides the sticky bit.
  const q = natDivMod(natShl(natFromU64(aM), 66), natFromU64(bM));
  roundNat(aNeg != bNeg, q, aE - 66 - bE, !natIsZero(natRemainder));
}

function setResult(neg: bool, m: u64, e: i32): void {
  rZero = false;
  rNeg = neg;
  rM = m;
  rE = e;
}

// ---------------------------------------------------------------- shortest text (Go's roundShortest + %g)

// A decimal: digits (ASCII, no trailing zeros) and the position of the decimal point.
let decPtr: usize = 0;
let decLen: u32 = 0;
let decExp: i32 = 0;

/** decimal of m * 2^e into decPtr/decLen/decExp. */
function decimalOf(m: Nat, e: i32): void {
  let digits: usize;
  let n: u32;
  if (e >= 0) {
    digits = natToDecimal(natShl(m, <u32>e));
    n = natDigitsLen;
    decExp = <i32>n;
  } else {
    digits = natToDecimal(natMul(m, natPow5(<u32>-e)));
    n = natDigitsLen;
    decExp = <i32>n + e;
  }
  while (n > 0 && load<u8>(digits + n - 1) == 0x30) n--;
  decPtr = digits;
  decLen = n;
}

@inline function digitAt(p: usize, n: u32, i: u32): u32 {
  return i < n ? <u32>load<u8>(p + i) : 0x30;
}

/** The result as a number value: an exact integer when its text is integral, else the %g text. */
function toNumber(): Value {
  if (rZero) return makeInt(0);
  const m = natFromU64(rM);
  decimalOf(m, rE);
  const dp = decPtr;
  let dn = decLen;
  let dexp = decExp;
  const mant2 = natShl(m, 1);
  decimalOf(natSub(mant2, natFromU64(1)), rE - 1);
  const lp = decPtr;
  const ln = decLen;
  decimalOf(natAdd(mant2, natFromU64(1)), rE - 1);
  const up = decPtr;
  const un = decLen;
  const inclusive = (rM & 1) == 0;
  // Copy d's digits with one spare leading byte for a carry.
  const buf = malloc(dn + 1);
  store<u8>(buf, 0x30);
  memory.copy(buf + 1, dp, dn);
  let p = buf + 1;
  for (let i: u32 = 0; i < dn; i++) {
    const dm = <u32>load<u8>(dp + i);
    const l = digitAt(lp, ln, i);
    const u = digitAt(up, un, i);
    const okdown = l != dm || (inclusive && i + 1 == ln);
    const okup = dm != u && (inclusive || dm + 1 < u || i + 1 < un);
    if (okdown && okup) {
      if (shouldRoundUp(p, dn, i + 1)) dn = roundUpAt(buf, i + 1);
      else dn = i + 1;
      break;
    } else if (okdown) {
      dn = i + 1;
      break;
    } else if (okup) {
      dn = roundUpAt(buf, i + 1);
      break;
    }
  }
  if (load<u8>(buf) != 0x30) {
    p = buf; // the carry made a new leading digit
    dexp++;
  }
  while (dn > 1 && load<u8>(p + dn - 1) == 0x30) dn--;
  return formatG(rNeg, p, dn, dexp);
}

/** Go's decimal.shouldRoundUp: half-even on an exact 5, otherwise by the first dropped digit. */
function shouldRoundUp(p: usize, n: u32, keep: u32): bool {
  if (keep >= n) return false;
  const c = load<u8>(p + keep);
  if (c == 0x35 && keep + 1 == n) return keep > 0 && ((load<u8>(p + keep - 1) - 0x30) & 1) != 0;
  return c >= 0x35;
}

/** Rounds the digits at buf+1 up to `keep` digits (carry may reach buf[0]); returns the digit count kept. */
function roundUpAt(buf: usize, keep: u32): u32 {
  let i = <i32>keep;
  while (i >= 0) {
    const c = load<u8>(buf + i);
    if (c < 0x39) {
      store<u8>(buf + i, c + 1);
      return keep;
    }
    store<u8>(buf + i, 0x30);
    i--;
  }
  return keep;
}

/** %g of the shortest digits p[0..n) with the decimal point after position dp. */
function formatG(neg: bool, p: usize, n: u32, dp: i32): Value {
  const x = dp - 1;
  const out = malloc(n + 40 + <u32>(dp < 0 ? -dp : dp));
  let o: u32 = 0;
  if (neg) store<u8>(out + o++, 0x2d);
  if (x < -4 || x >= 6) {
    store<u8>(out + o++, load<u8>(p));
    if (n > 1) {
      store<u8>(out + o++, 0x2e);
      memory.copy(out + o, p + 1, n - 1);
      o += n - 1;
    }
    store<u8>(out + o++, 0x65);
    store<u8>(out + o++, x < 0 ? 0x2d : 0x2b);
    const ax = x < 0 ? -x : x;
    if (ax < 10) store<u8>(out + o++, 0x30);
    o += writeI64(out + o, <i64>ax);
    return makeNumberText(out, o);
  }
  if (dp <= 0) {
    store<u8>(out + o++, 0x30);
    store<u8>(out + o++, 0x2e);
    for (let i: i32 = 0; i < -dp; i++) store<u8>(out + o++, 0x30);
    memory.copy(out + o, p, n);
    o += n;
    return makeNumberText(out, o);
  }
  for (let i: u32 = 0; i < <u32>dp; i++) store<u8>(out + o++, <u8>digitAt(p, n, i));
  if (<u32>dp >= n) return bigIntValue(out, o); // integral
  store<u8>(out + o++, 0x2e);
  memory.copy(out + o, p + dp, n - <u32>dp);
  o += n - <u32>dp;
  return makeNumberText(out, o);
}

// ---------------------------------------------------------------- decimal text → f64, correctly rounded

/**
 * The f64 nearest to the decimal text p[0..n) (ties to even), computed exactly with big naturals:
 * `1e300` is the same double JavaScript reads. Subnormal results use a plain (close) scaling.
 */
export function decimalTextToF64(p: usize, n: u32): f64 {
  const inRange = scanDecimal(p, n);
  const neg = scanNeg;
  const digits = scanDigits;
  const d = scanCount;
  const exp = inRange ? scanExp : (scanExp < 0 ? <i64>-1000000 : <i64>1000000);
  const sign: f64 = neg ? -1.0 : 1.0;
  if (d == 0) return sign * 0.0;
  if (exp + <i64>d > 310) return sign * Infinity;
  if (exp + <i64>d < -330) return sign * 0.0;
  if (d > 800) return NaN; // caller keeps its approximation
  const mant = natFromDecimal(digits, d);
  let q: Nat;
  let e2: i32;
  let sticky = false;
  if (exp >= 0) {
    q = natMul(mant, natPow5(<u32>exp));
    e2 = <i32>exp;
  } else {
    const p5 = natPow5(<u32>-exp);
    const bl = natBitLen(p5);
    const ml = natBitLen(mant);
    const s: u32 = bl + 55 > ml ? bl + 55 - ml : 0;
    q = natDivMod(natShl(mant, s), p5);
    sticky = !natIsZero(natRemainder);
    e2 = <i32>exp - <i32>s;
  }
  // Round q * 2^e2 to 53 bits.
  const len = natBitLen(q);
  let m: u64;
  if (len <= 53) {
    m = natToU64(q) << (53 - len);
    e2 -= <i32>(53 - len);
  } else {
    const s = len - 53;
    m = natToU64(natShr(q, s));
    const half = natBit(q, s - 1);
    const rest = sticky || natLowBitsNonZero(q, s - 1);
    e2 += <i32>s;
    if (half && (rest || (m & 1) != 0)) {
      m++;
      if (m == (<u64>1 << 53)) {
        m >>= 1;
        e2++;
      }
    }
  }
  // value = m * 2^e2 with 2^52 <= m < 2^53: biased exponent e2 + 52 + 1023.
  const biased = e2 + 52 + 1023;
  if (biased >= 2047) return sign * Infinity;
  if (biased <= 0) return sign * <f64>m * Math.pow(2, <f64>e2);
  return sign * reinterpret<f64>((<u64>biased << 52) | (m & ((<u64>1 << 52) - 1)));
}
