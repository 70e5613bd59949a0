// JSON paths ("/a/b" pointers or segment arrays) and RFC 6902 JSON Patch on immutable values, with OPA's edit-tree rules.
//
// OPA's rules kept here: a set member is addressed by its value (and may only be added under a
// key equal to the value); array indexes are decimal strings without leading zeros or integer
// numbers (never floats), "-" means the end (only where inserting); removing the root makes
// the document undefined until a later root "add"; any failing operation fails the whole patch.

import {
  Value, UNDEFINED, typeOf, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, NUM_INT, makeString, makeObject,
  objectLen, objectKeyAt, objectValueAt, objectGet, objectInsert, makeSet, setLen, setElemAt, setAdd, setFind,
  makeArray, arrayAppend, arrayGet, arrayLen, numberKind, numberIntValue, stringPtr, stringLen,
} from '../value';
import { equal } from '../compare';
import { malloc } from '../memory';

const DELETED: Value = 1; // the document after removing the root (never dereferenced)

const OP_ADD: i32 = 1;
const OP_REMOVE: i32 = 2;
const OP_REPLACE: i32 = 3;
const OP_MOVE: i32 = 4;
const OP_COPY: i32 = 5;
const OP_TEST: i32 = 6;

/** Applies the operations in order; UNDEFINED when one fails or the result is a removed root. */
export function jsonPatchApply(target: Value, patches: Value): Value {
  let doc = target;
  for (let i: u32 = 0; i < arrayLen(patches); i++) {
    const p = arrayGet(patches, i);
    if (typeOf(p) != T_OBJECT) return UNDEFINED;
    const opv = attr(p, 'op');
    if (opv == UNDEFINED || typeOf(opv) != T_STRING) return UNDEFINED;
    const op = opCode(opv);
    if (op == 0) return UNDEFINED;
    const pathv = attr(p, 'path');
    if (pathv == UNDEFINED) return UNDEFINED;
    const path = jsonPathSegments(pathv);
    if (path == UNDEFINED) return UNDEFINED;
    let from: Value = UNDEFINED;
    if (op == OP_MOVE || op == OP_COPY) {
      const fromv = attr(p, 'from');
      if (fromv == UNDEFINED) return UNDEFINED;
      from = jsonPathSegments(fromv);
      if (from == UNDEFINED) return UNDEFINED;
    }
    let value: Value = UNDEFINED;
    if (op == OP_ADD || op == OP_REPLACE || op == OP_TEST) {
      value = attr(p, 'value');
      if (value == UNDEFINED) return UNDEFINED;
    }
    if (op == OP_ADD) doc = insertAt(doc, path, 0, value);
    else if (op == OP_REMOVE) doc = deleteAt(doc, path, 0);
    else if (op == OP_REPLACE) {
      doc = deleteAt(doc, path, 0);
      if (doc != UNDEFINED) doc = insertAt(doc, path, 0, value);
    } else if (op == OP_MOVE || op == OP_COPY) {
      const chunk = getAt(doc, from, 0);
      if (chunk == UNDEFINED) return UNDEFINED;
      if (op == OP_MOVE) doc = deleteAt(doc, from, 0);
      if (doc != UNDEFINED) doc = insertAt(doc, path, 0, chunk);
    } else {
      const chunk = getAt(doc, path, 0);
      if (chunk == UNDEFINED || !equal(chunk, value)) return UNDEFINED;
    }
    if (doc == UNDEFINED) return UNDEFINED;
  }
  return doc == DELETED ? UNDEFINED : doc;
}

/**
 * Path segments of a JSON path given as "/a/b~1c" (split on '/', leading slashes trimmed,
 * ~1 → '/', ~0 → '~'; "" is the empty path) or as an array of segments. UNDEFINED otherwise.
 */
export function jsonPathSegments(path: Value): Value {
  const t = typeOf(path);
  if (t == T_ARRAY) return path;
  if (t != T_STRING) return UNDEFINED;
  const p = stringPtr(path);
  const n = stringLen(path);
  const out = makeArray(4);
  if (n == 0) return out;
  let i: u32 = 0;
  while (i < n && load<u8>(p + i) == 0x2f) i++;
  let start = i;
  while (true) {
    if (i == n || load<u8>(p + i) == 0x2f) {
      arrayAppend(out, unescapePointer(p + start, i - start));
      if (i == n) break;
      start = i + 1;
    }
    i++;
  }
  return out;
}

function unescapePointer(p: usize, n: u32): Value {
  // First ~1 → '/', then ~0 → '~' (the order OPA applies them).
  const a = malloc(n);
  let m: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x7e && i + 1 < n && load<u8>(p + i + 1) == 0x31) {
      store<u8>(a + m++, 0x2f);
      i++;
    } else store<u8>(a + m++, c);
  }
  const b = malloc(m);
  let o: u32 = 0;
  for (let i: u32 = 0; i < m; i++) {
    const c = load<u8>(a + i);
    if (c == 0x7e && i + 1 < m && load<u8>(a + i + 1) == 0x30) {
      store<u8>(b + o++, 0x7e);
      i++;
    } else store<u8>(b + o++, c);
  }
  return makeString(b, o);
}

// ---------------------------------------------------------------- edits (each returns a new document or UNDEFINED)

function insertAt(doc: Value, path: Value, i: u32, value: Value): Value {
  if (i == arrayLen(path)) return value; // at the root: replaces (also a removed root)
  if (doc == DELETED) return UNDEFINED;
  const seg = arrayGet(path, i);
  const last = i + 1 == arrayLen(path);
  const t = typeOf(doc);
  if (t == T_OBJECT) {
    if (last) return objectWith(doc, seg, value);
    const child = objectGet(doc, seg);
    if (child == UNDEFINED) return UNDEFINED;
    const r = insertAt(child, path, i + 1, value);
    return r == UNDEFINED ? UNDEFINED : objectWith(doc, seg, r);
  }
  if (t == T_ARRAY) {
    const len = arrayLen(doc);
    const idx = arrayIndex(seg, len);
    if (last) {
      if (idx < 0 || idx > <i64>len) return UNDEFINED;
      return arraySplice(doc, <u32>idx, 0, value);
    }
    if (idx < 0 || idx >= <i64>len) return UNDEFINED;
    const r = insertAt(arrayGet(doc, <u32>idx), path, i + 1, value);
    return r == UNDEFINED ? UNDEFINED : arraySplice(doc, <u32>idx, 1, r);
  }
  if (t == T_SET) {
    if (last) {
      if (!equal(seg, value)) return UNDEFINED;
      return setWith(doc, UNDEFINED, value);
    }
    const at = setFind(doc, seg);
    if (at < 0) return UNDEFINED;
    const member = setElemAt(doc, <u32>at);
    const r = insertAt(member, path, i + 1, value);
    return r == UNDEFINED ? UNDEFINED : setWith(doc, member, r);
  }
  return UNDEFINED;
}

function deleteAt(doc: Value, path: Value, i: u32): Value {
  if (doc == DELETED) return UNDEFINED;
  if (i == arrayLen(path)) return DELETED;
  const seg = arrayGet(path, i);
  const last = i + 1 == arrayLen(path);
  const t = typeOf(doc);
  if (t == T_OBJECT) {
    const child = objectGet(doc, seg);
    if (child == UNDEFINED) return UNDEFINED;
    if (last) return objectWithout(doc, seg);
    const r = deleteAt(child, path, i + 1);
    return r == UNDEFINED ? UNDEFINED : objectWith(doc, seg, r);
  }
  if (t == T_ARRAY) {
    const len = arrayLen(doc);
    const idx = arrayIndex(seg, len);
    if (idx < 0 || idx >= <i64>len) return UNDEFINED;
    if (last) return arraySplice(doc, <u32>idx, 1, UNDEFINED);
    const r = deleteAt(arrayGet(doc, <u32>idx), path, i + 1);
    return r == UNDEFINED ? UNDEFINED : arraySplice(doc, <u32>idx, 1, r);
  }
  if (t == T_SET) {
    const at = setFind(doc, seg);
    if (at < 0) return UNDEFINED;
    const member = setElemAt(doc, <u32>at);
    if (last) return setWith(doc, member, UNDEFINED);
    const r = deleteAt(member, path, i + 1);
    return r == UNDEFINED ? UNDEFINED : setWith(doc, member, r);
  }
  return UNDEFINED;
}

function getAt(doc: Value, path: Value, i: u32): Value {
  if (doc == DELETED) return UNDEFINED;
  if (i == arrayLen(path)) return doc;
  const seg = arrayGet(path, i);
  const t = typeOf(doc);
  let child: Value = UNDEFINED;
  if (t == T_OBJECT) child = objectGet(doc, seg);
  else if (t == T_ARRAY) {
    const idx = arrayIndex(seg, arrayLen(doc));
    if (idx >= 0 && idx < <i64>arrayLen(doc)) child = arrayGet(doc, <u32>idx);
  } else if (t == T_SET) {
    const at = setFind(doc, seg);
    if (at >= 0) child = setElemAt(doc, <u32>at);
  }
  return child == UNDEFINED ? UNDEFINED : getAt(child, path, i + 1);
}

/** An array index from a path segment: integer numbers, decimal strings without leading zeros, "-" (= len); -1 when invalid. */
function arrayIndex(seg: Value, len: u32): i64 {
  const t = typeOf(seg);
  if (t == T_NUMBER) return numberKind(seg) == NUM_INT ? numberIntValue(seg) : -1;
  if (t != T_STRING) return -1;
  const p = stringPtr(seg);
  const n = stringLen(seg);
  if (n == 1 && load<u8>(p) == 0x2d) return <i64>len;
  if (n == 0 || n > 18) return -1;
  if (n > 1 && load<u8>(p) == 0x30) return -1;
  let x: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 0x30 || c > 0x39) return -1;
    x = x * 10 + <i64>(c - 0x30);
  }
  return x;
}

function objectWith(o: Value, key: Value, value: Value): Value {
  const out = makeObject(objectLen(o) + 1);
  for (let i: u32 = 0; i < objectLen(o); i++) objectInsert(out, objectKeyAt(o, i), objectValueAt(o, i));
  objectInsert(out, key, value);
  return out;
}

function objectWithout(o: Value, key: Value): Value {
  const out = makeObject(objectLen(o));
  for (let i: u32 = 0; i < objectLen(o); i++) {
    const k = objectKeyAt(o, i);
    if (!equal(k, key)) objectInsert(out, k, objectValueAt(o, i));
  }
  return out;
}

/** a copy of arr with `remove` elements at idx replaced by x (x UNDEFINED: nothing inserted). */
function arraySplice(arr: Value, idx: u32, remove: u32, x: Value): Value {
  const len = arrayLen(arr);
  const out = makeArray(len + 1);
  for (let i: u32 = 0; i < idx; i++) arrayAppend(out, arrayGet(arr, i));
  if (x != UNDEFINED) arrayAppend(out, x);
  for (let i = idx + remove; i < len; i++) arrayAppend(out, arrayGet(arr, i));
  return out;
}

/** a copy of set s without `drop` (if defined) and with `add` (if defined). */
function setWith(s: Value, drop: Value, add: Value): Value {
  const out = makeSet(setLen(s) + 1);
  for (let i: u32 = 0; i < setLen(s); i++) {
    const x = setElemAt(s, i);
    if (drop == UNDEFINED || !equal(x, drop)) setAdd(out, x);
  }
  if (add != UNDEFINED) setAdd(out, add);
  return out;
}

function attr(o: Value, name: string): Value {
  const n = name.length;
  const p = malloc(n);
  for (let i = 0; i < n; i++) store<u8>(p + i, <u8>name.charCodeAt(i));
  return objectGet(o, makeString(p, n));
}

function opCode(v: Value): i32 {
  const p = stringPtr(v);
  const n = stringLen(v);
  if (bytesAre(p, n, 'add')) return OP_ADD;
  if (bytesAre(p, n, 'remove')) return OP_REMOVE;
  if (bytesAre(p, n, 'replace')) return OP_REPLACE;
  if (bytesAre(p, n, 'move')) return OP_MOVE;
  if (bytesAre(p, n, 'copy')) return OP_COPY;
  if (bytesAre(p, n, 'test')) return OP_TEST;
  return 0;
}

function bytesAre(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}
