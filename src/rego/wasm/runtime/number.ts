// Rego numbers: exact i64 fast path, exact decimal text for big integers/literals, f64 for non-integer results.
//
// Semantics (matching OPA): + - * on integers are exact at any size (big integers are kept as
// decimal text and computed digit by digit); + - * / involving a non-integer are computed as
// OPA does, in 64-bit-mantissa big.Float printed shortest (bigfloat.ts: 0.1 + 0.2 is 0.3,
// 1 / 3 is 0.33333333333333333334); only what bigfloat.ts declines (exponents beyond ±400)
// falls back to f64. Integral results become exact ints.
// Literal text (JSON input, policy constants) is kept as given, so `1e400` or
// `123456789012345678901234567890` survive a round trip unchanged.

import { dtoa_buffered } from 'util/number';
import {
  Value, T_NUMBER, typeOf, makeInt, makeFloat, makeNumberText, numberKind, numberIntValue,
  numberFloatValue, numberTextPtr, numberTextLen, NUM_INT, NUM_FLOAT, NUM_TEXT,
} from './value';
import { malloc } from './memory';
import { scanDecimal, scanNeg, scanDigits, scanCount, scanExp } from './decimal_scan';
import { bigFloatArith, bigFloatCompare, decimalTextToF64 } from './bigfloat';
import { natFromDecimal, natDivMod, natRemainder, natToDecimal, natDigitsLen, natIsZero } from './bignat';

// ---------------------------------------------------------------- parsing

/** A number from JSON number text (bytes must outlive the value); UNDEFINED (0) when the text is not a JSON number. */
export function parseNumber(ptr: usize, len: u32): Value {
  if (!isJsonNumber(ptr, len)) return 0;
  let neg = load<u8>(ptr) == 0x2d;
  let i: u32 = neg ? 1 : 0;
  // Integer literal? try exact i64.
  let isInt = true;
  for (let j = i; j < len; j++) {
    const c = load<u8>(ptr + j);
    if (c < 0x30 || c > 0x39) {
      isInt = false;
      break;
    }
  }
  if (isInt) {
    if (len - i <= 18) {
      let x: i64 = 0;
      for (; i < len; i++) x = x * 10 + <i64>(load<u8>(ptr + i) - 0x30);
      return makeInt(neg ? -x : x);
    }
    return bigIntValue(ptr, len);
  }
  // Integral literals such as 1e18 or 2.0 compute as exact ints (OPA's big.Float arithmetic is exact there).
  const exact = integralLiteral(ptr, len);
  if (exactOk) {
    const v = makeInt(exact);
    store<u8>(v, 1, 2); // remember it was written as a decimal: `rem` refuses it like OPA
    return v;
  }
  return makeNumberText(ptr, len);
}

let exactOk = false;

/** The value of a decimal literal when it is an integer with at most 18 digits (sets exactOk). */
function integralLiteral(ptr: usize, len: u32): i64 {
  exactOk = false;
  let i: u32 = 0;
  const neg = load<u8>(ptr) == 0x2d;
  if (neg) i++;
  let mant: i64 = 0;
  let digits: i32 = 0;
  let fracDigits: i32 = 0;
  let pendingZeros: i32 = 0; // trailing zeros not yet multiplied in
  let seenDot = false;
  for (; i < len; i++) {
    const c = load<u8>(ptr + i);
    if (c == 0x2e) {
      seenDot = true;
      continue;
    }
    if (!isDigit(c)) break;
    if (seenDot) fracDigits++;
    if (c == 0x30) {
      if (digits > 0) pendingZeros++;
      continue;
    }
    for (; pendingZeros > 0; pendingZeros--) {
      mant *= 10;
      digits++;
    }
    mant = mant * 10 + <i64>(c - 0x30);
    digits++;
    if (digits > 18) return 0;
  }
  let exp: i32 = 0;
  if (i < len) {
    i++; // e/E
    let eneg = false;
    if (load<u8>(ptr + i) == 0x2b || load<u8>(ptr + i) == 0x2d) {
      eneg = load<u8>(ptr + i) == 0x2d;
      i++;
    }
    for (; i < len; i++) {
      exp = exp * 10 + <i32>(load<u8>(ptr + i) - 0x30);
      if (exp > 100) return 0;
    }
    if (eneg) exp = -exp;
  }
  // value = mant * 10^(pendingZeros + exp - fracDigits)
  let scale = pendingZeros + exp - fracDigits;
  if (scale < 0) return 0;
  if (digits + scale > 19) return 0;
  for (; scale > 0; scale--) {
    if (mant > 922337203685477580) return 0;
    mant *= 10;
  }
  exactOk = true;
  return neg ? -mant : mant;
}

/** True when ptr[0..len) matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
export function isJsonNumber(ptr: usize, len: u32): bool {
  let i: u32 = 0;
  if (i < len && load<u8>(ptr) == 0x2d) i++;
  if (i >= len) return false;
  let c = load<u8>(ptr + i);
  if (c == 0x30) i++;
  else if (c >= 0x31 && c <= 0x39) {
    while (i < len && isDigit(load<u8>(ptr + i))) i++;
  } else return false;
  if (i < len && load<u8>(ptr + i) == 0x2e) {
    i++;
    const s = i;
    while (i < len && isDigit(load<u8>(ptr + i))) i++;
    if (i == s) return false;
  }
  return skipExponent(ptr, i, len) == <i64>len;
}

/** The index after an optional exponent `[eE][+-]?[0-9]+` that starts at i; -1 when an 'e' has no digits after it. */
export function skipExponent(ptr: usize, i: u32, len: u32): i64 {
  if (i >= len || (load<u8>(ptr + i) | 0x20) != 0x65) return i;
  i++;
  if (i < len && (load<u8>(ptr + i) == 0x2b || load<u8>(ptr + i) == 0x2d)) i++;
  const s = i;
  while (i < len && isDigit(load<u8>(ptr + i))) i++;
  return i == s ? -1 : i;
}

@inline function isDigit(c: u8): bool {
  return c >= 0x30 && c <= 0x39;
}

/** An integer given as text (optional '-', digits): an exact int when it fits i64, else kept as text (normalized). */
export function bigIntValue(ptr: usize, len: u32): Value {
  let neg = load<u8>(ptr) == 0x2d;
  let i: u32 = neg ? 1 : 0;
  while (i + 1 < len && load<u8>(ptr + i) == 0x30) i++;
  const digits = len - i;
  if (digits <= 18 || (digits == 19 && fitsI64(ptr + i, neg))) {
    let x: i64 = 0;
    for (let j = i; j < len; j++) x = x * 10 - <i64>(load<u8>(ptr + j) - 0x30);
    return makeInt(neg ? x : -x);
  }
  if (i == (neg ? 1 : 0)) return makeNumberText(ptr, len);
  // Strip leading zeros into a fresh text.
  const n = digits + (neg ? 1 : 0);
  const t = malloc(n);
  if (neg) store<u8>(t, 0x2d);
  memory.copy(t + (neg ? 1 : 0), ptr + i, digits);
  return makeNumberText(t, n);
}

const I64_MAX_DIGITS = memory.data<u8>([57, 50, 50, 51, 51, 55, 50, 48, 51, 54, 56, 53, 52, 55, 55, 53, 56, 48, 55]); // 9223372036854775807

function fitsI64(p: usize, neg: bool): bool {
  for (let i: u32 = 0; i < 19; i++) {
    let lim = load<u8>(I64_MAX_DIGITS + i);
    if (i == 18 && neg) lim += 1;
    const c = load<u8>(p + i);
    if (c != lim) return c < lim;
  }
  return true;
}

// ---------------------------------------------------------------- conversions

const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/** Decimal text → nearest f64, correctly rounded (fast paths for up to 2^53 and |exponent| <= 22, else exact big arithmetic). */
export function textToF64(ptr: usize, len: u32): f64 {
  let i: u32 = 0;
  let neg = false;
  if (i < len && load<u8>(ptr) == 0x2d) {
    neg = true;
    i++;
  }
  let mant: u64 = 0;
  let digits: i32 = 0;
  let exp10: i32 = 0;
  let seenDot = false;
  for (; i < len; i++) {
    const c = load<u8>(ptr + i);
    if (c == 0x2e) {
      seenDot = true;
      continue;
    }
    if (!isDigit(c)) break;
    if (digits < 19) {
      if (mant != 0 || c != 0x30) {
        mant = mant * 10 + <u64>(c - 0x30);
        if (mant != 0) digits++;
      }
      if (seenDot) exp10--;
    } else if (!seenDot) exp10++;
  }
  if (i < len && (load<u8>(ptr + i) | 0x20) == 0x65) {
    i++;
    let eneg = false;
    if (i < len && (load<u8>(ptr + i) == 0x2b || load<u8>(ptr + i) == 0x2d)) {
      eneg = load<u8>(ptr + i) == 0x2d;
      i++;
    }
    let e: i32 = 0;
    for (; i < len; i++) {
      const c = load<u8>(ptr + i);
      if (!isDigit(c)) break;
      if (e < 100000) e = e * 10 + <i32>(c - 0x30);
    }
    exp10 += eneg ? -e : e;
  }
  let f = <f64>mant;
  if (mant == 0) f = 0;
  else if (exp10 == 0 && mant <= (<u64>1 << 53)) {
    // exact
  } else if (mant <= (<u64>1 << 53) && exp10 > 0 && exp10 <= 22) f = f * unchecked(POW10[exp10]);
  else if (mant <= (<u64>1 << 53) && exp10 < 0 && exp10 >= -22) f = f / unchecked(POW10[-exp10]);
  else {
    // Outside the exact fast paths: round the exact value (bigfloat.ts); NaN means "too long, approximate".
    const exact = decimalTextToF64(ptr, len);
    if (!isNaN(exact)) return exact;
    f = scaleApprox(f, exp10);
  }
  return neg ? -f : f;
}

function scaleApprox(f: f64, e: i32): f64 {
  if (e > 400) return Infinity;
  if (e < -400) return 0;
  if (e > 0) {
    while (e > 22) {
      f *= 1e22;
      e -= 22;
    }
    return f * unchecked(POW10[e]);
  }
  e = -e;
  while (e > 22) {
    f /= 1e22;
    e -= 22;
  }
  return f / unchecked(POW10[e]);
}

/** The number as an f64 (nearest). */
export function numberToF64(v: Value): f64 {
  const k = numberKind(v);
  if (k == NUM_INT) return <f64>numberIntValue(v);
  if (k == NUM_FLOAT) return numberFloatValue(v);
  return textToF64(numberTextPtr(v), numberTextLen(v));
}

/** True when the number is an integer that fits in i64 (read it with numberToI64). */
export function numberIsInteger(v: Value): bool {
  const k = numberKind(v);
  if (k == NUM_INT) return true;
  if (k == NUM_FLOAT) return false;
  if (isIntegerText(numberTextPtr(v), numberTextLen(v))) return false; // big integers (ints that fit are NUM_INT)
  const f = textToF64(numberTextPtr(v), numberTextLen(v));
  return f == Math.floor(f) && Math.abs(f) < 9007199254740992.0;
}

/** The integer value (valid only when numberIsInteger(v)). */
export function numberToI64(v: Value): i64 {
  if (numberKind(v) == NUM_INT) return numberIntValue(v);
  return <i64>numberToF64(v);
}

/** True when the number is integral (any size). */
export function numberIsIntegral(v: Value): bool {
  const k = numberKind(v);
  if (k == NUM_INT) return true;
  if (k == NUM_FLOAT) {
    const f = numberFloatValue(v);
    return f == Math.floor(f) && isFinite(f);
  }
  if (isIntegerText(numberTextPtr(v), numberTextLen(v))) return true;
  const f = textToF64(numberTextPtr(v), numberTextLen(v));
  return f == Math.floor(f) && isFinite(f);
}

function isIntegerText(p: usize, n: u32): bool {
  let i: u32 = 0;
  if (n > 0 && load<u8>(p) == 0x2d) i++;
  if (i >= n) return false;
  for (; i < n; i++) if (!isDigit(load<u8>(p + i))) return false;
  return true;
}

/** True when v is an exact integer (NUM_INT or big integer text). */
function isExactInt(v: Value): bool {
  const k = numberKind(v);
  return k == NUM_INT || (k == NUM_TEXT && isIntegerText(numberTextPtr(v), numberTextLen(v)));
}

// ---------------------------------------------------------------- comparison

export function numberCompare(a: Value, b: Value): i32 {
  const ka = numberKind(a);
  const kb = numberKind(b);
  if (ka == NUM_INT && kb == NUM_INT) {
    const x = numberIntValue(a);
    const y = numberIntValue(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka == NUM_TEXT && kb == NUM_TEXT && numberTextLen(a) == numberTextLen(b) &&
      memory.compare(numberTextPtr(a), numberTextPtr(b), numberTextLen(a)) == 0) return 0;
  if (isExactInt(a) && isExactInt(b)) {
    const ta = intText(a);
    const tb = intText(b);
    return bigCompare(ta, textLenOf(a), tb, textLenOf(b));
  }
  // Texts of up to 15 characters have at most 15 significant digits: f64 orders them exactly.
  // Longer ones compare as OPA does, as 64-bit big.Floats (results such as 0.20000000000000000002).
  if ((ka == NUM_TEXT && numberTextLen(a) > 15) || (kb == NUM_TEXT && numberTextLen(b) > 15)) {
    const c = bigFloatCompare(a, b);
    if (c != 2) return c;
  }
  const x = numberToF64(a);
  const y = numberToF64(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------- arithmetic

/** a + b, or 0 when undefined. Arguments must be numbers. */
export function numAdd(a: Value, b: Value): Value {
  if (numberKind(a) == NUM_INT && numberKind(b) == NUM_INT) {
    const x = numberIntValue(a);
    const y = numberIntValue(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return makeInt(r);
  }
  if (isExactInt(a) && isExactInt(b)) return bigAddSigned(a, b, false);
  const d = bigFloatArith(a, b, 0x2b);
  if (d != 0) return d;
  return makeFloat(numberToF64(a) + numberToF64(b));
}

export function numSub(a: Value, b: Value): Value {
  if (numberKind(a) == NUM_INT && numberKind(b) == NUM_INT) {
    const x = numberIntValue(a);
    const y = numberIntValue(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return makeInt(r);
  }
  if (isExactInt(a) && isExactInt(b)) return bigAddSigned(a, b, true);
  const d = bigFloatArith(a, b, 0x2d);
  if (d != 0) return d;
  return makeFloat(numberToF64(a) - numberToF64(b));
}

export function numMul(a: Value, b: Value): Value {
  if (numberKind(a) == NUM_INT && numberKind(b) == NUM_INT) {
    const x = numberIntValue(a);
    const y = numberIntValue(b);
    if (x > -2147483648 && x < 2147483648 && y > -2147483648 && y < 2147483648) return makeInt(x * y);
    const r = x * y;
    if (x != 0 && (r / x != y || (x == -1 && y == i64.MIN_VALUE))) {
      // overflow: fall through to big
    } else return makeInt(r);
  }
  if (isExactInt(a) && isExactInt(b)) {
    const ta = intText(a);
    const la = textLenOf(a);
    const tb = intText(b);
    const lb = textLenOf(b);
    const na = load<u8>(ta) == 0x2d;
    const nb = load<u8>(tb) == 0x2d;
    return bigMulMag(ta + (na ? 1 : 0), la - (na ? 1 : 0), tb + (nb ? 1 : 0), lb - (nb ? 1 : 0), na != nb);
  }
  const d = bigFloatArith(a, b, 0x2a);
  if (d != 0) return d;
  return makeFloat(numberToF64(a) * numberToF64(b));
}

/** a / b; UNDEFINED (0) on division by zero: OPA's builtin error, which non-strict evaluation turns into undefined. */
export function numDiv(a: Value, b: Value): Value {
  if (numberKind(a) == NUM_INT && numberKind(b) == NUM_INT) {
    const x = numberIntValue(a);
    const y = numberIntValue(b);
    if (y == 0) return 0; // OPA non-strict: "divide by zero" makes the expression undefined
    if (!(x == i64.MIN_VALUE && y == -1) && x % y == 0) return makeInt(x / y);
  }
  const d = numberToF64(b);
  if (d == 0) return 0;
  const q = bigFloatArith(a, b, 0x2f);
  if (q != 0) return q;
  return makeFloat(numberToF64(a) / d);
}

/**
 * a % b (sign of a, like Go) on numbers that are exact integers, whatever their text (OPA
 * converts `1e1` or `2.0` with big.Float.Int). UNDEFINED (0) where OPA raises "modulo by zero"
 * or "modulo on floating-point number": non-strict evaluation makes those undefined.
 */
export function numRem(a: Value, b: Value): Value {
  const x = exactInteger(a);
  const y = exactInteger(b);
  if (x == 0 || y == 0) return 0;
  if (numberKind(x) == NUM_INT && numberKind(y) == NUM_INT) {
    const xi = numberIntValue(x);
    const yi = numberIntValue(y);
    if (yi == 0) return 0;
    if (yi == -1) return makeInt(0);
    return makeInt(xi % yi);
  }
  const tx = intText(x);
  const lx = textLenOf(x);
  const ty = intText(y);
  const ly = textLenOf(y);
  const nx = load<u8>(tx) == 0x2d;
  const ny = load<u8>(ty) == 0x2d;
  const divisor = natFromDecimal(ty + (ny ? 1 : 0), ly - (ny ? 1 : 0));
  if (natIsZero(divisor)) return 0;
  natDivMod(natFromDecimal(tx + (nx ? 1 : 0), lx - (nx ? 1 : 0)), divisor);
  const digits = natToDecimal(natRemainder);
  const n = natDigitsLen;
  if (!nx) return bigIntValue(digits, n);
  const t = malloc(n + 1);
  store<u8>(t, 0x2d);
  memory.copy(t + 1, digits, n);
  return bigIntValue(t, n + 1);
}

/** The exact integer v denotes (NUM_INT or big integer text), or 0 when it is not integral or too large (> 400 digits). */
function exactInteger(v: Value): Value {
  const k = numberKind(v);
  if (k == NUM_INT) return v;
  if (k == NUM_FLOAT) {
    const f = numberFloatValue(v);
    return f == Math.floor(f) && Math.abs(f) < 9.0e18 ? makeInt(<i64>f) : 0;
  }
  const p = numberTextPtr(v);
  const n = numberTextLen(v);
  if (isIntegerText(p, n)) return v;
  // d.ddd e±x: integral when no nonzero digit is left after the decimal point.
  if (!scanDecimal(p, n)) return 0;
  const neg = scanNeg;
  const digits = scanDigits;
  const d = scanCount;
  const exp = <i32>scanExp;
  if (d == 0) return makeInt(0);
  if (exp < 0 || <i64>d + <i64>exp > 400) return 0;
  const t = malloc(d + <u32>exp + 1);
  store<u8>(t, 0x2d);
  memory.copy(t + 1, digits, d);
  memory.fill(t + 1 + d, 0x30, <usize>exp);
  return neg ? bigIntValue(t, d + <u32>exp + 1) : bigIntValue(t + 1, d + <u32>exp);
}

// ---------------------------------------------------------------- big integers (decimal text)

/** Text of an exact integer value (NUM_INT rendered on the heap, or the stored text). */
export function intText(v: Value): usize {
  if (numberKind(v) == NUM_TEXT) return numberTextPtr(v);
  const p = malloc(24);
  const n = writeI64(p, numberIntValue(v));
  store<u32>(v, n, 4); // cache length in the unused text-length slot of an int
  return p;
}

export function textLenOf(v: Value): u32 {
  return numberTextLen(v);
}

/** Writes the decimal text of x at p; returns its length. */
export function writeI64(p: usize, x: i64): u32 {
  let n: u32 = 0;
  let neg = x < 0;
  // Work with negative values so that i64.MIN_VALUE is handled.
  let y: i64 = neg ? x : -x;
  const tmp = p + 23;
  let t = tmp;
  do {
    const d = <u8>(-(y % 10));
    store<u8>(t, 0x30 + d);
    t--;
    y /= 10;
  } while (y != 0);
  if (neg) {
    store<u8>(p, 0x2d);
    n = 1;
  }
  const count = <u32>(tmp - t);
  memory.copy(p + n, t + 1, count);
  return n + count;
}

/** Compares two integer texts (optional '-', no leading zeros except "0"). */
function bigCompare(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  const na = load<u8>(pa) == 0x2d;
  const nb = load<u8>(pb) == 0x2d;
  if (na != nb) return na ? -1 : 1;
  const c = magCompare(pa + (na ? 1 : 0), la - (na ? 1 : 0), pb + (nb ? 1 : 0), lb - (nb ? 1 : 0));
  return na ? -c : c;
}

function magCompare(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  if (la != lb) return la < lb ? -1 : 1;
  const c = memory.compare(pa, pb, la);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

export function bigAddSigned(a: Value, b: Value, subtract: bool): Value {
  const ta = intText(a);
  const la = textLenOf(a);
  const tb = intText(b);
  const lb = textLenOf(b);
  const na = load<u8>(ta) == 0x2d;
  const nbRaw = load<u8>(tb) == 0x2d;
  const nb = subtract ? !nbRaw : nbRaw;
  const ma = ta + (na ? 1 : 0);
  const mla = la - (na ? 1 : 0);
  const mb = tb + (nbRaw ? 1 : 0);
  const mlb = lb - (nbRaw ? 1 : 0);
  if (na == nb) return bigAddMag(ma, mla, mb, mlb, na);
  const c = magCompare(ma, mla, mb, mlb);
  if (c == 0) return makeInt(0);
  if (c > 0) return bigSubMag(ma, mla, mb, mlb, na);
  return bigSubMag(mb, mlb, ma, mla, nb);
}

function bigAddMag(pa: usize, la: u32, pb: usize, lb: u32, neg: bool): Value {
  const n = (la > lb ? la : lb) + 1;
  const out = malloc(n + 1);
  let carry: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let s = carry;
    if (i < la) s += <u32>load<u8>(pa + la - 1 - i) - 0x30;
    if (i < lb) s += <u32>load<u8>(pb + lb - 1 - i) - 0x30;
    carry = s >= 10 ? 1 : 0;
    store<u8>(out + 1 + n - 1 - i, <u8>(0x30 + s % 10));
  }
  return finishBig(out, n, neg);
}

/** |a| - |b| with |a| > |b|. */
function bigSubMag(pa: usize, la: u32, pb: usize, lb: u32, neg: bool): Value {
  const n = la;
  const out = malloc(n + 1);
  let borrow: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let d = <i32>load<u8>(pa + la - 1 - i) - 0x30 - borrow;
    if (i < lb) d -= <i32>load<u8>(pb + lb - 1 - i) - 0x30;
    if (d < 0) {
      d += 10;
      borrow = 1;
    } else borrow = 0;
    store<u8>(out + 1 + n - 1 - i, <u8>(0x30 + d));
  }
  return finishBig(out, n, neg);
}

function bigMulMag(pa: usize, la: u32, pb: usize, lb: u32, neg: bool): Value {
  const n = la + lb;
  const acc = malloc(<usize>n << 2);
  memory.fill(acc, 0, <usize>n << 2);
  for (let i: u32 = 0; i < la; i++) {
    const x = <u32>load<u8>(pa + la - 1 - i) - 0x30;
    if (x == 0) continue;
    for (let j: u32 = 0; j < lb; j++) {
      const y = <u32>load<u8>(pb + lb - 1 - j) - 0x30;
      const p = acc + ((<usize>(i + j)) << 2);
      store<u32>(p, load<u32>(p) + x * y);
    }
    // Normalize periodically to keep accumulators small.
    if ((i & 63) == 63) normalizeDigits(acc, n);
  }
  normalizeDigits(acc, n);
  const out = malloc(n + 1);
  for (let k: u32 = 0; k < n; k++) store<u8>(out + 1 + n - 1 - k, <u8>(0x30 + load<u32>(acc + (<usize>k << 2))));
  return finishBig(out, n, neg);
}

function normalizeDigits(acc: usize, n: u32): void {
  let carry: u32 = 0;
  for (let k: u32 = 0; k < n; k++) {
    const p = acc + (<usize>k << 2);
    const s = load<u32>(p) + carry;
    store<u32>(p, s % 10);
    carry = s / 10;
  }
}

/** out[1..n] holds digits (maybe with leading zeros); out[0] is free for the sign. */
function finishBig(out: usize, n: u32, neg: bool): Value {
  let i: u32 = 1;
  while (i < n && load<u8>(out + i) == 0x30) i++;
  const start = out + i - 1;
  const len = n - i + 1;
  if (len == 1 && load<u8>(start + 1) == 0x30) return makeInt(0);
  if (neg) {
    store<u8>(start, 0x2d);
    return bigIntValue(start, len + 1);
  }
  return bigIntValue(start + 1, len);
}

// ---------------------------------------------------------------- formatting

const DTOA_BUF = memory.data(128);

/** Writes the shortest round-trip text of a non-integral f64 (JavaScript style, valid JSON) at dst; returns its length. Infinity/NaN have no JSON form and are written as null by callers. */
export function formatF64(dst: usize, f: f64): u32 {
  const n = dtoa_buffered(DTOA_BUF, f);
  let o: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    store<u8>(dst + o, <u8>load<u16>(DTOA_BUF + (<usize>i << 1)));
    o++;
  }
  // AssemblyScript writes integral values as "3.0": drop the fraction.
  if (o >= 2 && load<u8>(dst + o - 1) == 0x30 && load<u8>(dst + o - 2) == 0x2e) o -= 2;
  return o;
}

export function isNumber(v: Value): bool {
  return typeOf(v) == T_NUMBER;
}
