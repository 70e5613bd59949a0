// Builtins plus, minus, mul, div, rem (numbers; minus also set difference), with OPA's undefined-on-error semantics.

import { Value, UNDEFINED, typeOf, T_NUMBER, T_SET, makeSet, setLen, setElemAt, setContains, setAppendUnsorted } from '../value';
import { numAdd, numSub, numMul, numDiv, numRem } from '../number';

@inline function bothNumbers(a: Value, b: Value): bool {
  return typeOf(a) == T_NUMBER && typeOf(b) == T_NUMBER;
}

export function builtin_plus(a: Value, b: Value): Value {
  return bothNumbers(a, b) ? numAdd(a, b) : UNDEFINED;
}

/** Number subtraction, or set difference a - b. */
export function builtin_minus(a: Value, b: Value): Value {
  if (bothNumbers(a, b)) return numSub(a, b);
  if (typeOf(a) == T_SET && typeOf(b) == T_SET) {
    const out = makeSet(setLen(a));
    const n = setLen(a);
    // Elements of a stay sorted: append in order.
    for (let i: u32 = 0; i < n; i++) {
      const x = setElemAt(a, i);
      if (!setContains(b, x)) setAppendUnsorted(out, x);
    }
    return out;
  }
  return UNDEFINED;
}

export function builtin_mul(a: Value, b: Value): Value {
  return bothNumbers(a, b) ? numMul(a, b) : UNDEFINED;
}

/** Division; division by zero is undefined (OPA's non-strict builtin error). */
export function builtin_div(a: Value, b: Value): Value {
  return bothNumbers(a, b) ? numDiv(a, b) : UNDEFINED;
}

/** Remainder of integers (sign follows the dividend); undefined for zero divisor or non-integers. */
export function builtin_rem(a: Value, b: Value): Value {
  return bothNumbers(a, b) ? numRem(a, b) : UNDEFINED;
}
