// Number builtins: abs, round (half away from zero), ceil, floor, numbers.range, numbers.range_step, to_number, rand.intn.

import {
  Value, UNDEFINED, typeOf, T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, NUM_INT, NUM_FLOAT, NUM_TEXT, makeInt, makeFloat,
  makeNumberText, numberKind, numberIntValue, numberFloatValue, numberTextPtr, numberTextLen, boolValue, makeArray,
  arrayAppend, stringPtr, stringLen,
} from '../value';
import { parseNumber, numberToF64, skipExponent, textToF64, writeI64 } from '../number';
import { malloc } from '../memory';
import { operandIsInt, operandInt } from './operand_support';
import { digestSha256 } from './digest_core';

const MAX_RANGE: i64 = 10000000; // bound on the elements numbers.range may produce (memory safety)

/** abs(x) -> |x|, exact for big integers and decimal literals. */
export function builtin_abs(x: Value): Value {
  if (typeOf(x) != T_NUMBER) return UNDEFINED;
  const k = numberKind(x);
  if (k == NUM_INT) {
    const i = numberIntValue(x);
    if (i >= 0) return x;
    if (i == i64.MIN_VALUE) return parseNumber(copyAscii('9223372036854775808'), 19);
    return makeInt(-i);
  }
  if (k == NUM_FLOAT) return makeFloat(Math.abs(numberFloatValue(x)));
  const p = numberTextPtr(x);
  const n = numberTextLen(x);
  if (n > 0 && load<u8>(p) == 0x2d) return makeNumberText(p + 1, n - 1);
  return x;
}

/** round(x) -> the nearest integer, halves away from zero. */
export function builtin_round(x: Value): Value {
  return toIntegral(x, 0);
}

export function builtin_ceil(x: Value): Value {
  return toIntegral(x, 1);
}

export function builtin_floor(x: Value): Value {
  return toIntegral(x, -1);
}

/** numbers.range(a, b) -> [a, ..., b] stepping by 1 up or down; a and b must be integers. */
export function builtin_numbers_range(a: Value, b: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(b)) return UNDEFINED;
  return range(operandInt(a), operandInt(b), 1);
}

/** numbers.range_step(a, b, step) -> [a, a±step, ...] not passing b; step must be a positive integer. */
export function builtin_numbers_range_step(a: Value, b: Value, step: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(b) || !operandIsInt(step)) return UNDEFINED;
  const s = operandInt(step);
  if (s <= 0) return UNDEFINED;
  return range(operandInt(a), operandInt(b), s);
}

/**
 * to_number(x): null -> 0, false/true -> 0/1, numbers as is, strings parsed as Go's ParseFloat
 * would (decimal forms; "Inf"/"NaN"/hex floats give undefined).
 */
export function builtin_to_number(x: Value): Value {
  const t = typeOf(x);
  if (t == T_NULL) return makeInt(0);
  if (t == T_BOOLEAN) return makeInt(boolValue(x) ? 1 : 0);
  if (t == T_NUMBER) return x;
  if (t != T_STRING) return UNDEFINED;
  const p = stringPtr(x);
  const n = stringLen(x);
  const exact = parseNumber(p, n);
  if (exact != UNDEFINED) return isFinite(numberToF64(exact)) ? exact : UNDEFINED; // Go's ParseFloat: out of range is an error
  // Forms ParseFloat accepts that JSON does not: leading '+', leading zeros, ".5", "5.".
  let i: u32 = 0;
  if (i < n && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) i++;
  let digits: u32 = 0;
  while (i < n && isDigit(load<u8>(p + i))) { i++; digits++; }
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    while (i < n && isDigit(load<u8>(p + i))) { i++; digits++; }
  }
  if (digits == 0) return UNDEFINED;
  if (skipExponent(p, i, n) != <i64>n) return UNDEFINED;
  const neg = load<u8>(p) == 0x2d;
  const start: u32 = load<u8>(p) == 0x2b || neg ? 1 : 0;
  // Normalize to JSON text: drop '+', leading zeros and a bare trailing '.', and add the zero ".5" lacks.
  const out = malloc(n + 3);
  let o: u32 = 0;
  if (neg) store<u8>(out + o++, 0x2d);
  let j = start;
  while (j + 1 < n && load<u8>(p + j) == 0x30 && isDigit(load<u8>(p + j + 1))) j++;
  if (load<u8>(p + j) == 0x2e) store<u8>(out + o++, 0x30);
  for (; j < n; j++) {
    const c = load<u8>(p + j);
    if (c == 0x2e && (j + 1 == n || !isDigit(load<u8>(p + j + 1)))) continue; // "5." is 5
    store<u8>(out + o++, c);
  }
  const v = parseNumber(out, o);
  if (v != UNDEFINED) return v;
  const f = textToF64(out, o);
  return isFinite(f) ? makeFloat(f) : UNDEFINED;
}

/**
 * rand.intn(str, n) -> an integer in [0, |n|). OPA draws it at random and caches it per (str, n)
 * for one query; here it is derived from SHA-256(str, n), so it is the same for the same
 * arguments (a valid choice within one query, and reproducible across queries).
 */
export function builtin_rand_intn(str: Value, n: Value): Value {
  if (typeOf(str) != T_STRING || !operandIsInt(n)) return UNDEFINED;
  let bound = operandInt(n);
  if (bound == 0) return makeInt(0);
  if (bound < 0) bound = -bound;
  const len = stringLen(str);
  const buf = malloc(len + 25);
  memory.copy(buf, stringPtr(str), len);
  store<u8>(buf + len, 0);
  const nl = writeI64(buf + len + 1, bound);
  const d = malloc(32);
  digestSha256(buf, len + 1 + nl, d);
  const r = bswap<u64>(load<u64>(d)) % <u64>bound;
  return makeInt(<i64>r);
}

function range(a: i64, b: i64, step: i64): Value {
  const span = a <= b ? b - a : a - b;
  if (span < 0 || span / step >= MAX_RANGE) return UNDEFINED;
  const count = <u32>(span / step + 1);
  const out = makeArray(count);
  let x = a;
  for (let i: u32 = 0; i < count; i++) {
    arrayAppend(out, makeInt(x));
    x = a <= b ? x + step : x - step;
  }
  return out;
}

/** mode 0: round half away from zero, 1: ceil, -1: floor. */
function toIntegral(x: Value, mode: i32): Value {
  if (typeOf(x) != T_NUMBER) return UNDEFINED;
  const k = numberKind(x);
  if (k == NUM_INT) return x;
  if (k == NUM_TEXT && isIntegerText(numberTextPtr(x), numberTextLen(x))) return x;
  const f = numberToF64(x);
  if (!isFinite(f) || Math.abs(f) >= 9007199254740992.0) return x; // that large, a decimal has no fraction left
  let r: f64;
  if (mode > 0) r = Math.ceil(f);
  else if (mode < 0) r = Math.floor(f);
  else if (f >= 0) {
    r = Math.floor(f);
    if (f - r >= 0.5) r += 1;
  } else {
    r = Math.ceil(f);
    if (r - f >= 0.5) r -= 1;
  }
  if (r == 0) r = 0; // no negative zero
  return makeFloat(r);
}

function isIntegerText(p: usize, n: u32): bool {
  let i: u32 = 0;
  if (n > 0 && load<u8>(p) == 0x2d) i++;
  if (i >= n) return false;
  for (; i < n; i++) if (!isDigit(load<u8>(p + i))) return false;
  return true;
}

@inline function isDigit(c: u8): bool {
  return c >= 0x30 && c <= 0x39;
}

function copyAscii(s: string): usize {
  const n = s.length;
  const p = malloc(n);
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>s.charCodeAt(i));
  return p;
}
