// Helpers that generated policy code calls (exported as rt_*): dot, iteration, collection building, `with`, memoization, result sets.

import { malloc, calloc } from './memory';
import {
  Value, UNDEFINED, typeOf, T_ARRAY, T_OBJECT, T_SET, T_NUMBER, T_STRING, makeInt, makeArray, makeObject,
  makeSet, arrayLen, arrayGet, arrayAppend, objectLen, objectKeyAt, objectValueAt, objectGet,
  objectFind, objectInsert, setLen, setElemAt, setContains, setAdd, makeString, makeNull, makeBool,
  collectionLen,
} from './value';
import { equal } from './compare';
import { numberIsInteger, numberToI64 } from './number';

/** source[key]: array by integer index, object by key, set by membership (yields the key). UNDEFINED when absent or not a collection. */
export function rt_dot(source: Value, key: Value): Value {
  if (source == 0 || key == 0) return UNDEFINED;
  const t = typeOf(source);
  if (t == T_OBJECT) return objectGet(source, key);
  if (t == T_ARRAY) {
    if (typeOf(key) != T_NUMBER || !numberIsInteger(key)) return UNDEFINED;
    const i = numberToI64(key);
    if (i < 0 || i >= <i64>arrayLen(source)) return UNDEFINED;
    return arrayGet(source, <u32>i);
  }
  if (t == T_SET) return setContains(source, key) ? key : UNDEFINED;
  return UNDEFINED;
}

/** Number of elements of a collection as a number value, UNDEFINED for other values. */
export function rt_len(source: Value): Value {
  if (source == 0) return UNDEFINED;
  const t = typeOf(source);
  if (t == T_ARRAY || t == T_OBJECT || t == T_SET) return makeInt(collectionLen(source));
  return UNDEFINED;
}

/** Number of iterations a scan makes over source: its length, or 0 for non-collections. */
export function rt_scan_len(source: Value): i32 {
  if (source == 0) return 0;
  const t = typeOf(source);
  if (t == T_ARRAY || t == T_OBJECT || t == T_SET) return <i32>collectionLen(source);
  return 0;
}

/** Key of the i-th iteration: index (array), key (object), element (set). */
export function rt_scan_key(source: Value, i: i32): Value {
  const t = typeOf(source);
  if (t == T_ARRAY) return makeInt(i);
  if (t == T_OBJECT) return objectKeyAt(source, <u32>i);
  return setElemAt(source, <u32>i);
}

/** Value of the i-th iteration: element (array), value (object), element (set). */
export function rt_scan_value(source: Value, i: i32): Value {
  const t = typeOf(source);
  if (t == T_ARRAY) return arrayGet(source, <u32>i);
  if (t == T_OBJECT) return objectValueAt(source, <u32>i);
  return setElemAt(source, <u32>i);
}

export function rt_null(): Value {
  return makeNull();
}

export function rt_bool(b: i32): Value {
  return makeBool(b != 0);
}

export function rt_int(i: i64): Value {
  return makeInt(i);
}

export function rt_equal(a: Value, b: Value): i32 {
  if (a == 0 || b == 0) return 0;
  return equal(a, b) ? 1 : 0;
}

/** 1 when both are defined and differ (an undefined operand makes `!=` undefined, so the statement fails). */
export function rt_not_equal(a: Value, b: Value): i32 {
  if (a == 0 || b == 0) return 0;
  return equal(a, b) ? 0 : 1;
}

/** 1 when v is defined and has type tag t. */
export function rt_is_type(v: Value, t: u32): i32 {
  return v != 0 && typeOf(v) == t ? 1 : 0;
}

export function rt_make_array(cap: u32): Value {
  return makeArray(cap);
}

export function rt_make_object(): Value {
  return makeObject(4);
}

export function rt_make_set(): Value {
  return makeSet(4);
}

export function rt_array_append(a: Value, x: Value): void {
  arrayAppend(a, x);
}

export function rt_object_insert(o: Value, k: Value, v: Value): void {
  objectInsert(o, k, v);
}

/** Inserts k → v unless k is present: 0 when inserted or equal already present, 1 on conflict. */
export function rt_object_insert_once(o: Value, k: Value, v: Value): i32 {
  const i = objectFind(o, k);
  if (i >= 0) return equal(objectValueAt(o, <u32>i), v) ? 0 : 1;
  objectInsert(o, k, v);
  return 0;
}

export function rt_set_add(s: Value, x: Value): void {
  setAdd(s, x);
}

/** Deep merge of two objects (a wins on non-object conflicts); UNDEFINED unless both are objects. */
export function rt_object_merge(a: Value, b: Value): Value {
  if (a == 0 || b == 0 || typeOf(a) != T_OBJECT || typeOf(b) != T_OBJECT) return UNDEFINED;
  return mergeObjects(a, b);
}

function mergeObjects(a: Value, b: Value): Value {
  const out = makeObject(objectLen(a) + objectLen(b));
  const na = objectLen(a);
  for (let i: u32 = 0; i < na; i++) objectInsert(out, objectKeyAt(a, i), objectValueAt(a, i));
  const nb = objectLen(b);
  for (let i: u32 = 0; i < nb; i++) {
    const k = objectKeyAt(b, i);
    const bv = objectValueAt(b, i);
    const av = objectGet(a, k);
    if (av == 0) objectInsert(out, k, bv);
    else if (typeOf(av) == T_OBJECT && typeOf(bv) == T_OBJECT) objectInsert(out, k, mergeObjects(av, bv));
  }
  return out;
}

/**
 * Copy-on-write upsert for `with`: a copy of base with the value at path (an array of keys)
 * replaced by value; intermediate objects are created (or replace non-objects) as needed.
 * base may be UNDEFINED (then it is built from scratch).
 */
export function rt_upsert(base: Value, path: Value, value: Value): Value {
  return upsertAt(base, path, 0, value);
}

function upsertAt(base: Value, path: Value, i: u32, value: Value): Value {
  const n = arrayLen(path);
  if (i >= n) return value;
  const key = arrayGet(path, i);
  const out = makeObject(4);
  let child: Value = UNDEFINED;
  if (base != 0 && typeOf(base) == T_OBJECT) {
    const len = objectLen(base);
    for (let j: u32 = 0; j < len; j++) objectInsert(out, objectKeyAt(base, j), objectValueAt(base, j));
    child = objectGet(base, key);
  }
  objectInsert(out, key, upsertAt(child, path, i + 1, value));
  return out;
}

// ---------------------------------------------------------------- memoization

let memoTable: usize = 0; // (scope u32, value u32) per memoized function
let memoScope: u32 = 1;
let memoNextScope: u32 = 1;

export const MEMO_MISS: u32 = 0xffffffff;

/** Called at the start of every evaluation: a fresh table for n memoized functions. */
export function rt_memo_init(n: u32): void {
  memoTable = n > 0 ? calloc(<usize>n << 3) : 0;
  memoScope = 1;
  memoNextScope = 1;
}

/** The cached result of function i in the current scope (possibly UNDEFINED = 0), or MEMO_MISS. */
export function rt_memo_get(i: u32): u32 {
  const p = memoTable + (<usize>i << 3);
  return load<u32>(p) == memoScope ? load<u32>(p, 4) : MEMO_MISS;
}

export function rt_memo_set(i: u32, v: Value): void {
  const p = memoTable + (<usize>i << 3);
  store<u32>(p, memoScope);
  store<u32>(p, v, 4);
}

/** Opens a fresh memo scope (for `with`); returns the scope to restore with rt_memo_pop. */
export function rt_memo_push(): u32 {
  const old = memoScope;
  memoNextScope++;
  memoScope = memoNextScope;
  return old;
}

export function rt_memo_pop(old: u32): void {
  memoScope = old;
}

// ---------------------------------------------------------------- result sets

const RESULT_KEY: usize = memory.data<u8>([114, 101, 115, 117, 108, 116]); // "result"

/** Adds {"result": v} to the result set rs (a set value). */
export function rt_result_add(rs: Value, v: Value): void {
  if (v == 0) return;
  const o = makeObject(1);
  objectInsert(o, makeString(RESULT_KEY, 6), v);
  setAdd(rs, o);
}

export function rt_is_string(v: Value): i32 {
  return v != 0 && typeOf(v) == T_STRING ? 1 : 0;
}

export function rt_alloc(n: usize): usize {
  return malloc(n);
}
