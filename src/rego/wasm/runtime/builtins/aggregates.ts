// Aggregate builtins over collections: sum, product, max, min, sort, all/any, intersection/union of a set of sets, set_diff (count is in the runtime core).

import {
  Value, UNDEFINED, typeOf, T_ARRAY, T_NUMBER, makeInt, makeArray, arrayAppend, arrayGet, collectionLen,
  setElemAt, sortSlots, T_SET, makeSet, setAdd, setContains, setLen, T_BOOLEAN, boolValue, makeBool,
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

/** intersection(sets: set[set]) -> the elements common to all; the empty set for no sets. */
export function builtin_intersection(sets: Value): Value {
  if (typeOf(sets) != T_SET) return UNDEFINED;
  const n = setLen(sets);
  for (let i: u32 = 0; i < n; i++) if (typeOf(setElemAt(sets, i)) != T_SET) return UNDEFINED;
  if (n == 0) return makeSet(0);
  let acc = setElemAt(sets, 0);
  for (let i: u32 = 1; i < n; i++) {
    const other = setElemAt(sets, i);
    const next = makeSet(setLen(acc));
    for (let j: u32 = 0; j < setLen(acc); j++) {
      const x = setElemAt(acc, j);
      if (setContains(other, x)) setAdd(next, x);
    }
    acc = next;
  }
  return acc;
}

/** union(sets: set[set]) -> the elements of any of them. */
export function builtin_union(sets: Value): Value {
  if (typeOf(sets) != T_SET) return UNDEFINED;
  const out = makeSet(0);
  for (let i: u32 = 0; i < setLen(sets); i++) {
    const s = setElemAt(sets, i);
    if (typeOf(s) != T_SET) return UNDEFINED;
    for (let j: u32 = 0; j < setLen(s); j++) setAdd(out, setElemAt(s, j));
  }
  return out;
}

/** all(collection) (deprecated): every element is `true`; true for an empty collection. */
export function builtin_all(c: Value): Value {
  if (!operandIsArrayOrSet(c)) return UNDEFINED;
  for (let i: u32 = 0; i < collectionLen(c); i++) if (!isTrue(elemAt(c, i))) return makeBool(false);
  return makeBool(true);
}

/** any(collection) (deprecated): some element is `true`. */
export function builtin_any(c: Value): Value {
  if (!operandIsArrayOrSet(c)) return UNDEFINED;
  for (let i: u32 = 0; i < collectionLen(c); i++) if (isTrue(elemAt(c, i))) return makeBool(true);
  return makeBool(false);
}

/** set_diff(a, b) (deprecated): a - b on sets. */
export function builtin_set_diff(a: Value, b: Value): Value {
  if (typeOf(a) != T_SET || typeOf(b) != T_SET) return UNDEFINED;
  const out = makeSet(setLen(a));
  for (let i: u32 = 0; i < setLen(a); i++) {
    const x = setElemAt(a, i);
    if (!setContains(b, x)) setAdd(out, x);
  }
  return out;
}

function isTrue(x: Value): bool {
  return typeOf(x) == T_BOOLEAN && boolValue(x);
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
