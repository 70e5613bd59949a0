// Builtins equal, neq, lt, lte, gt, gte: Rego's total order over any two values.

import { Value, makeBool } from '../value';
import { compare, equal } from '../compare';

export function builtin_equal(a: Value, b: Value): Value {
  return makeBool(equal(a, b));
}

export function builtin_neq(a: Value, b: Value): Value {
  return makeBool(!equal(a, b));
}

export function builtin_lt(a: Value, b: Value): Value {
  return makeBool(compare(a, b) < 0);
}

export function builtin_lte(a: Value, b: Value): Value {
  return makeBool(compare(a, b) <= 0);
}

export function builtin_gt(a: Value, b: Value): Value {
  return makeBool(compare(a, b) > 0);
}

export function builtin_gte(a: Value, b: Value): Value {
  return makeBool(compare(a, b) >= 0);
}
