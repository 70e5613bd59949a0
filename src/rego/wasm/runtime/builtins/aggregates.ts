// Aggregate builtins over arrays and sets: sum, product, max, min, sort (count is in the runtime core).

import {
  Value, UNDEFINED, typeOf, T_ARRAY, T_NUMBER, makeInt, makeArray, arrayAppend, arrayGet, collectionLen,
  setElemAt, sortSlots,
} from '../value';
import { compare } from '../compare';
import { numAdd, numMul } from '../number';
import { operandIsArrayOrSet } from './operand_support';

/** sum(collection: array|set[number]) -> number; undefined on a non-number element (OPA's operand error). */
export function builtin_sum(c: Value): Value {
  if (!operandIsArrayOrSet(c)) return UNDEFINED;
  let acc = makeInt(0);
  const n = collectionLen(c);
  for (let i: u32 = 0; i < n; i++) {
    const x = elemAt(c, i);
    if (typeOf(x) != T_NUMBER) return UNDEFINED;
    acc = numAdd(acc, x);
  }
  return acc;
}

/** product(collection: array|set[number]) -> number; the empty product is 1. */
export function builtin_product(c: Value): Value {
  if (!operandIsArrayOrSet(c)) return UNDEFINED;
  let acc = makeInt(1);
  const n = collectionLen(c);
  for (let i: u32 = 0; i < n; i++) {
    const x = elemAt(c, i);
    if (typeOf(x) != T_NUMBER) return UNDEFINED;
    acc = numMul(acc, x);
  }
  return acc;
}

/** max(collection) -> the greatest element in Rego's order; undefined when empty. */
export function builtin_max(c: Value): Value {
  return extreme(c, 1);
}

/** min(collection) -> the least element in Rego's order; undefined when empty. */
export function builtin_min(c: Value): Value {
  return extreme(c, -1);
}

/** sort(collection: array|set) -> array sorted in Rego's order (sets are already sorted). */
export function builtin_sort(c: Value): Value {
  if (!operandIsArrayOrSet(c)) return UNDEFINED;
  const n = collectionLen(c);
  const out = makeArray(n);
  for (let i: u32 = 0; i < n; i++) arrayAppend(out, elemAt(c, i));
  if (typeOf(c) == T_ARRAY && n > 1) sortSlots(load<u32>(out, 12), n, 4);
  return out;
}

function extreme(c: Value, sign: i32): Value {
  if (!operandIsArrayOrSet(c)) return UNDEFINED;
  const n = collectionLen(c);
  if (n == 0) return UNDEFINED;
  if (typeOf(c) != T_ARRAY) return setElemAt(c, sign > 0 ? n - 1 : 0);
  let best = arrayGet(c, 0);
  for (let i: u32 = 1; i < n; i++) {
    const x = arrayGet(c, i);
    if (compare(x, best) * sign > 0) best = x;
  }
  return best;
}

@inline function elemAt(c: Value, i: u32): Value {
  return typeOf(c) == T_ARRAY ? arrayGet(c, i) : setElemAt(c, i);
}
