// walk(x): the relation of [path, value] pairs for x and everything nested in it, in OPA's pre-order.
//
// A relation builtin returns an ARRAY of its results (the planner scans it, see the builtin
// catalog's `relation` flag). Paths are arrays of keys: object keys, array indexes, set members.

import {
  Value, typeOf, T_ARRAY, T_OBJECT, T_SET, makeArray, arrayAppend, arrayGet, arrayLen, objectLen, objectKeyAt,
  objectValueAt, setLen, setElemAt, makeInt,
} from '../value';

export function builtin_walk(x: Value): Value {
  const out = makeArray(16);
  visit(out, makeArray(0), x);
  return out;
}

function visit(out: Value, path: Value, x: Value): void {
  const pair = makeArray(2);
  arrayAppend(pair, path);
  arrayAppend(pair, x);
  arrayAppend(out, pair);
  const t = typeOf(x);
  if (t == T_ARRAY) {
    for (let i: u32 = 0; i < arrayLen(x); i++) visit(out, extend(path, makeInt(<i64>i)), arrayGet(x, i));
  } else if (t == T_OBJECT) {
    for (let i: u32 = 0; i < objectLen(x); i++) visit(out, extend(path, objectKeyAt(x, i)), objectValueAt(x, i));
  } else if (t == T_SET) {
    for (let i: u32 = 0; i < setLen(x); i++) {
      const e = setElemAt(x, i);
      visit(out, extend(path, e), e);
    }
  }
}

function extend(path: Value, key: Value): Value {
  const n = arrayLen(path);
  const p = makeArray(n + 1);
  for (let i: u32 = 0; i < n; i++) arrayAppend(p, arrayGet(path, i));
  arrayAppend(p, key);
  return p;
}
