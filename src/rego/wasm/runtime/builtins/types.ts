// Type predicates and type_name: is_number, is_string, is_boolean, is_array, is_set, is_object, is_null.
//
// OPA's is_* return true or false (never undefined) for any defined argument.

import {
  Value, UNDEFINED, typeOf, makeBool, T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET,
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
