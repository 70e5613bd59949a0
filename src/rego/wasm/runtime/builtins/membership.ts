// Builtins internal.member_2/3 (`in`), count, and the set operators and (&) / or (|).

import {
  Value, UNDEFINED, typeOf, T_ARRAY, T_OBJECT, T_SET, T_STRING, T_NUMBER, makeBool, makeInt, makeSet,
  arrayLen, arrayGet, objectLen, objectValueAt, objectGet, setLen, setElemAt, setContains, setAdd,
  setAppendUnsorted, stringLen, stringPtr,
} from '../value';
import { equal, compare } from '../compare';
import { numberIsInteger, numberToI64 } from '../number';

/** `x in coll`: an element of an array or set, a value of an object; false for other values. */
export function builtin_internal_member_2(x: Value, coll: Value): Value {
  const t = typeOf(coll);
  if (t == T_SET) return makeBool(setContains(coll, x));
  if (t == T_ARRAY) {
    const n = arrayLen(coll);
    for (let i: u32 = 0; i < n; i++) if (equal(arrayGet(coll, i), x)) return makeBool(true);
    return makeBool(false);
  }
  if (t == T_OBJECT) {
    const n = objectLen(coll);
    for (let i: u32 = 0; i < n; i++) if (equal(objectValueAt(coll, i), x)) return makeBool(true);
    return makeBool(false);
  }
  return makeBool(false);
}

/** `k, v in coll`: coll[k] == v for arrays (integer index) and objects; false otherwise. */
export function builtin_internal_member_3(k: Value, v: Value, coll: Value): Value {
  const t = typeOf(coll);
  if (t == T_OBJECT) {
    const got = objectGet(coll, k);
    return makeBool(got != 0 && equal(got, v));
  }
  if (t == T_ARRAY) {
    if (typeOf(k) != T_NUMBER || !numberIsInteger(k)) return makeBool(false);
    const i = numberToI64(k);
    if (i < 0 || i >= <i64>arrayLen(coll)) return makeBool(false);
    return makeBool(equal(arrayGet(coll, <u32>i), v));
  }
  if (t == T_SET) return makeBool(equal(k, v) && setContains(coll, k));
  return makeBool(false);
}

/** Elements of a collection, or code points of a string. */
export function builtin_count(x: Value): Value {
  const t = typeOf(x);
  if (t == T_ARRAY || t == T_OBJECT || t == T_SET) return makeInt(load<u32>(x, 4));
  if (t == T_STRING) {
    const p = stringPtr(x);
    const n = stringLen(x);
    let c: i64 = 0;
    for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
    return makeInt(c);
  }
  return UNDEFINED;
}

/** Set intersection a & b. */
export function builtin_and(a: Value, b: Value): Value {
  if (typeOf(a) != T_SET || typeOf(b) != T_SET) return UNDEFINED;
  const out = makeSet(setLen(a));
  const n = setLen(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = setElemAt(a, i);
    if (setContains(b, x)) setAppendUnsorted(out, x);
  }
  return out;
}

/** Set union a | b (merge of two sorted sequences). */
export function builtin_or(a: Value, b: Value): Value {
  if (typeOf(a) != T_SET || typeOf(b) != T_SET) return UNDEFINED;
  const na = setLen(a);
  const nb = setLen(b);
  const out = makeSet(na + nb);
  let i: u32 = 0;
  let j: u32 = 0;
  while (i < na && j < nb) {
    const x = setElemAt(a, i);
    const y = setElemAt(b, j);
    const c = compare(x, y);
    if (c < 0) {
      setAppendUnsorted(out, x);
      i++;
    } else if (c > 0) {
      setAppendUnsorted(out, y);
      j++;
    } else {
      setAppendUnsorted(out, x);
      i++;
      j++;
    }
  }
  for (; i < na; i++) setAppendUnsorted(out, setElemAt(a, i));
  for (; j < nb; j++) setAppendUnsorted(out, setElemAt(b, j));
  return out;
}
