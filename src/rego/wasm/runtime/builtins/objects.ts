// Object builtins: object.get/union/union_n/remove/filter/keys/subset, json.filter/remove/patch, graph.reachable.
//
// Values are immutable: every builtin builds new collections and shares unchanged parts.

import {
  Value, UNDEFINED, typeOf, T_NULL, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, NUM_INT, makeNull, makeBool,
  makeString, makeObject, objectLen, objectKeyAt, objectValueAt, objectGet, objectInsert, makeSet, setLen,
  setElemAt, setAdd, setContains, setFind, makeArray, arrayAppend, arrayGet, arrayLen, numberKind, numberIntValue,
  stringPtr, stringLen, collectionLen,
} from '../value';
import { equal } from '../compare';
import { writeI64 } from '../number';
import { malloc } from '../memory';
import { jsonPatchApply, jsonPathSegments } from './json_patch_core';

/** object.get(obj, key, default): obj[key], or the value at a path when key is an array; default when absent. */
export function builtin_object_get(obj: Value, key: Value, dflt: Value): Value {
  if (typeOf(obj) != T_OBJECT) return UNDEFINED;
  if (typeOf(key) != T_ARRAY) {
    const v = objectGet(obj, key);
    return v != UNDEFINED ? v : dflt;
  }
  if (arrayLen(key) == 0) return obj;
  let cur = obj;
  for (let i: u32 = 0; i < arrayLen(key); i++) {
    cur = childAt(cur, arrayGet(key, i));
    if (cur == UNDEFINED) return dflt;
  }
  return cur;
}

/** object.union(a, b): keys of both; on a clash b wins, objects on both sides merge recursively. */
export function builtin_object_union(a: Value, b: Value): Value {
  if (typeOf(a) != T_OBJECT || typeOf(b) != T_OBJECT) return UNDEFINED;
  if (equal(a, b)) return a;
  return mergeWithOverwrite(a, b);
}

/** object.union_n(objects: array[object]): left-to-right object.union of all. */
export function builtin_object_union_n(list: Value): Value {
  if (typeOf(list) != T_ARRAY) return UNDEFINED;
  let acc = makeObject(0);
  for (let i: u32 = 0; i < arrayLen(list); i++) {
    const o = arrayGet(list, i);
    if (typeOf(o) != T_OBJECT) return UNDEFINED;
    acc = mergeWithOverwrite(acc, o);
  }
  return acc;
}

/** object.remove(obj, keys: array|set|object): obj without those keys. */
export function builtin_object_remove(obj: Value, keys: Value): Value {
  if (typeOf(obj) != T_OBJECT) return UNDEFINED;
  const drop = keySet(keys);
  if (drop == UNDEFINED) return UNDEFINED;
  const out = makeObject(objectLen(obj));
  for (let i: u32 = 0; i < objectLen(obj); i++) {
    const k = objectKeyAt(obj, i);
    if (!setContains(drop, k)) objectInsert(out, k, objectValueAt(obj, i));
  }
  return out;
}

/** object.filter(obj, keys: array|set|object): only those keys of obj. */
export function builtin_object_filter(obj: Value, keys: Value): Value {
  if (typeOf(obj) != T_OBJECT) return UNDEFINED;
  const keep = keySet(keys);
  if (keep == UNDEFINED) return UNDEFINED;
  const out = makeObject(setLen(keep));
  for (let i: u32 = 0; i < objectLen(obj); i++) {
    const k = objectKeyAt(obj, i);
    if (setContains(keep, k)) objectInsert(out, k, objectValueAt(obj, i));
  }
  return out;
}

/** object.keys(obj) -> set of its keys. */
export function builtin_object_keys(obj: Value): Value {
  if (typeOf(obj) != T_OBJECT) return UNDEFINED;
  const out = makeSet(objectLen(obj));
  for (let i: u32 = 0; i < objectLen(obj); i++) setAdd(out, objectKeyAt(obj, i));
  return out;
}

/**
 * object.subset(super, sub): objects recursively (every key of sub in super with a matching
 * value), sets by inclusion, arrays as a contiguous run, an array super and a set sub by
 * membership. Other type pairings are an operand error (undefined).
 */
export function builtin_object_subset(sup: Value, sub: Value): Value {
  const ts = typeOf(sup);
  const tb = typeOf(sub);
  const ok = (ts == tb && (ts == T_OBJECT || ts == T_SET || ts == T_ARRAY)) || (ts == T_ARRAY && tb == T_SET);
  if (!ok) return UNDEFINED;
  return makeBool(isSubset(sup, sub));
}

/** json.filter(obj, paths: array|set of "a/b" strings or path arrays): only the values at those paths. */
export function builtin_json_filter(obj: Value, paths: Value): Value {
  if (typeOf(obj) != T_OBJECT) return UNDEFINED;
  const filter = pathsToObject(paths);
  if (filter == UNDEFINED) return UNDEFINED;
  return filterValue(obj, filter);
}

/** json.remove(obj, paths): obj without the values at those paths (array elements close up). */
export function builtin_json_remove(obj: Value, paths: Value): Value {
  if (typeOf(obj) != T_OBJECT) return UNDEFINED;
  const filter = pathsToObject(paths);
  if (filter == UNDEFINED) return UNDEFINED;
  const r = removeValue(obj, filter);
  return r == OMIT ? UNDEFINED : r;
}

/** json.patch(target, patches: array of RFC 6902 operations) -> patched value; undefined when any operation fails. */
export function builtin_json_patch(target: Value, patches: Value): Value {
  if (typeOf(patches) != T_ARRAY) return UNDEFINED;
  return jsonPatchApply(target, patches);
}

/** graph.reachable(graph: object of node -> array|set of neighbours, initial: array|set) -> set of nodes reachable (nodes absent from graph are not). */
export function builtin_graph_reachable(graph: Value, initial: Value): Value {
  if (typeOf(graph) != T_OBJECT) return UNDEFINED;
  const ti = typeOf(initial);
  if (ti != T_ARRAY && ti != T_SET) return UNDEFINED;
  const queue = makeArray(collectionLen(initial) + 4);
  for (let i: u32 = 0; i < collectionLen(initial); i++) arrayAppend(queue, ti == T_ARRAY ? arrayGet(initial, i) : setElemAt(initial, i));
  const reached = makeSet(8);
  for (let q: u32 = 0; q < arrayLen(queue); q++) {
    const node = arrayGet(queue, q);
    const edges = objectGet(graph, node);
    if (edges == UNDEFINED) continue;
    const te = typeOf(edges);
    if (te == T_ARRAY || te == T_SET) {
      for (let i: u32 = 0; i < collectionLen(edges); i++) {
        const n = te == T_ARRAY ? arrayGet(edges, i) : setElemAt(edges, i);
        if (!setContains(reached, n)) arrayAppend(queue, n);
      }
    }
    setAdd(reached, node);
    if (arrayLen(queue) > 10000000) return UNDEFINED; // defensive bound on cyclic fan-out
  }
  return reached;
}

// ---------------------------------------------------------------- helpers

const OMIT: Value = 1; // removeValue: "leave this value out" (never dereferenced)

/** The child of v under one path segment (object key, array index, set member), or UNDEFINED. */
function childAt(v: Value, seg: Value): Value {
  const t = typeOf(v);
  if (t == T_OBJECT) return objectGet(v, seg);
  if (t == T_ARRAY) {
    if (typeOf(seg) != T_NUMBER || numberKind(seg) != NUM_INT) return UNDEFINED;
    const i = numberIntValue(seg);
    return i >= 0 && i < <i64>arrayLen(v) ? arrayGet(v, <u32>i) : UNDEFINED;
  }
  if (t == T_SET) {
    const i = setFind(v, seg);
    return i >= 0 ? setElemAt(v, <u32>i) : UNDEFINED;
  }
  return UNDEFINED;
}

function mergeWithOverwrite(a: Value, b: Value): Value {
  const out = makeObject(objectLen(a) + objectLen(b));
  for (let i: u32 = 0; i < objectLen(a); i++) objectInsert(out, objectKeyAt(a, i), objectValueAt(a, i));
  for (let i: u32 = 0; i < objectLen(b); i++) {
    const k = objectKeyAt(b, i);
    const vb = objectValueAt(b, i);
    const va = objectGet(a, k);
    if (va != UNDEFINED && typeOf(va) == T_OBJECT && typeOf(vb) == T_OBJECT) objectInsert(out, k, mergeWithOverwrite(va, vb));
    else objectInsert(out, k, vb);
  }
  return out;
}

/** The keys named by an array, set or object (its keys) as a set; UNDEFINED for other types. */
function keySet(keys: Value): Value {
  const t = typeOf(keys);
  if (t == T_SET) return keys;
  const out = makeSet(collectionLen(keys));
  if (t == T_ARRAY) for (let i: u32 = 0; i < arrayLen(keys); i++) setAdd(out, arrayGet(keys, i));
  else if (t == T_OBJECT) for (let i: u32 = 0; i < objectLen(keys); i++) setAdd(out, objectKeyAt(keys, i));
  else return UNDEFINED;
  return out;
}

function isSubset(sup: Value, sub: Value): bool {
  const ts = typeOf(sup);
  const tb = typeOf(sub);
  if (ts == T_OBJECT && tb == T_OBJECT) {
    for (let i: u32 = 0; i < objectLen(sub); i++) {
      const sv = objectGet(sup, objectKeyAt(sub, i));
      if (sv == UNDEFINED) return false;
      const bv = objectValueAt(sub, i);
      const t1 = typeOf(sv);
      const t2 = typeOf(bv);
      const nested = (t1 == t2 && (t1 == T_OBJECT || t1 == T_SET || t1 == T_ARRAY)) || (t1 == T_ARRAY && t2 == T_SET);
      if (nested ? !isSubset(sv, bv) : !equal(sv, bv)) return false;
    }
    return true;
  }
  if (ts == T_SET && tb == T_SET) {
    for (let i: u32 = 0; i < setLen(sub); i++) if (!setContains(sup, setElemAt(sub, i))) return false;
    return true;
  }
  if (ts == T_ARRAY && tb == T_SET) {
    for (let i: u32 = 0; i < setLen(sub); i++) {
      const x = setElemAt(sub, i);
      let found = false;
      for (let j: u32 = 0; j < arrayLen(sup) && !found; j++) found = equal(arrayGet(sup, j), x);
      if (!found) return false;
    }
    return true;
  }
  // Both arrays: sub must appear as a contiguous run of sup (OPA's cursor walk).
  const ns = arrayLen(sup);
  const nb = arrayLen(sub);
  let supCursor: u32 = 0;
  let subCursor: u32 = 0;
  while (true) {
    if (subCursor == nb) return true;
    if (supCursor == ns) return false;
    if (supCursor + subCursor >= ns) return false;
    if (equal(arrayGet(sup, supCursor + subCursor), arrayGet(sub, subCursor))) subCursor++;
    else {
      supCursor++;
      subCursor = 0;
    }
  }
  return false;
}

/**
 * Builds OPA's filter tree from json.filter/json.remove paths: nested objects whose leaves are
 * null. A shorter path covers longer ones. UNDEFINED when paths is not an array/set of
 * strings/arrays.
 */
function pathsToObject(paths: Value): Value {
  const t = typeOf(paths);
  if (t != T_ARRAY && t != T_SET) return UNDEFINED;
  const root = makeObject(4);
  const n = collectionLen(paths);
  for (let i: u32 = 0; i < n; i++) {
    const p = jsonPathSegments(t == T_ARRAY ? arrayGet(paths, i) : setElemAt(paths, i));
    if (p == UNDEFINED) return UNDEFINED;
    const len = arrayLen(p);
    if (len == 0) continue;
    let node = root;
    let done = false;
    for (let j: u32 = 0; j + 1 < len && !done; j++) {
      const k = arrayGet(p, j);
      const child = objectGet(node, k);
      if (child == UNDEFINED) {
        const o = makeObject(4);
        objectInsert(node, k, o);
        node = o;
      } else if (typeOf(child) == T_NULL) done = true;
      else node = child;
    }
    if (!done) objectInsert(node, arrayGet(p, len - 1), makeNull());
  }
  return root;
}

/** OPA's filterObject: keep only what the filter tree names; array positions are keyed by their decimal string. */
function filterValue(v: Value, filter: Value): Value {
  const tf = typeOf(filter);
  if (tf == T_NULL) return v;
  if (tf != T_OBJECT) return UNDEFINED;
  const t = typeOf(v);
  if (t == T_ARRAY) {
    const out = makeArray(arrayLen(v));
    for (let i: u32 = 0; i < arrayLen(v); i++) {
      const sub = objectGet(filter, indexKey(i));
      if (sub == UNDEFINED) continue;
      const r = filterValue(arrayGet(v, i), sub);
      if (r == UNDEFINED) return UNDEFINED;
      arrayAppend(out, r);
    }
    return out;
  }
  if (t == T_SET) {
    const out = makeSet(setLen(v));
    for (let i: u32 = 0; i < setLen(v); i++) {
      const x = setElemAt(v, i);
      const sub = objectGet(filter, x);
      if (sub == UNDEFINED) continue;
      const r = filterValue(x, sub);
      if (r == UNDEFINED) return UNDEFINED;
      setAdd(out, r);
    }
    return out;
  }
  if (t == T_OBJECT) {
    const out = makeObject(objectLen(filter));
    for (let i: u32 = 0; i < objectLen(filter); i++) {
      const k = objectKeyAt(filter, i);
      const x = objectGet(v, k);
      if (x == UNDEFINED) continue;
      const r = filterValue(x, objectValueAt(filter, i));
      if (r == UNDEFINED) return UNDEFINED;
      objectInsert(out, k, r);
    }
    return out;
  }
  return v;
}

/** OPA's jsonRemove: drop what the filter tree's null leaves name; OMIT when v itself goes. */
function removeValue(v: Value, filter: Value): Value {
  if (filter == UNDEFINED) return v;
  const tf = typeOf(filter);
  if (tf == T_NULL) return OMIT;
  if (tf != T_OBJECT) return v;
  const t = typeOf(v);
  if (t == T_OBJECT) {
    const out = makeObject(objectLen(v));
    for (let i: u32 = 0; i < objectLen(v); i++) {
      const k = objectKeyAt(v, i);
      const r = removeValue(objectValueAt(v, i), objectGet(filter, k));
      if (r != OMIT) objectInsert(out, k, r);
    }
    return out;
  }
  if (t == T_SET) {
    const out = makeSet(setLen(v));
    for (let i: u32 = 0; i < setLen(v); i++) {
      const x = setElemAt(v, i);
      const r = removeValue(x, objectGet(filter, x));
      if (r != OMIT) setAdd(out, r);
    }
    return out;
  }
  if (t == T_ARRAY) {
    const out = makeArray(arrayLen(v));
    for (let i: u32 = 0; i < arrayLen(v); i++) {
      const r = removeValue(arrayGet(v, i), objectGet(filter, indexKey(i)));
      if (r != OMIT) arrayAppend(out, r);
    }
    return out;
  }
  return v;
}

function indexKey(i: u32): Value {
  const p = malloc(12);
  const n = writeI64(p, <i64>i);
  return makeString(p, n);
}
