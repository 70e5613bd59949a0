// Array builtins: array.concat, array.slice (OPA's clamping), array.reverse.

import { Value, UNDEFINED, typeOf, T_ARRAY, makeArray, arrayAppend, arrayGet, arrayLen } from '../value';
import { operandIsInt, operandInt } from './operand_support';

/** array.concat(x: array, y: array) -> array. */
export function builtin_array_concat(x: Value, y: Value): Value {
  if (typeOf(x) != T_ARRAY || typeOf(y) != T_ARRAY) return UNDEFINED;
  const nx = arrayLen(x);
  const ny = arrayLen(y);
  if (ny == 0) return x;
  if (nx == 0) return y;
  const out = makeArray(nx + ny);
  for (let i: u32 = 0; i < nx; i++) arrayAppend(out, arrayGet(x, i));
  for (let i: u32 = 0; i < ny; i++) arrayAppend(out, arrayGet(y, i));
  return out;
}

/**
 * array.slice(arr, start, stop) -> arr[start:stop]. Indexes must be integers; start is clamped
 * to >= 0 and stop to <= len, and start >= stop gives [] (OPA's rules).
 */
export function builtin_array_slice(arr: Value, start: Value, stop: Value): Value {
  if (typeOf(arr) != T_ARRAY || !operandIsInt(start) || !operandIsInt(stop)) return UNDEFINED;
  const len = <i64>arrayLen(arr);
  let s = operandInt(start);
  let e = operandInt(stop);
  if (s < 0) s = 0;
  if (e > len) e = len;
  if (s >= e) return makeArray(0);
  const out = makeArray(<u32>(e - s));
  for (let i = s; i < e; i++) arrayAppend(out, arrayGet(arr, <u32>i));
  return out;
}

/** array.reverse(arr) -> arr in reverse order. */
export function builtin_array_reverse(arr: Value): Value {
  if (typeOf(arr) != T_ARRAY) return UNDEFINED;
  const n = arrayLen(arr);
  const out = makeArray(n);
  for (let i: u32 = n; i > 0; i--) arrayAppend(out, arrayGet(arr, i - 1));
  return out;
}
