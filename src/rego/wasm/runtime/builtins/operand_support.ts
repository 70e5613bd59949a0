// Operand checks shared by the aggregate/array/object/number/time builtins (OPA's builtins.*Operand helpers).
//
// Names carry an `operand` prefix because every export of a builtins file becomes a module export.

import {
  Value, typeOf, T_NUMBER, T_STRING, T_ARRAY, T_SET, T_OBJECT, NUM_INT, NUM_TEXT, numberKind, numberIntValue,
  numberTextPtr, numberTextLen, makeString,
} from '../value';
import { malloc } from '../memory';

/** True when v is a number OPA's IntOperand accepts: an integer literal/result that fits in i64 (1.0 is not). */
export function operandIsInt(v: Value): bool {
  if (typeOf(v) != T_NUMBER) return false;
  const k = numberKind(v);
  if (k == NUM_INT) return true;
  return false; // NUM_TEXT integers never fit in i64 (those are NUM_INT); decimals/floats are not integers
}

/** The i64 of a number for which operandIsInt holds. */
export function operandInt(v: Value): i64 {
  return numberIntValue(v);
}

export function operandIsCollection(v: Value): bool {
  const t = typeOf(v);
  return t == T_ARRAY || t == T_SET || t == T_OBJECT;
}

/** True for arrays and sets (the aggregates' operand types). */
export function operandIsArrayOrSet(v: Value): bool {
  const t = typeOf(v);
  return t == T_ARRAY || t == T_SET;
}

@inline export function operandIsString(v: Value): bool {
  return typeOf(v) == T_STRING;
}

/** True when the number value's text holds a '.', 'e' or 'E' (a literal OPA treats as floating point). */
export function operandNumberTextIsDecimal(v: Value): bool {
  if (numberKind(v) != NUM_TEXT) return false;
  const p = numberTextPtr(v);
  const n = numberTextLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return true;
  }
  return false;
}

/** A string value holding the ASCII literal (copied to the heap). */
export function operandAsciiString(s: string): Value {
  const src = changetype<usize>(s);
  const n = <u32>s.length;
  const dst = malloc(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(dst + i, <u8>load<u16>(src + (<usize>i << 1)));
  return makeString(dst, n);
}

/** True when bytes [p, p+n) equal the ASCII literal s. */
export function operandBytesEqualLiteral(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>load<u16>(src + (<usize>i << 1))) return false;
  return true;
}
