// Bitwise builtins on integers: bits.and, bits.or, bits.xor, bits.negate, bits.lsh, bits.rsh.
//
// OPA works on big integers; here operands must fit in i64 (larger ones give undefined), and
// bits.lsh grows into an exact big integer when the result leaves i64 (shifts above 4096 bits
// give undefined, bounding the work).

import { Value, UNDEFINED, makeInt } from '../value';
import { numMul } from '../number';
import { operandIsInt, operandInt } from './operand_support';

export function builtin_bits_and(a: Value, b: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(b)) return UNDEFINED;
  return makeInt(operandInt(a) & operandInt(b));
}

export function builtin_bits_or(a: Value, b: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(b)) return UNDEFINED;
  return makeInt(operandInt(a) | operandInt(b));
}

export function builtin_bits_xor(a: Value, b: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(b)) return UNDEFINED;
  return makeInt(operandInt(a) ^ operandInt(b));
}

/** bits.negate(x) -> ~x (two's complement: -x - 1). */
export function builtin_bits_negate(a: Value): Value {
  if (!operandIsInt(a)) return UNDEFINED;
  return makeInt(~operandInt(a));
}

/** bits.lsh(x, s) -> x * 2^s; s must be a non-negative integer. */
export function builtin_bits_lsh(a: Value, s: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(s)) return UNDEFINED;
  const x = operandInt(a);
  let k = operandInt(s);
  if (k < 0) return UNDEFINED;
  if (x == 0) return makeInt(0);
  if (k < 63) {
    const r = x << k;
    if ((r >> k) == x) return makeInt(r);
  }
  if (k > 4096) return UNDEFINED; // bounds the big-integer work (a 1234-digit result at most)
  let acc = makeInt(x);
  while (k > 0) {
    const step = k > 62 ? 62 : k;
    acc = numMul(acc, makeInt((<i64>1) << step));
    k -= step;
  }
  return acc;
}

/** bits.rsh(x, s) -> floor(x / 2^s) (arithmetic shift); s must be a non-negative integer. */
export function builtin_bits_rsh(a: Value, s: Value): Value {
  if (!operandIsInt(a) || !operandIsInt(s)) return UNDEFINED;
  const x = operandInt(a);
  const k = operandInt(s);
  if (k < 0) return UNDEFINED;
  if (k >= 64) return makeInt(x < 0 ? -1 : 0);
  return makeInt(x >> k);
}
