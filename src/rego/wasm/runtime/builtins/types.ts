// Type predicates, type_name and the deprecated cast_* conversions.
//
// OPA's is_* return true or false (never undefined) for any defined argument.

import {
  Value, UNDEFINED, typeOf, makeBool, T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET,
  makeArray, arrayAppend, arrayGet, arrayLen, makeSet, setAdd, setLen, setElemAt,
} from '../value';
import { operandAsciiString } from './operand_support';

export function builtin_is_number(x: Value): Value {
  return makeBool(typeOf(x) == T_NUMBER);
}

export function builtin_is_string(x: Value): Value {
  return makeBool(typeOf(x) == T_STRING);
}

export function builtin_is_boolean(x: Value): Value {
  return makeBool(typeOf(x) == T_BOOLEAN);
}

export function builtin_is_array(x: Value): Value {
  return makeBool(typeOf(x) == T_ARRAY);
}

export function builtin_is_set(x: Value): Value {
  return makeBool(typeOf(x) == T_SET);
}

export function builtin_is_object(x: Value): Value {
  return makeBool(typeOf(x) == T_OBJECT);
}

export function builtin_is_null(x: Value): Value {
  return makeBool(typeOf(x) == T_NULL);
}

/** type_name(x) -> "null" | "boolean" | "number" | "string" | "array" | "object" | "set". */
export function builtin_type_name(x: Value): Value {
  switch (typeOf(x)) {
    case T_NULL: return operandAsciiString('null');
    case T_BOOLEAN: return operandAsciiString('boolean');
    case T_NUMBER: return operandAsciiString('number');
    case T_STRING: return operandAsciiString('string');
    case T_ARRAY: return operandAsciiString('array');
    case T_OBJECT: return operandAsciiString('object');
    case T_SET: return operandAsciiString('set');
  }
  return UNDEFINED;
}

/** cast_array(array|set) (deprecated) -> array (a set's elements in order). */
export function builtin_cast_array(x: Value): Value {
  if (typeOf(x) == T_ARRAY) return x;
  if (typeOf(x) != T_SET) return UNDEFINED;
  const out = makeArray(setLen(x));
  for (let i: u32 = 0; i < setLen(x); i++) arrayAppend(out, setElemAt(x, i));
  return out;
}

/** cast_set(array|set) (deprecated) -> set. */
export function builtin_cast_set(x: Value): Value {
  if (typeOf(x) == T_SET) return x;
  if (typeOf(x) != T_ARRAY) return UNDEFINED;
  const out = makeSet(arrayLen(x));
  for (let i: u32 = 0; i < arrayLen(x); i++) setAdd(out, arrayGet(x, i));
  return out;
}

/** cast_string / cast_boolean / cast_null / cast_object (deprecated): the value when it already has that type. */
export function builtin_cast_string(x: Value): Value {
  return typeOf(x) == T_STRING ? x : UNDEFINED;
}

export function builtin_cast_boolean(x: Value): Value {
  return typeOf(x) == T_BOOLEAN ? x : UNDEFINED;
}

export function builtin_cast_null(x: Value): Value {
  return typeOf(x) == T_NULL ? x : UNDEFINED;
}

export function builtin_cast_object(x: Value): Value {
  return typeOf(x) == T_OBJECT ? x : UNDEFINED;
}
