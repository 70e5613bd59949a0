// Rego's total order over values and equality (null < boolean < number < string < array < object < set).

import {
  Value, typeOf, T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET,
  boolValue, stringPtr, stringLen, arrayGet, collectionLen, objectKeyAt, objectValueAt, setElemAt,
} from './value';
import { numberCompare } from './number';

/** <0, 0 or >0 as a orders before, equal to, or after b. Both must be defined. */
export function compare(a: Value, b: Value): i32 {
  if (a == b) return 0;
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case T_NULL:
      return 0;
    case T_BOOLEAN: {
      const x = <i32>boolValue(a);
      const y = <i32>boolValue(b);
      return x - y;
    }
    case T_NUMBER:
      return numberCompare(a, b);
    case T_STRING:
      return bytesCompare(stringPtr(a), stringLen(a), stringPtr(b), stringLen(b));
    case T_ARRAY: {
      const la = collectionLen(a);
      const lb = collectionLen(b);
      const n = la < lb ? la : lb;
      for (let i: u32 = 0; i < n; i++) {
        const c = compare(arrayGet(a, i), arrayGet(b, i));
        if (c != 0) return c;
      }
      return la == lb ? 0 : la < lb ? -1 : 1;
    }
    case T_OBJECT: {
      // OPA: keys and values interleaved in sorted key order, then length.
      const la = collectionLen(a);
      const lb = collectionLen(b);
      const n = la < lb ? la : lb;
      for (let i: u32 = 0; i < n; i++) {
        let c = compare(objectKeyAt(a, i), objectKeyAt(b, i));
        if (c != 0) return c;
        c = compare(objectValueAt(a, i), objectValueAt(b, i));
        if (c != 0) return c;
      }
      return la == lb ? 0 : la < lb ? -1 : 1;
    }
    case T_SET: {
      const la = collectionLen(a);
      const lb = collectionLen(b);
      const n = la < lb ? la : lb;
      for (let i: u32 = 0; i < n; i++) {
        const c = compare(setElemAt(a, i), setElemAt(b, i));
        if (c != 0) return c;
      }
      return la == lb ? 0 : la < lb ? -1 : 1;
    }
  }
  return 0;
}

/** Rego equality (1 == 1.0; sets and objects by content). */
export function equal(a: Value, b: Value): bool {
  if (a == b) return true;
  if (typeOf(a) != typeOf(b)) return false;
  const t = typeOf(a);
  if ((t == T_ARRAY || t == T_OBJECT || t == T_SET) && collectionLen(a) != collectionLen(b)) return false;
  if (t == T_STRING && stringLen(a) != stringLen(b)) return false;
  return compare(a, b) == 0;
}

/** Byte-wise comparison (UTF-8 byte order equals code point order, as Go compares strings). */
export function bytesCompare(pa: usize, la: u32, pb: usize, lb: u32): i32 {
  const n = la < lb ? la : lb;
  let i: u32 = 0;
  // Compare 8 bytes at a time while equal.
  while (i + 8 <= n && load<u64>(pa + i) == load<u64>(pb + i)) i += 8;
  for (; i < n; i++) {
    const x = <i32>load<u8>(pa + i);
    const y = <i32>load<u8>(pb + i);
    if (x != y) return x - y;
  }
  return la == lb ? 0 : la < lb ? -1 : 1;
}
